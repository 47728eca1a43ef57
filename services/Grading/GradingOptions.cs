using Toxicity.Grading.V2;

namespace Toxicity.Grading.Service;

/// <summary>
/// Grading's settings (section <c>Grading</c>): the number of partitions, how often the clock looks for reviews due,
/// and every window of rule set <c>astct-2019/2</c> (<c>Grading:Windows:&lt;Name&gt;</c> as a time span, e.g.
/// <c>Grading__Windows__Temperature=12:00:00</c> for an outpatient site; docs/grading-timeline.md lists them).
/// </summary>
internal sealed class GradingOptions
{
    public const string Section = "Grading";

    /// <summary>The partition queues (docs/grading-timeline.md "Changing the number of partitions"); the same on every instance.</summary>
    public int Partitions { get; init; } = 8;

    /// <summary>How often the clock looks for reviews due (C2-CLK-1): the most a review can be late by, while the service runs.</summary>
    public TimeSpan ClockInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long the clock waits before asking again for a review it asked for and that is still not in the log.</summary>
    public TimeSpan ClockResend { get; init; } = TimeSpan.FromSeconds(10);

    public GradingWindows Windows { get; init; } = new();

    /// <summary>
    /// A patient with no event for this long (by the events' recording time) is evicted from memory at the next
    /// snapshot, kept in the snapshot store and restored on its next event or query (issue 16; default 30 days).
    /// </summary>
    public TimeSpan EvictAfter { get; init; } = TimeSpan.FromDays(30);

    /// <summary>The options in <paramref name="configuration"/>, checked: a bad value stops the start-up and names its key.</summary>
    public static GradingOptions From(IConfiguration configuration)
    {
        var options = configuration.GetSection(Section).Get<GradingOptions>() ?? new GradingOptions();
        if (options.ClockInterval <= TimeSpan.Zero || options.ClockResend <= TimeSpan.Zero || options.EvictAfter <= TimeSpan.Zero)
        {
            throw new InvalidOperationException($"{Section}:ClockInterval, {Section}:ClockResend and {Section}:EvictAfter must be positive time spans.");
        }

        if (options.Windows.All().FirstOrDefault(w => w.Value <= TimeSpan.Zero) is { Name: { } bad })
        {
            throw new InvalidOperationException($"{Section}:Windows:{bad} must be a positive time span (docs/grading-timeline.md).");
        }

        return options;
    }
}

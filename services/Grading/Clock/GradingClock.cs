using MassTransit;
using Toxicity.Hosting;

namespace Toxicity.Grading.Service.Clock;

/// <summary>
/// The clock (CLINICAL-RULES.md §8.4 C2-CLK-1): once the log is read up to start-up, every <see cref="GradingOptions.ClockInterval"/>
/// it finds the patients whose next review is due by the wall clock and asks their partition's owner to record it
/// (<see cref="ReviewPatient"/>). The review itself, and what it decides, are published by the owner, once. A review
/// due while no instance ran is asked for at the next start.
/// </summary>
internal sealed partial class GradingClock(
    GradeBook book,
    EventLogFollower log,
    IBus bus,
    TimeProvider clock,
    GradingOptions options,
    ILogger<GradingClock> logger) : BackgroundService
{
    private readonly Dictionary<Guid, DateTimeOffset> _asked = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await log.WaitUntilRebuiltAsync(stoppingToken);
        using var timer = new PeriodicTimer(options.ClockInterval, clock);
        do
        {
            try
            {
                await TickAsync(stoppingToken);
            }
            catch (Exception error) when (!stoppingToken.IsCancellationRequested)
            {
                // The broker may be away; the next tick asks again.
                LogTickFailed(logger, error.GetType().Name);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task TickAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var due = book.DueReviews(now).Where(r => !_asked.TryGetValue(r.EventId, out var at) || now - at >= options.ClockResend).ToList();
        await Task.WhenAll(due.Select(review => bus.Publish(new ReviewPatient(review.PatientId, review.EventId),
            context => context.Headers.Set(PartitionTopology.PatientIdHeader, review.PatientId), cancellationToken)));
        foreach (var review in due)
        {
            _asked[review.EventId] = now;
            LogAsked(logger, review.PatientId, review.EventId, review.Kind, review.ObservedAt);
        }

        foreach (var old in _asked.Where(a => now - a.Value > options.ClockResend * 10).Select(a => a.Key).ToList())
        {
            _asked.Remove(old);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Review {EventId} of {PatientId} ({ReviewKind}, due {DueAt}) asked of the partition's owner")]
    private static partial void LogAsked(ILogger logger, string patientId, Guid eventId, string reviewKind, DateTimeOffset dueAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Clock tick failed ({ErrorType}); asking again at the next tick")]
    private static partial void LogTickFailed(ILogger logger, string errorType);
}

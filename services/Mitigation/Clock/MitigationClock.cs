using MassTransit;
using Toxicity.Hosting;

namespace Toxicity.Mitigation.Service.Clock;

/// <summary>
/// The clock of "advice before the dose" (issue 15): once the log is read up to start-up, every
/// <see cref="MitigationOptions.ClockInterval"/> it finds the patients whose next dose review is due by the wall clock
/// (the dose became due, it is a day late, or the time since the last dose crossed a bound of the label's restart table)
/// and asks the review queue's single active consumer to record it (<see cref="ReviewDose"/>). A review due while no
/// instance ran is asked for at the next start; one asked and not recorded is asked again after
/// <see cref="MitigationOptions.ClockResend"/>.
/// </summary>
internal sealed partial class MitigationClock(
    MitigationBook book,
    EventLogFollower log,
    IBus bus,
    TimeProvider clock,
    MitigationOptions options,
    ILogger<MitigationClock> logger) : BackgroundService
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
        await Task.WhenAll(due.Select(review => bus.Publish(new ReviewDose(review.PatientId, review.EventId), cancellationToken)));
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Dose review {EventId} of {PatientId} ({ReviewKind}, due {DueAt}) asked for")]
    private static partial void LogAsked(ILogger logger, string patientId, Guid eventId, string reviewKind, DateTimeOffset dueAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Clock tick failed ({ErrorType}); asking again at the next tick")]
    private static partial void LogTickFailed(ILogger logger, string errorType);
}

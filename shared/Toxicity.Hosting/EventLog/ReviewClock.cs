using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Toxicity.Contracts;

namespace Toxicity.Hosting;

/// <summary>
/// A service's clock: once the event log is read up to start-up, every <paramref name="interval"/> it finds the reviews
/// that came due by the wall clock (<see cref="Due"/>) and asks for each to be recorded (<see cref="AskAsync"/>), by
/// whoever records them once. A review due while no instance ran is asked for at the next start; one asked and not
/// recorded yet is asked again after <paramref name="resend"/>. A failed tick (the broker away) is retried at the next.
/// </summary>
public abstract partial class ReviewClock<TReview>(
    EventLogFollower log,
    TimeProvider clock,
    TimeSpan interval,
    TimeSpan resend,
    ILogger logger) : BackgroundService
    where TReview : IPatientEvent
{
    private readonly Dictionary<Guid, DateTimeOffset> _asked = [];

    /// <summary>The reviews due by <paramref name="now"/> and not recorded yet.</summary>
    protected abstract IReadOnlyList<TReview> Due(DateTimeOffset now);

    /// <summary>Asks for <paramref name="review"/> to be recorded.</summary>
    protected abstract Task AskAsync(TReview review, CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await log.WaitUntilRebuiltAsync(stoppingToken);
        using var timer = new PeriodicTimer(interval, clock);
        do
        {
            try
            {
                await TickAsync(stoppingToken);
            }
            catch (Exception error) when (!stoppingToken.IsCancellationRequested)
            {
                LogTickFailed(logger, error.GetType().Name);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task TickAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var due = Due(now).Where(r => !_asked.TryGetValue(r.EventId, out var at) || now - at >= resend).ToList();
        await Task.WhenAll(due.Select(review => AskAsync(review, cancellationToken)));
        foreach (var review in due)
        {
            _asked[review.EventId] = now;
            LogAsked(logger, review.GetType().Name, review.EventId, review.PatientId, review.ObservedAt);
        }

        foreach (var old in _asked.Where(a => now - a.Value > resend * 10).Select(a => a.Key).ToList())
        {
            _asked.Remove(old);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{ReviewType} {EventId} of {PatientId} (due {DueAt}) asked for")]
    private static partial void LogAsked(ILogger logger, string reviewType, Guid eventId, string patientId, DateTimeOffset dueAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Clock tick failed ({ErrorType}); asking again at the next tick")]
    private static partial void LogTickFailed(ILogger logger, string errorType);
}

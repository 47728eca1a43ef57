using MassTransit;
using Toxicity.Hosting;
using Toxicity.Mitigation.Service.Clock;

namespace Toxicity.Mitigation.Service.Consumers;

/// <summary>
/// Records a dose review the clock asked for, once: the queue has a single active consumer (one instance at a time), the
/// log is read up to now first (so a review another instance, or a killed one, recorded is seen), and the review is
/// recorded only if it is still the patient's due one and not in the log. Its advice is decided when the fold reads it
/// back and published by <see cref="AdviceConsumer"/>, which receives the review like any other cause.
/// </summary>
internal sealed partial class DoseReviewConsumer(
    MitigationBook book,
    EffectLedger ledger,
    EventLogFollower log,
    TimeProvider clock,
    ILogger<DoseReviewConsumer> logger) : IConsumer<ReviewDose>
{
    /// <summary>The review queue's name (single active consumer) for the service <paramref name="serviceName"/>.</summary>
    public static string Queue(string serviceName) => $"{serviceName.ToLowerInvariant()}-dose-review";

    public async Task Consume(ConsumeContext<ReviewDose> context)
    {
        var request = context.Message;
        await log.SyncAsync(context.CancellationToken);
        if (book.OwedReview(request.PatientId, request.ReviewId, clock.GetUtcNow()) is { } review)
        {
            await context.Publish(review, context.CancellationToken);
            ledger.Published(review);
            LogRecorded(logger, review.PatientId, review.EventId, review.Kind, review.ObservedAt);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Dose review {EventId} of {PatientId} ({ReviewKind}, due {DueAt}) recorded")]
    private static partial void LogRecorded(ILogger logger, string patientId, Guid eventId, string reviewKind, DateTimeOffset dueAt);
}

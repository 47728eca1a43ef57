using MassTransit;
using Toxicity.Contracts.V1;
using Toxicity.Grading.Service.Clock;
using Toxicity.Hosting;

namespace Toxicity.Grading.Service.Consumers;

/// <summary>
/// Publishes what an observation (or a clock review) caused. The decision was made when the event log was folded
/// (<see cref="GradeBook"/>); this instance owns the patient's partition (single active consumer), so it is the one
/// that publishes, once the broker confirms, before the message is acknowledged.
/// </summary>
internal sealed partial class ObservationConsumer(
    EffectLedger ledger,
    EventLogFollower log,
    GradeBook book,
    TimeProvider clock,
    ILogger<ObservationConsumer> logger) :
    IConsumer<PatientAdmitted>,
    IConsumer<PatientDetailsUpdated>,
    IConsumer<VitalSignsRecorded>,
    IConsumer<NeuroAssessmentRecorded>,
    IConsumer<TreatmentAdministered>,
    IConsumer<DoseReviewed>,
    IConsumer<ReviewPatient>
{
    public Task Consume(ConsumeContext<PatientAdmitted> context) => OwedEffects.PublishAsync(context, context.Message, ledger, log, logger);

    public Task Consume(ConsumeContext<PatientDetailsUpdated> context) => OwedEffects.PublishAsync(context, context.Message, ledger, log, logger);

    public Task Consume(ConsumeContext<VitalSignsRecorded> context) => OwedEffects.PublishAsync(context, context.Message, ledger, log, logger);

    public Task Consume(ConsumeContext<NeuroAssessmentRecorded> context) => OwedEffects.PublishAsync(context, context.Message, ledger, log, logger);

    public Task Consume(ConsumeContext<TreatmentAdministered> context) => OwedEffects.PublishAsync(context, context.Message, ledger, log, logger);

    /// <summary>A planned dose due with no dose record may open a risk window that changes the grade (C2-RW-1).</summary>
    public Task Consume(ConsumeContext<DoseReviewed> context) => OwedEffects.PublishAsync(context, context.Message, ledger, log, logger);

    /// <summary>
    /// C2-CLK-1: records the review if it is still the patient's next one and not in the log (a redelivery first reads
    /// the log up to now, so a review a dead instance recorded is not recorded again), then publishes what it decided.
    /// </summary>
    public async Task Consume(ConsumeContext<ReviewPatient> context)
    {
        var request = context.Message;
        if (context.ReceiveContext.Redelivered)
        {
            await log.SyncAsync(context.CancellationToken);
        }

        var now = clock.GetUtcNow();
        if (book.OwedReview(request.PatientId, request.ReviewId, now) is { } review)
        {
            await context.Publish(review, context.CancellationToken);
            ledger.Published(review);
            LogReviewed(logger, review.PatientId, review.EventId, review.Kind, review.ObservedAt);
        }

        if (ledger.IsPublished(request.ReviewId))
        {
            // Only the id and the patient identify the cause whose effects are claimed.
            var cause = new GradingReviewed(request.ReviewId, request.PatientId, now, now, string.Empty, string.Empty);
            await OwedEffects.PublishAsync(context, cause, ledger, log, logger);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Review {EventId} of {PatientId} ({ReviewKind}, due {DueAt}) recorded")]
    private static partial void LogReviewed(ILogger logger, string patientId, Guid eventId, string reviewKind, DateTimeOffset dueAt);
}

using MassTransit;
using Toxicity.Contracts;
using Toxicity.Contracts.V1;
using Toxicity.Hosting;

namespace Toxicity.Grading.Service.Consumers;

/// <summary>
/// Publishes the grade changes an observation caused. The decision was made when the event log was folded
/// (<see cref="GradeBook"/>); this instance owns the patient's partition (single active consumer), so it is the one
/// that publishes, once the broker confirms, before the message is acknowledged. A redelivered message may already
/// have been published by an instance that died before its ack: the log is read up to now first, so it is not
/// published again.
/// </summary>
internal sealed class ObservationConsumer(GradeBook book, EventLogFollower log, ILogger<ObservationConsumer> logger) :
    IConsumer<PatientAdmitted>,
    IConsumer<PatientDetailsUpdated>,
    IConsumer<VitalSignsRecorded>,
    IConsumer<NeuroAssessmentRecorded>,
    IConsumer<TreatmentAdministered>
{
    // LoggerMessage.Define with event id 0: the generator's non-zero EventId would replace our EventId property.
    private static readonly Action<ILogger, string, string, Guid, Guid, Exception?> LogChanged = LoggerMessage.Define<string, string, Guid, Guid>(
        LogLevel.Information, default, "{EventType} published for {PatientId} ({EventId}), on receiving {ObservationEventId}");

    public Task Consume(ConsumeContext<PatientAdmitted> context) => PublishOwedAsync(context, context.Message);

    public Task Consume(ConsumeContext<PatientDetailsUpdated> context) => PublishOwedAsync(context, context.Message);

    public Task Consume(ConsumeContext<VitalSignsRecorded> context) => PublishOwedAsync(context, context.Message);

    public Task Consume(ConsumeContext<NeuroAssessmentRecorded> context) => PublishOwedAsync(context, context.Message);

    public Task Consume(ConsumeContext<TreatmentAdministered> context) => PublishOwedAsync(context, context.Message);

    private async Task PublishOwedAsync(ConsumeContext context, IPatientEvent observation)
    {
        if (context.ReceiveContext.Redelivered)
        {
            await log.SyncAsync(context.CancellationToken);
        }

        var owed = await book.ClaimOwedAsync(observation, context.CancellationToken);
        try
        {
            // In the order decided: the changes of one observation (a CRS and an ICANS change at most) together, the
            // next observation's after them, so that the log and every consumer see a patient's changes in order.
            foreach (var decided in owed.GroupBy(o => o.Sequence))
            {
                await Task.WhenAll(decided.Select(o => context.Publish(o.Change, o.Change.GetType(), context.CancellationToken)));
                foreach (var published in decided)
                {
                    book.Published(published.Change);
                    LogChanged(logger, published.Change.GetType().Name, observation.PatientId, published.Change.EventId, observation.EventId, null);
                }
            }
        }
        catch
        {
            book.Unclaim(owed);
            throw;
        }
    }
}

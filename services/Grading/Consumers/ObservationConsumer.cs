using MassTransit;
using Toxicity.Contracts.V1;
using Toxicity.Hosting;

namespace Toxicity.Grading.Service.Consumers;

/// <summary>
/// Publishes the grade changes an observation caused. The decision was made when the event log was folded
/// (<see cref="GradeBook"/>); this instance owns the patient's partition (single active consumer), so it is the one
/// that publishes, once the broker confirms, before the message is acknowledged.
/// </summary>
internal sealed class ObservationConsumer(EffectLedger ledger, EventLogFollower log, ILogger<ObservationConsumer> logger) :
    IConsumer<PatientAdmitted>,
    IConsumer<PatientDetailsUpdated>,
    IConsumer<VitalSignsRecorded>,
    IConsumer<NeuroAssessmentRecorded>,
    IConsumer<TreatmentAdministered>
{
    public Task Consume(ConsumeContext<PatientAdmitted> context) => OwedEffects.PublishAsync(context, context.Message, ledger, log, logger);

    public Task Consume(ConsumeContext<PatientDetailsUpdated> context) => OwedEffects.PublishAsync(context, context.Message, ledger, log, logger);

    public Task Consume(ConsumeContext<VitalSignsRecorded> context) => OwedEffects.PublishAsync(context, context.Message, ledger, log, logger);

    public Task Consume(ConsumeContext<NeuroAssessmentRecorded> context) => OwedEffects.PublishAsync(context, context.Message, ledger, log, logger);

    public Task Consume(ConsumeContext<TreatmentAdministered> context) => OwedEffects.PublishAsync(context, context.Message, ledger, log, logger);
}

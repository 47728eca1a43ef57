using MassTransit;
using Toxicity.Contracts.V1;
using Toxicity.Hosting;

namespace Toxicity.Mitigation.Service.Consumers;

/// <summary>
/// Publishes the advice a grade change (ASTCT or CTCAE), a treatment record or a dose review called for. The advice was decided when the event log
/// was folded (<see cref="MitigationBook"/>); it is published once, before the message is acknowledged.
/// </summary>
internal sealed class AdviceConsumer(EffectLedger ledger, EventLogFollower log, ILogger<AdviceConsumer> logger) :
    IConsumer<CrsGradeChanged>,
    IConsumer<IcansGradeChanged>,
    IConsumer<CtcaeCrsGradeChanged>,
    IConsumer<TreatmentAdministered>,
    IConsumer<DoseReviewed>
{
    public Task Consume(ConsumeContext<CrsGradeChanged> context) => OwedEffects.PublishAsync(context, context.Message, ledger, log, logger);

    public Task Consume(ConsumeContext<IcansGradeChanged> context) => OwedEffects.PublishAsync(context, context.Message, ledger, log, logger);

    public Task Consume(ConsumeContext<CtcaeCrsGradeChanged> context) => OwedEffects.PublishAsync(context, context.Message, ledger, log, logger);

    public Task Consume(ConsumeContext<TreatmentAdministered> context) => OwedEffects.PublishAsync(context, context.Message, ledger, log, logger);

    public Task Consume(ConsumeContext<DoseReviewed> context) => OwedEffects.PublishAsync(context, context.Message, ledger, log, logger);
}

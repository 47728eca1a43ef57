using MassTransit;
using Toxicity.Contracts.V1;
using Toxicity.Hosting;

namespace Toxicity.Alerting.Service.Consumers;

/// <summary>
/// Publishes the alert a grade change raised. The decision was made when the event log was folded
/// (<see cref="AlertBook"/>); it is published once, before the message is acknowledged.
/// </summary>
internal sealed class GradeChangedConsumer(EffectLedger ledger, EventLogFollower log, ILogger<GradeChangedConsumer> logger) :
    IConsumer<CrsGradeChanged>,
    IConsumer<IcansGradeChanged>
{
    public Task Consume(ConsumeContext<CrsGradeChanged> context) => OwedEffects.PublishAsync(context, context.Message, ledger, log, logger);

    public Task Consume(ConsumeContext<IcansGradeChanged> context) => OwedEffects.PublishAsync(context, context.Message, ledger, log, logger);
}

using MassTransit;
using Toxicity.Contracts.V1;
using Toxicity.Hosting;

namespace Toxicity.Mitigation.Service.Consumers;

internal sealed partial class CrsGradeChangedConsumer(
    ProcessedEvents processed,
    TimeProvider clock,
    ILogger<CrsGradeChangedConsumer> logger) : IConsumer<CrsGradeChanged>
{
    public async Task Consume(ConsumeContext<CrsGradeChanged> context)
    {
        var changed = context.Message;
        await processed.RunOnceAsync(changed.EventId, async () =>
        {
            var (previous, next) = changed.ToDomain();
            var advice = GeneralCrsAdvice.OnGradeChanged(previous, next);
            if (advice.Count == 0)
            {
                return;
            }

            var advised = advice.ToContract(causedBy: changed, clock.GetUtcNow());
            await context.Publish(advised, context.CancellationToken);
            LogAdvised(logger, changed.PatientId, advised.EventId, changed.EventId, advised.Items.Count);
        });
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Advised {ItemCount} items for {PatientId} ({EventId}, caused by {CausedByEventId})")]
    private static partial void LogAdvised(ILogger logger, string patientId, Guid eventId, Guid causedByEventId, int itemCount);
}

using MassTransit;
using Toxicity.Contracts.V1;

namespace Toxicity.Mitigation.Service.Consumers;

/// <summary>Advises on a rising CRS grade; runs once per grade change (Hosting's filter).</summary>
internal sealed class CrsGradeChangedConsumer(
    TimeProvider clock,
    ILogger<CrsGradeChangedConsumer> logger) : IConsumer<CrsGradeChanged>
{
    // LoggerMessage.Define with event id 0: the generator's non-zero EventId would replace our EventId property.
    private static readonly Action<ILogger, int, string, Guid, Guid, Exception?> LogAdvised = LoggerMessage.Define<int, string, Guid, Guid>(
        LogLevel.Information, default, "Advised {ItemCount} items for {PatientId} ({EventId}, caused by {CausedByEventId})");

    public async Task Consume(ConsumeContext<CrsGradeChanged> context)
    {
        var changed = context.Message;
        var (previous, next) = changed.ToDomain();
        var advice = GeneralCrsAdvice.OnGradeChanged(previous, next);
        if (advice.Count == 0)
        {
            return;
        }

        var advised = advice.ToContract(causedBy: changed, clock.GetUtcNow());
        await context.Publish(advised, context.CancellationToken);
        LogAdvised(logger, advised.Items.Count, changed.PatientId, advised.EventId, changed.EventId, null);
    }
}

using MassTransit;
using Toxicity.Contracts.V1;
using Toxicity.Hosting;

namespace Toxicity.Grading.Service.Consumers;

internal sealed partial class VitalSignsRecordedConsumer(
    CrsGrades grades,
    ProcessedEvents processed,
    TimeProvider clock,
    ILogger<VitalSignsRecordedConsumer> logger) : IConsumer<VitalSignsRecorded>
{
    public async Task Consume(ConsumeContext<VitalSignsRecorded> context)
    {
        var recorded = context.Message;
        await processed.RunOnceAsync(recorded.EventId, async () =>
        {
            if (FeverOnlyCrsRule.Apply(grades.Current(recorded.PatientId), recorded.TemperatureC) is not { } change)
            {
                return;
            }

            // Published first, remembered after the confirm: a crash in between republishes the same
            // (deterministic) event id on redelivery instead of losing the change.
            var changed = change.ToContract(causedBy: recorded, clock.GetUtcNow());
            await context.Publish(changed, context.CancellationToken);
            grades.Published(recorded.PatientId, change.Next);
            LogChanged(logger, recorded.PatientId, changed.EventId, recorded.EventId, changed.PreviousGrade, changed.NewGrade);
        });
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "CRS grade of {PatientId} changed from {PreviousGrade} to {NewGrade} ({EventId}, caused by {CausedByEventId})")]
    private static partial void LogChanged(ILogger logger, string patientId, Guid eventId, Guid causedByEventId, int previousGrade, int newGrade);
}

/// <summary>One patient's observations are graded one at a time, in arrival order, so a grade change is decided once.</summary>
internal sealed class VitalSignsRecordedConsumerDefinition : ConsumerDefinition<VitalSignsRecordedConsumer>
{
    private const int Partitions = 16;

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<VitalSignsRecordedConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        consumerConfigurator.Message<VitalSignsRecorded>(m =>
            m.UsePartitioner(Partitions, message => message.Message.PatientId));
    }
}

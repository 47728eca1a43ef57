using MassTransit;
using Toxicity.Contracts.V1;

namespace Toxicity.Grading.Service.Consumers;

/// <summary>Grades each observation; runs once per event id (Hosting's filter) and one patient at a time (the definition).</summary>
internal sealed class VitalSignsRecordedConsumer(
    CrsGrades grades,
    TimeProvider clock,
    ILogger<VitalSignsRecordedConsumer> logger) : IConsumer<VitalSignsRecorded>
{
    // LoggerMessage.Define with event id 0: the generator's non-zero EventId would replace our EventId property.
    private static readonly Action<ILogger, string, int, int, Guid, Guid, Exception?> LogChanged = LoggerMessage.Define<string, int, int, Guid, Guid>(
        LogLevel.Information, default, "CRS grade of {PatientId} changed from {PreviousGrade} to {NewGrade} ({EventId}, caused by {CausedByEventId})");

    public async Task Consume(ConsumeContext<VitalSignsRecorded> context)
    {
        var recorded = context.Message;
        if (FeverOnlyCrsRule.Apply(grades.Current(recorded.PatientId), recorded.TemperatureC) is not { } change)
        {
            return;
        }

        // Published first, remembered after the confirm: a crash in between republishes the same
        // (deterministic) event id on redelivery instead of losing the change.
        var changed = change.ToContract(causedBy: recorded, clock.GetUtcNow());
        await context.Publish(changed, context.CancellationToken);
        grades.Published(recorded.PatientId, change.Next);
        LogChanged(logger, recorded.PatientId, changed.PreviousGrade, changed.NewGrade, changed.EventId, recorded.EventId, null);
    }
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

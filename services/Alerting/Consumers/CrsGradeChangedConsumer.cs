using MassTransit;
using Toxicity.Contracts.V1;
using Toxicity.Hosting;

namespace Toxicity.Alerting.Service.Consumers;

internal sealed partial class CrsGradeChangedConsumer(
    AlertFeed feed,
    ProcessedEvents processed,
    TimeProvider clock,
    ILogger<CrsGradeChangedConsumer> logger) : IConsumer<CrsGradeChanged>
{
    public async Task Consume(ConsumeContext<CrsGradeChanged> context)
    {
        var changed = context.Message;
        await processed.RunOnceAsync(changed.EventId, async () =>
        {
            var raised = changed.ToAlertRaised(clock.GetUtcNow());
            // Recorded in the event log (confirmed) before any screen shows it.
            await context.Publish(raised, context.CancellationToken);
            feed.Append(AlertFeedEvents.Alert, raised.PatientId, raised.ToAlert(changed));
            LogRaised(logger, raised.PatientId, raised.EventId, changed.EventId, raised.Severity);
        });
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Alert {EventId} ({Severity}) raised for {PatientId}, caused by {CausedByEventId}")]
    private static partial void LogRaised(ILogger logger, string patientId, Guid eventId, Guid causedByEventId, string severity);
}

using MassTransit;
using Toxicity.Contracts.V1;

namespace Toxicity.Alerting.Service.Consumers;

/// <summary>Raises an alert for a grade change; runs once per grade change (Hosting's filter).</summary>
internal sealed class CrsGradeChangedConsumer(
    AlertFeed feed,
    TimeProvider clock,
    ILogger<CrsGradeChangedConsumer> logger) : IConsumer<CrsGradeChanged>
{
    // LoggerMessage.Define with event id 0: the generator's non-zero EventId would replace our EventId property.
    private static readonly Action<ILogger, Guid, string, string, Guid, Exception?> LogRaised = LoggerMessage.Define<Guid, string, string, Guid>(
        LogLevel.Information, default, "Alert {EventId} ({Severity}) raised for {PatientId}, caused by {CausedByEventId}");

    public async Task Consume(ConsumeContext<CrsGradeChanged> context)
    {
        var changed = context.Message;
        var raised = changed.ToAlertRaised(clock.GetUtcNow());
        // Screens first: a clinician must not wait for the audit record. The feed keeps one entry per alert
        // id, so a retry after a failed publish shows nothing twice.
        feed.Append(raised.EventId, AlertFeedEvents.Alert, raised.PatientId, raised.ToAlert(changed));
        await context.Publish(raised, context.CancellationToken);
        LogRaised(logger, raised.EventId, raised.Severity, raised.PatientId, changed.EventId, null);
    }
}

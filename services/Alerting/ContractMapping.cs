using Toxicity.Contracts;
using Toxicity.Contracts.V1;
using Toxicity.Hosting;

namespace Toxicity.Alerting.Service;

/// <summary>The only place where contract and service types meet in this service.</summary>
internal static class ContractMapping
{
    public const string AlertRaisedEffect = "alert-raised";
    public const string AlertAcknowledgedEffect = "alert-acknowledged";
    public const string AlertEscalatedEffect = "alert-escalated";

    public static AlertRaised ToAlertRaised(this IPatientEvent change, AlertScale scale, int previous, int next, AlertDecision decision, string? ward, DateTimeOffset now)
    {
        var name = scale == AlertScale.Crs ? "CRS" : "ICANS";
        var direction = next > previous ? "rose" : "fell";
        return new AlertRaised(
            EventId: EventIds.Derive(change.EventId, AlertRaisedEffect),
            PatientId: change.PatientId,
            ObservedAt: change.ObservedAt,
            RecordedAt: now,
            CausedByEventId: change.EventId,
            Scale: scale == AlertScale.Crs ? "crs" : "icans",
            PreviousGrade: previous,
            NewGrade: next,
            Severity: decision.Severity.ToString().ToLowerInvariant(),
            Summary: $"{name} grade {direction} from {previous} to {next} for patient {change.PatientId}",
            Kind: decision.IsNotice ? "notice" : "alert",
            Tier: decision.Tier,
            Ward: ward);
    }

    public static Alert ToAlert(this AlertRaised raised, IReadOnlyList<string> criteria, string ruleSet) => new(
        AlertId: raised.EventId,
        PatientId: raised.PatientId,
        Ward: raised.Ward,
        Scale: raised.Scale,
        PreviousGrade: raised.PreviousGrade,
        NewGrade: raised.NewGrade,
        Kind: raised.Kind ?? "alert",
        Severity: raised.Severity,
        Tier: raised.Tier,
        Summary: raised.Summary,
        Criteria: criteria,
        RuleSet: ruleSet,
        ObservedAt: raised.ObservedAt,
        RaisedAt: raised.RecordedAt,
        CausedByEventId: raised.CausedByEventId);

    public static AdviceNotice ToNotice(this MitigationAdvised advised) => new(
        AdviceId: advised.EventId,
        PatientId: advised.PatientId,
        CausedByEventId: advised.CausedByEventId,
        Items: [.. advised.Items.Select(i => new AdviceNoticeItem(i.Code, i.Text, i.Source))]);
}

using Toxicity.Contracts.V1;
using Toxicity.Hosting;

namespace Toxicity.Alerting.Service;

/// <summary>The only place where contract and service types meet in this service.</summary>
internal static class ContractMapping
{
    public const string AlertRaisedEffect = "alert-raised";
    public const string CrsScale = "crs";

    public static AlertRaised ToAlertRaised(this CrsGradeChanged changed, DateTimeOffset now)
    {
        var severity = AlertSeverity.ForCrsChange(changed.PreviousGrade, changed.NewGrade);
        var direction = changed.NewGrade > changed.PreviousGrade ? "rose" : "fell";
        return new AlertRaised(
            EventId: EventIds.Derive(changed.EventId, AlertRaisedEffect),
            PatientId: changed.PatientId,
            ObservedAt: changed.ObservedAt,
            RecordedAt: now,
            CausedByEventId: changed.EventId,
            Scale: CrsScale,
            PreviousGrade: changed.PreviousGrade,
            NewGrade: changed.NewGrade,
            Severity: severity,
            Summary: $"CRS grade {direction} from {changed.PreviousGrade} to {changed.NewGrade} for patient {changed.PatientId}");
    }

    public static Alert ToAlert(this AlertRaised raised, CrsGradeChanged changed) => new(
        AlertId: raised.EventId,
        PatientId: raised.PatientId,
        Scale: raised.Scale,
        PreviousGrade: raised.PreviousGrade,
        NewGrade: raised.NewGrade,
        Severity: raised.Severity,
        Summary: raised.Summary,
        Criteria: changed.Criteria,
        RuleSet: changed.RuleSet,
        ObservedAt: raised.ObservedAt,
        RaisedAt: raised.RecordedAt,
        CausedByEventId: raised.CausedByEventId);

    public static AdviceNotice ToNotice(this MitigationAdvised advised) => new(
        AdviceId: advised.EventId,
        PatientId: advised.PatientId,
        CausedByEventId: advised.CausedByEventId,
        Items: [.. advised.Items.Select(i => new AdviceNoticeItem(i.Code, i.Text, i.Source))]);
}

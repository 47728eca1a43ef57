using Toxicity.Contracts;
using Toxicity.Contracts.V1;
using Toxicity.Hosting;

namespace Toxicity.Alerting.Service;

/// <summary>The only place where contract and service types meet in this service.</summary>
internal static class ContractMapping
{
    public const string AlertRaisedEffect = "alert-raised";
    public const string AlertAcknowledgedEffect = "alert-acknowledged";
    public const string AlertRespondedEffect = "alert-responded";
    public const string AlertEscalatedEffect = "alert-escalated";

    public static AlertRaised ToAlertRaised(this IPatientEvent change, GradeChange grade, AlertDecision decision, string? ward, DateTimeOffset now) => new(
        EventId: EventIds.Derive(change.EventId, AlertRaisedEffect),
        PatientId: change.PatientId,
        ObservedAt: change.ObservedAt,
        RecordedAt: now,
        CausedByEventId: change.EventId,
        Scale: grade.Scale == AlertScale.Crs ? "crs" : "icans",
        PreviousGrade: grade.Previous,
        NewGrade: grade.Next,
        Severity: decision.Severity.ToString().ToLowerInvariant(),
        Summary: AlertWording.Summary(grade.Scale, grade.Previous, grade.Next, grade.LowerBound, grade.Provisional, grade.Criteria, change.PatientId),
        Kind: decision.IsNotice ? "notice" : "alert",
        Tier: decision.Tier,
        Ward: ward,
        LowerBound: grade.LowerBound,
        Provisional: grade.Provisional);

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
        CausedByEventId: raised.CausedByEventId,
        LowerBound: raised.LowerBound ?? false,
        Provisional: raised.Provisional ?? false);

    /// <summary>An overdue-observation notice as screens and webhooks show it, with the tier it is for.</summary>
    public static OverdueNotice ToNotice(this ObservationOverdue overdue, string? ward, string? tier) => new(
        NoticeId: overdue.EventId,
        PatientId: overdue.PatientId,
        Ward: ward,
        Reading: overdue.Reading,
        Status: overdue.Status,
        Since: overdue.Since,
        Reason: overdue.Reason,
        LastObservedAt: overdue.LastObservedAt,
        Tier: tier,
        Summary: AlertWording.Overdue(overdue.Reading, overdue.Status, overdue.PatientId),
        ObservedAt: overdue.ObservedAt);

    public static AdviceNotice ToNotice(this MitigationAdvised advised) => new(
        AdviceId: advised.EventId,
        PatientId: advised.PatientId,
        CausedByEventId: advised.CausedByEventId,
        Items: [.. advised.Items.Select(i => new AdviceNoticeItem(i.Code, i.Text, i.Source))]);

    public static ChartVitals ToChart(this VitalSignsRecorded v) => new(v.EventId, v.ObservedAt, v.TemperatureC, v.SystolicMmHg, v.DiastolicMmHg,
        v.MeanArterialMmHg, v.SpO2Percent, v.OxygenDevice, v.OxygenFlowLPerMin, v.Fio2Percent, [.. (v.Vasopressors ?? []).Select(p => p.Drug)], v.Hypotensive);

    public static ChartNeuro ToChart(this NeuroAssessmentRecorded n) => new(n.EventId, n.ObservedAt, n.IceScore, n.CapdScore, n.Consciousness, n.Sedated);

    public static ChartTreatment ToChart(this TreatmentAdministered t) => new(t.EventId, t.ObservedAt, t.Kind, t.Drug, t.Dose, t.DoseUnit);

    public static ChartAdvice ToChart(this MitigationAdvised a) => new(a.EventId, a.ObservedAt, [.. a.Items.Select(i => new ChartAdviceItem(i.Code, i.Text, i.Source))]);

    public static ChartGrade ToChart(this CrsGradeChanged c) =>
        new(c.EventId, c.ObservedAt, c.NewGrade, c.LowerBound ?? false, c.Provisional ?? false, c.Stale ?? false, c.Criteria);

    public static ChartGrade ToChart(this IcansGradeChanged i) =>
        new(i.EventId, i.ObservedAt, i.NewGrade, i.LowerBound ?? false, i.Provisional ?? false, i.Stale ?? false, i.Criteria);
}

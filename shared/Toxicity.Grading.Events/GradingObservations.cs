using System.Text.Json;
using Toxicity.Contracts;
using Toxicity.Contracts.V1;
using Toxicity.Grading.Timeline;

namespace Toxicity.Grading.Events;

/// <summary>
/// The recorded events the grading timelines read, and how each becomes an observation under each rule set. Codes were
/// validated by Ingestion; a code this version does not know (a newer producer) is read as "not reported", never as normal.
/// </summary>
public static class GradingObservations
{
    /// <summary>The ward events Grading folds into a patient's timeline (and routes through its partitions).</summary>
    public static IReadOnlyList<Type> EventTypes { get; } =
        [typeof(PatientAdmitted), typeof(PatientDetailsUpdated), typeof(VitalSignsRecorded), typeof(NeuroAssessmentRecorded), typeof(TreatmentAdministered),
            typeof(DoseReviewed)];

    /// <summary>The observation an event is under the frozen rule set <c>astct-2019/1</c>, or null (reviews included: /1 has no clock).</summary>
    public static Observation? FromV1(IPatientEvent e) => e switch
    {
        VitalSignsRecorded v => Vitals(v, v.Vasopressors is { } running ? new VasopressorsRunning(running.Count, running.Any(p => p.IsVasopressin)) : null),
        NeuroAssessmentRecorded n => Neuro(n, Code<Consciousness>(n.Consciousness), sedated: null),
        TreatmentAdministered t when Code<TreatmentKind>(t.Kind) is { } kind => new TreatmentObservation(t.EventId, t.ObservedAt, kind),
        PatientAdmitted a => new PatientDetailsObservation(a.EventId, a.ObservedAt, a.AgeYears, a.DiedAt is not null),
        PatientDetailsUpdated d => new PatientDetailsObservation(d.EventId, d.ObservedAt, d.AgeYears, d.DiedAt is not null),
        _ => null,
    };

    /// <summary>
    /// The observation an event is under rule set <c>astct-2019/2</c> (CLINICAL-RULES.md §8), or null. Vasopressors
    /// count as distinct drugs (C2-VP-1); a treatment keeps its drug and amount (masking and risk windows, §8.3); a
    /// clock review is a point of its own (C2-CLK-1). <paramref name="recordedUnderV1"/>: the event was recorded before
    /// the cut-over (<see cref="RuleSetAdopted"/>, §8.5), when <c>awakensSpontaneously</c> was also the value for an
    /// alert patient, so it reads as <c>alert</c>.
    /// </summary>
    public static Observation? FromV2(IPatientEvent e, bool recordedUnderV1) => e switch
    {
        VitalSignsRecorded v => Vitals(v, v.Vasopressors is { } running
            ? new VasopressorsRunning(running.Select(p => p.Drug).Distinct(StringComparer.OrdinalIgnoreCase).Count(), running.Any(p => p.IsVasopressin))
            : null),
        NeuroAssessmentRecorded n => Neuro(n, Code<Consciousness>(n.Consciousness) is Consciousness.AwakensSpontaneously && recordedUnderV1
            ? Consciousness.Alert : Code<Consciousness>(n.Consciousness), n.Sedated),
        TreatmentAdministered t when Code<TreatmentKind>(t.Kind) is { } kind => new TreatmentObservation(t.EventId, t.ObservedAt, kind, t.Drug, t.Dose, t.DoseUnit),
        PatientAdmitted a => new PatientDetailsObservation(a.EventId, a.ObservedAt, a.AgeYears, a.DiedAt is not null, a.DevelopmentalDelay ?? false, a.BaselineCapd),
        PatientDetailsUpdated d => new PatientDetailsObservation(d.EventId, d.ObservedAt, d.AgeYears, d.DiedAt is not null, d.DevelopmentalDelay ?? false, d.BaselineCapd),
        GradingReviewed r => new ReviewObservation(r.EventId, r.ObservedAt, r.Kind),
        DoseReviewed { Kind: DoseReviewKinds.Due } d => new PlannedDoseObservation(d.EventId, d.ObservedAt, d.StepUpOrFirstFull),
        _ => null,
    };

    private static VitalsObservation Vitals(VitalSignsRecorded v, VasopressorsRunning? vasopressors) =>
        new(v.EventId, v.ObservedAt, v.TemperatureC, Code<OxygenSupport>(v.OxygenDevice), v.OxygenFlowLPerMin, v.Fio2Percent, v.Hypotensive, vasopressors);

    private static NeuroObservation Neuro(NeuroAssessmentRecorded n, Consciousness? consciousness, bool? sedated) => new(
        n.EventId, n.ObservedAt, n.IceScore, n.CapdScore, consciousness, Code<Seizure>(n.Seizure), Code<MotorFinding>(n.Motor), Code<CerebralEdema>(n.CerebralEdema), sedated);

    private static TEnum? Code<TEnum>(string? code)
        where TEnum : struct, Enum =>
        code is not null && Enum.TryParse<TEnum>(code, ignoreCase: true, out var value)
            && JsonNamingPolicy.CamelCase.ConvertName(value.ToString()) == code ? value : null;
}

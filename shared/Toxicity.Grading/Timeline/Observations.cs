using System.Text.Json.Serialization;

namespace Toxicity.Grading.Timeline;

/// <summary>
/// One fact on a patient's timeline: its unique id (the event's id, so a duplicate is recognised) and its clinical
/// time. Null fields mean "not reported in this observation": the value last reported stays (docs/grading-timeline.md T-2).
/// Saved with its kind (a service's snapshot of a timeline, issue 16).
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "$observation")]
[JsonDerivedType(typeof(VitalsObservation), "vitals")]
[JsonDerivedType(typeof(NeuroObservation), "neuro")]
[JsonDerivedType(typeof(TreatmentObservation), "treatment")]
[JsonDerivedType(typeof(PatientDetailsObservation), "details")]
[JsonDerivedType(typeof(ReviewObservation), "review")]
[JsonDerivedType(typeof(PlannedDoseObservation), "plannedDose")]
public abstract record Observation(Guid Id, DateTimeOffset At);

/// <summary>Vital signs as the grading reads them: temperature, oxygen support, bedside hypotension and the vasopressors running.</summary>
public sealed record VitalsObservation(
    Guid Id,
    DateTimeOffset At,
    double? TemperatureC = null,
    OxygenSupport? Oxygen = null,
    double? OxygenFlowLPerMin = null,
    double? Fio2Percent = null,
    bool? Hypotensive = null,
    VasopressorsRunning? Vasopressors = null) : Observation(Id, At);

/// <summary>
/// The vasopressor infusions running at an observation: how many, and whether one of them is vasopressin (C-CRS-4).
/// <see cref="Count"/> 0 means "none running" (reported as an empty list), which is not the same as not reported.
/// Rule set /1 counts the infusions listed; /2 counts distinct drugs (CLINICAL-RULES.md §8.1 C2-VP-1).
/// </summary>
public readonly record struct VasopressorsRunning(int Count, bool IncludesVasopressin);

/// <summary>A neurological assessment: the age-appropriate score and the other ICANS domains.</summary>
public sealed record NeuroObservation(
    Guid Id,
    DateTimeOffset At,
    int? IceScore = null,
    int? CapdScore = null,
    Consciousness? Consciousness = null,
    Seizure? Seizure = null,
    MotorFinding? Motor = null,
    CerebralEdema? CerebralEdema = null,
    bool? Sedated = null) : Observation(Id, At);

/// <summary>What a treatment record means for grading.</summary>
public enum TreatmentKind
{
    BispecificDose,
    Premedication,
    Tocilizumab,
    Corticosteroid,
    Antipyretic,
    InfusionInterrupted,
    InfusionRestarted,
}

/// <summary>
/// A treatment given (or an infusion interrupted or restarted) at <see cref="Observation.At"/>; the drug code and
/// amount are read by rule set /2 only (masking windows by drug class, risk windows by dose: CLINICAL-RULES.md §8.3).
/// </summary>
public sealed record TreatmentObservation(
    Guid Id,
    DateTimeOffset At,
    TreatmentKind Kind,
    string? Drug = null,
    double? Dose = null,
    string? DoseUnit = null) : Observation(Id, At);

/// <summary>
/// The patient's details as of <see cref="Observation.At"/>: age (picks ICE or CAPD) and death; baseline developmental
/// delay and baseline CAPD are read by rule set /2 only (CLINICAL-RULES.md §8.1 C2-DD-1).
/// </summary>
public sealed record PatientDetailsObservation(
    Guid Id,
    DateTimeOffset At,
    double AgeYears,
    bool Died,
    bool DevelopmentalDelay = false,
    int? BaselineCapd = null) : Observation(Id, At);

/// <summary>
/// A time-driven review (rule set /2, CLINICAL-RULES.md §8.4 C2-CLK-1): Grading's clock passed a time that the timeline
/// made due (a reading going stale, an episode's closure, an overdue notice's next tier), and recorded it, so that the
/// timeline is graded at that time exactly once and identically on every replay. <see cref="Kind"/> says why.
/// </summary>
public sealed record ReviewObservation(Guid Id, DateTimeOffset At, string Kind) : Observation(Id, At);

/// <summary>
/// A dose of the regimen calendar came due at <see cref="Observation.At"/> with no dose record yet (Mitigation's
/// <c>DoseReviewed</c>, kind <c>due</c>); <see cref="StepUpOrFirstFull"/> says whether it is a step-up or first full dose.
/// Rule set /2 only: it opens the post-dose risk window provisionally, until a dose record follows (CLINICAL-RULES.md
/// §8.3 C2-RW-1: "a missing dose record must never hide a grade").
/// </summary>
public sealed record PlannedDoseObservation(Guid Id, DateTimeOffset At, bool StepUpOrFirstFull) : Observation(Id, At);

using Toxicity.Grading;
using Toxicity.Grading.Timeline;
using Toxicity.Mitigation.Regimens;

namespace Toxicity.Mitigation;

/// <summary>
/// What advice needs to know about the patient: the regimen of their treatment plan (null when none is recorded),
/// weight (the blinatumomab rows differ at 45 kg), body surface area (BSA-based doses) and age.
/// </summary>
public sealed record PatientContext(Regimen? Regimen, double? WeightKg, double? BodySurfaceAreaM2, double? AgeYears);

/// <summary>
/// Decision support for the events a clinician must act on (CLINICAL-RULES.md §4 and §5): a rising grade, an infusion
/// interrupted or restarted, a dose given late. Label rules of the patient's drug come first and outrank the general
/// guidance that follows them (§4). Every item cites its source and is worded for a clinician to confirm. Pure.
/// </summary>
public static class MitigationAdvisor
{
    /// <summary>Advice when the ASTCT grade of <paramref name="scale"/> changed from <paramref name="previous"/> to <paramref name="next"/>; empty unless it rose.</summary>
    public static IReadOnlyList<Advice> OnGradeChanged(PatientContext patient, GradeScale scale, int previous, int next, IReadOnlyList<string> criteria)
    {
        ArgumentNullException.ThrowIfNull(patient);
        ArgumentNullException.ThrowIfNull(criteria);
        return scale == GradeScale.Crs ? GeneralCrsAdvice.OnGradeChanged((CrsGrade)previous, (CrsGrade)next) : [];
    }

    /// <summary>Advice when the patient's bispecific infusion was interrupted.</summary>
    public static IReadOnlyList<Advice> OnInfusionInterrupted(PatientContext patient)
    {
        ArgumentNullException.ThrowIfNull(patient);
        return [];
    }

    /// <summary>Advice when the infusion is restarted after an interruption of <paramref name="interruption"/>.</summary>
    public static IReadOnlyList<Advice> OnInfusionRestarted(PatientContext patient, TimeSpan interruption)
    {
        ArgumentNullException.ThrowIfNull(patient);
        _ = interruption;
        return [];
    }

    /// <summary>Advice when the next dose comes <paramref name="sinceLastDose"/> after the last one given, <paramref name="lastDoseLabel"/> (a dose label of the regimen).</summary>
    public static IReadOnlyList<Advice> OnDoseDelayed(PatientContext patient, string lastDoseLabel, TimeSpan sinceLastDose)
    {
        ArgumentNullException.ThrowIfNull(patient);
        _ = (lastDoseLabel, sinceLastDose);
        return [];
    }
}

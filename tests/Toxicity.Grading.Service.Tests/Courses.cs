using Toxicity.Contracts;
using Toxicity.Contracts.V1;

namespace Toxicity.Grading.Service.Tests;

/// <summary>
/// Realistic courses as the ward's events, and the grade changes each must give under the live rule set astct-2019/2
/// (docs/grading-timeline.md): every vital-signs set reports temperature, hypotension, vasopressors and oxygen, and
/// every neuro assessment the ICE and consciousness, so that no grade is a lower bound. Every call makes fresh event
/// ids; the clinical times start at <see cref="Start"/>.
/// </summary>
internal static class Courses
{
    public static readonly DateTimeOffset Start = new(2026, 11, 20, 8, 0, 0, TimeSpan.Zero);

    /// <summary>(scale, previous, new, index of the causing event in the course)</summary>
    public static readonly (string Scale, int Previous, int New, int Cause)[] CrsExpected =
        [("crs", 0, 1, 3), ("crs", 1, 2, 5), ("crs", 2, 3, 6), ("crs", 3, 1, 8), ("crs", 1, 0, 10)];

    public static readonly (string Scale, int Previous, int New, int Cause)[] IcansExpected =
        [("icans", 0, 2, 2), ("icans", 2, 3, 3), ("icans", 3, 0, 4)];

    /// <summary>Fever → antipyretic → hypotension on fluids → one vasopressor → tocilizumab → recovery → closed 72 h on.</summary>
    public static IPatientEvent[] Crs(string patient) =>
    [
        Admitted(patient),
        Treatment(patient, 1, "bispecificDose", "glofitamab"),
        Vitals(patient, 2, 37.0),
        Vitals(patient, 8, 38.9),
        Treatment(patient, 8.5, "antipyretic", "acetaminophen"),
        Vitals(patient, 10, 37.6) with { Hypotensive = true, FluidBolusGiven = true },
        Vitals(patient, 12, 37.5) with { Hypotensive = true, Vasopressors = [new VasopressorInfusion("norepinephrine", 0.05, "ug/kg/min", false)] },
        Treatment(patient, 12.5, "tocilizumab", "tocilizumab"),
        Vitals(patient, 30, 36.8),
        Vitals(patient, 60, 36.9),
        Vitals(patient, 102, 36.7),
    ];

    /// <summary>An ICE of 10, then 5, then 2, then 10 again, the patient alert throughout.</summary>
    public static IPatientEvent[] Ice(string patient) =>
    [
        Admitted(patient),
        Neuro(patient, 1, 10, "alert"),
        Neuro(patient, 5, 5, "alert"),
        Neuro(patient, 9, 2, "alert"),
        Neuro(patient, 30, 10, "alert"),
    ];

    /// <summary>
    /// Issue 14: dexamethasone premedication for an epcoritamab step-up dose, never febrile, hypotensive on
    /// norepinephrine 8 h later. Expected: CRS 0→3 once, provisional, caused by the norepinephrine vital signs (index 4).
    /// </summary>
    public static IPatientEvent[] PremedicatedStepUp(string patient) =>
    [
        Admitted(patient),
        Treatment(patient, 1, "premedication", "dexamethasone") with { Dose = 16, DoseUnit = "mg", Route = "IV" },
        Treatment(patient, 2, "bispecificDose", "epcoritamab") with { Dose = 0.16, DoseUnit = "mg", Route = "SC" },
        Vitals(patient, 2, 36.9),
        Vitals(patient, 10, 37.2) with { Hypotensive = true, Vasopressors = [new VasopressorInfusion("norepinephrine", 0.08, "ug/kg/min", false)] },
    ];

    /// <summary>Issue 14: an adult who only awakens to voice, no ICE charted. Expected: ICANS 0→2 as a lower bound.</summary>
    public static IPatientEvent[] AwakensToVoice(string patient) =>
    [
        Admitted(patient),
        new NeuroAssessmentRecorded(Guid.NewGuid(), patient, Start.AddHours(1), DateTimeOffset.UtcNow, null, null, "awakensToVoice", null, null, null),
    ];

    private static PatientAdmitted Admitted(string patient) =>
        new(Guid.NewGuid(), patient, Start, DateTimeOffset.UtcNow, 58, 72, 174, 1.87, "DLBCL", "haem-3", null);

    /// <summary>A complete set: not hypotensive, no vasopressor, no oxygen unless changed with <c>with</c>.</summary>
    private static VitalSignsRecorded Vitals(string patient, double hours, double? temperature) =>
        new(Guid.NewGuid(), patient, Start.AddHours(hours), DateTimeOffset.UtcNow, temperature, 90, 18, 120, 70, 97,
            OxygenDevice: "none", Hypotensive: false, Vasopressors: []);

    private static TreatmentAdministered Treatment(string patient, double hours, string kind, string drug) =>
        new(Guid.NewGuid(), patient, Start.AddHours(hours), DateTimeOffset.UtcNow, kind, drug, null, null, null);

    private static NeuroAssessmentRecorded Neuro(string patient, double hours, int ice, string? consciousness) =>
        new(Guid.NewGuid(), patient, Start.AddHours(hours), DateTimeOffset.UtcNow, ice, null, consciousness, null, null, null);
}

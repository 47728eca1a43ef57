namespace Toxicity.Mitigation.Regimens;

/// <summary>
/// Epcoritamab regimens of CLINICAL-RULES.md §5.4 (Epkinly US / Tepkinly EU; CD20×CD3; SC; 28-day cycles; until
/// progression or unacceptable toxicity). Every number is from §5.4; rows marked ❌ there are
/// <see cref="Regimen.NotEncoded"/> or <see cref="Premedication.NotEncoded"/> text.
/// </summary>
public static class Epcoritamab
{
    private const string Drug = "epcoritamab";
    private const string Schedule = "CLINICAL-RULES.md §5.4 (S-EPK-US)";
    private const string FullDoseLabel = "48 mg (full dose)";
    private const string RestartSource = "CLINICAL-RULES.md §5.4 restart table (drugs.com dosage monograph of the US PI)";
    // The DLBCL Cycle 1 schedule the restart repeats: 0.16 mg, 0.8 mg the following week, then two weekly doses of 48 mg.
    private static readonly string[] RepeatedCycle1 = ["0.16 mg (C1D1)", "0.8 mg (C1D8)", FullDoseLabel, FullDoseLabel];

    private const string RepeatCycle1 =
        "Repeat the Cycle 1 schedule from step-up dose 1: 0.16 mg, then 0.8 mg the following week, then two weekly doses "
        + "of 48 mg; then resume the planned schedule from Day 1 of the next cycle.";

    private static readonly Premedication Cycle1Premedication = new(
        "premedication (drugs per label)",
        null,
        null,
        "before the dose",
        "CLINICAL-RULES.md §5.4 premedication (S-EPK-US)",
        NotEncoded: "Premedicate before each dose in Cycle 1 (S-EPK-US). The premedication drugs, doses and the post-dose "
            + "corticosteroid days were not read (❌): consult the EPKINLY / Tepkinly label premedication section. Do not "
            + "use trial-protocol doses (CLINICAL-RULES.md §5.4, §7.1 item 4).");

    private static readonly Premedication AfterCrsPremedication = new(
        "premedication (drugs per label)",
        null,
        null,
        "before the dose",
        "CLINICAL-RULES.md §5.4 premedication beyond Cycle 1 (⚠️ read only in a drug-information database's summary of the US PI)",
        Condition: "grade 2 or 3 CRS with the previous dose; continue until a dose is tolerated without grade ≥ 2 CRS",
        NotEncoded: "The premedication drugs and doses were not read (❌): consult the EPKINLY / Tepkinly label "
            + "premedication section (CLINICAL-RULES.md §5.4, §7.1 item 4).");

    private static readonly Monitoring AfterGrade2Crs = new(
        "Give premedication before this dose, monitor more frequently and consider hospitalisation.",
        "CLINICAL-RULES.md §5.4 CRS table, grade 2 (S-EPK-HCP; Medscape monograph of the US PI)",
        "CRS grade 2 with the previous dose");

    private static readonly Monitoring DlbclHospitalise = new(
        "Hospitalise for 24 h after this dose (48 mg, C1D15).",
        "CLINICAL-RULES.md §5.4 hospitalisation (S-EPK-US; S-EPK-HCP)");

    private static readonly Monitoring DlbclAssessC1D22 = new(
        "Assess whether hospitalisation or outpatient monitoring is appropriate for this dose (C1D22).",
        "CLINICAL-RULES.md §5.4 hospitalisation (S-EPK-US; S-EPK-HCP)");

    // §5.13, audit R1: the EU SmPC (Tepkinly) asks for tocilizumab before Cycle 1.
    private static readonly Monitoring TocilizumabBeforeCycle1 = new(
        "At least 1 dose of tocilizumab for use in the event of CRS available before epcoritamab administration in Cycle 1.",
        "CLINICAL-RULES.md §5.13 (Tepkinly EU SmPC, rxreasoner.com/monographs/tepkinly/usage; audit R1)", Jurisdiction: Jurisdiction.Eu);

    // The post-dose corticosteroid days after Cycle 1 doses were not read (❌ §5.4): never a number.
    private static readonly Premedication PostDoseCorticosteroid = new(
        "post-medication: corticosteroid (days and dose per label)",
        null,
        null,
        "on the days after the dose (not read ❌)",
        "CLINICAL-RULES.md §5.4 premedication (the post-dose corticosteroid days were not read ❌)",
        NotEncoded: "A corticosteroid is given on days after each Cycle 1 dose; the days and dose were not read (❌): consult the "
            + "EPKINLY / Tepkinly label premedication section (CLINICAL-RULES.md §5.4, §7.1 item 4).",
        Jurisdiction: Jurisdiction.Us | Jurisdiction.Eu);

    private static readonly Monitoring FlNoHospitalisation = new(
        "Hospitalisation is not required (3L+ FL).",
        "CLINICAL-RULES.md §5.4 hospitalisation (S-EPK-HCP)");

    private static readonly TimeSpan EightDays = TimeSpan.FromDays(8);
    private static readonly TimeSpan FourteenDays = TimeSpan.FromDays(14);
    private static readonly TimeSpan SixWeeks = TimeSpan.FromDays(42);

    private static DoseRule Dose(int fromCycle, int? toCycle, int day, DoseRole role, double mg, string label, params Monitoring[] monitoring) =>
        new(fromCycle, toCycle, day, null, Drug, role, Amount.Fixed(mg, "mg"), label, Schedule,
            Premedication: fromCycle == 1 ? [Cycle1Premedication, PostDoseCorticosteroid] : [AfterCrsPremedication],
            Monitoring: [.. monitoring, .. (day == 1 && fromCycle == 1 ? None : [AfterGrade2Crs]), .. (fromCycle == 1 ? [TocilizumabBeforeCycle1] : None)]);

    private static readonly Monitoring[] None = [];

    private static IEnumerable<DoseRule> FullDoses(int fromCycle, int? toCycle, params int[] days) =>
        days.Select(day => Dose(fromCycle, toCycle, day, DoseRole.Full, 48, FullDoseLabel));

    private static readonly string[] SharedNotEncoded =
    [
        "CRS grade 3 (first occurrence), grade 3 (recurrent) and grade 4: the US rows beyond \"withhold and manage per "
        + "current practice (may include intensive care)\" were not read (❌): see EPKINLY PI section 2.6. EU (Tepkinly, "
        + "S-EPK-EU ⚠️, non-US): discontinue if grade 3 lasts > 72 h or after more than 2 separate grade 3 events; "
        + "grade 4: discontinue permanently (CLINICAL-RULES.md §5.4, §7.2).",
        "ICANS grades 1-4 dose-modification rows: not read (❌): consult the EPKINLY / Tepkinly label (CLINICAL-RULES.md §5.4).",
    ];

    /// <summary>DLBCL / high-grade B-cell lymphoma, 2-step step-up (0.16 mg, 0.8 mg, then 48 mg from C1D15).</summary>
    public static Regimen Dlbcl { get; } = new Regimen(
        "epcoritamab-dlbcl-2-step",
        Drug,
        "DLBCL / high-grade B-cell lymphoma, 2-step step-up (US EPKINLY / EU Tepkinly)",
        RegimenStatus.Label,
        Route.Subcutaneous,
        [new CycleLength(1, null, 28)],
        null,
        [
            Dose(1, 1, 1, DoseRole.StepUp, 0.16, "0.16 mg (C1D1)"),
            Dose(1, 1, 8, DoseRole.StepUp, 0.8, "0.8 mg (C1D8)"),
            Dose(1, 1, 15, DoseRole.Full, 48, FullDoseLabel, DlbclHospitalise),
            Dose(1, 1, 22, DoseRole.Full, 48, FullDoseLabel, DlbclAssessC1D22),
            .. FullDoses(2, 3, 1, 8, 15, 22),
            .. FullDoses(4, 9, 1, 15),
            .. FullDoses(10, null, 1),
        ],
        "CLINICAL-RULES.md §5.4 (S-EPK-US; S-EPK-HCP). Treatment continues until progression or unacceptable toxicity (S-EPK-US).",
        DelayRules:
        [
            new("0.16 mg (C1D1)", EightDays, null, "> 8 days", RepeatCycle1, true, RestartSource, RepeatedCycle1, DelayRule.NextCycle),
            new("0.8 mg (C1D8)", null, FourteenDays, "≤ 14 days", "Give 48 mg, then resume the planned schedule.", false, RestartSource),
            new("0.8 mg (C1D8)", FourteenDays, null, "> 14 days", RepeatCycle1, true, RestartSource, RepeatedCycle1, DelayRule.NextCycle),
            new(FullDoseLabel, null, SixWeeks, "≤ 6 weeks (last dose 48 mg, C1D15 onwards)", "Give 48 mg, then resume the planned schedule.", false, RestartSource),
            new(FullDoseLabel, SixWeeks, null, "> 6 weeks (last dose 48 mg, C1D15 onwards)", RepeatCycle1, true, RestartSource, RepeatedCycle1, DelayRule.NextCycle),
        ],
        NotEncoded: SharedNotEncoded,
        Jurisdiction: Jurisdiction.Us | Jurisdiction.Eu).WithUntaggedRowsOf(Jurisdiction.Us);

    /// <summary>FL monotherapy, 3-step step-up (0.16 mg, 0.8 mg, 3 mg, then 48 mg from C1D22).</summary>
    public static Regimen FollicularLymphoma { get; } = new Regimen(
        "epcoritamab-fl-3-step",
        Drug,
        "Follicular lymphoma monotherapy, 3-step step-up (US EPKINLY / EU Tepkinly)",
        RegimenStatus.Label,
        Route.Subcutaneous,
        [new CycleLength(1, null, 28)],
        null,
        [
            Dose(1, 1, 1, DoseRole.StepUp, 0.16, "0.16 mg (C1D1)", FlNoHospitalisation),
            Dose(1, 1, 8, DoseRole.StepUp, 0.8, "0.8 mg (C1D8)", FlNoHospitalisation),
            Dose(1, 1, 15, DoseRole.StepUp, 3, "3 mg (C1D15)", FlNoHospitalisation),
            Dose(1, 1, 22, DoseRole.Full, 48, FullDoseLabel, FlNoHospitalisation),
            .. FullDoses(2, 3, 1, 8, 15, 22),
            .. FullDoses(4, 9, 1, 15),
            .. FullDoses(10, null, 1),
        ],
        "CLINICAL-RULES.md §5.4 (S-EPK-US; S-EPK-HCP). Treatment continues until progression or unacceptable toxicity (S-EPK-US).",
        NotEncoded:
        [
            "Restart after dosage delay (FL, 3-step): only the intervals were read (S-EPK-HCP): last dose 0.16 mg (C1D1) "
            + "> 8 days; 0.8 mg (C1D8) > 8 days; 3 mg (C1D15) ≤ 14 days / > 14 days; 48 mg (C1D22 onwards) ≤ 6 weeks / "
            + "> 6 weeks. The actions were not read (❌): consult the EPKINLY label restart table (CLINICAL-RULES.md §5.4, "
            + "§7.1 item 4).",
            "FL in combination with lenalidomide and rituximab (same Cycle 1 3-step step-up, 48 mg weekly in C2-C3, then "
            + "Day 1 only in C4-C12; S-EPK-US) is not a catalogue entry: the R² component doses were not retrieved (❌); "
            + "consult the EPKINLY label (CLINICAL-RULES.md §5.4).",
            .. SharedNotEncoded,
        ],
        Jurisdiction: Jurisdiction.Us | Jurisdiction.Eu).WithUntaggedRowsOf(Jurisdiction.Us);

    /// <summary>Every Epcoritamab entry of the catalogue.</summary>
    public static IReadOnlyList<Regimen> Regimens { get; } = [Dlbcl, FollicularLymphoma];
}

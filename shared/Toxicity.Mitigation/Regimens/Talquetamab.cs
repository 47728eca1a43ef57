namespace Toxicity.Mitigation.Regimens;

/// <summary>
/// Talquetamab regimens of CLINICAL-RULES.md §5.9 (Talvey; GPRC5D×CD3; SC; mg/kg actual body weight; weekly or
/// biweekly; no cycles). Every number is from §5.9 (⚠️ rows, ids in every source); ❌ rows are
/// <see cref="Regimen.NotEncoded"/> or not-encoded items. The label has no cycles: the weekly schedule is encoded as
/// 7-day repeat units, the biweekly one as 14-day units (<see cref="Regimen.LabelCycles"/> false). The step-up days
/// differ by label (§5.13): US D1, D4, D7 (and D10 biweekly), EU D1, D3, D5 (and D7 biweekly); the two rows of one dose
/// share its label and a site's calendar takes its own.
/// </summary>
public static class Talquetamab
{
    private const string Drug = "talquetamab";
    private const Jurisdiction UsEu = Jurisdiction.Us | Jurisdiction.Eu;

    private const string UsSchedule = "CLINICAL-RULES.md §5.9 US days (S-TAL-DC ⚠️; S-TAL-MS ⚠️ \"All doses based on actual body weight (ABW)\")";
    private const string EuSchedule = "CLINICAL-RULES.md §5.9 EU days (S-TAL-EU ⚠️ EU Table 1)";
    private const string Day1Schedule = "CLINICAL-RULES.md §5.9 day 1 in both labels (S-TAL-DC ⚠️; S-TAL-EU ⚠️)";
    private const string PremedicationSource = "CLINICAL-RULES.md §5.9 premedication (S-TAL-DC ⚠️ drugs; S-TAL-JNJ ⚠️ which doses)";
    private const string AfterCrsPremedicationSource = "CLINICAL-RULES.md §5.9 premedication after CRS (S-TAL-BB ⚠️ PI §5.1; drugs S-TAL-DC ⚠️)";

    /// <summary>Dose label of step-up dose 1 (D1).</summary>
    public const string StepUp1Label = "0.01 mg/kg (step-up dose 1)";

    /// <summary>Dose label of step-up dose 2 (US D4, EU D3).</summary>
    public const string StepUp2Label = "0.06 mg/kg (step-up dose 2)";

    /// <summary>Biweekly schedule: dose label of step-up dose 3 (US D7, EU D5).</summary>
    public const string StepUp3Label = "0.4 mg/kg (step-up dose 3)";

    /// <summary>Weekly schedule: the first treatment dose (US D7, EU D5) and every weekly dose after it.</summary>
    public const string WeeklyLabel = "0.4 mg/kg (once weekly)";

    /// <summary>Biweekly schedule: the first treatment dose (US D10, EU D7) and every dose every 2 weeks after it.</summary>
    public const string BiweeklyLabel = "0.8 mg/kg (every 2 weeks)";

    /// <summary>The condition of later doses' premedication.</summary>
    public const string AfterCrs = "CRS with the previous dose (\"pre-treatment medications should be administered prior to the next TALVEY dose\")";

    private static readonly TimeSpan SevenDays = TimeSpan.FromDays(7);

    private const string StepUpScheduleReading =
        " The first treatment dose is counted in the step-up dosing schedule (safer reading of CLINICAL-RULES.md §5.9: clinician to confirm against the label).";

    private static List<Premedication> PremedicationItems(string? condition, string source) =>
    [
        new("dexamethasone", Amount.Fixed(16, "mg"), "orally or IV", "1 to 3 hours before the dose", source, condition, Jurisdiction: Jurisdiction.Us),
        new("diphenhydramine", Amount.Fixed(50, "mg"), "orally or IV", "1 to 3 hours before the dose", source, condition, Jurisdiction: Jurisdiction.Us),
        new("acetaminophen", new Amount(null, null, null, "mg", 650, 1000), "orally or IV", "1 to 3 hours before the dose", source, condition,
            Jurisdiction: Jurisdiction.Us),
    ];

    private static readonly List<Premedication> StepUpPremedication = PremedicationItems(null, PremedicationSource);

    private static readonly List<Premedication> AfterCrsPremedication = PremedicationItems(AfterCrs, AfterCrsPremedicationSource);

    private static Monitoring UsHospitalise(bool firstTreatmentDose) => new(
        "Hospitalise for 48 hours after this dose (\"hospitalized for 48 hours after all doses within the step-up dosing schedule\")."
        + (firstTreatmentDose ? StepUpScheduleReading : string.Empty),
        "CLINICAL-RULES.md §5.9 hospitalisation, US (S-TAL-DC ⚠️; S-TAL-MS ⚠️)", Jurisdiction: Jurisdiction.Us);

    private static readonly Monitoring EuMonitoringNotEncoded = new(
        "Monitoring under the EU SmPC: not encoded: consult the Talvey SmPC §4.2/4.4.",
        "CLINICAL-RULES.md §5.9 monitoring, EU (❌ not read)", Jurisdiction: Jurisdiction.Eu);

    private static readonly Monitoring TocilizumabNotEncoded = new(
        "Tocilizumab availability: not encoded: consult the label (TALVEY / Talvey).",
        "CLINICAL-RULES.md §5.9 (❌ not read)", Jurisdiction: UsEu);

    private static List<Monitoring> StepUpMonitoring(bool firstTreatmentDose) =>
        [UsHospitalise(firstTreatmentDose), EuMonitoringNotEncoded, TocilizumabNotEncoded];

    private static DoseRule StepUp(int day, double perKg, string label, string source, Jurisdiction jurisdiction) =>
        new(1, 1, day, null, Drug, DoseRole.StepUp, Amount.ByWeight(perKg, "mg"), label, source,
            Premedication: StepUpPremedication, Monitoring: StepUpMonitoring(false), Jurisdiction: jurisdiction);

    private static DoseRule FirstTreatmentDose(int day, double perKg, string label, string source, Jurisdiction jurisdiction) =>
        new(1, 1, day, null, Drug, DoseRole.Full, Amount.ByWeight(perKg, "mg"), label, source,
            Premedication: StepUpPremedication, Monitoring: StepUpMonitoring(true), Jurisdiction: jurisdiction);

    private static DoseRule Later(int day, double perKg, string label, string source, Jurisdiction jurisdiction) =>
        new(2, null, day, null, Drug, DoseRole.Full, Amount.ByWeight(perKg, "mg"), label, source,
            Premedication: AfterCrsPremedication, Jurisdiction: jurisdiction);

    private const string SharedSource =
        "US intervals (S-TAL-MS ⚠️; S-TAL-DC ⚠️): step-up doses 2 and 3 \"between 2 and 4 days after the previous dose and may be given "
        + "up to 7 days\"; the first 0.8 mg/kg dose \"between 2 to 7 days after Step-Up Dose 3\"; \"minimum of 6 days between weekly "
        + "doses\"; \"minimum of 12 days between bi-weekly doses\".";

    private static readonly string[] SharedNotEncoded =
    [
        "EU interval footnote \"b\": not encoded: consult the Talvey SmPC §4.2 (CLINICAL-RULES.md §5.9).",
        "EU monitoring: not read (❌): consult the Talvey SmPC §4.2/4.4 (CLINICAL-RULES.md §5.9).",
        "CRS table (its scale unknown), ICANS table and the table of neurologic toxicity excluding ICANS: not read (❌): consult the "
        + "TALVEY label (CLINICAL-RULES.md §5.9).",
        "Tocilizumab availability and the \"premedication may mask fever\" note: not read (❌): consult the TALVEY label "
        + "(CLINICAL-RULES.md §5.9).",
        "EU premedication: not read: consult the Talvey SmPC §4.2 (CLINICAL-RULES.md §5.9).",
    ];

    /// <summary>Weekly: 0.01 / 0.06 mg/kg step-up, then 0.4 mg/kg once weekly (US D1, D4, D7; EU D1, D3, D5).</summary>
    public static Regimen Weekly { get; } = new Regimen(
        "talquetamab-weekly",
        Drug,
        "Relapsed/refractory multiple myeloma (US \"≥4 prior lines\", S-TAL-MS ⚠️; EU \"at least 3 prior therapies\", S-TAL-EU ⚠️); SC, "
        + "dose by actual body weight; weekly schedule (Talvey)",
        RegimenStatus.Label,
        Route.Subcutaneous,
        [new CycleLength(1, null, 7)],
        null,
        [
            StepUp(1, 0.01, StepUp1Label, Day1Schedule, UsEu),
            StepUp(4, 0.06, StepUp2Label, UsSchedule, Jurisdiction.Us),
            StepUp(3, 0.06, StepUp2Label, EuSchedule, Jurisdiction.Eu),
            FirstTreatmentDose(7, 0.4, WeeklyLabel, UsSchedule, Jurisdiction.Us),
            FirstTreatmentDose(5, 0.4, WeeklyLabel, EuSchedule, Jurisdiction.Eu),
            Later(7, 0.4, WeeklyLabel, UsSchedule, Jurisdiction.Us),
            Later(5, 0.4, WeeklyLabel, EuSchedule, Jurisdiction.Eu),
        ],
        "CLINICAL-RULES.md §5.9 (S-TAL-DC ⚠️; S-TAL-EU ⚠️). No cycles in the label: encoded as 7-day repeat units; US cycle 1 holds "
        + "D1, D4 and the first treatment dose on D7, later units their weekly dose on day 7 (D14, D21, …); EU cycle 1 holds D1, D3 "
        + "and D5, later units day 5 (D12, D19, …). " + SharedSource,
        DelayRules:
        [
            new(StepUp1Label, SevenDays, null, "more than 7 days",
                "Not encoded: consult the TALVEY label restart table (weekly schedule): the row for a last dose of 0.01 mg/kg given "
                + "\"more than 7 days\" earlier was read as a key only; its action was not read.",
                false, "CLINICAL-RULES.md §5.9 restart, weekly (S-TAL-DC ⚠️ row key; ❌ action not read)"),
        ],
        NotEncoded:
        [
            "Restart after a delay (weekly schedule): the table's rows are keyed on the last dose (0.01 mg/kg \"more than 7 days\"; "
            + "0.06 mg/kg; 0.4 mg/kg, S-TAL-DC ⚠️); their actions and the other thresholds were not read (❌): consult the TALVEY "
            + "label restart table (CLINICAL-RULES.md §5.9).",
            "EU switch to 0.8 mg/kg every 2 weeks after \"adequate clinical response … confirmed in at least two consecutive disease "
            + "assessments\" (S-TAL-EU ⚠️): not a catalogue entry (talquetamab-biweekly starts with its own step-up); the clinician "
            + "decides: consult the Talvey SmPC §4.2 for the switch (CLINICAL-RULES.md §5.9).",
            .. SharedNotEncoded,
        ],
        Jurisdiction: UsEu,
        LabelCycles: false).WithUntaggedRowsOf(Jurisdiction.Us);

    /// <summary>Biweekly: 0.01 / 0.06 / 0.4 mg/kg step-up, then 0.8 mg/kg every 2 weeks (US D1, D4, D7, D10; EU D1, D3, D5, D7).</summary>
    public static Regimen Biweekly { get; } = new Regimen(
        "talquetamab-biweekly",
        Drug,
        "Relapsed/refractory multiple myeloma (US \"≥4 prior lines\", S-TAL-MS ⚠️; EU \"at least 3 prior therapies\", S-TAL-EU ⚠️); SC, "
        + "dose by actual body weight; biweekly schedule (Talvey)",
        RegimenStatus.Label,
        Route.Subcutaneous,
        [new CycleLength(1, null, 14)],
        null,
        [
            StepUp(1, 0.01, StepUp1Label, Day1Schedule, UsEu),
            StepUp(4, 0.06, StepUp2Label, UsSchedule, Jurisdiction.Us),
            StepUp(3, 0.06, StepUp2Label, EuSchedule, Jurisdiction.Eu),
            StepUp(7, 0.4, StepUp3Label, UsSchedule, Jurisdiction.Us),
            StepUp(5, 0.4, StepUp3Label, EuSchedule, Jurisdiction.Eu),
            FirstTreatmentDose(10, 0.8, BiweeklyLabel, UsSchedule, Jurisdiction.Us),
            FirstTreatmentDose(7, 0.8, BiweeklyLabel, EuSchedule, Jurisdiction.Eu),
            Later(10, 0.8, BiweeklyLabel, UsSchedule, Jurisdiction.Us),
            Later(7, 0.8, BiweeklyLabel, EuSchedule, Jurisdiction.Eu),
        ],
        "CLINICAL-RULES.md §5.9 (S-TAL-DC ⚠️; S-TAL-EU ⚠️). No cycles in the label: encoded as 14-day repeat units; US cycle 1 holds "
        + "D1, D4, D7 and the first 0.8 mg/kg dose on D10, later units their dose on day 10 (D24, D38, …); EU cycle 1 holds D1, D3, "
        + "D5 and D7, later units day 7 (D21, D35, …). " + SharedSource,
        NotEncoded:
        [
            "Restart after a delay (biweekly schedule): the table's rows are keyed on the last dose (0.01, 0.06, 0.4 or 0.8 mg/kg, "
            + "S-TAL-DC ⚠️); their thresholds and actions were not read (❌): consult the TALVEY label restart table "
            + "(CLINICAL-RULES.md §5.9).",
            .. SharedNotEncoded,
        ],
        Jurisdiction: UsEu,
        LabelCycles: false).WithUntaggedRowsOf(Jurisdiction.Us);

    /// <summary>Every Talquetamab entry of the catalogue.</summary>
    public static IReadOnlyList<Regimen> Regimens { get; } = [Weekly, Biweekly];
}

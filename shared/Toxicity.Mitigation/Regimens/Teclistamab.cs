namespace Toxicity.Mitigation.Regimens;

/// <summary>
/// Teclistamab regimens of CLINICAL-RULES.md §5.7 (Tecvayli; BCMA×CD3; SC; mg/kg actual body weight; no cycles: weekly,
/// then every 2 weeks on response; until progression or unacceptable toxicity). Every number is from §5.7; its rows are
/// ⚠️ (label-quoting secondary sources, ids in every source) or ❌ (<see cref="Regimen.NotEncoded"/> and not-encoded
/// items). The label has no cycles: the weekly entry is encoded as 7-day repeat units, the every-2-weeks entry as 14-day
/// ones (<see cref="Regimen.LabelCycles"/> false; the calendar is read by date and day of treatment). The step-up days
/// differ by label (§5.13): US rows D1, D4, D7 then weekly (D14, D21, …), EU/HK rows D1, D3, D5 then weekly (D12, …);
/// the two rows of one dose share its label and a site's calendar takes its own.
/// </summary>
public static class Teclistamab
{
    private const string Drug = "teclistamab";
    private const Jurisdiction EuHk = Jurisdiction.Eu | Jurisdiction.Hk;
    private const Jurisdiction AllLabels = Jurisdiction.Us | Jurisdiction.Eu | Jurisdiction.Hk | Jurisdiction.Ch;

    private const string UsSchedule = "CLINICAL-RULES.md §5.7 step-up, US (S-TEC-PP ⚠️; S-TEC-DC ⚠️)";
    private const string EuHkSchedule =
        "CLINICAL-RULES.md §5.7 EU/HK days (S-TEC-HK ⚠️ HK label: \"day 3\", \"day 5\"; S-TEC-EU ⚠️ EU structured regimen \"over the duration of 2 to 7 days\")";
    private const string Day1Schedule = "CLINICAL-RULES.md §5.7 step-up dose 1, day 1 in every label (S-TEC-PP ⚠️; S-TEC-DC ⚠️; S-TEC-HK ⚠️)";
    private const string Q2WSchedule = "CLINICAL-RULES.md §5.7 Q2W option, US (S-TEC-PP ⚠️)";
    private const string PremedicationSource = "CLINICAL-RULES.md §5.7 premedication (S-TEC-HCP ⚠️)";
    private const string PremedicationNotRead = "CLINICAL-RULES.md §5.7 premedication (❌ not read)";
    private const string LaterPremedicationSource = "CLINICAL-RULES.md §5.7 premedication, later doses (S-TEC-MS ⚠️; drugs as S-TEC-HCP ⚠️)";
    private const string RestartSource = "CLINICAL-RULES.md §5.7 restart table, US PI Table 2 (S-TEC-JNJ ⚠️)";

    /// <summary>Dose label of step-up dose 1 (day 1, every label).</summary>
    public const string StepUp1Label = "0.06 mg/kg (step-up dose 1)";

    /// <summary>Dose label of step-up dose 2 (US day 4, EU/HK day 3).</summary>
    public const string StepUp2Label = "0.3 mg/kg (step-up dose 2)";

    /// <summary>Dose label of the first treatment dose and every weekly dose after it ("any weekly dose" of the restart table).</summary>
    public const string WeeklyLabel = "1.5 mg/kg (once weekly)";

    /// <summary>Dose label of every dose of the every-2-weeks entry ("any Q2W dose" of the restart table).</summary>
    public const string EveryTwoWeeksLabel = "1.5 mg/kg (every 2 weeks)";

    private const string FootnoteA = " (a) \"Administer pretreatment medications prior to TECVAYLI dose and monitor patients accordingly.\"";
    private const string FootnoteB = " (b) \"Consider the benefit-risk of restarting TECVAYLI in patients who require a dose delay of more than 28 days due to an adverse reaction.\"";
    private const string RestartAtStepUp1 = "\"Restart … at step-up dose 1 (0.06 mg/kg)\", then continue the step-up dosing schedule.";
    private const string RestartAtStepUp2 = "Restart at step-up dose 2 (0.3 mg/kg), then continue the step-up dosing schedule.";
    private const string ReplanOnWeeklyEntry =
        " This entry holds no step-up dose: the step-up doses and the weekly doses after them are the teclistamab entry's; "
        + "the clinician re-plans the patient on it.";

    private const string StepUpScheduleNote =
        " (the step-up dosing schedule: step-up doses 1 and 2 and the first treatment dose, as the premedication rows group them)";

    private const string FirstTreatmentDoseReading =
        " The first treatment dose is counted in the step-up dosing schedule (safer reading of CLINICAL-RULES.md §5.7: clinician to confirm against the label).";

    private static readonly TimeSpan SevenDays = TimeSpan.FromDays(7);
    private static readonly TimeSpan TwentyEightDays = TimeSpan.FromDays(28);
    private static readonly TimeSpan FiftySixDays = TimeSpan.FromDays(56);
    private static readonly TimeSpan SixtyThreeDays = TimeSpan.FromDays(63);
    private static readonly TimeSpan OneHundredTwelveDays = TimeSpan.FromDays(112);

    private static List<Premedication> StepUpPremedication(bool firstDose) =>
    [
        new("dexamethasone (corticosteroid)", Amount.Fixed(16, "mg"), "orally or IV", "1 to 3 hours before the dose", PremedicationSource,
            Jurisdiction: Jurisdiction.Us),
        new("H1-receptor antagonist", null, null, "before the dose (timing per label)", PremedicationNotRead,
            NotEncoded: "H1-receptor antagonist before step-up doses 1 and 2 and the first treatment dose: the drug and dose are not "
                + "encoded: consult the TECVAYLI label (§2.2) (CLINICAL-RULES.md §5.7).",
            Jurisdiction: Jurisdiction.Us),
        new("antipyretic", null, null, "before the dose (timing per label)", PremedicationNotRead,
            NotEncoded: "Antipyretic before step-up doses 1 and 2 and the first treatment dose: the drug and dose are not encoded: "
                + "consult the TECVAYLI label (§2.2) (CLINICAL-RULES.md §5.7).",
            Jurisdiction: Jurisdiction.Us),
        .. firstDose ? [AntiviralProphylaxis] : Array.Empty<Premedication>(),
    ];

    private static readonly Premedication AntiviralProphylaxis = new(
        "antiviral prophylaxis (herpes zoster reactivation)", null, null, "before the start of treatment",
        "CLINICAL-RULES.md §5.7 premedication, before start (S-TEC-HCP ⚠️)",
        NotEncoded: "\"Consider initiation of antiviral prophylaxis to prevent herpes zoster reactivation\" (S-TEC-HCP ⚠️): the agent "
            + "and dose are not encoded: consult the TECVAYLI label (CLINICAL-RULES.md §5.7).",
        Jurisdiction: Jurisdiction.Us);

    /// <summary>Later doses: premedication "may be required" after repeated step-up doses (dose delay) or CRS with the prior dose.</summary>
    public const string LaterPremedicationCondition =
        "may be required: CRS with the prior dose, or step-up doses repeated after a dose delay (S-TEC-MS ⚠️)";

    private static readonly List<Premedication> LaterPremedication =
    [
        new("dexamethasone (corticosteroid)", Amount.Fixed(16, "mg"), "orally or IV", "1 to 3 hours before the dose", LaterPremedicationSource,
            LaterPremedicationCondition, Jurisdiction: Jurisdiction.Us),
        new("H1-receptor antagonist", null, null, "before the dose (timing per label)", LaterPremedicationSource, LaterPremedicationCondition,
            NotEncoded: "H1-receptor antagonist: the drug and dose are not encoded: consult the TECVAYLI label (§2.2) (CLINICAL-RULES.md §5.7).",
            Jurisdiction: Jurisdiction.Us),
        new("antipyretic", null, null, "before the dose (timing per label)", LaterPremedicationSource, LaterPremedicationCondition,
            NotEncoded: "Antipyretic: the drug and dose are not encoded: consult the TECVAYLI label (§2.2) (CLINICAL-RULES.md §5.7).",
            Jurisdiction: Jurisdiction.Us),
    ];

    private static Monitoring UsHospitalise(bool firstTreatmentDose) => new(
        "Hospitalise for 48 hours after this dose" + StepUpScheduleNote + "." + (firstTreatmentDose ? FirstTreatmentDoseReading : string.Empty),
        "CLINICAL-RULES.md §5.7 hospitalisation, US (S-TEC-PP ⚠️; S-TEC-DC ⚠️)", Jurisdiction: Jurisdiction.Us);

    private static Monitoring EuMonitorDaily(bool firstTreatmentDose) => new(
        "Remain within proximity of a healthcare facility; monitored daily for 48 hours after this dose."
        + (firstTreatmentDose
            ? " CLINICAL-RULES.md §5.7 says \"after any step-up dose\"; the first treatment dose closes the step-up dosing schedule: "
                + "safer reading, clinician to confirm against the SmPC."
            : string.Empty),
        "CLINICAL-RULES.md §5.7 monitoring, EU (S-TEC-EU ⚠️)", Jurisdiction: Jurisdiction.Eu);

    private static Monitoring SwissInpatient(bool firstTreatmentDose) => new(
        "Inpatient monitoring for at least 48 hours after this dose (\"mindestens 48 Stunden\"); daily checks for up to 7 days (\"bis zu 7 Tagen\")."
        + (firstTreatmentDose
            ? " The Swiss label says \"after each step-up dose\"; the first treatment dose closes the step-up dosing schedule: "
                + "safer reading, clinician to confirm against the Fachinformation."
            : string.Empty),
        "CLINICAL-RULES.md §5.7 monitoring, CH (S-TEC-CH ⚠️)", Jurisdiction: Jurisdiction.Ch);

    private static readonly Monitoring EuAfterCrs = new(
        "Remain within proximity of a healthcare facility; monitored daily for 48 hours after this dose.",
        "CLINICAL-RULES.md §5.7 monitoring, EU (S-TEC-EU ⚠️)",
        "Grade ≥ 2 CRS with the previous dose (\"after experiencing Grade 2 or higher CRS\")", Jurisdiction.Eu);

    private static readonly Monitoring SwissAfterCrsOrNeurotoxicity = new(
        "Inpatient monitoring for at least 48 hours after this dose (\"mindestens 48 Stunden\"); daily checks for up to 7 days (\"bis zu 7 Tagen\").",
        "CLINICAL-RULES.md §5.7 monitoring, CH (S-TEC-CH ⚠️)",
        "CRS grade ≥ 2 or relevant neurotoxicity with the previous dose", Jurisdiction.Ch);

    private static readonly Monitoring UsAfterIcans2 = new(
        "Hospitalise for 48 hours following this dose (\"hospitalized for 48 hours following the next dose\").",
        "CLINICAL-RULES.md §5.7 ICANS table, grade 2 (S-TEC-JP ⚠️, PI 2022: not re-read against the current PI, §5.6a)",
        "ICANS grade 2 with the previous dose", Jurisdiction.Us);

    private static readonly Monitoring TocilizumabNotEncoded = new(
        "Tocilizumab availability: not encoded: consult the label (TECVAYLI / Tecvayli).",
        "CLINICAL-RULES.md §5.7 other (❌ not read)", Jurisdiction: AllLabels);

    private static List<Monitoring> StepUpMonitoring(bool firstTreatmentDose) =>
        [UsHospitalise(firstTreatmentDose), EuMonitorDaily(firstTreatmentDose), SwissInpatient(firstTreatmentDose), TocilizumabNotEncoded];

    private static DoseRule StepUpDose(int day, double perKg, string label, bool firstDose, string source, Jurisdiction jurisdiction) =>
        new(1, 1, day, null, Drug, DoseRole.StepUp, Amount.ByWeight(perKg, "mg"), label, source,
            Premedication: StepUpPremedication(firstDose), Monitoring: StepUpMonitoring(false), Jurisdiction: jurisdiction);

    private static DoseRule FirstTreatmentDose(int day, string source, Jurisdiction jurisdiction) =>
        new(1, 1, day, null, Drug, DoseRole.Full, Amount.ByWeight(1.5, "mg"), WeeklyLabel, source,
            Premedication: StepUpPremedication(false), Monitoring: StepUpMonitoring(true), Jurisdiction: jurisdiction);

    private static DoseRule WeeklyDose(int day, string source, Jurisdiction jurisdiction) =>
        new(2, null, day, null, Drug, DoseRole.Full, Amount.ByWeight(1.5, "mg"), WeeklyLabel, source,
            Premedication: LaterPremedication, Monitoring: [UsAfterIcans2, EuAfterCrs, SwissAfterCrsOrNeurotoxicity], Jurisdiction: jurisdiction);

    private static readonly string[] SharedNotEncoded =
    [
        "CRS dose modification (US Table 3, grades 1-4; its scale was not read): not read (❌): consult the TECVAYLI label "
        + "§2.4 CRS table (CLINICAL-RULES.md §5.7).",
        "ICANS recurrent grade 3 and grade 4 rows: not read (❌): consult the TECVAYLI label ICANS table (CLINICAL-RULES.md §5.7).",
        "Tocilizumab availability and the \"premedication may mask fever\" note: not read (❌): consult the TECVAYLI / Tecvayli "
        + "label (CLINICAL-RULES.md §5.7).",
        "H1-receptor antagonist and antipyretic premedication: the drugs and doses were not read (❌): consult the TECVAYLI label "
        + "§2.2 (CLINICAL-RULES.md §5.7).",
    ];

    /// <summary>Weekly dosing: step-up 0.06 / 0.3 mg/kg, then 1.5 mg/kg once weekly (US D1, D4, D7; EU/HK D1, D3, D5).</summary>
    public static Regimen Weekly { get; } = new Regimen(
        "teclistamab",
        Drug,
        "Relapsed/refractory multiple myeloma (US: after \"≥4 lines of therapy\" incl. a PI, an IMiD and an anti-CD38, S-TEC-DAV ⚠️; "
        + "EU: \"at least three prior therapies\" with progression on the last, S-TEC-EU ⚠️); SC, dose by actual body weight; weekly "
        + "dosing until progression or unacceptable toxicity (Tecvayli)",
        RegimenStatus.Label,
        Route.Subcutaneous,
        [new CycleLength(1, null, 7)],
        null,
        [
            StepUpDose(1, 0.06, StepUp1Label, true, Day1Schedule, Jurisdiction.Us | EuHk),
            StepUpDose(4, 0.3, StepUp2Label, false, UsSchedule, Jurisdiction.Us),
            StepUpDose(3, 0.3, StepUp2Label, false, EuHkSchedule, EuHk),
            FirstTreatmentDose(7, UsSchedule, Jurisdiction.Us),
            FirstTreatmentDose(5, EuHkSchedule, EuHk),
            WeeklyDose(7, UsSchedule, Jurisdiction.Us),
            WeeklyDose(5, EuHkSchedule, EuHk),
        ],
        "CLINICAL-RULES.md §5.7 (S-TEC-PP ⚠️; S-TEC-DC ⚠️; S-TEC-HK ⚠️; S-TEC-EU ⚠️; S-TEC-HCP ⚠️ \"Dose is based on actual body "
        + "weight\"; S-TEC-PP ⚠️ \"For subcutaneous injection only.\"; S-TEC-DC ⚠️ \"until disease progression or unacceptable "
        + "toxicity\"). No cycles in the label: encoded as 7-day repeat units; US cycle 1 holds D1, D4 and the first treatment "
        + "dose on D7, later units their weekly dose on day 7 (D14, D21, …); EU/HK cycle 1 holds D1, D3 and D5, later units day 5 "
        + "(D12, D19, …). US intervals (S-TEC-PP ⚠️): step-up dose 2 \"between 2 to 4 days after step-up dose 1 and may be given "
        + "up to 7 days\" (for adverse-reaction resolution); the first treatment dose the same, from step-up dose 2.",
        DelayRules:
        [
            new(StepUp1Label, SevenDays, null, "> 7 days", RestartAtStepUp1 + FootnoteA, true, RestartSource, [StepUp1Label]),
            new(StepUp2Label, SevenDays, TwentyEightDays, "8-28 days",
                "\"Repeat step-up dose 2 (0.3 mg/kg) and continue\" the step-up dosing schedule." + FootnoteA, true, RestartSource, [StepUp2Label]),
            new(StepUp2Label, TwentyEightDays, null, "> 28 days", RestartAtStepUp1 + FootnoteA + FootnoteB, true, RestartSource, [StepUp1Label]),
            new(WeeklyLabel, null, TwentyEightDays, "≤ 28 days (any weekly dose)", "\"Continue … 1.5 mg/kg once weekly\": give the next planned dose.",
                false, RestartSource),
            new(WeeklyLabel, TwentyEightDays, FiftySixDays, "29-56 days (any weekly dose)", RestartAtStepUp2 + FootnoteA + FootnoteB, true, RestartSource,
                [StepUp2Label]),
            new(WeeklyLabel, FiftySixDays, null, "> 56 days (any weekly dose)", RestartAtStepUp1 + FootnoteA + FootnoteB, true, RestartSource, [StepUp1Label]),
        ],
        NotEncoded:
        [
            "Every 2 weeks: after \"complete response or better for a minimum of 6 months\", \"1.5 mg/kg every two weeks\" (S-TEC-PP ⚠️, "
            + "US): the catalogue entry teclistamab-q2w. The response assessment is not encoded: the clinician decides and re-plans; "
            + "this plan keeps weekly dosing (CLINICAL-RULES.md §5.7).",
            "Restart after a delay: the US PI Table 2 rows are encoded (US); the EU/HK restart rows were not read: consult the "
            + "Tecvayli SmPC §4.2 (CLINICAL-RULES.md §5.7).",
            "Restart when the last dose was step-up dose 1 or 2 given at most 7 days earlier: CLINICAL-RULES.md §5.7 has no row: "
            + "consult the TECVAYLI label restart table.",
            .. SharedNotEncoded,
        ],
        Jurisdiction: AllLabels,
        LabelCycles: false).WithUntaggedRowsOf(Jurisdiction.Us);

    /// <summary>Every 2 weeks after complete response or better for at least 6 months: 1.5 mg/kg every two weeks (US).</summary>
    public static Regimen EveryTwoWeeks { get; } = new Regimen(
        "teclistamab-q2w",
        Drug,
        "Relapsed/refractory multiple myeloma, every-2-weeks phase: after \"complete response or better for a minimum of 6 months\" "
        + "on weekly teclistamab (US: S-TEC-PP ⚠️); cycle 1 day 1 is the first every-2-weeks dose; until progression or unacceptable "
        + "toxicity (Tecvayli)",
        RegimenStatus.Label,
        Route.Subcutaneous,
        [new CycleLength(1, null, 14)],
        null,
        [
            new(1, null, 1, null, Drug, DoseRole.Full, Amount.ByWeight(1.5, "mg"), EveryTwoWeeksLabel, Q2WSchedule,
                Premedication: LaterPremedication, Monitoring: [UsAfterIcans2]),
        ],
        Q2WSchedule + ". No cycles in the label: encoded as 14-day repeat units, one dose on day 1 of each.",
        DelayRules:
        [
            new(EveryTwoWeeksLabel, null, SixtyThreeDays, "≤ 63 days (any Q2W dose)",
                "Continue 1.5 mg/kg every 2 weeks: give the next planned dose." + FootnoteB, false, RestartSource),
            new(EveryTwoWeeksLabel, SixtyThreeDays, OneHundredTwelveDays, "64-112 days (any Q2W dose)",
                RestartAtStepUp2 + FootnoteA + FootnoteB + ReplanOnWeeklyEntry, true, RestartSource),
            new(EveryTwoWeeksLabel, OneHundredTwelveDays, null, "> 112 days (any Q2W dose)",
                RestartAtStepUp1 + FootnoteA + FootnoteB + ReplanOnWeeklyEntry, true, RestartSource),
        ],
        NotEncoded:
        [
            "The every-2-weeks option is read in the US label only (S-TEC-PP ⚠️): the EU/HK rows were not read: consult the Tecvayli "
            + "SmPC §4.2 (CLINICAL-RULES.md §5.7).",
            "Restart after a delay of 64 days or more: the step-up doses to repeat are not part of this entry: the clinician decides and "
            + "re-plans the patient on the teclistamab entry (CLINICAL-RULES.md §5.7).",
            .. SharedNotEncoded,
        ],
        Jurisdiction: Jurisdiction.Us,
        LabelCycles: false).WithUntaggedRowsOf(Jurisdiction.Us);

    /// <summary>Every Teclistamab entry of the catalogue.</summary>
    public static IReadOnlyList<Regimen> Regimens { get; } = [Weekly, EveryTwoWeeks];
}

namespace Toxicity.Mitigation.Regimens;

/// <summary>
/// Elranatamab regimens of CLINICAL-RULES.md §5.8 (Elrexfio; BCMA×CD3; SC; flat mg; no cycles: weekly, then every 2 weeks
/// on response, then every 4 weeks). Every number is from §5.8 (⚠️ rows, ids in every source); ❌ rows are
/// <see cref="Regimen.NotEncoded"/> or not-encoded items. The label has no cycles: encoded as 7-day repeat units (the
/// unit is the label's week: cycle 1 holds D1 and D4, the first treatment dose is D8, day 1 of unit 2), and the
/// every-2-weeks entry as 14-day units (<see cref="Regimen.LabelCycles"/> false). The schedule rows are read in the US
/// label only (§5.13): an EU or Swiss calendar shows them with a warning to confirm; premedication and monitoring rows
/// are per label (US 48 h / 24 h hospitalisation, PI 2023; EU 48 h after each step-up dose).
/// </summary>
public static class Elranatamab
{
    private const string Drug = "elranatamab";
    private const Jurisdiction EuCh = Jurisdiction.Eu | Jurisdiction.Ch;
    private const Jurisdiction AllLabels = Jurisdiction.Us | Jurisdiction.Eu | Jurisdiction.Ch;

    private const string Schedule = "CLINICAL-RULES.md §5.8 (S-ELR-PP ⚠️)";
    private const string PremedicationSource = "CLINICAL-RULES.md §5.8 premedication, US (S-ELR-DC ⚠️; S-ELR-LEXI ⚠️; doses S-ELR-PP ⚠️)";
    private const string AfterCrsPremedicationSource =
        "CLINICAL-RULES.md §5.8 CRS table, grades 1-2: pretreatment before the next dose (S-ELR-PFZ ⚠️; drugs S-ELR-DC ⚠️)";
    private const string RestartSource = "CLINICAL-RULES.md §5.8 restart table, US (S-ELR-DC ⚠️)";
    private const string LateRestartSource = "CLINICAL-RULES.md §5.8 restart table, US (S-ELR-DAV ⚠️)";

    /// <summary>Dose label of step-up dose 1 (D1).</summary>
    public const string StepUp1Label = "12 mg (step-up dose 1)";

    /// <summary>Dose label of step-up dose 2 (D4).</summary>
    public const string StepUp2Label = "32 mg (step-up dose 2)";

    /// <summary>Dose label of the first treatment dose (D8) and every weekly dose after it.</summary>
    public const string TreatmentLabel = "76 mg (treatment dose)";

    /// <summary>Dose label of every dose of the every-2-weeks entry.</summary>
    public const string EveryTwoWeeksLabel = "76 mg (every 2 weeks)";

    /// <summary>The condition of the premedication and monitoring rows that follow CRS with the previous dose.</summary>
    public const string AfterCrs1Or2 = "CRS grade 1 or 2 with the previous dose (pretreatment before the next dose; grade 3: consult the label)";

    private static readonly TimeSpan FourteenDays = TimeSpan.FromDays(14);
    private static readonly TimeSpan TwentyEightDays = TimeSpan.FromDays(28);
    private static readonly TimeSpan FortyTwoDays = TimeSpan.FromDays(42);
    private static readonly TimeSpan TwelveWeeks = TimeSpan.FromDays(84);
    private static readonly TimeSpan OneWeek = TimeSpan.FromDays(7);

    // "< 12 weeks" (Davis): one tick below 12 weeks, so that exactly 12 weeks falls in no row (the boundary is uncertain,
    // CLINICAL-RULES.md §5.8: consult the label) and "> 12 weeks" starts just above it.
    private static readonly TimeSpan BelowTwelveWeeks = TwelveWeeks - TimeSpan.FromTicks(1);

    private const string TwelveWeekBoundary =
        "The exact boundary at 12 weeks is uncertain (S-ELR-DAV prints \"<\"): a delay of exactly 12 weeks matches no row: consult the label.";

    private static List<Premedication> UsPremedication(string? condition, string source) =>
    [
        new("acetaminophen (or equivalent)", Amount.Fixed(650, "mg"), "orally", "about 1 hour before the dose", source, condition, Jurisdiction: Jurisdiction.Us),
        new("dexamethasone (or equivalent)", Amount.Fixed(20, "mg"), "orally or IV", "about 1 hour before the dose", source, condition, Jurisdiction: Jurisdiction.Us),
        new("diphenhydramine (or equivalent)", Amount.Fixed(25, "mg"), "orally", "about 1 hour before the dose", source, condition, Jurisdiction: Jurisdiction.Us),
    ];

    private static readonly Premedication EuSwissPremedication = new(
        "premedication (drugs per label)", null, null, "before the dose",
        "CLINICAL-RULES.md §5.8 premedication, EU/CH (S-ELR-EU ⚠️; S-ELR-CH ⚠️)",
        NotEncoded: "Premedicate \"prior to the first three doses\" (S-ELR-EU ⚠️; S-ELR-CH ⚠️): the drugs and doses of the EU SmPC / "
            + "Swiss Fachinformation are not encoded: consult the label §4.2 (CLINICAL-RULES.md §5.8).",
        Jurisdiction: EuCh);

    private static List<Premedication> FirstThreeDosesPremedication() => [.. UsPremedication(null, PremedicationSource), EuSwissPremedication];

    private static readonly List<Premedication> AfterCrsPremedication = UsPremedication(AfterCrs1Or2, AfterCrsPremedicationSource);

    private static Monitoring UsHospitalise2023(int hours) => new(
        $"Hospitalise for {hours} hours after this dose (US PI 2023: \"hospitalized for 48 hours after … the first step-up dose, and for "
        + "24 hours after … the second step-up dose\").",
        "CLINICAL-RULES.md §5.8 monitoring, US PI 2023 (S-ELR-RXUS ⚠️; the current revision not re-read, §5.6a)", Jurisdiction: Jurisdiction.Us);

    private static readonly Monitoring UsCurrentNotEncoded = new(
        "Hospitalisation per the current US label (2025 revision, with the every-4-weeks schedule): not encoded: consult the ELREXFIO "
        + "label §2.1.",
        "CLINICAL-RULES.md §5.8 monitoring, US current (❌ not re-read; §5.6a)", Jurisdiction: Jurisdiction.Us);

    private static readonly Monitoring EuMonitor48h = new(
        "Monitor for 48 hours after this step-up dose (\"monitored … for 48 hours after administration of each of the 2 step-up "
        + "doses\"); stay in proximity of a healthcare facility.",
        "CLINICAL-RULES.md §5.8 monitoring, EU (S-ELR-EU ⚠️)", Jurisdiction: Jurisdiction.Eu);

    private static readonly Monitoring SwissNotEncoded = new(
        "Hospitalisation and monitoring under the Swiss Fachinformation: not read: not encoded: consult the Fachinformation.",
        "CLINICAL-RULES.md §5.8 (only the Swiss premedication row was read, S-ELR-CH ⚠️)", Jurisdiction: Jurisdiction.Ch);

    private static readonly Monitoring UsAfterCrs2 = new(
        "\"Monitor patients daily for 48 hours following the next dose\"; consider hospitalisation.",
        "CLINICAL-RULES.md §5.8 CRS table, grade 2 (S-ELR-PFZ ⚠️)", "CRS grade 2 with the previous dose", Jurisdiction.Us);

    private static readonly Monitoring TocilizumabNotEncoded = new(
        "Tocilizumab availability: not encoded: consult the label (ELREXFIO / Elrexfio).",
        "CLINICAL-RULES.md §5.8 CRS (❌ not read)", Jurisdiction: AllLabels);

    private static readonly string[] SharedNotEncoded =
    [
        "CRS grade 3 (first occurrence: beyond \"Withhold ELREXFIO until CRS resolves\"), recurrent grade 3 and grade 4 rows: not "
        + "read (❌): consult the ELREXFIO label CRS table (CLINICAL-RULES.md §5.8).",
        "ICANS table and the other neurotoxicity table: not read, nor their scales (❌): consult the ELREXFIO label "
        + "(CLINICAL-RULES.md §5.8).",
        "Tocilizumab availability and the \"premedication may mask fever\" note: not read (❌): consult the ELREXFIO label "
        + "(CLINICAL-RULES.md §5.8).",
        "Hospitalisation under the current US label (2025 revision): not re-read (❌): consult the ELREXFIO label §2.1; the plan "
        + "shows the PI 2023 rows beside it (CLINICAL-RULES.md §5.8, §5.6a).",
        "Restart after a last dose of 76 mg given exactly 12 weeks earlier: the boundary between \"restart at step-up dose 2\" "
        + "and \"restart step-up at 12 mg\" is uncertain (S-ELR-DAV prints \"<\"): not encoded: consult the ELREXFIO label restart "
        + "table (CLINICAL-RULES.md §5.8).",
    ];

    private static DelayRule[] SeventySixMgRows(string label, string? replan) =>
    [
        new(label, null, FortyTwoDays, "≤ 42 days", "Restart at 76 mg; premedicate before the dose (S-ELR-DAV ⚠️).", false, RestartSource),
        new(label, FortyTwoDays, BelowTwelveWeeks, "> 6 weeks to < 12 weeks (Davis prints \"<\"; the boundary at 12 weeks is uncertain)",
            "\"Restart at step-up dose 2 (32 mg) … If tolerated, ↑ dose to 76 mg 1 wk later.\" " + TwelveWeekBoundary + replan, true,
            LateRestartSource, replan is null ? [StepUp2Label] : null, ResumeAfter: replan is null ? OneWeek : null),
        new(label, TwelveWeeks, null, "> 12 weeks", "Restart the step-up at 12 mg (step-up dose 1). " + TwelveWeekBoundary + replan, true,
            LateRestartSource, replan is null ? [StepUp1Label] : null),
    ];

    /// <summary>Step-up 12 / 32 mg, then 76 mg once weekly (D1, D4, D8, then weekly).</summary>
    public static Regimen Weekly { get; } = new Regimen(
        "elranatamab",
        Drug,
        "Relapsed/refractory multiple myeloma (US: \"at least four prior lines of therapy\" incl. a PI, an IMiD and an anti-CD38, "
        + "S-ELR-RXUS ⚠️; EU: \"at least three prior therapies\", S-ELR-EU ⚠️); SC, flat dose; weekly dosing (Elrexfio)",
        RegimenStatus.Label,
        Route.Subcutaneous,
        [new CycleLength(1, null, 7)],
        null,
        [
            new(1, 1, 1, null, Drug, DoseRole.StepUp, Amount.Fixed(12, "mg"), StepUp1Label, Schedule,
                Premedication: FirstThreeDosesPremedication(),
                Monitoring: [UsHospitalise2023(48), UsCurrentNotEncoded, EuMonitor48h, SwissNotEncoded, TocilizumabNotEncoded]),
            new(1, 1, 4, null, Drug, DoseRole.StepUp, Amount.Fixed(32, "mg"), StepUp2Label, Schedule,
                Premedication: FirstThreeDosesPremedication(),
                Monitoring: [UsHospitalise2023(24), UsCurrentNotEncoded, UsAfterCrs2, EuMonitor48h, SwissNotEncoded, TocilizumabNotEncoded]),
            new(2, 2, 1, null, Drug, DoseRole.Full, Amount.Fixed(76, "mg"), TreatmentLabel, Schedule,
                Premedication: FirstThreeDosesPremedication(),
                Monitoring: [UsAfterCrs2, TocilizumabNotEncoded]),
            new(3, null, 1, null, Drug, DoseRole.Full, Amount.Fixed(76, "mg"), TreatmentLabel, Schedule,
                Premedication: AfterCrsPremedication,
                Monitoring: [UsAfterCrs2]),
        ],
        "CLINICAL-RULES.md §5.8 (S-ELR-PP ⚠️). No cycles in the label: encoded as 7-day repeat units (one per week of the label): "
        + "cycle 1 holds D1 and D4, the first treatment dose is day 1 of unit 2 (D8), then weekly. Minimum intervals (S-ELR-DC ⚠️, "
        + "drugs.com summary): \"minimum of 2 days after dose 1\"; \"minimum of 3 days after dose 2\"; weekly \"a minimum of 6 days "
        + "between treatments\".",
        DelayRules:
        [
            new(StepUp1Label, null, FourteenDays, "≤ 14 days",
                "\"Restart treatment at 32 mg; if tolerated, increase to 76 mg 4 days later\".", true, RestartSource, [StepUp2Label]),
            new(StepUp1Label, FourteenDays, null, "> 14 days", "Restart at 12 mg (step-up dose 1).", true, RestartSource, [StepUp1Label]),
            new(StepUp2Label, null, FourteenDays, "≤ 14 days", "Restart at 76 mg: give the next planned dose.", false, RestartSource),
            new(StepUp2Label, FourteenDays, TwentyEightDays, "> 2 weeks to ≤ 4 weeks",
                "Restart at 32 mg; 76 mg 1 week later if tolerated.", true, RestartSource, [StepUp2Label], ResumeAfter: OneWeek),
            new(StepUp2Label, TwentyEightDays, null, "> 28 days", "Restart at 12 mg (step-up dose 1).", true, RestartSource, [StepUp1Label]),
            .. SeventySixMgRows(TreatmentLabel, null),
        ],
        NotEncoded:
        [
            "Every 2 weeks (weeks 25-48): 76 mg after ≥ 24 weeks in patients with \"partial response (PR) or better\" maintained \"for "
            + "at least 2 months\" (S-ELR-PP ⚠️): the catalogue entry elranatamab-q2w. The response assessment is not encoded: the "
            + "clinician decides and re-plans; this plan keeps weekly dosing (CLINICAL-RULES.md §5.8).",
            .. SharedNotEncoded,
        ],
        Jurisdiction: AllLabels,
        LabelCycles: false).WithUntaggedRowsOf(Jurisdiction.Us);

    /// <summary>Every 2 weeks from week 25, after ≥ 24 weeks with partial response or better maintained for at least 2 months: 76 mg.</summary>
    public static Regimen EveryTwoWeeks { get; } = new Regimen(
        "elranatamab-q2w",
        Drug,
        "Relapsed/refractory multiple myeloma, every-2-weeks phase (weeks 25-48): after ≥ 24 weeks of weekly elranatamab with "
        + "\"partial response (PR) or better\" maintained \"for at least 2 months\" (S-ELR-PP ⚠️); cycle 1 day 1 is the first "
        + "every-2-weeks dose (Elrexfio)",
        RegimenStatus.Label,
        Route.Subcutaneous,
        [new CycleLength(1, null, 14)],
        null,
        [
            new(1, null, 1, null, Drug, DoseRole.Full, Amount.Fixed(76, "mg"), EveryTwoWeeksLabel, Schedule,
                Premedication: AfterCrsPremedication, Monitoring: [UsAfterCrs2]),
        ],
        "CLINICAL-RULES.md §5.8 (S-ELR-PP ⚠️; EU: every 2 weeks read, S-ELR-EU ⚠️). No cycles in the label: encoded as 14-day "
        + "repeat units, one dose on day 1 of each. Weekly doses were \"a minimum of 6 days between treatments\" (S-ELR-DC ⚠️).",
        DelayRules: SeventySixMgRows(EveryTwoWeeksLabel,
            " This entry holds no step-up dose: the step-up doses and the 76 mg doses after them are the elranatamab entry's; the "
            + "clinician re-plans the patient on it."),
        NotEncoded:
        [
            "Every 4 weeks: after ≥ 24 weeks \"at the every two-week dosing schedule\" with response maintained (S-ELR-PP ⚠️, US; the "
            + "EU label was read for every 2 weeks only): the every-4-weeks dose is not stated in CLINICAL-RULES.md §5.8: not "
            + "encoded: consult the ELREXFIO label. This plan keeps every 2 weeks; the clinician decides the switch.",
            "Restart after a delay of more than 6 weeks: the step-up doses to repeat are not part of this entry: the clinician decides and "
            + "re-plans the patient on the elranatamab entry (CLINICAL-RULES.md §5.8).",
            .. SharedNotEncoded,
        ],
        Jurisdiction: Jurisdiction.Us | Jurisdiction.Eu,
        LabelCycles: false).WithUntaggedRowsOf(Jurisdiction.Us);

    /// <summary>Every Elranatamab entry of the catalogue.</summary>
    public static IReadOnlyList<Regimen> Regimens { get; } = [Weekly, EveryTwoWeeks];
}

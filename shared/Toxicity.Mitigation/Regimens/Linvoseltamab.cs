namespace Toxicity.Mitigation.Regimens;

/// <summary>
/// Linvoseltamab regimen of CLINICAL-RULES.md §5.10 (Lynozyfic; BCMA×CD3; IV infusion diluted in 0.9% NaCl; flat mg; no
/// cycles). Every number is from §5.10 (⚠️ rows, ids in every source); ❌ rows are <see cref="Regimen.NotEncoded"/> or
/// not-encoded items. The label has no cycles: encoded as 7-day repeat units for weeks 1-13 (5 mg week 1, 25 mg week 2,
/// 200 mg week 3, 200 mg weekly in weeks 4-13) and 14-day units from week 14 (200 mg every 2 weeks)
/// (<see cref="Regimen.LabelCycles"/> false). The every-4-weeks phase has no stated dose: not an entry.
/// </summary>
public static class Linvoseltamab
{
    private const string Drug = "linvoseltamab";
    private const Jurisdiction UsEu = Jurisdiction.Us | Jurisdiction.Eu;

    private const string Schedule = "CLINICAL-RULES.md §5.10 (S-LIN-DC ⚠️ US; S-LIN-EU ⚠️ EU)";
    private const string EveryTwoWeeksSchedule =
        "CLINICAL-RULES.md §5.10 (S-LIN-EU ⚠️ \"Q2W from Week 14\"; S-LIN-DC ⚠️ weekly \"for 10 doses\", then biweekly)";
    private const string PremedicationSource = "CLINICAL-RULES.md §5.10 premedication, EU (S-LIN-EU ⚠️)";
    private const string Infusion = "IV infusion, diluted in 0.9% sodium chloride; infusion duration: not encoded: consult the label (Table 1)";

    /// <summary>Dose label of step-up dose 1 (week 1).</summary>
    public const string StepUp1Label = "5 mg (step-up dose 1)";

    /// <summary>Dose label of step-up dose 2 (week 2).</summary>
    public const string StepUp2Label = "25 mg (step-up dose 2)";

    /// <summary>Dose label of the first full dose (week 3).</summary>
    public const string FirstFullLabel = "200 mg (first full dose)";

    /// <summary>Dose label of the weekly doses of weeks 4-13.</summary>
    public const string WeeklyLabel = "200 mg (once weekly, weeks 4-13)";

    /// <summary>Dose label of the doses every 2 weeks from week 14.</summary>
    public const string EveryTwoWeeksLabel = "200 mg (every 2 weeks, from week 14)";

    /// <summary>The cycle (14-day units) in which dosing every 2 weeks starts: week 14.</summary>
    public const int FirstEveryTwoWeeksCycle = 14;

    private static Premedication Dexamethasone(double mg, string? condition) => new(
        "dexamethasone", Amount.Fixed(mg, "mg"), "IV", "1 to 3 hours before the infusion", PremedicationSource, condition,
        Jurisdiction: Jurisdiction.Eu);

    private static readonly Premedication Antihistamine = new(
        "antihistamine (e.g. diphenhydramine)", Amount.Fixed(25, "mg"), "oral or IV", "30 to 60 minutes before the infusion", PremedicationSource,
        Jurisdiction: Jurisdiction.Eu);

    private static readonly Premedication Paracetamol = new(
        "paracetamol (e.g.)", new Amount(null, null, null, "mg", 500, 1000), "oral", "30 to 60 minutes before the infusion", PremedicationSource,
        Jurisdiction: Jurisdiction.Eu);

    private static readonly Premedication UsNotEncoded = new(
        "premedication (US label)", null, null, "before the infusion", "CLINICAL-RULES.md §5.10 premedication, US (❌ not read)",
        NotEncoded: "US premedication: not read (❌): consult the LYNOZYFIC label §2 (CLINICAL-RULES.md §5.10).", Jurisdiction: Jurisdiction.Us);

    /// <summary>The condition of the 40 mg dexamethasone before the second 200 mg dose.</summary>
    public const string AfterCrsOrIrr = "CRS/IRR with the prior infusion";

    /// <summary>The condition of the 10 mg dexamethasone before the second 200 mg dose.</summary>
    public const string NoCrsOrIrr = "no CRS/IRR with the prior infusion";

    private static readonly List<Premedication> StepUpPremedication = [Dexamethasone(40, null), Antihistamine, Paracetamol, UsNotEncoded];

    private static readonly List<Premedication> SecondFullDosePremedication =
        [Dexamethasone(40, AfterCrsOrIrr), Dexamethasone(10, NoCrsOrIrr), Antihistamine, Paracetamol, UsNotEncoded];

    private static readonly List<Premedication> LaterPremedication =
    [
        new("premedication (drugs per label)", null, null, "before the infusion", "CLINICAL-RULES.md §5.10 premedication, EU (S-LIN-EU ⚠️; row truncated)",
            "CRS/IRR with the prior infusion; continue \"until two full doses are tolerated without CRS and/or IRR\"",
            NotEncoded: "Repeat premedication after CRS/IRR with the prior infusion (S-LIN-EU ⚠️): the row is truncated, its drugs and "
                + "doses are not encoded: consult the Lynozyfic SmPC §4.2 (CLINICAL-RULES.md §5.10).",
            Jurisdiction: Jurisdiction.Eu),
        UsNotEncoded,
    ];

    private static Monitoring UsHospitalise(string dose) => new(
        $"Hospitalise for 24 hours after this dose (\"hospitalized for 24 hours after … the {dose} step-up dose\").",
        "CLINICAL-RULES.md §5.10 monitoring, US (S-LIN-DC ⚠️)", Jurisdiction: Jurisdiction.Us);

    private static readonly Monitoring EuCaregiver = new(
        "\"Remain with a caregiver within close proximity … for 24 hours after the end of infusion\".",
        "CLINICAL-RULES.md §5.10 monitoring, EU (S-LIN-EU ⚠️)", Jurisdiction: Jurisdiction.Eu);

    private static readonly Monitoring EuLaterNotEncoded = new(
        "Monitoring under the EU SmPC after step-up dose 2 and later doses: its conditions were not read: not encoded: consult the "
        + "Lynozyfic SmPC §4.2/4.4.",
        "CLINICAL-RULES.md §5.10 monitoring, EU (S-LIN-EU ⚠️; conditions not read ❌)", Jurisdiction: Jurisdiction.Eu);

    private static readonly Monitoring TocilizumabNotEncoded = new(
        "Tocilizumab availability: not encoded: consult the label (LYNOZYFIC / Lynozyfic).",
        "CLINICAL-RULES.md §5.10 (❌ not read)", Jurisdiction: UsEu);

    private static DoseRule Dose(int fromCycle, int? toCycle, DoseRole role, double mg, string label, string source, string infusion,
        List<Premedication> premedication, List<Monitoring> monitoring) =>
        new(fromCycle, toCycle, 1, null, Drug, role, Amount.Fixed(mg, "mg"), label, source, infusion, premedication, monitoring, UsEu);

    /// <summary>5 / 25 mg step-up, 200 mg in week 3, weekly to week 13, then every 2 weeks.</summary>
    public static Regimen Label { get; } = new Regimen(
        "linvoseltamab",
        Drug,
        "Relapsed/refractory multiple myeloma (EU: \"at least 3 prior therapies\", S-LIN-EU ⚠️); IV infusion, flat dose (Lynozyfic)",
        RegimenStatus.Label,
        Route.Intravenous,
        [new CycleLength(1, FirstEveryTwoWeeksCycle - 1, 7), new CycleLength(FirstEveryTwoWeeksCycle, null, 14)],
        null,
        [
            Dose(1, 1, DoseRole.StepUp, 5, StepUp1Label, Schedule, "IV infusion over \"4 hours\" (S-LIN-DC ⚠️), diluted in 0.9% sodium chloride",
                StepUpPremedication, [UsHospitalise("first"), EuCaregiver, TocilizumabNotEncoded]),
            Dose(2, 2, DoseRole.StepUp, 25, StepUp2Label, Schedule, Infusion,
                StepUpPremedication, [UsHospitalise("second"), EuLaterNotEncoded, TocilizumabNotEncoded]),
            Dose(3, 3, DoseRole.Full, 200, FirstFullLabel, Schedule, Infusion, StepUpPremedication, [EuLaterNotEncoded, TocilizumabNotEncoded]),
            Dose(4, 4, DoseRole.Full, 200, WeeklyLabel, Schedule, Infusion, SecondFullDosePremedication, [EuLaterNotEncoded]),
            Dose(5, FirstEveryTwoWeeksCycle - 1, DoseRole.Full, 200, WeeklyLabel, Schedule, Infusion, LaterPremedication, [EuLaterNotEncoded]),
            Dose(FirstEveryTwoWeeksCycle, null, DoseRole.Full, 200, EveryTwoWeeksLabel, EveryTwoWeeksSchedule, Infusion, LaterPremedication,
                [EuLaterNotEncoded]),
        ],
        "CLINICAL-RULES.md §5.10 (S-LIN-DC ⚠️: D1 5 mg, D8 25 mg, D15 200 mg, 200 mg weekly \"for 10 doses\", then biweekly; S-LIN-EU ⚠️: "
        + "\"200 mg weekly from Week 4 to Week 13\", Q2W from Week 14). No cycles in the label: encoded as 7-day repeat units for weeks "
        + "1-13 and 14-day units from week 14; the US \"10 doses\" are read as weeks 4-13, after the first full dose, as the EU label "
        + "says. \"Weekly doses should be at least 5 days apart\" (S-LIN-DC ⚠️).",
        NotEncoded:
        [
            "Every 4 weeks (US): in patients who \"achieved and maintained VGPR or better at or after Week 24 and received at least 17 "
            + "doses of 200 mg\" (S-LIN-DC ⚠️): the every-4-weeks dose is not stated in CLINICAL-RULES.md §5.10: not encoded: consult "
            + "the LYNOZYFIC label. This plan keeps every 2 weeks; the clinician decides the switch.",
            "Biweekly minimum interval (Table 1 footnote) and the infusion durations of 25 mg and 200 mg: not read (❌): consult the "
            + "LYNOZYFIC label Table 1 (CLINICAL-RULES.md §5.10).",
            "US premedication: not read (❌): consult the LYNOZYFIC label §2 (CLINICAL-RULES.md §5.10).",
            "Restart after a delay: not read (❌): consult the LYNOZYFIC / Lynozyfic label (CLINICAL-RULES.md §5.10).",
            "CRS, ICANS, neurologic toxicity and infusion-related reaction rows and their scales (US Tables 3, 4 and 5): not read (❌): "
            + "consult the LYNOZYFIC label (CLINICAL-RULES.md §5.10).",
            "Tocilizumab availability and the \"premedication may mask fever\" note: not read (❌): consult the LYNOZYFIC label "
            + "(CLINICAL-RULES.md §5.10).",
        ],
        Jurisdiction: UsEu,
        LabelCycles: false);

    /// <summary>Every Linvoseltamab entry of the catalogue.</summary>
    public static IReadOnlyList<Regimen> Regimens { get; } = [Label];
}

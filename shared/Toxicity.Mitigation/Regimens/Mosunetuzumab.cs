namespace Toxicity.Mitigation.Regimens;

/// <summary>
/// Mosunetuzumab regimens of CLINICAL-RULES.md §5.3 (Lunsumio; CD20×CD3; IV; 21-day cycles). Every number is from
/// §5.3; rows marked ❌ there are <see cref="Regimen.NotEncoded"/> text, rows marked ⚠️ say so in their source.
/// </summary>
public static class Mosunetuzumab
{
    private const string Drug = "mosunetuzumab";
    private const string Schedule = "CLINICAL-RULES.md §5.3 (S-LUN-EU; S-LUN-US)";
    // §5.13: the premedication doses are EU-cited; the US label says "premedicate before each dose in Cycle 1 and Cycle 2"
    // without doses read, so at US sites they are labelled the EU SmPC dose.
    private const string PremedicationSource =
        "CLINICAL-RULES.md §5.3 premedication (S-LUN-EU Table 1: EU SmPC dose; S-LUN-US: premedicate before each dose in Cycles 1 and 2, US doses not read)";
    private const Jurisdiction UsAndEu = Jurisdiction.Us | Jurisdiction.Eu;
    private const string RestartSource = "CLINICAL-RULES.md §5.3 restart table (S-LUN-MS ⚠️: US PI Table 2 restated by Medscape)";
    private const string RepeatedStepUpPremedication =
        " The label's table asks for premedication for all patients on Day 1, 8 and 15 of the next cycle when the step-up is repeated (S-LUN-US).";

    /// <summary>Cycle 3 onwards: the premedication applies only after any-grade CRS with the previous dose.</summary>
    public const string AfterCrsWithPreviousDose = "only if the patient had CRS (any grade) with the previous dose";

    // A label bound "≥ N" is encoded as MoreThan = N - 1 tick, and "< N" as AtMost = N - 1 tick: for TimeSpan
    // comparisons (elapsed > MoreThan, elapsed <= AtMost) these are exactly the label's bounds, so the rows of the
    // restart table do not overlap at their edges. Window keeps the label's words.
    private static TimeSpan AtLeast(TimeSpan bound) => bound - TimeSpan.FromTicks(1);

    private static TimeSpan Below(TimeSpan bound) => bound - TimeSpan.FromTicks(1);

    private const string OneMg = "1 mg (C1D1)";
    private const string TwoMg = "2 mg (C1D8)";

    private static readonly TimeSpan OneWeek = TimeSpan.FromDays(7);
    private static readonly TimeSpan TwoWeeks = TimeSpan.FromDays(14);
    private static readonly TimeSpan SixWeeks = TimeSpan.FromDays(42);

    private static List<Premedication> PremedicationItems(string? condition) =>
    [
        new("dexamethasone", Amount.Fixed(20, "mg"), "IV", "completed ≥ 1 h before the dose", PremedicationSource, condition,
            Alternatives: [new("methylprednisolone", Amount.Fixed(80, "mg"), "IV", "completed ≥ 1 h before the dose", PremedicationSource, condition, Jurisdiction: UsAndEu)],
            Jurisdiction: UsAndEu),
        new("diphenhydramine (or equivalent antihistamine)", new Amount(null, null, null, "mg", 50, 100), "orally or IV",
            "≥ 30 min before the dose", PremedicationSource, condition, Jurisdiction: UsAndEu),
        new("paracetamol (acetaminophen)", new Amount(null, null, null, "mg", 500, 1000), null,
            "≥ 30 min before the dose", PremedicationSource, condition, Jurisdiction: UsAndEu),
    ];

    private static readonly Monitoring NoMandatoryHospitalisation = new(
        "No mandatory hospitalisation in the US label: administer by a qualified healthcare professional with the medical "
        + "support to manage severe CRS and neurologic toxicity, to well-hydrated patients.",
        "CLINICAL-RULES.md §5.3 hospitalisation (S-LUN-US)", Jurisdiction: Jurisdiction.Us);

    private static readonly Monitoring SwissInpatientMonitoring = new(
        "Non-US (Swiss label) only: at least 72 h of inpatient monitoring at this dose.",
        "CLINICAL-RULES.md §5.3 hospitalisation (S-LUN-CH ⚠️, non-US; not in the US label)",
        "CRS grade ≥ 2 with the previous dose, and the patient is treated under the Swiss label", Jurisdiction.Ch);

    private static DoseRule Dose(int fromCycle, int? toCycle, int day, DoseRole role, double mg, string label, string infusion, string? premedicationCondition, bool firstDose = false) =>
        new(fromCycle, toCycle, day, null, Drug, role, Amount.Fixed(mg, "mg"), label, Schedule, infusion,
            PremedicationItems(premedicationCondition),
            firstDose ? [NoMandatoryHospitalisation] : [NoMandatoryHospitalisation, SwissInpatientMonitoring], UsAndEu);

    /// <summary>The label schedule: 1/2/60 mg step-up in Cycle 1, 60 mg C2D1, 30 mg from C3D1; up to 17 cycles.</summary>
    public static Regimen Label { get; } = new(
        "mosunetuzumab",
        Drug,
        "Lunsumio label schedule (US PI and EU SmPC); the indication is not restated in CLINICAL-RULES.md §5.3: see the label",
        RegimenStatus.Label,
        Route.Intravenous,
        [new CycleLength(1, null, 21)],
        17,
        [
            Dose(1, 1, 1, DoseRole.StepUp, 1, "1 mg (C1D1)", "over ≥ 4 h (Cycle 1)", null, firstDose: true),
            Dose(1, 1, 8, DoseRole.StepUp, 2, "2 mg (C1D8)", "over ≥ 4 h (Cycle 1)", null),
            Dose(1, 1, 15, DoseRole.Full, 60, "60 mg (C1D15)", "over ≥ 4 h (Cycle 1)", null),
            Dose(2, 2, 1, DoseRole.Full, 60, "60 mg (C2D1)", "over 2 h if Cycle 1 was well tolerated", null),
            Dose(3, null, 1, DoseRole.Full, 30, "30 mg (C3+)", "over 2 h if well tolerated", AfterCrsWithPreviousDose),
        ],
        Schedule,
        DelayRules:
        [
            new("1 mg (C1D1)", AtLeast(OneWeek), TwoWeeks, "1-2 weeks",
                "Give 2 mg (C1D8), then resume the planned schedule.", false, RestartSource, Jurisdiction: Jurisdiction.Us),
            new("1 mg (C1D1)", TwoWeeks, null, "> 2 weeks",
                "Repeat 1 mg (C1D1), then 2 mg (C1D8), then resume the planned schedule." + RepeatedStepUpPremedication, true, RestartSource,
                [OneMg], Jurisdiction: Jurisdiction.Us),
            new("2 mg (C1D8)", AtLeast(OneWeek), TwoWeeks, "1-2 weeks",
                "Give 60 mg (C1D15), then resume the planned schedule.", false, RestartSource, Jurisdiction: Jurisdiction.Us),
            new("2 mg (C1D8)", TwoWeeks, Below(SixWeeks), "> 2 weeks to < 6 weeks",
                "Repeat 2 mg (C1D8), then 60 mg (C1D15), then resume the planned schedule." + RepeatedStepUpPremedication, true, RestartSource,
                [TwoMg], Jurisdiction: Jurisdiction.Us),
            new("2 mg (C1D8)", AtLeast(SixWeeks), null, "≥ 6 weeks",
                "Repeat 1 mg (C1D1) and 2 mg (C1D8), then 60 mg (C1D15), then resume the planned schedule." + RepeatedStepUpPremedication, true, RestartSource,
                [OneMg], Jurisdiction: Jurisdiction.Us),
            new("60 mg (C1D15)", AtLeast(OneWeek), Below(SixWeeks), "1 week to < 6 weeks",
                "Give 60 mg (C2D1), then resume the planned schedule.", false, RestartSource, Jurisdiction: Jurisdiction.Us),
            new("60 mg (C1D15)", AtLeast(SixWeeks), null, "≥ 6 weeks",
                "Repeat the step-up as 1 mg (C2D1), 2 mg (C2D8), 60 mg (C2D15), then 30 mg (C3D1)." + RepeatedStepUpPremedication, true, RestartSource,
                [OneMg, TwoMg, "60 mg (C1D15)"], "30 mg (C3+)", Jurisdiction.Us),
        ],
        NotEncoded:
        [
            "Duration: 8 cycles. If complete response, stop after 8 cycles; if partial response or stable disease after 8 "
            + "cycles, 9 more cycles (17 in total) (CLINICAL-RULES.md §5.3, S-LUN-US). The response assessment is not "
            + "encoded: the plan allows up to 17 cycles and the clinician decides after Cycle 8 whether to stop.",
            "Restart after a delay when the last dose was 60 mg (C2D1) or 30 mg (C3+): not read (❌). Consult the LUNSUMIO "
            + "label, restart table (US PI Table 2) (CLINICAL-RULES.md §5.3, §7.1 item 3).",
            "CRS (grades 1, 2, recurrent 2, 3, recurrent 3, 4) and ICANS (grades 2, 3, 4) dose-modification rows: not read "
            + "(❌). Consult the LUNSUMIO label dose-modification table (CLINICAL-RULES.md §5.3, §7.1 item 3).",
        ],
        // On label at US, EU and Swiss sites (the Swiss row is its inpatient-monitoring row).
        Jurisdiction: UsAndEu | Jurisdiction.Ch);

    /// <summary>Every Mosunetuzumab entry of the catalogue.</summary>
    public static IReadOnlyList<Regimen> Regimens { get; } = [Label];
}

namespace Toxicity.Mitigation.Regimens;

/// <summary>
/// Glofitamab regimens of CLINICAL-RULES.md §5.2: obinutuzumab pre-treatment on C1 D1, step-up doses on C1 D8 and
/// C1 D15, then 30 mg on day 1 of cycles 2-12 (21-day cycles).
/// </summary>
public static class Glofitamab
{
    /// <summary>
    /// The advice for a delayed or missed dose while the delay table is not read (CLINICAL-RULES.md §5.2), verbatim.
    /// </summary>
    public const string DelayedDoseAdvice =
        "dose delayed: consult the Columvi label, section 2 (US) / 4.2 Table 2 (EU), for whether obinutuzumab pre-treatment and step-up must be repeated";

    private const string Drug = "glofitamab";
    private const string Schedule = "CLINICAL-RULES.md §5.2 (S-COL-MS; S-COL-EU)";
    private const string PremedicationSource = "CLINICAL-RULES.md §5.2 premedication, EU SmPC Table 1 (S-COL-EU; class names S-COL-MS)";
    private const string PremedicationNotRead =
        "Drug and dose not read (EU SmPC Table 1 footnotes): consult the Columvi label, section 2 (US) / 4.2 Table 1 (EU).";
    private const string MonitoringSource = "CLINICAL-RULES.md §5.2 hospitalisation/monitoring (S-COL-CH)";
    private const string CrsWithPreviousDose = "CRS with the previous dose";

    /// <summary>Every Glofitamab entry of the catalogue.</summary>
    public static IReadOnlyList<Regimen> Regimens { get; } = [Monotherapy()];

    private static Regimen Monotherapy() => new(
        Id: "glofitamab-monotherapy",
        Drug: Drug,
        Setting: "Glofitamab monotherapy after obinutuzumab pre-treatment (Columvi label schedule)",
        Status: RegimenStatus.Label,
        Route: Route.Intravenous,
        Cycles: [new CycleLength(1, null, 21)],
        MaxCycles: 12,
        Doses:
        [
            new DoseRule(1, 1, 1, null, "obinutuzumab", DoseRole.Pretreatment, Amount.Fixed(1000, "mg"),
                "C1 D1: obinutuzumab 1000 mg IV pre-treatment (no glofitamab)", "CLINICAL-RULES.md §5.2 (S-COL-MS; S-COL-EU; S-COL-ONS)",
                Jurisdiction: UsAndEu,
                Infusion: "IV: start at 50 mg/h, escalate by 50 mg/h every 30 min to a maximum of 400 mg/h (S-COL-ONS)",
                Premedication:
                [
                    new("premedication for obinutuzumab", null, null, "not read", "CLINICAL-RULES.md §5.2", Jurisdiction: Jurisdiction.Neutral,
                        NotEncoded: "Premedication for the obinutuzumab pre-treatment is not in CLINICAL-RULES.md §5.2: consult the Columvi label, "
                            + "section 2 (US) / 4.2 (EU), and the obinutuzumab label."),
                ]),
            new DoseRule(1, 1, 8, null, Drug, DoseRole.StepUp, Amount.Fixed(2.5, "mg"), "C1 D8: glofitamab 2.5 mg (step-up dose 1)", Schedule,
                Jurisdiction: UsAndEu,
                Infusion: "IV over 4 h",
                Premedication: WithGlucocorticoid,
                Monitoring:
                [
                    new("Hospitalise during the infusion of step-up dose 1 and for 24 h after", "CLINICAL-RULES.md §5.2 hospitalisation/monitoring (S-COL-CH; healthtree ⚠️ secondary source)",
                        Jurisdiction: Jurisdiction.Ch),
                    DailyMonitoring,
                    MonitoringNotEncoded,
                    TocilizumabAvailable,
                ]),
            new DoseRule(1, 1, 15, null, Drug, DoseRole.StepUp, Amount.Fixed(10, "mg"), "C1 D15: glofitamab 10 mg (step-up dose 2)", "CLINICAL-RULES.md §5.2 (S-COL-MS)",
                Jurisdiction: Jurisdiction.Us,
                Infusion: "IV over 4 h; if CRS occurred with a previous dose, extend up to 8 h",
                Premedication: WithGlucocorticoid,
                Monitoring:
                [
                    new("Hospitalise during the infusion of step-up dose 2 and for 24 h after", MonitoringSource,
                        Condition: "any-grade CRS with step-up dose 1 (2.5 mg, C1 D8)", Jurisdiction: Jurisdiction.Ch),
                    DailyMonitoring,
                    MonitoringNotEncoded,
                    TocilizumabAvailable,
                ]),
            new DoseRule(2, 2, 1, null, Drug, DoseRole.Full, Amount.Fixed(30, "mg"), "C2 D1: glofitamab 30 mg", "CLINICAL-RULES.md §5.2 (S-COL-MS)",
                Jurisdiction: Jurisdiction.Us,
                Infusion: "IV over 4 h (up to 8 h if CRS with the previous dose)",
                Premedication: WithGlucocorticoid,
                Monitoring: [HospitaliseAfterCrsGrade2, DailyMonitoring, MonitoringNotEncoded, TocilizumabAvailable]),
            new DoseRule(3, 3, 1, null, Drug, DoseRole.Full, Amount.Fixed(30, "mg"), "C3 D1: glofitamab 30 mg", "CLINICAL-RULES.md §5.2 (S-COL-MS)",
                Jurisdiction: Jurisdiction.Us,
                Infusion: LaterInfusion,
                Premedication: WithGlucocorticoid,
                Monitoring: [HospitaliseAfterCrsGrade2, DailyMonitoring, MonitoringNotEncoded]),
            new DoseRule(4, 12, 1, null, Drug, DoseRole.Full, Amount.Fixed(30, "mg"), "C4-C12 D1: glofitamab 30 mg", "CLINICAL-RULES.md §5.2 (S-COL-MS)",
                Jurisdiction: Jurisdiction.Us,
                Infusion: LaterInfusion,
                Premedication:
                [
                    Analgesic,
                    Antihistamine,
                    Glucocorticoid("CLINICAL-RULES.md §5.2 premedication, EU SmPC Table 1 (S-COL-EU ⚠️ row read in part; class name S-COL-MS)", CrsWithPreviousDose),
                ],
                Monitoring: [HospitaliseAfterCrsGrade2, DailyMonitoring, MonitoringNotEncoded]),
        ],
        // On label at US, EU and Swiss sites (the Swiss rows are its hospitalisation rows).
        Jurisdiction: UsAndEu | Jurisdiction.Ch,
        Source: "CLINICAL-RULES.md §5.2 (S-COL-MS; S-COL-EU; S-COL-CH; S-COL-ONS); §4.2 (S-COL-EU)",
        WeightRule: "Fixed doses for all weights",
        NotEncoded:
        [
            DelayedDoseAdvice,
            "Premedication drug names and doses (glucocorticoid, analgesic/antipyretic, antihistamine): not read; the classes are named as "
                + "dexamethasone, acetaminophen and diphenhydramine by S-COL-MS without doses. Consult the Columvi label, section 2 (US) / 4.2 "
                + "Table 1 (EU). Source: CLINICAL-RULES.md §5.2; §7.1 item 2.",
            "CRS grade 2-4 dose modification: not read; consult the Columvi label, section 2 (US) / 4.2 (EU). Source: CLINICAL-RULES.md §5.2; §7.1 item 2.",
            "Combination with gemcitabine + oxaliplatin (EU label): schedule not retrieved, no catalogue entry; consult the Columvi EU SmPC section 4.2. "
                + "Source: CLINICAL-RULES.md §5.2.",
            "US label monitoring: a US consumer monograph says monitoring for ≥ 24 h after at least the first 3 doses, which disagrees with the "
                + "SmPC rule encoded here; re-check the US label. Source: CLINICAL-RULES.md §5.2; §7.2.",
        ]);

    // §5.13: the schedule's first rows reproduce the US PI and the EU SmPC; premedication EU timing with US class names.
    private const Jurisdiction UsAndEu = Jurisdiction.Us | Jurisdiction.Eu;

    private static string LaterInfusion => "IV over 2 h; if CRS occurred with the previous dose, keep 4 h";

    private static Premedication[] WithGlucocorticoid => [Glucocorticoid(PremedicationSource, null), Analgesic, Antihistamine];

    private static Premedication Glucocorticoid(string source, string? condition) => new(
        "IV glucocorticoid (dexamethasone per S-COL-MS)", null, "IV", "completed ≥ 1 h before the infusion", source, condition, PremedicationNotRead, Jurisdiction: UsAndEu);

    private static Premedication Analgesic => new(
        "oral analgesic/antipyretic (acetaminophen per S-COL-MS)", null, "oral", "≥ 30 min before the infusion", PremedicationSource, NotEncoded: PremedicationNotRead, Jurisdiction: UsAndEu);

    private static Premedication Antihistamine => new(
        "antihistamine (diphenhydramine per S-COL-MS)", null, null, "before the infusion (exact timing not read)", PremedicationSource, NotEncoded: PremedicationNotRead, Jurisdiction: UsAndEu);

    private static Monitoring HospitaliseAfterCrsGrade2 => new(
        "Hospitalise during this infusion and for 24 h after", MonitoringSource, Condition: "CRS grade ≥ 2 with the previous infusion", Jurisdiction: Jurisdiction.Ch);

    private static Monitoring DailyMonitoring => new(
        "Monitor daily for up to 7 days after this administration for CRS, neurological and other toxicity", MonitoringSource, Jurisdiction: Jurisdiction.Ch);

    // §5.13 "Engine consequences": the hospitalisation rows are Swiss; elsewhere, what to consult.
    private static Monitoring MonitoringNotEncoded => new(
        "Hospitalisation and monitoring: not encoded for this jurisdiction (the rows read are the Swiss label's): consult the Columvi label §2 (US) / §4.2 (EU)",
        "CLINICAL-RULES.md §5.2, §5.13 (S-COL-CH rows are Swiss only)", Jurisdiction: UsAndEu);

    private static Monitoring TocilizumabAvailable => new(
        "At least 1 dose of tocilizumab available before the infusion, and access to an additional dose within 8 h of the previous one",
        "CLINICAL-RULES.md §4.2 (S-COL-EU)", Jurisdiction: Jurisdiction.Eu);
}

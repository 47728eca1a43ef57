namespace Toxicity.Mitigation.Regimens;

/// <summary>
/// Blinatumomab regimens of CLINICAL-RULES.md §5.1: a continuous IV infusion, so each dose rule is a rate in µg/day
/// from <see cref="DoseRule.Day"/> through <see cref="DoseRule.ThroughDay"/>.
/// </summary>
/// <remarks>
/// Premedication depends on age (adult or paediatric) and jurisdiction (US or non-US label), not on weight, so every
/// premedication item carries a <see cref="Premedication.Condition"/> tag (one of the constants below) and both entries
/// of a weight band carry all the items; the clinician (or advice rules) picks the tag that fits the patient
/// (CLINICAL-RULES.md §7.2 "catalogue both, tagged US / non-US").
/// </remarks>
public static class Blinatumomab
{
    /// <summary>Condition tag: the US label, for an adult patient.</summary>
    public const string UsAdult = "US label, adult patient";

    /// <summary>Condition tag: the US label, for a paediatric patient.</summary>
    public const string UsPaediatric = "US label, paediatric patient";

    /// <summary>Condition tag: the non-US (Hong Kong/EU-type) label, for an adult patient.</summary>
    public const string NonUsAdult = "non-US label (Hong Kong/EU-type), adult patient";

    /// <summary>Condition tag: the non-US (Hong Kong/EU-type) label, for a paediatric patient.</summary>
    public const string NonUsPaediatric = "non-US label (Hong Kong/EU-type), paediatric patient";

    /// <summary>Condition tag: the non-US (Hong Kong/EU-type) label, any patient.</summary>
    public const string NonUs = "non-US label (Hong Kong/EU-type)";

    /// <summary>The unit of every blinatumomab dose: micrograms per day of continuous infusion.</summary>
    public const string MicrogramsPerDay = "ug/day";

    private const string Drug = "blinatumomab";
    private const string Dexamethasone = "dexamethasone";
    private const string RelapsedSchedule = "CLINICAL-RULES.md §5.1 R/R (S-BLIN-JHO; S-BLIN-DC; S-BLIN-ONA; S-SEED)";
    private const string MrdSchedule = "CLINICAL-RULES.md §5.1 MRD (S-BLIN-DC; S-BLIN-JHO)";
    private const string NhlSchedule = "CLINICAL-RULES.md §5.1 NHL (S-SEED)";
    private const string UsAdultRelapsedPremedication = "CLINICAL-RULES.md §5.1 premedication, R/R adult US (S-BLIN-ONA)";
    private const string UsPaediatricRelapsedPremedication =
        "CLINICAL-RULES.md §5.1 premedication, R/R paediatric US (S-BLIN-ONA dose; S-BLIN-MIMS ⚠️ secondary source for the first-cycle limit)";
    private const string NonUsPremedication =
        "CLINICAL-RULES.md §5.1 premedication, non-US; §7.2 (S-BLIN-HK ⚠️ secondary source, non-US label, differs from the US label)";
    private const string MrdPremedication = "CLINICAL-RULES.md §5.1 premedication, MRD adult US (S-BLIN-DC)";
    private const string MrdPaediatricPremedication =
        "CLINICAL-RULES.md §5.1 premedication, MRD paediatric US; §7.1 item 6 (S-BLIN-DC ⚠️ text truncated; maximum and timing ❌ not read)";
    private const string RelapsedHospitalisation = "CLINICAL-RULES.md §5.1 hospitalisation, R/R (S-BLIN-HCP; S-BLIN-ONA)";
    private const string MrdHospitalisation = "CLINICAL-RULES.md §5.1 hospitalisation, MRD (S-BLIN-DC; later starts as R/R: S-BLIN-HCP; S-BLIN-ONA)";
    private const string LaterStarts = "At this cycle start: supervision by a healthcare professional or hospitalisation";

    // §5.13: the R/R schedule reproduces the US PI and the neutral seed review; MRD rows the US PI only.
    private const Jurisdiction RelapsedRows = Jurisdiction.Us | Jurisdiction.Neutral;

    /// <summary>Every Blinatumomab entry of the catalogue.</summary>
    public static IReadOnlyList<Regimen> Regimens { get; } =
    [
        RelapsedRefractory(bsa: false),
        RelapsedRefractory(bsa: true),
        MrdPositive(bsa: false),
        MrdPositive(bsa: true),
        NonHodgkinLymphoma(),
    ];

    /// <summary>R/R CD19+ B-cell precursor ALL, ≥ 45 kg (fixed) or &lt; 45 kg (BSA, capped).</summary>
    private static Regimen RelapsedRefractory(bool bsa)
    {
        var step = bsa ? Amount.ByBsa(5, 9, MicrogramsPerDay) : Amount.Fixed(9, MicrogramsPerDay);
        var full = Full(bsa);
        var stepText = bsa ? "5 µg/m²/day (not to exceed 9 µg/day)" : "9 µg/day";
        var fullText = FullText(bsa);

        return new Regimen(
            Id: bsa ? "blinatumomab-rr-ball-under-45kg" : "blinatumomab-rr-ball-45kg-and-over",
            Drug: Drug,
            Setting: "Relapsed/refractory CD19+ B-cell precursor ALL (induction C1-C2, consolidation C3-C5, continued therapy C6-C9)",
            Status: RegimenStatus.Label,
            Route: Route.ContinuousIntravenous,
            Cycles: [new CycleLength(1, 5, 42), new CycleLength(6, 9, 84)],
            MaxCycles: 9,
            Doses:
            [
                new DoseRule(1, 1, 1, 7, Drug, DoseRole.StepUp, step, $"C1 D1-7: {stepText} (step dose), continuous infusion", RelapsedSchedule,
                    Jurisdiction: RelapsedRows,
                    Infusion: "continuous IV infusion",
                    Premedication:
                    [
                        UsAdultDexamethasone20("1 h before the first dose of the cycle"),
                        UsPaediatricRelapsedDexamethasone("1 h before the first dose of the first cycle"),
                        .. NonUsCycleStart(firstCycle: true),
                    ],
                    Monitoring: [new Monitoring("Hospitalise for the first 9 days of Cycle 1 (C1 D1-9)", RelapsedHospitalisation, Jurisdiction: Jurisdiction.Us)]),
                new DoseRule(1, 1, 8, 28, Drug, DoseRole.Full, full, $"C1 D8-28: {fullText}, continuous infusion (days 29-42 treatment-free)", RelapsedSchedule,
                    Jurisdiction: RelapsedRows,
                    Infusion: "continuous IV infusion",
                    Premedication:
                    [
                        UsAdultDexamethasone20("1 h before the step dose (C1 D8)"),
                        UsPaediatricRelapsedDexamethasone("1 h before the step dose (C1 D8)"),
                    ],
                    Monitoring: [new Monitoring("Hospitalisation of the first 9 days of Cycle 1 continues through C1 D9", RelapsedHospitalisation, Jurisdiction: Jurisdiction.Us)]),
                CycleStart(2, 2, full, $"C2 D1-28: {fullText}, continuous infusion, induction (days 29-42 treatment-free)", RelapsedSchedule,
                    [UsAdultDexamethasone20("1 h before the first dose of the cycle"), .. NonUsCycleStart(firstCycle: false)],
                    new Monitoring("Hospitalise for the first 2 days of Cycle 2 (C2 D1-2)", RelapsedHospitalisation, Jurisdiction: Jurisdiction.Us)),
                CycleStart(3, 5, full, $"C3-C5 D1-28: {fullText}, continuous infusion, consolidation (days 29-42 treatment-free)", RelapsedSchedule,
                    [UsAdultDexamethasone20("1 h before the first dose of the cycle"), .. NonUsCycleStart(firstCycle: false)],
                    new Monitoring(LaterStarts, RelapsedHospitalisation, Jurisdiction: Jurisdiction.Us)),
                CycleStart(6, 9, full, $"C6-C9 D1-28: {fullText}, continuous infusion, continued therapy (days 29-84: 56-day treatment-free interval)", RelapsedSchedule,
                    [UsAdultDexamethasone20("1 h before the first dose of the cycle"), .. NonUsCycleStart(firstCycle: false)],
                    new Monitoring(LaterStarts, RelapsedHospitalisation, Jurisdiction: Jurisdiction.Us)),
            ],
            Source: RelapsedSchedule,
            Jurisdiction: RelapsedRows,
            WeightRule: WeightRule(bsa),
            NotEncoded:
            [
                "Restart after an interruption of ≥ 4 h: dexamethasone 20 mg IV 1 h before restarting (US, adult); paediatric: dexamethasone 5 mg/m² "
                    + "(max 20 mg) 1 h before restarting, in the first cycle only. Not dated in the calendar (an interruption cannot be planned): "
                    + "restart advice is given by the advice rules. Source: CLINICAL-RULES.md §5.1 premedication (S-BLIN-ONA; S-BLIN-MIMS ⚠️ secondary source).",
                "Re-initiation after an interruption (e.g. of ≥ 4 h): supervision by a healthcare professional or hospitalisation. Not dated in the "
                    + "calendar. Source: CLINICAL-RULES.md §5.1 hospitalisation (S-BLIN-HCP; S-BLIN-ONA).",
                "Interruptions for an adverse reaction (≤ 7 days: continue the same cycle to 28 infusion days; > 7 days: start a new cycle) and the "
                    + "CRS/neurological dose modifications are not calendar data: see the advice rules. Source: CLINICAL-RULES.md §5.1 dose modification (S-BLIN-HCP).",
                .. CommonNotEncoded,
            ]);
    }

    /// <summary>MRD-positive B-ALL: 1 induction and up to 3 consolidation cycles of 42 days, no step-up.</summary>
    private static Regimen MrdPositive(bool bsa)
    {
        var full = Full(bsa);
        var fullText = FullText(bsa);
        Premedication[] cycleStart =
        [
            new(
                "prednisone, or equivalent (e.g. dexamethasone 16 mg)",
                Amount.Fixed(100, "mg"),
                "IV",
                "1 h before the first dose of the cycle",
                MrdPremedication,
                Condition: UsAdult,
                Jurisdiction: Jurisdiction.Us),
            new(
                Dexamethasone,
                null,
                null,
                "not read",
                MrdPaediatricPremedication,
                Condition: UsPaediatric,
                Jurisdiction: Jurisdiction.Us,
                NotEncoded: "Paediatric MRD premedication: the dose, maximum and timing were not verified (label text truncated). Consult the Blincyto "
                    + "US label, section 2 (premedication for MRD-positive B-ALL, pediatric patients)."),
        ];

        return new Regimen(
            Id: bsa ? "blinatumomab-mrd-ball-under-45kg" : "blinatumomab-mrd-ball-45kg-and-over",
            Drug: Drug,
            Setting: "MRD-positive B-cell precursor ALL in CR1/CR2 (MRD ≥ 0.1%): 1 induction cycle plus up to 3 consolidation cycles; no step-up",
            Status: RegimenStatus.Label,
            Route: Route.ContinuousIntravenous,
            Cycles: [new CycleLength(1, null, 42)],
            MaxCycles: 4,
            Doses:
            [
                CycleStart(1, 1, full, $"C1 D1-28: {fullText}, continuous infusion, induction (days 29-42 treatment-free)", MrdSchedule, cycleStart,
                    new Monitoring("Hospitalise for the first 3 days of Cycle 1 (C1 D1-3)", MrdHospitalisation, Jurisdiction: Jurisdiction.Us)),
                CycleStart(2, 2, full, $"C2 D1-28: {fullText}, continuous infusion, consolidation (days 29-42 treatment-free)", MrdSchedule, cycleStart,
                    new Monitoring("Hospitalise for the first 2 days of Cycle 2 (C2 D1-2)", MrdHospitalisation, Jurisdiction: Jurisdiction.Us)),
                CycleStart(3, 4, full, $"C3-C4 D1-28: {fullText}, continuous infusion, consolidation (days 29-42 treatment-free)", MrdSchedule, cycleStart,
                    new Monitoring(LaterStarts, MrdHospitalisation, Jurisdiction: Jurisdiction.Us)),
            ],
            Source: MrdSchedule,
            Jurisdiction: Jurisdiction.Us,
            WeightRule: WeightRule(bsa),
            NotEncoded:
            [
                "Re-initiation after an interruption: supervision by a healthcare professional or hospitalisation (as for R/R). Not dated in the "
                    + "calendar. Source: CLINICAL-RULES.md §5.1 hospitalisation (S-BLIN-DC; S-BLIN-HCP; S-BLIN-ONA).",
                "Non-US premedication for MRD-positive B-ALL: the non-US row of CLINICAL-RULES.md §5.1 (S-BLIN-HK ⚠️) does not name this setting, so "
                    + "it is not encoded here: consult the local (non-US) Blincyto label.",
                "Paediatric MRD premedication (US): not verified, consult the Blincyto US label, section 2. Source: CLINICAL-RULES.md §5.1; §7.1 item 6.",
                .. CommonNotEncoded,
            ]);
    }

    /// <summary>The NHL schedule of the seed paper: investigational, shown but never advised.</summary>
    private static Regimen NonHodgkinLymphoma() => new(
        Id: "blinatumomab-nhl-investigational",
        Drug: Drug,
        Setting: "Non-Hodgkin lymphoma (investigational, not a label regimen; not for advice)",
        Status: RegimenStatus.Investigational,
        Route: Route.ContinuousIntravenous,
        Cycles: [new CycleLength(1, 1, 15)],
        MaxCycles: 1,
        Doses:
        [
            new DoseRule(1, 1, 1, 7, Drug, DoseRole.StepUp, Amount.Fixed(9, MicrogramsPerDay), "Week 1 (D1-7): 9 µg/day, continuous infusion", NhlSchedule,
                Infusion: "continuous IV infusion", Jurisdiction: Jurisdiction.Neutral),
            new DoseRule(1, 1, 8, 14, Drug, DoseRole.StepUp, Amount.Fixed(28, MicrogramsPerDay), "Week 2 (D8-14): 28 µg/day, continuous infusion", NhlSchedule,
                Infusion: "continuous IV infusion", Jurisdiction: Jurisdiction.Neutral),
            new DoseRule(1, 1, 15, null, Drug, DoseRole.Full, Amount.Fixed(112, MicrogramsPerDay),
                "From D15: 112 µg/day (target), continuous infusion; duration not given in the source", NhlSchedule,
                Infusion: "continuous IV infusion", Jurisdiction: Jurisdiction.Neutral),
        ],
        Source: NhlSchedule,
        Jurisdiction: Jurisdiction.Neutral,
        WeightRule: "Fixed doses; the source gives no weight rule",
        NotEncoded:
        [
            "Cycle length, number of cycles and the duration of the 112 µg/day phase are not given in the source (S-SEED): the calendar is one "
                + "15-day cycle ending on the first day of 112 µg/day only because the model needs a cycle length; it is not a 15-day cycle. "
                + "Source: CLINICAL-RULES.md §5.1 NHL.",
            "Premedication and hospitalisation for the NHL schedule are not in CLINICAL-RULES.md §5.1: investigational, not for advice.",
        ]);

    private static string[] CommonNotEncoded =>
    [
        "Ph-negative consolidation indication (current US label): dosing not retrieved, no catalogue entry; consult the Blincyto US label, "
            + "section 2. Source: CLINICAL-RULES.md §5.1; §7.1 item 6.",
    ];

    private static Amount Full(bool bsa) => bsa ? Amount.ByBsa(15, 28, MicrogramsPerDay) : Amount.Fixed(28, MicrogramsPerDay);

    private static string FullText(bool bsa) => bsa ? "15 µg/m²/day (not to exceed 28 µg/day)" : "28 µg/day";

    private static string WeightRule(bool bsa) => bsa
        ? "Patients < 45 kg: doses by body surface area, min(rate × BSA, cap); this is the entry used for children < 45 kg"
        : "Patients ≥ 45 kg: fixed doses";

    private static DoseRule CycleStart(
        int fromCycle, int toCycle, Amount amount, string label, string source, IReadOnlyList<Premedication> premedication, Monitoring monitoring) =>
        new(fromCycle, toCycle, 1, 28, Drug, DoseRole.Full, amount, label, source,
            Infusion: "continuous IV infusion", Premedication: premedication, Monitoring: [monitoring],
            Jurisdiction: source == MrdSchedule ? Jurisdiction.Us : RelapsedRows);

    private static Premedication UsAdultDexamethasone20(string timing) =>
        new(Dexamethasone, Amount.Fixed(20, "mg"), "IV", timing, UsAdultRelapsedPremedication, Condition: UsAdult, Jurisdiction: Jurisdiction.Us);

    private static Premedication UsPaediatricRelapsedDexamethasone(string timing) =>
        new(Dexamethasone, Amount.ByBsa(5, 20, "mg"), null, timing, UsPaediatricRelapsedPremedication, Condition: UsPaediatric, Jurisdiction: Jurisdiction.Us);

    /// <summary>Non-US (S-BLIN-HK ⚠️) premedication at a cycle start; the paediatric items only before C1 D1.</summary>
    private static IEnumerable<Premedication> NonUsCycleStart(bool firstCycle)
    {
        yield return new(Dexamethasone, Amount.Fixed(20, "mg"), "IV", "1 h before the start of the cycle", NonUsPremedication, Condition: NonUsAdult, Jurisdiction: Jurisdiction.Hk);
        if (firstCycle)
        {
            yield return new(Dexamethasone, Amount.ByBsa(10, 20, "mg"), "orally or IV", "6-12 h before C1 D1", NonUsPremedication, Condition: NonUsPaediatric, Jurisdiction: Jurisdiction.Hk);
            yield return new(Dexamethasone, Amount.ByBsa(5, null, "mg"), null, "within 30 min before C1 D1", NonUsPremedication, Condition: NonUsPaediatric, Jurisdiction: Jurisdiction.Hk);
        }

        yield return new(
            "antipyretic (e.g. paracetamol)",
            null,
            null,
            "during the first 48 h of the cycle",
            NonUsPremedication,
            Condition: NonUs,
            NotEncoded: "Dose not given in the source: consult the local (non-US) Blincyto label.",
            Jurisdiction: Jurisdiction.Hk);
    }
}

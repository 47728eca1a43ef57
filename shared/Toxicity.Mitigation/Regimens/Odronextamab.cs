namespace Toxicity.Mitigation.Regimens;

/// <summary>
/// Odronextamab regimens of CLINICAL-RULES.md §5.5 (Ordspono; EU only, not approved in the US; CD20×CD3 IgG4; IV).
/// Cycles 1-3 are 21 days; Cycle 4 spans 28 days (⚠️ derived in §5.5), so the first maintenance dose falls 2 weeks after
/// C4D15; maintenance is encoded as 14-day cycles from Cycle 5 with a Day 1 dose. Every number is from §5.5 (and §4.2
/// for tocilizumab); rows marked ❌ there are <see cref="Regimen.NotEncoded"/> or <see cref="Premedication.NotEncoded"/>.
/// </summary>
public static class Odronextamab
{
    private const string Drug = "odronextamab";
    private const string Schedule = "CLINICAL-RULES.md §5.5 (S-ODR-EU)";
    private const string MaintenanceSchedule =
        "CLINICAL-RULES.md §5.5 (S-ODR-EU); maintenance every 2 weeks starting 2 weeks after C4D15 (C4 spans 28 days): ⚠️ derived";
    private const string PremedicationSource = "CLINICAL-RULES.md §5.5 premedication (S-ODR-EU)";
    private const string ConsultPremedication = "consult the Ordspono SmPC section 4.2 premedication table (CLINICAL-RULES.md §5.5, §7.1 item 5)";

    /// <summary>The cycle in which maintenance (every 2 weeks, 14-day cycles) starts.</summary>
    public const int FirstMaintenanceCycle = 5;

    private static readonly Premedication Corticosteroid = new(
        "dexamethasone",
        Amount.Fixed(10, "mg"),
        "ora[l/IV] (route read in part ⚠️)",
        "before the dose (timing not read ❌: see SmPC section 4.2)",
        "CLINICAL-RULES.md §5.5 premedication (S-ODR-EU; read only in part ⚠️)");

    private static readonly Premedication Antihistamine = new(
        "antihistamine",
        null,
        null,
        "before the dose (timing not read ❌)",
        PremedicationSource,
        NotEncoded: "The antihistamine, its dose and timing were not read (❌): " + ConsultPremedication + ".");

    private static readonly Premedication Antipyretic = new(
        "antipyretic",
        null,
        null,
        "before the dose (timing not read ❌)",
        PremedicationSource,
        NotEncoded: "The antipyretic, its dose and timing were not read (❌): " + ConsultPremedication + ".");

    private static readonly Premedication Cycle2Premedication = new(
        "premedication (drugs per label)",
        null,
        null,
        "before the dose (timing not read ❌)",
        PremedicationSource,
        NotEncoded: "Premedicate before this dose (premedication for every dose in Cycle 1 and on C2 D1 and D8). The "
            + "Cycle 2 drugs, doses and timing were not read (❌): " + ConsultPremedication + ".");

    private static readonly Premedication ContinuedPremedication = new(
        "premedication (drugs per label)",
        null,
        null,
        "before the dose (timing not read ❌)",
        PremedicationSource,
        Condition: "the dose is not yet tolerated without CRS/IRR (premedication may continue beyond C2 D8 until it is)",
        NotEncoded: "The drugs, doses and timing were not read (❌): " + ConsultPremedication + ".");

    private static Premedication PostMedication(string day) => new(
        "post-medication",
        null,
        null,
        $"on the day after this dose ({day})",
        PremedicationSource,
        NotEncoded: $"Post-medication on {day} (post-medication on C1 D3, D10, D17 and C2 D2). The drugs and doses were "
            + "not read (❌): " + ConsultPremedication + ".");

    private static readonly Monitoring StayWithinReach = new(
        "Stay within reach of a qualified healthcare facility for at least 24 h after this dose (each step-up dose and "
        + "the first full dose); at the first sign of CRS, evaluate at once for hospitalisation.",
        "CLINICAL-RULES.md §5.5 monitoring (S-ODR-EU §4.4)");

    private static readonly Monitoring Tocilizumab = new(
        "At least 1 dose of tocilizumab available before administration, and access to an additional dose within 8 h of "
        + "the previous one.",
        "CLINICAL-RULES.md §4.2 tocilizumab availability (S-ODR-EU)");

    private static DoseRule StepUp(int day, double mg, string? postMedicationDay) =>
        new(1, 1, day, null, Drug, DoseRole.StepUp, Amount.Fixed(mg, "mg"), $"{mg:0.##} mg (C1D{day})", Schedule,
            Premedication: postMedicationDay is null
                ? [Corticosteroid, Antihistamine, Antipyretic]
                : [Corticosteroid, Antihistamine, Antipyretic, PostMedication(postMedicationDay)],
            Monitoring: [StayWithinReach, Tocilizumab]);

    private static DoseRule Full(int fromCycle, int toCycle, int day, double mg, IReadOnlyList<Premedication> premedication, IReadOnlyList<Monitoring> monitoring) =>
        new(fromCycle, toCycle, day, null, Drug, DoseRole.Full, Amount.Fixed(mg, "mg"), $"{mg:0.##} mg (C2-C4)", Schedule,
            Premedication: premedication, Monitoring: monitoring);

    // §5.13: every odronextamab row reproduces the EU SmPC (no US approval).
    private static Regimen Build(string id, string setting, double fullMg, double maintenanceMg, string later) => new Regimen(
        id,
        Drug,
        setting,
        RegimenStatus.Label,
        Route.Intravenous,
        [new CycleLength(1, 3, 21), new CycleLength(4, 4, 28), new CycleLength(FirstMaintenanceCycle, null, 14)],
        null,
        [
            StepUp(1, 0.2, null),
            StepUp(2, 0.5, "C1 D3"),
            StepUp(8, 2, null),
            StepUp(9, 2, "C1 D10"),
            StepUp(15, 10, null),
            StepUp(16, 10, "C1 D17"),
            Full(2, 2, 1, fullMg, [Cycle2Premedication, PostMedication("C2 D2")], [StayWithinReach]),
            Full(2, 2, 8, fullMg, [Cycle2Premedication], []),
            Full(2, 2, 15, fullMg, [ContinuedPremedication], []),
            Full(3, 4, 1, fullMg, [ContinuedPremedication], []),
            Full(3, 4, 8, fullMg, [ContinuedPremedication], []),
            Full(3, 4, 15, fullMg, [ContinuedPremedication], []),
            new(FirstMaintenanceCycle, null, 1, null, Drug, DoseRole.Full, Amount.Fixed(maintenanceMg, "mg"),
                $"{maintenanceMg:0.##} mg maintenance (every 2 weeks)", MaintenanceSchedule,
                Premedication: [ContinuedPremedication]),
        ],
        Schedule + ". EU only (Ordspono SmPC); not approved in the US. C1-C3 are 21-day cycles; C4 spans 28 days and "
        + "maintenance (every 2 weeks) is encoded as 14-day cycles from Cycle 5: ⚠️ derived.",
        NotEncoded:
        [
            later,
            "Duration of maintenance: not stated in CLINICAL-RULES.md §5.5; consult the Ordspono SmPC section 4.2.",
            "Dose modification and restart after a delay: not read (❌): consult the Ordspono SmPC section 4.2 "
            + "(CLINICAL-RULES.md §5.5, §7.1 item 5).",
            "Prophylaxis is recommended for infection, TLS and corticosteroid gastrointestinal effects (S-ODR-EU); the "
            + "agents are not encoded: consult the Ordspono SmPC (CLINICAL-RULES.md §5.5).",
        ]).WithUntaggedRowsOf(Jurisdiction.Eu);

    /// <summary>Follicular lymphoma: 0.2/0.5, 2/2, 10/10 mg step-up; 80 mg C2-C4 D1, D8, D15; 160 mg every 2 weeks.</summary>
    public static Regimen FollicularLymphoma { get; } = Build(
        "odronextamab-fl",
        "Follicular lymphoma (EU only: Ordspono SmPC; not approved in the US)",
        80,
        160,
        "Later: every 4 weeks after a period on every-2-weeks dosing (structured regimen: every 2 weeks \"over 9 months\", "
        + "then every 4 weeks; S-ODR-EU). The switch criterion (complete response for ≥ 9 months in ELM-2 per the trial "
        + "abstract) is ⚠️ and not encoded: take it from the Ordspono SmPC section 4.2. The plan keeps every 2 weeks "
        + "(CLINICAL-RULES.md §5.5).");

    /// <summary>DLBCL: 0.2/0.5, 2/2, 10/10 mg step-up; 160 mg C2-C4 D1, D8, D15; 320 mg every 2 weeks.</summary>
    public static Regimen Dlbcl { get; } = Build(
        "odronextamab-dlbcl",
        "DLBCL (EU only: Ordspono SmPC; not approved in the US)",
        160,
        320,
        "Later: every 4 weeks (structured regimen: every 2 weeks \"over 9 months\", then every 4 weeks; S-ODR-EU). The "
        + "switch criterion is ⚠️ and not encoded: take it from the Ordspono SmPC section 4.2. The plan keeps every 2 "
        + "weeks (CLINICAL-RULES.md §5.5).");

    /// <summary>Every Odronextamab entry of the catalogue.</summary>
    public static IReadOnlyList<Regimen> Regimens { get; } = [FollicularLymphoma, Dlbcl];
}

namespace Toxicity.Mitigation.Regimens;

/// <summary>
/// Tebentafusp regimen of CLINICAL-RULES.md §5.12 (Kimmtrak; gp100-HLA×CD3; HLA-A*02:01 required; IV over 15-20 min;
/// flat mcg; weekly; no cycles). Every number is from §5.12 (⚠️ rows, ids in every source); ❌ rows are
/// <see cref="Regimen.NotEncoded"/> or not-encoded items. The label has no cycles: encoded as 7-day repeat units, one
/// dose on day 1 of each (D1 20 mcg, D8 30 mcg, D15 68 mcg, then 68 mcg weekly; <see cref="Regimen.LabelCycles"/> false).
/// </summary>
public static class Tebentafusp
{
    private const string Drug = "tebentafusp";
    private const Jurisdiction UsEu = Jurisdiction.Us | Jurisdiction.Eu;
    private const string Schedule = "CLINICAL-RULES.md §5.12 (S-TEB-PP ⚠️; S-TEB-EU ⚠️)";
    private const string Infusion = "IV over 15-20 minutes";

    /// <summary>Dose label of the D1 dose.</summary>
    public const string Day1Label = "20 mcg (D1)";

    /// <summary>Dose label of the D8 dose.</summary>
    public const string Day8Label = "30 mcg (D8)";

    /// <summary>Dose label of the D15 dose and every weekly dose after it.</summary>
    public const string WeeklyLabel = "68 mcg (once weekly)";

    /// <summary>The condition of the corticosteroid premedication (Table 1, moderate or severe CRS rows).</summary>
    public const string AfterCrs =
        "Moderate CRS (≈ ASTCT grade 2) that was persistent (2-3 h) or recurrent, or Severe CRS (≈ ASTCT grade 3), with the previous dose "
        + "(the label's own grades: clinician to confirm)";

    private static readonly Premedication RoutineNotEncoded = new(
        "routine premedication (per label)", null, null, "before the infusion", "CLINICAL-RULES.md §5.12 premedication (❌ not read)",
        NotEncoded: "Routine premedication: not read (❌; only the corticosteroid after CRS was read, in the US label): consult the KIMMTRAK "
            + "label (CLINICAL-RULES.md §5.12).",
        Jurisdiction: UsEu);

    private static readonly Premedication CorticosteroidAfterCrs = new(
        "corticosteroid (eg, dexamethasone, or equivalent)", Amount.Fixed(4, "mg"), null, "at least 30 minutes before the dose",
        "CLINICAL-RULES.md §5.12 CRS table, moderate and severe rows (S-TEB-MPR ⚠️)", AfterCrs, Jurisdiction: Jurisdiction.Us);

    private static readonly Monitoring FirstThreeInfusions = new(
        "Administer \"in an appropriate healthcare setting\"; monitor \"for at least 16 hours after the infusion is complete\" "
        + "(infusions 1-3).",
        "CLINICAL-RULES.md §5.12 monitoring (S-TEB-PP ⚠️)", Jurisdiction: Jurisdiction.Us);

    private const string NoHypotension = "no \"Grade 2 or worse hypotension (requiring medical intervention) during or after the third infusion\"";

    private static readonly Monitoring LaterAmbulatory = new(
        "Ambulatory: monitor for \"a minimum of 30 minutes\" after the infusion.",
        "CLINICAL-RULES.md §5.12 monitoring, later doses (S-TEB-PP ⚠️)", NoHypotension, Jurisdiction.Us);

    private static readonly Monitoring LaterAfterHypotension = new(
        "Monitoring of later doses after Grade 2 or worse hypotension with infusion 3: not encoded: consult the KIMMTRAK label.",
        "CLINICAL-RULES.md §5.12 monitoring, later doses (S-TEB-PP ⚠️; the other case not read ❌)",
        "Grade 2 or worse hypotension (requiring medical intervention) during or after the third infusion", Jurisdiction.Us);

    private static readonly Monitoring ImmediateAccess = new(
        "\"Immediate access to medications and resuscitative equipment\" to manage CRS.",
        "CLINICAL-RULES.md §5.12 tocilizumab / availability (S-TEB-PP ⚠️)", Jurisdiction: Jurisdiction.Us);

    private static DoseRule Dose(int fromCycle, int? toCycle, DoseRole role, double mcg, string label, bool afterCrs, params Monitoring[] monitoring) =>
        new(fromCycle, toCycle, 1, null, Drug, role, Amount.Fixed(mcg, "mcg"), label, Schedule, Infusion,
            afterCrs ? [RoutineNotEncoded, CorticosteroidAfterCrs] : [RoutineNotEncoded], [.. monitoring, ImmediateAccess], UsEu);

    /// <summary>20 mcg D1, 30 mcg D8, 68 mcg D15, then 68 mcg once weekly.</summary>
    public static Regimen Label { get; } = new Regimen(
        "tebentafusp",
        Drug,
        "\"HLA-A*02:01-positive adult patients with unresectable or metastatic uveal melanoma\" (S-TEB-DCM ⚠️); IV, flat dose, weekly (Kimmtrak)",
        RegimenStatus.Label,
        Route.Intravenous,
        [new CycleLength(1, null, 7)],
        null,
        [
            Dose(1, 1, DoseRole.StepUp, 20, Day1Label, false, FirstThreeInfusions),
            Dose(2, 2, DoseRole.StepUp, 30, Day8Label, true, FirstThreeInfusions),
            Dose(3, 3, DoseRole.Full, 68, WeeklyLabel, true, FirstThreeInfusions),
            Dose(4, null, DoseRole.Full, 68, WeeklyLabel, true, LaterAmbulatory, LaterAfterHypotension),
        ],
        "CLINICAL-RULES.md §5.12 (S-TEB-PP ⚠️; S-TEB-EU ⚠️): D1 20 mcg, D8 30 mcg, D15 68 mcg, \"68 mcg once every week thereafter\". "
        + "No cycles in the label: encoded as 7-day repeat units, one dose on day 1 of each.",
        NotEncoded:
        [
            "Routine premedication: not read (❌): consult the KIMMTRAK label (CLINICAL-RULES.md §5.12).",
            "Restart after a delay: not read (❌): consult the KIMMTRAK label (CLINICAL-RULES.md §5.12).",
            "Skin reactions grade 4 (CTCAE v4.03): not read (❌): consult the KIMMTRAK label (CLINICAL-RULES.md §5.12).",
            "EU monitoring and premedication: not read: consult the Kimmtrak SmPC (CLINICAL-RULES.md §5.12).",
        ],
        Jurisdiction: UsEu,
        LabelCycles: false);

    /// <summary>Every Tebentafusp entry of the catalogue.</summary>
    public static IReadOnlyList<Regimen> Regimens { get; } = [Label];
}

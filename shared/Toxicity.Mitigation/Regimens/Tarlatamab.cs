namespace Toxicity.Mitigation.Regimens;

/// <summary>
/// Tarlatamab regimen of CLINICAL-RULES.md §5.11 (Imdelltra, US; DLL3×CD3; IV 1-hour infusion; flat mg; D1 + D15 per
/// cycle). Every number is from §5.11 (⚠️ rows, ids in every source); ❌ rows are <see cref="Regimen.NotEncoded"/> or
/// not-encoded items. The cycle length is ❌ (28 days is only inferred): the entry has no cycle length, so a calendar
/// holds Cycle 1 only, with a note; the Cycle 2+ dose rows and their monitoring are kept as data. The concomitant
/// medication doses read only on a paraphrase site (S-TAR-HAI) are not enabled: not-encoded text, never a number.
/// </summary>
public static class Tarlatamab
{
    private const string Drug = "tarlatamab";
    private const string Schedule = "CLINICAL-RULES.md §5.11 Table 1 (S-TAR-PP ⚠️; S-TAR-RX ⚠️)";
    private const string Infusion = "IV over \"1 hour\": 250 mL at \"250 mL/hour\" (S-TAR-PP ⚠️)";
    private const string MonitoringSource = "CLINICAL-RULES.md §5.11 monitoring, US Table 1 (S-TAR-PP ⚠️)";

    /// <summary>Dose label of the C1D1 step-up dose.</summary>
    public const string StepUpLabel = "1 mg (C1D1)";

    /// <summary>Dose label of the first 10 mg dose (C1D8).</summary>
    public const string C1D8Label = "10 mg (C1D8)";

    private static readonly Premedication ConcomitantMedication = new(
        "concomitant medication before and after the infusion (per label Table 3)", null, null, "before and after the infusion",
        "CLINICAL-RULES.md §5.11 premedication (S-TAR-PP ⚠️ scope, current label; S-TAR-SPL ✅ header; §5.6a)",
        NotEncoded: "Before and after Cycle 1 Day 1 and Cycle 1 Day 8 (current label, Table 3): the drugs, doses and timing are not "
            + "encoded: consult the IMDELLTRA prescribing information, Table 3. The doses read only on a paraphrase site (S-TAR-HAI) "
            + "are not enabled until confirmed in the PI (CLINICAL-RULES.md §5.11).");

    private static readonly Premedication Hydration = new(
        "hydration", null, null, "before the infusion", "CLINICAL-RULES.md §5.11 hydration (S-TAR-DC ⚠️)",
        NotEncoded: "\"Ensure patients are well hydrated prior to administration\" (S-TAR-DC ⚠️); volume and fluid: not encoded: consult "
            + "the IMDELLTRA label (CLINICAL-RULES.md §5.11).");

    private static readonly Monitoring ExtendedFirstDoses = new(
        "Monitor in a healthcare setting for \"22 to 24 hours\" from the start of this infusion; then \"within 1 hour … for a total of "
        + "48 hours … accompanied by a caregiver\" (words elided in the source: consult the label for the full wording).",
        MonitoringSource + "; S-TAR-RX ⚠️");

    private static Monitoring Observe(string hours) => new($"\"Observe patients for {hours}\" after this infusion.", MonitoringSource);

    private static readonly Monitoring AfterCrs2 = new(
        "Monitor for \"22 to 24 hours\" at this dose (CRS table, grade 2: next dose).",
        "CLINICAL-RULES.md §5.11 CRS table, grade 2 (S-TAR-HCP ⚠️)", "CRS grade 2 with the previous dose");

    private static readonly Monitoring ExtendedAfterToxicity = new(
        "Extended monitoring: \"Extended monitoring … is not required unless the patient experiences Grade ≥2 CRS, ICANS or "
        + "neurological toxicity during prior treatments\"; its duration after ICANS or neurological toxicity: not encoded: consult the "
        + "label (Table 1 footnote).",
        "CLINICAL-RULES.md §5.11 Table 1 footnote (S-TAR-RX ⚠️)", "Grade ≥ 2 CRS, ICANS or neurological toxicity during prior treatments");

    private static readonly Monitoring TocilizumabNotEncoded = new(
        "Tocilizumab availability: not encoded: consult the label (IMDELLTRA).", "CLINICAL-RULES.md §5.11 (❌ not read)");

    private static DoseRule Dose(int fromCycle, int? toCycle, int day, DoseRole role, double mg, string label, bool concomitant,
        params Monitoring[] monitoring) =>
        new(fromCycle, toCycle, day, null, Drug, role, Amount.Fixed(mg, "mg"), label, Schedule, Infusion,
            concomitant ? [ConcomitantMedication, Hydration] : [Hydration], monitoring);

    private static IEnumerable<DoseRule> Later(int fromCycle, int? toCycle, string label, string hours) =>
        new[] { 1, 15 }.Select(day => Dose(fromCycle, toCycle, day, DoseRole.Full, 10, label, false, Observe(hours), AfterCrs2, ExtendedAfterToxicity));

    /// <summary>1 mg C1D1, 10 mg C1D8 and C1D15, then 10 mg on D1 and D15 of each cycle (cycle length not encoded).</summary>
    public static Regimen Label { get; } = new Regimen(
        "tarlatamab",
        Drug,
        "Extensive-stage small cell lung cancer \"with disease progression on or after platinum-based chemotherapy\" (S-TAR-DC ⚠️); "
        + "IV, flat dose (Imdelltra, US)",
        RegimenStatus.Label,
        Route.Intravenous,
        [],
        null,
        [
            Dose(1, 1, 1, DoseRole.StepUp, 1, StepUpLabel, true, ExtendedFirstDoses, TocilizumabNotEncoded),
            Dose(1, 1, 8, DoseRole.Full, 10, C1D8Label, true, ExtendedFirstDoses, AfterCrs2, TocilizumabNotEncoded),
            Dose(1, 1, 15, DoseRole.Full, 10, "10 mg (C1D15)", false, Observe("6-8 hours"), AfterCrs2, ExtendedAfterToxicity),
            .. Later(2, 2, "10 mg (C2 D1, D15)", "6-8 hours"),
            .. Later(3, 4, "10 mg (C3-C4 D1, D15)", "3-4 hours"),
            .. Later(5, null, "10 mg (C5+ D1, D15)", "2 hours"),
        ],
        "CLINICAL-RULES.md §5.11 (S-TAR-PP ⚠️; S-TAR-RX ⚠️; current US SPL v5, effectiveTime 20251119: S-TAR-SPL ✅ header only). "
        + "D1 + D15 per cycle after Cycle 1 (C1: D1, D8, D15); the cycle length is not encoded (❌).",
        NotEncoded:
        [
            "Cycle length: not encoded (❌; Table 1 shows D1 + D15 per cycle, 28 days is only inferred): consult the IMDELLTRA label. "
            + "The calendar holds Cycle 1 only; the Cycle 2+ dose rows and their monitoring are kept as data (CLINICAL-RULES.md §5.11).",
            "Minimum and maximum intervals between doses: not read (❌): consult the IMDELLTRA label (CLINICAL-RULES.md §5.11).",
            "Concomitant medication before and after Cycle 1 Day 1 and Day 8 (PI Table 3): drugs and doses not encoded; the paraphrase "
            + "site's doses (S-TAR-HAI) are not enabled until confirmed: consult the IMDELLTRA label. The PI 2024 scope \"before and "
            + "after Cycle 1 IMDELLTRA infusions\" is superseded by the current label (CLINICAL-RULES.md §5.11, §5.6a).",
            "Restart after a delay (Table 4): not read (❌): consult the IMDELLTRA label (CLINICAL-RULES.md §5.11).",
            "CRS grade 3, recurrent grade 3 and grade 4 (§2.5 Table 5) and ICANS / neurological toxicity (Table 6): not read (❌): "
            + "consult the IMDELLTRA label (CLINICAL-RULES.md §5.11).",
            "Tocilizumab availability and the \"premedication may mask fever\" note: not read (❌): consult the IMDELLTRA label "
            + "(CLINICAL-RULES.md §5.11).",
        ],
        Jurisdiction: Jurisdiction.Us).WithUntaggedRowsOf(Jurisdiction.Us);

    /// <summary>Every Tarlatamab entry of the catalogue.</summary>
    public static IReadOnlyList<Regimen> Regimens { get; } = [Label];
}

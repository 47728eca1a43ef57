using Toxicity.Grading.Timeline;
using Toxicity.Mitigation.Regimens;

namespace Toxicity.Mitigation.Labels;

/// <summary>
/// Blinatumomab (Blincyto) label rules, CLINICAL-RULES.md §5.1: the dose-modification table (CRS 3-4 and neurological
/// toxicity, whose rows differ at 45 kg), interruptions of ≤ 7 or &gt; 7 days, and restarts after ≥ 4 h.
/// </summary>
internal sealed class BlinatumomabRules : LabelRules
{
    private const double WeightBandKg = 45;
    private const double DexamethasoneMgPerSquareMetre = 5;
    private const double DexamethasoneCapMg = 8;
    private const double PremedicationCapMg = 20;
    private static readonly TimeSpan SameCycleAtMost = TimeSpan.FromDays(7);
    private static readonly TimeSpan PremedicationFrom = TimeSpan.FromHours(4);

    public override string Drug => "blinatumomab";

    public override string Label => "blinatumomab (Blincyto)";

    public override string Section => "§5.1";

    public override Jurisdiction Jurisdiction => Jurisdiction.Us;

    // The label's dose-modification table grades CRS on CTCAE ("NCI CTCAE grading … of CRS from blinatumomab",
    // S-CTCAE5-a) and neurological toxicity on CTCAE too, which this product does not grade: ICANS stands in (issue 15).
    public override LabelScale CrsScale => LabelScale.CtcaeV5Crs;

    public override LabelScale NeuroScale => LabelScale.CtcaeNeurotoxicity;

    public override IEnumerable<Advice> OnGradeRise(PatientContext patient, GradeScale scale, int grade, IReadOnlyList<string> criteria)
    {
        var (atLeast45, under45) = WeightBands(patient);
        if (scale == GradeScale.Crs)
        {
            switch (grade)
            {
                case 3:
                    if (atLeast45)
                    {
                        yield return LabelItem("crs3.interrupt.45kg-and-over",
                            "for CRS grade 3 in patients ≥ 45 kg: interrupt blinatumomab. Dexamethasone 8 mg every 8 h IV or "
                            + "orally for up to 3 days, then taper over 4 days. When CRS is resolved, restart at 9 µg/day; "
                            + "escalate to 28 µg/day after 7 days if it does not recur.",
                            "S-BLIN-HCP");
                    }

                    if (under45)
                    {
                        yield return LabelItem("crs3.interrupt.under-45kg",
                            "for CRS grade 3 in patients < 45 kg: interrupt blinatumomab. Dexamethasone 5 mg/m² (max 8 mg) "
                            + $"every 8 h IV or orally for up to 3 days, then taper over 4 days{ComputedDexamethasone(patient)}. "
                            + "When resolved, restart at 5 µg/m²/day; escalate to 15 µg/m²/day after 7 days if it does not "
                            + "recur.",
                            "S-BLIN-HCP");
                    }

                    break;
                case 4:
                    yield return LabelItem("crs4.discontinue",
                        "for CRS grade 4: discontinue blinatumomab permanently. Give dexamethasone as for grade 3.",
                        "S-BLIN-HCP");
                    if (atLeast45)
                    {
                        yield return LabelItem("crs4.dexamethasone.45kg-and-over",
                            "for CRS grade 4 in patients ≥ 45 kg, dexamethasone as for grade 3: 8 mg every 8 h IV or orally "
                            + "for up to 3 days, then taper over 4 days.",
                            "S-BLIN-HCP");
                    }

                    if (under45)
                    {
                        yield return LabelItem("crs4.dexamethasone.under-45kg",
                            "for CRS grade 4 in patients < 45 kg, dexamethasone as for grade 3: 5 mg/m² (max 8 mg) every 8 h "
                            + $"IV or orally for up to 3 days, then taper over 4 days{ComputedDexamethasone(patient)}.",
                            "S-BLIN-HCP");
                    }

                    break;
                default:
                    // The label table has no CRS grade 1-2 rows: the general §4.1 rows follow.
                    break;
            }

            yield break;
        }

        switch (grade)
        {
            case 3:
                if (atLeast45)
                {
                    yield return LabelItem("icans3.withhold.45kg-and-over",
                        "for neurological toxicity grade 3 in patients ≥ 45 kg: withhold until no more than grade 1 (mild) "
                        + "and for at least 3 days, then restart at 9 µg/day; escalate to 28 µg/day after 7 days if it does "
                        + "not recur.",
                        "S-BLIN-HCP");
                    yield return LabelItem("icans3.discontinue-conditions",
                        "for neurological toxicity grade 3 (patients ≥ 45 kg): discontinue permanently if it occurred while "
                        + "on 9 µg/day, or if it takes more than 7 days to resolve (current label). The original 2014 label "
                        + "said: discontinue if it recurs or takes more than 7 days to resolve.",
                        "current label: S-BLIN-ASHREV ⚠️ secondary, start of sentence S-BLIN-HCP; original label: S-BLIN-EOBT",
                        "§7.2");
                }

                if (under45)
                {
                    yield return NotEncodedItem("icans3.not-encoded.under-45kg",
                        "the blinatumomab (Blincyto) label's dose-modification table, neurological toxicity grade 3, for "
                        + "patients < 45 kg (this row was not read).",
                        "❌ not read; §7.1");
                }

                break;
            case 4:
                yield return LabelItem("icans4.discontinue",
                    "for neurological toxicity grade 4 (seizure or other event): discontinue blinatumomab permanently.",
                    "S-BLIN-EOBT original label; S-BLIN-ASHREV ⚠️ current label");
                break;
            default:
                // The label table has no neurological toxicity grade 1-2 rows: the general §4.1 rows follow.
                break;
        }

        if (GeneralIcansAdvice.HasSeizure(criteria))
        {
            yield return LabelItem("seizure.discontinue-if-more-than-one",
                "for a seizure: discontinue blinatumomab permanently if more than one seizure occurs.",
                "S-BLIN-HCP; S-BLIN-EOBT");
        }
    }

    public override IEnumerable<Advice> OnInterrupted(PatientContext patient) =>
        [
            SameCycle("interruption.up-to-7-days", "if the interruption for an adverse reaction lasts no more than 7 days"),
            NewCycle("interruption.over-7-days", "if the interruption for an adverse reaction lasts more than 7 days"),
        ];

    public override IEnumerable<Advice> OnRestarted(PatientContext patient, TimeSpan interruption)
    {
        var length = Wording.Duration(interruption);
        yield return interruption <= SameCycleAtMost
            ? SameCycle("restart.same-cycle", $"the interruption lasted {length} (no more than 7 days)")
            : NewCycle("restart.new-cycle", $"the interruption lasted {length} (more than 7 days)");

        if (interruption < PremedicationFrom)
        {
            yield break;
        }

        yield return LabelItem("restart.premedication.adult",
            $"restarting after an interruption of ≥ 4 h (here {length}), adults (R/R ALL, US label): dexamethasone 20 mg IV "
            + "1 h before restarting the infusion.",
            "S-BLIN-ONA");
        var paediatricDose = patient.BodySurfaceAreaM2 is { } bsa
            ? $" ({Wording.BsaDose(DexamethasoneMgPerSquareMetre, PremedicationCapMg, bsa)})"
            : string.Empty;
        yield return LabelItem("restart.premedication.paediatric",
            $"restarting after an interruption of ≥ 4 h (here {length}) in the first cycle, paediatric patients (R/R ALL, US "
            + $"label): dexamethasone 5 mg/m², max 20 mg{paediatricDose}, 1 h before restarting the infusion. The "
            + "first-cycle limit is read only on a secondary site.",
            "S-BLIN-ONA dose; S-BLIN-MIMS ⚠️ first-cycle limit");
        yield return LabelItem("restart.supervision",
            $"re-initiation after an interruption of ≥ 4 h (here {length}): supervision by a healthcare professional or "
            + "hospitalisation.",
            "S-BLIN-HCP; S-BLIN-ONA");
    }

    /// <summary>Which weight bands apply: both when the weight is unknown, each item then saying its band.</summary>
    private static (bool AtLeast45, bool Under45) WeightBands(PatientContext patient) => patient.WeightKg switch
    {
        null => (true, true),
        >= WeightBandKg => (true, false),
        _ => (false, true),
    };

    /// <summary>"; for 1.2 m²: 6 mg per dose" when the BSA is known: min(5 mg/m² × BSA, 8 mg).</summary>
    private static string ComputedDexamethasone(PatientContext patient) =>
        patient.BodySurfaceAreaM2 is { } bsa
            ? $" ({Wording.BsaDose(DexamethasoneMgPerSquareMetre, DexamethasoneCapMg, bsa)})"
            : " (body surface area unknown: dose not computed)";

    private Advice SameCycle(string codeSuffix, string condition) =>
        LabelItem(codeSuffix, $"{condition}: continue the same cycle to a total of 28 infusion days, counting the days "
            + "before and after the interruption.", "S-BLIN-HCP");

    private Advice NewCycle(string codeSuffix, string condition) =>
        LabelItem(codeSuffix, $"{condition}: start a new cycle.", "S-BLIN-HCP");
}

using Toxicity.Grading.Timeline;
using Xunit;

namespace Toxicity.Mitigation.Tests;

/// <summary>
/// The blinatumomab label rules (CLINICAL-RULES.md §5.1) through <see cref="MitigationAdvisor"/>. The label's table grades
/// CRS on CTCAE v5.0: its CRS rows follow the CTCAE grade (issue 15); its neurological toxicity rows, on CTCAE too, are
/// given on ICANS with the note that ICANS stands in.
/// </summary>
public sealed class BlinatumomabAdviceTests
{
    private const string IcansStandsIn = "blinatumomab.neuro.icans-stands-in";

    private static IReadOnlyList<Advice> Rise(GradeScale scale, int previous, int next, double? weightKg, double? bsa = null, params string[] criteria)
    {
        var patient = Patients.On("blinatumomab", weightKg, bsa);
        var advice = scale == GradeScale.Crs
            ? MitigationAdvisor.OnCtcaeCrsChanged(patient, previous, next, criteria)
            : MitigationAdvisor.OnGradeChanged(patient, scale, previous, next, criteria);
        Patients.AssertWellFormed(advice);
        if (scale == GradeScale.Icans)
        {
            // The label grades neurological toxicity on CTCAE; ICANS stands in, with this note before its rows.
            Assert.Equal(IcansStandsIn, advice[0].Code);
            Assert.Contains("Confirm the CTCAE grade before acting", advice[0].Text, StringComparison.Ordinal);
            return [.. advice.Skip(1)];
        }

        return advice;
    }

    private static string[] LabelCodes(IReadOnlyList<Advice> advice) =>
        [.. advice.Select(a => a.Code).Where(c => c.StartsWith("blinatumomab.", StringComparison.Ordinal) && c != IcansStandsIn)];

    [Fact]
    public void Issue_15_the_CRS_rows_are_written_on_CTCAE_so_an_ASTCT_rise_gives_the_general_rows_and_says_so()
    {
        var astct = MitigationAdvisor.OnGradeChanged(Patients.On("blinatumomab", 70), GradeScale.Crs, 1, 3, []);

        Assert.Equal("blinatumomab.crs.ctcae-scale", astct[0].Code);
        Assert.Contains("its CRS rows are written on CTCAE v5.0, not ASTCT", astct[0].Text, StringComparison.Ordinal);
        Assert.DoesNotContain(astct, a => a.Code.StartsWith("blinatumomab.crs3", StringComparison.Ordinal));
        Assert.Equal(["general.crs.suspected", "general.crs2.tocilizumab", "general.crs3.tocilizumab-dexamethasone-icu"], astct.Skip(1).Select(a => a.Code));
        Assert.All(Rise(GradeScale.Crs, 1, 3, weightKg: 70), a => Assert.Equal(Toxicity.Mitigation.Regimens.LabelScale.CtcaeV5Crs, a.Scale));
    }

    [Fact]
    public void Crs_3_at_45_kg_or_more_interrupts_with_dexamethasone_8_mg_q8h_and_the_restart_doses_before_the_general_rows()
    {
        var advice = Rise(GradeScale.Crs, 1, 3, weightKg: 70);

        Assert.Equal("blinatumomab.crs3.interrupt.45kg-and-over", advice[0].Code);
        Assert.StartsWith("Per the blinatumomab (Blincyto) label (clinician to confirm): for CRS grade 3 in patients ≥ 45 kg: interrupt",
            advice[0].Text, StringComparison.Ordinal);
        Assert.Contains("Dexamethasone 8 mg every 8 h IV or orally for up to 3 days, then taper over 4 days", advice[0].Text, StringComparison.Ordinal);
        Assert.Contains("restart at 9 µg/day; escalate to 28 µg/day after 7 days", advice[0].Text, StringComparison.Ordinal);
        Assert.Equal("CLINICAL-RULES.md §5.1 (S-BLIN-HCP)", advice[0].Source);
        Assert.Equal(["blinatumomab.crs3.interrupt.45kg-and-over"], advice.Select(a => a.Code)); // the CTCAE change: the label rows only
    }

    [Theory]
    [InlineData(1.2, "5 mg/m² (max 8 mg)", "for 1.2 m²: 6 mg per dose)")]
    [InlineData(2.0, "5 mg/m² (max 8 mg)", "for 2 m²: 8 mg per dose (capped at 8 mg))")]
    [InlineData(null, "5 mg/m² (max 8 mg)", "(body surface area unknown: dose not computed)")]
    public void Crs_3_under_45_kg_gives_dexamethasone_5_mg_per_m2_capped_at_8_mg_computed_from_the_bsa(double? bsa, string rate, string computed)
    {
        var advice = Rise(GradeScale.Crs, 0, 3, weightKg: 30, bsa: bsa);

        Assert.Equal(["blinatumomab.crs3.interrupt.under-45kg"], LabelCodes(advice));
        var row = advice[0];
        Assert.Contains("for CRS grade 3 in patients < 45 kg: interrupt", row.Text, StringComparison.Ordinal);
        Assert.Contains(rate, row.Text, StringComparison.Ordinal);
        Assert.Contains(computed, row.Text, StringComparison.Ordinal);
        Assert.Contains("restart at 5 µg/m²/day; escalate to 15 µg/m²/day after 7 days", row.Text, StringComparison.Ordinal);
        Assert.Equal("CLINICAL-RULES.md §5.1 (S-BLIN-HCP)", row.Source);
    }

    [Fact]
    public void Crs_3_with_unknown_weight_gives_both_weight_band_rows_each_labelled()
    {
        var advice = Rise(GradeScale.Crs, 2, 3, weightKg: null, bsa: 1.2);

        Assert.Equal(["blinatumomab.crs3.interrupt.45kg-and-over", "blinatumomab.crs3.interrupt.under-45kg"], LabelCodes(advice));
        Assert.Contains("in patients ≥ 45 kg", advice[0].Text, StringComparison.Ordinal);
        Assert.Contains("in patients < 45 kg", advice[1].Text, StringComparison.Ordinal);
        Assert.Contains("6 mg per dose", advice[1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Crs_4_discontinues_permanently_with_dexamethasone_as_for_grade_3()
    {
        var adult = Rise(GradeScale.Crs, 3, 4, weightKg: 80);
        var child = Rise(GradeScale.Crs, 3, 4, weightKg: 20, bsa: 0.8);

        Assert.Equal(["blinatumomab.crs4.discontinue", "blinatumomab.crs4.dexamethasone.45kg-and-over"], LabelCodes(adult));
        Assert.Contains("discontinue blinatumomab permanently. Give dexamethasone as for grade 3", adult[0].Text, StringComparison.Ordinal);
        Assert.Contains("8 mg every 8 h IV or orally for up to 3 days", adult[1].Text, StringComparison.Ordinal);
        Assert.All(adult.Take(2), a => Assert.Equal("CLINICAL-RULES.md §5.1 (S-BLIN-HCP)", a.Source));
        Assert.Equal(["blinatumomab.crs4.discontinue", "blinatumomab.crs4.dexamethasone.under-45kg"], LabelCodes(child));
        Assert.Contains("for 0.8 m²: 4 mg per dose", child[1].Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 2)]
    public void Crs_1_or_2_has_no_label_row_so_only_the_general_rows_are_given(int previous, int next) =>
        Assert.Empty(LabelCodes(Rise(GradeScale.Crs, previous, next, weightKg: 70)));

    [Fact]
    public void Neurological_toxicity_3_at_45_kg_or_more_withholds_and_gives_both_labels_discontinuation_conditions()
    {
        var advice = Rise(GradeScale.Icans, 1, 3, weightKg: 60);

        Assert.Equal(["blinatumomab.icans3.withhold.45kg-and-over", "blinatumomab.icans3.discontinue-conditions"], LabelCodes(advice));
        Assert.Contains("withhold until no more than grade 1 (mild) and for at least 3 days, then restart at 9 µg/day; escalate to "
            + "28 µg/day after 7 days", advice[0].Text, StringComparison.Ordinal);
        Assert.Equal("CLINICAL-RULES.md §5.1 (S-BLIN-HCP)", advice[0].Source);
        var discontinue = advice[1];
        Assert.Contains("discontinue permanently if it occurred while on 9 µg/day, or if it takes more than 7 days to resolve (current label)",
            discontinue.Text, StringComparison.Ordinal);
        Assert.Contains("original 2014 label said: discontinue if it recurs or takes more than 7 days", discontinue.Text, StringComparison.Ordinal);
        Assert.Contains("S-BLIN-ASHREV ⚠️", discontinue.Source, StringComparison.Ordinal);
        Assert.Contains("S-BLIN-EOBT", discontinue.Source, StringComparison.Ordinal);
        Assert.StartsWith("CLINICAL-RULES.md §5.1, §7.2", discontinue.Source, StringComparison.Ordinal);
        Assert.Equal("general.icans2plus.dexamethasone-q6h", advice[2].Code);
    }

    [Fact]
    public void Neurological_toxicity_3_under_45_kg_is_not_encoded_and_gives_no_action()
    {
        var advice = Rise(GradeScale.Icans, 0, 3, weightKg: 30);

        Assert.Equal(["blinatumomab.icans3.not-encoded.under-45kg"], LabelCodes(advice));
        Assert.StartsWith("Not encoded: consult the blinatumomab (Blincyto) label's dose-modification table, neurological toxicity grade 3, "
            + "for patients < 45 kg", advice[0].Text, StringComparison.Ordinal);
        Assert.Contains("❌", advice[0].Source, StringComparison.Ordinal);
    }

    [Fact]
    public void Neurological_toxicity_3_with_unknown_weight_gives_the_45_kg_rows_and_the_not_encoded_under_45_kg_row() =>
        Assert.Equal(
            ["blinatumomab.icans3.withhold.45kg-and-over", "blinatumomab.icans3.discontinue-conditions", "blinatumomab.icans3.not-encoded.under-45kg"],
            LabelCodes(Rise(GradeScale.Icans, 2, 3, weightKg: null)));

    [Fact]
    public void Neurological_toxicity_4_discontinues_permanently()
    {
        var advice = Rise(GradeScale.Icans, 3, 4, weightKg: 70);

        Assert.Equal(["blinatumomab.icans4.discontinue"], LabelCodes(advice));
        Assert.Contains("discontinue blinatumomab permanently", advice[0].Text, StringComparison.Ordinal);
        Assert.Equal("CLINICAL-RULES.md §5.1 (S-BLIN-EOBT original label; S-BLIN-ASHREV ⚠️ current label)", advice[0].Source);
    }

    [Fact]
    public void A_seizure_gives_discontinue_if_more_than_one_seizure_before_the_general_antiepileptic_row()
    {
        var advice = Rise(GradeScale.Icans, 0, 3, weightKg: 70, bsa: null, "icans.seizure.rapidlyResolving");

        var seizure = Assert.Single(advice, a => a.Code == "blinatumomab.seizure.discontinue-if-more-than-one");
        Assert.Contains("discontinue blinatumomab permanently if more than one seizure occurs", seizure.Text, StringComparison.Ordinal);
        Assert.Equal("CLINICAL-RULES.md §5.1 (S-BLIN-HCP; S-BLIN-EOBT)", seizure.Source);
        Assert.True(advice.ToList().IndexOf(seizure) < advice.ToList().FindIndex(a => a.Code == "general.icans.seizure.antiepileptic"));
    }

    [Fact]
    public void An_interruption_gives_the_same_cycle_and_new_cycle_rows()
    {
        var advice = MitigationAdvisor.OnInfusionInterrupted(Patients.On("blinatumomab", 70));

        Patients.AssertWellFormed(advice);
        Assert.Equal(["blinatumomab.interruption.up-to-7-days", "blinatumomab.interruption.over-7-days"], advice.Select(a => a.Code));
        Assert.Contains("no more than 7 days: continue the same cycle to a total of 28 infusion days", advice[0].Text, StringComparison.Ordinal);
        Assert.Contains("more than 7 days: start a new cycle", advice[1].Text, StringComparison.Ordinal);
        Assert.All(advice, a => Assert.Equal("CLINICAL-RULES.md §5.1 (S-BLIN-HCP)", a.Source));
    }

    [Theory]
    [InlineData(2, "blinatumomab.restart.same-cycle", "2 h")]
    [InlineData(72, "blinatumomab.restart.same-cycle", "3 days")]
    [InlineData(168, "blinatumomab.restart.same-cycle", "7 days")]
    [InlineData(169, "blinatumomab.restart.new-cycle", "7 days 1 h")]
    public void A_restart_continues_the_cycle_up_to_7_days_and_starts_a_new_one_after(int hours, string code, string length)
    {
        var advice = MitigationAdvisor.OnInfusionRestarted(Patients.On("blinatumomab", 70), TimeSpan.FromHours(hours));

        Patients.AssertWellFormed(advice);
        Assert.Equal(code, advice[0].Code);
        Assert.Contains($"the interruption lasted {length}", advice[0].Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_restart_under_4_h_gives_no_premedication_or_supervision_row() =>
        Assert.Equal(["blinatumomab.restart.same-cycle"],
            MitigationAdvisor.OnInfusionRestarted(Patients.On("blinatumomab", 70), new TimeSpan(3, 59, 0)).Select(a => a.Code));

    [Fact]
    public void A_restart_after_4_h_gives_adult_and_first_cycle_paediatric_dexamethasone_and_supervision()
    {
        var advice = MitigationAdvisor.OnInfusionRestarted(Patients.On("blinatumomab", 35, 1.2), TimeSpan.FromHours(4));

        Patients.AssertWellFormed(advice);
        Assert.Equal(
            ["blinatumomab.restart.same-cycle", "blinatumomab.restart.premedication.adult", "blinatumomab.restart.premedication.paediatric",
                "blinatumomab.restart.supervision"],
            advice.Select(a => a.Code));
        Assert.Contains("dexamethasone 20 mg IV 1 h before restarting", advice[1].Text, StringComparison.Ordinal);
        Assert.Equal("CLINICAL-RULES.md §5.1 (S-BLIN-ONA)", advice[1].Source);
        Assert.Contains("in the first cycle", advice[2].Text, StringComparison.Ordinal);
        Assert.Contains("dexamethasone 5 mg/m², max 20 mg (for 1.2 m²: 6 mg per dose)", advice[2].Text, StringComparison.Ordinal);
        Assert.Contains("S-BLIN-MIMS ⚠️", advice[2].Source, StringComparison.Ordinal);
        Assert.Contains("supervision by a healthcare professional or hospitalisation", advice[3].Text, StringComparison.Ordinal);
        Assert.Contains("S-BLIN-HCP", advice[3].Source, StringComparison.Ordinal);
    }
}

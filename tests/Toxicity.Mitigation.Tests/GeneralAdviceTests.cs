using Toxicity.Grading.Timeline;
using Xunit;

namespace Toxicity.Mitigation.Tests;

/// <summary>The general §4.1 rows through <see cref="MitigationAdvisor"/> (no regimen: general only).</summary>
public sealed class GeneralAdviceTests
{
    private static IReadOnlyList<Advice> Crs(int previous, int next, double? weightKg = null)
    {
        var advice = MitigationAdvisor.OnGradeChanged(Patients.WithoutRegimen(weightKg), GradeScale.Crs, previous, next, []);
        Patients.AssertWellFormed(advice);
        return advice;
    }

    private static IReadOnlyList<Advice> Icans(int previous, int next, params string[] criteria)
    {
        var advice = MitigationAdvisor.OnGradeChanged(Patients.WithoutRegimen(), GradeScale.Icans, previous, next, criteria);
        Patients.AssertWellFormed(advice);
        return advice;
    }

    private static Advice Single(IReadOnlyList<Advice> advice, string code) => Assert.Single(advice, a => a.Code == code);

    [Fact]
    public void Crs_rise_to_1_gives_suspected_crs_then_grade_1_supportive_care()
    {
        var advice = Crs(0, 1);

        Assert.Equal(["general.crs.suspected", "general.crs1.supportive"], advice.Select(a => a.Code));
        Assert.Contains("Withhold the bispecific until CRS resolves", advice[0].Text, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("CLINICAL-RULES.md §4.1 (S-COL-MS; S-EPK-HCP; S-LUN-US)", advice[0].Source);
        Assert.Contains("dexamethasone 10 mg once", advice[1].Text, StringComparison.Ordinal);
        Assert.Equal("CLINICAL-RULES.md §4.1 (S-BSAB24 Table 3)", advice[1].Source);
    }

    [Fact]
    public void Crs_rise_to_2_gives_tocilizumab_and_the_conditional_persisting_hypotension_dexamethasone()
    {
        var advice = Crs(1, 2);

        Assert.Equal(["general.crs.suspected", "general.crs2.tocilizumab", "general.crs2.dexamethasone-if-hypotension-persists"],
            advice.Select(a => a.Code));
        var tocilizumab = advice[1];
        Assert.Contains("tocilizumab 8 mg/kg IV over 1 h, not to exceed 800 mg per dose", tocilizumab.Text, StringComparison.Ordinal);
        Assert.Contains("no more than 3 doses in 24 h, maximum 4 doses in total", tocilizumab.Text, StringComparison.Ordinal);
        Assert.StartsWith("CLINICAL-RULES.md §4.1 (S-LEE2014-c; S-MIAMI", tocilizumab.Source, StringComparison.Ordinal);
        var hypotension = advice[2];
        Assert.Contains("if hypotension persists after 1-2 doses of anti-IL-6", hypotension.Text, StringComparison.Ordinal);
        Assert.Contains("dexamethasone 10 mg IV every 6 h", hypotension.Text, StringComparison.Ordinal);
        Assert.Equal("CLINICAL-RULES.md §4.1 (S-LEE2014-c)", hypotension.Source);
    }

    [Theory]
    [InlineData(70, "For 70 kg: 560 mg per dose.")]
    [InlineData(120, "For 120 kg: 800 mg per dose (capped at 800 mg).")]
    [InlineData(100, "For 100 kg: 800 mg per dose.")]
    public void Tocilizumab_states_the_computed_dose_min_8_mg_per_kg_and_800_mg(double weightKg, string expected) =>
        Assert.Contains(expected, Single(Crs(0, 2, weightKg), "general.crs2.tocilizumab").Text, StringComparison.Ordinal);

    [Fact]
    public void Tocilizumab_for_a_child_under_30_kg_sends_to_the_label_and_gives_neither_a_computed_nor_the_unconfirmed_dose()
    {
        var tocilizumab = Single(Crs(0, 2, 25), "general.crs2.tocilizumab");

        Assert.Contains("for children under 30 kg the dose is not encoded; consult the tocilizumab (Actemra) label", tocilizumab.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("12 mg/kg", tocilizumab.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("200 mg", tocilizumab.Text, StringComparison.Ordinal);
        Assert.Contains("S-TOCI ⚠️", tocilizumab.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void Tocilizumab_with_unknown_weight_gives_the_adult_row_and_the_children_note_without_a_computed_dose()
    {
        var tocilizumab = Single(Crs(0, 3), "general.crs2.tocilizumab");

        Assert.Contains("not to exceed 800 mg", tocilizumab.Text, StringComparison.Ordinal);
        Assert.Contains("for children under 30 kg, consult the tocilizumab (Actemra) label", tocilizumab.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("For ", tocilizumab.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Crs_rise_to_3_gives_tocilizumab_then_dexamethasone_icu_and_echocardiogram_from_astct_h()
    {
        var advice = Crs(2, 3);

        Assert.Equal(["general.crs.suspected", "general.crs2.tocilizumab", "general.crs3.tocilizumab-dexamethasone-icu"],
            advice.Select(a => a.Code));
        Assert.Contains("dexamethasone 10 mg IV every 6 h, rapidly tapered", advice[2].Text, StringComparison.Ordinal);
        Assert.Contains("ICU admission; echocardiogram", advice[2].Text, StringComparison.Ordinal);
        Assert.Equal("CLINICAL-RULES.md §4.1 (S-ASTCT-h)", advice[2].Source);
    }

    [Fact]
    public void Crs_rise_to_4_gives_the_astct_h_methylprednisolone_default_and_names_the_s_jcm23_difference()
    {
        var advice = Crs(1, 4);

        Assert.Equal(
            ["general.crs.suspected", "general.crs2.tocilizumab", "general.crs3.tocilizumab-dexamethasone-icu",
                "general.crs4.methylprednisolone", "general.crs4.methylprednisolone.s-jcm23-differs"],
            advice.Select(a => a.Code));
        Assert.Contains("methylprednisolone 500 mg IV every 12 h for 3 days, then 250 mg every 12 h for 2 days, 125 mg every "
            + "12 h for 2 days, then 60 mg every 12 h until CRS ≤ grade 1", advice[3].Text, StringComparison.Ordinal);
        Assert.Equal("CLINICAL-RULES.md §4.1, §7.2 (S-ASTCT-h)", advice[3].Source);
        Assert.Contains("methylprednisolone 1000 mg/day for 3 days", advice[4].Text, StringComparison.Ordinal);
        Assert.Contains("S-JCM23", advice[4].Source, StringComparison.Ordinal);
        Assert.StartsWith("CLINICAL-RULES.md §7.2", advice[4].Source, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(GradeScale.Crs, 1, 0)]
    [InlineData(GradeScale.Crs, 3, 1)]
    [InlineData(GradeScale.Crs, 2, 2)]
    [InlineData(GradeScale.Crs, 4, 5)]
    [InlineData(GradeScale.Icans, 2, 1)]
    [InlineData(GradeScale.Icans, 3, 3)]
    [InlineData(GradeScale.Icans, 0, 5)]
    public void No_advice_when_the_grade_falls_stays_or_reaches_death(GradeScale scale, int previous, int next)
    {
        Assert.Empty(MitigationAdvisor.OnGradeChanged(Patients.WithoutRegimen(), scale, previous, next, ["icans.seizure.rapidlyResolving"]));
        Assert.Empty(MitigationAdvisor.OnGradeChanged(Patients.On("blinatumomab", 70), scale, previous, next, ["icans.seizure.rapidlyResolving"]));
    }

    [Fact]
    public void Icans_rise_to_1_gives_observation_and_optional_dexamethasone_once()
    {
        var advice = Icans(0, 1);

        var item = Assert.Single(advice);
        Assert.Equal("general.icans1.observe", item.Code);
        Assert.Contains("close outpatient monitoring", item.Text, StringComparison.Ordinal);
        Assert.Contains("dexamethasone 10 mg once", item.Text, StringComparison.Ordinal);
        Assert.Equal("CLINICAL-RULES.md §4.1 (S-BSAB24 Table 4)", item.Source);
    }

    [Fact]
    public void Icans_rise_to_2_shows_both_steroid_frequencies_each_cited()
    {
        var advice = Icans(1, 2);

        Assert.Equal(["general.icans2.dexamethasone-q12h", "general.icans2plus.dexamethasone-q6h"], advice.Select(a => a.Code));
        Assert.Contains("dexamethasone 10 mg IV every 12 h, followed by a taper", advice[0].Text, StringComparison.Ordinal);
        Assert.Contains("Admit for monitoring", advice[0].Text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("S-BSAB24 Table 4", advice[0].Source, StringComparison.Ordinal);
        Assert.Contains("dexamethasone 10-20 mg IV every 6 h", advice[1].Text, StringComparison.Ordinal);
        Assert.Contains("ICU transfer if there is grade ≥ 2 CRS", advice[1].Text, StringComparison.Ordinal);
        Assert.Contains("S-JCM23", advice[1].Source, StringComparison.Ordinal);
        Assert.All(advice, a => Assert.Contains("§7.2", a.Source, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    public void Icans_rise_to_3_or_4_gives_the_s_jcm23_row_and_sends_to_the_consensus_for_the_unread_rows(int grade)
    {
        var advice = Icans(1, grade);

        Assert.Equal(["general.icans2plus.dexamethasone-q6h", "general.icans3-4.not-encoded"], advice.Select(a => a.Code));
        Assert.StartsWith("Not encoded: consult the bispecific consensus (S-BSAB24 Table 4) for ICANS grade 3-4", advice[1].Text, StringComparison.Ordinal);
        Assert.DoesNotContain("mg", advice[1].Text, StringComparison.Ordinal);
        Assert.Contains("❌", advice[1].Source, StringComparison.Ordinal);
    }

    [Fact]
    public void A_seizure_criterion_adds_the_antiepileptic_row_without_doses()
    {
        var advice = Icans(0, 3, "icans.ice.4", "icans.seizure.prolongedOrRepetitive");

        var seizure = advice[^1];
        Assert.Equal("general.icans.seizure.antiepileptic", seizure.Code);
        Assert.Contains("benzodiazepines, levetiracetam or other antiepileptic drugs", seizure.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(" mg", seizure.Text, StringComparison.Ordinal);
        Assert.Equal("CLINICAL-RULES.md §4.1 (S-CCM18)", seizure.Source);
    }

    [Fact]
    public void Without_a_seizure_criterion_there_is_no_seizure_row() =>
        Assert.DoesNotContain(Icans(0, 3, "icans.ice.2", "icans.consciousness.awakensToVoice"), a => a.Code.Contains("seizure", StringComparison.Ordinal));
}

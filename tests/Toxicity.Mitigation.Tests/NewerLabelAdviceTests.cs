using System.Text.RegularExpressions;
using Toxicity.Grading.Timeline;
using Toxicity.Mitigation.Regimens;
using Xunit;

namespace Toxicity.Mitigation.Tests;

/// <summary>
/// The label rules of the newer T-cell engagers (CLINICAL-RULES.md §5.7-§5.12) through <see cref="MitigationAdvisor"/>:
/// the rule codes each grade gives, the ⚠️ rows with their source ids, every ❌ row as "Not encoded: consult …" without a
/// number, the scale each label writes its rows on, and the rows a site of each jurisdiction is shown.
/// </summary>
public sealed partial class NewerLabelAdviceTests
{
    private static readonly string[] Drugs = ["teclistamab", "elranatamab", "talquetamab", "linvoseltamab", "tarlatamab", "tebentafusp"];

    private static IReadOnlyList<Advice> Rise(string drug, GradeScale scale, int next, double? weightKg = 70, Jurisdiction? site = null)
    {
        var patient = new PatientContext(Patients.Regimen(drug), weightKg, 1.8, 55, site);
        var advice = MitigationAdvisor.OnGradeChanged(patient, scale, next - 1, next, []);
        Patients.AssertWellFormed(advice);
        return advice;
    }

    private static string[] LabelCodes(IReadOnlyList<Advice> advice) =>
        [.. advice.Select(a => a.Code).Where(c => !c.StartsWith("general.", StringComparison.Ordinal))];

    private static Advice Item(IReadOnlyList<Advice> advice, string code) => Assert.Single(advice, a => a.Code == code);

    // A dose, a duration or a flow: what a ❌ row must never carry.
    [GeneratedRegex(@"\d\s*(mg|mcg|µg|mL|L/min|hours?|h\b|days?|min\b|°|%)")]
    private static partial Regex Number();

    [Theory]
    [InlineData("teclistamab", 1, "teclistamab.crs1.not-encoded teclistamab.crs.eu-hk.supportive teclistamab.crs.masked-fever.not-encoded")]
    [InlineData("teclistamab", 2, "teclistamab.crs2.not-encoded teclistamab.crs.eu-hk.supportive teclistamab.crs.masked-fever.not-encoded teclistamab.crs.tocilizumab.not-encoded")]
    [InlineData("teclistamab", 4, "teclistamab.crs4.not-encoded teclistamab.crs.eu-hk.supportive teclistamab.crs.masked-fever.not-encoded teclistamab.crs.tocilizumab.not-encoded")]
    [InlineData("elranatamab", 1, "elranatamab.crs.scale-not-read elranatamab.crs1.withhold elranatamab.crs.masked-fever.not-encoded")]
    [InlineData("elranatamab", 2, "elranatamab.crs.scale-not-read elranatamab.crs2.withhold-monitor elranatamab.crs.masked-fever.not-encoded elranatamab.crs.tocilizumab.not-encoded")]
    [InlineData("elranatamab", 3, "elranatamab.crs.scale-not-read elranatamab.crs3.withhold elranatamab.crs3.not-encoded elranatamab.crs.masked-fever.not-encoded elranatamab.crs.tocilizumab.not-encoded")]
    [InlineData("elranatamab", 4, "elranatamab.crs.scale-not-read elranatamab.crs4.not-encoded elranatamab.crs.masked-fever.not-encoded elranatamab.crs.tocilizumab.not-encoded")]
    [InlineData("talquetamab", 1, "talquetamab.crs1.not-encoded talquetamab.crs.premedicate-next-dose talquetamab.crs.masked-fever.not-encoded")]
    [InlineData("talquetamab", 3, "talquetamab.crs3.not-encoded talquetamab.crs.premedicate-next-dose talquetamab.crs.masked-fever.not-encoded talquetamab.crs.tocilizumab.not-encoded")]
    [InlineData("linvoseltamab", 1, "linvoseltamab.crs.withhold linvoseltamab.crs1.not-encoded linvoseltamab.crs.masked-fever.not-encoded")]
    [InlineData("linvoseltamab", 2, "linvoseltamab.crs.withhold linvoseltamab.crs2.not-encoded linvoseltamab.crs.masked-fever.not-encoded linvoseltamab.crs.tocilizumab.not-encoded")]
    [InlineData("tarlatamab", 1, "tarlatamab.crs.scale-not-read tarlatamab.crs1.withhold tarlatamab.crs.masked-fever.not-encoded")]
    [InlineData("tarlatamab", 2, "tarlatamab.crs.scale-not-read tarlatamab.crs2.withhold-hospitalise tarlatamab.crs.masked-fever.not-encoded tarlatamab.crs.tocilizumab.not-encoded")]
    [InlineData("tarlatamab", 3, "tarlatamab.crs.scale-not-read tarlatamab.crs3.not-encoded tarlatamab.crs.masked-fever.not-encoded tarlatamab.crs.tocilizumab.not-encoded")]
    [InlineData("tarlatamab", 4, "tarlatamab.crs.scale-not-read tarlatamab.crs4.not-encoded tarlatamab.crs.masked-fever.not-encoded tarlatamab.crs.tocilizumab.not-encoded")]
    [InlineData("tebentafusp", 1, "tebentafusp.crs.label-own-scale tebentafusp.crs1.no-us-row tebentafusp.crs1.eu")]
    [InlineData("tebentafusp", 2, "tebentafusp.crs.label-own-scale tebentafusp.crs2.moderate tebentafusp.crs2.eu tebentafusp.crs.hypotension-unresolved.tocilizumab")]
    [InlineData("tebentafusp", 3, "tebentafusp.crs.label-own-scale tebentafusp.crs3.severe tebentafusp.crs.hypotension-unresolved.tocilizumab")]
    [InlineData("tebentafusp", 4, "tebentafusp.crs.label-own-scale tebentafusp.crs4.life-threatening tebentafusp.crs.hypotension-unresolved.tocilizumab")]
    public void A_CRS_rise_gives_the_label_rows_before_the_general_rows(string drug, int grade, string codes) =>
        Assert.Equal(codes.Split(' '), LabelCodes(Rise(drug, GradeScale.Crs, grade)));

    [Theory]
    [InlineData("teclistamab", 1, "teclistamab.icans1.withhold teclistamab.neurotoxicity-excluding-icans.not-graded")]
    [InlineData("teclistamab", 2, "teclistamab.icans2.withhold-dexamethasone teclistamab.neurotoxicity-excluding-icans.not-graded")]
    [InlineData("teclistamab", 3, "teclistamab.icans3.first.withhold-dexamethasone teclistamab.icans3.recurrent.not-encoded teclistamab.neurotoxicity-excluding-icans.not-graded")]
    [InlineData("teclistamab", 4, "teclistamab.icans4.not-encoded teclistamab.neurotoxicity-excluding-icans.not-graded")]
    [InlineData("elranatamab", 2, "elranatamab.icans2.not-encoded")]
    [InlineData("talquetamab", 3, "talquetamab.icans3.not-encoded")]
    [InlineData("linvoseltamab", 1, "linvoseltamab.icans1.not-encoded")]
    [InlineData("tarlatamab", 4, "tarlatamab.icans4.not-encoded")]
    [InlineData("tebentafusp", 2, "tebentafusp.icans.no-label-row")]
    public void An_ICANS_rise_gives_the_label_rows_before_the_general_rows(string drug, int grade, string codes) =>
        Assert.Equal(codes.Split(' '), LabelCodes(Rise(drug, GradeScale.Icans, grade)));

    [Fact]
    public void Every_not_encoded_row_of_every_drug_and_grade_says_consult_and_carries_no_number()
    {
        var count = 0;
        foreach (var drug in Drugs)
        {
            foreach (var scale in new[] { GradeScale.Crs, GradeScale.Icans })
            {
                for (var grade = 1; grade <= 4; grade++)
                {
                    foreach (var site in new Jurisdiction?[] { null, Jurisdiction.Us, Jurisdiction.Eu, Jurisdiction.Ch })
                    {
                        var label = Rise(drug, scale, grade, site: site).Where(a => a.Code.StartsWith($"{drug}.", StringComparison.Ordinal)).ToList();
                        Assert.NotEmpty(label);
                        foreach (var item in label.Where(a => a.Text.StartsWith("Not encoded", StringComparison.Ordinal)))
                        {
                            Assert.StartsWith("Not encoded: consult ", item.Text, StringComparison.Ordinal);
                            Assert.DoesNotMatch(Number(), item.Text);
                            count++;
                        }

                        // Each cites its drug's section (the shared tocilizumab item cites §4.1 and §7.1 first).
                        Assert.All(label, a => Assert.Matches($@"^CLINICAL-RULES\.md (§4\.1, §7\.1, )?{SectionOf(drug).Replace(".", @"\.", StringComparison.Ordinal)}\b", a.Source));
                    }
                }
            }
        }

        Assert.True(count > 100, $"{count} not-encoded items");
    }

    private static string SectionOf(string drug) => drug switch
    {
        "teclistamab" => "§5.7",
        "elranatamab" => "§5.8",
        "talquetamab" => "§5.9",
        "linvoseltamab" => "§5.10",
        "tarlatamab" => "§5.11",
        _ => "§5.12",
    };

    [Theory]
    [InlineData("teclistamab", LabelScale.CrsScaleNotRead, LabelScale.AstctIcans)]
    [InlineData("elranatamab", LabelScale.CrsScaleNotRead, LabelScale.AstctIcans)]
    [InlineData("talquetamab", LabelScale.CrsScaleNotRead, LabelScale.AstctIcans)]
    [InlineData("linvoseltamab", LabelScale.CrsScaleNotRead, LabelScale.AstctIcans)]
    [InlineData("tarlatamab", LabelScale.CrsScaleNotRead, LabelScale.AstctIcans)]
    [InlineData("tebentafusp", LabelScale.LabelOwnCrs, LabelScale.AstctIcans)]
    public void The_label_rows_carry_the_scale_their_label_writes_them_on(string drug, LabelScale crs, LabelScale neuro)
    {
        Assert.All(Rise(drug, GradeScale.Crs, 3).Where(a => a.Code.StartsWith($"{drug}.", StringComparison.Ordinal)), a => Assert.Equal(crs, a.Scale));
        Assert.All(Rise(drug, GradeScale.Icans, 2).Where(a => a.Code.StartsWith($"{drug}.", StringComparison.Ordinal)), a => Assert.Equal(neuro, a.Scale));
        Assert.All(Rise(drug, GradeScale.Crs, 3).Where(a => a.Code.StartsWith("general.", StringComparison.Ordinal)), a => Assert.Null(a.Scale));
    }

    [Fact]
    public void Teclistamab_ICANS_rows_quote_the_2022_PI_and_the_CTCAE_neurotoxicity_table_is_only_a_note_never_its_actions()
    {
        var grade2 = Rise("teclistamab", GradeScale.Icans, 2);

        var row = Item(grade2, "teclistamab.icans2.withhold-dexamethasone");
        Assert.StartsWith("Per the teclistamab (Tecvayli) label (clinician to confirm): for ICANS grade 2 (ICE 3-6 or awakens to voice)", row.Text, StringComparison.Ordinal);
        Assert.Contains("\"dexamethasone 10 mg intravenously every 6 hours … until resolution to grade 1 or less then taper\"", row.Text, StringComparison.Ordinal);
        Assert.Contains("\"hospitalized for 48 hours following the next dose\"", row.Text, StringComparison.Ordinal);
        Assert.Equal("CLINICAL-RULES.md §5.7, §5.6a (S-TEC-JP ⚠️ PI 2022, not re-read against the current PI)", row.Source);
        Assert.Equal(Jurisdiction.Us, row.Jurisdiction);
        foreach (var grade in new[] { 1, 2, 3, 4 })
        {
            var note = Item(Rise("teclistamab", GradeScale.Icans, grade), "teclistamab.neurotoxicity-excluding-icans.not-graded");
            Assert.StartsWith("Not encoded: consult the teclistamab (Tecvayli) label's table of neurologic toxicity excluding ICANS, written on CTCAE v4.03, "
                + "which this system does not grade: assess that toxicity on its own scale", note.Text, StringComparison.Ordinal);
            Assert.DoesNotContain("Permanently discontinue", note.Text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("stabilize", note.Text, StringComparison.Ordinal);
        }

        Assert.Contains("first occurrence", Item(Rise("teclistamab", GradeScale.Icans, 3), "teclistamab.icans3.first.withhold-dexamethasone").Text, StringComparison.Ordinal);
        Assert.Contains("\"Withhold teclistamab-cqyv until ICANS resolves\"", Item(Rise("teclistamab", GradeScale.Icans, 1), "teclistamab.icans1.withhold").Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Teclistamab_EU_HK_CRS_row_is_shown_at_an_EU_site_and_a_US_site_is_sent_to_its_own_label()
    {
        var eu = Rise("teclistamab", GradeScale.Crs, 2, site: Jurisdiction.Eu);
        var us = Rise("teclistamab", GradeScale.Crs, 2, site: Jurisdiction.Us);

        var row = Item(eu, "teclistamab.crs.eu-hk.supportive");
        Assert.Contains("GM-CSF \"should be avoided during CRS\"", row.Text, StringComparison.Ordinal);
        Assert.Equal(("CLINICAL-RULES.md §5.7 (S-TEC-HK ⚠️ HK label)", Jurisdiction.Eu | Jurisdiction.Hk), (row.Source, row.Jurisdiction));
        Assert.Equal(["teclistamab.jurisdiction.not-encoded", "teclistamab.crs2.not-encoded", "teclistamab.crs.masked-fever.not-encoded",
            "teclistamab.crs.tocilizumab.not-encoded"], LabelCodes(us));
        Assert.DoesNotContain(us, a => a.Code == "teclistamab.crs.eu-hk.supportive");
    }

    [Fact]
    public void Elranatamab_CRS_rows_quote_the_label_and_say_the_scale_was_not_read()
    {
        var grade2 = Rise("elranatamab", GradeScale.Crs, 2);

        Assert.Contains("the grading scale of its CRS table was not read", Item(grade2, "elranatamab.crs.scale-not-read").Text, StringComparison.Ordinal);
        var row = Item(grade2, "elranatamab.crs2.withhold-monitor");
        Assert.Contains("\"Monitor patients daily for 48 hours following the next dose\"", row.Text, StringComparison.Ordinal);
        Assert.Equal("CLINICAL-RULES.md §5.8 (S-ELR-PFZ ⚠️ Pfizer adverse reaction guide, truncated)", row.Source);
        Assert.Contains("\"Withhold ELREXFIO until CRS resolves\"", Item(Rise("elranatamab", GradeScale.Crs, 1), "elranatamab.crs1.withhold").Text, StringComparison.Ordinal);
        Assert.Contains("(≥ 100.4 °F/38 °C)", Item(Rise("elranatamab", GradeScale.Crs, 1), "elranatamab.crs1.withhold").Text, StringComparison.Ordinal);
        Assert.StartsWith("Not encoded: consult the elranatamab (Elrexfio) label's CRS table for the rest of the grade 3",
            Item(Rise("elranatamab", GradeScale.Crs, 3), "elranatamab.crs3.not-encoded").Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Tarlatamab_CRS_1_and_2_rows_withhold_and_resume_at_the_next_scheduled_dose()
    {
        var grade1 = Item(Rise("tarlatamab", GradeScale.Crs, 1), "tarlatamab.crs1.withhold");
        var grade2 = Item(Rise("tarlatamab", GradeScale.Crs, 2), "tarlatamab.crs2.withhold-hospitalise");

        Assert.Contains("withhold \"until event resolves, then resume … at the next scheduled dose\"", grade1.Text, StringComparison.Ordinal);
        Assert.Contains("\"Consider dexamethasone 4 to 10 mg PO or IV\"", grade1.Text, StringComparison.Ordinal);
        Assert.Contains("\"Recommend hospitalization for a minimum of 24 hours with cardiac telemetry and pulse oximetry\"", grade2.Text, StringComparison.Ordinal);
        Assert.Contains("\"Consider dexamethasone (or equivalent) 8 mg PO or IV\"; \"Consider tocilizumab\"; at the next dose, monitor for \"22 to 24 hours\"",
            grade2.Text, StringComparison.Ordinal);
        Assert.All(new[] { grade1, grade2 }, a => Assert.Equal("CLINICAL-RULES.md §5.11 (S-TAR-HCP ⚠️)", a.Source));
        Assert.StartsWith("Not encoded: consult the tarlatamab (Imdelltra) label §2.5, Table 5, CRS grade 3 row (first occurrence and recurrent)",
            Item(Rise("tarlatamab", GradeScale.Crs, 3), "tarlatamab.crs3.not-encoded").Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Talquetamab_and_linvoseltamab_give_their_read_rows_and_send_every_grade_row_to_the_label()
    {
        Assert.Contains("\"pre-treatment medications should be administered prior to the next TALVEY dose\"",
            Item(Rise("talquetamab", GradeScale.Crs, 1), "talquetamab.crs.premedicate-next-dose").Text, StringComparison.Ordinal);
        Assert.Contains("\"withhold … until CRS resolves and modify the next dose or permanently discontinue\"",
            Item(Rise("linvoseltamab", GradeScale.Crs, 2), "linvoseltamab.crs.withhold").Text, StringComparison.Ordinal);
        Assert.Equal("CLINICAL-RULES.md §5.10 (S-LIN-DC ⚠️; S-LIN-DCM ⚠️ boxed warning)", Item(Rise("linvoseltamab", GradeScale.Crs, 2), "linvoseltamab.crs.withhold").Source);
        Assert.StartsWith("Not encoded: consult the talquetamab (Talvey) label's CRS table, grade 2 row (its rows and its scale were not read)",
            Item(Rise("talquetamab", GradeScale.Crs, 2), "talquetamab.crs2.not-encoded").Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(2, "for Moderate CRS (≈ ASTCT grade 2")]
    [InlineData(3, "for Severe CRS (≈ ASTCT grade 3")]
    [InlineData(4, "for Life-threatening CRS (≈ ASTCT grade 4")]
    public void Tebentafusp_rows_are_the_labels_own_grades_approximated_on_ASTCT_for_a_clinician_to_confirm(int grade, string start)
    {
        var advice = Rise("tebentafusp", GradeScale.Crs, grade);

        var scale = Item(advice, "tebentafusp.crs.label-own-scale");
        Assert.Contains("Moderate ≈ grade 2, Severe ≈ grade 3, Life-threatening ≈ grade 4: an approximation, clinician to confirm the label grade", scale.Text, StringComparison.Ordinal);
        var row = Assert.Single(advice, a => a.Code.StartsWith($"tebentafusp.crs{grade}.", StringComparison.Ordinal) && a.Jurisdiction == Jurisdiction.Us);
        Assert.StartsWith($"Per the tebentafusp (Kimmtrak) label (clinician to confirm): {start}", row.Text, StringComparison.Ordinal);
        Assert.Contains("clinician to confirm the label grade", row.Text, StringComparison.Ordinal);
        Assert.Equal("CLINICAL-RULES.md §5.12 (S-TEB-MPR ⚠️)", row.Source);
        Assert.All(advice.Where(a => a.Code.StartsWith("tebentafusp.", StringComparison.Ordinal)), a => Assert.Equal(LabelScale.LabelOwnCrs, a.Scale));
    }

    [Fact]
    public void Tebentafusp_has_no_US_grade_1_row_and_gives_the_EU_grade_1_and_2_rows_as_EU()
    {
        var us = Rise("tebentafusp", GradeScale.Crs, 1, site: Jurisdiction.Us);
        var eu = Rise("tebentafusp", GradeScale.Crs, 1, site: Jurisdiction.Eu);

        Assert.Equal(["tebentafusp.crs.label-own-scale", "tebentafusp.crs1.no-us-row"], LabelCodes(us));
        Assert.Contains("has no row for fever only (≈ ASTCT grade 1)", us[1].Text, StringComparison.Ordinal);
        Assert.Equal(["tebentafusp.crs1.eu"], LabelCodes(eu));
        Assert.Contains("\"Treat symptoms as appropriate. Monitor for escalation\"", eu[0].Text, StringComparison.Ordinal);
        Assert.Equal(["tebentafusp.crs2.eu"], LabelCodes(Rise("tebentafusp", GradeScale.Crs, 2, site: Jurisdiction.Eu)));
        Assert.Contains("not improving \"within 2 to 3 hours\": treat as grade 3", Item(Rise("tebentafusp", GradeScale.Crs, 2), "tebentafusp.crs2.eu").Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(70.0, "(for 70 kg: 140 mg/day, unrounded)", "(for 70 kg: tocilizumab 560 mg)")]
    [InlineData(120.0, "(for 120 kg: 240 mg/day, unrounded)", "(for 120 kg: tocilizumab 800 mg, capped at 800 mg)")]
    [InlineData(null, "(weight unknown: dose not computed)", "(weight unknown: tocilizumab dose not computed)")]
    public void Tebentafusp_severe_CRS_computes_methylprednisolone_and_tocilizumab_from_the_weight(double? weightKg, string methylprednisolone, string tocilizumab)
    {
        var advice = Rise("tebentafusp", GradeScale.Crs, 3, weightKg);

        var severe = Item(advice, "tebentafusp.crs3.severe");
        Assert.Contains($"\"2mg/kg/day methylprednisolone or equivalent\" {methylprednisolone}", severe.Text, StringComparison.Ordinal);
        Assert.Contains("\"do not escalate if severe CRS occurred during initial dose escalation\"", severe.Text, StringComparison.Ordinal);
        var row = Item(advice, "tebentafusp.crs.hypotension-unresolved.tocilizumab");
        Assert.Contains($"\"and/or tocilizumab 8 mg/kg IV (not to exceed 800 mg/infusion)\" {tocilizumab}", row.Text, StringComparison.Ordinal);
        Assert.Equal("CLINICAL-RULES.md §5.12 (S-TEB-HCP ⚠️)", row.Source);
    }

    [Fact]
    public void Tebentafusp_interruption_gives_the_skin_rows_and_no_dose_reduction()
    {
        var advice = MitigationAdvisor.OnInfusionInterrupted(Patients.On("tebentafusp", 70));

        Patients.AssertWellFormed(advice);
        Assert.Equal(["tebentafusp.withhold.skin-grade-2-3", "tebentafusp.withhold.skin-grade-4.not-encoded", "tebentafusp.no-dose-reduction",
            "tebentafusp.interruption.not-encoded"], advice.Select(a => a.Code));
        Assert.Contains("(CTCAE v4.03, which this system does not grade: assess on that scale): \"Withhold Kimmtrak until ≤Grade 1 or baseline. Resume at same dose level\"",
            advice[0].Text, StringComparison.Ordinal);
        Assert.DoesNotMatch(Number(), advice[1].Text);
        Assert.Contains("\"No dosage reduction for KIMMTRAK is recommended\"", advice[2].Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_newer_drug_advice_is_well_formed_at_every_site_and_comes_before_the_general_rows()
    {
        foreach (var regimen in RegimenCatalogue.All.Where(r => Drugs.Contains(r.Drug)))
        {
            foreach (var site in new Jurisdiction?[] { null, Jurisdiction.Us, Jurisdiction.Eu, Jurisdiction.Ch })
            {
                var patient = new PatientContext(regimen, 70, 1.8, 55, site);
                foreach (var scale in new[] { GradeScale.Crs, GradeScale.Icans })
                {
                    for (var next = 1; next <= 4; next++)
                    {
                        var codes = MitigationAdvisor.OnGradeChanged(patient, scale, 0, next, ["icans.seizure.nonConvulsiveEeg"]).Select(a => a.Code).ToList();
                        var firstGeneral = codes.FindIndex(c => c.StartsWith("general.", StringComparison.Ordinal));
                        Assert.True(firstGeneral > 0, $"{regimen.Id} {site} {scale} {next}: no label row before the general rows");
                        Assert.All(codes.Skip(firstGeneral), c => Assert.StartsWith("general.", c, StringComparison.Ordinal));
                        Patients.AssertWellFormed(MitigationAdvisor.OnGradeChanged(patient, scale, 0, next, []));
                    }
                }

                Patients.AssertWellFormed(MitigationAdvisor.OnInfusionInterrupted(patient));
                Patients.AssertWellFormed(MitigationAdvisor.OnInfusionRestarted(patient, TimeSpan.FromHours(5)));
                foreach (var dose in regimen.Doses)
                {
                    Patients.AssertWellFormed(MitigationAdvisor.OnDoseDelayed(patient, dose.Label, TimeSpan.FromDays(100)));
                }
            }
        }
    }
}

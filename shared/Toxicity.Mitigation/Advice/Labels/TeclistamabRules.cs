using Toxicity.Grading.Timeline;
using Toxicity.Mitigation.Regimens;

namespace Toxicity.Mitigation.Labels;

/// <summary>
/// Teclistamab (Tecvayli) label rules, CLINICAL-RULES.md §5.7. The US CRS table (grades 1-4, scale not read) is ❌; the
/// EU/HK supportive-care row is given as EU/HK. The ICANS table uses the ASTCT descriptors (its footnote not read):
/// grades 1, 2 and a first grade 3 are given (⚠️, PI 2022, §5.6a), a recurrent grade 3 and grade 4 are ❌. The table of
/// neurologic toxicity excluding ICANS is written on CTCAE v4.03, which this system does not grade: it is never given
/// on the ICANS grade, only a note to assess that toxicity on its own scale and consult the table.
/// </summary>
internal sealed class TeclistamabRules : LabelRules
{
    private const string IcansIds = "S-TEC-JP ⚠️ PI 2022, not re-read against the current PI";
    private const string IcansScale = " (the label's ICANS table uses the ASTCT descriptors, as this grade does; its footnote was not read)";

    private const string Grade1Text = "\"Withhold teclistamab-cqyv until ICANS resolves\"; consider neurology (evaluation) and \"nonsedating, "
        + "antiseizure medicines\"";

    public override string Drug => "teclistamab";

    public override string Label => "teclistamab (Tecvayli)";

    public override string Section => "§5.7";

    public override Jurisdiction Jurisdiction => Jurisdiction.Us;

    public override LabelScale CrsScale => LabelScale.CrsScaleNotRead;

    public override LabelScale NeuroScale => LabelScale.AstctIcans;

    public override string DelayConsult =>
        "the teclistamab (Tecvayli) label's restart table (US PI Table 2; CLINICAL-RULES.md §5.7 encodes its US rows; the EU/HK rows "
        + "were not read).";

    public override IEnumerable<Advice> OnGradeRise(PatientContext patient, GradeScale scale, int grade, IReadOnlyList<string> criteria) =>
        scale == GradeScale.Crs ? Crs(grade) : Icans(grade);

    private List<Advice> Crs(int grade)
    {
        List<Advice> items =
        [
            NotEncodedItem($"crs{grade}.not-encoded",
                $"the teclistamab (Tecvayli) label's CRS table (US §2.4, Table 3), grade {grade} row (its rows and its scale were not read).",
                "❌ not read; §7.1"),
            LabelItem("crs.eu-hk.supportive",
                "EU/HK label only, non-US: supportive care, tocilizumab and/or corticosteroids \"based on severity as indicated in Table 6\" "
                + "(that table was not read: consult it); GM-CSF \"should be avoided during CRS\".",
                "S-TEC-HK ⚠️ HK label", jurisdiction: Jurisdiction.Eu | Jurisdiction.Hk),
            LabelNotes.MaskedFeverNotEncoded(this),
        ];
        if (grade >= 2)
        {
            items.Add(Tocilizumab.LabelWordingNotEncoded(this));
        }

        return items;
    }

    private List<Advice> Icans(int grade)
    {
        List<Advice> items = grade switch
        {
            1 => [LabelItem("icans1.withhold", $"for ICANS grade 1 (ICE 7-9 or \"awakens spontaneously\"){IcansScale}: {Grade1Text}.", IcansIds, "§5.6a")],
            2 =>
            [
                LabelItem("icans2.withhold-dexamethasone",
                    $"for ICANS grade 2 (ICE 3-6 or awakens to voice){IcansScale}: as for grade 1 ({Grade1Text}), plus \"dexamethasone 10 mg "
                    + "intravenously every 6 hours … until resolution to grade 1 or less then taper\"; \"hospitalized for 48 hours following "
                    + "the next dose\".",
                    IcansIds, "§5.6a"),
            ],
            3 =>
            [
                LabelItem("icans3.first.withhold-dexamethasone",
                    $"for ICANS grade 3, first occurrence{IcansScale}: withhold; dexamethasone 10 mg IV every 6 hours as for grade 2; monitor.",
                    IcansIds, "§5.6a"),
                NotEncodedItem("icans3.recurrent.not-encoded",
                    "the teclistamab (Tecvayli) label's ICANS table, recurrent grade 3 row (not read).", "❌ not read; §7.1"),
            ],
            _ => [NotEncodedItem($"icans{grade}.not-encoded", $"the teclistamab (Tecvayli) label's ICANS table, grade {grade} row (not read).",
                "❌ not read; §7.1")],
        };
        items.Add(NotEncodedItem("neurotoxicity-excluding-icans.not-graded",
            "the teclistamab (Tecvayli) label's table of neurologic toxicity excluding ICANS, written on CTCAE v4.03, which this system "
            + "does not grade: assess that toxicity on its own scale before acting on that table (the ICANS rows above do not stand in "
            + "for it).",
            "S-TEC-JP ⚠️ PI 2022; CTCAE v4.03 not graded here"));
        return items;
    }
}

namespace Toxicity.Mitigation.Labels;

/// <summary>
/// Notes the labels of CLINICAL-RULES.md §5.7-§5.12 share: the "premedication may mask fever" note that was not read (❌),
/// and a CRS table whose scale footnote was not read (<see cref="Regimens.LabelScale.CrsScaleNotRead"/>: ASTCT stands in).
/// </summary>
internal static class LabelNotes
{
    /// <summary>"Not encoded: consult …" for the label's masked-fever note (❌ not read).</summary>
    public static Advice MaskedFeverNotEncoded(LabelRules rules) =>
        new($"{rules.Drug}.crs.masked-fever.not-encoded",
            Wording.NotEncoded($"the {rules.Label} label for its note that premedication may mask fever (not read)."),
            Wording.Cite(rules.Section, "❌ not read"));

    /// <summary>The label's CRS rows are given on the ASTCT grade, standing in for a scale whose footnote was not read.</summary>
    public static Advice CrsScaleNotRead(LabelRules rules, string ids) =>
        new($"{rules.Drug}.crs.scale-not-read",
            Wording.PerLabel(rules.Label, "the grading scale of its CRS table was not read (its scale footnote): the label rows here are "
                + "given on the ASTCT grade, standing in for it; confirm the grade against the label's table before acting on them."),
            Wording.Cite(rules.Section, ids), rules.Jurisdiction);
}

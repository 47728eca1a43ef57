namespace Toxicity.Grading;

/// <summary>A grading criterion: a stable machine-readable code and a sentence a clinician can read.</summary>
public sealed record Criterion(string Code, string Description);

/// <summary>A rule set: its identifier with version (e.g. <c>astct-2019/1</c>) and the source it implements.</summary>
public sealed record RuleSet(string Id, string Citation)
{
    /// <summary>ASTCT 2019 consensus grading of CRS and ICANS, as CLINICAL-RULES.md §1-§2 reads it. Frozen: rule set /1.</summary>
    public static readonly RuleSet Astct2019 = new(
        "astct-2019/1",
        "Lee DW, Santomasso BD, Locke FL, et al. ASTCT Consensus Grading for Cytokine Release Syndrome and Neurologic "
        + "Toxicity Associated with Immune Effector Cells. Biol Blood Marrow Transplant 2019;25(4):625-638. "
        + "doi:10.1016/j.bbmt.2018.12.758 (CLINICAL-RULES.md §1-§2)");

    /// <summary>NCI CTCAE v5.0 "Cytokine release syndrome", with the computable convention C-CTC-1.</summary>
    public static readonly RuleSet Ctcae5Crs = new(
        "ctcae-5.0-crs/1",
        "NCI Common Terminology Criteria for Adverse Events v5.0 (2017), \"Cytokine release syndrome\", as adapted in "
        + "S-CTCAE5-a; computed by the project convention C-CTC-1 (CLINICAL-RULES.md §3.1-§3.2)");

    /// <summary>
    /// ASTCT 2019 grading made safe over time (CLINICAL-RULES.md §8): lower bounds instead of silence, "alert" beside
    /// "awakens spontaneously", possible CRS under premedication, validity windows and the clock. The live rule set.
    /// </summary>
    public static readonly RuleSet Astct2019v2 = new(
        "astct-2019/2",
        "Lee DW, Santomasso BD, Locke FL, et al. ASTCT Consensus Grading for Cytokine Release Syndrome and Neurologic "
        + "Toxicity Associated with Immune Effector Cells. Biol Blood Marrow Transplant 2019;25(4):625-638. "
        + "doi:10.1016/j.bbmt.2018.12.758, with the conventions of rule set astct-2019/2 (CLINICAL-RULES.md §8)");

    /// <summary>CTCAE v5.0 CRS as <see cref="Ctcae5Crs"/>, with the presence gate and the lower bounds of <see cref="Astct2019v2"/> (§8.5).</summary>
    public static readonly RuleSet Ctcae5CrsV2 = new(
        "ctcae-5.0-crs/2",
        "NCI Common Terminology Criteria for Adverse Events v5.0 (2017), \"Cytokine release syndrome\", as adapted in "
        + "S-CTCAE5-a; computed by the project convention C-CTC-1 with the presence gate of astct-2019/2 (CLINICAL-RULES.md §3.2, §8.5)");
}

/// <summary>
/// One scale's answer: the grade (null when the scale cannot decide from the inputs, with <see cref="Reason"/>),
/// the criteria that fired, data-quality warnings, and the rule set. Under <c>astct-2019/2</c> a grade may be a
/// <see cref="LowerBound"/> ("at least N": a reading that could raise it is missing, §8.1 C2-LB-1, C2-LB-2; a lower
/// bound of 0 reads "not assessed", C2-LB-0) or <see cref="Provisional"/> (possible CRS under premedication, for a
/// clinician to confirm, §8.3); the frozen /1 scales never set either.
/// </summary>
public sealed record ScaleResult<TGrade>(
    TGrade? Grade,
    IReadOnlyList<Criterion> Criteria,
    RuleSet RuleSet,
    string? Reason,
    IReadOnlyList<Criterion> Warnings,
    bool LowerBound = false,
    bool Provisional = false)
    where TGrade : struct, Enum;

/// <summary>The three scales for one assessment: ASTCT CRS, ASTCT ICANS and CTCAE v5.0 CRS beside them.</summary>
public sealed record GradingResult(
    ScaleResult<CrsGrade> AstctCrs,
    ScaleResult<IcansGrade> AstctIcans,
    ScaleResult<CrsGrade> CtcaeCrs);

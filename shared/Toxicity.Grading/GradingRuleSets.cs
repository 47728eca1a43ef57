using Toxicity.Grading.V2;

namespace Toxicity.Grading;

/// <summary>
/// The rule sets this version can grade with, side by side (CLINICAL-RULES.md §8.5): <c>astct-2019/2</c> is live;
/// <c>astct-2019/1</c> stays, frozen, for re-grading what was recorded under it.
/// </summary>
public static class GradingRuleSets
{
    /// <summary>The live rule set.</summary>
    public static RuleSet Live => RuleSet.Astct2019v2;

    /// <summary>Every rule set, oldest first.</summary>
    public static IReadOnlyList<RuleSet> All { get; } = [RuleSet.Astct2019, RuleSet.Astct2019v2];

    /// <summary>The rule set with <paramref name="id"/> (e.g. <c>astct-2019/1</c>), or null.</summary>
    public static RuleSet? Find(string? id) => All.FirstOrDefault(r => r.Id == id);

    /// <summary>One snapshot graded under <paramref name="ruleSet"/> (with the CTCAE rule set that goes with it).</summary>
    public static GradingResult Evaluate(RuleSet ruleSet, Assessment assessment)
    {
        ArgumentNullException.ThrowIfNull(ruleSet);
        return ruleSet == RuleSet.Astct2019 ? GradingEngine.Evaluate(assessment)
            : ruleSet == RuleSet.Astct2019v2 ? GradingEngineV2.Evaluate(assessment)
            : throw new ArgumentOutOfRangeException(nameof(ruleSet), ruleSet.Id, "not a rule set of this version");
    }
}

namespace Toxicity.Mitigation.Labels;

/// <summary>
/// The product-label tocilizumab wording for glofitamab, epcoritamab and mosunetuzumab was not retrieved
/// (CLINICAL-RULES.md §4.1, §7.1 item 7): at CRS ≥ 2 their labels get a consult item beside the general row.
/// </summary>
internal static class Tocilizumab
{
    public static Advice LabelWordingNotEncoded(LabelRules rules) =>
        new($"{rules.Drug}.crs.tocilizumab.not-encoded",
            Wording.NotEncoded($"the {rules.Label} label for its own tocilizumab wording (not retrieved); the general "
                + "tocilizumab row below is CAR-T-era guidance."),
            Wording.Cite($"§4.1, §7.1, {rules.Section}", "❌ product-label wording not retrieved"));
}

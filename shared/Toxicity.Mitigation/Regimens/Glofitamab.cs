namespace Toxicity.Mitigation.Regimens;

/// <summary>Glofitamab regimens of CLINICAL-RULES.md §5.</summary>
public static class Glofitamab
{
    /// <summary>Every Glofitamab entry of the catalogue.</summary>
    public static IReadOnlyList<Regimen> Regimens { get; } = [];
}

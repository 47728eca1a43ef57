namespace Toxicity.Mitigation.Regimens;

/// <summary>Epcoritamab regimens of CLINICAL-RULES.md §5.</summary>
public static class Epcoritamab
{
    /// <summary>Every Epcoritamab entry of the catalogue.</summary>
    public static IReadOnlyList<Regimen> Regimens { get; } = [];
}

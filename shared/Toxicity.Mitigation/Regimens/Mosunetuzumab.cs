namespace Toxicity.Mitigation.Regimens;

/// <summary>Mosunetuzumab regimens of CLINICAL-RULES.md §5.</summary>
public static class Mosunetuzumab
{
    /// <summary>Every Mosunetuzumab entry of the catalogue.</summary>
    public static IReadOnlyList<Regimen> Regimens { get; } = [];
}

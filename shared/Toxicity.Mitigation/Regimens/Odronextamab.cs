namespace Toxicity.Mitigation.Regimens;

/// <summary>Odronextamab regimens of CLINICAL-RULES.md §5.</summary>
public static class Odronextamab
{
    /// <summary>Every Odronextamab entry of the catalogue.</summary>
    public static IReadOnlyList<Regimen> Regimens { get; } = [];
}

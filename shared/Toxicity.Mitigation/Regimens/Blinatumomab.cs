namespace Toxicity.Mitigation.Regimens;

/// <summary>Blinatumomab regimens of CLINICAL-RULES.md §5.</summary>
public static class Blinatumomab
{
    /// <summary>Every Blinatumomab entry of the catalogue.</summary>
    public static IReadOnlyList<Regimen> Regimens { get; } = [];
}

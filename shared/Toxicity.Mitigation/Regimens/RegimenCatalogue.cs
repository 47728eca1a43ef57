namespace Toxicity.Mitigation.Regimens;

/// <summary>The regimen catalogue (CLINICAL-RULES.md §5): every entry, by id.</summary>
public static class RegimenCatalogue
{
    public static IReadOnlyList<Regimen> All { get; } =
        [
            .. Blinatumomab.Regimens, .. Glofitamab.Regimens, .. Mosunetuzumab.Regimens, .. Epcoritamab.Regimens, .. Odronextamab.Regimens,
            .. Teclistamab.Regimens, .. Elranatamab.Regimens, .. Talquetamab.Regimens, .. Linvoseltamab.Regimens, .. Tarlatamab.Regimens,
            .. Tebentafusp.Regimens,
        ];

    private static readonly Dictionary<string, Regimen> ById = All.ToDictionary(r => r.Id, StringComparer.Ordinal);

    /// <summary>The regimen with <paramref name="id"/>, or null.</summary>
    public static Regimen? Find(string id) => ById.GetValueOrDefault(id);
}

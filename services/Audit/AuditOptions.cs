namespace Toxicity.Audit.Service;

/// <summary>
/// Audit's settings (<c>Audit:…</c>): the SQLite file of the chain and index, and the key of every publisher, by the key
/// id it signs with (<c>Audit:SigningKeys:&lt;keyId&gt;</c> = base64), so that signatures can be checked.
/// </summary>
internal sealed class AuditOptions
{
    public const string Section = "Audit";

    /// <summary>The SQLite file (created if missing); keep it on durable storage and back it up with the exports.</summary>
    public string Database { get; set; } = "audit.db";

    public Dictionary<string, string> SigningKeys { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The keys as bytes; a key that is not base64 stops the start with the key id named (never the key).</summary>
    public IReadOnlyDictionary<string, byte[]> Keys()
    {
        var keys = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (id, key) in SigningKeys)
        {
            try
            {
                keys[id] = Convert.FromBase64String(key);
            }
            catch (FormatException)
            {
                throw new InvalidOperationException($"{Section}:SigningKeys:{id} is not base64");
            }
        }

        return keys;
    }
}

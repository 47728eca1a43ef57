using System.Security.Cryptography;
using System.Text;

namespace Toxicity.Testing;

/// <summary>
/// A fresh random API key for a test run and the settings that configure a service to accept it, as a production
/// site would (only its SHA-256 is configured). No key is built into any service's configuration.
/// </summary>
public sealed class ApiKey
{
    public ApiKey(string name, params string[] roles)
    {
        Name = name;
        Roles = roles;
        Key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));
    }

    public string Name { get; }

    public string Key { get; }

    public IReadOnlyList<string> Roles { get; }

    public string Sha256 => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(Key)));

    /// <summary>The configuration entries (<c>Auth:ApiKeys:{index}:…</c>) in environment-variable form.</summary>
    public IReadOnlyDictionary<string, string> Settings(int index)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [$"Auth__ApiKeys__{index}__Name"] = Name,
            [$"Auth__ApiKeys__{index}__Sha256"] = Sha256,
        };
        for (var i = 0; i < Roles.Count; i++)
        {
            settings[$"Auth__ApiKeys__{index}__Roles__{i}"] = Roles[i];
        }

        return settings;
    }

    public void Authorize(HttpClient client) => client.DefaultRequestHeaders.Add("X-Api-Key", Key);
}

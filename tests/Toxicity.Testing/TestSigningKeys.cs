using System.Security.Cryptography;
using System.Text;

namespace Toxicity.Testing;

/// <summary>
/// The signing key of each service in tests (derived from the service's name, so every process of a run agrees) and
/// the settings that give a service its key, and Audit every key. Test keys only: a site generates its own.
/// </summary>
public static class TestSigningKeys
{
    public static IReadOnlyList<string> Services { get; } = ["Ingestion", "Grading", "Mitigation", "Alerting", "Audit"];

    public static string KeyId(string service) => $"{service.ToLowerInvariant()}-test";

    public static string Key(string service) =>
        Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes($"toxicity-test-signing-key/{service}")));

    /// <summary>What <paramref name="service"/> signs with; for Audit also every service's key, to check signatures.</summary>
    public static IReadOnlyDictionary<string, string> Settings(string service)
    {
        var settings = new Dictionary<string, string>
        {
            ["EventSigning__KeyId"] = KeyId(service),
            ["EventSigning__Key"] = Key(service),
        };
        if (service == "Audit")
        {
            foreach (var each in Services)
            {
                settings[$"Audit__SigningKeys__{KeyId(each)}"] = Key(each);
            }
        }

        return settings;
    }
}

using System.Security.Cryptography;
using System.Text.Json;

namespace Toxicity.Alerting.Service;

/// <summary>
/// The escalation policy of each ward, from configuration (<c>Alerting:Policies:&lt;ward&gt;:…</c>, each field optional
/// over the defaults of <see cref="AlertPolicy.Default"/>; <c>Alerting:Policies:default:…</c> changes the defaults for
/// every ward); a ward without one, or a patient without a ward, gets the defaults.
/// </summary>
internal sealed class AlertPolicies
{
    private readonly Dictionary<string, AlertPolicy> _byWard = new(StringComparer.Ordinal);

    public AlertPolicies(IConfiguration configuration)
    {
        foreach (var ward in configuration.GetSection("Alerting:Policies").GetChildren())
        {
            var defaults = AlertPolicy.Default;
            var tiers = ward.GetSection("Tiers").Get<string[]>() is { Length: > 0 } configured ? configured : defaults.Tiers;
            _byWard[ward.Key] = new AlertPolicy(
                tiers,
                ward.GetValue("PhysicianFromCrs", defaults.PhysicianFromCrs),
                ward.GetValue("PhysicianFromIcans", defaults.PhysicianFromIcans),
                ward.GetValue("CriticalFromCrs", defaults.CriticalFromCrs),
                ward.GetValue("CriticalFromIcans", defaults.CriticalFromIcans),
                ward.GetValue("EscalateWarningAfter", defaults.EscalateWarningAfter),
                ward.GetValue("EscalateCriticalAfter", defaults.EscalateCriticalAfter));
        }
    }

    /// <summary>
    /// A hash of every policy that decides (the defaults and each ward's, by ward): what a fold of grade changes and
    /// overdue notices depends on besides the log.
    /// </summary>
    public string Fingerprint
    {
        get
        {
            var policies = new { Defaults = AlertPolicy.Default, Wards = _byWard.OrderBy(w => w.Key, StringComparer.Ordinal).ToDictionary() };
            return Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(policies, new JsonSerializerOptions(JsonSerializerDefaults.Web))))[..16];
        }
    }

    public AlertPolicy For(string? ward) =>
        ward is not null && _byWard.TryGetValue(ward, out var policy) ? policy
        : _byWard.TryGetValue(DefaultWard, out var defaults) ? defaults
        : AlertPolicy.Default;

    /// <summary>The configuration key whose policy applies to every ward without one of its own.</summary>
    private const string DefaultWard = "default";
}

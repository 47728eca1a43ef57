using System.Globalization;
using Toxicity.Mitigation.Regimens;

namespace Toxicity.Mitigation.Service;

/// <summary>
/// Mitigation's settings, checked at start-up: <c>Mitigation:Jurisdiction</c>, the site's jurisdiction (<c>US</c>,
/// <c>EU</c> or <c>CH</c>; default <c>US</c>): only its label rows (and neutral guidance) are advised and planned
/// (CLINICAL-RULES.md §5.13); <c>Mitigation:ClockInterval</c>, how often the clock looks for dose reviews that came due
/// (default 30 s); <c>Mitigation:ClockResend</c>, after how long it asks again for a review not recorded yet (default 1 min).
/// </summary>
internal sealed record MitigationOptions(Jurisdiction Site, TimeSpan ClockInterval, TimeSpan ClockResend)
{
    public const Jurisdiction DefaultSite = Jurisdiction.Us;

    public static MitigationOptions From(IConfiguration configuration)
    {
        var section = configuration.GetSection("Mitigation");
        var code = section["Jurisdiction"];
        var site = code is null ? DefaultSite : Jurisdictions.Site(code)
            ?? throw new InvalidOperationException($"Mitigation:Jurisdiction must be US, EU or CH (was '{code}').");
        return new MitigationOptions(site, Positive(section, "ClockInterval", TimeSpan.FromSeconds(30)), Positive(section, "ClockResend", TimeSpan.FromMinutes(1)));
    }

    private static TimeSpan Positive(IConfigurationSection section, string name, TimeSpan fallback)
    {
        if (section[name] is not { } text)
        {
            return fallback;
        }

        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var value) && value > TimeSpan.Zero
            ? value
            : throw new InvalidOperationException($"Mitigation:{name} must be a positive time span, e.g. 00:00:30 (was '{text}').");
    }
}

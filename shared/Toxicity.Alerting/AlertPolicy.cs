namespace Toxicity.Alerting;

/// <summary>How loud a change is: a notice is shown, never paged; a warning or a critical alert pages its tier.</summary>
public enum AlertSeverity
{
    Info,
    Warning,
    Critical,
}

/// <summary>The scale a grade change is on.</summary>
public enum AlertScale
{
    Crs,
    Icans,
}

/// <summary>What a grade change raises: a notice (an improvement) or an alert, its severity and the tier it goes to.</summary>
public sealed record AlertDecision(bool IsNotice, AlertSeverity Severity, string Tier);

/// <summary>
/// A ward's escalation policy (issue 8; the defaults are project conventions, configurable per ward, not clinical
/// rules: docs/alerting.md). Tiers are in escalation order, e.g. bedside nurse, then ward physician, then the ICU
/// outreach team. Any rise of CRS or ICANS alerts; a rise to <see cref="PhysicianFromCrs"/> or more CRS, or to
/// <see cref="PhysicianFromIcans"/> or more ICANS, goes to the second tier; to <see cref="CriticalFromCrs"/> or
/// <see cref="CriticalFromIcans"/> it is critical. A fall is a notice to the first tier. An alert nobody acknowledges
/// within <see cref="EscalateWarningAfter"/> (warning) or <see cref="EscalateCriticalAfter"/> (critical) goes to the
/// next tier, and so on to the last.
/// </summary>
public sealed record AlertPolicy(
    IReadOnlyList<string> Tiers,
    int PhysicianFromCrs,
    int PhysicianFromIcans,
    int CriticalFromCrs,
    int CriticalFromIcans,
    TimeSpan EscalateWarningAfter,
    TimeSpan EscalateCriticalAfter)
{
    /// <summary>
    /// The defaults the issue names: any new CRS to the bedside nurse; CRS ≥ 2 or any ICANS to the ward physician;
    /// CRS ≥ 3 or ICANS ≥ 3 critical.
    /// </summary>
    public static AlertPolicy Default { get; } = new(["bedside-nurse", "ward-physician", "icu-outreach"], 2, 1, 3, 3,
        TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(5));

    /// <summary>
    /// The tier an alert at <paramref name="tier"/> escalates to when <paramref name="severity"/>'s deadline passed
    /// unacknowledged at <paramref name="now"/> (it reached <paramref name="tier"/> at <paramref name="since"/>); null
    /// while the deadline has not passed, for a notice, or at the last tier.
    /// </summary>
    public string? EscalationDue(AlertSeverity severity, string tier, DateTimeOffset since, DateTimeOffset now)
    {
        var after = severity switch
        {
            AlertSeverity.Critical => EscalateCriticalAfter,
            AlertSeverity.Warning => EscalateWarningAfter,
            _ => (TimeSpan?)null,
        };
        var index = Tiers.ToList().IndexOf(tier);
        return after is { } deadline && now - since >= deadline && index >= 0 && index + 1 < Tiers.Count ? Tiers[index + 1] : null;
    }

    /// <summary>What the change of <paramref name="scale"/> from <paramref name="previous"/> to <paramref name="next"/> raises.</summary>
    public AlertDecision Decide(AlertScale scale, int previous, int next)
    {
        if (next <= previous)
        {
            return new AlertDecision(true, AlertSeverity.Info, Tiers[0]);
        }

        var (physicianFrom, criticalFrom) = scale == AlertScale.Crs ? (PhysicianFromCrs, CriticalFromCrs) : (PhysicianFromIcans, CriticalFromIcans);
        var severity = next >= criticalFrom ? AlertSeverity.Critical : AlertSeverity.Warning;
        var tier = next >= physicianFrom && Tiers.Count > 1 ? Tiers[1] : Tiers[0];
        return new AlertDecision(false, severity, tier);
    }
}

using Xunit;

namespace Toxicity.Alerting.Service.Tests;

/// <summary>The default escalation policy (docs/alerting.md), row by row.</summary>
public sealed class AlertPolicyTests
{
    [Theory]
    [InlineData(AlertScale.Crs, 0, 1, false, AlertSeverity.Warning, "bedside-nurse")]
    [InlineData(AlertScale.Crs, 1, 2, false, AlertSeverity.Warning, "ward-physician")]
    [InlineData(AlertScale.Crs, 0, 2, false, AlertSeverity.Warning, "ward-physician")]
    [InlineData(AlertScale.Crs, 2, 3, false, AlertSeverity.Critical, "ward-physician")]
    [InlineData(AlertScale.Crs, 3, 4, false, AlertSeverity.Critical, "ward-physician")]
    [InlineData(AlertScale.Icans, 0, 1, false, AlertSeverity.Warning, "ward-physician")]
    [InlineData(AlertScale.Icans, 1, 2, false, AlertSeverity.Warning, "ward-physician")]
    [InlineData(AlertScale.Icans, 2, 3, false, AlertSeverity.Critical, "ward-physician")]
    [InlineData(AlertScale.Crs, 3, 1, true, AlertSeverity.Info, "bedside-nurse")]
    [InlineData(AlertScale.Icans, 3, 0, true, AlertSeverity.Info, "bedside-nurse")]
    public void Any_rise_alerts_CRS_2_or_any_ICANS_goes_to_the_physician_grade_3_is_critical_and_a_fall_is_a_notice(
        AlertScale scale, int previous, int next, bool notice, AlertSeverity severity, string tier) =>
        Assert.Equal(new AlertDecision(notice, severity, tier), AlertPolicy.Default.Decide(scale, previous, next));

    [Theory]
    [InlineData(AlertSeverity.Critical, "ward-physician", 4.9, null)]
    [InlineData(AlertSeverity.Critical, "ward-physician", 5, "icu-outreach")]
    [InlineData(AlertSeverity.Warning, "bedside-nurse", 14.9, null)]
    [InlineData(AlertSeverity.Warning, "bedside-nurse", 15, "ward-physician")]
    [InlineData(AlertSeverity.Critical, "icu-outreach", 60, null)]
    [InlineData(AlertSeverity.Info, "bedside-nurse", 60, null)]
    public void An_unacknowledged_alert_escalates_to_the_next_tier_after_5_minutes_critical_or_15_warning(
        AlertSeverity severity, string tier, double minutes, string? next)
    {
        var since = new DateTimeOffset(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);
        Assert.Equal(next, AlertPolicy.Default.EscalationDue(severity, tier, since, since.AddMinutes(minutes)));
    }

    [Fact]
    public void A_ward_policy_can_lower_the_critical_threshold() =>
        Assert.Equal(AlertSeverity.Critical, (AlertPolicy.Default with { CriticalFromCrs = 2 }).Decide(AlertScale.Crs, 1, 2).Severity);
}

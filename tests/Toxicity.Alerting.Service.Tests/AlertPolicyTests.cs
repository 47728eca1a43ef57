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

    [Fact]
    public void A_ward_policy_can_lower_the_critical_threshold() =>
        Assert.Equal(AlertSeverity.Critical, (AlertPolicy.Default with { CriticalFromCrs = 2 }).Decide(AlertScale.Crs, 1, 2).Severity);
}

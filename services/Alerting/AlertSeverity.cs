namespace Toxicity.Alerting.Service;

/// <summary>
/// The walking skeleton's severity for a CRS grade change (project convention until the per-ward escalation
/// policy of issue 8): a fall is a notice (<c>info</c>); a rise to grade 3 or more is <c>critical</c>; any other
/// rise is a <c>warning</c>. The words are CDS Hooks' card indicators.
/// </summary>
internal static class AlertSeverity
{
    public const string Info = "info";
    public const string Warning = "warning";
    public const string Critical = "critical";

    private const int CriticalFromGrade = 3;

    public static string ForCrsChange(int previousGrade, int newGrade) =>
        newGrade < previousGrade ? Info
        : newGrade >= CriticalFromGrade ? Critical
        : Warning;
}

using System.Globalization;
using Toxicity.Mitigation.Regimens;
using Xunit;

namespace Toxicity.Mitigation.Tests;

/// <summary>
/// An expected premedication item as CLINICAL-RULES.md writes it: drug, amount ("20 mg", a range "50-100 mg", or null
/// when not encoded), route, timing, a phrase the condition must contain (null: unconditional), whether it is
/// not-encoded text, and the alternative drug with its amount (e.g. "methylprednisolone 80 mg IV").
/// </summary>
internal sealed record ExpectedPremedication(
    string Drug,
    string? Amount,
    string? Route,
    string Timing,
    string? ConditionContains = null,
    bool NotEncoded = false,
    string? Alternative = null);

/// <summary>
/// An expected calendar row: cycle, day, date, dose and unit, role, label, infusion, premedication items, and a phrase
/// each monitoring item must contain (in order; a conditional item renders as "requirement [if condition]"); the row's
/// warning (null: none) and, when given, its day of treatment (C1D1 = day 1).
/// </summary>
internal sealed record ExpectedDose(
    int Cycle,
    int Day,
    string Date,
    double Amount,
    string Unit,
    DoseRole Role,
    string Label,
    string? Infusion,
    ExpectedPremedication[] Premedication,
    string[] Monitoring,
    string? Warning = null,
    int? DayOfTreatment = null);

/// <summary>
/// An expected calendar row of a label without cycles (<see cref="Regimen.LabelCycles"/> false), named by its day of
/// treatment (C1D1 = day 1) and date, not by the repeat unit it is encoded in; otherwise as <see cref="ExpectedDose"/>.
/// </summary>
internal sealed record ExpectedDay(
    int DayOfTreatment,
    string Date,
    double Amount,
    string Unit,
    DoseRole Role,
    string Label,
    string? Infusion,
    ExpectedPremedication[] Premedication,
    string[] Monitoring,
    string? Warning = null);

/// <summary>Compares a generated plan with expected rows written out from CLINICAL-RULES.md.</summary>
internal static class CalendarAssert
{
    public static readonly DateOnly Cycle1Day1 = new(2026, 1, 5);

    public static readonly PatientMeasures Adult = new(70, 1.8, 55);

    public static void Matches(IReadOnlyList<ExpectedDose> expected, TreatmentPlan plan)
    {
        Assert.Equal(
            expected.Select(e => $"C{e.Cycle}D{e.Day} {e.Date}"),
            plan.Doses.Select(d => $"C{d.Cycle}D{d.Day} {d.Date:yyyy-MM-dd}"));

        foreach (var (e, d) in expected.Zip(plan.Doses))
        {
            var at = $"C{e.Cycle}D{e.Day}";
            if (e.DayOfTreatment is { } day)
            {
                Assert.Equal((at, day), (at, d.DayOfTreatment));
            }

            Row(at, e.Amount, e.Unit, e.Role, e.Label, e.Infusion, e.Premedication, e.Monitoring, e.Warning, d);
        }
    }

    /// <summary>
    /// Compares the calendar of a label without cycles with expected rows named by day of treatment and date (the repeat
    /// units the schedule is encoded in are not compared).
    /// </summary>
    public static void MatchesByDay(IReadOnlyList<ExpectedDay> expected, TreatmentPlan plan)
    {
        Assert.False(plan.Regimen.LabelCycles, $"{plan.Regimen.Id} has label cycles: compare it with Matches");
        Assert.Equal(
            expected.Select(e => $"day {e.DayOfTreatment} {e.Date}"),
            plan.Doses.Select(d => $"day {d.DayOfTreatment} {d.Date:yyyy-MM-dd}"));

        foreach (var (e, d) in expected.Zip(plan.Doses))
        {
            Row($"day {e.DayOfTreatment}", e.Amount, e.Unit, e.Role, e.Label, e.Infusion, e.Premedication, e.Monitoring, e.Warning, d);
        }
    }

    private static void Row(string at, double amount, string unit, DoseRole role, string label, string? infusion,
        ExpectedPremedication[] premedication, string[] expectedMonitoring, string? warning, PlannedDose d)
    {
        Assert.Equal((at, unit, role, label, infusion), (at, d.Unit, d.Role, d.Label, d.Infusion));
        // Weight-based amounts (e.g. 0.06 mg/kg × 70 kg) are compared to 9 decimals, not to the last bit of a double.
        Assert.True(d.Amount is { } actual && Math.Abs(actual - amount) < 1e-9, $"{at}: expected {Number(amount)} {unit}, got {d.Amount}");
        Assert.Null(d.ThroughDate);
        Assert.Equal((at, warning), (at, d.Warning));
        Assert.StartsWith("CLINICAL-RULES.md §", d.Source, StringComparison.Ordinal);

        // Each item is compared with the expected item at its position (a dose may list one drug twice, under two conditions).
        Assert.Equal(
            premedication.Select(p => $"{at} {Render(p)}"),
            d.Premedication.Select((p, i) => $"{at} {Render(p.Item, i < premedication.Length ? premedication[i].ConditionContains : null)}"));
        foreach (var p in d.Premedication)
        {
            Assert.Equal(p.Item.Amount?.Value, p.Amount);
            if (p.Item.NotEncoded is { } text)
            {
                Assert.Null(p.Item.Amount);
                Assert.Contains("consult", text, StringComparison.Ordinal);
            }
        }

        var monitoring = d.Monitoring.Select(m => m.Condition is null ? m.Requirement : $"{m.Requirement} [if {m.Condition}]").ToList();
        Assert.True(expectedMonitoring.Length == monitoring.Count, $"{at}: expected {expectedMonitoring.Length} monitoring items, got: {string.Join(" / ", monitoring)}");
        foreach (var (phrase, item) in expectedMonitoring.Zip(monitoring))
        {
            Assert.Contains(phrase, item, StringComparison.Ordinal);
        }
    }

    private static string Render(ExpectedPremedication p) =>
        $"{p.Drug} | {p.Amount} | {p.Route} | {p.Timing} | if:{p.ConditionContains} | notEncoded:{p.NotEncoded} | or:{p.Alternative}";

    // The condition is compared by the phrase the expected row names (it must be contained), so the rendering keeps
    // that phrase when the actual condition contains it and the whole condition otherwise (which then fails).
    private static string Render(Premedication p, string? expectedPhrase)
    {
        var condition = p.Condition is null ? null
            : expectedPhrase is not null && p.Condition.Contains(expectedPhrase, StringComparison.Ordinal) ? expectedPhrase
            : p.Condition;
        var alternative = p.Alternatives is { Count: > 0 } alternatives
            ? string.Join(" or ", alternatives.Select(a => $"{a.Drug} {AmountText(a.Amount)} {a.Route}"))
            : null;
        return $"{p.Drug} | {AmountText(p.Amount)} | {p.Route} | {p.Timing} | if:{condition} | notEncoded:{p.NotEncoded is not null} | or:{alternative}";
    }

    private static string? AmountText(Amount? amount) => amount switch
    {
        null => null,
        { Value: { } value } => $"{Number(value)} {amount.Unit}",
        { RangeLow: { } low, RangeHigh: { } high } => $"{Number(low)}-{Number(high)} {amount.Unit}",
        _ => $"? {amount.Unit}",
    };

    private static string Number(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}

using System.Globalization;
using Toxicity.Mitigation.Regimens;
using Xunit;

namespace Toxicity.Mitigation.Tests;

/// <summary>One expected calendar row, restated from CLINICAL-RULES.md (not computed from the catalogue).</summary>
internal sealed record ExpectedRow(int Cycle, int Day, string Date, string? Through, string Drug, DoseRole Role, double? Amount, string Unit);

/// <summary>One expected premedication item: <see cref="Drug"/> is a part of the drug text; a null amount with NotEncoded means "consult".</summary>
internal sealed record ExpectedPremed(string Drug, double? Amount, string? Unit, string? Route, string Timing, string? Condition, bool NotEncoded);

/// <summary>One expected monitoring item: <see cref="Requirement"/> is a part of the requirement text.</summary>
internal sealed record ExpectedMonitoring(string Requirement, string? Condition);

/// <summary>Helpers shared by the blinatumomab and glofitamab calendar tests.</summary>
internal static class BlinatumomabGlofitamabCalendar
{
    public static readonly DateOnly Cycle1Day1 = new(2026, 1, 5);

    public static DateOnly Date(string iso) => DateOnly.ParseExact(iso, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static TreatmentPlan Plan(string id, double? bsa, int cycles, double? weightKg = null, double? ageYears = null)
    {
        var regimen = RegimenCatalogue.Find(id);
        Assert.NotNull(regimen);
        return TreatmentPlanner.Plan(regimen, Cycle1Day1, new PatientMeasures(weightKg, bsa, ageYears), cycles);
    }

    public static void AssertDoses(IReadOnlyList<ExpectedRow> expected, TreatmentPlan plan) =>
        Assert.Equal(
            expected,
            plan.Doses.Select(d => new ExpectedRow(
                d.Cycle,
                d.Day,
                d.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                d.ThroughDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                d.Drug,
                d.Role,
                d.Amount is { } a ? Math.Round(a, 6) : null,
                d.Unit)));

    public static void AssertPremedication(IReadOnlyList<ExpectedPremed> expected, PlannedDose dose)
    {
        Assert.Equal(expected.Count, dose.Premedication.Count);
        foreach (var (want, got) in expected.Zip(dose.Premedication))
        {
            Assert.Contains(want.Drug, got.Item.Drug, StringComparison.Ordinal);
            Assert.Equal(want.Amount, got.Amount is { } a ? Math.Round(a, 6) : null);
            Assert.Equal(want.Unit, got.Item.Amount?.Unit);
            Assert.Equal(want.Route, got.Item.Route);
            Assert.Equal(want.Timing, got.Item.Timing);
            Assert.Equal(want.Condition, got.Item.Condition);
            Assert.Equal(want.NotEncoded, got.Item.NotEncoded is not null);
            Assert.StartsWith("CLINICAL-RULES.md §", got.Item.Source, StringComparison.Ordinal);
        }
    }

    public static void AssertMonitoring(IReadOnlyList<ExpectedMonitoring> expected, PlannedDose dose)
    {
        Assert.Equal(expected.Count, dose.Monitoring.Count);
        foreach (var (want, got) in expected.Zip(dose.Monitoring))
        {
            Assert.Contains(want.Requirement, got.Requirement, StringComparison.Ordinal);
            Assert.Equal(want.Condition, got.Condition);
            Assert.StartsWith("CLINICAL-RULES.md §", got.Source, StringComparison.Ordinal);
        }
    }

    public static PlannedDose At(TreatmentPlan plan, int cycle, int day) => Assert.Single(plan.Doses, d => d.Cycle == cycle && d.Day == day);
}

using Toxicity.Mitigation.Regimens;
using Xunit;

namespace Toxicity.Mitigation.Tests;

/// <summary>How many cycles a plan needs to reach a date.</summary>
public sealed class TreatmentPlannerTests
{
    private static readonly DateOnly Cycle1Day1 = new(2026, 1, 5);

    [Theory]
    [InlineData("2026-01-05", 1)]
    [InlineData("2026-02-01", 1)] // C1 D28, the last day of the 28-day cycle 1
    [InlineData("2026-02-02", 2)] // C2 D1
    [InlineData("2026-03-02", 3)] // C3 D1
    public void A_regimen_without_a_maximum_plans_every_cycle_that_starts_by_the_date(string date, int cycles) =>
        Assert.Equal(cycles, TreatmentPlanner.CyclesThrough(RegimenCatalogue.Find("epcoritamab-dlbcl-2-step")!, Cycle1Day1, DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void A_regimen_with_a_maximum_plans_all_of_it() =>
        Assert.Equal(12, TreatmentPlanner.CyclesThrough(RegimenCatalogue.Find("glofitamab-monotherapy")!, Cycle1Day1, Cycle1Day1));
}

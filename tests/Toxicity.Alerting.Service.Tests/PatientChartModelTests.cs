using Xunit;

namespace Toxicity.Alerting.Service.Tests;

/// <summary>The patient chart's fold (shared/Toxicity.Alerting/PatientChart.cs): order, redelivery, grade bands, and its bounds.</summary>
public sealed class PatientChartModelTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Retention = TimeSpan.FromHours(72);

    [Fact]
    public void A_late_reading_goes_in_its_place_and_a_redelivered_one_is_kept_once()
    {
        var charts = new PatientCharts(Retention);
        var first = Vitals(T0, 37.0);
        var late = Vitals(T0.AddMinutes(-30), 38.2);
        Assert.True(charts.Add("p", first, T0));
        Assert.True(charts.Add("p", Vitals(T0.AddMinutes(30), 38.6), T0.AddMinutes(30)));
        Assert.True(charts.Add("p", late, T0.AddMinutes(31)));
        Assert.False(charts.Add("p", first, T0.AddMinutes(32)));
        Assert.False(charts.Add("p", late, T0.AddMinutes(33)));

        var view = charts.View("p", T0.AddHours(-1), T0.AddHours(1));
        Assert.Equal([38.2, 37.0, 38.6], view.Vitals.Select(v => v.TemperatureC!.Value));
    }

    [Fact]
    public void Grade_bands_start_with_the_grade_in_effect_and_carry_lower_bounds_provisional_and_stale_marks()
    {
        var charts = new PatientCharts(Retention);
        charts.AddGrade("p", AlertScale.Crs, Grade(T0.AddHours(-10), 1), T0.AddHours(-10));
        charts.AddGrade("p", AlertScale.Crs, Grade(T0.AddHours(-3), 2, provisional: true), T0.AddHours(-3));
        charts.AddGrade("p", AlertScale.Crs, Grade(T0.AddHours(-1), 2, stale: true), T0.AddHours(-1));
        charts.AddGrade("p", AlertScale.Icans, Grade(T0.AddHours(-2), 2, lowerBound: true), T0.AddHours(-2));

        var view = charts.View("p", T0.AddHours(-6), T0);

        // CRS 1 from before the window (drawn from its start), then possible CRS 2, then 2 kept from stale readings.
        Assert.Equal(
            [(T0.AddHours(-6), T0.AddHours(-3), 1, false, false), (T0.AddHours(-3), T0.AddHours(-1), 2, true, false), (T0.AddHours(-1), T0, 2, false, true)],
            view.Crs.Select(b => (b.From, b.To, b.Grade, b.Provisional, b.Stale)));
        // ICANS: nothing published before 2 h ago is grade 0, then "at least 2".
        Assert.Equal([(T0.AddHours(-6), T0.AddHours(-2), 0, false), (T0.AddHours(-2), T0, 2, true)],
            view.Icans.Select(b => (b.From, b.To, b.Grade, b.LowerBound)));
    }

    [Fact]
    public void What_is_older_than_the_retention_is_dropped_except_the_grade_in_effect()
    {
        var charts = new PatientCharts(Retention);
        charts.AddGrade("p", AlertScale.Crs, Grade(T0.AddHours(-100), 3), T0.AddHours(-100));
        charts.Add("p", Vitals(T0.AddHours(-90), 39.0), T0.AddHours(-90));
        charts.Add("p", new ChartTreatment(Guid.NewGuid(), T0.AddHours(-80), "tocilizumab", "tocilizumab", 560, "mg"), T0.AddHours(-80));
        charts.AddOverdue("p", "temperature", "overdue", T0.AddHours(-95), "stale", T0.AddHours(-95), T0.AddHours(-95));
        charts.AddOverdue("p", "temperature", "cleared", T0.AddHours(-95), null, T0.AddHours(-90), T0.AddHours(-90));
        charts.AddOverdue("p", "oxygen", "overdue", T0.AddHours(-75), "notReported", T0.AddHours(-75), T0.AddHours(-75));

        // A reading now moves the horizon to 72 h ago: what ended before it goes, the grade in effect stays.
        charts.Add("p", Vitals(T0, 37.1), T0);
        var state = Assert.Single(charts.Save().Charts).Chart;
        Assert.Equal([37.1], state.Vitals.Select(v => v.TemperatureC!.Value));
        Assert.Empty(state.Treatments);
        Assert.Equal([("oxygen", (DateTimeOffset?)null)], state.Overdue.Select(o => (o.Reading, o.Until)));
        Assert.Equal([3], state.Crs.Select(g => g.Grade));
        Assert.Equal(3, charts.View("p", T0.AddHours(-72), T0).Crs.Single().Grade);

        // A reading older than the retention is not charted at all.
        Assert.False(charts.Add("p", Vitals(T0.AddHours(-73), 36.9), T0.AddMinutes(1)));
    }

    [Fact]
    public void The_view_does_not_depend_on_when_the_sweeps_ran_and_quiet_charts_go()
    {
        // Two folds of the same entries, one restored from a snapshot half way (its sweep counter starts again).
        var whole = new PatientCharts(Retention);
        var restored = new PatientCharts(Retention);
        var entries = Enumerable.Range(0, (PatientCharts.SweepEvery * 2) + 100)
            .Select(i => (Patient: $"p{i % 50}", Vitals: Vitals(T0.AddMinutes(i * 3), 36.5 + (i % 30 / 10.0)))).ToList();
        for (var i = 0; i < entries.Count; i++)
        {
            whole.Add(entries[i].Patient, entries[i].Vitals, entries[i].Vitals.At);
            restored.Add(entries[i].Patient, entries[i].Vitals, entries[i].Vitals.At);
            if (i == PatientCharts.SweepEvery - 7)
            {
                var snapshot = restored.Save();
                restored = new PatientCharts(Retention);
                restored.Restore(snapshot);
            }
        }

        var now = entries[^1].Vitals.At;
        foreach (var patient in entries.Select(e => e.Patient).Distinct())
        {
            Assert.Equal(whole.View(patient, now - Retention, now).Vitals, restored.View(patient, now - Retention, now).Vitals);
        }

        // A patient with nothing in the last 72 h: their chart is gone at the next sweep, and shows what it showed.
        var quiet = new PatientCharts(Retention);
        quiet.Add("quiet", Vitals(T0, 37.0), T0);
        var later = T0.AddHours(80);
        for (var i = 0; i < PatientCharts.SweepEvery; i++)
        {
            quiet.Add("busy", Vitals(later.AddSeconds(i), 37.0), later.AddSeconds(i));
        }

        Assert.Equal(1, quiet.Count);
        Assert.Empty(quiet.View("quiet", later - Retention, later).Vitals);
        Assert.Equal([0], quiet.View("quiet", later - Retention, later).Crs.Select(b => b.Grade));
    }

    [Fact]
    public void A_chart_keeps_at_most_its_bound_of_each_kind()
    {
        var charts = new PatientCharts(Retention);
        for (var i = 0; i < PatientChart.MaxItems + 10; i++)
        {
            charts.Add("p", Vitals(T0.AddSeconds(i), 37.0), T0.AddSeconds(i));
        }

        var vitals = Assert.Single(charts.Save().Charts).Chart.Vitals;
        Assert.Equal(PatientChart.MaxItems, vitals.Count);
        Assert.Equal(T0.AddSeconds(10), vitals[0].At);
    }

    private static ChartVitals Vitals(DateTimeOffset at, double celsius) =>
        new(Guid.NewGuid(), at, celsius, 120, 70, null, 97, "none", null, null, [], false);

    private static ChartGrade Grade(DateTimeOffset at, int grade, bool lowerBound = false, bool provisional = false, bool stale = false) =>
        new(Guid.NewGuid(), at, grade, lowerBound, provisional, stale, ["crs.fever"]);
}

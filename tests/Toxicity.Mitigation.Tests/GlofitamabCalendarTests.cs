using Toxicity.Mitigation.Regimens;
using Xunit;
using static Toxicity.Mitigation.Tests.BlinatumomabGlofitamabCalendar;

namespace Toxicity.Mitigation.Tests;

/// <summary>
/// The glofitamab calendar against CLINICAL-RULES.md §5.2 and §4.2, restated here from C1D1 = 2026-01-05: 21-day cycles,
/// obinutuzumab 1000 mg C1D1, 2.5 mg C1D8, 10 mg C1D15, 30 mg D1 of C2-C12; premedication classes per the EU table
/// (drugs and doses not read); hospitalisation and monitoring per S-COL-CH; tocilizumab available in C1 and C2.
/// </summary>
public sealed class GlofitamabCalendarTests
{
    private const string Id = "glofitamab-monotherapy";
    private const string Glofit = "glofitamab";
    private const string CrsWithPrevious = "CRS with the previous dose";

    private static readonly ExpectedRow[] Rows =
    [
        new(1, 1, "2026-01-05", null, "obinutuzumab", DoseRole.Pretreatment, 1000, "mg"),
        new(1, 8, "2026-01-12", null, Glofit, DoseRole.StepUp, 2.5, "mg"),
        new(1, 15, "2026-01-19", null, Glofit, DoseRole.StepUp, 10, "mg"),
        new(2, 1, "2026-01-26", null, Glofit, DoseRole.Full, 30, "mg"),
        new(3, 1, "2026-02-16", null, Glofit, DoseRole.Full, 30, "mg"),
        new(4, 1, "2026-03-09", null, Glofit, DoseRole.Full, 30, "mg"),
        new(5, 1, "2026-03-30", null, Glofit, DoseRole.Full, 30, "mg"),
        new(6, 1, "2026-04-20", null, Glofit, DoseRole.Full, 30, "mg"),
        new(7, 1, "2026-05-11", null, Glofit, DoseRole.Full, 30, "mg"),
        new(8, 1, "2026-06-01", null, Glofit, DoseRole.Full, 30, "mg"),
        new(9, 1, "2026-06-22", null, Glofit, DoseRole.Full, 30, "mg"),
        new(10, 1, "2026-07-13", null, Glofit, DoseRole.Full, 30, "mg"),
        new(11, 1, "2026-08-03", null, Glofit, DoseRole.Full, 30, "mg"),
        new(12, 1, "2026-08-24", null, Glofit, DoseRole.Full, 30, "mg"),
    ];

    /// <summary>EU Table 1, C1D8, C1D15, C2D1, C3D1: glucocorticoid ≥ 1 h before, analgesic/antipyretic ≥ 30 min before, antihistamine.</summary>
    private static readonly ExpectedPremed[] AllThree =
    [
        new("glucocorticoid", null, null, "IV", "completed ≥ 1 h before the infusion", null, true),
        new("analgesic/antipyretic", null, null, "oral", "≥ 30 min before the infusion", null, true),
        new("antihistamine", null, null, null, "before the infusion (exact timing not read)", null, true),
    ];

    /// <summary>EU Table 1, later infusions: analgesic/antipyretic and antihistamine; glucocorticoid only after CRS with the previous dose.</summary>
    private static readonly ExpectedPremed[] Later =
    [
        new("analgesic/antipyretic", null, null, "oral", "≥ 30 min before the infusion", null, true),
        new("antihistamine", null, null, null, "before the infusion (exact timing not read)", null, true),
        new("glucocorticoid", null, null, "IV", "completed ≥ 1 h before the infusion", CrsWithPrevious, true),
    ];

    private static readonly ExpectedMonitoring Daily = new("Monitor daily for up to 7 days after this administration", null);
    private static readonly ExpectedMonitoring Tocilizumab = new("At least 1 dose of tocilizumab available before the infusion", null);
    private static readonly ExpectedMonitoring ConsultLabel = new("Hospitalisation and monitoring: not encoded for this jurisdiction", null);
    private static readonly ExpectedMonitoring AfterCrsGrade2 = new("Hospitalise during this infusion and for 24 h after", "CRS grade ≥ 2 with the previous infusion");

    [Fact]
    public void The_calendar_has_obinutuzumab_then_the_step_ups_then_30_mg_every_21_days_to_cycle_12()
    {
        var plan = Plan(Id, bsa: null, cycles: 12);

        AssertDoses(Rows, plan);
        Assert.All(plan.Doses, d => Assert.Null(d.Warning));
    }

    [Fact]
    public void Infusion_durations_and_the_obinutuzumab_rate_follow_the_label()
    {
        var plan = Plan(Id, bsa: null, cycles: 12);

        var obinutuzumab = At(plan, 1, 1).Infusion!;
        Assert.Contains("50 mg/h", obinutuzumab, StringComparison.Ordinal);
        Assert.Contains("every 30 min", obinutuzumab, StringComparison.Ordinal);
        Assert.Contains("400 mg/h", obinutuzumab, StringComparison.Ordinal);
        Assert.Equal("IV over 4 h", At(plan, 1, 8).Infusion);
        Assert.Equal("IV over 4 h; if CRS occurred with a previous dose, extend up to 8 h", At(plan, 1, 15).Infusion);
        Assert.Equal("IV over 4 h (up to 8 h if CRS with the previous dose)", At(plan, 2, 1).Infusion);
        for (var cycle = 3; cycle <= 12; cycle++)
        {
            Assert.Equal("IV over 2 h; if CRS occurred with the previous dose, keep 4 h", At(plan, cycle, 1).Infusion);
        }
    }

    [Fact]
    public void Premedication_follows_the_eu_table_with_no_drug_dose()
    {
        var plan = Plan(Id, bsa: null, cycles: 12);

        var obinutuzumab = Assert.Single(At(plan, 1, 1).Premedication);
        Assert.Null(obinutuzumab.Amount);
        Assert.Contains("consult the Columvi label", obinutuzumab.Item.NotEncoded, StringComparison.Ordinal);
        AssertPremedication(AllThree, At(plan, 1, 8));
        AssertPremedication(AllThree, At(plan, 1, 15));
        AssertPremedication(AllThree, At(plan, 2, 1));
        AssertPremedication(AllThree, At(plan, 3, 1));
        for (var cycle = 4; cycle <= 12; cycle++)
        {
            AssertPremedication(Later, At(plan, cycle, 1));
        }

        // The class names of the US PI-derived text, without doses.
        var names = At(plan, 1, 8).Premedication.Select(p => p.Item.Drug).ToList();
        Assert.Contains(names, n => n.Contains("dexamethasone", StringComparison.Ordinal));
        Assert.Contains(names, n => n.Contains("acetaminophen", StringComparison.Ordinal));
        Assert.Contains(names, n => n.Contains("diphenhydramine", StringComparison.Ordinal));
        Assert.Contains("⚠️", At(plan, 4, 1).Premedication[2].Item.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void Hospitalisation_monitoring_and_tocilizumab_availability_follow_the_label()
    {
        var plan = Plan(Id, bsa: null, cycles: 12);

        AssertMonitoring([], At(plan, 1, 1));
        AssertMonitoring([new("Hospitalise during the infusion of step-up dose 1 and for 24 h after", null), Daily, ConsultLabel, Tocilizumab], At(plan, 1, 8));
        AssertMonitoring(
            [new("Hospitalise during the infusion of step-up dose 2 and for 24 h after", "any-grade CRS with step-up dose 1 (2.5 mg, C1 D8)"), Daily, ConsultLabel, Tocilizumab],
            At(plan, 1, 15));
        AssertMonitoring([AfterCrsGrade2, Daily, ConsultLabel, Tocilizumab], At(plan, 2, 1));
        for (var cycle = 3; cycle <= 12; cycle++)
        {
            AssertMonitoring([AfterCrsGrade2, Daily, ConsultLabel], At(plan, cycle, 1));
        }

        Assert.Contains("within 8 h", At(plan, 2, 1).Monitoring[3].Requirement, StringComparison.Ordinal);
        Assert.StartsWith("CLINICAL-RULES.md §4.2", At(plan, 2, 1).Monitoring[3].Source, StringComparison.Ordinal);
    }

    [Fact]
    public void Asking_for_20_cycles_gives_12()
    {
        var plan = Plan(Id, bsa: null, cycles: 20);

        Assert.Equal(12, plan.Cycles);
        Assert.Equal(14, plan.Doses.Count);
        Assert.Equal(Date("2026-08-24"), plan.Doses[^1].Date);
    }

    [Fact]
    public void Delayed_doses_are_not_encoded_and_say_to_consult_the_label()
    {
        var regimen = RegimenCatalogue.Find(Id)!;

        Assert.True(regimen.DelayRules is null or { Count: 0 });
        Assert.Contains(
            "dose delayed: consult the Columvi label, section 2 (US) / 4.2 Table 2 (EU), for whether obinutuzumab pre-treatment and step-up must be repeated",
            regimen.NotEncoded!);
        Assert.Contains(regimen.NotEncoded!, n => n.Contains("CRS grade 2-4", StringComparison.Ordinal));
        Assert.Contains(regimen.NotEncoded!, n => n.Contains("gemcitabine + oxaliplatin", StringComparison.Ordinal));
    }
}

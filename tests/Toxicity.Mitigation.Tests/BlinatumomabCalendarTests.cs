using Toxicity.Mitigation.Regimens;
using Xunit;
using static Toxicity.Mitigation.Tests.BlinatumomabGlofitamabCalendar;

namespace Toxicity.Mitigation.Tests;

/// <summary>
/// The blinatumomab calendars against CLINICAL-RULES.md §5.1, restated here row by row from C1D1 = 2026-01-05:
/// R/R 42-day cycles 1-5 and 84-day cycles 6-9 (28 days on), step-up 9 → 28 µg/day (or 5 → 15 µg/m²/day capped at 9 and 28);
/// MRD 42-day cycles 1-4, 28 µg/day (or 15 µg/m²/day ≤ 28); NHL 9 → 28 → 112 µg/day weekly (investigational).
/// </summary>
public sealed class BlinatumomabCalendarTests
{
    private const string RrFixed = "blinatumomab-rr-ball-45kg-and-over";
    private const string RrBsa = "blinatumomab-rr-ball-under-45kg";
    private const string MrdFixed = "blinatumomab-mrd-ball-45kg-and-over";
    private const string MrdBsa = "blinatumomab-mrd-ball-under-45kg";
    private const string Nhl = "blinatumomab-nhl-investigational";
    private const string Blin = "blinatumomab";
    private const string Unit = "ug/day";
    private const string UsAdult = "US label, adult patient";
    private const string UsChild = "US label, paediatric patient";
    private const string NonUsAdult = "non-US label (Hong Kong/EU-type), adult patient";
    private const string NonUsChild = "non-US label (Hong Kong/EU-type), paediatric patient";
    private const string NonUs = "non-US label (Hong Kong/EU-type)";

    /// <summary>R/R cycle starts: C1 2026-01-05, then + 42 days for C2-C6, then + 84 days for C7-C9 (§5.1).</summary>
    private static ExpectedRow[] RelapsedRows(double step, double full) =>
    [
        new(1, 1, "2026-01-05", "2026-01-11", Blin, DoseRole.StepUp, step, Unit),
        new(1, 8, "2026-01-12", "2026-02-01", Blin, DoseRole.Full, full, Unit),
        new(2, 1, "2026-02-16", "2026-03-15", Blin, DoseRole.Full, full, Unit),
        new(3, 1, "2026-03-30", "2026-04-26", Blin, DoseRole.Full, full, Unit),
        new(4, 1, "2026-05-11", "2026-06-07", Blin, DoseRole.Full, full, Unit),
        new(5, 1, "2026-06-22", "2026-07-19", Blin, DoseRole.Full, full, Unit),
        new(6, 1, "2026-08-03", "2026-08-30", Blin, DoseRole.Full, full, Unit),
        new(7, 1, "2026-10-26", "2026-11-22", Blin, DoseRole.Full, full, Unit),
        new(8, 1, "2027-01-18", "2027-02-14", Blin, DoseRole.Full, full, Unit),
        new(9, 1, "2027-04-12", "2027-05-09", Blin, DoseRole.Full, full, Unit),
    ];

    /// <summary>MRD: 4 cycles of 42 days, D1-28 each.</summary>
    private static ExpectedRow[] MrdRows(double? full) =>
    [
        new(1, 1, "2026-01-05", "2026-02-01", Blin, DoseRole.Full, full, Unit),
        new(2, 1, "2026-02-16", "2026-03-15", Blin, DoseRole.Full, full, Unit),
        new(3, 1, "2026-03-30", "2026-04-26", Blin, DoseRole.Full, full, Unit),
        new(4, 1, "2026-05-11", "2026-06-07", Blin, DoseRole.Full, full, Unit),
    ];

    /// <summary>R/R C1 D1 premedication for a patient with <paramref name="bsa"/> m² (US adult and paediatric; non-US ⚠️ tagged).</summary>
    private static ExpectedPremed[] RelapsedC1D1Premedication(double bsa) =>
    [
        new("dexamethasone", 20, "mg", "IV", "1 h before the first dose of the cycle", UsAdult, false),
        new("dexamethasone", Math.Min(5 * bsa, 20), "mg", null, "1 h before the first dose of the first cycle", UsChild, false),
        new("dexamethasone", 20, "mg", "IV", "1 h before the start of the cycle", NonUsAdult, false),
        new("dexamethasone", Math.Min(10 * bsa, 20), "mg", "orally or IV", "6-12 h before C1 D1", NonUsChild, false),
        new("dexamethasone", 5 * bsa, "mg", null, "within 30 min before C1 D1", NonUsChild, false),
        new("antipyretic", null, null, null, "during the first 48 h of the cycle", NonUs, true),
    ];

    private static ExpectedPremed[] RelapsedC1D8Premedication(double bsa) =>
    [
        new("dexamethasone", 20, "mg", "IV", "1 h before the step dose (C1 D8)", UsAdult, false),
        new("dexamethasone", Math.Min(5 * bsa, 20), "mg", null, "1 h before the step dose (C1 D8)", UsChild, false),
    ];

    /// <summary>C2-C9: US adult each cycle; US paediatric only in the first cycle; non-US adult and antipyretic each cycle.</summary>
    private static readonly ExpectedPremed[] RelapsedLaterCyclePremedication =
    [
        new("dexamethasone", 20, "mg", "IV", "1 h before the first dose of the cycle", UsAdult, false),
        new("dexamethasone", 20, "mg", "IV", "1 h before the start of the cycle", NonUsAdult, false),
        new("antipyretic", null, null, null, "during the first 48 h of the cycle", NonUs, true),
    ];

    private static readonly ExpectedPremed[] MrdPremedication =
    [
        new("prednisone", 100, "mg", "IV", "1 h before the first dose of the cycle", UsAdult, false),
        new("dexamethasone", null, null, null, "not read", UsChild, true),
    ];

    [Fact]
    public void Relapsed_45kg_and_over_gives_9_then_28_ug_per_day_over_9_cycles_with_84_day_cycles_from_cycle_6()
    {
        var plan = Plan(RrFixed, bsa: 1.9, cycles: 9, weightKg: 70);

        AssertDoses(RelapsedRows(9, 28), plan);
        Assert.All(plan.Doses, d =>
        {
            Assert.Null(d.Warning);
            Assert.Equal("continuous IV infusion", d.Infusion);
        });
        Assert.Equal(Route.ContinuousIntravenous, plan.Regimen.Route);
        Assert.Contains("≥ 45 kg", plan.Regimen.WeightRule, StringComparison.Ordinal);
    }

    [Fact]
    public void Relapsed_45kg_and_over_premedication_and_hospitalisation_follow_the_label()
    {
        var plan = Plan(RrFixed, bsa: 1.9, cycles: 9, weightKg: 70);

        AssertPremedication(RelapsedC1D1Premedication(1.9), At(plan, 1, 1));
        AssertPremedication(RelapsedC1D8Premedication(1.9), At(plan, 1, 8));
        for (var cycle = 2; cycle <= 9; cycle++)
        {
            AssertPremedication(RelapsedLaterCyclePremedication, At(plan, cycle, 1));
        }

        AssertMonitoring([new("Hospitalise for the first 9 days of Cycle 1", null)], At(plan, 1, 1));
        AssertMonitoring([new("continues through C1 D9", null)], At(plan, 1, 8));
        AssertMonitoring([new("Hospitalise for the first 2 days of Cycle 2", null)], At(plan, 2, 1));
        for (var cycle = 3; cycle <= 9; cycle++)
        {
            AssertMonitoring([new("supervision by a healthcare professional or hospitalisation", null)], At(plan, cycle, 1));
        }
    }

    [Fact]
    public void Relapsed_under_45kg_with_bsa_1_2_gives_6_then_18_ug_per_day_and_premedication_by_bsa()
    {
        var plan = Plan(RrBsa, bsa: 1.2, cycles: 9, weightKg: 30, ageYears: 9);

        AssertDoses(RelapsedRows(6, 18), plan);
        Assert.All(plan.Doses, d => Assert.Null(d.Warning));
        AssertPremedication(RelapsedC1D1Premedication(1.2), At(plan, 1, 1));
        AssertPremedication(RelapsedC1D8Premedication(1.2), At(plan, 1, 8));
        Assert.Equal(6, At(plan, 1, 1).Premedication[1].Amount!.Value, 6);
        Assert.Equal(12, At(plan, 1, 1).Premedication[3].Amount!.Value, 6);
        for (var cycle = 2; cycle <= 9; cycle++)
        {
            AssertPremedication(RelapsedLaterCyclePremedication, At(plan, cycle, 1));
        }

        AssertMonitoring([new("Hospitalise for the first 9 days of Cycle 1", null)], At(plan, 1, 1));
        AssertMonitoring([new("Hospitalise for the first 2 days of Cycle 2", null)], At(plan, 2, 1));
        Assert.Contains("< 45 kg", plan.Regimen.WeightRule, StringComparison.Ordinal);
        Assert.Contains("children", plan.Regimen.WeightRule, StringComparison.Ordinal);
    }

    [Fact]
    public void Relapsed_under_45kg_with_bsa_2_0_is_capped_at_9_and_28_ug_per_day()
    {
        var plan = Plan(RrBsa, bsa: 2.0, cycles: 9);

        AssertDoses(RelapsedRows(9, 28), plan);
        // Paediatric US dexamethasone 5 mg/m² = 10 mg (under the 20 mg cap); non-US 10 mg/m² = 20 mg (at the cap).
        AssertPremedication(RelapsedC1D1Premedication(2.0), At(plan, 1, 1));
        Assert.Equal(10, At(plan, 1, 1).Premedication[1].Amount!.Value, 6);
        Assert.Equal(20, At(plan, 1, 1).Premedication[3].Amount!.Value, 6);
    }

    [Fact]
    public void Paediatric_dexamethasone_is_capped_at_20_mg()
    {
        var plan = Plan(RrBsa, bsa: 4.5, cycles: 1);

        Assert.Equal(20, At(plan, 1, 1).Premedication[1].Amount!.Value, 6);
        Assert.Equal(20, At(plan, 1, 1).Premedication[3].Amount!.Value, 6);
    }

    [Theory]
    [InlineData(RrBsa)]
    [InlineData(MrdBsa)]
    public void Under_45kg_without_bsa_gives_no_amount_and_a_warning(string id)
    {
        var plan = Plan(id, bsa: null, cycles: 2);

        Assert.All(plan.Doses, d =>
        {
            Assert.Null(d.Amount);
            Assert.Equal("ug/day", d.Unit);
            Assert.Contains("BSA", d.Warning, StringComparison.Ordinal);
        });
        var paediatric = At(plan, 1, 1).Premedication.Where(p => p.Item.Amount?.PerSquareMetre is not null);
        Assert.All(paediatric, p => Assert.Null(p.Amount));
    }

    [Fact]
    public void The_45kg_and_over_entry_gives_fixed_doses_without_bsa()
    {
        var plan = Plan(RrFixed, bsa: null, cycles: 1);

        Assert.Equal([9.0, 28.0], plan.Doses.Select(d => d.Amount!.Value));
        Assert.All(plan.Doses, d => Assert.Null(d.Warning));
        Assert.Equal(20, At(plan, 1, 1).Premedication[0].Amount);
        Assert.Null(At(plan, 1, 1).Premedication[1].Amount);
    }

    [Fact]
    public void Relapsed_cycle_2_starts_on_day_43_and_cycle_7_starts_84_days_after_cycle_6()
    {
        var plan = Plan(RrFixed, bsa: null, cycles: 9);

        Assert.Equal(Cycle1Day1.AddDays(42), At(plan, 2, 1).Date);
        Assert.Equal(At(plan, 6, 1).Date.AddDays(84), At(plan, 7, 1).Date);
        Assert.Equal(At(plan, 5, 1).Date.AddDays(42), At(plan, 6, 1).Date);
        Assert.Equal(42, plan.Regimen.LengthOf(5));
        Assert.Equal(84, plan.Regimen.LengthOf(6));
        Assert.Equal(84, plan.Regimen.LengthOf(9));
    }

    [Theory]
    [InlineData(RrFixed, 20, 9)]
    [InlineData(RrBsa, 10, 9)]
    [InlineData(MrdFixed, 6, 4)]
    [InlineData(MrdBsa, 5, 4)]
    [InlineData(Nhl, 3, 1)]
    public void Asking_for_more_cycles_than_the_maximum_plans_the_maximum(string id, int asked, int planned)
    {
        var plan = Plan(id, bsa: 1.5, cycles: asked);

        Assert.Equal(planned, plan.Cycles);
        Assert.Equal(planned, plan.Doses.Max(d => d.Cycle));
    }

    [Fact]
    public void Relapsed_restart_premedication_and_re_initiation_are_not_dated_but_named_in_not_encoded()
    {
        foreach (var id in new[] { RrFixed, RrBsa })
        {
            var notEncoded = RegimenCatalogue.Find(id)!.NotEncoded!;
            Assert.Contains(notEncoded, n => n.Contains("interruption of ≥ 4 h", StringComparison.Ordinal) && n.Contains("dexamethasone 20 mg", StringComparison.Ordinal));
            Assert.Contains(notEncoded, n => n.Contains("Re-initiation", StringComparison.Ordinal));
            Assert.Contains(notEncoded, n => n.Contains("Ph-negative consolidation", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Mrd_45kg_and_over_gives_28_ug_per_day_for_4_cycles_with_prednisone_each_cycle()
    {
        var plan = Plan(MrdFixed, bsa: 1.8, cycles: 4, weightKg: 80);

        AssertDoses(MrdRows(28), plan);
        Assert.DoesNotContain(plan.Doses, d => d.Role == DoseRole.StepUp);
        for (var cycle = 1; cycle <= 4; cycle++)
        {
            AssertPremedication(MrdPremedication, At(plan, cycle, 1));
        }

        AssertMonitoring([new("Hospitalise for the first 3 days of Cycle 1", null)], At(plan, 1, 1));
        AssertMonitoring([new("Hospitalise for the first 2 days of Cycle 2", null)], At(plan, 2, 1));
        AssertMonitoring([new("supervision by a healthcare professional or hospitalisation", null)], At(plan, 3, 1));
        AssertMonitoring([new("supervision by a healthcare professional or hospitalisation", null)], At(plan, 4, 1));
    }

    [Theory]
    [InlineData(1.2, 18)]
    [InlineData(2.0, 28)]
    public void Mrd_under_45kg_gives_15_ug_per_m2_per_day_capped_at_28(double bsa, double expected)
    {
        var plan = Plan(MrdBsa, bsa: bsa, cycles: 4);

        AssertDoses(MrdRows(expected), plan);
        for (var cycle = 1; cycle <= 4; cycle++)
        {
            AssertPremedication(MrdPremedication, At(plan, cycle, 1));
        }

        AssertMonitoring([new("Hospitalise for the first 3 days of Cycle 1", null)], At(plan, 1, 1));
        AssertMonitoring([new("Hospitalise for the first 2 days of Cycle 2", null)], At(plan, 2, 1));
    }

    [Fact]
    public void Mrd_paediatric_premedication_is_not_encoded_as_a_number()
    {
        var item = At(Plan(MrdBsa, bsa: 1.0, cycles: 1), 1, 1).Premedication.Single(p => p.Item.Condition == UsChild);

        Assert.Null(item.Item.Amount);
        Assert.Null(item.Amount);
        Assert.Contains("consult the Blincyto", item.Item.NotEncoded, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("❌", item.Item.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void Nhl_is_investigational_9_28_112_ug_per_day_weekly_and_its_cycle_length_gap_is_named()
    {
        var plan = Plan(Nhl, bsa: null, cycles: 1);

        AssertDoses(
            [
                new(1, 1, "2026-01-05", "2026-01-11", Blin, DoseRole.StepUp, 9, Unit),
                new(1, 8, "2026-01-12", "2026-01-18", Blin, DoseRole.StepUp, 28, Unit),
                new(1, 15, "2026-01-19", null, Blin, DoseRole.Full, 112, Unit),
            ],
            plan);
        Assert.Equal(RegimenStatus.Investigational, plan.Regimen.Status);
        Assert.All(plan.Doses, d => Assert.Empty(d.Premedication));
        Assert.Contains(plan.Regimen.NotEncoded!, n => n.Contains("Cycle length", StringComparison.Ordinal) && n.Contains("not given", StringComparison.Ordinal));
    }

    [Fact]
    public void Non_us_premedication_is_tagged_and_marked_as_a_secondary_source()
    {
        var nonUs = Blinatumomab.Regimens.SelectMany(r => r.Doses).SelectMany(d => d.Premedication ?? [])
            .Where(p => p.Condition?.StartsWith("non-US", StringComparison.Ordinal) == true).ToList();

        Assert.NotEmpty(nonUs);
        Assert.All(nonUs, p => Assert.Contains("S-BLIN-HK ⚠️", p.Source, StringComparison.Ordinal));
    }
}

using Toxicity.Mitigation.Regimens;
using Xunit;

namespace Toxicity.Mitigation.Tests;

/// <summary>
/// Tarlatamab (CLINICAL-RULES.md §5.11, US): the cycle length is ❌, so the calendar holds Cycle 1 only (1 mg D1, 10 mg
/// D8 and D15), written out by hand, with a note; the Cycle 2+ rows are kept as data. The paraphrase site's concomitant
/// medication doses are never a number. C1D1 2026-01-05.
/// </summary>
public sealed class TarlatamabCalendarTests
{
    private const string Infusion = "IV over \"1 hour\": 250 mL at \"250 mL/hour\" (S-TAR-PP ⚠️)";

    private static readonly ExpectedPremedication Concomitant =
        new("concomitant medication before and after the infusion (per label Table 3)", null, null, "before and after the infusion", NotEncoded: true);

    private static readonly ExpectedPremedication Hydration = new("hydration", null, null, "before the infusion", NotEncoded: true);

    private const string FirstDoses = "Monitor in a healthcare setting for \"22 to 24 hours\" from the start of this infusion; then \"within 1 hour … for a total of 48 hours … accompanied by a caregiver\"";
    private const string AfterCrs2 = "Monitor for \"22 to 24 hours\" at this dose (CRS table, grade 2: next dose). [if CRS grade 2 with the previous dose]";
    private const string Extended = "[if Grade ≥ 2 CRS, ICANS or neurological toxicity during prior treatments]";
    private const string Tocilizumab = "Tocilizumab availability: not encoded: consult the label (IMDELLTRA).";

    private static readonly ExpectedDose[] Cycle1 =
    [
        new(1, 1, "2026-01-05", 1, "mg", DoseRole.StepUp, "1 mg (C1D1)", Infusion, [Concomitant, Hydration], [FirstDoses, Tocilizumab], DayOfTreatment: 1),
        new(1, 8, "2026-01-12", 10, "mg", DoseRole.Full, "10 mg (C1D8)", Infusion, [Concomitant, Hydration], [FirstDoses, AfterCrs2, Tocilizumab], DayOfTreatment: 8),
        new(1, 15, "2026-01-19", 10, "mg", DoseRole.Full, "10 mg (C1D15)", Infusion, [Hydration],
            ["\"Observe patients for 6-8 hours\" after this infusion.", AfterCrs2, Extended], DayOfTreatment: 15),
    ];

    [Fact]
    public void The_calendar_is_cycle_1_only_with_a_note_that_the_cycle_length_is_not_encoded()
    {
        var plan = TreatmentPlanner.Plan(Tarlatamab.Label, CalendarAssert.Cycle1Day1, CalendarAssert.Adult, 3, Jurisdiction.Us);

        Assert.Equal(1, plan.Cycles);
        CalendarAssert.Matches(Cycle1, plan);
        var note = Assert.Single(plan.Notes!);
        Assert.StartsWith("Cycle 2 onwards not planned: the length of cycle 1 is not encoded (consult the label; CLINICAL-RULES.md §5.11", note, StringComparison.Ordinal);
    }

    [Fact]
    public void The_cycle_2_and_later_rows_are_kept_as_data_with_their_observation_times()
    {
        Assert.Empty(Tarlatamab.Label.Cycles);
        Assert.Null(Tarlatamab.Label.TryLengthOf(1));
        Assert.Equal(
            [
                "C2-C2 D1 10 mg 10 mg (C2 D1, D15) | \"Observe patients for 6-8 hours\" after this infusion.",
                "C2-C2 D15 10 mg 10 mg (C2 D1, D15) | \"Observe patients for 6-8 hours\" after this infusion.",
                "C3-C4 D1 10 mg 10 mg (C3-C4 D1, D15) | \"Observe patients for 3-4 hours\" after this infusion.",
                "C3-C4 D15 10 mg 10 mg (C3-C4 D1, D15) | \"Observe patients for 3-4 hours\" after this infusion.",
                "C5- D1 10 mg 10 mg (C5+ D1, D15) | \"Observe patients for 2 hours\" after this infusion.",
                "C5- D15 10 mg 10 mg (C5+ D1, D15) | \"Observe patients for 2 hours\" after this infusion.",
            ],
            Tarlatamab.Label.Doses.Where(d => d.FromCycle >= 2)
                .Select(d => $"C{d.FromCycle}-{(d.ToCycle is { } to ? $"C{to}" : string.Empty)} D{d.Day} {d.Amount.Value} {d.Amount.Unit} {d.Label} | {d.Monitoring![0].Requirement}"));
        Assert.All(Tarlatamab.Label.Doses.Where(d => d.FromCycle >= 2), d => Assert.Equal(3, d.Monitoring!.Count));
    }

    [Fact]
    public void The_entry_is_US_only_and_its_concomitant_medication_is_text_without_a_dose()
    {
        var regimen = RegimenCatalogue.Find("tarlatamab");

        Assert.NotNull(regimen);
        Assert.Equal((RegimenStatus.Label, Route.Intravenous, Jurisdiction.Us, true), (regimen.Status, regimen.Route, regimen.Jurisdiction, regimen.LabelCycles));
        Assert.False(TreatmentPlanner.OnLabelAt(regimen, Jurisdiction.Eu));
        var items = regimen.Doses.SelectMany(d => d.Premedication!).Where(p => p.Drug.StartsWith("concomitant", StringComparison.Ordinal)).Distinct().ToList();
        var item = Assert.Single(items);
        Assert.Null(item.Amount);
        Assert.Contains("S-TAR-HAI", item.NotEncoded, StringComparison.Ordinal);
        Assert.Contains("not enabled until confirmed", item.NotEncoded, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"\d\s*(mg|mL|L\b|liter|litre)|dexamethasone|saline", item.NotEncoded!);
        Assert.Equal(["1 mg (C1D1)", "10 mg (C1D8)"], regimen.Doses.Where(d => d.Premedication!.Contains(item)).Select(d => d.Label));
        Assert.Contains(regimen.NotEncoded!, t => t.StartsWith("Cycle length: not encoded", StringComparison.Ordinal));
        Assert.Contains(regimen.NotEncoded!, t => t.StartsWith("Restart after a delay (Table 4): not read", StringComparison.Ordinal));
        Assert.All(regimen.NotEncoded!, t => Assert.DoesNotMatch(@"dexamethasone|saline|1 liter", t));
    }

    [Fact]
    public void A_delayed_dose_sends_the_clinician_to_the_restart_table()
    {
        var item = Assert.Single(MitigationAdvisor.OnDoseDelayed(new PatientContext(Tarlatamab.Label, 70, 1.8, 55), "10 mg (C1D8)", TimeSpan.FromDays(14)));

        Assert.Equal("tarlatamab.delay.not-encoded", item.Code);
        Assert.StartsWith("Not encoded: consult the tarlatamab (Imdelltra) label's restart-after-delay table (Table 4; not read).", item.Text, StringComparison.Ordinal);
    }
}

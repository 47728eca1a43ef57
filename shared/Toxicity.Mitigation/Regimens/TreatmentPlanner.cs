namespace Toxicity.Mitigation.Regimens;

/// <summary>The patient facts a plan needs: body surface area for BSA-based doses (m²), weight and age for display and rules.</summary>
public sealed record PatientMeasures(double? WeightKg, double? BodySurfaceAreaM2, double? AgeYears);

/// <summary>
/// One dated item of a treatment plan: a dose (or a continuous infusion rate from <see cref="Date"/> through
/// <see cref="ThroughDate"/>) with its computed amount, and the premedication and monitoring that go with it.
/// <see cref="Amount"/> is null when it depends on a body surface area that is not known (<see cref="Warning"/> says so).
/// </summary>
public sealed record PlannedDose(
    int Cycle,
    int Day,
    DateOnly Date,
    DateOnly? ThroughDate,
    string Drug,
    DoseRole Role,
    string Label,
    double? Amount,
    string Unit,
    string? Infusion,
    IReadOnlyList<PlannedPremedication> Premedication,
    IReadOnlyList<Monitoring> Monitoring,
    string Source,
    string? Warning);

/// <summary>A premedication item of a planned dose with its amount for this patient (null: not encoded, a range the label gives (see the item's <see cref="Amount.RangeLow"/>), or BSA unknown).</summary>
public sealed record PlannedPremedication(Premedication Item, double? Amount);

/// <summary>A dated plan for a patient on a regimen.</summary>
public sealed record TreatmentPlan(Regimen Regimen, DateOnly Cycle1Day1, PatientMeasures Patient, int Cycles, IReadOnlyList<PlannedDose> Doses);

/// <summary>
/// Turns a regimen, a cycle 1 day 1 date and the patient's measures into the dated calendar, with the rows of one site's
/// jurisdiction only (CLINICAL-RULES.md §5.13: "build the calendar from one jurisdiction only"; null: every row). Pure.
/// </summary>
public static class TreatmentPlanner
{
    /// <summary>
    /// How many cycles a plan needs to reach past <paramref name="date"/>: the regimen's maximum when it has one, else
    /// every cycle that starts on or before the date.
    /// </summary>
    public static int CyclesThrough(Regimen regimen, DateOnly cycle1Day1, DateOnly date)
    {
        ArgumentNullException.ThrowIfNull(regimen);
        if (regimen.MaxCycles is { } max)
        {
            return max;
        }

        var cycles = 1;
        for (var start = cycle1Day1.AddDays(regimen.LengthOf(1)); start <= date; start = start.AddDays(regimen.LengthOf(cycles)))
        {
            cycles++;
        }

        return cycles;
    }

    /// <summary>
    /// The plan for <paramref name="cycles"/> cycles (at most the regimen's maximum). A cycle starts the day after the
    /// previous one ends: cycle n starts on C1D1 plus the lengths of cycles 1 to n-1.
    /// </summary>
    public static TreatmentPlan Plan(Regimen regimen, DateOnly cycle1Day1, PatientMeasures patient, int cycles, Jurisdiction? site = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(cycles, 1);
        if (regimen.MaxCycles is { } max)
        {
            cycles = Math.Min(cycles, max);
        }

        var doses = new List<PlannedDose>();
        var cycleStart = cycle1Day1;
        for (var cycle = 1; cycle <= cycles; cycle++)
        {
            foreach (var rule in regimen.Doses.Where(d => d.InCycle(cycle) && d.Jurisdiction.ShownAt(site)).OrderBy(d => d.Day))
            {
                var amount = rule.Amount.For(patient.BodySurfaceAreaM2, patient.WeightKg);
                doses.Add(new PlannedDose(
                    cycle,
                    rule.Day,
                    cycleStart.AddDays(rule.Day - 1),
                    rule.ThroughDay is { } through ? cycleStart.AddDays(through - 1) : null,
                    rule.Drug,
                    rule.Role,
                    rule.Label,
                    amount,
                    rule.Amount.Unit,
                    rule.Infusion,
                    [.. (rule.Premedication ?? []).Where(p => p.Jurisdiction.ShownAt(site))
                        .Select(p => new PlannedPremedication(p, p.Amount?.For(patient.BodySurfaceAreaM2, patient.WeightKg)))],
                    [.. (rule.Monitoring ?? []).Where(m => m.Jurisdiction.ShownAt(site))],
                    rule.Source,
                    Warning(rule.Amount, amount)));
            }

            cycleStart = cycleStart.AddDays(regimen.LengthOf(cycle));
        }

        return new TreatmentPlan(regimen, cycle1Day1, patient, cycles, doses);
    }

    private static string? Warning(Amount rule, double? amount) => (rule, amount) switch
    {
        ({ PerKg: not null }, null) => "dose by actual body weight: record the patient's weight to compute it",
        ({ PerKg: not null }, _) => "computed from the actual body weight, unrounded: round as the label says (not encoded)",
        (_, null) => "dose by body surface area: record the patient's BSA to compute it",
        _ => null,
    };
}

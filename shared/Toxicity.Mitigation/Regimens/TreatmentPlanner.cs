namespace Toxicity.Mitigation.Regimens;

/// <summary>The patient facts a plan needs: body surface area for BSA-based doses (m²), weight and age for display and rules.</summary>
public sealed record PatientMeasures(double? WeightKg, double? BodySurfaceAreaM2, double? AgeYears);

/// <summary>
/// One dated item of a treatment plan: a dose (or a continuous infusion rate from <see cref="Date"/> through
/// <see cref="ThroughDate"/>) with its computed amount, and the premedication and monitoring that go with it.
/// <see cref="DayOfTreatment"/> counts from C1D1 (day 1), for labels without cycles. <see cref="Amount"/> is null when
/// it depends on a body surface area or weight that is not known (<see cref="Warning"/> says so). <see cref="Jurisdiction"/>
/// is the label the row reproduces; a row read only in another jurisdiction's label, shown because the site's own label
/// has no row for that dose, says so in <see cref="Warning"/>.
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
    string? Warning,
    int DayOfTreatment = 0,
    Jurisdiction Jurisdiction = Jurisdiction.None);

/// <summary>A premedication item of a planned dose with its amount for this patient (null: not encoded, a range the label gives (see the item's <see cref="Amount.RangeLow"/>), or BSA unknown).</summary>
public sealed record PlannedPremedication(Premedication Item, double? Amount);

/// <summary>
/// A dated plan for a patient on a regimen, under one site's jurisdiction (null: every row). <see cref="Notes"/> say what
/// the plan cannot show (e.g. later cycles whose length the label gives but CLINICAL-RULES.md does not).
/// </summary>
public sealed record TreatmentPlan(Regimen Regimen, DateOnly Cycle1Day1, PatientMeasures Patient, int Cycles, IReadOnlyList<PlannedDose> Doses,
    Jurisdiction? Site = null, IReadOnlyList<string>? Notes = null);

/// <summary>
/// Turns a regimen, a cycle 1 day 1 date and the patient's measures into the dated calendar of one site's jurisdiction
/// (CLINICAL-RULES.md §5.13: "build the calendar from one jurisdiction only"; null: every row, as the catalogue lists
/// them). For each dose the site's own label row is used; a dose its label has no row for is taken from the nearest other
/// label (<see cref="FallbackOrder"/>), with a warning to confirm it. Premedication and monitoring rows of other
/// jurisdictions are never shown: where a dose had some and none is left, a not-encoded item says to consult the label. Pure.
/// </summary>
public static class TreatmentPlanner
{
    /// <summary>
    /// Whether <paramref name="regimen"/> is a label regimen under <paramref name="site"/>'s jurisdiction (its entry is
    /// tagged with it, or neutral): a site plans only those.
    /// </summary>
    public static bool OnLabelAt(Regimen regimen, Jurisdiction? site)
    {
        ArgumentNullException.ThrowIfNull(regimen);
        return regimen.Jurisdiction.ShownAt(site);
    }

    /// <summary>
    /// The labels a site's calendar takes a dose row from when its own label has none, nearest first: a Swiss site the
    /// EU SmPC then the US PI; an EU site the US PI; a US site the EU SmPC; Hong Kong rows last.
    /// </summary>
    public static IReadOnlyList<Jurisdiction> FallbackOrder(Jurisdiction site) => site switch
    {
        Jurisdiction.Ch => [Jurisdiction.Ch, Jurisdiction.Eu, Jurisdiction.Us, Jurisdiction.Hk],
        Jurisdiction.Eu => [Jurisdiction.Eu, Jurisdiction.Us, Jurisdiction.Hk],
        _ => [site, Jurisdiction.Eu, Jurisdiction.Hk],
    };

    /// <summary>
    /// How many cycles a plan needs to reach past <paramref name="date"/>: the regimen's maximum when it has one, else
    /// every cycle that starts on or before the date (as far as cycle lengths are known).
    /// </summary>
    public static int CyclesThrough(Regimen regimen, DateOnly cycle1Day1, DateOnly date)
    {
        ArgumentNullException.ThrowIfNull(regimen);
        if (regimen.MaxCycles is { } max)
        {
            return max;
        }

        var cycles = 1;
        for (var start = cycle1Day1; regimen.TryLengthOf(cycles) is { } length && start.AddDays(length) <= date; start = start.AddDays(length))
        {
            cycles++;
        }

        return cycles;
    }

    /// <summary>
    /// The plan for <paramref name="cycles"/> cycles (at most the regimen's maximum, and no further than cycle lengths are
    /// known). A cycle starts the day after the previous one ends: cycle n starts on C1D1 plus the lengths of cycles 1 to n-1.
    /// </summary>
    public static TreatmentPlan Plan(Regimen regimen, DateOnly cycle1Day1, PatientMeasures patient, int cycles, Jurisdiction? site = null)
    {
        ArgumentNullException.ThrowIfNull(regimen);
        ArgumentNullException.ThrowIfNull(patient);
        ArgumentOutOfRangeException.ThrowIfLessThan(cycles, 1);
        if (regimen.MaxCycles is { } max)
        {
            cycles = Math.Min(cycles, max);
        }

        var doses = new List<PlannedDose>();
        var notes = new List<string>();
        var cycleStart = cycle1Day1;
        var planned = 0;
        for (var cycle = 1; cycle <= cycles; cycle++)
        {
            foreach (var (rule, standIn) in RulesOf(regimen, cycle, site))
            {
                var amount = rule.Amount.For(patient.BodySurfaceAreaM2, patient.WeightKg);
                var date = cycleStart.AddDays(rule.Day - 1);
                doses.Add(new PlannedDose(
                    cycle,
                    rule.Day,
                    date,
                    rule.ThroughDay is { } through ? cycleStart.AddDays(through - 1) : null,
                    rule.Drug,
                    rule.Role,
                    rule.Label,
                    amount,
                    rule.Amount.Unit,
                    rule.Infusion,
                    Premedication(rule, site, patient),
                    Monitoring(rule, site),
                    rule.Source,
                    Join(Warning(rule.Amount, amount), standIn),
                    date.DayNumber - cycle1Day1.DayNumber + 1,
                    rule.Jurisdiction));
            }

            planned = cycle;
            if (cycle < cycles && regimen.TryLengthOf(cycle) is null)
            {
                notes.Add($"Cycle {cycle + 1} onwards not planned: the length of cycle {cycle} is not encoded (consult the label; "
                    + $"{regimen.Source}).");
                break;
            }

            cycleStart = cycleStart.AddDays(regimen.TryLengthOf(cycle) ?? 0);
        }

        return new TreatmentPlan(regimen, cycle1Day1, patient, planned, doses, site, notes);
    }

    /// <summary>
    /// The dose rows of <paramref name="cycle"/> at <paramref name="site"/>, by day: per dose label, the rows of the first
    /// jurisdiction of <see cref="FallbackOrder"/> that has any (with a warning when it is not the site's own).
    /// </summary>
    private static IEnumerable<(DoseRule Rule, string? StandIn)> RulesOf(Regimen regimen, int cycle, Jurisdiction? site)
    {
        var rules = regimen.Doses.Where(d => d.InCycle(cycle));
        if (site is not { } s)
        {
            return rules.OrderBy(d => d.Day).Select(d => (d, (string?)null));
        }

        return rules
            .GroupBy(d => d.Label, StringComparer.Ordinal)
            .SelectMany(label =>
            {
                var own = label.Where(d => d.Jurisdiction.ShownAt(s)).ToList();
                if (own.Count > 0)
                {
                    return own.Select(d => (d, (string?)null));
                }

                var from = FallbackOrder(s).Skip(1).FirstOrDefault(j => label.Any(d => d.Jurisdiction.HasFlag(j)));
                return label.Where(d => from != Jurisdiction.None && d.Jurisdiction.HasFlag(from)).Select(d => (d, (string?)(
                    $"this dose row is read in the {string.Join("/", d.Jurisdiction.Codes())} label only (CLINICAL-RULES.md §5.13): "
                    + $"confirm it against the {string.Join("/", s.Codes())} label")));
            })
            .OrderBy(d => d.Item1.Day);
    }

    private static List<PlannedPremedication> Premedication(DoseRule rule, Jurisdiction? site, PatientMeasures patient)
    {
        var all = rule.Premedication ?? [];
        var shown = all.Where(p => p.Jurisdiction.ShownAt(site))
            .Select(p => p with { Alternatives = p.Alternatives?.Where(a => a.Jurisdiction.ShownAt(site)).ToList() })
            .Select(p => new PlannedPremedication(p, p.Amount?.For(patient.BodySurfaceAreaM2, patient.WeightKg)))
            .ToList();
        if (shown.Count == 0 && all.Count > 0)
        {
            var read = all.Aggregate(Jurisdiction.None, (j, p) => j | p.Jurisdiction);
            shown.Add(new PlannedPremedication(new Premedication(
                "premedication (per label)", null, null, "per label", rule.Source,
                NotEncoded: $"The premedication rows of this dose are read in the {string.Join("/", read.Codes())} label only: not encoded for "
                    + $"this site's jurisdiction ({string.Join("/", site!.Value.Codes())}); consult the label (CLINICAL-RULES.md §5.13).",
                Jurisdiction: site.Value), null));
        }

        return shown;
    }

    private static List<Monitoring> Monitoring(DoseRule rule, Jurisdiction? site)
    {
        var all = rule.Monitoring ?? [];
        var shown = all.Where(m => m.Jurisdiction.ShownAt(site)).ToList();
        if (shown.Count == 0 && all.Count > 0)
        {
            var read = all.Aggregate(Jurisdiction.None, (j, m) => j | m.Jurisdiction);
            shown.Add(new Monitoring(
                $"Hospitalisation and monitoring: the rows of this dose are read in the {string.Join("/", read.Codes())} label only, not encoded for "
                + $"this site's jurisdiction ({string.Join("/", site!.Value.Codes())}): consult the label",
                "CLINICAL-RULES.md §5.13", Jurisdiction: site.Value));
        }

        return shown;
    }

    private static string? Join(string? first, string? second) =>
        first is null ? second : second is null ? first : $"{first}; {second}";

    private static string? Warning(Amount rule, double? amount) => (rule, amount) switch
    {
        ({ PerKg: not null }, null) => "dose by actual body weight: record the patient's weight to compute it",
        ({ PerKg: not null }, _) => "computed from the actual body weight, unrounded: round as the label says (not encoded)",
        (_, null) => "dose by body surface area: record the patient's BSA to compute it",
        _ => null,
    };
}

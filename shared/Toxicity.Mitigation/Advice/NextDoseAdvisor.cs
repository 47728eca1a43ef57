using Toxicity.Mitigation.Labels;
using Toxicity.Mitigation.Regimens;

namespace Toxicity.Mitigation;

/// <summary>
/// The grades a patient has when a dose is reviewed: the ASTCT CRS and ICANS grades last published, and since when each
/// has been 0 after being higher (null: not resolved, or never higher).
/// </summary>
public sealed record CurrentGrades(int Crs, int Icans, DateTimeOffset? CrsResolvedAt = null, DateTimeOffset? IcansResolvedAt = null)
{
    public static readonly CurrentGrades None = new(0, 0);
}

/// <summary>
/// Advice before the dose (issue 15): when the clock reviews a patient's next planned dose (it became due, it is late, or
/// the time since the last dose crossed a bound of the label's restart table), what the label says to give: as planned,
/// a restart (repeat the step-up from a dose), or, while CRS or ICANS is present, do not give. With the dose's
/// premedication. Each item cites its source and is worded for a clinician to confirm; a restart row not read says what
/// to consult. Pure.
/// </summary>
public static class NextDoseAdvisor
{
    /// <summary>The advice of a review of <paramref name="kind"/> (<c>due</c>, <c>late</c>, <c>restart</c>) of <paramref name="next"/> at <paramref name="at"/>.</summary>
    public static IReadOnlyList<Advice> OnReviewed(PatientContext patient, string kind, NextDose next, CurrentGrades grades, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(patient);
        ArgumentNullException.ThrowIfNull(next);
        ArgumentNullException.ThrowIfNull(grades);
        if (patient.Regimen is not { Status: RegimenStatus.Label } regimen)
        {
            return [];
        }

        var rules = LabelRules.For(regimen.Drug);
        var items = new List<Advice> { Status(rules, regimen, next) };
        items.AddRange(Withheld(rules, grades, at));
        if (next.Restart is { RepeatsStepUp: true } && rules is MosunetuzumabRules mosunetuzumab)
        {
            items.Add(mosunetuzumab.PremedicateRepeatedStepUp());
        }

        if (kind != DoseCourse.LateKind && Premedication(rules, next.Planned) is { } premedication)
        {
            items.Add(premedication);
        }

        return [.. items.Where(a => a.Jurisdiction.ShownAt(patient.Site))];
    }

    /// <summary>What the label says of the next dose at <paramref name="now"/> (for a clinician looking, not a review): as <see cref="OnReviewed"/> would say it now.</summary>
    public static IReadOnlyList<Advice> Now(PatientContext patient, NextDose next, CurrentGrades grades, DateTimeOffset now) =>
        OnReviewed(patient, DoseCourse.DueKind, next, grades, now);

    /// <summary>"60 mg (C1D15) (60 mg; cycle 1 day 15), due 2026-01-19, not recorded: late by 3 days".</summary>
    public static string Describe(NextDose next)
    {
        ArgumentNullException.ThrowIfNull(next);
        var dose = next.Planned;
        var amount = dose.Amount is { } a ? $"{Wording.Number(a)} {dose.Unit}" : $"amount not computed: {dose.Warning}";
        var status = next.Status switch
        {
            DoseStatus.Upcoming => $"due {next.Due:yyyy-MM-dd}",
            DoseStatus.Due => $"due today ({next.Due:yyyy-MM-dd})",
            _ => $"due {next.Due:yyyy-MM-dd}, not recorded: late by {(next.LateByDays == 1 ? "1 day" : $"{next.LateByDays} days")}",
        };
        return $"{dose.Label} ({amount}; cycle {dose.Cycle} day {dose.Day}), {status}";
    }

    /// <summary>What the label's restart table says for the next dose now (the code's last part names it).</summary>
    internal static (string Code, string Text) LabelSays(LabelRules rules, NextDose next)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(next);
        var since = next.Last is { } last ? $"the last dose, {last.Label}, was given {Wording.Duration(next.SinceLastDose!.Value)} ago" : null;
        if (next.Restart is { } restart)
        {
            return (restart.RepeatsStepUp ? "repeat-step-up" : "restart",
                $"{since} ({restart.Window} in the label's restart table): {(restart.RepeatsStepUp ? "repeat the step-up. " : string.Empty)}"
                + $"{restart.Action} Give {next.Planned.Label} next, not the dose planned before the delay.");
        }

        if (next.Rules.FirstOrDefault(r => !r.Encoded) is { } notRead)
        {
            return ("not-encoded", Wording.NotEncoded($"{rules.DelayConsult} ({since}; {notRead.Window}: {notRead.Action})"));
        }

        if (next.Rules.FirstOrDefault() is { } rule)
        {
            return ("as-planned", $"{since} ({rule.Window} in the label's restart table): {rule.Action}");
        }

        if (since is null || next.Status != DoseStatus.Late)
        {
            return ("as-planned", since is null ? "the first dose of the plan: give as planned." : $"{since}: give as planned.");
        }

        var rows = next.Table;
        return rows.Count == 0
            ? ("not-encoded", Wording.NotEncoded($"{rules.DelayConsult} ({since}: the catalogue has no restart row for this last dose.)"))
            : ("as-planned", $"{since}: the label's restart table starts at {string.Join(" / ", rows.Select(r => r.Window).Distinct())}; give as planned.");
    }

    private static Advice Status(LabelRules rules, Regimen regimen, NextDose next)
    {
        var (code, says) = LabelSays(rules, next);
        var rule = next.Restart ?? next.Rules.FirstOrDefault();
        var source = rule is null
            ? Wording.Cite($"{rules.Section}, §5.6", $"regimen {regimen.Id}: calendar, re-anchored on the doses given")
            : rule.Source.StartsWith("CLINICAL-RULES.md", StringComparison.Ordinal) ? rule.Source : Wording.Cite(rules.Section, rule.Source);
        var text = Wording.PerLabel(rules.Label, $"next dose {Describe(next)}: {says}");
        return new($"{rules.Drug}.next-dose.{code}", text, source,
            rule?.Jurisdiction ?? Jurisdiction.Neutral);
    }

    private static IEnumerable<Advice> Withheld(LabelRules rules, CurrentGrades grades, DateTimeOffset at)
    {
        if (grades.Crs > 0)
        {
            yield return new($"{rules.Drug}.next-dose.withhold-crs",
                Wording.Consider($"CRS grade {grades.Crs} is present: do not give the next dose; withhold {rules.Drug} until CRS resolves "
                    + "(see the label's CRS rows for the drug)."),
                Wording.Cite("§4.1", "S-COL-MS; S-EPK-HCP; S-LUN-US"));
        }
        else if (grades.CrsResolvedAt is { } resolved && rules.AfterResolvedCrs(resolved, at) is { } wait)
        {
            yield return wait;
        }

        if (grades.Icans > 0)
        {
            yield return new($"{rules.Drug}.next-dose.withhold-icans",
                Wording.NotEncoded($"the {rules.Label} label's neurologic toxicity (ICANS) rows before giving the next dose: ICANS "
                    + $"grade {grades.Icans} is present. Do not give it before a clinician has reviewed them."),
                Wording.Cite($"{rules.Section}, §2", "issue 15: do not give while ICANS is present"));
        }
    }

    private static Advice? Premedication(LabelRules rules, PlannedDose dose)
    {
        if (dose.Premedication.Count == 0)
        {
            return null;
        }

        var items = dose.Premedication.Select(p => p.Item.NotEncoded is { } text
            ? text
            : $"{p.Item.Drug} {Amount(p)}{(p.Item.Route is { } route ? $" {route}" : string.Empty)}, {p.Item.Timing}"
                + (p.Item.Condition is { } condition ? $" ({condition})" : string.Empty)
                + (p.Item.Alternatives is { Count: > 0 } or ? $"; or {string.Join("; or ", or.Select(a => $"{a.Drug} {Amount(new PlannedPremedication(a, a.Amount?.Value))}"))}" : string.Empty));
        return new($"{rules.Drug}.next-dose.premedication",
            Wording.PerLabel(rules.Label, $"premedication for {dose.Label}: {string.Join(". ", items)}."),
            string.Join("; ", dose.Premedication.Select(p => p.Item.Source).Distinct()),
            dose.Premedication.Aggregate(Jurisdiction.None, (j, p) => j | p.Item.Jurisdiction));
    }

    private static string Amount(PlannedPremedication p) => p switch
    {
        { Amount: { } a } => $"{Wording.Number(a)} {p.Item.Amount!.Unit}",
        { Item.Amount: { RangeLow: { } low, RangeHigh: { } high } range } => $"{Wording.Number(low)}-{Wording.Number(high)} {range.Unit}",
        { Item.Amount: { } amount } => $"(amount by {(amount.PerKg is not null ? "weight" : "BSA")}: record it to compute)",
        _ => string.Empty,
    };
}

using Toxicity.Grading;
using Toxicity.Grading.Timeline;
using Toxicity.Mitigation.Labels;
using Toxicity.Mitigation.Regimens;

namespace Toxicity.Mitigation;

/// <summary>
/// What advice needs to know about the patient: the regimen of their treatment plan (null when none is recorded),
/// weight (the blinatumomab rows differ at 45 kg), body surface area (BSA-based doses), age, and the jurisdiction the
/// site runs under (<see cref="Site"/>: only its label rows, and neutral guidance, are given; null: every row).
/// </summary>
public sealed record PatientContext(Regimen? Regimen, double? WeightKg, double? BodySurfaceAreaM2, double? AgeYears, Jurisdiction? Site = null);

/// <summary>
/// Decision support for the events a clinician must act on (CLINICAL-RULES.md §4 and §5): a rising grade, an infusion
/// interrupted or restarted, a dose given late. Label rules of the patient's drug come first and outrank the general
/// guidance that follows them (§4). Every item cites its source and is worded for a clinician to confirm; a row the
/// file marks ❌ (not read) becomes "Not encoded: consult …", never a guessed action. An investigational regimen gets no
/// label advice (§5.1). Pure.
/// </summary>
public static class MitigationAdvisor
{
    /// <summary>Code of the item for an event that needs the label when the patient has no regimen recorded.</summary>
    public const string NoRegimenCode = "regimen.none.not-encoded";

    /// <summary>Code of the item for an event that needs the label when the regimen is investigational.</summary>
    public const string InvestigationalCode = "regimen.investigational.not-encoded";

    /// <summary>
    /// The scales a drug's label writes its CRS and neurologic rows on, and whose label its rows reproduce unless a row
    /// says otherwise (a drug CLINICAL-RULES.md §5 has no rules for: ASTCT, neutral).
    /// </summary>
    public static (LabelScale Crs, LabelScale Neuro, Jurisdiction Jurisdiction) ScalesOf(string drug)
    {
        var rules = LabelRules.For(drug);
        return (rules.CrsScale, rules.NeuroScale, rules.Jurisdiction);
    }

    /// <summary>
    /// Advice when the ASTCT grade of <paramref name="scale"/> changed from <paramref name="previous"/> to
    /// <paramref name="next"/>; empty unless it rose to a grade 1-4 (grade 5 is death: nothing to advise). The label
    /// rules of the patient's drug come first, then the general §4.1 rows; <paramref name="criteria"/> are the grading
    /// criteria codes (a code starting "icans.seizure." adds the seizure rows).
    /// </summary>
    public static IReadOnlyList<Advice> OnGradeChanged(PatientContext patient, GradeScale scale, int previous, int next, IReadOnlyList<string> criteria)
    {
        ArgumentNullException.ThrowIfNull(patient);
        ArgumentNullException.ThrowIfNull(criteria);
        if (next <= previous || next is < 1 or > 4)
        {
            return [];
        }

        var general = scale == GradeScale.Crs
            ? GeneralCrsAdvice.ForGrade((CrsGrade)next, patient.WeightKg)
            : GeneralIcansAdvice.ForGrade((IcansGrade)next, criteria);
        var rules = LabelRulesOf(patient);
        var labelScale = rules is null ? (LabelScale?)null : scale == GradeScale.Crs ? rules.CrsScale : rules.NeuroScale;
        IEnumerable<Advice> label = (rules, labelScale) switch
        {
            (null, _) => [],
            // The label writes its CRS rows on CTCAE v5.0: they follow the CTCAE grade (OnCtcaeCrsChanged), said here.
            (_, LabelScale.CtcaeV5Crs) => [CtcaeRowsFollow(rules)],
            // A CTCAE neurotoxicity row fires on ICANS, which stands in for it with a visible note (issue 15).
            (_, LabelScale.CtcaeNeurotoxicity) => [IcansStandsIn(rules), .. Scaled(rules.OnGradeRise(patient, scale, next, criteria), LabelScale.CtcaeNeurotoxicity)],
            // The label's own CRS scale, or one whose footnote was not read: its rules say first that ASTCT stands in.
            _ => Scaled(rules.OnGradeRise(patient, scale, next, criteria), labelScale!.Value),
        };
        return AtSite(patient, rules, [.. GradeCaveats(scale, next, criteria), .. label, .. general]);
    }

    /// <summary>
    /// Advice when the CTCAE v5.0 CRS grade rose from <paramref name="previous"/> to <paramref name="next"/> (Grading
    /// publishes it beside ASTCT): the label rows of a drug whose label grades CRS on CTCAE (blinatumomab: a patient on
    /// low-flow oxygen with FiO₂ ≥ 40 % is ASTCT 2 but CTCAE 3, which its "interrupt" row is written for); nothing for
    /// others, whose rows and the general guidance follow ASTCT.
    /// </summary>
    public static IReadOnlyList<Advice> OnCtcaeCrsChanged(PatientContext patient, int previous, int next, IReadOnlyList<string> criteria)
    {
        ArgumentNullException.ThrowIfNull(patient);
        ArgumentNullException.ThrowIfNull(criteria);
        if (next <= previous || next is < 1 or > 4 || LabelRulesOf(patient) is not { CrsScale: LabelScale.CtcaeV5Crs } rules)
        {
            return [];
        }

        return AtSite(patient, rules, [.. Scaled(rules.OnGradeRise(patient, GradeScale.Crs, next, criteria), LabelScale.CtcaeV5Crs)]);
    }

    private static IEnumerable<Advice> Scaled(IEnumerable<Advice> items, LabelScale scale) => items.Select(a => a with { Scale = scale });

    private static Advice CtcaeRowsFollow(LabelRules rules) => new($"{rules.Drug}.crs.ctcae-scale",
        Wording.PerLabel(rules.Label, "its CRS rows are written on CTCAE v5.0, not ASTCT: they are given when the CTCAE grade "
            + "changes (shown beside the ASTCT grade); the rows below are general guidance."),
        Wording.Cite($"{rules.Section}, §3", "S-CTCAE5-a"), Jurisdiction.Neutral, LabelScale.CtcaeV5Crs);

    private static Advice IcansStandsIn(LabelRules rules) => new($"{rules.Drug}.neuro.icans-stands-in",
        Wording.PerLabel(rules.Label, "its neurological toxicity rows are written on CTCAE, which is not graded here: they are "
            + "given below on the ASTCT ICANS grade, standing in for it. Confirm the CTCAE grade before acting on them."),
        Wording.Cite($"{rules.Section}, §2", "issue 15: ICANS stands in, with this note"), Jurisdiction.Neutral, LabelScale.CtcaeNeurotoxicity);

    /// <summary>
    /// Only the rows of the site's jurisdiction and neutral guidance (CLINICAL-RULES.md §5.13: a row is never shown as
    /// label advice at a site of another jurisdiction); where that leaves a drug with no label row, what to consult.
    /// </summary>
    private static IReadOnlyList<Advice> AtSite(PatientContext patient, LabelRules? rules, IReadOnlyList<Advice> items)
    {
        if (patient.Site is not { } site)
        {
            return items;
        }

        var shown = items.Where(a => a.Jurisdiction.ShownAt(site)).ToList();
        var labelRows = items.Where(a => rules is not null && a.Code.StartsWith($"{rules.Drug}.", StringComparison.Ordinal) && a.Jurisdiction != Jurisdiction.Neutral);
        if (rules is not null && labelRows.Any() && !shown.Any(a => labelRows.Contains(a)))
        {
            var code = site.Codes()[0];
            shown.Insert(0, new($"{rules.Drug}.jurisdiction.not-encoded",
                Wording.NotEncoded($"the {rules.Label} label of this site's jurisdiction ({code}) for this event: the rows "
                    + $"CLINICAL-RULES.md encodes for it are those of another label ({string.Join(", ", labelRows.SelectMany(a => a.Jurisdiction.Codes()).Distinct())})."),
                Wording.Cite($"{rules.Section}, §5.13", "rows of another jurisdiction are not shown"), site));
        }

        return shown;
    }

    /// <summary>
    /// What rule set astct-2019/2 says about the grade itself, first (CLINICAL-RULES.md §8): a possible CRS under
    /// premedication is to be confirmed (C2-MASK-2), new organ support long after the fever may be another cause
    /// (C2-EP-1), and a lower bound may be higher once the missing reading is taken (C2-LB-1, C2-LB-2).
    /// </summary>
    private static IEnumerable<Advice> GradeCaveats(GradeScale scale, int next, IReadOnlyList<string> criteria)
    {
        if (criteria.Contains("crs.possibleMaskedFever"))
        {
            yield return new("crs.possible-masked-fever.confirm",
                Wording.Consider("possible CRS: premedication or prophylaxis may mask fever. If the picture is consistent with CRS, "
                    + "follow the CRS rows below; exclude other causes (e.g. infection) first."),
                Wording.Cite("§8.3 C2-MASK-2", "S-COL-MS, S-LUN-HCP, S-EPK-HCP"));
        }

        if (criteria.Contains("crs.feverResolvedOver24h"))
        {
            yield return new("crs.fever-resolved-over-24h.other-causes",
                Wording.Consider("the fever resolved more than 24 h before this hypotension or hypoxia began, without antipyretic or "
                    + "anti-cytokine therapy: consider other causes (e.g. infection) before treating it as CRS."),
                Wording.Cite("§8.4 C2-EP-1", "project convention"));
        }

        var missing = scale == GradeScale.Crs
            ? criteria.Contains("crs.lowerBound.componentsNotReported") ? "the blood pressure (hypotension) or oxygen status" : null
            : criteria.Contains("icans.lowerBound.scoreMissing") || criteria.Contains("icans.lowerBound.scoreStale") ? "a current ICE (or CAPD)"
            : criteria.Contains("icans.lowerBound.consciousnessUnknown") ? "the level of consciousness" : null;
        if (missing is not null)
        {
            yield return new("grade.lower-bound.assess",
                Wording.Consider($"this grade is a lower bound (at least {next}): {missing} is not charted or no longer current and "
                    + "could raise it; assess it now."),
                Wording.Cite("§8.1 C2-LB-1, C2-LB-2", "R-ICANS-1, R-CRS-4"));
        }
    }

    /// <summary>Advice when the patient's bispecific infusion was interrupted: the label's interruption and withhold rows.</summary>
    public static IReadOnlyList<Advice> OnInfusionInterrupted(PatientContext patient)
    {
        ArgumentNullException.ThrowIfNull(patient);
        return LabelRulesOf(patient) is { } rules ? AtSite(patient, rules, [.. rules.OnInterrupted(patient)]) : [NoLabelAdvice(patient, "an interruption")];
    }

    /// <summary>Advice when the infusion is restarted after an interruption of <paramref name="interruption"/>.</summary>
    public static IReadOnlyList<Advice> OnInfusionRestarted(PatientContext patient, TimeSpan interruption)
    {
        ArgumentNullException.ThrowIfNull(patient);
        return LabelRulesOf(patient) is { } rules
            ? AtSite(patient, rules, [.. rules.OnRestarted(patient, interruption)])
            : [NoLabelAdvice(patient, "restarting after an interruption")];
    }

    /// <summary>
    /// Advice when the next dose comes <paramref name="sinceLastDose"/> after the last one given,
    /// <paramref name="lastDoseLabel"/> (a dose label of the regimen): every delay rule of the regimen for that label whose
    /// window holds the time (more than <c>MoreThan</c> when set, at most <c>AtMost</c> when set). No matching rule gives
    /// "Not encoded: consult the label's restart/delay table", never silence.
    /// </summary>
    public static IReadOnlyList<Advice> OnDoseDelayed(PatientContext patient, string lastDoseLabel, TimeSpan sinceLastDose)
    {
        ArgumentNullException.ThrowIfNull(patient);
        ArgumentNullException.ThrowIfNull(lastDoseLabel);
        if (LabelRulesOf(patient) is not { } rules || patient.Regimen is not { } regimen)
        {
            return [NoLabelAdvice(patient, "a delayed dose")];
        }

        var matching = (regimen.DelayRules ?? [])
            .Where(r => string.Equals(r.LastDoseLabel, lastDoseLabel, StringComparison.Ordinal)
                && (r.MoreThan is not { } lower || sinceLastDose > lower)
                && (r.AtMost is not { } upper || sinceLastDose <= upper))
            .ToList();
        if (matching.Count == 0)
        {
            return [new($"{rules.Drug}.delay.not-encoded",
                Wording.NotEncoded($"{rules.DelayConsult} (Last dose {lastDoseLabel}, {Wording.Duration(sinceLastDose)} ago: "
                    + "no restart rule of the regimen matches.)"),
                Wording.Cite($"{rules.Section}, §5.6", $"regimen {regimen.Id}: no matching delay rule"))];
        }

        List<Advice> items = [.. matching.Select(r => DelayAdvice(rules, r, sinceLastDose))];
        if (rules is MosunetuzumabRules mosunetuzumab && matching.Any(r => r.RepeatsStepUp))
        {
            items.Add(mosunetuzumab.PremedicateRepeatedStepUp());
        }

        return items;
    }

    private static LabelRules? LabelRulesOf(PatientContext patient) =>
        patient.Regimen is { Status: RegimenStatus.Label } regimen ? LabelRules.For(regimen.Drug) : null;

    private static Advice DelayAdvice(LabelRules rules, DelayRule rule, TimeSpan sinceLastDose)
    {
        var source = rule.Source.StartsWith("CLINICAL-RULES.md", StringComparison.Ordinal)
            ? rule.Source
            : Wording.Cite(rules.Section, rule.Source);
        if (rule.Action.StartsWith("Not encoded", StringComparison.Ordinal))
        {
            return new($"{rules.Drug}.delay.not-encoded", rule.Action, source);
        }

        var text = $"last dose {rule.LastDoseLabel}, {rule.Window} since it (here {Wording.Duration(sinceLastDose)}): "
            + (rule.RepeatsStepUp ? "repeat the step-up. " : string.Empty) + rule.Action;
        return new($"{rules.Drug}.delay.{(rule.RepeatsStepUp ? "repeat-step-up" : "resume")}", Wording.PerLabel(rules.Label, text), source);
    }

    private static Advice NoLabelAdvice(PatientContext patient, string what) => patient.Regimen is { } regimen
        ? new(InvestigationalCode,
            Wording.NotEncoded($"the study protocol for {what}: regimen {regimen.Id} ({regimen.Drug}) is investigational, "
                + "and investigational regimens get no label advice."),
            Wording.Cite("§5.1, §5.6", "investigational: not for advice"))
        : new(NoRegimenCode,
            Wording.NotEncoded($"the label of the patient's drug for {what}: no regimen is recorded for this patient."),
            Wording.Cite("§5.6", "no regimen recorded"));
}

namespace Toxicity.Grading.V2;

/// <summary>
/// Every window and time rule of rule set <c>astct-2019/2</c> (CLINICAL-RULES.md §8.2-§8.4), each with the handbook's
/// default. A site may set each one (configuration <c>Grading:Windows:&lt;Name&gt;</c>); docs/grading-timeline.md lists
/// them with their rule ids. All are project conventions (C2-…) that need clinical sign-off.
/// </summary>
public sealed record GradingWindows
{
    /// <summary>The handbook's defaults.</summary>
    public static readonly GradingWindows Default = new();

    /// <summary>§8.2: a temperature is current this long (inpatient default 6 h; outpatient site value 12 h).</summary>
    public TimeSpan Temperature { get; init; } = TimeSpan.FromHours(6);

    /// <summary>§8.2: the bedside hypotension judgement (<c>hypotensive</c>) is current this long.</summary>
    public TimeSpan Hypotensive { get; init; } = TimeSpan.FromHours(6);

    /// <summary>§8.2: an oxygen device or the vasopressors running hold until reported otherwise; unconfirmed this long, they are flagged (C2-OD-1).</summary>
    public TimeSpan SupportUnconfirmed { get; init; } = TimeSpan.FromHours(24);

    /// <summary>§8.2: ICE, CAPD and consciousness are current this long while ICANS is 0 ("at least two times a day", S-ASTCT-h, with a 2 h grace).</summary>
    public TimeSpan NeuroWhileNoIcans { get; init; } = TimeSpan.FromHours(14);

    /// <summary>§8.2: ICE, CAPD and consciousness are current this long once ICANS is 1 or more.</summary>
    public TimeSpan NeuroWithIcans { get; init; } = TimeSpan.FromHours(10);

    /// <summary>§8.2: a seizure (other than none) counts this long from its observation; it stays in the episode maximum.</summary>
    public TimeSpan Seizure { get; init; } = TimeSpan.FromHours(24);

    /// <summary>§8.1 C2-T2H-1: a temperature rules CRS out only if taken at most this long before the onset of the hypotension or hypoxia (or after it).</summary>
    public TimeSpan TemperatureBeforeOnset { get; init; } = TimeSpan.FromHours(2);

    /// <summary>§8.3 C2-RW-1: the risk window after a step-up dose, the first full dose, a dose after CRS in the previous dose's window (and a premedication not followed by a dose record).</summary>
    public TimeSpan RiskAfterStepUpDose { get; init; } = TimeSpan.FromDays(7);

    /// <summary>§8.3 C2-RW-1: the risk window after any other dose.</summary>
    public TimeSpan RiskAfterOtherDose { get; init; } = TimeSpan.FromHours(72);

    /// <summary>§8.3 C2-MASK-1: an antipyretic (acetaminophen, NSAID, metamizole) may mask fever this long.</summary>
    public TimeSpan MaskingAntipyretic { get; init; } = TimeSpan.FromHours(8);

    /// <summary>§8.3 C2-MASK-1: a systemic corticosteroid may mask fever this long after the last dose.</summary>
    public TimeSpan MaskingCorticosteroid { get; init; } = TimeSpan.FromHours(72);

    /// <summary>§8.3 C2-MASK-1: tocilizumab may mask fever this long.</summary>
    public TimeSpan MaskingTocilizumab { get; init; } = TimeSpan.FromDays(14);

    /// <summary>§8.4 C2-EP-1: hypotension or hypoxia beginning more than this long after the last fever, without masking since, is flagged.</summary>
    public TimeSpan FeverResolvedBeforeOnset { get; init; } = TimeSpan.FromHours(24);

    /// <summary>§8.4 C2-EP-2 (T-6): an episode closes this long after its last finding, with current normal readings.</summary>
    public TimeSpan EpisodeResolution { get; init; } = TimeSpan.FromHours(72);

    /// <summary>§8.4 C2-EP-2: an open episode with no observation for this long is closed, recorded as closed unobserved.</summary>
    public TimeSpan EpisodeUnobserved { get; init; } = TimeSpan.FromDays(14);

    /// <summary>§8.2 C2-OD-1: an overdue reading still overdue this long after its notice goes to the next tier.</summary>
    public TimeSpan OverdueNextTier { get; init; } = TimeSpan.FromHours(2);

    /// <summary>
    /// Bounded state (issue 16; project convention C2-CMP-1, needs sign-off): a patient's timeline keeps the observations
    /// of this long before its latest one, to grade again when a late one arrives among them; older ones are folded into
    /// the state and dropped. It must be longer than every reading's validity (at most 24 h), so a reading older than
    /// this can no longer be current: one that arrives this late is merged where it is newer than what is known (a
    /// dose, a masking drug, an episode's fever), without grading the points in between again.
    /// </summary>
    public TimeSpan CorrectionHorizon { get; init; } = TimeSpan.FromHours(48);

    /// <summary>Every window by its setting name, for configuration and documentation.</summary>
    public IEnumerable<(string Name, TimeSpan Value)> All() => Rules.Select(r => (r.Name, r.Value(this)));

    /// <summary>Every window with the rule it belongs to (CLINICAL-RULES.md §8) and what it bounds, for docs/grading-timeline.md.</summary>
    public static IReadOnlyList<(string Name, string Rule, string Meaning, Func<GradingWindows, TimeSpan> Value)> Rules { get; } =
    [
        (nameof(Temperature), "§8.2", "a temperature is current this long (outpatient site value: 12 h)", w => w.Temperature),
        (nameof(Hypotensive), "§8.2", "the bedside hypotension judgement is current this long", w => w.Hypotensive),
        (nameof(SupportUnconfirmed), "§8.2, C2-OD-1", "an oxygen device or the vasopressors, unconfirmed this long, are flagged and owed (never lowered)", w => w.SupportUnconfirmed),
        (nameof(NeuroWhileNoIcans), "§8.2", "ICE, CAPD and consciousness are current this long while ICANS is 0", w => w.NeuroWhileNoIcans),
        (nameof(NeuroWithIcans), "§8.2", "ICE, CAPD and consciousness are current this long once ICANS is 1 or more", w => w.NeuroWithIcans),
        (nameof(Seizure), "§8.2", "a seizure other than none counts this long (it stays in the episode maximum)", w => w.Seizure),
        (nameof(TemperatureBeforeOnset), "C2-T2H-1", "a temperature rules CRS out only if taken at most this long before the onset of hypotension or hypoxia", w => w.TemperatureBeforeOnset),
        (nameof(RiskAfterStepUpDose), "C2-RW-1", "risk window after a first dose of a drug, a dose of another amount, a dose after CRS in the last window, or a premedication not followed by a dose record", w => w.RiskAfterStepUpDose),
        (nameof(RiskAfterOtherDose), "C2-RW-1", "risk window after a dose repeating the last one", w => w.RiskAfterOtherDose),
        (nameof(MaskingAntipyretic), "C2-MASK-1", "an antipyretic (acetaminophen, NSAID, metamizole) may mask fever this long", w => w.MaskingAntipyretic),
        (nameof(MaskingCorticosteroid), "C2-MASK-1", "a systemic corticosteroid may mask fever this long after its last dose", w => w.MaskingCorticosteroid),
        (nameof(MaskingTocilizumab), "C2-MASK-1", "tocilizumab may mask fever this long", w => w.MaskingTocilizumab),
        (nameof(FeverResolvedBeforeOnset), "C2-EP-1", "hypotension or hypoxia beginning more than this long after the last fever, without masking since, is flagged", w => w.FeverResolvedBeforeOnset),
        (nameof(EpisodeResolution), "T-6, C2-EP-2", "an episode closes this long after its last finding, on current normal readings", w => w.EpisodeResolution),
        (nameof(EpisodeUnobserved), "C2-EP-2", "an open episode without any observation this long closes, recorded as closed unobserved", w => w.EpisodeUnobserved),
        (nameof(OverdueNextTier), "C2-OD-1", "an overdue reading still owed this long after its notice goes to the next tier", w => w.OverdueNextTier),
        (nameof(CorrectionHorizon), "C2-CMP-1", "a timeline keeps this long of observations to grade again when a late one arrives; an older late one is merged where it is newer than what is known", w => w.CorrectionHorizon),
    ];
}

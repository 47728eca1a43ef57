using System.Collections.Immutable;
using Toxicity.Grading.Timeline;

namespace Toxicity.Grading.V2;

/// <summary>A reading and the clinical time it was observed at (rule set /2 judges whether it is still current: §8.2).</summary>
public readonly record struct Stamped<T>(T Value, DateTimeOffset At);

/// <summary>An oxygen device with the flow and FiO₂ reported with it.</summary>
public sealed record OxygenState(OxygenSupport Device, double? FlowLPerMin, double? Fio2Percent);

/// <summary>
/// The last dose of one bispecific drug: its amount and unit (a different amount is a step: §8.3 C2-RW-1), the end of
/// the risk window it opened, and whether CRS occurred inside that window (the next dose then opens the longer one).
/// </summary>
public sealed record DoseRecord(double? Amount, string? Unit, DateTimeOffset RiskEnd, bool CrsInWindow);

/// <summary>
/// A grade as the timeline shows it at a point (rule set /2): the number, whether it is a lower bound ("at least")
/// or provisional (possible CRS, to confirm), whether it is kept from an earlier point because what would change it is
/// missing or stale (§8.2: staleness never lowers a grade), and when it was last assessed.
/// </summary>
public sealed record ShownGrade(int Grade, bool LowerBound, bool Provisional, bool Stale, DateTimeOffset AssessedAt)
{
    /// <summary>A lower bound of 0 is "not assessed", never a grade of 0 (§8.1 C2-LB-0).</summary>
    public bool NotAssessed => LowerBound && Grade == 0;
}

/// <summary>
/// What the /2 timeline knows at one point: every reading with its time (so that each point can judge which are
/// current), the post-dose risk and masking windows, the episode, and the grades shown so far. Immutable.
/// </summary>
public sealed record TimelineStateV2
{
    public static readonly TimelineStateV2 Empty = new();

    public double? AgeYears { get; init; }

    public bool Died { get; init; }

    public bool DevelopmentalDelay { get; init; }

    public int? BaselineCapd { get; init; }

    public Stamped<double>? Temperature { get; init; }

    public Stamped<bool>? Hypotensive { get; init; }

    public Stamped<OxygenState>? Oxygen { get; init; }

    public Stamped<VasopressorsRunning>? Vasopressors { get; init; }

    public Stamped<int>? Ice { get; init; }

    public Stamped<int>? Capd { get; init; }

    public Stamped<Consciousness>? Consciousness { get; init; }

    public Stamped<Seizure>? Seizure { get; init; }

    public Stamped<MotorFinding>? Motor { get; init; }

    public Stamped<CerebralEdema>? CerebralEdema { get; init; }

    /// <summary>Whether the latest neuro assessment was made under sedation (§8.1 C2-SED-1).</summary>
    public Stamped<bool>? Sedated { get; init; }

    /// <summary>The last observation (not a review): an open episode unobserved for 14 days closes (C2-EP-2).</summary>
    public DateTimeOffset? LastObservationAt { get; init; }

    /// <summary>The end of the post-dose risk windows opened by dose records (the latest end: every window starts in the past).</summary>
    public DateTimeOffset? RiskEnd { get; init; }

    /// <summary>When the risk windows covering the present began (the start of the overdue notices' scope).</summary>
    public DateTimeOffset? RiskSince { get; init; }

    /// <summary>A premedication recorded with no dose record after it yet: it opens the step-up risk window provisionally (C2-RW-1).</summary>
    public DateTimeOffset? PendingPremedicationAt { get; init; }

    /// <summary>The end of the risk window a planned dose due with no dose record opened provisionally (C2-RW-1).</summary>
    public DateTimeOffset? PendingPlannedDoseEnd { get; init; }

    /// <summary>The end of the masking effect windows of the administrations recorded (C2-MASK-1).</summary>
    public DateTimeOffset? MaskingEnd { get; init; }

    /// <summary>The last masking administration (an antipyretic, a corticosteroid, tocilizumab), for C2-EP-1.</summary>
    public DateTimeOffset? LastMaskingAt { get; init; }

    /// <summary>The last dose of each bispecific drug, by drug code.</summary>
    public ImmutableDictionary<string, DoseRecord> Doses { get; init; } = ImmutableDictionary.Create<string, DoseRecord>(StringComparer.Ordinal);

    /// <summary>The latest bispecific dose at or before this point.</summary>
    public DateTimeOffset? LastBispecificDoseAt { get; init; }

    /// <summary>The number of episodes opened so far; the current one is open when <see cref="EpisodeOpenedAt"/> is set.</summary>
    public int Episode { get; init; }

    public DateTimeOffset? EpisodeOpenedAt { get; init; }

    /// <summary>The last point of the open episode with a current finding (T-6, C2-EP-2).</summary>
    public DateTimeOffset? LastFindingAt { get; init; }

    /// <summary>Fever was present at some point of the open episode (T-5).</summary>
    public bool FeverInEpisode { get; init; }

    /// <summary>The last point with fever (C2-EP-1).</summary>
    public DateTimeOffset? LastFeverAt { get; init; }

    /// <summary>Antipyretic or anti-cytokine therapy given after fever in the open episode (T-5, R-CRS-3).</summary>
    public bool FeverMasked { get; init; }

    /// <summary>Possible CRS of grade ≥ 2 was graded in the open episode: CRS under therapy until it closes (C2-MASK-3).</summary>
    public bool PossibleCrsInEpisode { get; init; }

    /// <summary>The onset of the current hypotension or hypoxia (C2-T2H-1, C2-EP-1): the first point with it after none.</summary>
    public DateTimeOffset? OrganSupportOnset { get; init; }

    public CrsGrade? CrsEpisodeMaximum { get; init; }

    public IcansGrade? IcansEpisodeMaximum { get; init; }

    /// <summary>The CRS grade shown at this point (kept from an earlier point when it is stale).</summary>
    public ShownGrade? Crs { get; init; }

    /// <summary>The ICANS grade shown at this point.</summary>
    public ShownGrade? Icans { get; init; }

    /// <summary>Whether <paramref name="at"/> is inside a post-dose risk window (C2-RW-1).</summary>
    public bool InRiskWindow(DateTimeOffset at, GradingWindows windows) => RiskWindowEnd(windows) is { } end && at < end;

    /// <summary>The end of the risk windows known now, those of a pending premedication and a planned dose without a record included.</summary>
    public DateTimeOffset? RiskWindowEnd(GradingWindows windows)
    {
        ArgumentNullException.ThrowIfNull(windows);
        DateTimeOffset? Later(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;
        return Later(Later(RiskEnd, PendingPremedicationAt + windows.RiskAfterStepUpDose), PendingPlannedDoseEnd);
    }

    /// <summary>Fever may be masked by premedication or prophylaxis at <paramref name="at"/>: a masking window and a risk window both cover it (C2-MASK-1).</summary>
    public bool PremedicationMasked(DateTimeOffset at, GradingWindows windows) => at < MaskingEnd && InRiskWindow(at, windows);

    /// <summary>The neuro validity window now: closer once ICANS is 1 or more (§8.2).</summary>
    public TimeSpan NeuroWindow(GradingWindows windows)
    {
        ArgumentNullException.ThrowIfNull(windows);
        return Icans is { Grade: >= 1 } ? windows.NeuroWithIcans : windows.NeuroWhileNoIcans;
    }

    /// <summary>CAPD is the age-appropriate score: under 12, or with baseline developmental delay (R-ICANS-7, C2-DD-1).</summary>
    public bool UsesCapd(double age) => age < 12 || DevelopmentalDelay;
}

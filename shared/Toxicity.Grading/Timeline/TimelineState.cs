namespace Toxicity.Grading.Timeline;

/// <summary>
/// What the timeline knows at one point (after one observation, in clinical-time order): the latest value of each
/// kind (docs/grading-timeline.md T-2), the episode and its maxima. Immutable: every point keeps its own.
/// </summary>
public sealed record TimelineState
{
    public static readonly TimelineState Empty = new();

    /// <summary>Age from the latest details at or before this point (T-7); null before any details.</summary>
    public double? AgeYears { get; init; }

    public bool Died { get; init; }

    public double? TemperatureC { get; init; }

    public DateTimeOffset? TemperatureAt { get; init; }

    public OxygenSupport? Oxygen { get; init; }

    public double? OxygenFlowLPerMin { get; init; }

    public double? Fio2Percent { get; init; }

    public bool? Hypotensive { get; init; }

    public VasopressorsRunning? Vasopressors { get; init; }

    public int? IceScore { get; init; }

    public int? CapdScore { get; init; }

    public Consciousness? Consciousness { get; init; }

    public Seizure? Seizure { get; init; }

    public MotorFinding? Motor { get; init; }

    public CerebralEdema? CerebralEdema { get; init; }

    /// <summary>The number of episodes opened so far (T-4); the current one is open when <see cref="EpisodeOpenedAt"/> is set.</summary>
    public int Episode { get; init; }

    public DateTimeOffset? EpisodeOpenedAt { get; init; }

    /// <summary>The last point of the open episode with a finding (T-6).</summary>
    public DateTimeOffset? LastFindingAt { get; init; }

    /// <summary>Fever was present at some point of the open episode.</summary>
    public bool FeverInEpisode { get; init; }

    /// <summary>Antipyretic or anti-cytokine therapy given after fever in the open episode (T-5, R-CRS-3).</summary>
    public bool FeverMasked { get; init; }

    public CrsGrade? CrsEpisodeMaximum { get; init; }

    public IcansGrade? IcansEpisodeMaximum { get; init; }

    /// <summary>The latest bispecific dose at or before this point (T-9: shown, never a gate).</summary>
    public DateTimeOffset? LastBispecificDoseAt { get; init; }

    /// <summary>The hypotension category the vital signs carry (T-3).</summary>
    public Hypotension? HypotensionCategory => Vasopressors switch
    {
        { Count: > 0 } v when v.Count - (v.IncludesVasopressin ? 1 : 0) >= 2 => Hypotension.MultipleVasopressors,
        { Count: 2, IncludesVasopressin: true } => Hypotension.MultipleVasopressors,
        { Count: > 0 } => Hypotension.OneVasopressor,
        _ => Hypotensive switch
        {
            true => Hypotension.FluidResponsive,
            false => Hypotension.None,
            null => Vasopressors is null ? null : Hypotension.None,
        },
    };

    /// <summary>One vasopressor plus vasopressin (C-CRS-4): graded as one vasopressor.</summary>
    public bool VasopressinOnlyAdded => Vasopressors is { Count: 2, IncludesVasopressin: true };
}

namespace Toxicity.Grading.V2;

/// <summary>A reading the ward may owe (CLINICAL-RULES.md §8.2 C2-OD-1).</summary>
public enum ReadingKind
{
    Temperature,
    Hypotension,
    Oxygen,
    Vasopressors,
    NeuroScore,
    Consciousness,
}

/// <summary>Why a reading is owed.</summary>
public enum OverdueReason
{
    /// <summary>Reported, but its validity window passed (§8.2).</summary>
    Stale,

    /// <summary>Never reported inside the risk window or episode, one validity window after it began.</summary>
    NotReported,

    /// <summary>An oxygen device or vasopressors not confirmed for 24 h (§8.2).</summary>
    Unconfirmed,

    /// <summary>Needed now to grade: a lower bound or a grade that cannot be given without it (C2-T2H-1, C2-LB-1, C2-LB-2, C2-ICE-1).</summary>
    NeededNow,
}

/// <summary>A reading owed at a point: which, since when, why, and when it was last observed (null: never).</summary>
public sealed record OverdueReading(ReadingKind Reading, DateTimeOffset Since, OverdueReason Reason, DateTimeOffset? LastObservedAt);

/// <summary>
/// The overdue readings of a point (C2-OD-1). Only inside a post-dose risk window or an open episode: the
/// temperature, the age-appropriate neuro score and consciousness when stale (or never reported, one window after the
/// scope began), an oxygen device or vasopressors unconfirmed for 24 h, and any reading needed now to grade.
/// </summary>
internal static class OverdueReadings
{
    public static IReadOnlyList<OverdueReading> At(TimelineStateV2 state, DateTimeOffset at, Assessment? assessment, GradingResult? result, GradingWindows windows)
    {
        if (ScopeSince(state, at, windows) is not { } since || state.AgeYears is not { } age)
        {
            return [];
        }

        var owed = new List<OverdueReading>(2);
        var neuro = state.NeuroWindow(windows);
        var score = state.UsesCapd(age) ? state.Capd?.At : state.Ice?.At;
        Add(owed, ReadingKind.Temperature, state.Temperature?.At, windows.Temperature, since, at, OverdueReason.Stale);
        Add(owed, ReadingKind.NeuroScore, score, neuro, since, at, OverdueReason.Stale);
        Add(owed, ReadingKind.Consciousness, state.Consciousness?.At, neuro, since, at, OverdueReason.Stale);
        if (state.Oxygen is { } oxygen)
        {
            Add(owed, ReadingKind.Oxygen, oxygen.At, windows.SupportUnconfirmed, since, at, OverdueReason.Unconfirmed);
        }

        if (state.Vasopressors is { } vasopressors)
        {
            Add(owed, ReadingKind.Vasopressors, vasopressors.At, windows.SupportUnconfirmed, since, at, OverdueReason.Unconfirmed);
        }

        if (assessment is not null && result is not null)
        {
            NeededNow(owed, state, at, assessment, result, score);
        }

        return owed;
    }

    /// <summary>
    /// The next time a reading of this state becomes owed by its window, after <paramref name="after"/>, while the scope
    /// (risk window or episode) still covers it; null when none will.
    /// </summary>
    public static IEnumerable<(ReadingKind Reading, DateTimeOffset Due)> DueAfter(TimelineStateV2 state, DateTimeOffset after, GradingWindows windows)
    {
        if (ScopeSince(state, after, windows) is not { } since || state.AgeYears is not { } age)
        {
            yield break;
        }

        var neuro = state.NeuroWindow(windows);
        var score = state.UsesCapd(age) ? state.Capd?.At : state.Ice?.At;
        var readings = new (ReadingKind, DateTimeOffset?, TimeSpan, bool)[]
        {
            (ReadingKind.Temperature, state.Temperature?.At, windows.Temperature, true),
            (ReadingKind.NeuroScore, score, neuro, true),
            (ReadingKind.Consciousness, state.Consciousness?.At, neuro, true),
            (ReadingKind.Oxygen, state.Oxygen?.At, windows.SupportUnconfirmed, state.Oxygen is not null),
            (ReadingKind.Vasopressors, state.Vasopressors?.At, windows.SupportUnconfirmed, state.Vasopressors is not null),
        };
        foreach (var (reading, last, window, applies) in readings)
        {
            var due = Due(last, window, since);
            if (applies && due > after && (state.EpisodeOpenedAt is not null || state.InRiskWindow(due, windows)))
            {
                yield return (reading, due);
            }
        }
    }

    /// <summary>When the scope of the notices began (the open episode or the risk windows covering <paramref name="at"/>); null outside both.</summary>
    public static DateTimeOffset? ScopeSince(TimelineStateV2 state, DateTimeOffset at, GradingWindows windows)
    {
        var risk = state.InRiskWindow(at, windows) ? state.RiskSince : null;
        return (state.EpisodeOpenedAt, risk) switch
        {
            ({ } episode, { } window) => episode < window ? episode : window,
            ({ } episode, null) => episode,
            (null, var window) => window,
        };
    }

    // A reading is due one window after it was observed; one never observed, one window after the scope began; one
    // already stale when the scope began is due at once.
    private static DateTimeOffset Due(DateTimeOffset? last, TimeSpan window, DateTimeOffset since)
    {
        var due = (last ?? since) + window;
        return due < since ? since : due;
    }

    private static void Add(List<OverdueReading> owed, ReadingKind reading, DateTimeOffset? last, TimeSpan window, DateTimeOffset since,
        DateTimeOffset at, OverdueReason reason)
    {
        var due = Due(last, window, since);
        if (at >= due)
        {
            owed.Add(new OverdueReading(reading, due, last is null ? OverdueReason.NotReported : reason, last));
        }
    }

    private static void NeededNow(List<OverdueReading> owed, TimelineStateV2 state, DateTimeOffset at, Assessment assessment, GradingResult result,
        DateTimeOffset? score)
    {
        var crs = result.AstctCrs;
        if (crs.Criteria.Contains(Criteria.CrsTemperatureNeededNow))
        {
            Needed(owed, ReadingKind.Temperature, at, state.Temperature?.At);
        }

        if (crs is { LowerBound: true, Grade: { } lowerBound })
        {
            // C2-LB-2, C2-MASK-2: each component not known that could raise the grade.
            var components = AstctCrsV2.Components.Of(assessment);
            if (components.Hypotension is null && components.HypotensionUpper > (int)lowerBound)
            {
                Needed(owed, ReadingKind.Hypotension, at, state.Hypotensive?.At);
            }

            if (components.Oxygen is null)
            {
                Needed(owed, ReadingKind.Oxygen, at, state.Oxygen?.At);
            }
        }

        var icans = result.AstctIcans;
        var hidden = icans.LowerBound && icans.Grade >= IcansGrade.Grade1; // a lower bound of 0 waits for the window
        if ((hidden && (icans.Criteria.Contains(Criteria.IcansLowerBoundScoreMissing) || icans.Criteria.Contains(Criteria.IcansLowerBoundScoreStale)))
            || icans.Warnings.Contains(Criteria.IcansIceNotUsedUnder12Below7))
        {
            Needed(owed, ReadingKind.NeuroScore, at, score);
        }

        if (hidden && icans.Criteria.Contains(Criteria.IcansLowerBoundConsciousnessUnknown))
        {
            Needed(owed, ReadingKind.Consciousness, at, state.Consciousness?.At);
        }
    }

    private static void Needed(List<OverdueReading> owed, ReadingKind reading, DateTimeOffset at, DateTimeOffset? last)
    {
        if (!owed.Exists(o => o.Reading == reading))
        {
            owed.Add(new OverdueReading(reading, at, OverdueReason.NeededNow, last));
        }
    }
}

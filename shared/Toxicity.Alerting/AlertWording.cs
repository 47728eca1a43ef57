namespace Toxicity.Alerting;

/// <summary>
/// What an alert says (CLINICAL-RULES.md §8.1 publication): the grade as a number, "at least N" for a lower bound,
/// "possible CRS, to confirm" for a provisional grade, and which reading is missing or stale, named from the
/// criteria; the patient by pseudonymous id only. Pure.
/// </summary>
public static class AlertWording
{
    // The criteria of rule set astct-2019/2 that say what a lower bound misses (docs/grading-criteria.md).
    private static readonly (string Code, string Text)[] Missing =
    [
        ("icans.lowerBound.scoreMissing", "ICE (or CAPD) not charted"),
        ("icans.lowerBound.scoreStale", "ICE (or CAPD) no longer current"),
        ("icans.lowerBound.consciousnessUnknown", "level of consciousness not charted"),
        ("crs.lowerBound.componentsNotReported", "blood pressure or oxygen status not reported"),
    ];

    /// <summary>The one-line summary of a change of <paramref name="scale"/> from <paramref name="previous"/> to <paramref name="next"/>.</summary>
    public static string Summary(AlertScale scale, int previous, int next, bool lowerBound, bool provisional, IReadOnlyList<string> criteria, string patientId)
    {
        ArgumentNullException.ThrowIfNull(criteria);
        var name = scale == AlertScale.Crs ? "CRS" : "ICANS";
        if (next == previous)
        {
            // Only the provisional flag changed (§8.1): a fever confirmed the possible CRS, or the reverse.
            return provisional
                ? $"Possible CRS, to confirm: {name} grade {next} for patient {patientId} (premedication may mask fever)"
                : $"{name} grade {next} for patient {patientId} confirmed (no longer possible CRS)";
        }

        var direction = next > previous ? "rose" : "fell";
        var grade = lowerBound ? $"{name} at least {next} ({direction} from {previous})" : $"{name} grade {direction} from {previous} to {next}";
        var summary = provisional ? $"Possible CRS, to confirm: {grade} for patient {patientId} (premedication may mask fever)" : $"{grade} for patient {patientId}";
        var missing = Missing.Where(m => criteria.Contains(m.Code, StringComparer.Ordinal)).Select(m => m.Text).ToList();
        return missing.Count == 0 ? summary : $"{summary}: {string.Join("; ", missing)}";
    }

    /// <summary>What an overdue-observation notice says (C2-OD-1).</summary>
    public static string Overdue(string reading, string status, string patientId)
    {
        var what = reading switch
        {
            "temperature" => "Temperature",
            "hypotension" => "Blood pressure (hypotension status)",
            "oxygen" => "Oxygen support",
            "vasopressors" => "Vasopressors running",
            "neuroScore" => "ICE (or CAPD)",
            "consciousness" => "Level of consciousness",
            _ => reading,
        };
        return status switch
        {
            "cleared" => $"{what} for patient {patientId}: no longer overdue",
            "stillOverdue" => $"{what} still overdue for patient {patientId}",
            _ => $"{what} overdue for patient {patientId}",
        };
    }
}

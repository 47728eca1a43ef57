using Toxicity.Contracts;
using Toxicity.Contracts.V1;

namespace Toxicity.Reports;

/// <summary>A distribution of durations in minutes: how many, the median and the 90th percentile (null when none).</summary>
public sealed record Durations(int Count, double? MedianMinutes, double? P90Minutes)
{
    /// <summary>
    /// Percentiles by linear interpolation between the closest ranks (Hyndman and Fan's type 7: numpy's default,
    /// Excel's PERCENTILE.INC), rounded to 0.1 minute.
    /// </summary>
    public static Durations Of(IEnumerable<TimeSpan> durations)
    {
        var minutes = durations.Select(d => d.TotalMinutes).Order().ToArray();
        return minutes.Length == 0 ? new Durations(0, null, null) : new Durations(minutes.Length, Percentile(minutes, 0.5), Percentile(minutes, 0.9));
    }

    private static double Percentile(double[] sorted, double q)
    {
        var rank = q * (sorted.Length - 1);
        var low = (int)Math.Floor(rank);
        var high = Math.Min(low + 1, sorted.Length - 1);
        return Math.Round(sorted[low] + ((rank - low) * (sorted[high] - sorted[low])), 1);
    }
}

/// <summary>Fever to the first CRS grade published, per episode.</summary>
public sealed record FeverToGrade(Durations Durations, int EpisodesWithoutFever);

/// <summary>CRS grade ≥ 2 to tocilizumab recorded, per episode that reached grade 2.</summary>
public sealed record GradeTwoToTocilizumab(Durations Durations, int NotGiven);

/// <summary>Alert raised to acknowledged, for the alerts raised for one tier.</summary>
public sealed record AlertToAcknowledged(string Tier, Durations Durations, int Unacknowledged);

/// <summary>How many answers of one kind gave one reason.</summary>
public sealed record ReasonCount(string Response, string Reason, int Count);

/// <summary>How many overdue-observation notices one reading had.</summary>
public sealed record OverdueCount(string Reading, int Count);

/// <summary>A ward's measures over the report's window (docs/reports.md defines each).</summary>
public sealed record WardMeasures(
    string Ward,
    int Episodes,
    FeverToGrade FeverToFirstGrade,
    GradeTwoToTocilizumab GradeTwoToTocilizumab,
    IReadOnlyList<AlertToAcknowledged> AlertToAcknowledged,
    IReadOnlyList<ReasonCount> Responses,
    IReadOnlyList<OverdueCount> OverdueNotices);

/// <summary>The report: its window and every ward's measures.</summary>
public sealed record ProgrammeReport(DateTimeOffset From, DateTimeOffset To, IReadOnlyList<WardMeasures> Wards);

/// <summary>
/// Folds events, in log order, into a toxicity programme's measures (docs/reports.md): per CRS episode that began in
/// [from, to], the time from the first fever (temperature ≥ 38.0 °C, ASTCT's fever, CLINICAL-RULES.md R-CRS-1) to the
/// first CRS grade published, and from the first grade ≥ 2 to tocilizumab recorded; per alert raised in the window,
/// the time to its acknowledgement by the tier it was raised for; the accept/decline answers by reason; the
/// overdue-observation notices by reading. Events up to <c>to</c> count; earlier ones are context (wards, fevers
/// before an episode's first grade). An event seen twice (a redelivery) counts once.
/// </summary>
public sealed class ProgrammeReportBuilder(DateTimeOffset from, DateTimeOffset to)
{
    /// <summary>The ASTCT fever (CLINICAL-RULES.md R-CRS-1): temperature ≥ 38.0 °C.</summary>
    public const double FeverCelsius = 38.0;

    private readonly HashSet<Guid> _seen = [];
    private readonly Dictionary<string, string> _wards = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PatientState> _patients = new(StringComparer.Ordinal);
    private readonly List<Episode> _episodes = [];
    private readonly Dictionary<Guid, (string Ward, string Tier, DateTimeOffset RaisedAt)> _alerts = [];
    private readonly Dictionary<Guid, DateTimeOffset> _acknowledged = [];
    private readonly List<(string Ward, string Response, string Reason)> _responses = [];
    private readonly List<(string Ward, string Reading)> _overdue = [];

    public void Add(IPatientEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e.ObservedAt > to || !_seen.Add(e.EventId))
        {
            return;
        }

        var patient = Patient(e.PatientId);
        switch (e)
        {
            case PatientAdmitted a when a.Ward is { } ward:
                _wards[a.PatientId] = ward;
                break;
            case PatientDetailsUpdated d when d.Ward is { } ward:
                _wards[d.PatientId] = ward;
                break;
            case VitalSignsRecorded { TemperatureC: >= FeverCelsius } v when patient.Episode is null:
                patient.FirstFever ??= v.ObservedAt;
                break;
            case CrsGradeChanged c when c.PreviousGrade == 0 && c.NewGrade >= 1:
                patient.Episode = c.ObservedAt >= from ? new Episode(Ward(c.PatientId), patient.FirstFever, c.RecordedAt) : null;
                if (patient.Episode is { } opened)
                {
                    _episodes.Add(opened);
                }

                Reached(patient, c);
                break;
            case CrsGradeChanged c when c.NewGrade == 0:
                patient.Episode = null;
                patient.FirstFever = null;
                break;
            case CrsGradeChanged c:
                Reached(patient, c);
                break;
            case TreatmentAdministered { Kind: "tocilizumab" } t when patient.Episode is { GradeTwoAt: { } since, TocilizumabAt: null } episode && t.ObservedAt >= since:
                episode.TocilizumabAt = t.ObservedAt;
                break;
            case AlertRaised { Kind: not "notice", Tier: { } tier } r when r.RecordedAt >= from:
                _alerts[r.EventId] = (r.Ward ?? Ward(r.PatientId), tier, r.RecordedAt);
                break;
            case AlertAcknowledged ack:
                _acknowledged.TryAdd(ack.AlertId, ack.ObservedAt);
                break;
            case AlertResponded answer when answer.ObservedAt >= from:
                _responses.Add((_alerts.TryGetValue(answer.AlertId, out var alert) ? alert.Ward : Ward(answer.PatientId), answer.Response, answer.Reason));
                break;
            case ObservationOverdue { Status: "overdue" } overdue when overdue.ObservedAt >= from:
                _overdue.Add((Ward(overdue.PatientId), overdue.Reading));
                break;
            default:
                break;
        }
    }

    /// <summary>The measures of every ward seen, or of <paramref name="ward"/> alone.</summary>
    public ProgrammeReport Build(string? ward = null)
    {
        var wards = _episodes.Select(e => e.Ward).Concat(_alerts.Values.Select(a => a.Ward)).Concat(_responses.Select(r => r.Ward)).Concat(_overdue.Select(o => o.Ward))
            .Distinct(StringComparer.Ordinal).Where(w => ward is null || w == ward).Order(StringComparer.Ordinal);
        return new ProgrammeReport(from, to, [.. wards.Select(Measures)]);
    }

    private WardMeasures Measures(string ward)
    {
        var episodes = _episodes.Where(e => e.Ward == ward).ToList();
        var reachedTwo = episodes.Where(e => e.GradeTwoAt is not null).ToList();
        var alerts = _alerts.Where(a => a.Value.Ward == ward).ToList();
        return new WardMeasures(
            ward,
            episodes.Count,
            new FeverToGrade(Durations.Of(episodes.Where(e => e.FeverAt is not null).Select(e => e.FirstGradeAt - e.FeverAt!.Value)), episodes.Count(e => e.FeverAt is null)),
            new GradeTwoToTocilizumab(Durations.Of(reachedTwo.Where(e => e.TocilizumabAt is not null).Select(e => e.TocilizumabAt!.Value - e.GradeTwoAt!.Value)),
                reachedTwo.Count(e => e.TocilizumabAt is null)),
            [.. alerts.GroupBy(a => a.Value.Tier, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => new AlertToAcknowledged(g.Key,
                Durations.Of(g.Where(a => _acknowledged.ContainsKey(a.Key)).Select(a => _acknowledged[a.Key] - a.Value.RaisedAt)),
                g.Count(a => !_acknowledged.ContainsKey(a.Key))))],
            [.. _responses.Where(r => r.Ward == ward).GroupBy(r => (r.Response, r.Reason)).OrderBy(g => g.Key.Response, StringComparer.Ordinal)
                .ThenBy(g => g.Key.Reason, StringComparer.Ordinal).Select(g => new ReasonCount(g.Key.Response, g.Key.Reason, g.Count()))],
            [.. _overdue.Where(o => o.Ward == ward).GroupBy(o => o.Reading, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => new OverdueCount(g.Key, g.Count()))]);
    }

    private static void Reached(PatientState patient, CrsGradeChanged change)
    {
        if (change.NewGrade >= 2 && patient.Episode is { GradeTwoAt: null } episode)
        {
            episode.GradeTwoAt = change.ObservedAt;
        }
    }

    private string Ward(string patientId) => _wards.GetValueOrDefault(patientId) ?? "(no ward)";

    private PatientState Patient(string patientId)
    {
        if (!_patients.TryGetValue(patientId, out var state))
        {
            _patients[patientId] = state = new PatientState();
        }

        return state;
    }

    private sealed class PatientState
    {
        public DateTimeOffset? FirstFever { get; set; }

        public Episode? Episode { get; set; }
    }

    private sealed class Episode(string ward, DateTimeOffset? feverAt, DateTimeOffset firstGradeAt)
    {
        public string Ward => ward;

        public DateTimeOffset? FeverAt => feverAt;

        public DateTimeOffset FirstGradeAt => firstGradeAt;

        public DateTimeOffset? GradeTwoAt { get; set; }

        public DateTimeOffset? TocilizumabAt { get; set; }
    }
}

using System.Text.Json;
using Toxicity.Contracts;
using Toxicity.Contracts.V1;
using Toxicity.Grading;
using Toxicity.Grading.Events;
using Toxicity.Grading.Timeline;
using Toxicity.Hosting;

namespace Toxicity.Audit.Service;

/// <summary>A grade change as recorded in the log or as the current engine decides it again.</summary>
internal sealed record RegradedChange(int PreviousGrade, int NewGrade, string RuleSet, IReadOnlyList<string> Criteria);

/// <summary>One difference: for a cause and a scale, what was recorded and what the engine decides now (null: none).</summary>
internal sealed record RegradeDifference(string PatientId, string Scale, Guid CausedByEventId, DateTimeOffset ObservedAt, RegradedChange? Recorded, RegradedChange? Regraded);

/// <summary>What <c>POST /api/v1/audit/regrade</c> answers; no differences means the recorded grades are what the rules give.</summary>
internal sealed record RegradeReport(string RuleSet, int Patients, int RecordedChanges, int RegradedChanges, IReadOnlyList<RegradeDifference> Differences);

/// <summary>
/// Re-grading (issue 9): each patient's recorded observations, read from the store in log order (the order Grading
/// decided in), go through the current grading engine (the shared <see cref="PatientGrades"/> and
/// <see cref="GradingObservations"/>, exactly what Grading runs); every change it decides is compared with the
/// CrsGradeChanged/IcansGradeChanged recorded for the same cause. A window selects the patients with events in it and
/// the differences whose cause is in it; each patient is still replayed from their first event, since a grade depends
/// on what came before.
/// </summary>
internal sealed class Regrader(AuditStore store)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The rule sets this version can re-grade with: the current one (older versions are not kept in this build).</summary>
    public static IReadOnlyList<string> RuleSets { get; } = [RuleSet.Astct2019.Id];

    public RegradeReport Run(string? patientId, DateTimeOffset? from, DateTimeOffset? to)
    {
        using var connection = store.OpenReader();
        var patients = patientId is not null ? [patientId] : Patients(connection, from, to);
        var differences = new List<RegradeDifference>();
        int recordedCount = 0, regradedCount = 0;
        foreach (var patient in patients)
        {
            var recorded = new Dictionary<(string, Guid), (DateTimeOffset At, RegradedChange Change)>();
            var regraded = new Dictionary<(string, Guid), (DateTimeOffset At, RegradedChange Change)>();
            var grades = new PatientGrades();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT type, event FROM entries WHERE kind = 'event' AND patient_id = $patient ORDER BY log_offset";
            command.Parameters.AddWithValue("$patient", patient);
            using var rows = command.ExecuteReader();
            while (rows.Read())
            {
                if (!EventLog.TypesByWireName.TryGetValue(rows.GetString(0), out var type) || JsonSerializer.Deserialize(rows.GetString(1), type, Json) is not IPatientEvent e)
                {
                    continue;
                }

                switch (e)
                {
                    case CrsGradeChanged c:
                        recorded.TryAdd(("crs", c.CausedByEventId), (c.ObservedAt, new RegradedChange(c.PreviousGrade, c.NewGrade, c.RuleSet, c.Criteria)));
                        break;
                    case IcansGradeChanged i:
                        recorded.TryAdd(("icans", i.CausedByEventId), (i.ObservedAt, new RegradedChange(i.PreviousGrade, i.NewGrade, i.RuleSet, i.Criteria)));
                        break;
                    case var observed when GradingObservations.From(observed) is { } observation:
                        foreach (var change in grades.Record(observation))
                        {
                            var result = change.Point.Result!;
                            var (scale, ruleSet, criteria) = change.Scale == GradeScale.Crs
                                ? ("crs", result.AstctCrs.RuleSet.Id, result.AstctCrs.Criteria.Select(c => c.Code))
                                : ("icans", result.AstctIcans.RuleSet.Id, result.AstctIcans.Criteria.Select(c => c.Code));
                            regraded.TryAdd((scale, change.Cause.Id), (change.Cause.At, new RegradedChange(change.PreviousGrade, change.NewGrade, ruleSet, [.. criteria])));
                        }

                        break;
                }
            }

            recordedCount += recorded.Count;
            regradedCount += regraded.Count;
            foreach (var key in recorded.Keys.Union(regraded.Keys))
            {
                var was = recorded.TryGetValue(key, out var r) ? r : default;
                var now = regraded.TryGetValue(key, out var g) ? g : default;
                var at = was.Change is not null ? was.At : now.At;
                if ((from is null || at >= from) && (to is null || at <= to) && !Same(was.Change, now.Change))
                {
                    differences.Add(new RegradeDifference(patient, key.Item1, key.Item2, at, was.Change, now.Change));
                }
            }
        }

        return new RegradeReport(RuleSets[0], patients.Count, recordedCount, regradedCount,
            [.. differences.OrderBy(d => d.ObservedAt).ThenBy(d => d.PatientId, StringComparer.Ordinal)]);
    }

    private static bool Same(RegradedChange? a, RegradedChange? b) =>
        a is not null && b is not null && a.PreviousGrade == b.PreviousGrade && a.NewGrade == b.NewGrade && a.RuleSet == b.RuleSet
        && a.Criteria.SequenceEqual(b.Criteria, StringComparer.Ordinal);

    private static List<string> Patients(Microsoft.Data.Sqlite.SqliteConnection connection, DateTimeOffset? from, DateTimeOffset? to)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT DISTINCT patient_id FROM entries WHERE kind = 'event' AND patient_id <> '*'"
            + (from is not null ? " AND observed_at >= $from" : string.Empty) + (to is not null ? " AND observed_at <= $to" : string.Empty)
            + " ORDER BY patient_id";
        if (from is { } f)
        {
            command.Parameters.AddWithValue("$from", f.ToUnixTimeMilliseconds());
        }

        if (to is { } t)
        {
            command.Parameters.AddWithValue("$to", t.ToUnixTimeMilliseconds());
        }

        using var rows = command.ExecuteReader();
        var patients = new List<string>();
        while (rows.Read())
        {
            patients.Add(rows.GetString(0));
        }

        return patients;
    }
}

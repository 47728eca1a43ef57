using System.Text.Json;
using Microsoft.Data.Sqlite;
using Toxicity.Contracts;
using Toxicity.Contracts.V1;
using Toxicity.Grading;
using Toxicity.Grading.Events;
using Toxicity.Grading.Timeline;
using Toxicity.Grading.V2;
using Toxicity.Hosting;

namespace Toxicity.Audit.Service;

/// <summary>A grade change as recorded in the log or as a rule set decides it again.</summary>
internal sealed record RegradedChange(int PreviousGrade, int NewGrade, string RuleSet, IReadOnlyList<string> Criteria, bool LowerBound = false, bool Provisional = false);

/// <summary>
/// One difference for a cause and a scale: what was recorded (or, with <c>compareTo</c>, what that rule set decides:
/// <see cref="ComparedTo"/>) and what <c>ruleSet</c> decides now (<see cref="Regraded"/>); null where one side decides no change.
/// </summary>
internal sealed record RegradeDifference(
    string PatientId, string Scale, Guid CausedByEventId, DateTimeOffset ObservedAt, RegradedChange? Recorded, RegradedChange? Regraded, RegradedChange? ComparedTo);

/// <summary>
/// What <c>POST /api/v1/audit/regrade</c> answers; no differences means the two sides agree. Without <see cref="CompareTo"/>
/// the sides are the changes recorded in the log and those <see cref="RuleSet"/> decides; with it, the changes each rule
/// set decides for the recorded observations (<see cref="RecordedChanges"/> is then the count under <see cref="CompareTo"/>).
/// </summary>
internal sealed record RegradeReport(string RuleSet, string? CompareTo, int Patients, int RecordedChanges, int RegradedChanges, IReadOnlyList<RegradeDifference> Differences);

/// <summary>
/// Re-grading (issue 9, rule sets side by side: CLINICAL-RULES.md §8.5): each patient's recorded observations (and clock
/// reviews), read from the store in log order (the order Grading decided in), go through a rule set's engine exactly as
/// Grading runs it (the shared <see cref="GradingObservations"/>, <see cref="PatientGrades"/> for the frozen
/// <c>astct-2019/1</c>, <see cref="PatientGradesV2"/> for <c>astct-2019/2</c>, with the site's windows); what was recorded
/// before the log's <see cref="RuleSetAdopted"/> reads as it meant then (an <c>awakensSpontaneously</c> under /1 meant
/// alert). Every change decided is compared with the recorded change for the same cause, or with what another rule set
/// decides. A window selects the patients with events in it and the differences whose cause is in it; each patient is
/// still replayed from their first event. An audit view: nothing is published.
/// </summary>
internal sealed class Regrader(AuditStore store, GradingWindows windows)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly string AdoptedType = EventLog.WireName(typeof(RuleSetAdopted));

    /// <summary>The rule sets this version can re-grade with.</summary>
    public static IReadOnlyList<string> RuleSets { get; } = [.. GradingRuleSets.All.Select(r => r.Id)];

    public RegradeReport Run(string? patientId, DateTimeOffset? from, DateTimeOffset? to, string ruleSet, string? compareTo)
    {
        using var connection = store.OpenReader();
        var adoptedAt = AdoptionOffset(connection);
        var patients = patientId is not null ? [patientId] : Patients(connection, from, to);
        var differences = new List<RegradeDifference>();
        int baseCount = 0, regradedCount = 0;
        foreach (var patient in patients)
        {
            var events = Events(connection, patient);
            var regraded = Replay(ruleSet, events, adoptedAt);
            var baseline = compareTo is null ? Recorded(events) : Replay(compareTo, events, adoptedAt);
            baseCount += baseline.Count;
            regradedCount += regraded.Count;
            foreach (var key in baseline.Keys.Union(regraded.Keys))
            {
                var was = baseline.TryGetValue(key, out var b) ? b : default;
                var now = regraded.TryGetValue(key, out var g) ? g : default;
                var at = was.Change is not null ? was.At : now.At;
                // Two rule sets are compared on what they decide, not on their names; the recorded changes on the rule set too.
                if ((from is null || at >= from) && (to is null || at <= to) && !Same(was.Change, now.Change, byRuleSet: compareTo is null))
                {
                    differences.Add(new RegradeDifference(patient, key.Scale, key.Cause, at,
                        compareTo is null ? was.Change : null, now.Change, compareTo is null ? null : was.Change));
                }
            }
        }

        return new RegradeReport(ruleSet, compareTo, patients.Count, baseCount, regradedCount,
            [.. differences.OrderBy(d => d.ObservedAt).ThenBy(d => d.PatientId, StringComparer.Ordinal)]);
    }

    private Dictionary<(string Scale, Guid Cause), (DateTimeOffset At, RegradedChange Change)> Replay(
        string ruleSet, IReadOnlyList<(long Offset, IPatientEvent Event)> events, long? adoptedAt)
    {
        var changes = new Dictionary<(string, Guid), (DateTimeOffset, RegradedChange)>();
        if (ruleSet == RuleSet.Astct2019.Id)
        {
            var grades = new PatientGrades();
            foreach (var (_, e) in events)
            {
                if (GradingObservations.FromV1(e) is not { } observation)
                {
                    continue;
                }

                foreach (var change in grades.Record(observation))
                {
                    var result = change.Point.Result!;
                    var scale = change.Scale == GradeScale.Crs ? result.AstctCrs.Criteria : result.AstctIcans.Criteria;
                    changes.TryAdd((Scale(change.Scale), change.Cause.Id),
                        (change.Cause.At, new RegradedChange(change.PreviousGrade, change.NewGrade, ruleSet, [.. scale.Select(c => c.Code)])));
                }
            }

            return changes;
        }

        var v2 = new PatientGradesV2(windows);
        foreach (var (offset, e) in events)
        {
            if (GradingObservations.FromV2(e, recordedUnderV1: adoptedAt is null || offset < adoptedAt) is not { } observation)
            {
                continue;
            }

            foreach (var change in v2.Record(observation).Changes)
            {
                var result = change.Point.Result!;
                var criteria = change.Scale == GradeScale.Crs ? result.AstctCrs.Criteria : result.AstctIcans.Criteria;
                changes.TryAdd((Scale(change.Scale), change.Cause.Id), (change.Cause.At, new RegradedChange(change.PreviousGrade, change.Grade.Grade, ruleSet,
                    [.. criteria.Select(c => c.Code)], change.Grade.LowerBound, change.Grade.Provisional)));
            }
        }

        return changes;
    }

    private static Dictionary<(string Scale, Guid Cause), (DateTimeOffset At, RegradedChange Change)> Recorded(IReadOnlyList<(long Offset, IPatientEvent Event)> events)
    {
        var recorded = new Dictionary<(string, Guid), (DateTimeOffset, RegradedChange)>();
        foreach (var (_, e) in events)
        {
            switch (e)
            {
                case CrsGradeChanged c:
                    recorded.TryAdd(("crs", c.CausedByEventId), (c.ObservedAt,
                        new RegradedChange(c.PreviousGrade, c.NewGrade, c.RuleSet, c.Criteria, c.LowerBound ?? false, c.Provisional ?? false)));
                    break;
                case IcansGradeChanged i:
                    recorded.TryAdd(("icans", i.CausedByEventId), (i.ObservedAt,
                        new RegradedChange(i.PreviousGrade, i.NewGrade, i.RuleSet, i.Criteria, i.LowerBound ?? false, i.Provisional ?? false)));
                    break;
            }
        }

        return recorded;
    }

    private static string Scale(GradeScale scale) => scale == GradeScale.Crs ? "crs" : "icans";

    private static bool Same(RegradedChange? a, RegradedChange? b, bool byRuleSet) =>
        a is not null && b is not null && a.PreviousGrade == b.PreviousGrade && a.NewGrade == b.NewGrade && (!byRuleSet || a.RuleSet == b.RuleSet)
        && a.LowerBound == b.LowerBound && a.Provisional == b.Provisional && a.Criteria.SequenceEqual(b.Criteria, StringComparer.Ordinal);

    /// <summary>The offset of the first cut-over to rule set /2 in the log (null: none, everything was recorded under /1).</summary>
    private static long? AdoptionOffset(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT log_offset, event FROM entries WHERE kind = 'event' AND type = $type ORDER BY log_offset";
        command.Parameters.AddWithValue("$type", AdoptedType);
        using var rows = command.ExecuteReader();
        while (rows.Read())
        {
            if (JsonSerializer.Deserialize<RuleSetAdopted>(rows.GetString(1), Json) is { } adopted && adopted.RuleSet == RuleSet.Astct2019v2.Id)
            {
                return rows.GetInt64(0);
            }
        }

        return null;
    }

    private static List<(long Offset, IPatientEvent Event)> Events(SqliteConnection connection, string patient)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT log_offset, type, event FROM entries WHERE kind = 'event' AND patient_id = $patient ORDER BY log_offset";
        command.Parameters.AddWithValue("$patient", patient);
        using var rows = command.ExecuteReader();
        var events = new List<(long, IPatientEvent)>();
        while (rows.Read())
        {
            if (EventLog.TypesByWireName.TryGetValue(rows.GetString(1), out var type) && JsonSerializer.Deserialize(rows.GetString(2), type, Json) is IPatientEvent e)
            {
                events.Add((rows.GetInt64(0), e));
            }
        }

        return events;
    }

    private static List<string> Patients(SqliteConnection connection, DateTimeOffset? from, DateTimeOffset? to)
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

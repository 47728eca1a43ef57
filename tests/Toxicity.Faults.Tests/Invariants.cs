using Toxicity.Alerting;
using static Toxicity.Faults.Tests.FaultRun;

namespace Toxicity.Faults.Tests;

/// <summary>
/// What must hold after the fault run, each as the list of what broke it (empty: it held). "Lost" and "twice" lines are
/// what the run's summary counts as losses and duplicates.
/// </summary>
internal static class Invariants
{
    private static readonly string[] Observations = ["PatientAdmitted", "VitalSignsRecorded", "NeuroAssessmentRecorded"];
    private static readonly string[] GradeChanges = ["CrsGradeChanged", "IcansGradeChanged"];

    /// <summary>Every observation answered 202 is in the log, under the one id it was given; nothing else is.</summary>
    public static IReadOnlyList<string> Recorded(FaultRun run)
    {
        var problems = run.Ward.Failures.Select(f => $"ward: {f}").ToList();
        var patients = run.Ward.Patients.ToHashSet(StringComparer.Ordinal);
        var logged = run.Log.Where(e => Observations.Contains(Type(e))).ToList();
        var ids = logged.Select(e => e.GetProperty("eventId").GetGuid()).ToHashSet();
        problems.AddRange(run.Ward.Accepted.Keys.Where(id => !ids.Contains(id)).Select(id => $"lost: {run.Ward.Accepted[id]} {id} was answered 202 and is not in the log"));
        // The wards' patients had nothing recorded but through their requests (the HL7 message went to a patient of its own).
        problems.AddRange(logged.Where(e => patients.Contains(e.GetProperty("patientId").GetString()!)).Select(e => e.GetProperty("eventId").GetGuid())
            .Where(id => !run.Ward.Accepted.ContainsKey(id)).Distinct()
            .Select(id => $"twice: the log holds an observation {id} no request was answered with (a second id for one request?)"));
        return problems;
    }

    /// <summary>The grade changes in the log are those the engine decides for the recorded observations (Audit's re-grade), each once.</summary>
    public static IReadOnlyList<string> Grades(FaultRun run)
    {
        var problems = run.Regrade.GetProperty("differences").EnumerateArray()
            .Select(d => $"lost or wrong: the engine and the log differ for {d.GetProperty("patientId").GetString()} {d.GetProperty("scale").GetString()} caused by {d.GetProperty("causedByEventId").GetGuid()}: recorded {d.GetProperty("recorded")}, decided {d.GetProperty("regraded")}")
            .ToList();
        problems.AddRange(Twice(run, [.. GradeChanges, "CtcaeCrsGradeChanged"]));
        foreach (var patient in run.Ward.Patients)
        {
            var crs = Changes(run, patient, "CrsGradeChanged");
            var icans = Changes(run, patient, "IcansGradeChanged");
            var (expectedCrs, expectedIcans) = run.Ward.Deteriorates(patient) ? ("0→1, 1→3", true) : (string.Empty, false);
            if (string.Join(", ", crs) != expectedCrs || icans.Count > 0 != expectedIcans)
            {
                problems.Add($"{patient}: CRS changes [{string.Join(", ", crs)}], ICANS [{string.Join(", ", icans)}]; the trajectory implies CRS [{expectedCrs}] and {(expectedIcans ? "an ICANS rise" : "no ICANS")}");
            }
        }

        return problems;
    }

    /// <summary>Every CRS grade change has its advice, once.</summary>
    public static IReadOnlyList<string> Advice(FaultRun run)
    {
        var problems = Twice(run, ["MitigationAdvised"]).ToList();
        var advised = run.Log.Where(e => Type(e) == "MitigationAdvised").Select(e => Event(e).GetProperty("causedByEventId").GetGuid()).ToHashSet();
        problems.AddRange(run.Log.Where(e => Type(e) == "CrsGradeChanged" && !advised.Contains(e.GetProperty("eventId").GetGuid()))
            .Select(e => $"lost: no advice for the CRS grade change {e.GetProperty("eventId").GetGuid()} of {e.GetProperty("patientId").GetString()}"));
        return problems;
    }

    /// <summary>
    /// Every grade change raised what the policy decides, once in the log, once on the clinician's screen (across its
    /// reconnections) and, unless a notice, at the pager (copies with the same webhook-id are the protocol's redelivery).
    /// </summary>
    public static IReadOnlyList<string> Alerts(FaultRun run)
    {
        var problems = Twice(run, ["AlertRaised"]).ToList();
        var alerts = run.Log.Where(e => Type(e) == "AlertRaised").DistinctBy(e => e.GetProperty("eventId").GetGuid()).ToList();
        foreach (var change in run.Log.Where(e => GradeChanges.Contains(Type(e))).DistinctBy(e => e.GetProperty("eventId").GetGuid()))
        {
            var id = change.GetProperty("eventId").GetGuid();
            var raised = alerts.Where(a => Event(a).GetProperty("causedByEventId").GetGuid() == id).ToList();
            var e = Event(change);
            var decision = AlertPolicy.Default.Decide(Type(change) == "CrsGradeChanged" ? AlertScale.Crs : AlertScale.Icans,
                e.GetProperty("previousGrade").GetInt32(), e.GetProperty("newGrade").GetInt32());
            if (raised.Count != 1)
            {
                problems.Add($"{(raised.Count == 0 ? "lost" : "twice")}: {raised.Count} alerts for the grade change {id}");
                continue;
            }

            var alert = Event(raised[0]);
            var (severity, tier) = (alert.GetProperty("severity").GetString(), alert.GetProperty("tier").GetString());
            if (!string.Equals(severity, decision.Severity.ToString(), StringComparison.OrdinalIgnoreCase) || tier != decision.Tier)
            {
                problems.Add($"the alert for {id} is {severity} to {tier}; the policy decides {decision.Severity} to {decision.Tier}");
            }
        }

        var shown = run.Screen.GroupBy(a => a.GetProperty("alertId").GetGuid()).ToDictionary(g => g.Key, g => g.Count());
        var paged = run.Pages.Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var alert in alerts)
        {
            var id = alert.GetProperty("eventId").GetGuid();
            var times = shown.GetValueOrDefault(id);
            if (times != 1)
            {
                problems.Add($"{(times == 0 ? "lost" : "twice")}: the alert {id} reached the screen {times} times");
            }

            if (Event(alert).GetProperty("kind").GetString() != "notice" && !paged.Contains(id.ToString()))
            {
                problems.Add($"lost: the alert {id} never reached the pager");
            }
        }

        var known = alerts.Select(a => a.GetProperty("eventId").GetGuid()).ToHashSet();
        problems.AddRange(shown.Keys.Where(id => !known.Contains(id)).Select(id => $"the screen showed an alert {id} the log does not hold"));
        return problems;
    }

    /// <summary>Each poison message is in its queue's <c>_error</c> queue with the reason that names its kind.</summary>
    public static IReadOnlyList<string> Poison(FaultRun run)
    {
        var problems = run.Skipped.Select(s => $"{s.Messages} messages set aside unseen in {s.Queue}").ToList();
        if (run.Poison.Count == 0)
        {
            problems.Add("no poison was put on any queue");
        }

        foreach (var poison in run.Poison)
        {
            var held = run.ErrorQueues.GetValueOrDefault(poison.Queue, []).Where(m => m.Payload.Contains(poison.Marker, StringComparison.Ordinal)).ToList();
            if (held.Count != 1)
            {
                problems.Add($"{poison.Kind} on {poison.Queue}: {held.Count} copies in {poison.Queue}_error");
                continue;
            }

            var reason = held[0].Headers.GetValueOrDefault("MT-Fault-Message", string.Empty);
            string[] expected = poison.Kind switch
            {
                "malformed-json" => ["JSON"],
                // The reason names the type the envelope gave, so that an operator sees which contract came.
                "unknown-contract-version" => ["unknown contract or contract version", ".V9:"],
                _ => ["patientId is missing or not a pseudonymous id"],
            };
            foreach (var words in expected.Where(w => !reason.Contains(w, StringComparison.OrdinalIgnoreCase)))
            {
                problems.Add($"{poison.Kind} on {poison.Queue}: the reason '{reason}' does not say '{words}'");
            }
        }

        return problems;
    }

    /// <summary>Nothing the run posted as a name or free text appears in any service's log.</summary>
    public static IReadOnlyList<string> Privacy(FaultRun run) =>
        [.. from log in run.Logs
            from text in PrivateText
            let at = log.Value.IndexOf(text, StringComparison.OrdinalIgnoreCase)
            where at >= 0
            select $"{log.Key}'s log holds '{text}': …{log.Value.Substring(Math.Max(0, at - 200), Math.Min(400, log.Value.Length - Math.Max(0, at - 200)))}…"];

    /// <summary>The lines of <see cref="Recorded"/> … <see cref="Alerts"/> that are losses, and those that are duplicates.</summary>
    public static (int Losses, int Duplicates) Count(FaultRun run)
    {
        List<string> all = [.. Recorded(run), .. Grades(run), .. Advice(run), .. Alerts(run)];
        return (all.Count(p => p.StartsWith("lost", StringComparison.Ordinal)), all.Count(p => p.StartsWith("twice", StringComparison.Ordinal)));
    }

    private static List<string> Changes(FaultRun run, string patient, string type) =>
        [.. run.Log.Where(e => Type(e) == type && e.GetProperty("patientId").GetString() == patient).DistinctBy(e => e.GetProperty("eventId").GetGuid())
            .Select(e => $"{Event(e).GetProperty("previousGrade").GetInt32()}→{Event(e).GetProperty("newGrade").GetInt32()}")];

    /// <summary>Two different events of one of <paramref name="types"/> for the same cause: an effect taken twice.</summary>
    private static IEnumerable<string> Twice(FaultRun run, string[] types) =>
        run.Log.Where(e => types.Contains(Type(e)) && Event(e).TryGetProperty("causedByEventId", out _))
            .GroupBy(e => (Type(e), Event(e).GetProperty("causedByEventId").GetGuid()))
            .Where(g => g.Select(e => e.GetProperty("eventId").GetGuid()).Distinct().Count() > 1)
            .Select(g => $"twice: {g.Select(e => e.GetProperty("eventId").GetGuid()).Distinct().Count()} different {g.Key.Item1} events for the cause {g.Key.Item2}");
}

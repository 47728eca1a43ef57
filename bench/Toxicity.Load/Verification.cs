using System.Text.Json;
using Toxicity.Contracts.V1;

namespace Toxicity.Load;

/// <summary>What the pipeline did with what the wards sent, counted: the smoke run fails on any line of <see cref="Failures"/>.</summary>
internal sealed record Verdict(int Accepted, int Recorded, int GradeChanges, int Alerts, int Advice, int ScreenAlerts, IReadOnlyList<string> Failures);

/// <summary>
/// Nothing lost, nothing twice: every observation answered 202 is on the bus exactly once; every CRS grade the
/// accepted observations showed is exactly one grade change, one alert on the bus, one alert on the clinicians' screen
/// and one advice, in order; a patient who stayed well has none.
/// </summary>
internal static class Verification
{
    public static Verdict Check(Ward ward, IReadOnlyList<Arrival> arrivals, IReadOnlyList<(TimeSpan At, JsonElement Alert)> screen,
        IReadOnlySet<Guid> accepted, IReadOnlySet<(string Patient, int Grade)> owed)
    {
        var failures = new List<string>();
        var patients = ward.Patients.ToHashSet(StringComparer.Ordinal);
        var mine = arrivals.Where(a => patients.Contains(a.PatientId)).ToList();

        var vitals = mine.Where(a => a.Type == nameof(VitalSignsRecorded)).GroupBy(a => a.EventId).ToDictionary(g => g.Key, g => g.Count());
        failures.AddRange(accepted.Where(id => !vitals.ContainsKey(id)).Select(id => $"lost: the observation {id} was answered 202 and never reached the bus"));
        failures.AddRange(vitals.Where(v => v.Value > 1).Select(v => $"twice: the observation {v.Key} reached the bus {v.Value} times"));

        failures.AddRange(Duplicates(mine, nameof(CrsGradeChanged)));
        failures.AddRange(Duplicates(mine, nameof(AlertRaised)));
        failures.AddRange(Duplicates(mine, nameof(MitigationAdvised)));
        var changes = mine.Where(a => a.Type == nameof(CrsGradeChanged)).DistinctBy(a => a.EventId).ToList();
        var alerts = mine.Where(a => a.Type == nameof(AlertRaised) && a.Message.GetProperty("scale").GetString() == "crs").DistinctBy(a => a.EventId).ToList();
        var advice = mine.Where(a => a.Type == nameof(MitigationAdvised)).DistinctBy(a => a.EventId).ToList();
        var onScreen = screen.Where(s => patients.Contains(s.Alert.GetProperty("patientId").GetString()!) && s.Alert.GetProperty("scale").GetString() == "crs").ToList();
        failures.AddRange(onScreen.GroupBy(s => s.Alert.GetProperty("alertId").GetGuid()).Where(g => g.Count() > 1)
            .Select(g => $"twice: the alert {g.Key} reached the screen {g.Count()} times"));

        foreach (var patient in ward.Patients)
        {
            var expected = owed.Where(o => o.Patient == patient).Select(o => o.Grade).Order().ToList();
            var published = changes.Where(c => c.PatientId == patient).Select(c => c.Message.GetProperty("newGrade").GetInt32()).ToList();
            Compare(failures, patient, "CRS grade changes", expected, published);
            Compare(failures, patient, "alerts on the bus", expected, [.. alerts.Where(a => a.PatientId == patient).Select(a => a.Message.GetProperty("newGrade").GetInt32())]);
            Compare(failures, patient, "alerts on the screen", expected,
                [.. onScreen.Where(s => s.Alert.GetProperty("patientId").GetString() == patient).Select(s => s.Alert.GetProperty("newGrade").GetInt32()).Distinct()]);
            var causes = changes.Where(c => c.PatientId == patient).Select(c => c.EventId).ToHashSet();
            var advised = advice.Where(a => a.PatientId == patient).Select(a => a.Message.GetProperty("causedByEventId").GetGuid()).ToList();
            if (!causes.SetEquals(advised) || advised.Count != causes.Count)
            {
                failures.Add($"{patient}: {causes.Count} CRS grade changes and {advised.Count} advice events for them ({string.Join(", ", advised)})");
            }
        }

        return new Verdict(accepted.Count, vitals.Count(v => accepted.Contains(v.Key)), changes.Count, alerts.Count, advice.Count, onScreen.Count, failures);
    }

    private static IEnumerable<string> Duplicates(IEnumerable<Arrival> arrivals, string type) =>
        arrivals.Where(a => a.Type == type).GroupBy(a => a.EventId).Where(g => g.Count() > 1)
            .Select(g => $"twice: {type} {g.Key} of {g.First().PatientId} reached the bus {g.Count()} times");

    private static void Compare(List<string> failures, string patient, string what, List<int> expected, List<int> published)
    {
        if (!expected.SequenceEqual(published))
        {
            failures.Add($"{patient}: {what} to grades [{string.Join(", ", published)}], expected [{string.Join(", ", expected)}]");
        }
    }
}

/// <summary>Observation → grade change (on the bus) and → alert (on the clinicians' screen), from the send of the observation.</summary>
internal sealed record Latencies(Latency ToTap, Latency ToLogReader, Latency ToGradeChange, Latency ToAlertOnTheBus, Latency ToAlert)
{
    public static Latencies Of(IReadOnlyDictionary<Guid, TimeSpan> accepted, IReadOnlyDictionary<(string Patient, int Grade), TimeSpan> sent,
        IReadOnlyList<Arrival> arrivals, IReadOnlyDictionary<Guid, TimeSpan> readFromTheLog, IReadOnlyList<(TimeSpan At, JsonElement Alert)> screen)
    {
        var tapped = arrivals.Where(a => a.Type == nameof(VitalSignsRecorded)).GroupBy(a => a.EventId).ToDictionary(g => g.Key, g => g.Min(a => a.At));
        var changes = arrivals.Where(a => a.Type == nameof(CrsGradeChanged))
            .GroupBy(a => (a.PatientId, a.Message.GetProperty("newGrade").GetInt32())).ToDictionary(g => g.Key, g => g.Min(a => a.At));
        var raised = arrivals.Where(a => a.Type == nameof(AlertRaised) && a.Message.GetProperty("scale").GetString() == "crs")
            .GroupBy(a => (a.PatientId, a.Message.GetProperty("newGrade").GetInt32())).ToDictionary(g => g.Key, g => g.Min(a => a.At));
        var alerts = screen.Where(s => s.Alert.GetProperty("scale").GetString() == "crs")
            .GroupBy(s => (s.Alert.GetProperty("patientId").GetString()!, s.Alert.GetProperty("newGrade").GetInt32())).ToDictionary(g => g.Key, g => g.Min(s => s.At));
        return new Latencies(
            Latency.Of(accepted.Where(a => tapped.ContainsKey(a.Key)).Select(a => tapped[a.Key] - a.Value)),
            Latency.Of(accepted.Where(a => readFromTheLog.ContainsKey(a.Key)).Select(a => readFromTheLog[a.Key] - a.Value)),
            Latency.Of(sent.Where(s => changes.ContainsKey(s.Key)).Select(s => changes[s.Key] - s.Value)),
            Latency.Of(sent.Where(s => raised.ContainsKey(s.Key)).Select(s => raised[s.Key] - s.Value)),
            Latency.Of(sent.Where(s => alerts.ContainsKey(s.Key)).Select(s => alerts[s.Key] - s.Value)));
    }
}

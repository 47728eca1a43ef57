using System.Net;
using System.Text.Json;
using Toxicity.Contracts;
using Toxicity.Contracts.V1;
using Toxicity.Testing;

namespace Toxicity.Grading.Service.Tests;

/// <summary>One grade-change event as it reached the broker.</summary>
internal sealed record SeenChange(string Scale, Guid EventId, Guid CausedBy, int Previous, int New, JsonElement Message);

/// <summary>
/// What Grading published, read from a probe queue bound to the grade-change exchanges: wait until Grading has
/// folded every observation and published every change it decided (its own GET says so), then read the probe up
/// to a marker published after that. Nothing Grading published before the marker can be missing.
/// </summary>
internal sealed class GradeWatch(EventProbe probe, WardEvents ward)
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    public static Task<EventProbe> ProbeAsync(Uri broker) =>
        EventProbe.StartAsync(broker, [Exchange<CrsGradeChanged>(), Exchange<IcansGradeChanged>()]);

    public static string Exchange<T>() => $"{typeof(T).Namespace}:{typeof(T).Name}";

    /// <summary>Waits until <paramref name="patient"/> has <paramref name="observations"/> observations on the timeline and every change decided is in the log.</summary>
    public static async Task<JsonElement> SettledAsync(HttpClient grading, string patient, int observations) =>
        await Eventually.That(
            async () =>
            {
                using var response = await grading.GetAsync($"api/v1/patients/{patient}/grades");
                return response.StatusCode == HttpStatusCode.OK ? JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement : default;
            },
            body => body.ValueKind == JsonValueKind.Object
                && body.GetProperty("observations").GetInt32() == observations
                && body.GetProperty("history").EnumerateArray().All(h => h.GetProperty("kind").GetString() != "change" || h.GetProperty("published").GetBoolean()),
            Deadline,
            $"grading to fold {observations} observations of {patient} and publish every change");

    /// <summary>Every grade change published so far, by patient, in publication order.</summary>
    public async Task<IReadOnlyDictionary<string, List<SeenChange>>> ChangesAsync()
    {
        var marker = new CrsGradeChanged(Guid.NewGuid(), $"marker-{Guid.NewGuid():N}", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, Guid.NewGuid(), 0, 0, "marker", []);
        await ward.PublishAsync(marker);
        var events = await probe.DrainUntilAsync(marker.EventId, Deadline);
        return events.Where(e => e.GetProperty("eventId").GetGuid() != marker.EventId)
            .Select(e => (Patient: e.GetProperty("patientId").GetString()!, Change: new SeenChange(
                e.TryGetProperty("ctcaeRuleSet", out _) ? "crs" : "icans",
                e.GetProperty("eventId").GetGuid(),
                e.GetProperty("causedByEventId").GetGuid(),
                e.GetProperty("previousGrade").GetInt32(),
                e.GetProperty("newGrade").GetInt32(),
                e)))
            .GroupBy(x => x.Patient, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(x => x.Change).ToList(), StringComparer.Ordinal);
    }

    /// <summary>The changes as (scale, previous, new, index of the cause in <paramref name="course"/>).</summary>
    public static IEnumerable<(string, int, int, int)> Described(IEnumerable<SeenChange> changes, IReadOnlyList<IPatientEvent> course) =>
        changes.Select(c => (c.Scale, c.Previous, c.New, course.ToList().FindIndex(e => e.EventId == c.CausedBy)));
}

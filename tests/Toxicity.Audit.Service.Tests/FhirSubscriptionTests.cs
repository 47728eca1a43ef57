using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Toxicity.Contracts.V1;
using Toxicity.Testing;
using Xunit;

namespace Toxicity.Audit.Service.Tests;

/// <summary>
/// FHIR R4 Subscriptions to grade changes (Subscriptions R5 Backport IG; docs/fhir-grades.md "Subscriptions") with
/// Audit as a process on a real broker and a real HTTP receiver: handshake, notifications in order with their event
/// numbers, heartbeats, an outage (the status says error, <c>$events</c> recovers what was missed, the retry delivers
/// it in order), a restart of Audit (the numbering goes on), every notification valid R4 by Firely.
/// </summary>
public sealed class FhirSubscriptionTests : AuditProcess
{
    private const string Topic = "https://toxicity.dev/fhir/SubscriptionTopic/grade-changed";
    private const string Backport = "http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly ApiKey _clinician = new("ehr-subscriber", "clinician");
    private volatile bool _failing;

    protected override IEnumerable<KeyValuePair<string, string>> Settings() => _clinician.Settings(1);

    [Fact]
    public async Task A_rest_hook_subscription_gets_its_handshake_every_grade_change_in_order_heartbeats_and_what_an_outage_missed()
    {
        await using var receiver = WebhookReceiver.Start(_ => _failing ? 503 : 200);
        var patient = AuditTests.Patient();
        using var ehr = Audit.CreateClient(_clinician);
        var created = await PostAsync(ehr, Subscription(receiver.Url, patient, "full-resource", heartbeat: 2));
        Assert.Equal(HttpStatusCode.Created, created.Status);
        var id = created.Body["id"]!.GetValue<string>();
        Assert.EndsWith($"/fhir/r4/Subscription/{id}", created.Location, StringComparison.Ordinal);
        FhirGradesTests.Validate(created.Body);

        // The handshake, then the subscription is active.
        var handshake = await receiver.NextAsync(r => Type(r) == "handshake", Deadline, "the handshake");
        Assert.Equal("Bearer ehr-secret", handshake.Authorization);
        FhirGradesTests.Validate(JsonNode.Parse(handshake.Body)!);
        await Eventually.That(async () => (await GetAsync(ehr, $"fhir/r4/Subscription/{id}"))["status"]!.GetValue<string>(), s => s == "active", Deadline, "active");

        // Three grade changes of the patient (and one of another, filtered out): notified in order, numbered 1-3.
        var changes = Enumerable.Range(1, 3).Select(n => Change(patient, n)).ToList();
        await Events.PublishAsync(changes[0], Change(AuditTests.Patient(), 1), changes[1], changes[2]);
        var numbered = await Eventually.That(() => Task.FromResult(Notified(receiver)), n => n.Count >= 3, Deadline, "three event notifications");
        Assert.Equal([(1L, changes[0].EventId), (2L, changes[1].EventId), (3L, changes[2].EventId)], numbered);
        var notification = receiver.Received.Last(r => Type(r) == "event-notification");
        var bundle = JsonNode.Parse(notification.Body)!;
        FhirGradesTests.Validate(bundle);
        Assert.Equal("history", bundle["type"]!.GetValue<string>());
        // full-resource: the Observation itself after the status.
        Assert.Contains(bundle["entry"]!.AsArray(), e => e!["resource"]!["resourceType"]!.GetValue<string>() == "Observation"
            && e["resource"]!["id"]!.GetValue<string>() == changes[0].EventId.ToString());

        // A heartbeat while nothing happens, saying how many events there were.
        var heartbeat = await receiver.NextAsync(r => Type(r) == "heartbeat" && r.At > notification.At, Deadline, "a heartbeat after the events");
        Assert.Equal("3", Parameter(JsonNode.Parse(heartbeat.Body)!["entry"]![0]!["resource"]!, "events-since-subscription-start"));
        FhirGradesTests.Validate(JsonNode.Parse(heartbeat.Body)!);

        // An outage: the endpoint answers 503; the status says error with the reason; $events gives what was missed.
        _failing = true;
        var missed = Change(patient, 4);
        await Events.PublishAsync(missed);
        var status = await Eventually.That(async () => await GetAsync(ehr, $"fhir/r4/Subscription/{id}/$status"),
            s => Parameter(s["entry"]![0]!["resource"]!, "status") == "error" && Parameter(s["entry"]![0]!["resource"]!, "events-since-subscription-start") == "4",
            Deadline, "the error status with the fourth event numbered");
        FhirGradesTests.Validate(status);
        Assert.Equal("4", Parameter(status["entry"]![0]!["resource"]!, "events-since-subscription-start"));
        Assert.Contains("503", status["entry"]![0]!["resource"]!["parameter"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == "error")!["valueCodeableConcept"]!["text"]!.GetValue<string>(), StringComparison.Ordinal);
        var recovered = await GetAsync(ehr, $"fhir/r4/Subscription/{id}/$events?eventsSinceNumber=4&eventsUntilNumber=4&content=full-resource");
        FhirGradesTests.Validate(recovered);
        Assert.Equal([(4L, missed.EventId)], NotificationEvents(recovered));
        Assert.Equal("query-event", Parameter(recovered["entry"]![0]!["resource"]!, "type"));
        Assert.Contains(recovered["entry"]!.AsArray(), e => e!["resource"]!["id"]?.GetValue<string>() == missed.EventId.ToString());

        // The endpoint is back: the retry delivers event 4, after 1-3, and the subscription is active again.
        _failing = false;
        await Eventually.That(() => Task.FromResult(Notified(receiver)), n => n.Count >= 4, Deadline, "event 4 after the outage");
        Assert.Equal([1L, 2, 3, 4], Notified(receiver).Select(n => n.Number));
        await Eventually.That(async () => (await GetAsync(ehr, $"fhir/r4/Subscription/{id}"))["status"]!.GetValue<string>(), s => s == "active", Deadline, "active again");

        // Audit restarted: the subscription is still there, and the next change is event 5.
        await Audit.StopAsync();
        await Audit.StartAsync();
        var afterRestart = Change(patient, 5);
        await Events.PublishAsync(afterRestart);
        await Eventually.That(() => Task.FromResult(Notified(receiver)), n => n.Count >= 5, Deadline, "event 5 after a restart");
        Assert.Equal((5L, afterRestart.EventId), Notified(receiver)[^1]);
        Assert.Equal([1L, 2, 3, 4, 5], Notified(receiver).Select(n => n.Number));

        // Deleted: off, and nothing more is sent.
        using var ehrAgain = Audit.CreateClient(_clinician);
        Assert.Equal(HttpStatusCode.NoContent, (await ehrAgain.DeleteAsync($"fhir/r4/Subscription/{id}")).StatusCode);
        Assert.Equal("off", (await GetAsync(ehrAgain, $"fhir/r4/Subscription/{id}"))["status"]!.GetValue<string>());
        var sent = receiver.Received.Count;
        await Events.PublishAsync(Change(patient, 6));
        await Consistently.That(() => Task.FromResult(receiver.Received.Count), count => count == sent, TimeSpan.FromSeconds(3), "nothing sent to a deleted subscription");
    }

    [Fact]
    public async Task A_subscription_that_asks_for_what_is_not_served_is_refused_naming_the_element()
    {
        using var ehr = Audit.CreateClient(_clinician);
        var good = Subscription(new Uri("https://ehr.example.org/notify"), "p-1", "id-only");
        foreach (var (change, element) in new (Action<JsonObject>, string)[]
        {
            (s => s["criteria"] = "Observation?code=8310-5", "Subscription.criteria"),
            (s => s["channel"]!["type"] = "websocket", "Subscription.channel.type"),
            (s => s["channel"]!["endpoint"] = "not a url", "Subscription.channel.endpoint"),
            (s => s["channel"]!["payload"] = "application/fhir+xml", "Subscription.channel.payload"),
            (s => s["_criteria"] = new JsonObject { ["extension"] = new JsonArray(new JsonObject { ["url"] = Backport + "backport-filter-criteria", ["valueString"] = "Observation?status=final" }) }, "Subscription.criteria.extension"),
            (s => s["channel"]!["header"] = new JsonArray("no colon here"), "Subscription.channel.header"),
            (s => s["status"] = "active", "Subscription.status"),
        })
        {
            var asked = good.DeepClone().AsObject();
            change(asked);
            var refused = await PostAsync(ehr, asked);
            Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
            FhirGradesTests.Validate(refused.Body);
            Assert.Equal(element, refused.Body["issue"]![0]!["expression"]![0]!.GetValue<string>());
        }

        using var nobody = Audit.CreateClient();
        using var content = new StringContent(good.ToJsonString(), Encoding.UTF8, "application/fhir+json");
        Assert.Equal(HttpStatusCode.Unauthorized, (await nobody.PostAsync("fhir/r4/Subscription", content)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await ehr.GetAsync($"fhir/r4/Subscription/{Guid.NewGuid()}")).StatusCode);
    }

    private static JsonObject Subscription(Uri endpoint, string patient, string content, int? heartbeat = null)
    {
        var extensions = new JsonArray(new JsonObject { ["url"] = Backport + "backport-timeout", ["valueUnsignedInt"] = 5 });
        if (heartbeat is { } seconds)
        {
            extensions.Add(new JsonObject { ["url"] = Backport + "backport-heartbeat-period", ["valueUnsignedInt"] = seconds });
        }

        return new JsonObject
        {
            ["resourceType"] = "Subscription",
            ["meta"] = new JsonObject { ["profile"] = new JsonArray(Backport + "backport-subscription") },
            ["status"] = "requested",
            ["reason"] = "Grade changes for the EHR",
            ["criteria"] = Topic,
            ["_criteria"] = new JsonObject { ["extension"] = new JsonArray(new JsonObject { ["url"] = Backport + "backport-filter-criteria", ["valueString"] = $"Observation?subject=Patient/{patient}" }) },
            ["channel"] = new JsonObject
            {
                ["extension"] = extensions,
                ["type"] = "rest-hook",
                ["endpoint"] = endpoint.ToString(),
                ["payload"] = "application/fhir+json",
                ["_payload"] = new JsonObject { ["extension"] = new JsonArray(new JsonObject { ["url"] = Backport + "backport-payload-content", ["valueCode"] = content }) },
                ["header"] = new JsonArray("Authorization: Bearer ehr-secret"),
            },
        };
    }

    private static CrsGradeChanged Change(string patient, int n)
    {
        var at = DateTimeOffset.UtcNow.AddMinutes(-60 + n);
        return new CrsGradeChanged(Guid.NewGuid(), patient, at, at, Guid.NewGuid(), n - 1, n % 5, "astct-2019/2", ["crs.fever"]);
    }

    private static string? Type(ReceivedWebhook received) => Parameter(JsonNode.Parse(received.Body)!["entry"]![0]!["resource"]!, "type");

    private static string? Parameter(JsonNode parameters, string name) =>
        parameters["parameter"]!.AsArray().FirstOrDefault(p => p!["name"]!.GetValue<string>() == name)?["valueCode"]?.GetValue<string>()
        ?? parameters["parameter"]!.AsArray().FirstOrDefault(p => p!["name"]!.GetValue<string>() == name)?["valueString"]?.GetValue<string>();

    /// <summary>The (event number, focus id) of every event notification received, in order of arrival, each number once.</summary>
    private static List<(long Number, Guid EventId)> Notified(WebhookReceiver receiver) =>
        [.. receiver.Received.Where(r => Type(r) == "event-notification").SelectMany(r => NotificationEvents(JsonNode.Parse(r.Body)!)).Distinct()];

    private static IEnumerable<(long Number, Guid EventId)> NotificationEvents(JsonNode bundle) =>
        bundle["entry"]![0]!["resource"]!["parameter"]!.AsArray().Where(p => p!["name"]!.GetValue<string>() == "notification-event")
            .Select(p => (long.Parse(p!["part"]!.AsArray().Single(x => x!["name"]!.GetValue<string>() == "event-number")!["valueString"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture),
                Guid.Parse(p["part"]!.AsArray().Single(x => x!["name"]!.GetValue<string>() == "focus")!["valueReference"]!["reference"]!.GetValue<string>().Split('/')[^1])));

    private static async Task<(HttpStatusCode Status, JsonObject Body, string? Location)> PostAsync(HttpClient client, JsonObject subscription)
    {
        using var content = new StringContent(subscription.ToJsonString(), Encoding.UTF8, "application/fhir+json");
        using var response = await client.PostAsync("fhir/r4/Subscription", content);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject(), response.Headers.Location?.ToString());
    }

    private static async Task<JsonObject> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!.AsObject();
    }
}

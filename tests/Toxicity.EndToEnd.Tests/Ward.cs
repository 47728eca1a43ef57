using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Toxicity.Testing;

namespace Toxicity.EndToEnd.Tests;

/// <summary>What a ward system and an auditor do over HTTP, for the tests.</summary>
internal static class Ward
{
    public static string NewPatientId() => $"e2e-{Guid.NewGuid():N}"[..20];

    /// <summary>A new patient, admitted through Ingestion as a ward system does it first.</summary>
    public static async Task<string> AdmitNewPatientAsync(ToxicitySystem system)
    {
        var patientId = NewPatientId();
        using var http = system.Ingestion.CreateClient(system.WardKey);
        using var response = await http.PutAsJsonAsync($"api/v1/patients/{patientId}", new { ageYears = 58, weightKg = 72.5, diagnosis = "DLBCL", ward = "haem-3" });
        await Expect(response, HttpStatusCode.Accepted);
        return patientId;
    }

    public static async Task<Guid> PostTemperatureAsync(ToxicitySystem system, string patientId, double celsius)
    {
        using var http = system.Ingestion.CreateClient(system.WardKey);
        using var response = await http.PostAsJsonAsync("api/v1/vital-signs", new
        {
            patientId,
            observedAt = DateTimeOffset.UtcNow,
            temperature = new { value = celsius, unit = "Cel" },
            heartRate = 104,
            // The whole set a ward charts (rule set /2: an unreported blood pressure or oxygen makes CRS a lower bound).
            hypotensive = false,
            vasopressors = Array.Empty<object>(),
            oxygen = new { device = "none" },
        });
        var body = await Expect(response, HttpStatusCode.Accepted);
        return JsonDocument.Parse(body).RootElement.GetProperty("eventId").GetGuid();
    }

    /// <summary>Posts one JSON body to an Ingestion resource as the ward system; returns the event id it was given.</summary>
    public static async Task<Guid> PostAsync(ToxicitySystem system, string resource, object body)
    {
        using var http = system.Ingestion.CreateClient(system.WardKey);
        using var response = await http.PostAsJsonAsync($"api/v1/{resource}", body);
        return JsonDocument.Parse(await Expect(response, HttpStatusCode.Accepted)).RootElement.GetProperty("eventId").GetGuid();
    }

    private static async Task<string> Expect(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != status)
        {
            throw new InvalidOperationException($"ingestion answered {(int)response.StatusCode}, not {(int)status}: {body}");
        }

        return body;
    }

    /// <summary>The audit log's events for one patient, in log order.</summary>
    public static async Task<IReadOnlyList<JsonElement>> AuditEventsAsync(ServiceProcess audit, string patientId)
    {
        using var http = audit.CreateClient(Auditor);
        var text = await http.GetStringAsync($"api/v1/audit/events?patientId={patientId}");
        // Each export is itself recorded under the patient (AuditRequested); these tests look at the clinical events only.
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement.Clone())
            .Where(e => Type(e) != "Toxicity.Contracts.V1:AuditRequested")];
    }

    /// <summary>Waits until the audit log holds, for the patient, at least the given number of events of each type.</summary>
    public static Task<IReadOnlyList<JsonElement>> AuditEventuallyAsync(ServiceProcess audit, string patientId, params string[] types) =>
        Eventually.That(
            () => AuditEventsAsync(audit, patientId),
            events => types.GroupBy(t => t).All(g => events.Count(e => Type(e) == g.Key) >= g.Count()),
            TimeSpan.FromSeconds(30),
            $"audit log of {patientId} holds {string.Join(", ", types)}");

    public static string Type(JsonElement auditEvent) => auditEvent.GetProperty("type").GetString()!;

    public static Guid EventId(JsonElement auditEvent) => auditEvent.GetProperty("eventId").GetGuid();

    public static JsonElement Message(JsonElement auditEvent) => auditEvent.GetProperty("event");

    /// <summary>The auditor's key the system's Audit service is configured with.</summary>
    public static ApiKey Auditor { get; } = new("quality-auditor", "auditor");
}

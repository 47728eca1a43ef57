using System.Text.Json;

namespace Toxicity.Audit.Service;

internal static class AuditEndpoints
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static RouteGroupBuilder MapAuditEndpoints(this RouteGroupBuilder api)
    {
        // NDJSON, one event a line, in log order. Streamed line by line; the filters, signatures and chain are issue 9.
        api.MapGet("/audit/events", async (AuditLog log, string? patientId, HttpResponse response, CancellationToken cancellationToken) =>
        {
            response.ContentType = "application/x-ndjson";
            foreach (var record in log.Events(patientId))
            {
                await JsonSerializer.SerializeAsync(response.Body, record, Json, cancellationToken);
                await response.Body.WriteAsync("\n"u8.ToArray(), cancellationToken);
            }
        });
        return api;
    }
}

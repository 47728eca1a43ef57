using System.Text.Json;

namespace Toxicity.Audit.Service;

/// <summary>One event as the log holds it: its offset in the stream, its wire type and the event itself.</summary>
internal sealed record AuditRecord(
    long Offset,
    string Type,
    Guid EventId,
    string PatientId,
    DateTimeOffset ObservedAt,
    DateTimeOffset RecordedAt,
    JsonElement Message)
{
    private const string MessageUrnPrefix = "urn:message:";

    /// <summary>
    /// Reads a MassTransit envelope (<c>application/vnd.masstransit+json</c>): the first <c>messageType</c> URN is
    /// the event's own type, <c>message</c> the event. Null for a body that is not a Toxicity event.
    /// </summary>
    public static AuditRecord? FromEnvelope(long offset, ReadOnlyMemory<byte> body)
    {
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        if (!root.TryGetProperty("messageType", out var types) || types.ValueKind != JsonValueKind.Array || types.GetArrayLength() == 0
            || !root.TryGetProperty("message", out var message) || message.ValueKind != JsonValueKind.Object
            || !message.TryGetProperty("eventId", out var eventId) || !eventId.TryGetGuid(out var id)
            || !message.TryGetProperty("patientId", out var patientId) || patientId.GetString() is not { } patient
            || !message.TryGetProperty("observedAt", out var observedAt) || !observedAt.TryGetDateTimeOffset(out var observed)
            || !message.TryGetProperty("recordedAt", out var recordedAt) || !recordedAt.TryGetDateTimeOffset(out var recorded))
        {
            return null;
        }

        var type = types[0].GetString() ?? string.Empty;
        if (type.StartsWith(MessageUrnPrefix, StringComparison.Ordinal))
        {
            type = type[MessageUrnPrefix.Length..];
        }

        return new AuditRecord(offset, type, id, patient, observed, recorded, message.Clone());
    }
}

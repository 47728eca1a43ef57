using System.Text.Json;
using Toxicity.Hosting;

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
    /// <summary>The record of an event the follower read from the log; <see cref="Message"/> is the event as published.</summary>
    public static AuditRecord From(LoggedEvent entry) => new(
        entry.Offset,
        entry.Type,
        entry.Event.EventId,
        entry.Event.PatientId,
        entry.Event.ObservedAt,
        entry.Event.RecordedAt,
        entry.Message);
}

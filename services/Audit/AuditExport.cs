using System.Buffers;
using System.Text.Json;
using Toxicity.Hosting;

namespace Toxicity.Audit.Service;

/// <summary>An export's filters, validated: a patient, a window of clinical time (observedAt), event types (wire names).</summary>
internal sealed record ExportQuery(string? PatientId, DateTimeOffset? From, DateTimeOffset? To, IReadOnlyList<string> Types)
{
    public bool Filtered => PatientId is not null || From is not null || To is not null || Types.Count > 0;
}

/// <summary>
/// The export: the stored entries in log order as NDJSON, read from SQLite row by row and written to the response as
/// they are read (flushed every 256 lines), so memory does not grow with the size of the answer. Each line carries the
/// offset, the signature status, the chain hash, the event and the exact body (base64), enough to verify the chain
/// offline from an unfiltered export (docs/audit.md).
/// </summary>
internal static class AuditExport
{
    private const int FlushEvery = 256;

    public static async Task WriteAsync(AuditStore store, ExportQuery query, HttpResponse response, CancellationToken cancellationToken)
    {
        using var connection = store.OpenReader();
        using var command = connection.CreateCommand();
        var where = new List<string>();
        if (query.Filtered)
        {
            where.Add("kind = 'event'");
        }

        if (query.PatientId is not null)
        {
            where.Add("patient_id = $patientId");
            command.Parameters.AddWithValue("$patientId", query.PatientId);
        }

        if (query.From is { } from)
        {
            where.Add("observed_at >= $from");
            command.Parameters.AddWithValue("$from", from.ToUnixTimeMilliseconds());
        }

        if (query.To is { } to)
        {
            where.Add("observed_at <= $to");
            command.Parameters.AddWithValue("$to", to.ToUnixTimeMilliseconds());
        }

        if (query.Types.Count > 0)
        {
            where.Add($"type IN ({string.Join(", ", query.Types.Select((_, i) => $"$type{i}"))})");
            for (var i = 0; i < query.Types.Count; i++)
            {
                command.Parameters.AddWithValue($"$type{i}", query.Types[i]);
            }
        }

        command.CommandText = "SELECT log_offset, kind, type, event_id, patient_id, key_id, status, chain, body, event FROM entries"
            + (where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : string.Empty) + " ORDER BY log_offset";

        response.ContentType = "application/x-ndjson";
        var output = response.BodyWriter;
        await using var json = new Utf8JsonWriter(output);
        using var rows = await command.ExecuteReaderAsync(cancellationToken);
        var lines = 0;
        while (await rows.ReadAsync(cancellationToken))
        {
            json.Reset(output);
            json.WriteStartObject();
            json.WriteNumber("offset", rows.GetInt64(0));
            json.WriteString("kind", rows.GetString(1));
            WriteNullable(json, "type", rows, 2);
            WriteNullable(json, "eventId", rows, 3);
            WriteNullable(json, "patientId", rows, 4);
            WriteNullable(json, "keyId", rows, 5);
            json.WriteString("signature", rows.GetString(6));
            json.WriteString("chain", Convert.ToHexStringLower((byte[])rows[7]));
            if (!await rows.IsDBNullAsync(9, cancellationToken))
            {
                json.WritePropertyName("event");
                json.WriteRawValue(rows.GetString(9), skipInputValidation: true);
            }

            json.WriteBase64String("body", (byte[])rows[8]);
            json.WriteEndObject();
#pragma warning disable VSTHRD103 // into the pipe's buffer, no I/O: the pipe is flushed asynchronously below
            json.Flush();
#pragma warning restore VSTHRD103
            output.Write("\n"u8);
            if (++lines % FlushEvery == 0)
            {
                await output.FlushAsync(cancellationToken);
            }
        }

        await output.FlushAsync(cancellationToken);
    }

    /// <summary>The wire names of the event types asked (<c>VitalSignsRecorded</c> or <c>Toxicity.Contracts.V1:VitalSignsRecorded</c>); null with the unknown one.</summary>
    public static (IReadOnlyList<string> Types, string? Unknown) ParseTypes(string? types)
    {
        var known = EventLog.EventTypes.ToDictionary(t => t.Name, EventLog.WireName, StringComparer.Ordinal);
        var wire = new List<string>();
        foreach (var name in (types ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var shortName = name[(name.LastIndexOf(':') + 1)..];
            if (!known.TryGetValue(shortName, out var full) || (name.Contains(':', StringComparison.Ordinal) && name != full))
            {
                return ([], name);
            }

            wire.Add(full);
        }

        return (wire, null);
    }

    private static void WriteNullable(Utf8JsonWriter json, string name, System.Data.Common.DbDataReader rows, int column)
    {
        if (rows.IsDBNull(column))
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, rows.GetString(column));
        }
    }
}

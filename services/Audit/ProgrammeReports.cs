using System.Text.Json;
using Toxicity.Contracts;
using Toxicity.Contracts.V1;
using Toxicity.Hosting;
using Toxicity.Reports;

namespace Toxicity.Audit.Service;

/// <summary>
/// <c>GET /api/v1/reports/toxicity</c>: the programme's measures (<see cref="ProgrammeReportBuilder"/>, docs/reports.md)
/// computed from the event log as Audit stores it. Read from SQLite in log order: the wards (every admission and
/// update), and the events the measures use from <see cref="Lookback"/> before the window to its end; vital signs
/// only when febrile (filtered in SQL). Memory grows with the window's episodes and alerts, not with the log.
/// </summary>
internal sealed class ProgrammeReports(AuditStore store)
{
    /// <summary>How far before the window events are read as context: a fever or an open episode before its start.</summary>
    public static readonly TimeSpan Lookback = TimeSpan.FromHours(72);

    /// <summary>The longest window a report covers.</summary>
    public static readonly TimeSpan MaxWindow = TimeSpan.FromDays(366);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static readonly string[] Wards = [EventLog.WireName(typeof(PatientAdmitted)), EventLog.WireName(typeof(PatientDetailsUpdated))];

    private static readonly string[] Measured =
    [
        EventLog.WireName(typeof(CrsGradeChanged)), EventLog.WireName(typeof(TreatmentAdministered)), EventLog.WireName(typeof(AlertRaised)),
        EventLog.WireName(typeof(AlertAcknowledged)), EventLog.WireName(typeof(AlertResponded)), EventLog.WireName(typeof(ObservationOverdue)),
    ];

    public ProgrammeReport Build(DateTimeOffset from, DateTimeOffset to, string? ward, CancellationToken cancellationToken)
    {
        var builder = new ProgrammeReportBuilder(from, to);
        using var connection = store.OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT type, event FROM entries
            WHERE kind = 'event' AND (
                type IN ({string.Join(", ", Wards.Select((_, i) => $"$w{i}"))})
                OR (observed_at BETWEEN $since AND $to AND (
                    type IN ({string.Join(", ", Measured.Select((_, i) => $"$m{i}"))})
                    OR (type = $vitals AND json_extract(event, '$.temperatureC') >= $fever))))
            ORDER BY log_offset
            """;
        for (var i = 0; i < Wards.Length; i++)
        {
            command.Parameters.AddWithValue($"$w{i}", Wards[i]);
        }

        for (var i = 0; i < Measured.Length; i++)
        {
            command.Parameters.AddWithValue($"$m{i}", Measured[i]);
        }

        command.Parameters.AddWithValue("$vitals", EventLog.WireName(typeof(VitalSignsRecorded)));
        command.Parameters.AddWithValue("$fever", ProgrammeReportBuilder.FeverCelsius);
        command.Parameters.AddWithValue("$since", (from - Lookback).ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$to", to.ToUnixTimeMilliseconds());
        using var rows = command.ExecuteReader();
        while (rows.Read())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (EventLog.TypesByWireName.TryGetValue(rows.GetString(0), out var type) && JsonSerializer.Deserialize(rows.GetString(1), type, Json) is IPatientEvent e)
            {
                builder.Add(e);
            }
        }

        return builder.Build(ward);
    }
}

using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Toxicity.Audit.Service;

/// <summary>One entry of the log as Audit keeps it: where it is, what it is, its status and chain hash, its exact body.</summary>
internal sealed record StoredEntry(
    long Offset,
    string Kind,
    string? Type,
    Guid? EventId,
    string? PatientId,
    DateTimeOffset? ObservedAt,
    string? KeyId,
    string Status,
    byte[] Chain,
    byte[] Body,
    string? Event);

/// <summary>
/// The chain and the index of the event log, durably outside the broker (a RabbitMQ stream does not fsync every
/// write): SQLite in WAL mode with <c>synchronous=FULL</c>, every batch of entries committed with a checkpoint (offset,
/// chain head, time). One writer (the follower's sink); readers open their own connections.
/// </summary>
internal sealed class AuditStore : IDisposable
{
    private readonly string _connectionString;
    private readonly SqliteConnection _writer;

    public AuditStore(IOptions<AuditOptions> options)
    {
        var path = Path.GetFullPath(options.Value.Database);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString();
        _writer = new SqliteConnection(_connectionString);
        _writer.Open();
        Execute(_writer, """
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = FULL;
            CREATE TABLE IF NOT EXISTS entries (
                log_offset INTEGER PRIMARY KEY,
                kind TEXT NOT NULL,
                type TEXT,
                event_id TEXT,
                patient_id TEXT,
                observed_at INTEGER,
                key_id TEXT,
                status TEXT NOT NULL,
                chain BLOB NOT NULL,
                body BLOB NOT NULL,
                event TEXT);
            CREATE INDEX IF NOT EXISTS entries_by_patient ON entries (patient_id, log_offset);
            CREATE INDEX IF NOT EXISTS entries_by_type_time ON entries (type, observed_at);
            CREATE INDEX IF NOT EXISTS entries_by_event ON entries (event_id);
            CREATE TABLE IF NOT EXISTS checkpoints (log_offset INTEGER PRIMARY KEY, head BLOB NOT NULL, written_at TEXT NOT NULL);
            """);
    }

    /// <summary>The last entry stored: its offset (-1 when none) and the chain head after it.</summary>
    public (long Offset, byte[] Head) Last()
    {
        using var command = _writer.CreateCommand();
        command.CommandText = "SELECT log_offset, head FROM checkpoints ORDER BY log_offset DESC LIMIT 1";
        using var reader = command.ExecuteReader();
        return reader.Read() ? (reader.GetInt64(0), (byte[])reader[1]) : (-1, AuditChain.Genesis);
    }

    /// <summary>Stores <paramref name="entries"/> (in log order) and a checkpoint after the last, in one durable transaction.</summary>
    public void Append(IReadOnlyList<StoredEntry> entries)
    {
        if (entries.Count == 0)
        {
            return;
        }

        using var transaction = _writer.BeginTransaction();
        using var insert = _writer.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT OR IGNORE INTO entries (log_offset, kind, type, event_id, patient_id, observed_at, key_id, status, chain, body, event)
            VALUES ($offset, $kind, $type, $eventId, $patientId, $observedAt, $keyId, $status, $chain, $body, $event)
            """;
        var parameters = new[] { "$offset", "$kind", "$type", "$eventId", "$patientId", "$observedAt", "$keyId", "$status", "$chain", "$body", "$event" }
            .Select(name => insert.Parameters.Add(new SqliteParameter { ParameterName = name })).ToArray();
        insert.Prepare();
        foreach (var e in entries)
        {
            object?[] values = [e.Offset, e.Kind, e.Type, e.EventId?.ToString(), e.PatientId, e.ObservedAt?.ToUnixTimeMilliseconds(), e.KeyId, e.Status, e.Chain, e.Body, e.Event];
            for (var i = 0; i < values.Length; i++)
            {
                parameters[i].Value = values[i] ?? DBNull.Value;
            }

            insert.ExecuteNonQuery();
        }

        using var checkpoint = _writer.CreateCommand();
        checkpoint.Transaction = transaction;
        checkpoint.CommandText = "INSERT OR REPLACE INTO checkpoints (log_offset, head, written_at) VALUES ($offset, $head, $at)";
        checkpoint.Parameters.AddWithValue("$offset", entries[^1].Offset);
        checkpoint.Parameters.AddWithValue("$head", entries[^1].Chain);
        checkpoint.Parameters.AddWithValue("$at", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
        checkpoint.ExecuteNonQuery();
        transaction.Commit();
    }

    /// <summary>A connection of its own for a reader (WAL: readers never block the writer).</summary>
    public SqliteConnection OpenReader()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        Execute(connection, "PRAGMA query_only = ON;");
        return connection;
    }

    public void Dispose() => _writer.Dispose();

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}

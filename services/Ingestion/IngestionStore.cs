using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Toxicity.Ingestion.Service;

/// <summary>
/// What Ingestion must remember across restarts, in a SQLite file written with fsync (WAL, synchronous=FULL): the
/// admitted patients, and the answers given to requests with an Idempotency-Key. One instance owns the file.
/// </summary>
internal sealed class IngestionStore
{
    private readonly string _connectionString;

    public IngestionStore(IOptions<IngestionOptions> options, IHostEnvironment environment, TimeProvider clock)
    {
        var path = Path.GetFullPath(options.Value.DatabasePath, environment.ContentRootPath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true }.ToString();
        using var connection = Open();
        Execute(connection, """
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS patients (patient_id TEXT PRIMARY KEY, admitted_at TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS idempotency (
              caller TEXT NOT NULL, key TEXT NOT NULL, request_hash TEXT NOT NULL,
              status INTEGER NOT NULL, body TEXT NOT NULL, created_at TEXT NOT NULL,
              PRIMARY KEY (caller, key));
            """);
        var cutoff = clock.GetUtcNow().AddHours(-options.Value.IdempotencyRetentionHours);
        Execute(connection, "DELETE FROM idempotency WHERE created_at < $cutoff", ("$cutoff", cutoff.ToString("O")));
    }

    public async Task<bool> IsAdmittedAsync(string patientId, CancellationToken cancellationToken)
    {
        await using var connection = Open();
        await using var command = Command(connection, "SELECT 1 FROM patients WHERE patient_id = $id", ("$id", patientId));
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    /// <summary>Records an admission; false when the patient was already admitted.</summary>
    public async Task<bool> AdmitAsync(string patientId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = Open();
        await using var command = Command(connection, "INSERT OR IGNORE INTO patients VALUES ($id, $at)", ("$id", patientId), ("$at", at.ToString("O")));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<StoredAnswer?> FindAnswerAsync(string caller, string key, CancellationToken cancellationToken)
    {
        await using var connection = Open();
        await using var command = Command(connection, "SELECT request_hash, status, body FROM idempotency WHERE caller = $caller AND key = $key",
            ("$caller", caller), ("$key", key));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new StoredAnswer(reader.GetString(0), reader.GetInt32(1), reader.GetString(2)) : null;
    }

    public async Task SaveAnswerAsync(string caller, string key, StoredAnswer answer, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = Open();
        await using var command = Command(connection, "INSERT OR IGNORE INTO idempotency VALUES ($caller, $key, $hash, $status, $body, $at)",
            ("$caller", caller), ("$key", key), ("$hash", answer.RequestHash), ("$status", answer.Status), ("$body", answer.Body), ("$at", at.ToString("O")));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        // Every commit is on disk before the answer leaves: a 2xx replayed after a power cut must still be known.
        Execute(connection, "PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000;");
        return connection;
    }

    private static void Execute(SqliteConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = Command(connection, sql, parameters);
        command.ExecuteNonQuery();
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command;
    }
}

/// <summary>An answer given to a request with an Idempotency-Key, and the hash of that request.</summary>
internal sealed record StoredAnswer(string RequestHash, int Status, string Body);

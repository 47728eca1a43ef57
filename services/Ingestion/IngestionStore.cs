using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Toxicity.Ingestion.Service;

/// <summary>
/// What Ingestion must remember across restarts, in a SQLite file written with fsync (WAL, synchronous=FULL): the
/// admitted patients, and the answers given to requests with an Idempotency-Key. One instance owns the file.
/// </summary>
/// <remarks>
/// Fast by design (issue 17): the admitted patients are also kept in memory (read at start, added once committed), so an
/// observation costs no lookup on disk; the answers of concurrent requests are committed together, one transaction and
/// one fsync for all of them (group commit), and each request still waits for its own answer to be on disk.
/// </remarks>
internal sealed class IngestionStore : IAsyncDisposable
{
    private const int MaxBatch = 512;
    private readonly string _connectionString;
    private readonly ConcurrentDictionary<string, byte> _admitted = new(StringComparer.Ordinal);
    private readonly Channel<PendingAnswer> _answers = Channel.CreateUnbounded<PendingAnswer>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;

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
        using (var patients = Command(connection, "SELECT patient_id FROM patients"))
        using (var rows = patients.ExecuteReader())
        {
            while (rows.Read())
            {
                _admitted[rows.GetString(0)] = 0;
            }
        }

        _writer = Task.Run(WriteAnswersAsync);
    }

    public bool IsAdmitted(string patientId) => _admitted.ContainsKey(patientId);

    /// <summary>Records an admission; false when the patient was already admitted.</summary>
    public async Task<bool> AdmitAsync(string patientId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = Open();
        await using var command = Command(connection, "INSERT OR IGNORE INTO patients VALUES ($id, $at)", ("$id", patientId), ("$at", at.ToString("O")));
        var added = await command.ExecuteNonQueryAsync(cancellationToken) == 1;
        _admitted[patientId] = 0;
        return added;
    }

    public async Task<StoredAnswer?> FindAnswerAsync(string caller, string key, CancellationToken cancellationToken)
    {
        await using var connection = Open();
        await using var command = Command(connection, "SELECT request_hash, status, body FROM idempotency WHERE caller = $caller AND key = $key",
            ("$caller", caller), ("$key", key));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new StoredAnswer(reader.GetString(0), reader.GetInt32(1), reader.GetString(2)) : null;
    }

    /// <summary>Remembers an answer; completes once it is committed to disk (with the answers of concurrent requests).</summary>
    public Task SaveAnswerAsync(string caller, string key, StoredAnswer answer, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var pending = new PendingAnswer(caller, key, answer, at.ToString("O"), new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_answers.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(nameof(IngestionStore), "Ingestion is stopping");
        }

        return pending.Committed.Task.WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        _answers.Writer.TryComplete();
#pragma warning disable VSTHRD003 // the writer was started by this instance
        await _writer;
#pragma warning restore VSTHRD003
    }

    // The only writer of answers: whatever waits when a commit ends goes into the next one.
    private async Task WriteAnswersAsync()
    {
        var batch = new List<PendingAnswer>(MaxBatch);
        while (await _answers.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _answers.Reader.TryRead(out var pending))
            {
                batch.Add(pending);
            }

            try
            {
                await using var connection = Open();
                await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
                await using var insert = Command(connection, "INSERT OR IGNORE INTO idempotency VALUES ($caller, $key, $hash, $status, $body, $at)",
                    ("$caller", string.Empty), ("$key", string.Empty), ("$hash", string.Empty), ("$status", 0), ("$body", string.Empty), ("$at", string.Empty));
                insert.Transaction = transaction;
                foreach (var pending in batch)
                {
                    insert.Parameters["$caller"].Value = pending.Caller;
                    insert.Parameters["$key"].Value = pending.Key;
                    insert.Parameters["$hash"].Value = pending.Answer.RequestHash;
                    insert.Parameters["$status"].Value = pending.Answer.Status;
                    insert.Parameters["$body"].Value = pending.Answer.Body;
                    insert.Parameters["$at"].Value = pending.At;
                    await insert.ExecuteNonQueryAsync();
                }

                await transaction.CommitAsync();
                batch.ForEach(p => p.Committed.TrySetResult());
            }
            catch (SqliteException error)
            {
                batch.ForEach(p => p.Committed.TrySetException(error));
            }
        }
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

/// <summary>An answer waiting for the next commit.</summary>
internal sealed record PendingAnswer(string Caller, string Key, StoredAnswer Answer, string At, TaskCompletionSource Committed);

/// <summary>An answer given to a request with an Idempotency-Key, and the hash of that request.</summary>
internal sealed record StoredAnswer(string RequestHash, int Status, string Body);

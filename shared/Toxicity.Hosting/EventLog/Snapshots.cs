using System.IO.Compression;
using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;

namespace Toxicity.Hosting;

/// <summary>
/// A sink whose fold can be saved and restored (issue 16, "Snapshots"): the follower saves it every so many entries or
/// seconds, with the offset it reflects, and on start restores the latest one and follows the log from there instead
/// of from its first entry. Called by the follower between entries (never during a fold); the sink locks against its
/// own readers.
/// </summary>
public interface ISnapshotSink : IEventLogSink
{
    /// <summary>
    /// What the fold depends on besides the log (the state's format, rule sets, catalogue, windows, policies): a snapshot
    /// of another version is never used (the log is folded again from its first entry).
    /// </summary>
    string SnapshotVersion { get; }

    /// <summary>The fold as of the last entry passed to the sink; null when there is nothing to save yet (e.g. before a cut-over).</summary>
    byte[]? SaveSnapshot();

    /// <summary>Restores what <see cref="SaveSnapshot"/> saved; throws if it cannot (the follower then clears and rebuilds).</summary>
    void RestoreSnapshot(ReadOnlySpan<byte> state);

    /// <summary>Forgets everything folded (before a full rebuild, when a snapshot could not be used).</summary>
    void Clear();
}

/// <summary>Where and how often a service saves its fold (<c>Snapshots:*</c>).</summary>
public sealed record SnapshotOptions
{
    /// <summary>Whether snapshots are taken and used (<c>Snapshots:Enabled</c>, default true).</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>The SQLite file (<c>Snapshots:Path</c>; default <c>data/{service}.snapshots.db</c> in the working directory): one per instance, on durable storage.</summary>
    public required string Path { get; init; }

    /// <summary>A snapshot at most every this many entries (<c>Snapshots:EveryEntries</c>, default 100 000).</summary>
    public int EveryEntries { get; init; } = 100_000;

    /// <summary>…or this long after the last one, if anything was folded since (<c>Snapshots:Interval</c>, default 5 min).</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The options of <paramref name="serviceName"/> from <c>Snapshots:*</c>.</summary>
    public static SnapshotOptions From(IConfiguration configuration, string serviceName)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection("Snapshots");
        var every = section.GetValue("EveryEntries", 100_000);
        var interval = section.GetValue("Interval", TimeSpan.FromMinutes(5));
        if (every < 1 || interval <= TimeSpan.Zero)
        {
            throw new InvalidOperationException("Snapshots:EveryEntries must be 1 or more and Snapshots:Interval a positive time span.");
        }

        return new SnapshotOptions
        {
            Enabled = section.GetValue("Enabled", true),
            Path = section["Path"] is { Length: > 0 } path ? path : System.IO.Path.Combine("data", $"{serviceName.ToLowerInvariant()}.snapshots.db"),
            EveryEntries = every,
            Interval = interval,
        };
    }
}

/// <summary>A saved fold: the log it was folded from, the offset it reflects and the hash of that entry's body, its version, the sink's and the ledger's state.</summary>
public sealed record Snapshot(string Log, long Offset, byte[] EntryHash, string Version, byte[] Sink, byte[]? Ledger);

/// <summary>
/// A service instance's snapshots (and the patients it evicted from memory), in one SQLite file: WAL, <c>synchronous=FULL</c>,
/// each snapshot written in one transaction with a SHA-256 of its content, so a crash during a write leaves the one
/// before it, and a damaged one is found and not used. Keeps the latest two per log. Thread-safe (one connection, locked).
/// </summary>
public sealed class SnapshotStore : IDisposable
{
    private readonly Lock _gate = new();
    private readonly SqliteConnection _connection;

    public SnapshotStore(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        Path = full;
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = full, Pooling = false, DefaultTimeout = 30 }.ToString());
        _connection.Open();
        Execute("""
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = FULL;
            CREATE TABLE IF NOT EXISTS snapshots (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                log TEXT NOT NULL,
                log_offset INTEGER NOT NULL,
                entry_hash BLOB NOT NULL,
                version TEXT NOT NULL,
                written_at TEXT NOT NULL,
                content BLOB NOT NULL,
                checksum BLOB NOT NULL);
            CREATE TABLE IF NOT EXISTS patients (
                log TEXT NOT NULL,
                patient_id TEXT NOT NULL,
                log_offset INTEGER NOT NULL,
                content BLOB NOT NULL,
                PRIMARY KEY (log, patient_id));
            """);
    }

    /// <summary>The file's full path.</summary>
    public string Path { get; }

    /// <summary>
    /// Opens the store at <paramref name="path"/>; a file SQLite cannot read is moved aside (<c>.damaged-…</c>) and a new
    /// one started: the service then folds the log from its first entry. Returns the store and what was wrong, if anything.
    /// </summary>
    public static (SnapshotStore Store, string? Damaged) Open(string path)
    {
        try
        {
            var store = new SnapshotStore(path);
            store.Execute("SELECT count(*) FROM snapshots");
            return (store, null);
        }
        catch (SqliteException error)
        {
            SqliteConnection.ClearAllPools();
            var aside = $"{path}.damaged-{DateTimeOffset.UtcNow:yyyyMMddHHmmss}";
            foreach (var suffix in new[] { string.Empty, "-wal", "-shm" })
            {
                if (File.Exists(path + suffix))
                {
                    File.Move(path + suffix, aside + suffix);
                }
            }

            return (new SnapshotStore(path), $"{error.SqliteErrorCode}: {error.Message} (moved to {aside})");
        }
    }

    /// <summary>Saves <paramref name="snapshot"/> in one transaction, keeping it and the one before it for its log.</summary>
    public void Save(Snapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var content = Pack(snapshot.Sink, snapshot.Ledger);
        lock (_gate)
        {
            using var transaction = _connection.BeginTransaction();
            using (var insert = _connection.CreateCommand())
            {
                insert.Transaction = transaction;
                insert.CommandText = """
                    INSERT INTO snapshots (log, log_offset, entry_hash, version, written_at, content, checksum)
                    VALUES ($log, $offset, $hash, $version, $at, $content, $checksum)
                    """;
                insert.Parameters.AddWithValue("$log", snapshot.Log);
                insert.Parameters.AddWithValue("$offset", snapshot.Offset);
                insert.Parameters.AddWithValue("$hash", snapshot.EntryHash);
                insert.Parameters.AddWithValue("$version", snapshot.Version);
                insert.Parameters.AddWithValue("$at", DateTimeOffset.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
                insert.Parameters.AddWithValue("$content", content);
                insert.Parameters.AddWithValue("$checksum", SHA256.HashData(content));
                insert.ExecuteNonQuery();
            }

            using (var prune = _connection.CreateCommand())
            {
                prune.Transaction = transaction;
                prune.CommandText = "DELETE FROM snapshots WHERE log = $log AND id NOT IN (SELECT id FROM snapshots WHERE log = $log ORDER BY id DESC LIMIT 2)";
                prune.Parameters.AddWithValue("$log", snapshot.Log);
                prune.ExecuteNonQuery();
            }

            transaction.Commit();
        }
    }

    /// <summary>
    /// The latest snapshot of <paramref name="log"/> whose content is intact (a damaged one is skipped, reported in
    /// <paramref name="damaged"/>), or null when there is none.
    /// </summary>
    public Snapshot? Latest(string log, out string? damaged)
    {
        damaged = null;
        lock (_gate)
        {
            using var select = _connection.CreateCommand();
            select.CommandText = "SELECT log_offset, entry_hash, version, content, checksum FROM snapshots WHERE log = $log ORDER BY id DESC";
            select.Parameters.AddWithValue("$log", log);
            using var rows = select.ExecuteReader();
            while (rows.Read())
            {
                var content = (byte[])rows[3];
                if (!SHA256.HashData(content).AsSpan().SequenceEqual((byte[])rows[4]))
                {
                    damaged = $"the snapshot at offset {rows.GetInt64(0)} does not match its checksum";
                    continue;
                }

                try
                {
                    var (sink, ledger) = Unpack(content);
                    return new Snapshot(log, rows.GetInt64(0), (byte[])rows[1], rows.GetString(2), sink, ledger);
                }
                catch (InvalidDataException error)
                {
                    damaged = $"the snapshot at offset {rows.GetInt64(0)} cannot be read: {error.Message}";
                }
            }
        }

        return null;
    }

    /// <summary>Saves a patient evicted from memory (its state as of <paramref name="offset"/>).</summary>
    public void SavePatient(string log, string patientId, long offset, byte[] content)
    {
        lock (_gate)
        {
            using var upsert = _connection.CreateCommand();
            upsert.CommandText = """
                INSERT INTO patients (log, patient_id, log_offset, content) VALUES ($log, $id, $offset, $content)
                ON CONFLICT (log, patient_id) DO UPDATE SET log_offset = excluded.log_offset, content = excluded.content
                """;
            upsert.Parameters.AddWithValue("$log", log);
            upsert.Parameters.AddWithValue("$id", patientId);
            upsert.Parameters.AddWithValue("$offset", offset);
            upsert.Parameters.AddWithValue("$content", Compress(content));
            upsert.ExecuteNonQuery();
        }
    }

    /// <summary>An evicted patient's state and the offset it reflects, or null.</summary>
    public (long Offset, byte[] Content)? LoadPatient(string log, string patientId)
    {
        lock (_gate)
        {
            using var select = _connection.CreateCommand();
            select.CommandText = "SELECT log_offset, content FROM patients WHERE log = $log AND patient_id = $id";
            select.Parameters.AddWithValue("$log", log);
            select.Parameters.AddWithValue("$id", patientId);
            using var rows = select.ExecuteReader();
            return rows.Read() ? (rows.GetInt64(0), Decompress((byte[])rows[1])) : null;
        }
    }

    /// <summary>Forgets everything stored for <paramref name="log"/> (before a full rebuild).</summary>
    public void Clear(string log)
    {
        lock (_gate)
        {
            using var delete = _connection.CreateCommand();
            delete.CommandText = "DELETE FROM snapshots WHERE log = $log; DELETE FROM patients WHERE log = $log";
            delete.Parameters.AddWithValue("$log", log);
            delete.ExecuteNonQuery();
        }
    }

    public void Dispose() => _connection.Dispose();

    private void Execute(string sql)
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = sql;
            command.ExecuteNonQuery();
        }
    }

    // [4-byte sink length][sink][ledger], Brotli-compressed.
    private static byte[] Pack(byte[] sink, byte[]? ledger)
    {
        var plain = new byte[4 + sink.Length + (ledger?.Length ?? 0)];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(plain, sink.Length);
        sink.CopyTo(plain, 4);
        ledger?.CopyTo(plain, 4 + sink.Length);
        return Compress(plain);
    }

    private static (byte[] Sink, byte[]? Ledger) Unpack(byte[] content)
    {
        var plain = Decompress(content);
        if (plain.Length < 4)
        {
            throw new InvalidDataException("too short");
        }

        var sinkLength = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(plain);
        if (sinkLength < 0 || sinkLength > plain.Length - 4)
        {
            throw new InvalidDataException("a bad length");
        }

        var ledger = plain.Length - 4 - sinkLength;
        return (plain[4..(4 + sinkLength)], ledger == 0 ? null : plain[(4 + sinkLength)..]);
    }

    /// <summary>Brotli at its fastest: how snapshots are stored (a sink may store parts of its own state so, too).</summary>
    public static byte[] Compress(byte[] plain)
    {
        using var output = new MemoryStream();
        using (var brotli = new BrotliStream(output, CompressionLevel.Fastest))
        {
            brotli.Write(plain);
        }

        return output.ToArray();
    }

    /// <summary>What <see cref="Compress"/> compressed (<see cref="InvalidDataException"/> if it is not).</summary>
    public static byte[] Decompress(byte[] packed)
    {
        try
        {
            using var input = new BrotliStream(new MemoryStream(packed), CompressionMode.Decompress);
            using var output = new MemoryStream();
            input.CopyTo(output);
            return output.ToArray();
        }
        catch (IOException error)
        {
            throw new InvalidDataException(error.Message, error);
        }
    }
}

using Microsoft.Data.Sqlite;
using Xunit;

namespace Toxicity.Hosting.Tests;

/// <summary>The snapshot store (issue 16): the latest intact snapshot of a log, two kept, a damaged one skipped, a log's own.</summary>
public sealed class SnapshotStoreTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"snapshots-{Guid.NewGuid():N}.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { _path, _path + "-wal", _path + "-shm" })
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void The_latest_snapshot_of_a_log_comes_back_as_saved_and_only_the_latest_two_are_kept()
    {
        using var store = new SnapshotStore(_path);
        foreach (var offset in new long[] { 10, 20, 30 })
        {
            store.Save(Snapshot("log-a", offset));
        }

        store.Save(Snapshot("log-b", 5));

        var latest = Assert.IsType<Snapshot>(store.Latest("log-a", out var damaged));
        Assert.Null(damaged);
        Assert.Equal((30L, "v1"), (latest.Offset, latest.Version));
        Assert.Equal(Snapshot("log-a", 30).Sink, latest.Sink);
        Assert.Equal(Snapshot("log-a", 30).Ledger, latest.Ledger);
        Assert.Equal(2L, Count("log-a"));
        Assert.Equal(5L, store.Latest("log-b", out _)!.Offset);
        Assert.Null(store.Latest("log-c", out _));
    }

    [Fact]
    public void A_snapshot_whose_content_is_damaged_is_skipped_for_the_one_before_it_and_reported()
    {
        using (var store = new SnapshotStore(_path))
        {
            store.Save(Snapshot("log-a", 10));
            store.Save(Snapshot("log-a", 20));
        }

        Execute("UPDATE snapshots SET content = randomblob(length(content)) WHERE log_offset = 20");

        using var reopened = new SnapshotStore(_path);
        var latest = reopened.Latest("log-a", out var damaged);
        Assert.Equal(10L, latest?.Offset);
        Assert.Contains("offset 20 does not match its checksum", damaged, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_not_a_database_is_moved_aside_and_a_new_store_opened()
    {
        File.WriteAllBytes(_path, [.. Enumerable.Range(0, 8192).Select(i => (byte)(i * 7))]);

        var (store, damaged) = SnapshotStore.Open(_path);
        using (store)
        {
            Assert.NotNull(damaged);
            Assert.Null(store.Latest("log-a", out _));
            store.Save(Snapshot("log-a", 1));
            Assert.Equal(1L, store.Latest("log-a", out _)!.Offset);
        }

        var aside = Assert.Single(Directory.GetFiles(Path.GetDirectoryName(_path)!, Path.GetFileName(_path) + ".damaged*"));
        File.Delete(aside);
    }

    [Fact]
    public void Clearing_a_log_forgets_its_snapshots_and_evicted_patients_only()
    {
        using var store = new SnapshotStore(_path);
        store.Save(Snapshot("log-a", 10));
        store.Save(Snapshot("log-b", 10));
        store.SavePatient("log-a", "p1", 10, [1, 2, 3]);
        store.SavePatient("log-b", "p1", 10, [4, 5]);

        store.Clear("log-a");

        Assert.Null(store.Latest("log-a", out _));
        Assert.Null(store.LoadPatient("log-a", "p1"));
        Assert.Equal(new byte[] { 4, 5 }, store.LoadPatient("log-b", "p1")!.Value.Content);
        Assert.NotNull(store.Latest("log-b", out _));
    }

    private static Snapshot Snapshot(string log, long offset) =>
        new(log, offset, [.. Enumerable.Repeat((byte)offset, 32)], "v1", System.Text.Encoding.UTF8.GetBytes($"{{\"fold\":{offset}}}"), [(byte)offset, 1, 2]);

    private long Count(string log)
    {
        using var connection = new SqliteConnection($"Data Source={_path}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM snapshots WHERE log = $log";
        command.Parameters.AddWithValue("$log", log);
        return (long)command.ExecuteScalar()!;
    }

    private void Execute(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={_path}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}

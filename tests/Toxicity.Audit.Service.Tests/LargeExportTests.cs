using System.Diagnostics;
using System.Globalization;
using Toxicity.Contracts;
using Toxicity.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Toxicity.Audit.Service.Tests;

/// <summary>
/// The export of a large log (200 000 events) streams in bounded memory: Audit runs with a 128 MiB GC heap limit,
/// far below the size of the answer (about 300 MB), so an export that gathered its answer in memory would fail; the
/// test also measures the process's peak resident memory and reports it (bench/results/audit-export.md).
/// </summary>
public sealed class LargeExportTests(ITestOutputHelper output) : AuditProcess
{
    private const int EventCount = 200_000;
    private const long HeapLimit = 128L * 1024 * 1024;

    protected override IEnumerable<KeyValuePair<string, string>> Settings() =>
        [new("DOTNET_GCHeapHardLimit", HeapLimit.ToString("X", CultureInfo.InvariantCulture))];

    [Fact]
    public async Task Exporting_200_000_events_streams_them_all_in_order_in_bounded_memory()
    {
        var patients = Enumerable.Range(0, 100).Select(_ => AuditTests.Patient()).ToArray();
        var start = DateTimeOffset.UtcNow.AddDays(-1);
        var clock = Stopwatch.StartNew();
        for (var batch = 0; batch < EventCount / 10_000; batch++)
        {
            await Events.PublishAsync(Enumerable.Range(batch * 10_000, 10_000)
                .Select(i => (IPatientEvent)AuditTests.Vitals(patients[i % patients.Length], start.AddSeconds(i), 36.5 + (i % 30 / 10.0))));
        }

        var published = clock.Elapsed;
        using var auditor = Audit.CreateClient(Auditor);
        auditor.Timeout = TimeSpan.FromMinutes(5);
        var last = patients[(EventCount - 1) % patients.Length];
        await Eventually.That(
            async () => (await auditor.GetStringAsync($"api/v1/audit/events?patientId={last}&from={Uri.EscapeDataString(start.AddSeconds(EventCount - 1).ToString("O"))}&types=VitalSignsRecorded")).Length,
            length => length > 0,
            TimeSpan.FromMinutes(3),
            "the last event chained by Audit");
        var chained = clock.Elapsed;
        var residentBefore = Resident("VmRSS");

        clock.Restart();
        using var response = await auditor.GetAsync("api/v1/audit/events?types=VitalSignsRecorded", HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        long lines = 0, bytes = 0, previous = -1;
        while (await reader.ReadLineAsync() is { } line)
        {
            lines++;
            bytes += line.Length + 1;
            // Offsets only grow: read the number without parsing the whole line.
            var offset = long.Parse(line.AsSpan(10, line.IndexOf(',', StringComparison.Ordinal) - 10), CultureInfo.InvariantCulture);
            Assert.True(offset > previous, $"line {lines} is out of order");
            previous = offset;
        }

        var exported = clock.Elapsed;
        var peak = Resident("VmHWM");
        output.WriteLine($"published {EventCount} events in {published.TotalSeconds:F1} s; chained by Audit after {chained.TotalSeconds:F1} s");
        output.WriteLine($"exported {lines} lines, {bytes / 1_000_000.0:F0} MB in {exported.TotalSeconds:F1} s; Audit resident {residentBefore / 1024} MiB before, peak {peak / 1024} MiB (GC heap limit {HeapLimit >> 20} MiB)");
        Assert.Equal(EventCount, lines);
        Assert.True(Audit.IsRunning, "Audit survived the export within its heap limit");
        Assert.True(bytes > 2 * HeapLimit, "the answer is far larger than the heap Audit may use");
    }

    /// <summary>A memory figure of the Audit process from /proc (kB): VmRSS now, VmHWM the peak so far.</summary>
    private long Resident(string field) =>
        long.Parse(File.ReadLines($"/proc/{Audit.ProcessId}/status").Single(l => l.StartsWith(field + ":", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
}

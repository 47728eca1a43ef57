using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Toxicity.Contracts;
using Toxicity.Contracts.V1;
using Toxicity.Hosting;
using Toxicity.Testing;
using Xunit;

namespace Toxicity.Audit.Service.Tests;

/// <summary>
/// The Audit service as a process on a real broker: every event of a scenario exactly once and in order in the export,
/// with its signature status and chain hash (the chain recomputed here, offline, from the export); verification that
/// finds an event forged by a publisher without the key; the auditor role; auditors' requests recorded in the log.
/// </summary>
public sealed class AuditTests : AuditProcess
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private readonly ApiKey _clinician = new("ward-3-nurse", "clinician");

    protected override IEnumerable<KeyValuePair<string, string>> Settings() => _clinician.Settings(1);

    [Fact]
    public async Task Every_event_of_a_scenario_is_exported_once_in_order_signed_and_chained_and_the_log_verifies_intact_also_after_a_restart()
    {
        var patient = Patient();
        var now = DateTimeOffset.UtcNow;
        IPatientEvent[] scenario =
        [
            new PatientAdmitted(Guid.NewGuid(), patient, now, now, 58, 72.5, 174, 1.87, "DLBCL", "haem-3", null),
            Vitals(patient, now.AddMinutes(1), 38.9),
            new CrsGradeChanged(Guid.NewGuid(), patient, now.AddMinutes(1), now, Guid.NewGuid(), 0, 1, "astct-2019/1", ["crs.fever"]),
            Vitals(patient, now.AddMinutes(2), 39.2),
            new NeuroAssessmentRecorded(Guid.NewGuid(), patient, now.AddMinutes(3), now, 7, null, "awakensToVoice", "none", "none", "none"),
            new AlertRaised(Guid.NewGuid(), patient, now, now, Guid.NewGuid(), "crs", 0, 1, "warning", "CRS grade rose from 0 to 1", "alert", "bedside-nurse", "haem-3"),
        ];
        // Two publishers' batches, one after the other.
        await Events.PublishAsync(scenario[..3]);
        await Events.PublishAsync(scenario[3..]);

        // The auditor's own requests about the patient are in the log too (AuditRequested): left out here by type.
        var clinical = $"patientId={patient}&types=PatientAdmitted,VitalSignsRecorded,CrsGradeChanged,NeuroAssessmentRecorded,AlertRaised";
        var exported = await ExportEventuallyAsync(clinical, lines => lines.Count >= scenario.Length);
        Assert.Equal(scenario.Select(e => e.EventId), exported.Select(l => l.GetProperty("eventId").GetGuid()));
        Assert.Equal(scenario.Select(e => $"Toxicity.Contracts.V1:{e.GetType().Name}"), exported.Select(l => l.GetProperty("type").GetString()));
        var offsets = exported.Select(l => l.GetProperty("offset").GetInt64()).ToList();
        Assert.Equal(offsets.Order(), offsets);
        Assert.All(exported, l => Assert.Equal(("valid", "ingestion-test"), (l.GetProperty("signature").GetString(), l.GetProperty("keyId").GetString())));
        Assert.Equal(38.9, exported[1].GetProperty("event").GetProperty("temperatureC").GetDouble());

        // Offline: the chain of the unfiltered export recomputed from each line's offset, status and exact body.
        var all = await ExportAsync(string.Empty);
        var head = new byte[32];
        foreach (var line in all)
        {
            head = Chain(head, line.GetProperty("offset").GetInt64(), line.GetProperty("signature").GetString()!, line.GetProperty("body").GetBytesFromBase64());
            Assert.Equal(Convert.ToHexStringLower(head), line.GetProperty("chain").GetString());
        }

        Assert.Equal(all.Select(l => l.GetProperty("offset").GetInt64()).Order(), all.Select(l => l.GetProperty("offset").GetInt64()));
        var verified = await VerifyAsync();
        Assert.True(verified.GetProperty("intact").GetBoolean(), verified.ToString());
        Assert.True(verified.GetProperty("verifiedUpTo").GetInt64() >= offsets[^1]);

        // After a restart Audit resumes from its SQLite chain: nothing is chained twice, the export is the same, and it
        // reads the stream after what it stored, not from the first entry (a start that would grow with the log's age).
        var storedBefore = (await ExportAsync(string.Empty)).Max(l => l.GetProperty("offset").GetInt64());
        await Audit.KillAsync();
        await Events.PublishAsync(Vitals(patient, now.AddMinutes(4), 37.2));
        await Audit.StartAsync();
        var resumedFrom = Audit.Output.Split('\n').Where(line => line.StartsWith('{') && line.Contains("Following", StringComparison.Ordinal))
            .Select(line => JsonDocument.Parse(line).RootElement).Last(line => line.TryGetProperty("Offset", out _)).GetProperty("Offset");
        Assert.True(resumedFrom.ValueKind == JsonValueKind.Number, $"resumed from {resumedFrom}, not an offset");
        Assert.True(resumedFrom.GetInt64() > storedBefore, $"resumed at {resumedFrom}, at or before the last entry stored ({storedBefore})");
        var after = await ExportEventuallyAsync(clinical, lines => lines.Count >= scenario.Length + 1);
        Assert.Equal(exported.Select(l => l.GetProperty("chain").GetString()), after.Take(exported.Count).Select(l => l.GetProperty("chain").GetString()));
        Assert.Equal(scenario.Length + 1, after.Count);
        Assert.True((await VerifyAsync()).GetProperty("intact").GetBoolean());
    }

    [Fact]
    public async Task Sync_markers_are_never_clinical_entries_and_verification_writes_none()
    {
        var patient = Patient();
        await Events.PublishAsync(Vitals(patient, DateTimeOffset.UtcNow, 37.4));
        await ExportEventuallyAsync($"patientId={patient}", lines => lines.Count >= 1);
        int Markers(List<JsonElement> lines) => lines.Count(l => l.GetProperty("kind").GetString() == "marker");
        var before = await ExportAsync(string.Empty);

        var reports = new List<JsonElement>();
        for (var i = 0; i < 3; i++)
        {
            reports.Add(await VerifyAsync());
        }

        var after = await ExportAsync(string.Empty);
        Assert.Equal(Markers(before), Markers(after)); // no marker per verification
        Assert.All(reports, r => Assert.True(r.GetProperty("intact").GetBoolean(), r.ToString()));
        // Markers are counted apart from the entries; they carry no event, patient or type; no filtered export has one.
        Assert.Equal(Markers(after.Where(l => l.GetProperty("offset").GetInt64() <= reports[^1].GetProperty("verifiedUpTo").GetInt64()).ToList()),
            reports[^1].GetProperty("markers").GetInt64());
        Assert.All(after.Where(l => l.GetProperty("kind").GetString() == "marker"), m =>
        {
            Assert.Equal(JsonValueKind.Null, m.GetProperty("patientId").ValueKind);
            Assert.Equal("marker", m.GetProperty("signature").GetString());
        });
        Assert.All(await ExportAsync($"patientId={patient}"), l => Assert.Equal("event", l.GetProperty("kind").GetString()));
        Assert.All(await ExportAsync("types=VitalSignsRecorded"), l => Assert.Equal("event", l.GetProperty("kind").GetString()));
    }

    [Fact]
    public async Task An_event_forged_without_the_key_is_flagged_in_the_export_and_verification_reports_the_first_one()
    {
        var patient = Patient();
        var now = DateTimeOffset.UtcNow;
        await Events.PublishAsync(Vitals(patient, now, 37.0));
        var unsigned = Vitals(patient, now.AddMinutes(1), 40.1);
        var forged = Vitals(patient, now.AddMinutes(2), 40.2);
        await Events.PublishAsync([unsigned], _ => (null, null));
        // Signed with a key id Audit knows but a key the forger guessed: the signature does not match.
        await Events.PublishAsync([forged], e => ("ingestion-test", EventSignatures.Sign(RandomNumberGenerator.GetBytes(32), e)));

        var exported = await ExportEventuallyAsync($"patientId={patient}&types=VitalSignsRecorded", lines => lines.Count == 3);
        Assert.Equal(["valid", "unsigned", "invalid"], exported.Select(l => l.GetProperty("signature").GetString()));

        var report = await VerifyAsync();
        Assert.False(report.GetProperty("intact").GetBoolean());
        var problem = report.GetProperty("problem");
        Assert.Equal(("unsigned", exported[1].GetProperty("offset").GetInt64()), (problem.GetProperty("kind").GetString(), problem.GetProperty("offset").GetInt64()));
        Assert.Equal(exported[1].GetProperty("offset").GetInt64() - 1, report.GetProperty("verifiedUpTo").GetInt64());
    }

    [Fact]
    public async Task A_log_replaced_after_it_was_chained_with_one_event_left_out_is_reported_by_verification()
    {
        var patient = Patient();
        var now = DateTimeOffset.UtcNow;
        var events = new[] { Vitals(patient, now, 37.0), Vitals(patient, now.AddMinutes(1), 38.2), Vitals(patient, now.AddMinutes(2), 38.9) };
        await Events.PublishAsync(events);
        var exported = await ExportEventuallyAsync($"patientId={patient}&types=VitalSignsRecorded", lines => lines.Count == 3);
        Assert.True((await VerifyAsync()).GetProperty("intact").GetBoolean());

        // Someone with rights on the broker deletes the stream and refills it without the second observation.
        await Audit.KillAsync();
        await using (var admin = await WardEvents.ConnectAsync(Broker.AmqpUri))
        {
            await admin.DeleteQueueAsync("toxicity.event-log");
        }

        await Audit.StartAsync(); // declares the stream again and binds it
        await Events.PublishAsync(events[0], events[2]);

        var report = await VerifyAsync();
        Assert.False(report.GetProperty("intact").GetBoolean(), report.ToString());
        var problem = report.GetProperty("problem");
        Assert.Contains(problem.GetProperty("kind").GetString(), new[] { "altered", "missing" });
        Assert.True(problem.GetProperty("offset").GetInt64() <= exported[1].GetProperty("offset").GetInt64(),
            $"the first problem is found at or before the removed event: {report}");
    }

    [Fact]
    public async Task The_documented_stream_recipe_reads_the_log_from_a_timestamp_in_order_with_offsets_and_signatures()
    {
        var patient = Patient();
        var now = DateTimeOffset.UtcNow;
        var before = Enumerable.Range(0, 5).Select(i => Vitals(patient, now.AddMinutes(i), 37.0)).ToArray();
        await Events.PublishAsync(before);
        await Task.Delay(TimeSpan.FromSeconds(2)); // stream timestamps have a resolution of a second
        var from = DateTimeOffset.UtcNow;
        await Task.Delay(TimeSpan.FromSeconds(1.1));
        var after = Enumerable.Range(0, 5).Select(i => Vitals(patient, now.AddMinutes(10 + i), 38.5)).ToArray();
        await Events.PublishAsync(after);

        // docs/audit.md "The same log as a plain RabbitMQ stream consumer", with RabbitMQ.Client.
        var factory = new RabbitMQ.Client.ConnectionFactory { Uri = Broker.AmqpUri };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.BasicQosAsync(0, 1000, false);
        var read = new System.Collections.Concurrent.ConcurrentQueue<(long Offset, Guid? EventId, string? Signature)>();
        var consumer = new RabbitMQ.Client.Events.AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += async (_, delivery) =>
        {
            var headers = delivery.BasicProperties.Headers!;
            var offset = Convert.ToInt64(headers["x-stream-offset"], System.Globalization.CultureInfo.InvariantCulture);
            Guid? eventId = delivery.Body.Length == 0 ? null
                : JsonDocument.Parse(delivery.Body).RootElement.GetProperty("message").GetProperty("eventId").GetGuid();
            var signature = headers.TryGetValue(EventSignatures.SignatureHeader, out var value) && value is byte[] bytes ? Encoding.UTF8.GetString(bytes) : null;
            read.Enqueue((offset, eventId, signature));
            await channel.BasicAckAsync(delivery.DeliveryTag, false);
        };
        await channel.BasicConsumeAsync("toxicity.event-log", autoAck: false, consumerTag: string.Empty, noLocal: false, exclusive: false,
            arguments: new Dictionary<string, object?> { ["x-stream-offset"] = new RabbitMQ.Client.AmqpTimestamp(from.ToUnixTimeSeconds()) }, consumer);

        await Eventually.That(() => Task.FromResult(read.Count(r => after.Any(a => a.EventId == r.EventId))), n => n == after.Length, Deadline, "the events after the timestamp");
        var entries = read.ToArray();
        Assert.Equal(entries.Select(e => e.Offset).Order(), entries.Select(e => e.Offset));
        Assert.Equal(after.Select(a => a.EventId), entries.Where(e => after.Any(a => a.EventId == e.EventId)).Select(e => e.EventId!.Value));
        Assert.All(entries.Where(e => after.Any(a => a.EventId == e.EventId)), e => Assert.False(string.IsNullOrEmpty(e.Signature)));
        Assert.DoesNotContain(entries, e => e.EventId == before[0].EventId); // it did not start from the beginning
    }

    [Fact]
    public async Task Only_auditors_may_use_the_audit_endpoints_and_their_requests_are_recorded_in_the_log()
    {
        var patient = Patient();
        using var anonymous = Audit.CreateClient();
        using var clinician = Audit.CreateClient(_clinician);
        foreach (var path in new[] { $"api/v1/audit/events?patientId={patient}", "api/v1/audit/verify" })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(path)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await clinician.GetAsync(path)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.Forbidden, (await clinician.PostAsJsonAsync("api/v1/audit/regrade", new { patientId = patient })).StatusCode);

        using var auditor = Audit.CreateClient(Auditor);
        (await auditor.GetAsync($"api/v1/audit/events?patientId={patient}&types=VitalSignsRecorded&note=free+text")).EnsureSuccessStatusCode();
        var requests = await ExportEventuallyAsync($"patientId={patient}&types=AuditRequested", lines => lines.Count >= 2);
        var first = requests[0].GetProperty("event");
        // Only the parameters understood are recorded: the free-text "note" never reaches the log.
        Assert.Equal(("quality-auditor", "export", "patientId=" + patient + "&types=Toxicity.Contracts.V1:VitalSignsRecorded"),
            (first.GetProperty("auditor").GetString(), first.GetProperty("action").GetString(), first.GetProperty("query").GetString()));
        Assert.Equal(("valid", "audit-test"), (requests[0].GetProperty("signature").GetString(), requests[0].GetProperty("keyId").GetString()));
    }

    [Theory]
    [InlineData("api/v1/audit/events?from=yesterday", "from")]
    [InlineData("api/v1/audit/events?to=2026-11-25", "to")]
    [InlineData("api/v1/audit/events?types=VitalSigns", "types")]
    [InlineData("api/v1/audit/events?from=2026-11-25T10:00:00Z&to=2026-11-25T09:00:00Z", "from")]
    public async Task A_bad_export_query_gets_a_problem_naming_the_parameter(string path, string field)
    {
        using var auditor = Audit.CreateClient(Auditor);
        using var response = await auditor.GetAsync(path);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _));
    }

    internal static VitalSignsRecorded Vitals(string patient, DateTimeOffset at, double temperature) =>
        new(Guid.NewGuid(), patient, at, at, temperature, 90, 18, 120, 80, 97, null, "roomAir", null, null, false, false, null);

    internal static string Patient() => $"p-{Guid.NewGuid():N}"[..14];

    /// <summary>docs/audit.md "The chain": SHA-256(previous ‖ offset big-endian ‖ status ‖ 0x00 ‖ body).</summary>
    private static byte[] Chain(byte[] previous, long offset, string status, byte[] body)
    {
        var offsetBytes = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(offsetBytes, offset);
        return SHA256.HashData([.. previous, .. offsetBytes, .. Encoding.UTF8.GetBytes(status), 0, .. body]);
    }

    private async Task<List<JsonElement>> ExportAsync(string query)
    {
        using var auditor = Audit.CreateClient(Auditor);
        var text = await auditor.GetStringAsync($"api/v1/audit/events?{query}");
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement.Clone())];
    }

    private Task<List<JsonElement>> ExportEventuallyAsync(string query, Func<List<JsonElement>, bool> done) =>
        Eventually.That(() => ExportAsync(query), done, Deadline, $"the export of {query}");

    private async Task<JsonElement> VerifyAsync()
    {
        using var auditor = Audit.CreateClient(Auditor);
        return await auditor.GetFromJsonAsync<JsonElement>("api/v1/audit/verify");
    }
}

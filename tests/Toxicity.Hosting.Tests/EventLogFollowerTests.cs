using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;
using RabbitMQ.Client;
using Toxicity.Contracts;
using Toxicity.Testing;
using Xunit;

namespace Toxicity.Hosting.Tests;

public sealed class EventLogFollowerTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);
    private RabbitMqBroker _broker = null!;
    private MessagingHost _publisher = null!;

    public async Task InitializeAsync()
    {
        _broker = await RabbitMqBroker.StartAsync();
        // A service that publishes events: it also declares the log and binds it to every event exchange.
        _publisher = await MessagingHost.StartAsync(_broker.AmqpUri, "publisher", _ => { });
    }

    public async Task DisposeAsync()
    {
        await _publisher.DisposeAsync();
        await _broker.DisposeAsync();
    }

    [Fact]
    public async Task Events_published_before_and_after_start_reach_the_sink_in_log_order_and_markers_and_foreign_entries_never_do()
    {
        var patient = $"order-{Guid.NewGuid():N}";
        var published = new List<Guid>();
        await PublishAsync(patient, 0, 5, published);
        await PublishForeignEntriesAsync();

        await using var host = await MessagingHost.StartAsync(_broker.AmqpUri, "follower", _ => { }, services: b => b.AddEventLogFollower<RecordingSink>());
        var sink = host.Services.GetRequiredService<RecordingSink>();
        var health = host.Services.GetRequiredService<HealthCheckService>();
        await Eventually.That(() => health.CheckHealthAsync(c => c.Tags.Contains(ServiceDefaults.ReadyTag)), r => r.Status == HealthStatus.Healthy,
            Deadline, "ready once the log is read up to start-up");
        // Ready means rebuilt: everything published before the start is already in the sink.
        Assert.Equal(published, sink.EventIds(patient));

        await PublishAsync(patient, 5, 5, published);
        var follower = host.Services.GetRequiredService<EventLogFollower>();
        using var timeout = new CancellationTokenSource(Deadline);
        await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => follower.SyncAsync(timeout.Token)));

        Assert.Equal(published, sink.EventIds(patient));
        var entries = sink.Entries.ToArray();
        Assert.All(entries, e => Assert.StartsWith("Toxicity.Contracts.", e.Type, StringComparison.Ordinal));
        Assert.Equal(entries.Select(e => e.Offset).Order(), entries.Select(e => e.Offset));
        Assert.Equal(entries.Length, entries.Select(e => e.Offset).Distinct().Count());
        Assert.False(sink.Overlapped, "the sink was called concurrently");
        Assert.True(follower.LastOffset > entries[^1].Offset, "the markers after the last event were read");
    }

    [Fact]
    public async Task SyncAsync_completes_only_after_every_event_published_before_it_reached_the_sink()
    {
        var sink = new RecordingSink();
        await using var follower = await StartFollowerAsync(sink);
        var patient = $"sync-{Guid.NewGuid():N}";
        sink.Hold(patient);
        var published = new List<Guid>();
        await PublishAsync(patient, 0, 3, published);

        using var timeout = new CancellationTokenSource(Deadline);
        var sync = follower.SyncAsync(timeout.Token);
        await Consistently.That(() => Task.FromResult(sync.IsCompleted), done => !done, TimeSpan.FromMilliseconds(600),
            "SyncAsync waits while an earlier event is still in the sink");

        sink.Release();
        await sync;
        Assert.Equal(published, sink.EventIds(patient));
    }

    [Fact]
    public async Task Health_is_unhealthy_until_the_log_was_read_up_to_start_up()
    {
        var patient = $"health-{Guid.NewGuid():N}";
        await PublishAsync(patient, 0, 1, []);
        var sink = new RecordingSink();
        sink.Hold(patient);
        var follower = new EventLogFollower(sink, Options(), NullLogger<EventLogFollower>.Instance);
        Assert.Equal(HealthStatus.Unhealthy, (await follower.CheckHealthAsync(new HealthCheckContext())).Status);

        await using var running = await FollowerRun.StartAsync(follower);
        await Consistently.That(() => follower.CheckHealthAsync(new HealthCheckContext()), r => r.Status == HealthStatus.Unhealthy,
            TimeSpan.FromMilliseconds(600), "unhealthy while an event published before start is not in the sink");

        sink.Release();
        await Eventually.That(() => follower.CheckHealthAsync(new HealthCheckContext()), r => r.Status == HealthStatus.Healthy, Deadline, "healthy once rebuilt");
    }

    [Fact]
    public async Task Every_contract_type_round_trips_from_a_MassTransit_published_envelope()
    {
        var sink = new RecordingSink();
        await using var follower = await StartFollowerAsync(sink);
        var patient = $"types-{Guid.NewGuid():N}";
        var originals = EventLog.EventTypes.Select(t => (IPatientEvent)Sample(t, patient)).ToArray();
        foreach (var original in originals)
        {
            await _publisher.Bus.Publish(original, original.GetType());
        }

        using var timeout = new CancellationTokenSource(Deadline);
        await follower.SyncAsync(timeout.Token);

        var read = sink.Entries.Where(e => e.Event.PatientId == patient).ToDictionary(e => e.Event.EventId);
        Assert.Equal(EventLog.EventTypes.Count, read.Count);
        foreach (var original in originals)
        {
            var type = original.GetType();
            var entry = read[original.EventId];
            Assert.Equal($"{type.Namespace}:{type.Name}", entry.Type);
            Assert.IsType(type, entry.Event);
            Assert.Equal(JsonSerializer.Serialize(original, type, Web), JsonSerializer.Serialize(entry.Event, type, Web));
            Assert.Equal(original.EventId, entry.Message.GetProperty("eventId").GetGuid());
        }
    }

    [Fact]
    public async Task After_its_connection_is_closed_it_resumes_without_repeating_or_skipping_an_offset()
    {
        var sink = new RecordingSink();
        var options = Options();
        await using var follower = await StartFollowerAsync(sink, options);
        var patient = $"resume-{Guid.NewGuid():N}";
        var held = $"held-{Guid.NewGuid():N}";
        sink.Hold(held);

        // Published together, so the stream may store them in shared chunks; the sink holds the follower in the middle
        // of them while the connection is closed, so it resumes after the held entry, possibly inside a chunk.
        var before = Enumerable.Range(0, 20).Select(i => Events.Vitals(patient, i)).ToArray();
        var heldEvent = Events.Vitals(held, 0);
        var after = Enumerable.Range(20, 20).Select(i => Events.Vitals(patient, i)).ToArray();
        await Task.WhenAll([.. before.Select(e => _publisher.Bus.Publish(e)), _publisher.Bus.Publish(heldEvent), .. after.Select(e => _publisher.Bus.Publish(e))]);
        await sink.Holding.WaitAsync(Deadline);

        await Eventually.That(() => _broker.Management.CloseConnectionsAsync($"{options.ServiceName}-event-log-follower"), closed => closed == 1,
            Deadline, "the follower's connection closed by the broker");
        await Eventually.That(() => follower.CheckHealthAsync(new HealthCheckContext()), r => r.Status == HealthStatus.Unhealthy, Deadline, "unhealthy while disconnected");
        sink.Release();
        var published = new List<Guid>();
        await PublishAsync(patient, 40, 20, published);

        await Eventually.That(() => follower.CheckHealthAsync(new HealthCheckContext()), r => r.Status == HealthStatus.Healthy, Deadline, "healthy again");
        using var timeout = new CancellationTokenSource(Deadline);
        await follower.SyncAsync(timeout.Token);
        Assert.Equal([heldEvent.EventId], sink.EventIds(held));
        Assert.Equal(before.Concat(after).Select(e => e.EventId).Concat(published).Order(), sink.EventIds(patient).Order());
        Assert.Equal(published, sink.EventIds(patient).TakeLast(20));
        var offsets = sink.Entries.Select(e => e.Offset).ToArray();
        Assert.Equal(offsets.Order(), offsets);
        Assert.Equal(offsets.Length, offsets.Distinct().Count());
    }

    [Fact]
    public async Task A_failing_sink_gets_the_same_entry_again_and_every_other_entry_once()
    {
        var sink = new RecordingSink();
        await using var follower = await StartFollowerAsync(sink);
        var patient = $"failing-{Guid.NewGuid():N}";
        // Published together, so the stream may store them in shared chunks and the follower resumes inside one.
        var events = Enumerable.Range(0, 40).Select(i => Events.Vitals(patient, i)).ToArray();
        sink.FailOnce(events[25].EventId);
        await Task.WhenAll(events.Select(e => _publisher.Bus.Publish(e)));

        using var timeout = new CancellationTokenSource(Deadline);
        await follower.SyncAsync(timeout.Token);
        Assert.Equal(events.Select(e => e.EventId).Order(), sink.EventIds(patient).Order());
        var offsets = sink.Entries.Select(e => e.Offset).ToArray();
        Assert.Equal(offsets.Order(), offsets);
        Assert.Equal(offsets.Length, offsets.Distinct().Count());
    }

    private MessagingOptions Options() => new() { BrokerUri = _broker.AmqpUri, ServiceName = $"follower-{Guid.NewGuid():N}"[..17] };

    private async Task<FollowerRun> StartFollowerAsync(RecordingSink sink, MessagingOptions? options = null)
    {
        var follower = new EventLogFollower(sink, options ?? Options(), NullLogger<EventLogFollower>.Instance);
        var run = await FollowerRun.StartAsync(follower);
        await Eventually.That(() => follower.CheckHealthAsync(new HealthCheckContext()), r => r.Status == HealthStatus.Healthy, Deadline, "follower rebuilt");
        return run;
    }

    private async Task PublishAsync(string patient, int from, int count, List<Guid> published)
    {
        for (var sequence = from; sequence < from + count; sequence++)
        {
            IPatientEvent e = sequence % 2 == 0 ? Events.Vitals(patient, sequence) : Events.Neuro(patient, sequence);
            await _publisher.Bus.Publish(e, e.GetType());
            published.Add(e.EventId);
        }
    }

    /// <summary>Entries that are not Toxicity events: a body that is not JSON, and an envelope of a type that is not a contract.</summary>
    private async Task PublishForeignEntriesAsync()
    {
        await using var connection = await new ConnectionFactory { Uri = _broker.AmqpUri }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(true, true));
        await channel.BasicPublishAsync(string.Empty, EventLog.StreamName, Encoding.UTF8.GetBytes("not json"));
        await channel.BasicPublishAsync(string.Empty, EventLog.StreamName,
            Encoding.UTF8.GetBytes("""{"messageType":["urn:message:Other:Thing"],"message":{"eventId":"6f1c1f86-7a43-4b43-9e1a-0c9d84f2a1b1","patientId":"x"}}"""));
    }

    /// <summary>A sample of a contract record: every constructor parameter filled with a non-default value.</summary>
    private static object Sample(Type type, string patient) =>
        Activator.CreateInstance(type, [.. type.GetConstructors().Single().GetParameters().Select(p => p.Name == nameof(IPatientEvent.PatientId) ? patient : Value(p.ParameterType, patient))])!;

    private static object Value(Type type, string patient) => type switch
    {
        _ when Nullable.GetUnderlyingType(type) is { } underlying => Value(underlying, patient),
        _ when type == typeof(Guid) => Guid.NewGuid(),
        _ when type == typeof(string) => "sample",
        _ when type == typeof(DateTimeOffset) => Events.Epoch.AddSeconds(Random.Shared.Next(1, 1000)),
        _ when type == typeof(DateOnly) => DateOnly.FromDateTime(Events.Epoch.UtcDateTime).AddDays(Random.Shared.Next(1, 100)),
        _ when type == typeof(int) => 2,
        _ when type == typeof(double) => 1.5,
        _ when type == typeof(bool) => true,
        { IsGenericType: true } when type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>) => OneElementArray(type.GetGenericArguments()[0], patient),
        _ => Sample(type, patient),
    };

    private static Array OneElementArray(Type element, string patient)
    {
        var array = Array.CreateInstance(element, 1);
        array.SetValue(Value(element, patient), 0);
        return array;
    }
}

/// <summary>A follower started as the host starts it, stopped and disposed at the end of the test.</summary>
internal sealed class FollowerRun(EventLogFollower follower) : IAsyncDisposable
{
    public static async Task<FollowerRun> StartAsync(EventLogFollower follower)
    {
        await follower.StartAsync(CancellationToken.None);
        return new FollowerRun(follower);
    }

    public Task SyncAsync(CancellationToken cancellationToken) => follower.SyncAsync(cancellationToken);

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context) => follower.CheckHealthAsync(context);

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await follower.StopAsync(timeout.Token);
        follower.Dispose();
    }
}

/// <summary>Records what the follower passes it; can hold one patient's events until released or fail once on an event; notes any concurrent call.</summary>
public sealed class RecordingSink : IEventLogSink
{
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _holding = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentDictionary<Guid, bool> _failOnce = new();
    private string? _held;
    private int _inside;

    public ConcurrentQueue<LoggedEvent> Entries { get; } = new();

    public bool Overlapped { get; private set; }

    /// <summary>Completes when an event of the held patient has reached the sink and waits there.</summary>
#pragma warning disable VSTHRD003 // the sink owns the TaskCompletionSource it hands out
    public Task Holding => _holding.Task;
#pragma warning restore VSTHRD003

    public void Hold(string patientId) => _held = patientId;

    public void FailOnce(Guid eventId) => _failOnce.TryAdd(eventId, true);

    public void Release() => _released.TrySetResult();

    public IReadOnlyList<Guid> EventIds(string patientId) => [.. Entries.Where(e => e.Event.PatientId == patientId).Select(e => e.Event.EventId)];

    public async ValueTask OnEventAsync(LoggedEvent entry, CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _inside) > 1)
        {
            Overlapped = true;
        }

        try
        {
            if (entry.Event.PatientId == _held)
            {
                _holding.TrySetResult();
                await _released.Task.WaitAsync(cancellationToken);
            }

            if (_failOnce.TryRemove(entry.Event.EventId, out _))
            {
                throw new InvalidOperationException("the sink fails once on this entry");
            }

            Entries.Enqueue(entry);
        }
        finally
        {
            Interlocked.Decrement(ref _inside);
        }
    }
}

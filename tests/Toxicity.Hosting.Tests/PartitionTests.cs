using System.Collections.Concurrent;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Toxicity.Contracts;
using Toxicity.Contracts.V1;
using Toxicity.Testing;
using Xunit;

namespace Toxicity.Hosting.Tests;

public sealed class PartitionTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private static readonly Type[] Routed = [typeof(VitalSignsRecorded), typeof(NeuroAssessmentRecorded)];
    private RabbitMqBroker _broker = null!;

    public async Task InitializeAsync() => _broker = await RabbitMqBroker.StartAsync();

    public async Task DisposeAsync() => await _broker.DisposeAsync();

    [Fact]
    public async Task Partition_queues_are_durable_quorum_single_active_consumer_fed_only_through_the_consistent_hash_exchange()
    {
        const string service = "topology";
        await using var host = await StartAsync(service, partitions: 4, new PartitionRecorder("a"));

        for (var i = 0; i < 4; i++)
        {
            var queue = PartitionTopology.QueueName(service, i);
            var depth = await _broker.Management.QueueAsync(queue);
            Assert.NotNull(depth);
            Assert.Equal("quorum", depth.Type);
            Assert.True(depth.Durable);
            var arguments = (await _broker.Management.QueueArgumentsAsync(queue))!;
            Assert.True(arguments["x-single-active-consumer"].GetBoolean());
            var sources = await _broker.Management.BindingSourcesAsync(queue);
            Assert.DoesNotContain(sources, s => s.StartsWith("Toxicity.Contracts", StringComparison.Ordinal));
        }

        var exchange = await _broker.Management.ExchangeAsync(PartitionTopology.ExchangeName(service));
        Assert.NotNull(exchange);
        Assert.Equal("x-consistent-hash", exchange.Value.Type);
        Assert.True(exchange.Value.Durable);
        Assert.Equal(PartitionTopology.PatientIdHeader, exchange.Value.Arguments["hash-header"].GetString());

        // ConfigureEndpoints gave the partition consumer no queue of its own.
        var queues = await _broker.Management.QueueNamesAsync();
        Assert.Equal(
            [.. Enumerable.Range(0, 4).Select(i => PartitionTopology.QueueName(service, i))],
            queues.Where(q => q.StartsWith(service + "-", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Every_event_reaches_exactly_one_partition_and_all_events_of_a_patient_the_same_one()
    {
        var recorder = new PartitionRecorder("a");
        await using var host = await StartAsync("routing", partitions: 4, recorder);
        var patients = Enumerable.Range(0, 40).Select(i => $"routing-patient-{i:00}").ToArray();

        // The first copy of this event fails once: it is consumed after a retry (the endpoints got the retry policy).
        var failsOnce = Guid.NewGuid();
        recorder.FailOnce[failsOnce] = true;
        var published = new List<IPatientEvent>();
        for (var sequence = 0; sequence < 3; sequence++)
        {
            foreach (var patient in patients)
            {
                IPatientEvent e = sequence == 1 ? Events.Neuro(patient, sequence)
                    : Events.Vitals(patient, sequence, patient == patients[7] && sequence == 2 ? failsOnce : null);
                await host.Bus.Publish(e, e.GetType());
                published.Add(e);
            }
        }

        // A duplicate of an event already published is dropped by the once-per-event filter.
        await host.Bus.Publish(published[0], published[0].GetType());

        await Eventually.That(() => Task.FromResult(recorder.Consumed.Count), n => n >= published.Count, Deadline, "every event consumed");
        await Consistently.That(() => Task.FromResult(recorder.Consumed.Count), n => n == published.Count, TimeSpan.FromSeconds(1), "no event consumed twice");

        var consumed = recorder.Consumed.ToArray();
        Assert.Equal(published.Select(e => e.EventId).Order(), consumed.Select(c => c.EventId).Order());
        var queueOf = consumed.GroupBy(c => c.PatientId).ToDictionary(g => g.Key, g => g.Select(c => c.Queue).Distinct().ToArray());
        Assert.All(queueOf.Values, queues => Assert.Single(queues));
        Assert.Equal(
            [.. Enumerable.Range(0, 4).Select(i => PartitionTopology.QueueName("routing", i))],
            queueOf.Values.Select(q => q[0]).Distinct().Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Inside_one_instance_patients_are_handled_concurrently_and_each_patient_one_event_at_a_time()
    {
        var recorder = new PartitionRecorder("a") { Delay = TimeSpan.FromMilliseconds(30) };
        await using var host = await StartAsync("concurrency", partitions: 1, recorder);
        var patients = Enumerable.Range(0, 8).Select(i => $"concurrency-patient-{i}").ToArray();
        for (var sequence = 0; sequence < 5; sequence++)
        {
            foreach (var patient in patients)
            {
                // Two event types: one patient's events must exclude each other whatever their type.
                IPatientEvent e = sequence % 2 == 0 ? Events.Vitals(patient, sequence) : Events.Neuro(patient, sequence);
                await host.Bus.Publish(e, e.GetType());
            }
        }

        await Eventually.That(() => Task.FromResult(recorder.Consumed.Count), n => n == 40, Deadline, "every event consumed");
        Assert.True(recorder.MaxInFlight >= 2, $"patients ran one at a time (max in flight {recorder.MaxInFlight})");
        Assert.Equal(1, recorder.MaxInFlightPerPatient);
        // Not asserted: delivery order. MassTransit hands prefetched deliveries to the partitioner concurrently, so
        // two events of one patient can swap (observed); consumers that need an order take it from the event log.
        Assert.All(recorder.Consumed.GroupBy(c => c.PatientId), g => Assert.Equal([0, 1, 2, 3, 4], g.Select(c => c.Sequence).Order()));
    }

    [Fact]
    public async Task A_partition_count_outside_1_to_64_fails_the_start()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => StartAsync("invalid", partitions: 65, new PartitionRecorder("a")));
        Assert.Contains(nameof(PartitionOptions.PartitionCount), error.ToString(), StringComparison.Ordinal);
    }

    private Task<MessagingHost> StartAsync(string service, int partitions, PartitionRecorder recorder) =>
        MessagingHost.StartAsync(
            _broker.AmqpUri,
            service,
            bus => bus.AddConsumer<PartitionedConsumer>(),
            (context, cfg) => cfg.PartitionedEndpoints<PartitionedConsumer>(context, new PartitionOptions
            {
                ServiceName = service,
                PartitionCount = partitions,
                EventTypes = Routed,
            }),
            builder => builder.Services.AddSingleton(recorder));
}

/// <summary>One consumed event: which instance and partition queue consumed it, and the patient's sequence number.</summary>
public sealed record Consumption(string Instance, string Queue, Guid EventId, string PatientId, int Sequence);

/// <summary>What one instance consumed, how many events it handled at once at most, and which events fail their first attempt.</summary>
public sealed class PartitionRecorder(string instance)
{
    private readonly ConcurrentDictionary<string, int> _inFlightByPatient = new(StringComparer.Ordinal);
    private int _inFlight;
    private int _maxInFlight;
    private int _maxInFlightPerPatient;

    public string Instance => instance;

    public TimeSpan Delay { get; init; }

    public ConcurrentQueue<Consumption> Consumed { get; } = new();

    public ConcurrentDictionary<Guid, bool> FailOnce { get; } = new();

    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    /// <summary>The most events of one patient ever handled at the same time.</summary>
    public int MaxInFlightPerPatient => Volatile.Read(ref _maxInFlightPerPatient);

    public async Task RecordAsync(ConsumeContext context, IPatientEvent e)
    {
        RaiseMax(ref _maxInFlight, Interlocked.Increment(ref _inFlight));
        RaiseMax(ref _maxInFlightPerPatient, _inFlightByPatient.AddOrUpdate(e.PatientId, 1, (_, n) => n + 1));

        try
        {
            if (Delay > TimeSpan.Zero)
            {
                await Task.Delay(Delay);
            }

            if (FailOnce.TryRemove(e.EventId, out _))
            {
                throw new InvalidOperationException("fails on its first attempt");
            }

            var queue = context.ReceiveContext.InputAddress.AbsolutePath.Split('/')[^1];
            Consumed.Enqueue(new Consumption(instance, queue, e.EventId, e.PatientId, Events.Sequence(e.ObservedAt)));
        }
        finally
        {
            _inFlightByPatient.AddOrUpdate(e.PatientId, 0, (_, n) => n - 1);
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private static void RaiseMax(ref int max, int value)
    {
        int seen;
        while (value > (seen = Volatile.Read(ref max)) && Interlocked.CompareExchange(ref max, value, seen) != seen)
        {
        }
    }
}

/// <summary>A consumer of two event types, as a service that folds a patient's timeline has.</summary>
public sealed class PartitionedConsumer(PartitionRecorder recorder) : IConsumer<VitalSignsRecorded>, IConsumer<NeuroAssessmentRecorded>
{
    public Task Consume(ConsumeContext<VitalSignsRecorded> context) => recorder.RecordAsync(context, context.Message);

    public Task Consume(ConsumeContext<NeuroAssessmentRecorded> context) => recorder.RecordAsync(context, context.Message);
}

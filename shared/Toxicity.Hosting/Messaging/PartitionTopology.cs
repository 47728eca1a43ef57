using MassTransit;

namespace Toxicity.Hosting;

/// <summary>
/// One owner per patient across instances (DESIGN.md "Messaging"): a service's events reach it through a
/// consistent-hash exchange <c>{service}.partitions</c>, hashed on the <see cref="PatientIdHeader"/> header, that feeds
/// N durable quorum queues <c>{service}-partition-{i}</c> with single-active-consumer. One instance at a time consumes a
/// partition, and inside it one event of a patient at a time; the other instances wait as standbys.
/// </summary>
/// <remarks>
/// One at a time is not delivery order: MassTransit hands prefetched deliveries to the partitioner concurrently, so two
/// events of one patient can be handled in swapped order (observed in PartitionTests). A consumer that needs the
/// order takes it from the event log, as Grading does (docs/grading-timeline.md).
/// </remarks>
/// <remarks>
/// Changing N re-hashes patients onto other queues: drain the partition queues (stop publishers, wait for them to be
/// empty), deploy with the new count, then delete the queues whose index is no longer used.
/// </remarks>
public static class PartitionTopology
{
    /// <summary>The AMQP header that carries <c>IPatientEvent.PatientId</c> on every published event (a string).</summary>
    public const string PatientIdHeader = "patient-id";

    /// <summary>The exchange type of the <c>rabbitmq_consistent_hash_exchange</c> plugin.</summary>
    public const string ExchangeType = "x-consistent-hash";

    /// <summary>The consistent-hash exchange of a service.</summary>
    public static string ExchangeName(string serviceName) => $"{Normalize(serviceName)}.partitions";

    /// <summary>The queue of one partition of a service.</summary>
    public static string QueueName(string serviceName, int partition) => $"{Normalize(serviceName)}-partition-{partition}";

    /// <summary>
    /// The consistent-hash exchange's declaration arguments. Whoever declares it must use exactly these: RabbitMQ
    /// refuses a redeclaration with other arguments (406).
    /// </summary>
    public static IReadOnlyDictionary<string, object> ExchangeArguments { get; } =
        new Dictionary<string, object>(StringComparer.Ordinal) { ["hash-header"] = PatientIdHeader };

    /// <summary>
    /// Adds the N partition endpoints of <paramref name="options"/> and consumes them with <typeparamref name="TConsumer"/>
    /// (registered with <c>AddConsumer</c>; configuring it here keeps <c>ConfigureEndpoints</c> from giving it a queue
    /// of its own). Each endpoint gets the same quorum queue, retry and once-per-event filter as every other endpoint,
    /// single-active-consumer, no binding to the message-type exchanges, and MassTransit's partitioner on the patient
    /// id around the consumer (all its message types share it), so patients run concurrently inside an instance while
    /// each patient's events are handled one at a time.
    /// </summary>
    public static void PartitionedEndpoints<TConsumer>(this IRabbitMqBusFactoryConfigurator configurator,
        IBusRegistrationContext context, PartitionOptions options)
        where TConsumer : class, IConsumer
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        var partitions = ExchangeName(options.ServiceName);
        var eventExchanges = options.EventTypes.Concat(options.CommandTypes).Select(t => EventLog.ExchangeName(configurator.MessageTopology, t)).ToArray();
        var configureEndpoint = context.GetConfigureReceiveEndpoints();
        for (var partition = 0; partition < options.PartitionCount; partition++)
        {
            var queue = QueueName(options.ServiceName, partition);
            configurator.ReceiveEndpoint(queue, endpoint =>
            {
                // ConfigureEndpoints applies the AddConfigureEndpointsCallback callbacks (quorum, retry); a manual
                // ReceiveEndpoint does not, so they are applied here the same way.
                configureEndpoint.Configure(queue, endpoint);
                endpoint.ConfigureConsumeTopology = false;
                endpoint.SingleActiveConsumer = true;
                // Enough deliveries on hand that a busy patient does not leave the partitioner's other slots idle.
                endpoint.PrefetchCount = options.ConcurrencyPerPartition * 4;
                endpoint.Bind(partitions, hash =>
                {
                    hash.ExchangeType = ExchangeType;
                    hash.Durable = true;
                    hash.AutoDelete = false;
                    foreach (var (key, value) in ExchangeArguments)
                    {
                        hash.SetExchangeArgument(key, value);
                    }

                    // The binding key of a consistent-hash exchange is the destination's weight: equal for every partition.
                    hash.RoutingKey = "1";
                    foreach (var eventExchange in eventExchanges)
                    {
                        // Declared exactly as MassTransit declares a message type's exchange (fanout, durable).
                        hash.Bind(eventExchange, source =>
                        {
                            source.ExchangeType = RabbitMQ.Client.ExchangeType.Fanout;
                            source.Durable = true;
                            source.AutoDelete = false;
                            source.RoutingKey = string.Empty;
                        });
                    }
                });

                // The header was set from IPatientEvent.PatientId at publish. The partitioner goes on the consumer, shared
                // by its message types: on the endpoint's untyped pipe it let one patient's events overlap (observed).
                var partitioner = endpoint.CreatePartitioner(options.ConcurrencyPerPartition);
                endpoint.ConfigureConsumer<TConsumer>(context, consumer => consumer.UsePartitioner(partitioner,
                    consume => consume.Headers.Get<string>(PatientIdHeader) ?? string.Empty));
            });
        }
    }

    /// <summary>
    /// Adds the durable quorum queue <paramref name="queue"/> with a single active consumer (one instance consumes it at a
    /// time, the others wait as standbys) and consumes it with <typeparamref name="TConsumer"/>, with the same retry and
    /// once-per-event filter as every other endpoint: for work that must be done by one instance at a time (e.g. a clock's
    /// requests). Its message types' exchanges are bound as usual.
    /// </summary>
    public static void SingleActiveEndpoint<TConsumer>(this IRabbitMqBusFactoryConfigurator configurator, IBusRegistrationContext context, string queue)
        where TConsumer : class, IConsumer
    {
        ArgumentNullException.ThrowIfNull(context);
        var configureEndpoint = context.GetConfigureReceiveEndpoints();
        configurator.ReceiveEndpoint(queue, endpoint =>
        {
            configureEndpoint.Configure(queue, endpoint);
            endpoint.SingleActiveConsumer = true;
            endpoint.ConfigureConsumer<TConsumer>(context);
        });
    }

    private static string Normalize(string serviceName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(serviceName);
        return serviceName.ToLowerInvariant();
    }
}

/// <summary>Which events a service consumes through its partitions, and how many partitions there are.</summary>
public sealed class PartitionOptions
{
    /// <summary>The most partitions a service may have: each is a quorum queue on every broker node.</summary>
    public const int MaxPartitions = 64;

    /// <summary>The service's name, the prefix of its partition queues and exchange (lower-cased).</summary>
    public required string ServiceName { get; init; }

    /// <summary>
    /// N, the number of partition queues (1 to <see cref="MaxPartitions"/>, default 8): the most instances that can
    /// consume at once. See <see cref="PartitionTopology"/> for how to change it.
    /// </summary>
    public int PartitionCount { get; init; } = 8;

    /// <summary>The event types routed into the partitions: concrete Toxicity contract records that the consumer consumes.</summary>
    public required IReadOnlyList<Type> EventTypes { get; init; }

    /// <summary>
    /// Messages of the service's own routed into the partitions too (e.g. Grading's clock asking the patient's owner to
    /// review it): not events, never in the event log; published with the <see cref="PartitionTopology.PatientIdHeader"/> header set.
    /// </summary>
    public IReadOnlyList<Type> CommandTypes { get; init; } = [];

    /// <summary>How many patients one partition handles at once inside an instance (1 to 64, default 8).</summary>
    public int ConcurrencyPerPartition { get; init; } = 8;

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(ServiceName, nameof(ServiceName));
        ArgumentOutOfRangeException.ThrowIfLessThan(PartitionCount, 1, nameof(PartitionCount));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(PartitionCount, MaxPartitions, nameof(PartitionCount));
        ArgumentOutOfRangeException.ThrowIfLessThan(ConcurrencyPerPartition, 1, nameof(ConcurrencyPerPartition));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ConcurrencyPerPartition, 64, nameof(ConcurrencyPerPartition));
        if (EventTypes is not { Count: > 0 })
        {
            throw new ArgumentException("at least one event type is routed into the partitions", nameof(EventTypes));
        }

        if (EventTypes.FirstOrDefault(t => !EventLog.EventTypes.Contains(t)) is { } foreign)
        {
            throw new ArgumentException($"{foreign.FullName} is not a Toxicity event type (EventLog.EventTypes)", nameof(EventTypes));
        }

        if (CommandTypes.FirstOrDefault(EventLog.EventTypes.Contains) is { } logged)
        {
            throw new ArgumentException($"{logged.FullName} is an event type: list it in EventTypes", nameof(CommandTypes));
        }
    }
}

using System.Collections.Frozen;
using System.Reflection;
using MassTransit;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using RabbitMQ.Client;
using Toxicity.Contracts;

namespace Toxicity.Hosting;

/// <summary>
/// The event log (DESIGN.md "Messaging"): one RabbitMQ stream that the exchange of every Toxicity event type
/// is bound to, so that every event published is kept in publication order, even while the Audit service is down.
/// </summary>
public static class EventLog
{
    /// <summary>The stream's name. The only place it is spelled.</summary>
    public const string StreamName = "toxicity.event-log";

    /// <summary>
    /// The stream's declaration arguments: the queue type and nothing else. Retention is set by a broker policy,
    /// never here: a redeclaration with other arguments fails with 406 (ECOSYSTEM.md "Messaging and the event log").
    /// </summary>
    public static IDictionary<string, object?> StreamArguments() => new Dictionary<string, object?> { ["x-queue-type"] = "stream" };

    /// <summary>Every event type in <c>Toxicity.Contracts</c>: the concrete records that implement <see cref="IPatientEvent"/>.</summary>
    public static IReadOnlyList<Type> EventTypes { get; } =
        [.. typeof(IPatientEvent).Assembly.GetExportedTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IPatientEvent).IsAssignableFrom(t))
            .OrderBy(t => t.FullName, StringComparer.Ordinal)];

    /// <summary>Every event type by its wire name (<c>Toxicity.Contracts.V1:VitalSignsRecorded</c>: the exchange and the envelope's message type).</summary>
    public static FrozenDictionary<string, Type> TypesByWireName { get; } =
        EventTypes.ToFrozenDictionary(WireName, StringComparer.Ordinal);

    /// <summary>The wire name of <paramref name="eventType"/>: <c>Namespace:Type</c>.</summary>
    public static string WireName(Type eventType)
    {
        ArgumentNullException.ThrowIfNull(eventType);
        return $"{eventType.Namespace}:{eventType.Name}";
    }

    /// <summary>The exchange name MassTransit publishes <paramref name="eventType"/> to (<c>Namespace:Type</c>).</summary>
    public static string ExchangeName(IBusTopology topology, Type eventType) =>
        (string)Generic(nameof(ExchangeNameOf), eventType).Invoke(null, [topology])!;

    /// <summary>
    /// The exchange name MassTransit will publish <paramref name="eventType"/> to, from a bus still being configured
    /// (<c>cfg.MessageTopology</c>), for endpoints that bind event exchanges themselves.
    /// </summary>
    public static string ExchangeName(IMessageTopology topology, Type eventType) =>
        (string)Generic(nameof(ConfiguredExchangeNameOf), eventType).Invoke(null, [topology])!;

    private static MethodInfo Generic(string name, Type eventType) =>
        typeof(EventLog).GetMethod(name, BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(eventType);

    private static string ExchangeNameOf<T>(IBusTopology topology)
        where T : class => topology.Message<T>().EntityName;

    private static string ConfiguredExchangeNameOf<T>(IMessageTopology topology)
        where T : class => topology.GetMessageTopology<T>().EntityName;
}

/// <summary>
/// Declares the event-log stream and binds it to every event exchange before the bus starts (it is registered
/// ahead of MassTransit's hosted service, and hosted services start in order), so no event can be published
/// before the log receives it. Idempotent: every service does it at every start. Retries while the broker is
/// unreachable, then fails the start-up loudly.
/// </summary>
internal sealed partial class EventLogTopology(
    IBus bus,
    MessagingOptions options,
    ILogger<EventLogTopology> logger) : IHostedService, IHealthCheck
{
    private volatile bool _declared;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var pipeline = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(e => e is not OperationCanceledException),
                BackoffType = DelayBackoffType.Exponential,
                Delay = TimeSpan.FromMilliseconds(250),
                MaxDelay = TimeSpan.FromSeconds(5),
                MaxRetryAttempts = int.MaxValue,
                OnRetry = args =>
                {
                    LogRetry(logger, args.AttemptNumber + 1, args.Outcome.Exception?.GetType().Name);
                    return ValueTask.CompletedTask;
                },
            })
            .AddTimeout(options.StartupTimeout)
            .Build();

        await pipeline.ExecuteAsync(DeclareAsync, cancellationToken);
        _declared = true;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(_declared ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("event log not declared yet"));

    private async ValueTask DeclareAsync(CancellationToken cancellationToken)
    {
        var factory = new ConnectionFactory { Uri = options.BrokerUri, ClientProvidedName = $"{options.ServiceName}-event-log-topology" };
        await using var connection = await factory.CreateConnectionAsync(cancellationToken);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);

        await channel.QueueDeclareAsync(EventLog.StreamName, durable: true, exclusive: false, autoDelete: false,
            arguments: EventLog.StreamArguments(), cancellationToken: cancellationToken);

        foreach (var eventType in EventLog.EventTypes)
        {
            var exchange = EventLog.ExchangeName(bus.Topology, eventType);
            // Declared exactly as MassTransit declares a message type's exchange, so neither redeclaration fails.
            await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true, autoDelete: false,
                cancellationToken: cancellationToken);
            await channel.QueueBindAsync(EventLog.StreamName, exchange, routingKey: string.Empty,
                cancellationToken: cancellationToken);
        }

        LogDeclared(logger, EventLog.StreamName, EventLog.EventTypes.Count);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Event log {Stream} declared and bound to {ExchangeCount} event exchanges")]
    private static partial void LogDeclared(ILogger logger, string stream, int exchangeCount);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event log declaration failed ({ErrorType}); attempt {Attempt} follows")]
    private static partial void LogRetry(ILogger logger, int attempt, string? errorType);
}

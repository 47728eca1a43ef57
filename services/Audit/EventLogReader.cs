using Microsoft.Extensions.Diagnostics.HealthChecks;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using Toxicity.Hosting;

namespace Toxicity.Audit.Service;

/// <summary>
/// Reads the event-log stream in order with RabbitMQ.Client, from the offset after the last one read (the first
/// at start-up), acking every delivery as streams require (autoAck closes the whole connection).
/// </summary>
internal sealed partial class EventLogReader(
    AuditLog log,
    MessagingOptions options,
    ILogger<EventLogReader> logger) : BackgroundService, IHealthCheck
{
    private const ushort Prefetch = 500;
    private volatile bool _consuming;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(_consuming ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("not reading the event log"));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ReadAsync(stoppingToken);
            }
            catch (Exception error) when (!stoppingToken.IsCancellationRequested)
            {
                _consuming = false;
                LogReconnect(logger, error.GetType().Name, log.LastOffset);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
        }
    }

    private async Task ReadAsync(CancellationToken stoppingToken)
    {
        var factory = new ConnectionFactory
        {
            Uri = options.BrokerUri,
            ClientProvidedName = $"{options.ServiceName}-event-log-reader",
            // Recovery would re-register the consumer with its first offset; this loop reconnects from the last one instead.
            AutomaticRecoveryEnabled = false,
        };
        await using var connection = await factory.CreateConnectionAsync(stoppingToken);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: stoppingToken);
        await channel.BasicQosAsync(0, Prefetch, global: false, stoppingToken);

        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        channel.ChannelShutdownAsync += (_, args) =>
        {
            closed.TrySetException(new InvalidOperationException($"event-log channel closed: {args.ReplyCode}"));
            return Task.CompletedTask;
        };

        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += async (_, delivery) =>
        {
            var offset = delivery.BasicProperties.Headers?.TryGetValue("x-stream-offset", out var value) == true ? Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture) : -1;
            if (AuditRecord.FromEnvelope(offset, delivery.Body) is { } record)
            {
                log.Append(record);
            }
            else
            {
                log.Skip(offset);
                LogUnreadable(logger, offset);
            }

            await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false, stoppingToken);
        };

        object start = log.LastOffset < 0 ? "first" : log.LastOffset + 1;
        await channel.BasicConsumeAsync(EventLog.StreamName, autoAck: false, consumerTag: string.Empty, noLocal: false, exclusive: false,
            arguments: new Dictionary<string, object?> { ["x-stream-offset"] = start }, consumer, stoppingToken);
        _consuming = true;
        LogReading(logger, EventLog.StreamName, start);

        await closed.Task.WaitAsync(stoppingToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Reading {Stream} from offset {Offset}")]
    private static partial void LogReading(ILogger logger, string stream, object offset);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event-log reader failed ({ErrorType}); reconnecting after offset {Offset}")]
    private static partial void LogReconnect(ILogger logger, string errorType, long offset);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event-log entry at offset {Offset} is not a Toxicity event; skipped")]
    private static partial void LogUnreadable(ILogger logger, long offset);
}

using MassTransit;
using Microsoft.Extensions.Options;
using Toxicity.Contracts;

namespace Toxicity.Ingestion.Service;

/// <summary>The broker did not confirm in time (down, unreachable or blocked): the caller answers 503.</summary>
internal sealed class BrokerUnavailableException(Exception? inner) : Exception("the broker did not confirm the publish in time", inner);

/// <summary>
/// Publishes events and returns once the broker confirmed every one (publisher confirms), all in flight at once:
/// publishes are never serialized. A publish not confirmed within the timeout raises
/// <see cref="BrokerUnavailableException"/>. Retrying is safe: event ids are deterministic where the caller gave an
/// Idempotency-Key, and every consumer drops an id it has seen.
/// </summary>
internal sealed class EventPublisher(IBus publisher, IOptions<IngestionOptions> options)
{
    private readonly TimeSpan _timeout = TimeSpan.FromSeconds(options.Value.PublishTimeoutSeconds);

    public async Task PublishAsync(IReadOnlyList<IPatientEvent> events, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        try
        {
            await Task.WhenAll(events.Select(e => publisher.Publish(e, e.GetType(), timeout.Token)));
        }
        catch (Exception error) when (!cancellationToken.IsCancellationRequested && error is OperationCanceledException or MassTransitException or RabbitMQ.Client.Exceptions.BrokerUnreachableException)
        {
            throw new BrokerUnavailableException(error);
        }
    }
}

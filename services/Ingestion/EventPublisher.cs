using MassTransit;
using Microsoft.Extensions.Options;
using Toxicity.Contracts;
using Toxicity.Hosting;

namespace Toxicity.Ingestion.Service;

/// <summary>
/// Publishes a request's events with Ingestion's timeout (<see cref="ConfirmedPublish"/>): once the broker confirmed
/// every one, or <see cref="BrokerUnavailableException"/>. Retrying is safe: event ids are deterministic where the
/// caller gave an Idempotency-Key, and every consumer drops an id it has seen.
/// </summary>
internal sealed class EventPublisher(IBus publisher, IOptions<IngestionOptions> options)
{
    private readonly TimeSpan _timeout = TimeSpan.FromSeconds(options.Value.PublishTimeoutSeconds);

    public Task PublishAsync(IReadOnlyList<IPatientEvent> events, CancellationToken cancellationToken) =>
        ConfirmedPublish.PublishAsync(publisher, events, _timeout, cancellationToken);
}

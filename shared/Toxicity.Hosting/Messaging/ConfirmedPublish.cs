using MassTransit;
using Microsoft.AspNetCore.Http;
using Toxicity.Contracts;

namespace Toxicity.Hosting;

/// <summary>The broker did not confirm in time (down, unreachable or blocked): the caller answers 503.</summary>
public sealed class BrokerUnavailableException(Exception? inner) : Exception("the broker did not confirm the publish in time", inner);

/// <summary>
/// Publishing for an HTTP request: returns once the broker confirmed every event (publisher confirms), all in flight at
/// once, never serialized. Not confirmed within the timeout, or refused by an unreachable broker, it raises
/// <see cref="BrokerUnavailableException"/>, and <see cref="Unavailable"/> is the answer.
/// </summary>
public static class ConfirmedPublish
{
    /// <summary>How long a client should wait before sending a request the broker did not confirm again.</summary>
    public const int RetryAfterSeconds = 5;

    public static async Task PublishAsync(IBus bus, IReadOnlyList<IPatientEvent> events, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bus);
        ArgumentNullException.ThrowIfNull(events);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await Task.WhenAll(events.Select(e => bus.Publish(e, e.GetType(), deadline.Token)));
        }
        catch (Exception error) when (!cancellationToken.IsCancellationRequested && error is OperationCanceledException or MassTransitException or RabbitMQ.Client.Exceptions.BrokerUnreachableException)
        {
            throw new BrokerUnavailableException(error);
        }
    }

    /// <summary>The 503 problem (with <c>Retry-After</c>) for a request whose <paramref name="what"/> the broker did not confirm.</summary>
    public static IResult Unavailable(HttpResponse response, string what)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Broker unavailable",
            detail: $"The {what} was not confirmed in time; send it again.");
    }
}

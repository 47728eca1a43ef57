namespace Toxicity.Hosting;

/// <summary>The broker connection, read once from <c>ConnectionStrings:rabbitmq</c> (an amqp URI with user, password and vhost).</summary>
public sealed class MessagingOptions
{
    /// <summary>The broker, e.g. <c>amqp://user:password@127.0.0.1:5672/toxicity</c>.</summary>
    public required Uri BrokerUri { get; init; }

    /// <summary>The service's name: the prefix of its queue names and its name in traces.</summary>
    public required string ServiceName { get; init; }

    /// <summary>How long start-up waits for the broker before it fails (<c>Messaging:StartupTimeoutSeconds</c>, default 120).</summary>
    public TimeSpan StartupTimeout { get; init; } = TimeSpan.FromSeconds(120);
}

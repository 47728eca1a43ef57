using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Toxicity.Contracts;

namespace Toxicity.Hosting;

/// <summary>MassTransit over RabbitMQ, the way every Toxicity service uses it.</summary>
public static class MessagingExtensions
{
    /// <summary>
    /// MassTransit on RabbitMQ from <c>ConnectionStrings:rabbitmq</c>: publisher confirms, quorum queues named
    /// <c>{service}-{consumer}</c>, consumers run once per event id, bounded exponential retry then the <c>_error</c>
    /// queue (poison at once: malformed JSON, an unknown contract or version, an event that breaks its contract), the patient id in the <see cref="PartitionTopology.PatientIdHeader"/> header of every published event,
    /// every published event signed with the service's key (<see cref="EventSigner"/>),
    /// and the event-log stream declared and bound before the bus starts. <paramref name="endpoints"/> adds receive
    /// endpoints of the service's own (e.g. <see cref="PartitionTopology.PartitionedEndpoints{TConsumer}"/>) before
    /// <c>ConfigureEndpoints</c> gives the remaining consumers their queues.
    /// </summary>
    public static WebApplicationBuilder AddToxicityMessaging(
        this WebApplicationBuilder builder,
        Action<IBusRegistrationConfigurator> configure,
        Action<IBusRegistrationContext, IRabbitMqBusFactoryConfigurator>? endpoints = null)
    {
        var connectionString = builder.Configuration.GetConnectionString("rabbitmq");
        if (string.IsNullOrWhiteSpace(connectionString) || !Uri.TryCreate(connectionString, UriKind.Absolute, out var brokerUri))
        {
            throw new InvalidOperationException(
                "ConnectionStrings:rabbitmq must be an amqp URI, e.g. ConnectionStrings__rabbitmq=amqp://guest:guest@127.0.0.1:5672/");
        }

        var serviceName = builder.ServiceName();
        var timeoutSeconds = builder.Configuration.GetValue("Messaging:StartupTimeoutSeconds", 120);
        if (timeoutSeconds <= 0)
        {
            throw new InvalidOperationException("Messaging:StartupTimeoutSeconds must be a positive number of seconds.");
        }

        var options = new MessagingOptions
        {
            BrokerUri = brokerUri,
            ServiceName = serviceName,
            StartupTimeout = TimeSpan.FromSeconds(timeoutSeconds),
        };
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<ProcessedEvents>();
        builder.Services.AddSingleton(new EventSigner(builder.Configuration));

        // Registered before AddMassTransit: hosted services start in registration order, so the event log is
        // bound before the bus can publish anything.
        builder.Services.AddSingleton<EventLogTopology>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<EventLogTopology>());
        builder.Services.AddHealthChecks().AddCheck<EventLogTopology>("event-log", tags: [ServiceDefaults.ReadyTag]);

        builder.Services.AddMassTransit(bus =>
        {
            // MassTransit 8.5 would post usage reports to usage-tracking.masstransit.io: nothing leaves the hospital's
            // network unasked (seen in the load suite's logs as failed lookups from every service).
            bus.DisableUsageTelemetry();
            // Without the prefix, two services with a consumer of the same event would share one queue and
            // silently split its messages between them (STYLE.md "Composing a service").
            bus.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter(serviceName.ToLowerInvariant(), includeNamespace: false));
            bus.AddConfigureEndpointsCallback((_, endpoint) =>
            {
                if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
                {
                    rabbit.SetQuorumQueue();
                }

                // No delayed-exchange plugin on Debian's broker: immediate exponential retry, then _error; an event that
                // breaks its contract will not mend, so it goes there at once.
                endpoint.UseMessageRetry(r =>
                {
                    r.Exponential(5, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(400));
                    r.Ignore<InvalidEventException>();
                });
                // Poison of every kind in one place: an unknown contract or version faults to _error like malformed JSON.
                endpoint.ConfigureDeadLetter(deadLetter => deadLetter.UseFilter(new NotConsumedFilter()));
            });

            configure(bus);

            bus.UsingRabbitMq((context, cfg) =>
            {
                cfg.Host(brokerUri, host =>
                {
                    host.PublisherConfirmation = true;
                    host.ConnectionName(serviceName);
                });
                // IPatientEvent and IPatientCommand are how Hosting sees events and commands; neither may become an exchange.
                cfg.Publish<IPatientEvent>(p => p.Exclude = true);
                cfg.Publish<IPatientCommand>(p => p.Exclude = true);
                // Poison never reaches a consumer: an event that breaks its envelope's contract faults first.
                cfg.UseConsumeFilter(typeof(ValidEventFilter<>), context);
                // At-least-once delivery, exactly-once effects: every consumer runs once per event id.
                cfg.UseConsumeFilter(typeof(OncePerEventFilter<>), context);
                cfg.ConfigurePublish(publish => publish.UseFilter(new PatientEventHeadersFilter(context.GetRequiredService<EventSigner>())));
                // After the filters: they reach consumers through configuration observers, so a consumer configured
                // on an endpoint before them would not get them.
                endpoints?.Invoke(context, cfg);
                cfg.ConfigureEndpoints(context);
            });
        });

        return builder;
    }
}

using Toxicity.Hosting;
using Toxicity.Mitigation.Service.Clock;
using Toxicity.Mitigation.Service.Consumers;

namespace Toxicity.Mitigation.Service;

/// <summary>How the Mitigation service is put together (Program.cs reads as the table of contents).</summary>
internal static class Extensions
{
    /// <summary>Mitigation's settings, checked at start-up (the site's jurisdiction, the clock).</summary>
    public static MitigationOptions AddMitigationOptions(this WebApplicationBuilder builder)
    {
        var options = MitigationOptions.From(builder.Configuration);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddEffectLedger(builder.Configuration);
        return options;
    }

    /// <summary>
    /// The causes of advice reach <see cref="AdviceConsumer"/> through a queue of its own; the clock's review requests a
    /// queue with a single active consumer (one instance records reviews at a time). Every instance folds the whole event log.
    /// </summary>
    public static WebApplicationBuilder AddMitigationMessaging(this WebApplicationBuilder builder)
    {
        builder.AddToxicityMessaging(
            bus =>
            {
                bus.AddConsumer<AdviceConsumer>();
                bus.AddConsumer<DoseReviewConsumer>();
            },
            (context, rabbit) => rabbit.SingleActiveEndpoint<DoseReviewConsumer>(context, DoseReviewConsumer.Queue(builder.ServiceName())));
        builder.AddEventLogFollower<MitigationBook>();
        return builder;
    }

    /// <summary>The clock of "advice before the dose": dose reviews as they come due.</summary>
    public static WebApplicationBuilder AddMitigationClock(this WebApplicationBuilder builder)
    {
        builder.Services.AddHostedService<MitigationClock>();
        return builder;
    }
}

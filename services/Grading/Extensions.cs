using Toxicity.Grading.Events;
using Toxicity.Grading.Service.Clock;
using Toxicity.Grading.Service.Consumers;
using Toxicity.Hosting;

namespace Toxicity.Grading.Service;

/// <summary>How the Grading service is put together (Program.cs reads as the table of contents).</summary>
internal static class Extensions
{
    /// <summary>Grading's settings, checked at start-up, and the windows of rule set /2 the timelines use.</summary>
    public static GradingOptions AddGradingOptions(this WebApplicationBuilder builder)
    {
        var options = GradingOptions.From(builder.Configuration);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(options.Windows);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddEffectLedger(builder.Configuration);
        return options;
    }

    /// <summary>
    /// Observations and the clock's review requests reach the consumer through per-patient partitions
    /// (docs/grading-timeline.md "Exactly once"); every instance folds the whole event log into the grade book.
    /// </summary>
    public static WebApplicationBuilder AddGradingMessaging(this WebApplicationBuilder builder, GradingOptions options)
    {
        var partitions = new PartitionOptions
        {
            ServiceName = builder.ServiceName(),
            PartitionCount = options.Partitions,
            EventTypes = GradingObservations.EventTypes,
            CommandTypes = [typeof(ReviewPatient)],
        };
        builder.AddToxicityMessaging(
            bus => bus.AddConsumer<ObservationConsumer>(),
            (context, rabbit) => rabbit.PartitionedEndpoints<ObservationConsumer>(context, partitions));
        builder.AddEventLogFollower<GradeBook>();
        return builder;
    }

    /// <summary>The cut-over to the live rule set and the clock of rule set /2 (CLINICAL-RULES.md §8.4-§8.5).</summary>
    public static WebApplicationBuilder AddGradingClock(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<RuleSetAdoption>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<RuleSetAdoption>());
        builder.Services.AddHealthChecks().AddCheck<RuleSetAdoption>("rule-set-adopted", tags: [ServiceDefaults.ReadyTag]);
        builder.Services.AddHostedService<GradingClock>();
        return builder;
    }
}

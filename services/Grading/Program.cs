using Toxicity.Grading.Events;
using Toxicity.Grading.Service;
using Toxicity.Grading.Service.Consumers;
using Toxicity.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddToxicityDefaults();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<EffectLedger>();

// Observations reach the consumer through per-patient partitions (docs/grading-timeline.md "Exactly once").
var partitions = new PartitionOptions
{
    ServiceName = builder.ServiceName(),
    PartitionCount = builder.Configuration.GetValue("Grading:Partitions", 8),
    EventTypes = GradingObservations.EventTypes,
};
builder.AddToxicityMessaging(
    bus => bus.AddConsumer<ObservationConsumer>(),
    (context, rabbit) => rabbit.PartitionedEndpoints<ObservationConsumer>(context, partitions));

// Every instance folds the whole event log into the grade book; each publishes for the partitions it owns.
builder.AddEventLogFollower<GradeBook>();

var app = builder.Build();
app.MapToxicityDefaults();
app.MapGroup("/api/v1").MapGradingEndpoints();
app.Run();

/// <summary>The entry point; public so that tests can host the service with WebApplicationFactory.</summary>
public partial class Program;

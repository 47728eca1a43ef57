using Toxicity.Grading.Service;
using Toxicity.Grading.Service.Consumers;
using Toxicity.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddToxicityDefaults();
builder.AddToxicityMessaging(bus => bus.AddConsumer<VitalSignsRecordedConsumer>(typeof(VitalSignsRecordedConsumerDefinition)));
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<CrsGrades>();

var app = builder.Build();
app.MapToxicityDefaults();
app.MapGroup("/api/v1").MapGradingEndpoints();
app.Run();

/// <summary>The entry point; public so that tests can host the service with WebApplicationFactory.</summary>
public partial class Program;

using Toxicity.Hosting;
using Toxicity.Ingestion.Service;
using Toxicity.Ingestion.Service.Fhir;

var builder = WebApplication.CreateBuilder(args);
builder.AddToxicityDefaults();
builder.AddToxicityMessaging(_ => { });
builder.Services.AddOptions<IngestionOptions>().BindConfiguration(IngestionOptions.Section).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<IngestionStore>();
builder.Services.AddSingleton<EventPublisher>();
builder.Services.AddSingleton<Submissions>();
builder.Services.AddSingleton<FhirSubmissions>();
builder.Services.AddOpenApi();

var app = builder.Build();
app.MapToxicityDefaults();
app.MapOpenApi();
app.MapGroup("/api/v1").MapIngestionEndpoints();
app.MapGroup("/fhir/r4").MapFhirEndpoints();
FhirJson.WarmUp();
app.Run();

/// <summary>The entry point; public so that tests can host the service with WebApplicationFactory.</summary>
public partial class Program;

using Toxicity.Grading.Service;
using Toxicity.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddToxicityDefaults();
var grading = builder.AddGradingOptions();
builder.AddGradingMessaging(grading);
builder.AddGradingClock();

var app = builder.Build();
app.MapToxicityDefaults();
app.MapGroup("/api/v1").MapGradingEndpoints();
app.Run();

/// <summary>The entry point; public so that tests can host the service with WebApplicationFactory.</summary>
public partial class Program;

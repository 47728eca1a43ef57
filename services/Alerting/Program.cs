using Toxicity.Alerting.Service;
using Toxicity.Alerting.Service.Webhooks;
using Toxicity.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddToxicityDefaults();
builder.AddAlertingSignIn();
builder.AddAlerts();
builder.AddPatientCharts();
builder.AddProgrammeMeasures();
builder.AddWebhooks();

var app = builder.Build();
app.MapToxicityDefaults();
app.UseWardBoard();
app.MapGroup("/api/v1").MapAlertingEndpoints().MapPatientChartEndpoints().MapWebhookEndpoints();
app.MapWardBoard();
app.MapProgrammeMeasures();
app.Run();

/// <summary>The entry point; public so that tests can host the service with WebApplicationFactory.</summary>
public partial class Program;

using Toxicity.Audit.Service;
using Toxicity.Grading.V2;
using Toxicity.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddToxicityDefaults();
builder.AddToxicityMessaging(_ => { });
builder.Services.AddOptions<AuditOptions>().BindConfiguration(AuditOptions.Section);
builder.Services.AddSingleton<AuditStore>();
builder.Services.AddSingleton<LogVerifier>();
builder.Services.AddSingleton<Regrader>();
// Re-grading under rule set /2 uses the site's windows, the same settings as Grading's (Grading:Windows:…).
builder.Services.AddSingleton(builder.Configuration.GetSection("Grading:Windows").Get<GradingWindows>() ?? GradingWindows.Default);
// Every entry of the log, in order, into the chain and the index (SQLite), resuming after the last one stored.
builder.AddEventLogFollower<AuditLog>();

var app = builder.Build();
app.MapToxicityDefaults();
app.MapGroup("/api/v1").MapAuditEndpoints();
app.Run();

/// <summary>The entry point; public so that tests can host the service with WebApplicationFactory.</summary>
public partial class Program;

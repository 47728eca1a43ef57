using Toxicity.Alerting.Service;
using Toxicity.Alerting.Service.Consumers;
using Toxicity.Alerting.Service.Webhooks;
using Toxicity.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddToxicityDefaults();
// API keys for machine clients; the ward board's session cookie for clinicians in a browser.
builder.AddSessionAuthentication(BoardEndpoints.CookieName, Roles.Clinician);
builder.Services.AddWardBoardSignInLimit();
builder.AddToxicityMessaging(bus => bus.AddConsumer<GradeChangedConsumer>());
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddEffectLedger(builder.Configuration);
builder.Services.AddSingleton<AlertFeed>();
builder.Services.AddSingleton<AlertPolicies>();
// Wards, alerts and advice are folded from the event log; the alert for a grade change is decided there.
builder.AddEventLogFollower<AlertBook>();
builder.Services.AddHostedService<Escalator>();
builder.AddWebhooks();

var app = builder.Build();
app.MapToxicityDefaults();
app.UseWardBoard();
app.MapGroup("/api/v1").MapAlertingEndpoints().MapWebhookEndpoints();
app.MapWardBoard();
app.Run();

/// <summary>The entry point; public so that tests can host the service with WebApplicationFactory.</summary>
public partial class Program;

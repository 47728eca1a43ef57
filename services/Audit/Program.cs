using Toxicity.Audit.Service;
using Toxicity.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddToxicityDefaults();
builder.AddToxicityMessaging(_ => { });
builder.Services.AddSingleton<AuditLog>();
builder.Services.AddSingleton<EventLogReader>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<EventLogReader>());
builder.Services.AddHealthChecks().AddCheck<EventLogReader>("event-log-reader", tags: [ServiceDefaults.ReadyTag]);

var app = builder.Build();
app.MapToxicityDefaults();
app.MapGroup("/api/v1").MapAuditEndpoints();
app.Run();

using Toxicity.Audit.Service;
using Toxicity.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddToxicityDefaults();
builder.AddToxicityMessaging(_ => { });
builder.AddEventLogFollower<AuditLog>();

var app = builder.Build();
app.MapToxicityDefaults();
app.MapGroup("/api/v1").MapAuditEndpoints();
app.Run();

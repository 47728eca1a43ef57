using Toxicity.Alerting.Service;
using Toxicity.Alerting.Service.Consumers;
using Toxicity.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddToxicityDefaults();
builder.AddToxicityMessaging(bus =>
{
    bus.AddConsumer<CrsGradeChangedConsumer>();
    bus.AddConsumer<MitigationAdvisedConsumer>();
});
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<AlertFeed>();

var app = builder.Build();
app.MapToxicityDefaults();
app.MapGroup("/api/v1").MapAlertingEndpoints();
app.Run();

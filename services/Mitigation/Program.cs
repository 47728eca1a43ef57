using Toxicity.Hosting;
using Toxicity.Mitigation.Service.Consumers;

var builder = WebApplication.CreateBuilder(args);
builder.AddToxicityDefaults();
builder.AddToxicityMessaging(bus => bus.AddConsumer<CrsGradeChangedConsumer>());
builder.Services.AddSingleton(TimeProvider.System);

var app = builder.Build();
app.MapToxicityDefaults();
app.Run();

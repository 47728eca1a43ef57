using Toxicity.Hosting;
using Toxicity.Ingestion.Service;

var builder = WebApplication.CreateBuilder(args);
builder.AddToxicityDefaults();
builder.AddToxicityMessaging(_ => { });
builder.Services.AddSingleton(TimeProvider.System);

var app = builder.Build();
app.MapToxicityDefaults();
app.MapGroup("/api/v1").MapIngestionEndpoints();
app.Run();

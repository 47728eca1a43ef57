using System.Text.Json;
using System.Text.Json.Serialization;
using Toxicity.Hosting;
using Toxicity.Mitigation.Service;
using Toxicity.Mitigation.Service.Consumers;

var builder = WebApplication.CreateBuilder(args);
builder.AddToxicityDefaults();
builder.AddToxicityMessaging(bus => bus.AddConsumer<AdviceConsumer>());
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<EffectLedger>();
// The patients, their plans and the advice given are folded from the event log; advice is decided there.
builder.AddEventLogFollower<MitigationBook>();
builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase)));

var app = builder.Build();
app.MapToxicityDefaults();
app.MapGroup("/api/v1").MapMitigationEndpoints();
app.Run();

/// <summary>The entry point; public so that tests can host the service with WebApplicationFactory.</summary>
public partial class Program;

using System.Text.Json;
using System.Text.Json.Serialization;
using Toxicity.Hosting;
using Toxicity.Mitigation.Regimens;
using Toxicity.Mitigation.Service;

var builder = WebApplication.CreateBuilder(args);
builder.AddToxicityDefaults();
builder.AddMitigationOptions();
// The patients, their plans, courses and the advice given are folded from the event log; advice is decided there.
builder.AddMitigationMessaging();
builder.AddMitigationClock();
builder.Services.ConfigureHttpJsonOptions(json =>
{
    // Before the enum converter: a jurisdiction is written as its list of codes (["US","EU"]), not as flag names.
    json.SerializerOptions.Converters.Add(new JurisdictionJsonConverter());
    json.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
});

var app = builder.Build();
app.MapToxicityDefaults();
app.MapGroup("/api/v1").MapMitigationEndpoints();
app.Run();

/// <summary>The entry point; public so that tests can host the service with WebApplicationFactory.</summary>
public partial class Program;

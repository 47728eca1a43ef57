using Toxicity.Audit.Service;
using Toxicity.Audit.Service.CdsHooks;
using Toxicity.Audit.Service.Fhir;
using Toxicity.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddToxicityDefaults();
builder.AddAudit();
builder.AddCdsHooks();
builder.AddFhirSubscriptions();

var app = builder.Build();
app.MapToxicityDefaults();
app.MapGroup("/api/v1").MapAuditEndpoints();
app.MapFhirGrades();
app.MapFhirSubscriptions();
app.MapCdsHooks();
app.Run();

/// <summary>The entry point; public so that tests can host the service with WebApplicationFactory.</summary>
public partial class Program;

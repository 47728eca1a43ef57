using Toxicity.Hosting;
using Toxicity.Ingestion.Service;

var builder = WebApplication.CreateBuilder(args);
builder.AddToxicityDefaults();
// What wards send is validated, published once the broker confirms, and answered with its event id.
builder.AddIngestion();

var app = builder.Build();
app.MapToxicityDefaults();
app.MapIngestion();
app.Run();

/// <summary>The entry point; public so that tests can host the service with WebApplicationFactory.</summary>
public partial class Program;

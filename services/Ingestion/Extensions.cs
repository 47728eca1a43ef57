using Toxicity.Hosting;
using Toxicity.Ingestion.Service.Fhir;
using Toxicity.Ingestion.Service.Hl7v2;

namespace Toxicity.Ingestion.Service;

/// <summary>How the Ingestion service is put together (Program.cs reads as the table of contents).</summary>
internal static class Extensions
{
    /// <summary>Ingestion's settings (checked at start-up), its idempotency store, the publisher of what wards send, and the HL7 v2 MLLP listener.</summary>
    public static WebApplicationBuilder AddIngestion(this WebApplicationBuilder builder)
    {
        builder.AddToxicityMessaging(_ => { });
        builder.Services.AddOptions<IngestionOptions>().BindConfiguration(IngestionOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<IngestionStore>();
        builder.Services.AddSingleton<EventPublisher>();
        builder.Services.AddSingleton<Submissions>();
        builder.Services.AddSingleton<FhirSubmissions>();
        builder.Services.AddSingleton<FhirValidation>();
        builder.Services.AddHostedService(services => services.GetRequiredService<FhirValidation>());
        builder.Services.AddOptions<MllpOptions>().BindConfiguration(MllpOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<MllpSubmissions>();
        builder.Services.AddHostedService<MllpListener>();
        builder.Services.AddOpenApi();
        return builder;
    }

    /// <summary>The JSON API, its OpenAPI document and the FHIR R4 endpoint (its parser warmed up before the first request).</summary>
    public static WebApplication MapIngestion(this WebApplication app)
    {
        app.MapOpenApi();
        app.MapGroup("/api/v1").MapIngestionEndpoints();
        app.MapGroup("/fhir/r4").MapFhirEndpoints();
        FhirJson.WarmUp();
        return app;
    }
}

using Firely.Fhir.Validation;
using Hl7.Fhir.Model;
using Hl7.Fhir.Specification.Source;
using Hl7.Fhir.Specification.Terminology;
using Microsoft.Extensions.Options;
using Task = System.Threading.Tasks.Task;

namespace Toxicity.Ingestion.Service.Fhir;

/// <summary>
/// Validation with Firely.Fhir.Validation.R4 against the R4 base specification (the specification.zip of
/// Hl7.Fhir.Specification.Data.R4), and against the vital-signs profile for an Observation that claims it
/// (<c>meta.profile</c>). Errors refuse the resource (400, the validator's element path); warnings do not.
/// </summary>
/// <remarks>
/// Building the validator costs about 6 s of CPU and 90 MB: done once, in the background once started when
/// <see cref="IngestionOptions.WarmUpFhirValidation"/> is set (the default), else on the first FHIR request.
/// Each validation then takes about 5 ms.
/// </remarks>
internal sealed class FhirValidation(IOptions<IngestionOptions> options, IHostApplicationLifetime lifetime) : IHostedService
{
    public const string VitalSignsProfile = "http://hl7.org/fhir/StructureDefinition/vitalsigns";

    private readonly Lock _gate = new();
    private Task<Validator>? _validator;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Once the service has started (the bus connected): the validator's CPU does not slow the start-up itself.
        if (options.Value.WarmUpFhirValidation)
        {
            lifetime.ApplicationStarted.Register(() => _ = Validator());
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The error-level issues of <paramref name="resource"/>, their expressions under <paramref name="at"/> (e.g. <c>Bundle.entry[2].resource</c>).</summary>
    public async Task<IReadOnlyList<FhirIssue>> ValidateAsync(Resource resource, string at)
    {
#pragma warning disable VSTHRD003 // built once by this instance, then shared by every request
        var validator = await Validator();
#pragma warning restore VSTHRD003
        var profile = resource is Observation observation && ClaimsVitalSigns(observation) ? VitalSignsProfile : null;
        var outcome = profile is null ? validator.Validate(resource) : validator.Validate(resource, profile);
        return [.. outcome.Issue
            .Where(i => i.Severity is OperationOutcome.IssueSeverity.Error or OperationOutcome.IssueSeverity.Fatal)
            .Select(i => new FhirIssue(StatusCodes.Status400BadRequest,
                i.Expression.FirstOrDefault() is { } path ? Rebase(path, resource.TypeName, at) : at,
                (profile is null ? "FHIR R4: " : "FHIR R4 vital-signs profile: ") + (i.Details?.Text ?? i.Diagnostics ?? "invalid")))];
    }

    private Task<Validator> Validator()
    {
        lock (_gate)
        {
            return _validator ??= Task.Run(Build);
        }
    }

    /// <summary>
    /// The profile is checked when <c>meta.profile</c> claims it. The vital-signs category alone does not: the profile
    /// binds component units to its common vital-sign units, which leaves out the L/min of an oxygen-flow component
    /// that pulse oximetry Observations commonly carry (US Core's pulse oximetry profile among them).
    /// </summary>
    public static bool ClaimsVitalSigns(Observation observation) => observation.Meta?.Profile.Contains(VitalSignsProfile) == true;

    private static string Rebase(string path, string type, string at) =>
        path.StartsWith(type, StringComparison.Ordinal) ? at + path[type.Length..] : $"{at}.{path}";

    private static Validator Build()
    {
        var resolver = new CachedResolver(ZipSource.CreateValidationSource());
        var validator = new Validator(resolver, new LocalTerminologyService(resolver));

        // Compiles the schemas this service validates against, so that a ward's first request does not wait for it.
        _ = validator.Validate(new Observation { Status = ObservationStatus.Final, Code = new CodeableConcept("http://loinc.org", "8867-4") }, VitalSignsProfile);
        _ = validator.Validate(new MedicationAdministration { Status = MedicationAdministration.MedicationAdministrationStatusCodes.Completed });
        return validator;
    }
}

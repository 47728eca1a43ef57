using Hl7.Fhir.Model;

namespace Toxicity.Ingestion.Service.Fhir;

/// <summary>
/// <c>GET /fhir/r4/metadata</c>: the CapabilityStatement, listing exactly what this endpoint takes, and the project's
/// code systems it refers to. Built once; a test validates it with Firely against the R4 base.
/// </summary>
internal static class Capabilities
{
    public static readonly IReadOnlyDictionary<string, CodeSystem> CodeSystems = new Dictionary<string, CodeSystem>(StringComparer.Ordinal)
    {
        ["neuro-assessment"] = ProjectCodeSystems.NeuroAssessmentCodeSystem(),
        ["treatment"] = ProjectCodeSystems.TreatmentCodeSystem(),
    };

    public static readonly CapabilityStatement Statement = new()
    {
        Status = PublicationStatus.Active,
        Date = "2026-12-01",
        Publisher = "Toxicity",
        Kind = CapabilityStatementKind.Instance,
        Software = new CapabilityStatement.SoftwareComponent { Name = "Toxicity Ingestion" },
        Implementation = new CapabilityStatement.ImplementationComponent
        {
            Description = "Toxicity Ingestion: ward observations and treatments for CRS and ICANS grading (docs/fhir.md)",
        },
        FhirVersion = FHIRVersion.N4_0_1,
        Format = [FhirJson.ContentType],
        Rest =
        [
            new CapabilityStatement.RestComponent
            {
                Mode = CapabilityStatement.RestfulCapabilityMode.Server,
                Documentation = new Markdown("Create only: what is posted becomes events for grading; nothing is read back here " +
                    "(grades are read back as Observations from the Audit service's FHIR endpoint, /fhir/r4/Observation). Every create answers 201 only once the message broker confirmed it; " +
                    "the resource id is the idempotency key (a resend is answered the same and records nothing new)."),
                Security = new CapabilityStatement.SecurityComponent
                {
                    Cors = false,
                    Description = new Markdown("An API key in the X-Api-Key header, with the role ward-system (metadata and CodeSystem read are open)."),
                },
                Resource =
                [
                    new CapabilityStatement.ResourceComponent
                    {
                        Type = "Observation",
                        Profile = "http://hl7.org/fhir/StructureDefinition/Observation",
                        SupportedProfile = [FhirValidation.VitalSignsProfile],
                        Documentation = new Markdown("Vital signs (LOINC 8310-5, 8867-4, 9279-1, 85354-9 with 8480-6/8462-4, 8478-0, 59408-5, 2708-6, 3151-8, " +
                            "3150-0, and the IEEE 11073-10101 codes of docs/hl7v2.md; UCUM units; dataAbsentReason taken), the vital signs panel 85353-1 " +
                            "in a Bundle with its members, and neuro assessments coded " + ProjectCodeSystems.NeuroAssessment + "|neuroAssessment. " +
                            "effective[x] with a time and its offset. Validated against the R4 base and, when meta.profile claims it, the vital-signs profile."),
                        Interaction = [new CapabilityStatement.ResourceInteractionComponent { Code = CapabilityStatement.TypeRestfulInteraction.Create }],
                    },
                    new CapabilityStatement.ResourceComponent
                    {
                        Type = "MedicationAdministration",
                        Profile = "http://hl7.org/fhir/StructureDefinition/MedicationAdministration",
                        Documentation = new Markdown("Treatments given (status completed): category, medicationCodeableConcept and dosage.route in " +
                            ProjectCodeSystems.Treatment + ", dosage.dose in UCUM, effective[x] with a time and its offset."),
                        Interaction = [new CapabilityStatement.ResourceInteractionComponent { Code = CapabilityStatement.TypeRestfulInteraction.Create }],
                    },
                    new CapabilityStatement.ResourceComponent
                    {
                        Type = "CodeSystem",
                        Profile = "http://hl7.org/fhir/StructureDefinition/CodeSystem",
                        Documentation = new Markdown("The project's code systems: neuro-assessment and treatment."),
                        Interaction = [new CapabilityStatement.ResourceInteractionComponent { Code = CapabilityStatement.TypeRestfulInteraction.Read }],
                    },
                ],
                Interaction =
                [
                    new CapabilityStatement.SystemInteractionComponent { Code = CapabilityStatement.SystemRestfulInteraction.Transaction },
                    new CapabilityStatement.SystemInteractionComponent { Code = CapabilityStatement.SystemRestfulInteraction.Batch },
                ],
            },
        ],
    };
}

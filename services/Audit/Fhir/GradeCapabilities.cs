using System.Text.Json.Nodes;

namespace Toxicity.Audit.Service.Fhir;

/// <summary>
/// <c>GET /fhir/r4/metadata</c> of Audit's FHIR endpoint: exactly what it serves (grade Observations, read and search;
/// its code systems), with the Observation's components documented. A test validates it with Firely against R4.
/// </summary>
internal static class GradeCapabilities
{
    public static JsonObject Statement => new()
    {
        ["resourceType"] = "CapabilityStatement",
        ["status"] = "active",
        ["date"] = "2026-12-01",
        ["publisher"] = "Toxicity",
        ["kind"] = "instance",
        ["software"] = new JsonObject { ["name"] = "Toxicity Audit" },
        ["implementation"] = new JsonObject { ["description"] = "Toxicity Audit: the published CRS and ICANS grades as FHIR Observations, for the EHR (docs/fhir-grades.md)" },
        ["fhirVersion"] = "4.0.1",
        ["format"] = new JsonArray(FhirEndpoints.ContentType),
        ["rest"] = new JsonArray(new JsonObject
        {
            ["mode"] = "server",
            ["documentation"] = "Grades, read only: every grade change Grading published to the event log (and whose signature Audit checked valid) is an "
                + "Observation, its id the grade change's event id. Observations of ward readings are posted to the Ingestion service's FHIR endpoint.",
            ["security"] = new JsonObject
            {
                ["cors"] = false,
                ["description"] = "A bearer token of the hospital's identity provider (OpenID Connect) or an API key in X-Api-Key, with the role clinician "
                    + "or auditor; each read and search is recorded in the signed event log (AuditRequested). metadata and CodeSystem read are open.",
            },
            ["resource"] = new JsonArray(
                new JsonObject
                {
                    ["type"] = "Observation",
                    ["profile"] = "http://hl7.org/fhir/StructureDefinition/Observation",
                    ["documentation"] = "A published grade: code " + GradeCodeSystems.Grade + " (" + GradeCodeSystems.AstctCrs + ", " + GradeCodeSystems.AstctIcans + ", "
                        + GradeCodeSystems.CtcaeCrs + "); valueInteger the grade; method the rule set (" + GradeCodeSystems.RuleSetSystem + "); effectiveDateTime the "
                        + "clinical time the grade holds from; issued and meta.lastUpdated when it was published; derivedFrom the observation whose arrival "
                        + "changed it (absent when the clock did: a reading gone stale, an episode closed); status preliminary for possible CRS under "
                        + "premedication, else final. Components, each coded in " + GradeCodeSystems.Grade + ": " + GradeCodeSystems.LowerBound + " (valueBoolean: "
                        + "the grade is at least the value), " + GradeCodeSystems.Provisional + " (valueBoolean), " + GradeCodeSystems.Stale + " (valueBoolean), and one "
                        + GradeCodeSystems.CriterionComponent + " per criterion (valueCodeableConcept in " + GradeCodeSystems.Criterion + ").",
                    ["interaction"] = new JsonArray(new JsonObject { ["code"] = "read" }, new JsonObject { ["code"] = "search-type" }),
                    ["searchParam"] = new JsonArray(
                        Parameter("subject", "reference", "Required (or patient): Patient/{pseudonymous id}; grades are searched per patient."),
                        Parameter("patient", "reference", "The same as subject."),
                        Parameter("code", "token", "Grade codes, comma-separated, with or without the system; other codes match nothing."),
                        Parameter("_lastUpdated", "date", "When published; prefixes eq, gt, ge, lt, le; may repeat for a range."),
                        Parameter("_count", "number", $"Page size, 1 to {FhirEndpoints.MaxCount} ({FhirEndpoints.DefaultCount} by default); the next link pages on with _offset.")),
                },
                new JsonObject
                {
                    ["extension"] = new JsonArray(new JsonObject
                    {
                        ["url"] = Notifications.Backport + "capabilitystatement-subscriptiontopic-canonical",
                        ["valueCanonical"] = Notifications.Topic,
                    }),
                    ["type"] = "Subscription",
                    ["profile"] = "http://hl7.org/fhir/StructureDefinition/Subscription",
                    ["supportedProfile"] = new JsonArray(Notifications.Backport + "backport-subscription"),
                    ["documentation"] = "Subscriptions R5 Backport IG for R4: criteria the topic " + Notifications.Topic + " (every grade change published), "
                        + "optionally filtered (backport-filter-criteria: Observation?subject=Patient/{id}, Observation?code=<grade codes>); channel rest-hook "
                        + "with payload application/fhir+json and content id-only (default), full-resource or empty; heartbeat-period, timeout (10 s) and "
                        + "max-count (10) extensions; channel.header sent with every notification (never shown back). Handshake, heartbeats, "
                        + "event notifications in order with events-since-subscription-start; a failing endpoint is retried with back-off and the status is "
                        + "error with the reason until it answers; $status and $events to recover what was missed. Kept across restarts.",
                    ["interaction"] = new JsonArray(new JsonObject { ["code"] = "create" }, new JsonObject { ["code"] = "read" }, new JsonObject { ["code"] = "delete" }),
                    ["operation"] = new JsonArray(
                        new JsonObject { ["name"] = "status", ["definition"] = "http://hl7.org/fhir/uv/subscriptions-backport/OperationDefinition/backport-subscription-status" },
                        new JsonObject { ["name"] = "events", ["definition"] = "http://hl7.org/fhir/uv/subscriptions-backport/OperationDefinition/backport-subscription-events" }),
                },
                new JsonObject
                {
                    ["type"] = "CodeSystem",
                    ["profile"] = "http://hl7.org/fhir/StructureDefinition/CodeSystem",
                    ["documentation"] = "The code systems the Observations use: toxicity-grade, rule-set, grading-criterion.",
                    ["interaction"] = new JsonArray(new JsonObject { ["code"] = "read" }),
                }),
        }),
    };

    private static JsonObject Parameter(string name, string type, string documentation) => new()
    {
        ["name"] = name,
        ["type"] = type,
        ["documentation"] = documentation,
    };
}

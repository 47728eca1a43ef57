using System.Text.Json.Nodes;
using Toxicity.Grading;

namespace Toxicity.Audit.Service.Fhir;

/// <summary>
/// The code systems of the grade Observations (docs/fhir-grades.md), published in the repository as
/// docs/fhir/CodeSystem-{id}.json (a test keeps those files equal to what <c>GET /fhir/r4/CodeSystem/{id}</c> serves).
/// </summary>
internal static class GradeCodeSystems
{
    public const string Base = "https://toxicity.dev/fhir/CodeSystem/";
    public const string Grade = Base + "toxicity-grade";
    public const string RuleSetSystem = Base + "rule-set";
    public const string Criterion = Base + "grading-criterion";

    public const string AstctCrs = "astct-crs-grade";
    public const string AstctIcans = "astct-icans-grade";
    public const string CtcaeCrs = "ctcae-crs-grade";
    public const string LowerBound = "lower-bound";
    public const string Provisional = "provisional";
    public const string Stale = "stale";
    public const string CriterionComponent = "criterion";

    /// <summary>Display of each grade code.</summary>
    public static readonly IReadOnlyDictionary<string, string> Displays = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [AstctCrs] = "ASTCT CRS grade",
        [AstctIcans] = "ASTCT ICANS grade",
        [CtcaeCrs] = "CTCAE v5.0 CRS grade",
        [LowerBound] = "Lower bound",
        [Provisional] = "Possible CRS, to confirm",
        [Stale] = "Kept from readings no longer current",
        [CriterionComponent] = "Grading criterion",
    };

    public static readonly IReadOnlyDictionary<string, JsonObject> All = new Dictionary<string, JsonObject>(StringComparer.Ordinal)
    {
        ["toxicity-grade"] = GradeSystem(),
        ["rule-set"] = RuleSets(),
        ["grading-criterion"] = Criteria(),
    };

    private static JsonObject GradeSystem() => CodeSystem("toxicity-grade", "ToxicityGrade", "Toxicity grades and their marks",
        "What a Toxicity grade Observation is (its code) and the marks it carries (its components). The grades are decided by "
        + "the rule set named in Observation.method from the observations in Observation.derivedFrom; decision support, for a "
        + "clinician to confirm.",
        "complete",
        [
            Concept(AstctCrs, "The ASTCT 2019 consensus grade of cytokine release syndrome, 0 (none) to 4 (CLINICAL-RULES.md §1, §8), as an integer."),
            Concept(AstctIcans, "The ASTCT 2019 consensus grade of immune effector cell-associated neurotoxicity syndrome, 0 (none) to 4 (CLINICAL-RULES.md §2, §8), as an integer."),
            Concept(CtcaeCrs, "The NCI CTCAE v5.0 grade of cytokine release syndrome, 0 (none) to 5, computed by convention C-CTC-1 (CLINICAL-RULES.md §3), as an integer."),
            Concept(LowerBound, "A component, boolean: true when the grade is at least its value, a reading that could raise it being missing (CLINICAL-RULES.md §8.1, C2-LB-1, C2-LB-2)."),
            Concept(Provisional, "A component, boolean: true for possible CRS under premedication, for a clinician to confirm (CLINICAL-RULES.md §8.3, C2-MASK-1); the Observation's status is then preliminary."),
            Concept(Stale, "A component, boolean: true when the grade is kept from readings that are no longer current (CLINICAL-RULES.md §8.2); missing or old data never lowers a grade."),
            Concept(CriterionComponent, "A component, CodeableConcept in " + Criterion + ": one criterion the grade rests on (docs/grading-criteria.md); one component per criterion."),
        ]);

    private static JsonObject RuleSets() => CodeSystem("rule-set", "ToxicityRuleSet", "Toxicity grading rule sets",
        "The versioned rule sets Toxicity grades with (Observation.method). A published rule set is frozen; a change of rules is a new one.",
        "complete",
        [.. new[] { RuleSet.Astct2019, RuleSet.Astct2019v2, RuleSet.Ctcae5Crs, RuleSet.Ctcae5CrsV2 }.Select(r => Concept(r.Id, r.Citation, r.Id))]);

    private static JsonObject Criteria() => CodeSystem("grading-criterion", "ToxicityGradingCriterion", "Toxicity grading criteria",
        "The criteria a Toxicity grade rests on (e.g. crs.fever, icans.ice.7): every code with its meaning is listed in "
        + "docs/grading-criteria.md of the Toxicity repository, by rule set.",
        "not-present",
        []);

    private static JsonObject CodeSystem(string id, string name, string title, string description, string content, JsonObject[] concepts)
    {
        var system = new JsonObject
        {
            ["resourceType"] = "CodeSystem",
            ["id"] = id,
            ["url"] = Base + id,
            ["version"] = "1",
            ["name"] = name,
            ["title"] = title,
            ["status"] = "active",
            ["experimental"] = false,
            ["date"] = "2026-12-01",
            ["publisher"] = "Toxicity",
            ["description"] = description,
            ["caseSensitive"] = true,
            ["content"] = content,
        };
        if (concepts.Length > 0)
        {
            system["count"] = concepts.Length;
            system["concept"] = new JsonArray([.. concepts]);
        }

        return system;
    }

    private static JsonObject Concept(string code, string definition, string? display = null) => new()
    {
        ["code"] = code,
        ["display"] = display ?? Displays[code],
        ["definition"] = definition,
    };
}

namespace Toxicity.Hosting;

/// <summary>The roles (DESIGN.md "Reliability and security"); each is also the name of the policy that requires it.</summary>
public static class Roles
{
    public const string WardSystem = "ward-system";
    public const string Clinician = "clinician";
    public const string Auditor = "auditor";
}

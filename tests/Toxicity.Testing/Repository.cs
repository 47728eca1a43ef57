using System.Reflection;

namespace Toxicity.Testing;

/// <summary>Where the repository and the built services are, as recorded when this assembly was built.</summary>
public static class Repository
{
    private static readonly Assembly This = typeof(Repository).Assembly;

    public static string Root { get; } = Metadata("RepositoryRoot");

    public static string Configuration { get; } = Metadata("Configuration");

    /// <summary>The built entry assembly of a service, e.g. <c>ServiceDll("Grading")</c>.</summary>
    public static string ServiceDll(string service) =>
        Path.Combine(Root, "services", service, "bin", Configuration, "net10.0", $"Toxicity.{service}.Service.dll");

    private static string Metadata(string key) =>
        This.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
        ?? throw new InvalidOperationException($"assembly metadata {key} is missing");
}

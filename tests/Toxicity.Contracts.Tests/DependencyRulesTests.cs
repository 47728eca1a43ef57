using System.Reflection;
using Xunit;

namespace Toxicity.Contracts.Tests;

/// <summary>Dependencies point inward (STYLE.md "Layout"): each rule is checked on the built assemblies.</summary>
public sealed class DependencyRulesTests
{
    private static readonly string[] Infrastructure = ["MassTransit", "RabbitMQ", "Microsoft.AspNetCore", "Serilog", "OpenTelemetry", "Polly", "Microsoft.Extensions.Logging"];

    [Fact]
    public void Contracts_reference_nothing_but_the_base_class_library() =>
        Assert.All(References(typeof(IPatientEvent).Assembly), name =>
            Assert.True(name is "System.Runtime" or "netstandard" || name.StartsWith("System.", StringComparison.Ordinal), $"Contracts references {name}"));

    [Theory]
    [InlineData(typeof(Grading.CrsGrade))]
    [InlineData(typeof(Mitigation.Advice))]
    [InlineData(typeof(Alerting.AlertPolicy))]
    public void Domain_libraries_reference_no_transport_hosting_logging_or_contracts(Type domainType) =>
        Assert.All(References(domainType.Assembly), name =>
        {
            Assert.DoesNotContain(Infrastructure, prefix => name.StartsWith(prefix, StringComparison.Ordinal));
            Assert.NotEqual("Toxicity.Contracts", name);
        });

    [Fact]
    public void The_grading_event_mapping_references_contracts_and_grading_but_no_transport_hosting_or_logging() =>
        Assert.All(References(typeof(Grading.Events.GradingObservations).Assembly), name =>
        {
            Assert.DoesNotContain(Infrastructure, prefix => name.StartsWith(prefix, StringComparison.Ordinal));
            Assert.NotEqual("Toxicity.Hosting", name);
        });

    [Fact]
    public void Hosting_references_no_domain_library() =>
        Assert.All(References(typeof(Hosting.EventIds).Assembly), name =>
            Assert.True(name is not ("Toxicity.Grading" or "Toxicity.Mitigation" or "Toxicity.Alerting"), $"Hosting references {name}"));

    private static IEnumerable<string> References(Assembly assembly) => assembly.GetReferencedAssemblies().Select(a => a.Name!);
}

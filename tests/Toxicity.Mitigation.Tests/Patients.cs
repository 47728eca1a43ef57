using System.Text.RegularExpressions;
using Toxicity.Mitigation.Regimens;
using Xunit;

namespace Toxicity.Mitigation.Tests;

/// <summary>Small regimens and patients built in the tests, independent of the catalogue's contents.</summary>
internal static partial class Patients
{
    public static Regimen Regimen(string drug, RegimenStatus status = RegimenStatus.Label, IReadOnlyList<DelayRule>? delays = null) =>
        new($"test-{drug}", drug, "test setting", status, Route.Intravenous, [new CycleLength(1, null, 21)], null, [],
            "test regimen", DelayRules: delays);

    public static PatientContext On(string drug, double? weightKg = null, double? bsa = null, RegimenStatus status = RegimenStatus.Label) =>
        new(Regimen(drug, status), weightKg, bsa, null);

    public static PatientContext WithoutRegimen(double? weightKg = null) => new(null, weightKg, null, null);

    /// <summary>
    /// Every item is worded for a clinician to confirm (or says it is not encoded), cites a CLINICAL-RULES.md section,
    /// has a stable lower-case dot/kebab code, and no code repeats in one answer.
    /// </summary>
    public static void AssertWellFormed(IReadOnlyList<Advice> advice)
    {
        Assert.All(advice, a =>
        {
            Assert.True(WordedForConfirmation().IsMatch(a.Text), $"not worded for a clinician to confirm: {a.Text}");
            Assert.StartsWith("CLINICAL-RULES.md §", a.Source, StringComparison.Ordinal);
            Assert.Matches(CodeShape(), a.Code);
        });
        Assert.Equal(advice.Count, advice.Select(a => a.Code).Distinct(StringComparer.Ordinal).Count());
    }

    [GeneratedRegex(@"^(Consider \(clinician to confirm\): |Per the [^:]+ label \(clinician to confirm\): |Not encoded: consult )")]
    private static partial Regex WordedForConfirmation();

    [GeneratedRegex(@"^[a-z0-9]+(?:[.-][a-z0-9]+)*$")]
    private static partial Regex CodeShape();
}

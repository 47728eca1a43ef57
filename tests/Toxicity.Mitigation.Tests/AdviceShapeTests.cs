using Toxicity.Grading.Timeline;
using Toxicity.Mitigation.Regimens;
using Xunit;

namespace Toxicity.Mitigation.Tests;

/// <summary>Every item the advisor can give, over every drug, scale, rise, weight and event, is well formed.</summary>
public sealed class AdviceShapeTests
{
    private static readonly string?[] Drugs = [null, "blinatumomab", "glofitamab", "mosunetuzumab", "epcoritamab", "odronextamab", "teclistamab"];

    private static IEnumerable<PatientContext> AllPatients() =>
        from drug in Drugs
        from status in new[] { RegimenStatus.Label, RegimenStatus.Investigational }
        from weight in new double?[] { null, 20, 44.9, 45, 120 }
        from bsa in new double?[] { null, 0.8, 2.0 }
        select new PatientContext(drug is null ? null : Patients.Regimen(drug, status), weight, bsa, null);

    [Fact]
    public void Every_grade_rise_item_is_worded_for_a_clinician_to_confirm_and_cites_clinical_rules()
    {
        var count = 0;
        foreach (var patient in AllPatients())
        {
            foreach (var scale in new[] { GradeScale.Crs, GradeScale.Icans })
            {
                for (var previous = 0; previous <= 5; previous++)
                {
                    for (var next = 0; next <= 5; next++)
                    {
                        var advice = MitigationAdvisor.OnGradeChanged(patient, scale, previous, next, ["icans.seizure.nonConvulsiveEeg"]);
                        Patients.AssertWellFormed(advice);
                        if (next <= previous)
                        {
                            Assert.Empty(advice);
                        }

                        count += advice.Count;
                    }
                }
            }
        }

        Assert.True(count > 0);
    }

    [Fact]
    public void Every_interruption_restart_and_delay_item_is_worded_for_a_clinician_to_confirm_and_never_empty()
    {
        foreach (var patient in AllPatients())
        {
            var interrupted = MitigationAdvisor.OnInfusionInterrupted(patient);
            Patients.AssertWellFormed(interrupted);
            Assert.NotEmpty(interrupted);
            foreach (var hours in new[] { 0, 3, 4, 168, 169, 500 })
            {
                var restarted = MitigationAdvisor.OnInfusionRestarted(patient, TimeSpan.FromHours(hours));
                Patients.AssertWellFormed(restarted);
                Assert.NotEmpty(restarted);
                var delayed = MitigationAdvisor.OnDoseDelayed(patient, "1 mg (C1D1)", TimeSpan.FromHours(hours));
                Patients.AssertWellFormed(delayed);
                Assert.NotEmpty(delayed);
            }
        }
    }

    [Fact]
    public void Label_advice_comes_before_the_general_rows()
    {
        foreach (var drug in Drugs.OfType<string>())
        {
            foreach (var scale in new[] { GradeScale.Crs, GradeScale.Icans })
            {
                for (var next = 1; next <= 4; next++)
                {
                    var codes = MitigationAdvisor.OnGradeChanged(Patients.On(drug, 70), scale, 0, next, []).Select(a => a.Code).ToList();
                    var firstGeneral = codes.FindIndex(c => c.StartsWith("general.", StringComparison.Ordinal));
                    Assert.True(firstGeneral >= 0, $"{drug} {scale} {next}: no general rows");
                    Assert.All(codes.Skip(firstGeneral), c => Assert.StartsWith("general.", c, StringComparison.Ordinal));
                }
            }
        }
    }
}

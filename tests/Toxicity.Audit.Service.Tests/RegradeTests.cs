using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Toxicity.Contracts.V1;
using Toxicity.Testing;
using Xunit;

namespace Toxicity.Audit.Service.Tests;

/// <summary>
/// Re-grading on a real broker: the grade changes the Grading service recorded are exactly what the current engine gives
/// (an empty report), and grade changes recorded under other rules are reported, difference by difference.
/// </summary>
public sealed class RegradeTests : AuditProcess
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task With_unchanged_rules_the_grade_changes_Grading_recorded_regrade_to_an_empty_report()
    {
        await using var grading = new ServiceProcess("Grading", Broker.AmqpUri);
        await grading.StartAsync();
        var patient = AuditTests.Patient();
        var now = DateTimeOffset.UtcNow.AddHours(-1);
        await Events.PublishAsync(
            new PatientAdmitted(Guid.NewGuid(), patient, now, now, 58, 72.5, 174, 1.87, "DLBCL", "haem-3", null),
            AuditTests.Vitals(patient, now.AddMinutes(10), 38.9),
            AuditTests.Vitals(patient, now.AddMinutes(20), 38.7) with { Hypotensive = true, SystolicMmHg = 84 },
            new NeuroAssessmentRecorded(Guid.NewGuid(), patient, now.AddMinutes(30), now, 5, null, "awakensToVoice", "none", "none", "none"),
            AuditTests.Vitals(patient, now.AddMinutes(40), 37.0) with { Hypotensive = false });

        using var auditor = Audit.CreateClient(Auditor);
        await Eventually.That(
            async () => (await auditor.GetStringAsync($"api/v1/audit/events?patientId={patient}&types=CrsGradeChanged,IcansGradeChanged")).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length,
            count => count >= 3,
            Deadline,
            "Grading's changes (CRS 0→1→2, ICANS 0→2) in the audit log");

        var report = await RegradeAsync(auditor, new { patientId = patient });
        Assert.Equal(0, report.GetProperty("differences").GetArrayLength());
        Assert.True(report.GetProperty("recordedChanges").GetInt32() >= 3);
        Assert.Equal(report.GetProperty("recordedChanges").GetInt32(), report.GetProperty("regradedChanges").GetInt32());
        Assert.Equal("astct-2019/2", report.GetProperty("ruleSet").GetString()); // the live rule set
    }

    [Fact]
    public async Task Grade_changes_recorded_under_other_rules_are_each_reported_with_what_the_current_rules_give()
    {
        var patient = AuditTests.Patient();
        var now = DateTimeOffset.UtcNow.AddHours(-2);
        var fever = AuditTests.Vitals(patient, now.AddMinutes(10), 38.9);
        var hypotensive = AuditTests.Vitals(patient, now.AddMinutes(20), 38.7) with { Hypotensive = true, SystolicMmHg = 84 };
        // As an older rule set recorded them: the fever graded 2, and nothing recorded for a later observation.
        await Events.PublishAsync(
            new PatientAdmitted(Guid.NewGuid(), patient, now, now, 58, 72.5, 174, 1.87, "DLBCL", "haem-3", null),
            fever,
            new CrsGradeChanged(Guid.NewGuid(), patient, fever.ObservedAt, now, fever.EventId, 0, 2, "astct-2019/0", ["crs.fever", "crs.hypoxia.lowFlow"]),
            hypotensive);
        using var auditor = Audit.CreateClient(Auditor);
        await Eventually.That(
            async () => (await auditor.GetStringAsync($"api/v1/audit/events?patientId={patient}&types=VitalSignsRecorded")).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length,
            count => count == 2,
            Deadline,
            "the observations in the audit log");

        var report = await RegradeAsync(auditor, new { patientId = patient, ruleSet = "astct-2019/1" });
        var differences = report.GetProperty("differences").EnumerateArray().ToList();
        Assert.Equal(1, report.GetProperty("recordedChanges").GetInt32());
        Assert.Equal(2, differences.Count);
        var changed = differences[0];
        Assert.Equal(("crs", fever.EventId), (changed.GetProperty("scale").GetString(), changed.GetProperty("causedByEventId").GetGuid()));
        Assert.Equal((0, 2, "astct-2019/0"), (changed.GetProperty("recorded").GetProperty("previousGrade").GetInt32(),
            changed.GetProperty("recorded").GetProperty("newGrade").GetInt32(), changed.GetProperty("recorded").GetProperty("ruleSet").GetString()));
        var regraded = changed.GetProperty("regraded");
        Assert.Equal((0, 1, "astct-2019/1"), (regraded.GetProperty("previousGrade").GetInt32(), regraded.GetProperty("newGrade").GetInt32(), regraded.GetProperty("ruleSet").GetString()));
        Assert.Contains("crs.fever", regraded.GetProperty("criteria").EnumerateArray().Select(c => c.GetString()));
        // The rise to 2 with hypotension was never recorded: reported with nothing on the recorded side.
        var missing = differences[1];
        Assert.Equal((hypotensive.EventId, JsonValueKind.Null, 1, 2), (missing.GetProperty("causedByEventId").GetGuid(), missing.GetProperty("recorded").ValueKind,
            missing.GetProperty("regraded").GetProperty("previousGrade").GetInt32(), missing.GetProperty("regraded").GetProperty("newGrade").GetInt32()));

        // A window selects by the cause's clinical time: the same differences inside it, none before it.
        var window = await RegradeAsync(auditor, new { from = now.AddMinutes(5).ToString("O"), to = now.AddMinutes(25).ToString("O") });
        Assert.Equal(2, window.GetProperty("differences").EnumerateArray().Count(d => d.GetProperty("patientId").GetString() == patient));
        var before = await RegradeAsync(auditor, new { from = now.AddMinutes(-30).ToString("O"), to = now.AddMinutes(5).ToString("O") });
        Assert.DoesNotContain(before.GetProperty("differences").EnumerateArray(), d => d.GetProperty("patientId").GetString() == patient);
    }

    [Fact]
    public async Task Issue_14_comparing_rule_sets_1_and_2_lists_exactly_the_differences_on_consciousness_and_masking_and_none_for_a_course_they_agree_on()
    {
        var now = DateTimeOffset.UtcNow.AddHours(-3);
        // The cut-over to /2 is in the log first: what follows was recorded under /2 (an awakensSpontaneously is a drowsy patient).
        await Events.PublishAsync(new RuleSetAdopted(Guid.NewGuid(), "*", now, now, "astct-2019/2", "ctcae-5.0-crs/2"));
        var differing = AuditTests.Patient();
        var drowsy = new NeuroAssessmentRecorded(Guid.NewGuid(), differing, now.AddMinutes(5), now, 10, null, "awakensSpontaneously", "none", "none", "none");
        var norepinephrine = Complete(differing, now.AddMinutes(40), 37.2) with
        {
            Hypotensive = true, Vasopressors = [new VasopressorInfusion("norepinephrine", 0.08, "ug/kg/min", false)],
        };
        var agreeing = AuditTests.Patient();
        var fever = Complete(agreeing, now.AddMinutes(10), 38.6);
        var fluids = Complete(agreeing, now.AddMinutes(20), 38.4) with { Hypotensive = true };
        await Events.PublishAsync(
            Admission(differing, now), drowsy,
            new TreatmentAdministered(Guid.NewGuid(), differing, now.AddMinutes(10), now, "premedication", "dexamethasone", 16, "mg", "IV"),
            new TreatmentAdministered(Guid.NewGuid(), differing, now.AddMinutes(20), now, "bispecificDose", "epcoritamab", 0.16, "mg", "SC"),
            Complete(differing, now.AddMinutes(20), 36.9), norepinephrine,
            Admission(agreeing, now), fever, fluids,
            new NeuroAssessmentRecorded(Guid.NewGuid(), agreeing, now.AddMinutes(30), now, 5, null, "alert", "none", "none", "none"));
        using var auditor = Audit.CreateClient(Auditor);
        await Eventually.That(
            async () => (await auditor.GetStringAsync($"api/v1/audit/events?patientId={differing}&types=VitalSignsRecorded")).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length,
            count => count == 2,
            Deadline,
            "the recorded course in the audit log");

        var report = await RegradeAsync(auditor, new { patientId = differing, ruleSet = "astct-2019/2", compareTo = "astct-2019/1" });
        var agreed = await RegradeAsync(auditor, new { patientId = agreeing, ruleSet = "astct-2019/2", compareTo = "astct-2019/1" });

        Assert.Equal(("astct-2019/2", "astct-2019/1"), (report.GetProperty("ruleSet").GetString(), report.GetProperty("compareTo").GetString()));
        var differences = report.GetProperty("differences").EnumerateArray().ToList();
        Assert.Equal([("icans", drowsy.EventId), ("crs", norepinephrine.EventId)],
            differences.Select(d => (d.GetProperty("scale").GetString(), d.GetProperty("causedByEventId").GetGuid())));
        // R2-CON-1: awakens spontaneously is grade 1 under /2, 0 (no change) under /1.
        Assert.Equal((0, 1), (differences[0].GetProperty("regraded").GetProperty("previousGrade").GetInt32(), differences[0].GetProperty("regraded").GetProperty("newGrade").GetInt32()));
        Assert.Equal(JsonValueKind.Null, differences[0].GetProperty("comparedTo").ValueKind);
        // C2-MASK-2: hypotension without fever after premedication is possible CRS 3 under /2; /1 calls it no CRS.
        var masked = differences[1].GetProperty("regraded");
        Assert.Equal((0, 3, true), (masked.GetProperty("previousGrade").GetInt32(), masked.GetProperty("newGrade").GetInt32(), masked.GetProperty("provisional").GetBoolean()));
        Assert.Equal(JsonValueKind.Null, differences[1].GetProperty("comparedTo").ValueKind);
        Assert.Equal(JsonValueKind.Null, differences[1].GetProperty("recorded").ValueKind);

        Assert.Equal(0, agreed.GetProperty("differences").GetArrayLength());
        Assert.Equal(3, agreed.GetProperty("regradedChanges").GetInt32()); // CRS 0→1→2, ICANS 0→2, the same under both
        Assert.Equal(3, agreed.GetProperty("recordedChanges").GetInt32());
    }

    [Theory]
    [InlineData("""{"patientId":"p-1","ruleSet":"astct-2019/2","compareTo":"astct-2019/2"}""", "compareTo")]
    [InlineData("""{"patientId":"p-1","compareTo":"astct-2019/7"}""", "compareTo")]
    [InlineData("""{"patientId":"p-1","ruleSet":"astct-2031/9"}""", "ruleSet")]
    [InlineData("""{}""", "patientId")]
    [InlineData("""{"patientId":"p-1","from":"monday"}""", "from")]
    [InlineData("""{"patientId":"p-1","colour":"red"}""", "colour")]
    public async Task A_bad_regrade_request_gets_a_problem_naming_the_field(string body, string field)
    {
        using var auditor = Audit.CreateClient(Auditor);
        using var response = await auditor.PostAsync("api/v1/audit/regrade", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _));
    }

    private static PatientAdmitted Admission(string patient, DateTimeOffset at) => new(Guid.NewGuid(), patient, at, at, 58, 72.5, 174, 1.87, "DLBCL", "haem-3", null);

    /// <summary>A complete set of vital signs, as a ward charts it: temperature, not hypotensive, no vasopressor, no oxygen.</summary>
    private static VitalSignsRecorded Complete(string patient, DateTimeOffset at, double temperature) =>
        new(Guid.NewGuid(), patient, at, at, temperature, 90, 18, 120, 80, 97, OxygenDevice: "none", Hypotensive: false, Vasopressors: []);

    private static async Task<JsonElement> RegradeAsync(HttpClient auditor, object request)
    {
        using var response = await auditor.PostAsJsonAsync("api/v1/audit/regrade", request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}

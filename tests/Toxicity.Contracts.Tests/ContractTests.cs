using System.Runtime.CompilerServices;
using System.Text.Json;
using Toxicity.Contracts.V1;
using Xunit;

namespace Toxicity.Contracts.Tests;

/// <summary>
/// Contracts are append-only (STYLE.md "Versioning rule"): every event's wire shape is pinned by a JSON snapshot
/// under Snapshots/, so any change to a contract fails here until the snapshot is updated in the same commit.
/// </summary>
public sealed class ContractTests
{
    // MassTransit's System.Text.Json serializer writes camelCase property names, as the web defaults do.
    private static readonly JsonSerializerOptions Wire = new(JsonSerializerDefaults.Web) { WriteIndented = true };
    private static readonly DateTimeOffset Observed = new(2026, 11, 25, 8, 30, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Recorded = Observed.AddSeconds(2);
    private static readonly Guid Id = new("0195f3a4-0000-7000-8000-000000000001");
    private static readonly Guid Cause = new("0195f3a4-0000-7000-8000-000000000002");

    private static readonly IReadOnlyDictionary<Type, IPatientEvent> Samples = new IPatientEvent[]
    {
        new VitalSignsRecorded(Id, "p-001", Observed, Recorded, 38.5, 112, 22, 104, 62, 95, 76, "lowFlowNasalCannula", 3, 32, true, true,
            [new VasopressorInfusion("norepinephrine", 0.05, "ug/kg/min", false), new VasopressorInfusion("vasopressin", 0.03, "U/min", true)]),
        new PatientAdmitted(Id, "p-001", Observed, Recorded, 58, 72.5, 174, 1.87, "DLBCL", "haem-3", null, false, null),
        new PatientDetailsUpdated(Id, "p-001", Observed, Recorded, 15, 52.5, 160, 1.53, "B-ALL", "haem-3", Observed.AddDays(3), true, 6),
        new NeuroAssessmentRecorded(Id, "p-001", Observed, Recorded, 7, null, "awakensToVoice", "none", "none", "none", false),
        new TreatmentAdministered(Id, "p-001", Observed, Recorded, "bispecificDose", "glofitamab", 2.5, "mg", "IV"),
        new CrsGradeChanged(Id, "p-001", Observed, Recorded, Cause, 1, 2, "astct-2019/2", ["crs.feverMasked", "crs.hypotension.fluidResponsive"],
            3, 2, "ctcae-5.0-crs/2", ["ctcae.crs.hypotension.respondingToFluids"], false, false, false, false),
        new IcansGradeChanged(Id, "p-001", Observed, Recorded, Cause, 0, 2, 2, "astct-2019/2", ["icans.consciousness.awakensToVoice", "icans.lowerBound.scoreMissing"],
            true, false, false),
        new GradingReviewed(Id, "p-001", Observed, Recorded, "temperature-due", "astct-2019/2"),
        new ObservationOverdue(Id, "p-001", Observed, Recorded, Cause, "temperature", "overdue", Observed, "stale", Observed.AddHours(-6), "astct-2019/2"),
        new RuleSetAdopted(Id, "*", Observed, Recorded, "astct-2019/2", "ctcae-5.0-crs/2"),
        new TreatmentPlanned(Id, "p-001", Observed, Recorded, "glofitamab-dlbcl", new DateOnly(2026, 12, 1)),
        new MitigationAdvised(Id, "p-001", Observed, Recorded, Cause, [new AdviceItem("general.crs.suspected", "Consider (clinician to confirm): ...", "CLINICAL-RULES.md §4.1 (S-COL-MS)", ["neutral"], "astctCrs")]),
        new DoseReviewed(Id, "p-001", Observed, Recorded, "restart", "mosunetuzumab", "mosunetuzumab", "60 mg (C1D15)", 1, 15, new DateOnly(2026, 11, 18), true, Cause, Observed.AddDays(-21)),
        new CtcaeCrsGradeChanged(Id, "p-001", Observed, Recorded, Cause, 2, 3, "ctcae-5.0-crs/2", ["ctcae.crs.oxygen.fio2AtLeast40"], false),
        new AlertEscalated(Id, "p-001", Observed, Recorded, Cause, "critical", "ward-physician", "icu-outreach"),
        new AlertAcknowledged(Id, "p-001", Observed, Recorded, Cause, "ward-3-nurse"),
        new AlertResponded(Id, "p-001", Observed, Recorded, Cause, "declined", "alternative-cause", "ward-3-nurse", null),
        new AlertRaised(Id, "p-001", Observed, Recorded, Cause, "crs", 0, 1, "warning", "CRS grade rose from 0 to 1 for patient p-001", "alert", "bedside-nurse", "haem-3", false, false),
        new AuditRequested(Id, "p-001", Observed, Recorded, "quality-auditor", "export", "patientId=p-001"),
        new CdsFeedbackRecorded(Id, "p-001", Observed, Recorded, "toxicity-grades", Cause, "overridden", "alternative-cause", "https://ehr.example.org"),
        new WebhookDelivered(Id, "p-001", Observed, Recorded, "ward-pager", Cause, "alert.raised", 2, 204),
        new WebhookDeliveryFailed(Id, "p-001", Observed, Recorded, "ward-pager", Cause, "alert.escalated", 6, 503, "HTTP 503"),
    }.ToDictionary(e => e.GetType());

    public static TheoryData<string> EventTypeNames() => [.. EventTypes().Select(t => t.Name)];

    [Fact]
    public void Every_event_type_has_a_snapshot_sample() =>
        Assert.Equal(EventTypes().Select(t => t.Name).Order(), Samples.Keys.Select(t => t.Name).Order());

    [Theory]
    [MemberData(nameof(EventTypeNames))]
    public void Every_event_is_a_sealed_record_in_a_versioned_namespace_that_declares_the_envelope(string name)
    {
        var type = EventTypes().Single(t => t.Name == name);

        Assert.True(type.IsSealed, $"{name} is sealed");
        Assert.NotNull(type.GetMethod("<Clone>$")); // records only
        Assert.Matches(@"^Toxicity\.Contracts\.V\d+$", type.Namespace);
        foreach (var envelope in typeof(IPatientEvent).GetProperties())
        {
            Assert.Equal(type, type.GetProperty(envelope.Name)?.DeclaringType);
        }

        Assert.DoesNotContain("Event", name[..^1], StringComparison.Ordinal);
        Assert.DoesNotContain("Dto", name, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(EventTypeNames))]
    public void The_wire_shape_of_every_event_matches_its_snapshot(string name)
    {
        var sample = Samples.Single(s => s.Key.Name == name).Value;
        var json = JsonSerializer.Serialize(sample, sample.GetType(), Wire).ReplaceLineEndings("\n") + "\n";
        var path = Path.Combine(SnapshotDirectory(), $"{name}.json");

        if (!File.Exists(path) || File.ReadAllText(path) != json)
        {
            File.WriteAllText(path + ".received", json);
            Assert.Fail($"{name}'s wire shape differs from {path}. If the change is an allowed one (a new nullable property), "
                + $"review {path}.received and move it over the snapshot in the same commit.");
        }
    }

    private static IEnumerable<Type> EventTypes() =>
        typeof(IPatientEvent).Assembly.GetExportedTypes().Where(t => t.IsClass && typeof(IPatientEvent).IsAssignableFrom(t));

    private static string SnapshotDirectory([CallerFilePath] string thisFile = "") =>
        Path.Combine(Path.GetDirectoryName(thisFile)!, "Snapshots");
}

using System.Net;
using System.Text.Json;
using Toxicity.Contracts;
using Toxicity.Contracts.V1;
using Xunit;
using static Toxicity.Grading.Service.Tests.GradeWatch;

namespace Toxicity.Grading.Service.Tests;

/// <summary>
/// Observations in, grade changes out, on the real broker: the expected sequences for realistic courses, the same
/// result for any arrival order with duplicates, late observations, and the grades endpoint.
/// </summary>
public sealed class GradeFlowTests(GradingFixture grading) : IClassFixture<GradingFixture>
{
    [Fact]
    public async Task A_realistic_CRS_course_and_an_ICE_course_give_exactly_the_expected_changes()
    {
        var crsPatient = NewPatient();
        var icePatient = NewPatient();
        var crs = Courses.Crs(crsPatient);
        var ice = Courses.Ice(icePatient);

        await grading.Events.PublishAsync([.. crs, .. ice]);
        await SettledAsync(grading.Client, crsPatient, crs.Length);
        var body = await SettledAsync(grading.Client, icePatient, ice.Length);
        var changes = await grading.Watch.ChangesAsync();

        Assert.Equal(Courses.CrsExpected, Described(changes[crsPatient], crs));
        Assert.Equal(Courses.IcansExpected, Described(changes[icePatient], ice));
        var crsEvents = changes[crsPatient].Select(c => c.Message).ToList();
        Assert.Equal([1, 2, 3, 3, 0], crsEvents.Select(m => m.GetProperty("episodeMaximumGrade").GetInt32()));
        Assert.All(crsEvents, m => Assert.Equal("astct-2019/2", m.GetProperty("ruleSet").GetString()));
        Assert.Contains("crs.hypotension.oneVasopressor", Strings(crsEvents[2].GetProperty("criteria")));
        Assert.Equal(3, crsEvents[2].GetProperty("ctcaeGrade").GetInt32()); // one pressor: CTCAE 3 beside it
        Assert.Equal(crs[6].ObservedAt, crsEvents[2].GetProperty("observedAt").GetDateTimeOffset());
        Assert.Equal(["icans.ice.2"], Strings(changes[icePatient][1].Message.GetProperty("criteria")));

        // The endpoint tells the same story: current grade with its reasons, episode maximum, history of changes.
        Assert.Equal(0, body.GetProperty("icans").GetProperty("current").GetProperty("grade").GetInt32());
        Assert.Equal(3, body.GetProperty("icans").GetProperty("episodeMaximum").GetInt32());
        Assert.Equal(
            changes[icePatient].Select(c => c.EventId),
            body.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("eventId").GetGuid()));
    }

    [Fact]
    public async Task Shuffled_and_duplicated_delivery_gives_the_same_final_grades_and_no_duplicate_changes()
    {
        // Courses cut before recovery, so the final grades are not the starting ones: CRS 3, ICANS 3.
        var patients = Enumerable.Range(0, 6).Select(_ => NewPatient()).ToArray();
        var courses = patients.Select(p => (IPatientEvent[])[.. Courses.Crs(p).Take(8), .. Courses.Ice(p).Skip(1).Take(3)]).ToArray();
        var random = new Random(20261125);
        var deliveries = courses.Select((course, i) => i == 0 ? course : Delivery(course, random)).ToArray();

        await grading.Events.PublishAsync(Interleave(deliveries, random));
        var finals = new List<JsonElement>();
        foreach (var (patient, course) in patients.Zip(courses))
        {
            finals.Add(await SettledAsync(grading.Client, patient, course.Length));
        }

        var changes = await grading.Watch.ChangesAsync();
        var inOrder = finals[0];
        Assert.Equal(3, Grade(inOrder, "crs"));
        Assert.Equal(3, Grade(inOrder, "icans"));
        foreach (var (patient, final) in patients.Zip(finals))
        {
            foreach (var scale in new[] { "crs", "icans" })
            {
                Assert.Equal(Current(inOrder, scale).GetProperty("criteria").ToString(), Current(final, scale).GetProperty("criteria").ToString());
                Assert.Equal(Grade(inOrder, scale), Grade(final, scale));
                var published = changes[patient].Where(c => c.Scale == scale).ToList();
                // One change per cause and scale, each from the grade the one before it left, ending at the final grade.
                Assert.Equal(published.Count, published.Select(c => c.CausedBy).Distinct().Count());
                Assert.Equal([0, .. published.SkipLast(1).Select(c => c.New)], published.Select(c => c.Previous));
                Assert.Equal(Grade(final, scale), published[^1].New);
            }

            Assert.Equal(changes[patient].Count, changes[patient].Select(c => c.EventId).Distinct().Count());
        }
    }

    [Fact]
    public async Task A_late_observation_is_graded_at_its_time_and_the_history_records_the_correction()
    {
        var patient = NewPatient();
        var course = Courses.Crs(patient);
        IPatientEvent[] onTime =
        [
            course[0],
            new VitalSignsRecorded(Guid.NewGuid(), patient, Courses.Start.AddHours(1), DateTimeOffset.UtcNow, 38.4, 100, 20, 110, 70, 96),
            new VitalSignsRecorded(Guid.NewGuid(), patient, Courses.Start.AddHours(3), DateTimeOffset.UtcNow, null, 100, 20, 110, 70, 96, Hypotensive: false),
        ];
        // Recorded last, observed at 2 h: a vasopressor was running then, and nothing since has reported it stopped.
        var late = new VitalSignsRecorded(Guid.NewGuid(), patient, Courses.Start.AddHours(2), DateTimeOffset.UtcNow, null, 100, 20, 90, 50, 96,
            Vasopressors: [new VasopressorInfusion("norepinephrine", 0.1, "ug/kg/min", false)]);

        await grading.Events.PublishAsync(onTime);
        await SettledAsync(grading.Client, patient, 3);
        await grading.Events.PublishAsync(late);
        var body = await SettledAsync(grading.Client, patient, 4);
        var changes = (await grading.Watch.ChangesAsync())[patient];

        Assert.Equal([(0, 1), (1, 3)], changes.Select(c => (c.Previous, c.New)));
        Assert.Equal(late.EventId, changes[1].CausedBy);
        var correction = Assert.Single(body.GetProperty("history").EnumerateArray(), h => h.GetProperty("kind").GetString() == "correction");
        Assert.Equal(("crs", late.ObservedAt, 1, 3), (
            correction.GetProperty("scale").GetString(),
            correction.GetProperty("at").GetDateTimeOffset(),
            correction.GetProperty("from").GetInt32(),
            correction.GetProperty("to").GetInt32()));
    }

    [Fact]
    public async Task Issue_14_the_premedicated_step_up_patient_on_norepinephrine_gets_possible_CRS_0_to_3_once()
    {
        var patient = NewPatient();
        var course = Courses.PremedicatedStepUp(patient);

        await grading.Events.PublishAsync([.. course, course[4]]); // the cause delivered twice
        var body = await SettledAsync(grading.Client, patient, course.Length);
        var change = Assert.Single((await grading.Watch.ChangesAsync())[patient]);

        Assert.Equal(("crs", 0, 3, course[4].EventId), (change.Scale, change.Previous, change.New, change.CausedBy));
        Assert.True(change.Message.GetProperty("provisional").GetBoolean());
        Assert.False(change.Message.GetProperty("lowerBound").GetBoolean());
        Assert.Equal(["crs.possibleMaskedFever", "crs.hypotension.oneVasopressor"], Strings(change.Message.GetProperty("criteria")));
        Assert.Equal("astct-2019/2", change.Message.GetProperty("ruleSet").GetString());
        var shown = body.GetProperty("crs").GetProperty("shown");
        Assert.Equal((3, true), (shown.GetProperty("grade").GetInt32(), shown.GetProperty("provisional").GetBoolean()));
        Assert.True(body.GetProperty("episode").GetProperty("possibleCrs").GetBoolean());
    }

    [Fact]
    public async Task Issue_14_awakens_to_voice_without_ICE_publishes_ICANS_0_to_2_as_a_lower_bound()
    {
        var patient = NewPatient();
        var course = Courses.AwakensToVoice(patient);

        await grading.Events.PublishAsync(course);
        await SettledAsync(grading.Client, patient, course.Length);
        var change = Assert.Single((await grading.Watch.ChangesAsync())[patient]);

        Assert.Equal(("icans", 0, 2), (change.Scale, change.Previous, change.New));
        Assert.True(change.Message.GetProperty("lowerBound").GetBoolean());
        Assert.Contains("icans.lowerBound.scoreMissing", Strings(change.Message.GetProperty("criteria")));
    }

    [Fact]
    public async Task The_grades_are_for_clinicians_and_auditors_only()
    {
        var patient = NewPatient();
        await grading.Events.PublishAsync(Courses.Ice(patient).Take(2));
        await SettledAsync(grading.Client, patient, 2);

        using var auditor = grading.ClientFor(grading.Auditor);
        using var ward = grading.ClientFor(grading.Ward);
        Assert.Equal(HttpStatusCode.OK, (await auditor.GetAsync($"api/v1/patients/{patient}/grades")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await ward.GetAsync($"api/v1/patients/{patient}/grades")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await grading.Anonymous.GetAsync($"api/v1/patients/{patient}/grades")).StatusCode);
        using var unknown = await grading.Client.GetAsync($"api/v1/patients/{NewPatient()}/grades");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
    }

    private static string NewPatient() => $"p-{Guid.NewGuid():N}"[..14];

    private static IEnumerable<string?> Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString());

    private static JsonElement Current(JsonElement body, string scale) => body.GetProperty(scale).GetProperty("current");

    private static int Grade(JsonElement body, string scale) => Current(body, scale).GetProperty("grade").GetInt32();

    /// <summary>The course shuffled, with about a third of its events delivered a second time somewhere.</summary>
    private static IPatientEvent[] Delivery(IPatientEvent[] course, Random random)
    {
        var delivery = course.Concat(course.Where(_ => random.Next(3) == 0)).ToArray();
        random.Shuffle(delivery);
        return delivery;
    }

    private static IEnumerable<IPatientEvent> Interleave(IPatientEvent[][] deliveries, Random random)
    {
        var positions = new int[deliveries.Length];
        while (positions.Select((p, i) => p < deliveries[i].Length).Any(left => left))
        {
            var i = random.Next(deliveries.Length);
            if (positions[i] < deliveries[i].Length)
            {
                yield return deliveries[i][positions[i]++];
            }
        }
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Toxicity.Contracts.V1;
using Toxicity.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Toxicity.Mitigation.Service.Tests;

/// <summary>
/// Issue 15 with Mitigation as its own process on the real broker (each test in a virtual host of its own): advice
/// before the dose by the clock, published once across a SIGKILL, and the calendar re-anchored after the restart dose;
/// blinatumomab's CTCAE rows; the site's jurisdiction. Dose records are dated in the past so that the label's
/// intervals (days, weeks) end within the test; everything else runs as in production (clock every second).
/// </summary>
public sealed class AdviceBeforeTheDoseTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private readonly ApiKey _clinician = new("test-clinician", "clinician");
    private readonly List<ServiceProcess> _processes = [];
    private readonly List<RabbitMqBroker> _brokers = [];
    private readonly List<IAsyncDisposable> _clients = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var process in _processes)
        {
            output.WriteLine($"== {process.Service} ({process.BaseAddress}) ==\n{process.Output}");
            await process.DisposeAsync();
        }

        foreach (var client in _clients)
        {
            await client.DisposeAsync();
        }

        foreach (var broker in _brokers)
        {
            await broker.DisposeAsync();
        }
    }

    [Fact]
    public async Task Mosunetuzumab_C1D15_more_than_2_weeks_after_the_2_mg_dose_gets_one_repeat_step_up_advice_before_any_dose_across_a_SIGKILL()
    {
        var (events, probe, mitigation) = await StartAsync("US");
        var patient = Patient();
        // The "> 2 weeks to < 6 weeks" bound after the 2 mg dose (CLINICAL-RULES.md §5.3 restart table) comes 45 s from now.
        var bound = DateTimeOffset.UtcNow.AddSeconds(45);
        var twoMg = bound - TimeSpan.FromDays(14);
        var oneMg = twoMg - TimeSpan.FromDays(7);
        await AdmitAndPlanAsync(events, mitigation, patient, "mosunetuzumab", DateOnly.FromDateTime(oneMg.UtcDateTime));
        var lastDose = Dose(patient, twoMg, 2);
        await events.PublishAsync(Dose(patient, oneMg, 1), lastDose);

        // At start the C1D15 dose is a week late: the clock's review says what the label says now (give it, as planned).
        var late = await AdviceAsync(events, probe, patient, a => a.Any(x => Codes(x).Contains("mosunetuzumab.next-dose.as-planned")), "the late review's advice");
        Assert.Contains("late by", Text(late[^1], "mosunetuzumab.next-dose.as-planned"), StringComparison.Ordinal);
        await mitigation.KillAsync();
        Assert.True(DateTimeOffset.UtcNow < bound, "killed before the restart bound");
        await Eventually.That(() => Task.FromResult(DateTimeOffset.UtcNow), now => now > bound.AddSeconds(2), Deadline, "the restart bound to pass");

        await mitigation.StartAsync();
        var advised = await AdviceAsync(events, probe, patient, a => a.Any(x => Codes(x).Contains("mosunetuzumab.next-dose.repeat-step-up")), "the repeat-step-up advice");
        await Task.Delay(TimeSpan.FromSeconds(4)); // the clock ticks every second: nothing more may come
        advised = await AdviceAsync(events, probe, patient, _ => true, "everything so far");

        var restarts = advised.Where(a => Codes(a).Contains("mosunetuzumab.next-dose.repeat-step-up")).ToList();
        var restart = Assert.Single(restarts);
        Assert.Contains("Repeat 2 mg (C1D8), then 60 mg (C1D15)", Text(restart, "mosunetuzumab.next-dose.repeat-step-up"), StringComparison.Ordinal);
        Assert.Contains("mosunetuzumab.delay.premedicate-repeated-step-up", Codes(restart));
        Assert.Equal(advised.Count, advised.Select(a => a.GetProperty("eventId").GetGuid()).Distinct().Count());
        // The clock may also have ticked while the plan and the doses were arriving and reviewed the course as it stood
        // then (e.g. after the first dose, its C1D8 overdue): a review of a course since moved on. Of the course as it
        // is, one late review and one restart review, each once.
        var all = await ReviewsAsync(events, probe, patient);
        var reviews = all.Where(r => r.GetProperty("lastDoseEventId") is { ValueKind: JsonValueKind.String } id && id.GetGuid() == lastDose.EventId).ToList();
        Assert.Equal(["late", "restart"], reviews.Select(r => r.GetProperty("kind").GetString()));
        Assert.Equal(restart.GetProperty("causedByEventId").GetGuid(), reviews[1].GetProperty("eventId").GetGuid());

        // What the clinician sees now: the restart dose, due today; then, once it is given, the calendar re-anchored on it.
        using var http = mitigation.CreateClient(_clinician);
        var course = (await http.GetFromJsonAsync<JsonElement>($"api/v1/patients/{patient}/advice")).GetProperty("course");
        Assert.Equal(("2 mg (C1D8)", "due", "> 2 weeks to < 6 weeks"),
            (course.GetProperty("nextDose").GetString(), course.GetProperty("status").GetString(), course.GetProperty("restart").GetProperty("window").GetString()));
        var given = DateTimeOffset.UtcNow;
        await events.PublishAsync(Dose(patient, given, 2));
        var today = DateOnly.FromDateTime(given.UtcDateTime);
        var upcoming = await Eventually.That(
            async () => (await http.GetFromJsonAsync<JsonElement>($"api/v1/patients/{patient}/treatment-plan")).GetProperty("course").GetProperty("upcoming")
                .EnumerateArray().Take(3).Select(u => $"{u.GetProperty("due").GetString()} {u.GetProperty("label").GetString()}").ToList(),
            u => u.Count == 3 && u[0].EndsWith("60 mg (C1D15)", StringComparison.Ordinal),
            Deadline,
            "the calendar re-anchored on the restart dose");
        Assert.Equal([$"{today.AddDays(7):yyyy-MM-dd} 60 mg (C1D15)", $"{today.AddDays(14):yyyy-MM-dd} 60 mg (C2D1)", $"{today.AddDays(35):yyyy-MM-dd} 30 mg (C3+)"],
            upcoming);
    }

    [Fact]
    public async Task A_blinatumomab_patient_at_CTCAE_3_and_ASTCT_2_gets_the_blinatumomab_CTCAE_row()
    {
        var (events, probe, mitigation) = await StartAsync("US");
        var patient = Patient();
        await AdmitAndPlanAsync(events, mitigation, patient, "blinatumomab-rr-ball-45kg-and-over", DateOnly.FromDateTime(DateTime.UtcNow));
        var now = DateTimeOffset.UtcNow;
        // Fever on 5 L/min with FiO₂ 40 %: ASTCT 2 (low-flow oxygen), CTCAE 3 (FiO₂ ≥ 40 %), as Grading publishes them.
        var astct = new CrsGradeChanged(Guid.NewGuid(), patient, now, now, Guid.NewGuid(), 0, 2, "astct-2019/2", ["crs.fever", "crs.oxygen.lowFlow"],
            2, 3, "ctcae-5.0-crs/2", ["ctcae.crs.oxygen.fio2AtLeast40"]);
        var ctcae = new CtcaeCrsGradeChanged(Guid.NewGuid(), patient, now, now, astct.CausedByEventId, 0, 3, "ctcae-5.0-crs/2", ["ctcae.crs.oxygen.fio2AtLeast40"], false);
        await events.PublishAsync(astct, ctcae);

        var advised = await AdviceAsync(events, probe, patient, a => a.Count >= 2, "the advice of both changes");

        var onCtcae = Assert.Single(advised, a => a.GetProperty("causedByEventId").GetGuid() == ctcae.EventId);
        var row = Assert.Single(onCtcae.GetProperty("items").EnumerateArray(), i => i.GetProperty("code").GetString() == "blinatumomab.crs3.interrupt.45kg-and-over");
        Assert.Contains("interrupt blinatumomab", row.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal("ctcaeV5Crs", row.GetProperty("scale").GetString());
        var onAstct = Assert.Single(advised, a => a.GetProperty("causedByEventId").GetGuid() == astct.EventId);
        Assert.DoesNotContain(Codes(onAstct), c => c.StartsWith("blinatumomab.crs2", StringComparison.Ordinal) || c.StartsWith("blinatumomab.crs3", StringComparison.Ordinal));
        Assert.Contains("blinatumomab.crs.ctcae-scale", Codes(onAstct));
    }

    [Theory]
    [InlineData("EU", "epcoritamab.crs3.eu-tepkinly", "epcoritamab.crs3.not-encoded.us")]
    [InlineData("US", "epcoritamab.crs3.not-encoded.us", "epcoritamab.crs3.eu-tepkinly")]
    public async Task A_site_shows_the_rows_of_its_jurisdiction_and_never_those_of_another(string site, string shown, string hidden)
    {
        var (events, probe, mitigation) = await StartAsync(site);
        var patient = Patient();
        await AdmitAndPlanAsync(events, mitigation, patient, "epcoritamab-dlbcl-2-step", DateOnly.FromDateTime(DateTime.UtcNow).AddDays(3));
        var now = DateTimeOffset.UtcNow;
        await events.PublishAsync(new CrsGradeChanged(Guid.NewGuid(), patient, now, now, Guid.NewGuid(), 0, 3, "astct-2019/2",
            ["crs.fever", "crs.hypotension.oneVasopressor"], 3, 3, "ctcae-5.0-crs/2", []));

        var advice = Assert.Single(await AdviceAsync(events, probe, patient, a => a.Count >= 1, "the CRS 3 advice"));
        var items = advice.GetProperty("items").EnumerateArray().ToList();
        Assert.Contains(shown, Codes(advice));
        Assert.DoesNotContain(hidden, Codes(advice));
        Assert.All(items, i => Assert.True(
            i.GetProperty("jurisdictions").EnumerateArray().Select(j => j.GetString()).Any(j => j == site || j == "neutral"),
            $"{i.GetProperty("code").GetString()} is of {i.GetProperty("jurisdictions")} at a {site} site"));

        // The calendar: no premedication or monitoring row of another label; the catalogue still lists every row with its tags.
        using var http = mitigation.CreateClient(_clinician);
        var plan = await http.GetFromJsonAsync<JsonElement>($"api/v1/patients/{patient}/treatment-plan");
        Assert.Equal([site], plan.GetProperty("jurisdiction").EnumerateArray().Select(j => j.GetString()));
        var rows = plan.GetProperty("doses").EnumerateArray()
            .SelectMany(d => d.GetProperty("premedication").EnumerateArray().Select(p => p.GetProperty("item")).Concat(d.GetProperty("monitoring").EnumerateArray()))
            .Select(r => r.GetProperty("jurisdiction").EnumerateArray().Select(j => j.GetString()).ToList()).ToList();
        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.True(r.Contains(site) || r.Contains("neutral"), string.Join(",", r)));
        var catalogue = await http.GetFromJsonAsync<JsonElement>("api/v1/regimens/epcoritamab-dlbcl-2-step");
        var tags = catalogue.GetProperty("doses").EnumerateArray().SelectMany(d => d.GetProperty("monitoring").EnumerateArray())
            .SelectMany(m => m.GetProperty("jurisdiction").EnumerateArray().Select(j => j.GetString())).ToHashSet();
        Assert.Superset(new HashSet<string?> { "US", "EU" }, tags);
    }

    [Fact]
    public async Task A_US_site_refuses_a_plan_of_a_regimen_on_label_only_in_the_EU_naming_the_field()
    {
        var (events, _, mitigation) = await StartAsync("US");
        var patient = Patient();
        var now = DateTimeOffset.UtcNow;
        await events.PublishAsync(new PatientAdmitted(Guid.NewGuid(), patient, now, now, 60, 70, 175, 1.85, "FL", "haem-3", null));
        using var http = mitigation.CreateClient(_clinician);

        using var response = await http.PutAsJsonAsync($"api/v1/patients/{patient}/treatment-plan", new { regimenId = "odronextamab-fl", cycle1Day1 = "2026-12-07" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("not a label regimen under this site's jurisdiction (US)", problem.GetProperty("errors").GetProperty("regimenId")[0].GetString(), StringComparison.Ordinal);
    }

    private async Task<(WardEvents Events, EventProbe Probe, ServiceProcess Mitigation)> StartAsync(string site)
    {
        var broker = await RabbitMqBroker.StartAsync();
        _brokers.Add(broker);
        var events = await WardEvents.ConnectAsync(broker.AmqpUri);
        _clients.Add(events);
        var probe = await EventProbe.StartAsync(broker.AmqpUri, [Exchange<MitigationAdvised>(), Exchange<DoseReviewed>()]);
        _clients.Add(probe);
        var settings = new Dictionary<string, string>(_clinician.Settings(0))
        {
            ["Mitigation__Jurisdiction"] = site,
            ["Mitigation__ClockInterval"] = "00:00:01",
            ["Mitigation__ClockResend"] = "00:00:05",
        };
        var mitigation = new ServiceProcess("Mitigation", broker.AmqpUri, settings);
        _processes.Add(mitigation);
        await mitigation.StartAsync();
        return (events, probe, mitigation);
    }

    private async Task AdmitAndPlanAsync(WardEvents events, ServiceProcess mitigation, string patient, string regimenId, DateOnly cycle1Day1)
    {
        var now = DateTimeOffset.UtcNow;
        await events.PublishAsync(new PatientAdmitted(Guid.NewGuid(), patient, now.AddDays(-30), now, 60, 70, 175, 1.85, "DLBCL", "haem-3", null));
        using var http = mitigation.CreateClient(_clinician);
        await Eventually.That(
            async () =>
            {
                using var response = await http.PutAsJsonAsync($"api/v1/patients/{patient}/treatment-plan",
                    new { regimenId, cycle1Day1 = cycle1Day1.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) });
                return response.StatusCode;
            },
            status => status == HttpStatusCode.OK,
            Deadline,
            $"the plan of {patient} recorded");
    }

    private readonly Dictionary<EventProbe, List<JsonElement>> _seen = [];

    /// <summary>The patient's MitigationAdvised events so far (in order), once <paramref name="until"/> holds for them.</summary>
    private Task<List<JsonElement>> AdviceAsync(WardEvents events, EventProbe probe, string patient, Func<List<JsonElement>, bool> until, string what) =>
        Eventually.That(async () => (await SeenAsync(events, probe)).Where(e => e.GetProperty("patientId").GetString() == patient && e.TryGetProperty("items", out _)).ToList(),
            until, Deadline, what);

    /// <summary>The patient's DoseReviewed events so far, in order.</summary>
    private async Task<List<JsonElement>> ReviewsAsync(WardEvents events, EventProbe probe, string patient) =>
        [.. (await SeenAsync(events, probe)).Where(e => e.GetProperty("patientId").GetString() == patient && e.TryGetProperty("dueDate", out _))];

    /// <summary>Everything that reached the probe up to a marker published now, kept in arrival order.</summary>
    private async Task<List<JsonElement>> SeenAsync(WardEvents events, EventProbe probe)
    {
        if (!_seen.TryGetValue(probe, out var seen))
        {
            _seen[probe] = seen = [];
        }

        var now = DateTimeOffset.UtcNow;
        var marker = new MitigationAdvised(Guid.NewGuid(), "marker", now, now, Guid.NewGuid(), []);
        await events.PublishAsync(marker);
        seen.AddRange((await probe.DrainUntilAsync(marker.EventId, Deadline)).Where(m => m.GetProperty("eventId").GetGuid() != marker.EventId));
        return seen;
    }

    private static List<string> Codes(JsonElement advised) => [.. advised.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("code").GetString()!)];

    private static string Text(JsonElement advised, string code) =>
        advised.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("code").GetString() == code).GetProperty("text").GetString()!;

    private static TreatmentAdministered Dose(string patient, DateTimeOffset at, double mg) =>
        new(Guid.NewGuid(), patient, at, DateTimeOffset.UtcNow, "bispecificDose", "mosunetuzumab", mg, "mg", "IV");

    private static string Exchange<T>() => $"{typeof(T).Namespace}:{typeof(T).Name}";

    private static string Patient() => $"p-{Guid.NewGuid():N}"[..14];
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OpenQA.Selenium;
using OpenQA.Selenium.Support.UI;
using Toxicity.Contracts;
using Toxicity.Contracts.V1;
using Toxicity.Testing;
using Xunit;

namespace Toxicity.Alerting.Service.Tests;

/// <summary>
/// The patient chart with Alerting as a process on a real broker: a step-up course written out below (premedication,
/// dose, possible CRS under dexamethasone confirmed by fever, tocilizumab, ICANS at least 2 with no ICE charted,
/// readings overdue) comes back from <c>GET /api/v1/patients/{id}/chart</c> as charted, also after a restart, live on
/// its stream, and drawn in headless Chromium (the screenshot in docs/patient-chart.png).
/// </summary>
public sealed class PatientChartTests : IAsyncLifetime
{
    private const string Ward = "haem-4";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private readonly ApiKey _clinician = new("dr-chart-4", "clinician");
    private readonly ApiKey _wardSystem = new("ward-4-system", "ward-system");
    private RabbitMqBroker _broker = null!;
    private WardEvents _events = null!;
    private ServiceProcess _alerting = null!;

    public async Task InitializeAsync()
    {
        _broker = await RabbitMqBroker.StartAsync();
        _events = await WardEvents.ConnectAsync(_broker.AmqpUri);
        _alerting = new ServiceProcess("Alerting", _broker.AmqpUri, new Dictionary<string, string>(_clinician.Settings(0).Concat(_wardSystem.Settings(1))));
        await _alerting.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _alerting.DisposeAsync();
        await _events.DisposeAsync();
        await _broker.DisposeAsync();
    }

    [Fact]
    public async Task The_chart_holds_the_course_as_charted_over_the_window_and_after_a_restart()
    {
        var now = DateTimeOffset.UtcNow;
        var course = Course.Of($"h4-{Guid.NewGuid():N}"[..10], now);
        await _events.PublishAsync(course.Events);
        await _events.PublishAsync(course.Events[5]); // a redelivered charting is charted once

        using var api = _alerting.CreateClient(_clinician);
        var path = $"api/v1/patients/{course.Patient}/chart";
        var page = await Eventually.That(() => api.GetFromJsonAsync<JsonElement>(path),
            p => p.GetProperty("chart").GetProperty("overdue").GetArrayLength() == 2, Deadline, "the course on the chart");
        var chart = page.GetProperty("chart");
        Assert.Equal((course.Patient, Ward, 72), (page.GetProperty("patientId").GetString(), page.GetProperty("ward").GetString(), page.GetProperty("maxHours").GetInt32()));

        // Every charting of the last 72 h once, in clinical order; the one from 80 h ago is outside the window.
        Assert.Equal(course.Temperatures, chart.GetProperty("vitals").EnumerateArray().Select(v => v.GetProperty("temperatureC").GetDouble()));
        Assert.Equal(["bispecificDose", "premedication", "bispecificDose", "tocilizumab"],
            chart.GetProperty("treatments").EnumerateArray().Select(t => t.GetProperty("kind").GetString()));
        Assert.Equal(["norepinephrine"], chart.GetProperty("vitals").EnumerateArray().SelectMany(v => v.GetProperty("vasopressors").EnumerateArray()).Select(d => d.GetString()).Distinct());

        // CRS: 0, possible 2 under premedication, 2 confirmed, 1, then 1 kept from stale readings; ICANS: 0, 1, at least 2.
        Assert.Equal([(0, false, false), (2, true, false), (2, false, false), (1, false, false), (1, false, true)],
            Bands(chart, "crs", b => (Grade(b), b.GetProperty("provisional").GetBoolean(), b.GetProperty("stale").GetBoolean())));
        Assert.Equal([(0, false), (1, false), (2, true)], Bands(chart, "icans", b => (Grade(b), b.GetProperty("lowerBound").GetBoolean())));
        var advice = Assert.Single(chart.GetProperty("advice").EnumerateArray());
        Assert.Equal((TocilizumabAdvice.Code, TocilizumabAdvice.Source), (advice.GetProperty("items")[0].GetProperty("code").GetString(), advice.GetProperty("items")[0].GetProperty("source").GetString()));
        Assert.Equal([("neuroScore", "neededNow"), ("temperature", "stale")], chart.GetProperty("overdue").EnumerateArray()
            .Select(o => (o.GetProperty("reading").GetString(), o.GetProperty("reason").GetString())).Order());

        // A shorter window: only what is in it, and the grade in effect at its start.
        var recent = (await api.GetFromJsonAsync<JsonElement>($"{path}?hours=6")).GetProperty("chart");
        Assert.Equal(course.Temperatures.TakeLast(course.InLastSixHours), recent.GetProperty("vitals").EnumerateArray().Select(v => v.GetProperty("temperatureC").GetDouble()));
        Assert.Equal((1, false), Bands(recent, "crs", b => (Grade(b), b.GetProperty("stale").GetBoolean()))[0]);

        // Who may see it, and what is refused.
        using var wardSystem = _alerting.CreateClient(_wardSystem);
        using var nobody = _alerting.CreateClient();
        Assert.Equal(HttpStatusCode.Forbidden, (await wardSystem.GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await nobody.GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync("api/v1/patients/never-admitted/chart")).StatusCode);
        foreach (var hours in new[] { "0", "73", "six", "-1" })
        {
            using var bad = await api.GetAsync($"{path}?hours={hours}");
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.True((await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("hours", out _), $"hours={hours} named");
        }

        // Stopped (its snapshot saved) and started again: the same chart.
        await _alerting.StopAsync();
        await _alerting.StartAsync();
        using var again = _alerting.CreateClient(_clinician);
        var after = (await again.GetFromJsonAsync<JsonElement>(path)).GetProperty("chart");
        Assert.Equal(chart.GetProperty("vitals").ToString(), after.GetProperty("vitals").ToString());
        Assert.Equal(chart.GetProperty("overdue").ToString(), after.GetProperty("overdue").ToString());
        Assert.Equal(Bands(chart, "crs", Grade), Bands(after, "crs", Grade));
    }

    [Fact]
    public async Task The_chart_stream_sends_the_chart_again_when_a_reading_is_folded()
    {
        var now = DateTimeOffset.UtcNow;
        var course = Course.Of($"h4-{Guid.NewGuid():N}"[..10], now);
        await _events.PublishAsync(course.Events);
        using var api = _alerting.CreateClient(_clinician);
        await Eventually.That(() => api.GetFromJsonAsync<JsonElement>($"api/v1/patients/{course.Patient}/chart"),
            p => p.GetProperty("chart").GetProperty("overdue").GetArrayLength() == 2, Deadline, "the course on the chart");

        await using var stream = await SseReader.OpenAsync(api, $"api/v1/patients/{course.Patient}/chart/stream?hours=24");
        var first = JsonDocument.Parse((await stream.NextAsync("chart", Deadline)).Data).RootElement;
        var count = first.GetProperty("chart").GetProperty("vitals").GetArrayLength();

        await _events.PublishAsync(Course.Vitals(course.Patient, DateTimeOffset.UtcNow.AddMinutes(2), 38.3, 104, 62, 95));
        JsonElement next;
        do
        {
            next = JsonDocument.Parse((await stream.NextAsync("chart", Deadline)).Data).RootElement;
        }
        while (next.GetProperty("chart").GetProperty("vitals").GetArrayLength() == count);

        Assert.Equal(count + 1, next.GetProperty("chart").GetProperty("vitals").GetArrayLength());
        Assert.Equal(38.3, next.GetProperty("chart").GetProperty("vitals")[count].GetProperty("temperatureC").GetDouble());
        Assert.True(next.GetProperty("offset").GetInt64() > first.GetProperty("offset").GetInt64());
    }

    [Fact]
    public async Task A_clinician_opens_the_chart_from_the_board_and_sees_the_course_drawn_and_a_new_reading_appear()
    {
        var now = DateTimeOffset.UtcNow;
        var course = Course.Of("h4-0231", now);
        await _events.PublishAsync(course.Events);
        using var api = _alerting.CreateClient(_clinician);
        await Eventually.That(() => api.GetFromJsonAsync<JsonElement>($"api/v1/patients/{course.Patient}/chart"),
            p => p.GetProperty("chart").GetProperty("overdue").GetArrayLength() == 2, Deadline, "the course on the chart");

        using var browser = WardBoardTests.StartChromium();
        browser.Manage().Window.Size = new System.Drawing.Size(1280, 1040); // the whole chart in the screenshot
        var wait = new WebDriverWait(browser, Deadline);
        await WardBoardTests.SignInWithKeyAsync(browser, wait, _alerting.BaseAddress, Ward, _clinician);
        var link = wait.Until(d => d.FindElements(By.CssSelector($"#patients tr[data-patient-id='{course.Patient}'] a.chart-link")).SingleOrDefault());
        link.Click();

        wait.Until(d => d.FindElements(By.CssSelector("#chart circle.temperature")).Count == course.Temperatures.Count);
        wait.Until(d => d.FindElement(By.Id("connection")).Text == "Live");
        Assert.Contains(course.Patient, browser.FindElement(By.Id("patient-name")).Text, StringComparison.Ordinal);

        // The grade bands written out, the marks of rule set /2 among them.
        var crs = browser.FindElements(By.CssSelector("#chart g.band.crs")).Select(b => b.GetAttribute("class")).ToList();
        Assert.Equal(5, crs.Count);
        Assert.Single(crs, c => c!.Contains("provisional", StringComparison.Ordinal));
        Assert.Single(crs, c => c!.Contains("stale", StringComparison.Ordinal));
        Assert.Single(browser.FindElements(By.CssSelector("#chart g.band.icans.lower-bound")));
        Assert.StartsWith("At least 2", browser.FindElement(By.CssSelector("#chart g.band.icans.lower-bound text")).Text, StringComparison.Ordinal);
        Assert.Contains("Grade 2, possible CRS, to confirm", Title(browser, browser.FindElement(By.CssSelector("#chart g.band.crs.provisional"))), StringComparison.Ordinal);
        Assert.Contains("Grade 1, stale", Title(browser, browser.FindElement(By.CssSelector("#chart g.band.crs.stale"))), StringComparison.Ordinal);
        Assert.Contains("ICANS at least 2", browser.FindElement(By.Id("latest")).Text, StringComparison.Ordinal);
        Assert.Contains("temperature stale", browser.FindElement(By.Id("latest")).Text, StringComparison.Ordinal);

        // Doses with premedication and tocilizumab, the vasopressor, the advice with its source, the overdue readings.
        Assert.Equal(4, browser.FindElements(By.CssSelector("#chart g.dose")).Count);
        Assert.Single(browser.FindElements(By.CssSelector("#chart g.dose.tocilizumab")));
        Assert.Single(browser.FindElements(By.CssSelector("#chart g.dose.premedication")));
        Assert.NotEmpty(browser.FindElements(By.CssSelector("#chart g.state.vasopressor")));
        Assert.NotEmpty(browser.FindElements(By.CssSelector("#chart g.state.oxygen")));
        Assert.Equal(2, browser.FindElements(By.CssSelector("#chart g.state.overdue-bar")).Count);
        var advice = browser.FindElement(By.CssSelector($"#advice li[data-code='{TocilizumabAdvice.Code}']")).Text;
        Assert.Contains("Consider (clinician to confirm): tocilizumab 8 mg/kg IV", advice, StringComparison.Ordinal);
        Assert.Contains(TocilizumabAdvice.Source, advice, StringComparison.Ordinal);
        WardBoardTests.SaveScreenshot(browser, "TOXICITY_CHART_SCREENSHOT", "patient-chart.png");

        // Live: a new reading is drawn without a reload.
        ((IJavaScriptExecutor)browser).ExecuteScript("window.chartTestMark = 'not reloaded';");
        await _events.PublishAsync(Course.Vitals(course.Patient, DateTimeOffset.UtcNow, 38.4, 101, 60, 95));
        wait.Until(d => d.FindElements(By.CssSelector("#chart circle.temperature")).Count == course.Temperatures.Count + 1);
        Assert.Equal("not reloaded", ((IJavaScriptExecutor)browser).ExecuteScript("return window.chartTestMark;"));

        // Another window, chosen on the page.
        browser.FindElement(By.LinkText("6 h")).Click();
        wait.Until(d => d.FindElements(By.CssSelector("#chart circle.temperature")).Count == course.InLastSixHours + 1);
        Assert.Contains("last 6 h", browser.FindElement(By.Id("chart-window")).Text, StringComparison.Ordinal);
    }

    /// <summary>The tocilizumab row of the general CRS advice as Mitigation words it for this 78 kg patient (shared/Toxicity.Mitigation GeneralCrsAdvice).</summary>
    private static readonly AdviceItem TocilizumabAdvice = new("general.crs2.tocilizumab",
        "Consider (clinician to confirm): tocilizumab 8 mg/kg IV over 1 h, not to exceed 800 mg per dose. Repeat after 8 h if no improvement; "
        + "no more than 3 doses in 24 h, maximum 4 doses in total. For 78 kg: 624 mg per dose.",
        "CLINICAL-RULES.md §4.1 (S-LEE2014-c; S-MIAMI; children < 30 kg: S-TOCI ⚠️ not enabled)");

    private static int Grade(JsonElement band) => band.GetProperty("grade").GetInt32();

    private static List<T> Bands<T>(JsonElement chart, string scale, Func<JsonElement, T> select) =>
        [.. chart.GetProperty(scale).EnumerateArray().Select(select)];

    private static string Title(IWebDriver browser, IWebElement element) =>
        (string)((IJavaScriptExecutor)browser).ExecuteScript("return arguments[0].querySelector('title').textContent;", element)!;


    /// <summary>
    /// A patient's epcoritamab step-up course over the last 80 hours, every event as its publisher would log it
    /// (grade changes as Grading would publish them for these readings under rule set /2).
    /// </summary>
    private sealed record Course(string Patient, IReadOnlyList<IPatientEvent> Events, IReadOnlyList<double> Temperatures, int InLastSixHours)
    {
        public static Course Of(string patient, DateTimeOffset now)
        {
            DateTimeOffset H(double hours) => now.AddHours(hours);
            var events = new List<IPatientEvent> { new PatientAdmitted(Guid.NewGuid(), patient, H(-90), H(-90), 61, 78, 176, 1.94, "DLBCL", Ward, null) };
            var temperatures = new List<double>();
            void Chart(double hours, double celsius, int systolic, int diastolic, int spo2, string oxygen = "none", double? flow = null, bool vasopressor = false)
            {
                events.Add(Vitals(patient, H(hours), celsius, systolic, diastolic, spo2, oxygen, flow, vasopressor));
                if (hours >= -72)
                {
                    temperatures.Add(celsius);
                }
            }

            Chart(-80, 36.8, 128, 76, 98); // outside the 72 h window
            events.Add(Dose(patient, H(-71.5), "bispecificDose", "epcoritamab", 0.16));
            foreach (var hours in new[] { -70.0, -62, -54, -46, -38 })
            {
                Chart(hours, 36.7 + (Math.Abs(hours) % 3 / 10), 124, 74, 98);
            }

            events.Add(Dose(patient, H(-30.5), "premedication", "dexamethasone", 20));
            events.Add(Dose(patient, H(-30), "bispecificDose", "epcoritamab", 0.8));
            Chart(-26, 37.2, 118, 70, 97);
            // Hypotensive without fever under dexamethasone: possible CRS 2, to confirm; the fever 2 h later confirms it.
            Chart(-22, 37.6, 86, 50, 95);
            events.Add(Crs(patient, H(-22), 0, 2, provisional: true));
            Chart(-20, 38.9, 84, 48, 93, "lowFlowNasalCannula", 2, vasopressor: true);
            events.Add(Crs(patient, H(-20), 2, 2));
            events.Add(Dose(patient, H(-19.5), "tocilizumab", "tocilizumab", 624));
            events.Add(new MitigationAdvised(Guid.NewGuid(), patient, H(-20), H(-20), Guid.NewGuid(),
                [TocilizumabAdvice]));
            Chart(-16, 38.2, 102, 60, 95, "lowFlowNasalCannula", 2);
            Chart(-12, 37.4, 112, 66, 97);
            events.Add(Crs(patient, H(-12), 2, 1));
            // ICANS: ICE 7 (grade 1), then awakens to voice with no ICE charted: at least 2.
            events.Add(new NeuroAssessmentRecorded(Guid.NewGuid(), patient, H(-8), H(-8), 7, null, "alert", null, null, null));
            events.Add(Icans(patient, H(-8), 0, 1, lowerBound: false));
            Chart(-7, 37.3, 116, 68, 97);
            events.Add(new NeuroAssessmentRecorded(Guid.NewGuid(), patient, H(-5), H(-5), null, null, "awakensToVoice", null, null, null));
            events.Add(Icans(patient, H(-5), 1, 2, lowerBound: true));
            events.Add(Overdue(patient, H(-5), "neuroScore", "neededNow"));
            Chart(-4, 37.1, 118, 70, 97);
            // No temperature since: CRS 1 kept, marked stale, and the temperature overdue.
            events.Add(Crs(patient, H(-1), 1, 1, stale: true));
            events.Add(Overdue(patient, H(-1), "temperature", "stale"));
            return new Course(patient, events, temperatures, InLastSixHours: 1);
        }

        public static VitalSignsRecorded Vitals(string patient, DateTimeOffset at, double celsius, int systolic, int diastolic, int spo2,
            string oxygen = "none", double? flow = null, bool vasopressor = false) =>
            new(Guid.NewGuid(), patient, at, at, celsius, 96, 18, systolic, diastolic, spo2, null, oxygen, flow, null, systolic < 90, null,
                vasopressor ? [new VasopressorInfusion("norepinephrine", 0.05, "ug/kg/min", false)] : []);

        private static TreatmentAdministered Dose(string patient, DateTimeOffset at, string kind, string drug, double mg) =>
            new(Guid.NewGuid(), patient, at, at, kind, drug, mg, "mg", kind == "bispecificDose" ? "SC" : "IV");

        private static CrsGradeChanged Crs(string patient, DateTimeOffset at, int from, int to, bool provisional = false, bool stale = false) =>
            new(Guid.NewGuid(), patient, at, at, Guid.NewGuid(), from, to, "astct-2019/2", provisional ? ["crs.possibleMaskedFever", "crs.hypotension"] : ["crs.fever"],
                Math.Max(from, to), null, null, null, false, provisional, stale);

        private static IcansGradeChanged Icans(string patient, DateTimeOffset at, int from, int to, bool lowerBound) =>
            new(Guid.NewGuid(), patient, at, at, Guid.NewGuid(), from, to, Math.Max(from, to), "astct-2019/2", lowerBound ? ["icans.consciousness.awakensToVoice"] : ["icans.ice.7"],
                lowerBound, false, false);

        private static ObservationOverdue Overdue(string patient, DateTimeOffset at, string reading, string reason) =>
            new(Guid.NewGuid(), patient, at, at, Guid.NewGuid(), reading, "overdue", at, reason, null, "astct-2019/2");
    }
}

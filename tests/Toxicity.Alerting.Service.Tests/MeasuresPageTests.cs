using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OpenQA.Selenium;
using OpenQA.Selenium.Support.UI;
using Toxicity.Testing;
using Xunit;

namespace Toxicity.Alerting.Service.Tests;

/// <summary>
/// The board's programme measures page: Alerting and Audit as processes on a real broker, Alerting asking Audit with a
/// key of its own (<c>Alerting:Reports</c>). The scenario of Toxicity.Testing's <see cref="ReportScenario"/> (its
/// numbers computed by hand there and in Audit's ReportTests) is drawn in headless Chromium with those numbers; the
/// screenshot is docs/programme-measures.png.
/// </summary>
public sealed class MeasuresPageTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private readonly ApiKey _clinician = new("dr-measures", "clinician");
    private readonly ApiKey _wardSystem = new("ward-5-system", "ward-system");
    // Alerting's own key at Audit: a clinician's role there, which the reports allow.
    private readonly ApiKey _alertingAtAudit = new("alerting-reports", "clinician");
    private RabbitMqBroker _broker = null!;
    private WardEvents _events = null!;
    private ServiceProcess _audit = null!;
    private ServiceProcess _alerting = null!;

    public async Task InitializeAsync()
    {
        _broker = await RabbitMqBroker.StartAsync();
        _events = await WardEvents.ConnectAsync(_broker.AmqpUri);
        _audit = new ServiceProcess("Audit", _broker.AmqpUri, _alertingAtAudit.Settings(0));
        await _audit.StartAsync();
        // Started by the test once the scenario is in the log: its grade changes then reach no queue of Alerting's,
        // so it raises no alerts of its own beside the scenario's (which has them, with their acknowledgements).
        _alerting = new ServiceProcess("Alerting", _broker.AmqpUri, new Dictionary<string, string>(_clinician.Settings(0).Concat(_wardSystem.Settings(1)))
        {
            ["Alerting__Reports__AuditAddress"] = _audit.BaseAddress.ToString(),
            ["Alerting__Reports__ApiKey"] = _alertingAtAudit.Key,
        });
    }

    public async Task DisposeAsync()
    {
        await _alerting.DisposeAsync();
        await _audit.DisposeAsync();
        await _events.DisposeAsync();
        await _broker.DisposeAsync();
    }

    [Fact]
    public async Task The_measures_page_draws_the_programme_measures_computed_by_hand()
    {
        var scenario = new ReportScenario(DateTimeOffset.UtcNow.AddHours(-6));
        await _events.PublishAsync(scenario.Events);
        var (from, to) = scenario.Window;
        var query = $"from={Uri.EscapeDataString(from.ToString("O"))}&to={Uri.EscapeDataString(to.ToString("O"))}&ward={scenario.Ward}";
        using (var auditor = _audit.CreateClient(_alertingAtAudit))
        {
            await Eventually.That(() => auditor.GetFromJsonAsync<JsonElement>($"api/v1/reports/toxicity?{query}"),
                r => r.GetProperty("wards").GetArrayLength() == 1 && r.GetProperty("wards")[0].GetProperty("overdueNotices").GetArrayLength() == 1,
                Deadline, "the scenario in Audit's store");
        }

        await _alerting.StartAsync();

        // Through Alerting, Audit's report as Audit computes it; refused to others; Audit's problem passed on.
        using var clinician = _alerting.CreateClient(_clinician);
        var report = await Eventually.That(() => clinician.GetFromJsonAsync<JsonElement>($"board/reports/toxicity?{query}"),
            r => r.GetProperty("wards").GetArrayLength() == 1 && r.GetProperty("wards")[0].GetProperty("overdueNotices").GetArrayLength() == 1,
            Deadline, "the scenario in Audit's report, through Alerting");
        using (var direct = _audit.CreateClient(_alertingAtAudit))
        {
            Assert.Equal((await direct.GetFromJsonAsync<JsonElement>($"api/v1/reports/toxicity?{query}")).GetProperty("wards").ToString(),
                report.GetProperty("wards").ToString());
        }

        using var wardSystem = _alerting.CreateClient(_wardSystem);
        using var nobody = _alerting.CreateClient();
        Assert.Equal(HttpStatusCode.Forbidden, (await wardSystem.GetAsync($"board/reports/toxicity?{query}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await nobody.GetAsync($"board/reports/toxicity?{query}")).StatusCode);
        using (var bad = await clinician.GetAsync("board/reports/toxicity?from=2026-12-01T00:00:00Z&to=2026-11-01T00:00:00Z"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.True((await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("from", out _));
        }

        // In the browser: signed in on the board, the page of the scenario's ward and day.
        using var browser = WardBoardTests.StartChromium();
        browser.Manage().Window.Size = new System.Drawing.Size(1280, 1100);
        var wait = new WebDriverWait(browser, Deadline);
        await WardBoardTests.SignInWithKeyAsync(browser, wait, _alerting.BaseAddress, scenario.Ward, _clinician);
        // The board links to the ward's measures (the last 30 days); the scenario's own window is asked for exactly,
        // as a link with times (not whole days) does, so that the numbers are the hand-computed ones.
        Assert.EndsWith($"/board/measures.html?ward={scenario.Ward}", browser.FindElement(By.Id("measures-link")).GetAttribute("href"), StringComparison.Ordinal);
        await browser.Navigate().GoToUrlAsync(new Uri(_alerting.BaseAddress, $"board/measures.html?{query}"));
        wait.Until(d => d.FindElement(By.TagName("body")).GetAttribute("data-loaded") == "true");

        var panel = browser.FindElement(By.CssSelector($"section.ward-measures[data-ward='{scenario.Ward}']"));
        Assert.Contains("2 CRS episodes", panel.FindElement(By.TagName("h2")).Text, StringComparison.Ordinal);
        // Fever → first grade 2 and 6 min (median 4.0, p90 5.6); CRS ≥ 2 → tocilizumab 30 min, one not given.
        Assert.Equal("median 4.0 min · p90 5.6 min · n 2 · 0 without fever", Numbers(panel, "Fever → first CRS grade"));
        Assert.Equal("median 30.0 min · p90 30.0 min · n 1 · 1 not given", Numbers(panel, "CRS ≥ 2 → tocilizumab"));
        // Alert → acknowledged: bedside nurse 5 and 20 min (12.5, 18.5); ward physician 10 min and one unacknowledged.
        Assert.Equal("median 12.5 min · p90 18.5 min · n 2 · 0 unacknowledged", Numbers(panel, "bedside nurse"));
        Assert.Equal("median 10.0 min · p90 10.0 min · n 1 · 1 unacknowledged", Numbers(panel, "ward physician"));
        // The median bar is drawn in proportion inside the p90 bar: 12.5 / 18.5 of it for the bedside nurse.
        var bars = panel.FindElement(By.CssSelector("g.measure[data-label='bedside nurse']"));
        var ratio = double.Parse(bars.FindElement(By.CssSelector("rect.median")).GetAttribute("width")!, System.Globalization.CultureInfo.InvariantCulture)
            / double.Parse(bars.FindElement(By.CssSelector("rect.p90")).GetAttribute("width")!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(12.5 / 18.5, ratio, 3);
        // One accepted (assessing), one declined (another cause), with the reasons' words; one temperature overdue.
        var answers = panel.FindElements(By.CssSelector("svg.responses g.count")).Select(g => (g.GetAttribute("data-label"), g.GetAttribute("data-count"))).ToList();
        Assert.Equal([("Accepted: Going to assess the patient now", "1"), ("Declined: Another cause explains it (e.g. an infection or a transfusion reaction)", "1")], answers);
        Assert.Equal([("temperature", "1")], panel.FindElements(By.CssSelector("svg.overdue-notices g.count")).Select(g => (g.GetAttribute("data-label"), g.GetAttribute("data-count"))));
        WardBoardTests.SaveScreenshot(browser, "TOXICITY_MEASURES_SCREENSHOT", "programme-measures.png");
    }

    [Fact]
    public async Task Without_Audit_set_up_the_page_says_so()
    {
        await using var alone = new ServiceProcess("Alerting", _broker.AmqpUri, _clinician.Settings(0));
        await alone.StartAsync();
        using var clinician = alone.CreateClient(_clinician);
        using var response = await clinician.GetAsync("board/reports/toxicity");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("Alerting:Reports:AuditAddress", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private static string Numbers(IWebElement panel, string label) =>
        panel.FindElement(By.CssSelector($"g.measure[data-label='{label}'] text.numbers")).Text;

}

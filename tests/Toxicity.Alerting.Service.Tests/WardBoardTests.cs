using System.Net.Http.Json;
using System.Text.Json;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;
using Toxicity.Contracts.V1;
using Toxicity.Testing;
using Xunit;

namespace Toxicity.Alerting.Service.Tests;

/// <summary>
/// The ward board in a real browser: Debian's headless Chromium driven through its chromedriver, Alerting as a process
/// on a real broker. A clinician signs in with their key, a new alert appears without a reload, acknowledging it
/// clears it and records the acknowledgement under the clinician's name, and declining another with a reason lists it
/// as answered. The test saves a screenshot of the board
/// (to <c>TOXICITY_BOARD_SCREENSHOT</c>, else the test output directory); docs/ward-board.png is such a screenshot.
/// </summary>
public sealed class WardBoardTests : IAsyncLifetime
{
    private const string Chromium = "/usr/bin/chromium";
    private const string ChromeDriverDirectory = "/usr/bin";
    private const string ChromeDriver = "chromedriver";
    private const string Ward = "haem-3";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private readonly ApiKey _clinician = new("dr-board-3", "clinician");
    private RabbitMqBroker _broker = null!;
    private WardEvents _events = null!;
    private ServiceProcess _alerting = null!;

    public async Task InitializeAsync()
    {
        _broker = await RabbitMqBroker.StartAsync();
        _events = await WardEvents.ConnectAsync(_broker.AmqpUri);
        _alerting = new ServiceProcess("Alerting", _broker.AmqpUri, _clinician.Settings(0));
        await _alerting.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _alerting.DisposeAsync();
        await _events.DisposeAsync();
        await _broker.DisposeAsync();
    }

    [Fact]
    public async Task A_clinician_signs_in_sees_a_new_alert_appear_without_a_reload_and_acknowledges_it_by_keyboard()
    {
        var now = DateTimeOffset.UtcNow;
        // Three patients on the ward (pseudonymous ids), two of them with grades and open alerts already.
        await _events.PublishAsync(
            Admit("h3-0412", now), Admit("h3-0419", now), Admit("h3-0427", now), Admit("icu-0101", now, "icu"),
            Crs("h3-0419", now.AddMinutes(-1), 0, 3),
            Icans("h3-0427", now, 0, 2),
            Icans("h3-0427", now, 2, 1));
        using var api = _alerting.CreateClient(_clinician);
        await Eventually.That(
            () => api.GetFromJsonAsync<JsonElement>($"api/v1/board?ward={Ward}"),
            board => board.GetProperty("patients").GetArrayLength() == 3
                && board.GetProperty("patients").EnumerateArray().Any(p => p.GetProperty("icans").GetInt32() == 1),
            Deadline,
            "the ward's three patients on the board");

        using var browser = StartChromium();
        var wait = new WebDriverWait(browser, Deadline);
        // Not signed in: the sign-in form. Signing in shows the board.
        await SignInWithKeyAsync(browser, wait, _alerting.BaseAddress, Ward, _clinician);
        Assert.Equal(_clinician.Name, browser.FindElement(By.Id("user-name")).Text);
        wait.Until(d => d.FindElements(By.CssSelector("#patients tr[data-patient-id]")).Count == 3);
        Assert.Equal("Grade 3", Cell(browser, "h3-0419", "crs"));
        Assert.Equal("Grade 1", Cell(browser, "h3-0427", "icans"));
        Assert.Empty(browser.FindElements(By.CssSelector("#patients tr[data-patient-id='icu-0101']")));
        Assert.Equal(2, browser.FindElements(By.CssSelector("#alerts li")).Count);
        wait.Until(d => d.FindElement(By.Id("connection")).Text == "Live");

        // A mark on the page: a reload would lose it.
        ((IJavaScriptExecutor)browser).ExecuteScript("window.boardTestMark = 'not reloaded';");
        await _events.PublishAsync(Crs("h3-0412", now, 0, 2));
        var alert = wait.Until(d => d.FindElements(By.CssSelector("#alerts li[data-patient-id='h3-0412']")).SingleOrDefault());
        Assert.Equal("not reloaded", ((IJavaScriptExecutor)browser).ExecuteScript("return window.boardTestMark;"));
        Assert.Contains("CRS grade rose from 0 to 2 for patient h3-0412", alert.FindElement(By.ClassName("summary")).Text, StringComparison.Ordinal);
        Assert.Equal("WARNING", alert.FindElement(By.ClassName("severity")).Text);
        Assert.Equal("ward physician", alert.FindElement(By.ClassName("tier")).Text);
        Assert.Equal("Grade 2", Cell(browser, "h3-0412", "crs"));
        Assert.Contains("New warning alert", browser.FindElement(By.Id("announcer")).Text, StringComparison.Ordinal);
        SaveScreenshot(browser, "TOXICITY_BOARD_SCREENSHOT", "ward-board.png");

        // Keyboard: focus the alert's button and press Enter.
        var button = alert.FindElement(By.CssSelector("button.acknowledge"));
        ((IJavaScriptExecutor)browser).ExecuteScript("arguments[0].focus();", button);
        Assert.Equal(button, browser.SwitchTo().ActiveElement());
        new OpenQA.Selenium.Interactions.Actions(browser).SendKeys(Keys.Enter).Perform();
        wait.Until(d => d.FindElements(By.CssSelector("#alerts li[data-patient-id='h3-0412']")).Count == 0);
        Assert.Equal(2, browser.FindElements(By.CssSelector("#alerts li")).Count);
        Assert.Equal("Grade 2", Cell(browser, "h3-0412", "crs"));
        Assert.Equal("not reloaded", ((IJavaScriptExecutor)browser).ExecuteScript("return window.boardTestMark;"));

        var recorded = await Eventually.That(
            () => api.GetFromJsonAsync<JsonElement>("api/v1/alerts?patientId=h3-0412"),
            list => list.GetArrayLength() == 1 && list[0].TryGetProperty("acknowledgedBy", out var by) && by.ValueKind == JsonValueKind.String,
            Deadline,
            "the acknowledgement of h3-0412's alert");
        Assert.Equal(_clinician.Name, recorded[0].GetProperty("acknowledgedBy").GetString());

        // Decline the other patient's alert with a coded reason and a comment: it leaves the open alerts for the
        // "Accepted or declined" list, and the log has the answer under the clinician's name.
        var other = browser.FindElement(By.CssSelector("#alerts li[data-patient-id='h3-0419']"));
        Choose(browser, other.FindElement(By.CssSelector("select.response")), "declined");
        Choose(browser, other.FindElement(By.CssSelector("select.reason")), "measurement-error");
        other.FindElement(By.CssSelector("input.comment")).SendKeys("cuff too small");
        other.FindElement(By.CssSelector("button.send")).Click();
        wait.Until(d => d.FindElements(By.CssSelector("#alerts li[data-patient-id='h3-0419']")).Count == 0);
        var answer = wait.Until(d => d.FindElements(By.CssSelector("#answered li")).SingleOrDefault());
        Assert.StartsWith("Declined · h3-0419 · A wrong reading or a measurement artefact · dr-board-3", answer.Text, StringComparison.Ordinal);
        var declined = await Eventually.That(
            () => api.GetFromJsonAsync<JsonElement>("api/v1/alerts?patientId=h3-0419"),
            list => list.GetArrayLength() == 1 && list[0].TryGetProperty("response", out var r) && r.ValueKind == JsonValueKind.Object,
            Deadline,
            "the decline of h3-0419's alert");
        Assert.Equal(("declined", "measurement-error", "cuff too small", _clinician.Name), (declined[0].GetProperty("response").GetProperty("response").GetString(),
            declined[0].GetProperty("response").GetProperty("reason").GetString(), declined[0].GetProperty("response").GetProperty("comment").GetString(),
            declined[0].GetProperty("response").GetProperty("respondedBy").GetString()));
    }

    internal static ChromeDriver StartChromium()
    {
        if (!File.Exists(Chromium) || !File.Exists(Path.Combine(ChromeDriverDirectory, ChromeDriver)))
        {
            Assert.Fail($"The ward board's browser test needs Debian's chromium ({Chromium}) and chromium-driver "
                + $"({Path.Combine(ChromeDriverDirectory, ChromeDriver)}): run scripts/install-prerequisites (as root) to install them.");
        }

        // Both paths are given, so Selenium Manager has nothing to look up or download.
        var service = ChromeDriverService.CreateDefaultService(ChromeDriverDirectory, ChromeDriver);
        service.HideCommandPromptWindow = true;
        service.SuppressInitialDiagnosticInformation = true;
        var options = new ChromeOptions { BinaryLocation = Chromium };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,900",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--lang=en-GB");
        return new ChromeDriver(service, options, Deadline);
    }

    // As a person choosing an option: the select's value changes and it tells its listeners.
    private static void Choose(ChromeDriver browser, IWebElement select, string value) =>
        ((IJavaScriptExecutor)browser).ExecuteScript("arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('change'));", select, value);

    private static string Cell(IWebDriver browser, string patient, string scale) =>
        browser.FindElement(By.CssSelector($"#patients tr[data-patient-id='{patient}'] td.{scale}")).Text;

    /// <summary>Saves a screenshot to the file <paramref name="variable"/> names, else to <paramref name="fileName"/> in the test output directory.</summary>
    internal static void SaveScreenshot(ChromeDriver browser, string variable, string fileName)
    {
        var path = Environment.GetEnvironmentVariable(variable) is { Length: > 0 } configured
            ? configured
            : Path.Combine(AppContext.BaseDirectory, fileName);
        browser.GetScreenshot().SaveAsFile(path);
        Assert.True(new FileInfo(path).Length > 0, $"no screenshot at {path}");
    }

    /// <summary>Opens the ward board of <paramref name="ward"/> and signs in with <paramref name="key"/> as a clinician types it.</summary>
    internal static async Task SignInWithKeyAsync(ChromeDriver browser, WebDriverWait wait, Uri alerting, string ward, ApiKey key)
    {
        await browser.Navigate().GoToUrlAsync(new Uri(alerting, $"board/?ward={ward}"));
        var input = wait.Until(d => d.FindElement(By.Id("key")) is { Displayed: true } shown ? shown : null);
        input.SendKeys(key.Key);
        input.SendKeys(Keys.Enter);
        wait.Until(d => d.FindElement(By.Id("board")).Displayed);
    }

    private static PatientAdmitted Admit(string patient, DateTimeOffset now, string ward = Ward) =>
        new(Guid.NewGuid(), patient, now, now, 54, 72, 171, 1.84, "DLBCL", ward, null);

    private static CrsGradeChanged Crs(string patient, DateTimeOffset at, int from, int to) =>
        new(Guid.NewGuid(), patient, at, at, Guid.NewGuid(), from, to, "astct-2019/1", ["crs.fever"]);

    private static IcansGradeChanged Icans(string patient, DateTimeOffset at, int from, int to) =>
        new(Guid.NewGuid(), patient, at, at, Guid.NewGuid(), from, to, Math.Max(from, to), "astct-2019/1", ["icans.ice.6"]);
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Toxicity.Contracts.V1;
using Toxicity.Testing;
using Xunit;

namespace Toxicity.Alerting.Service.Tests;

/// <summary>
/// Who may read and act on alerts, through an API key or the ward board's session cookie (docs/alerting.md "The ward
/// board"): the stream needs a clinician, the list a clinician or an auditor; the board signs in with a clinician's key
/// only; acknowledging by cookie needs the CSRF token; the board's snapshot and the stream after its offset meet exactly.
/// Alerting runs as a process on a real broker.
/// </summary>
public sealed class BoardAuthTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private readonly ApiKey _clinician = new("dr-board-7", "clinician");
    private readonly ApiKey _ward = new("ward-system", "ward-system");
    private readonly ApiKey _auditor = new("auditor-2", "auditor");
    private RabbitMqBroker _broker = null!;
    private WardEvents _events = null!;
    private ServiceProcess _alerting = null!;

    public async Task InitializeAsync()
    {
        _broker = await RabbitMqBroker.StartAsync();
        _events = await WardEvents.ConnectAsync(_broker.AmqpUri);
        _alerting = new ServiceProcess("Alerting", _broker.AmqpUri,
            new Dictionary<string, string>(_clinician.Settings(0).Concat(_ward.Settings(1)).Concat(_auditor.Settings(2))));
        await _alerting.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _alerting.DisposeAsync();
        await _events.DisposeAsync();
        await _broker.DisposeAsync();
    }

    [Fact]
    public async Task The_stream_needs_a_clinician_the_list_a_clinician_or_an_auditor_and_the_board_a_clinician()
    {
        Assert.Equal(
            [HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.OK],
            await StatusesAsync("api/v1/alerts/stream?ward=haem-3", eventStream: true));
        Assert.Equal(
            [HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden, HttpStatusCode.OK, HttpStatusCode.OK],
            await StatusesAsync("api/v1/alerts?ward=haem-3", eventStream: false));
        Assert.Equal(
            [HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.OK],
            await StatusesAsync("api/v1/board?ward=haem-3", eventStream: false));

        // A wrong key is refused as no key is, and an unauthenticated browser request gets a status, not a redirect.
        using var wrong = _alerting.CreateClient(new ApiKey("nobody", "clinician"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetAsync("api/v1/alerts")).StatusCode);
        using var browser = new BoardSession(_alerting.BaseAddress);
        using var challenged = await browser.SendAsync(HttpMethod.Get, "api/v1/alerts", csrf: false);
        Assert.Equal(HttpStatusCode.Unauthorized, challenged.StatusCode);
        Assert.Null(challenged.Headers.Location);
    }

    [Fact]
    public async Task Sign_in_refuses_a_wrong_key_with_401_a_ward_system_key_with_403_and_a_request_without_the_CSRF_token()
    {
        using var browser = new BoardSession(_alerting.BaseAddress);

        using var wrong = await browser.SignInAsync("not-a-key");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal("application/problem+json", wrong.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Unknown key", (await wrong.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());

        using var ward = await browser.SignInAsync(_ward.Key);
        Assert.Equal(HttpStatusCode.Forbidden, ward.StatusCode);
        Assert.Equal("application/problem+json", ward.Content.Headers.ContentType?.MediaType);

        using var forged = await browser.SignInAsync(_clinician.Key, csrf: false);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);

        Assert.DoesNotContain(browser.SetCookies, c => c.StartsWith("__Host-toxicity-board=", StringComparison.Ordinal));
        Assert.False((await browser.RefreshAsync()).GetProperty("signedIn").GetBoolean());
    }

    [Fact]
    public async Task Guessing_keys_is_stopped_after_10_attempts_a_minute_with_429_and_Retry_After_even_for_the_right_key()
    {
        using var browser = new BoardSession(_alerting.BaseAddress);
        for (var attempt = 1; attempt <= 10; attempt++)
        {
            using var wrong = await browser.SignInAsync($"guess-{attempt}");
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        using var limited = await browser.SignInAsync(_clinician.Key);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.InRange(int.Parse(limited.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), 1, 60);
        Assert.False((await browser.RefreshAsync()).GetProperty("signedIn").GetBoolean());
    }

    [Fact]
    public async Task A_clinician_signs_in_to_an_HttpOnly_SameSite_Strict_Secure_host_only_cookie_that_reads_the_stream_and_sign_out_ends_it()
    {
        using var browser = new BoardSession(_alerting.BaseAddress);
        using var signedIn = await browser.SignInAsync(_clinician.Key);
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);

        var cookie = Assert.Single(browser.SetCookies, c => c.StartsWith("__Host-toxicity-board=", StringComparison.Ordinal));
        var attributes = cookie.Split(';').Skip(1).Select(a => a.Trim().ToLowerInvariant()).ToList();
        Assert.Contains("httponly", attributes);
        Assert.Contains("samesite=strict", attributes);
        Assert.Contains("secure", attributes);
        Assert.Contains("path=/", attributes);
        Assert.DoesNotContain(attributes, a => a.StartsWith("domain=", StringComparison.Ordinal));
        var csrfCookie = Assert.Single(browser.SetCookies, c => c.StartsWith("toxicity-board-csrf=", StringComparison.Ordinal));
        Assert.Contains("httponly", csrfCookie.ToLowerInvariant());
        Assert.Contains("samesite=strict", csrfCookie.ToLowerInvariant());

        var session = await browser.RefreshAsync();
        Assert.Equal((true, _clinician.Name), (session.GetProperty("signedIn").GetBoolean(), session.GetProperty("name").GetString()));
        using (var stream = await browser.SendAsync(HttpMethod.Get, "api/v1/alerts/stream?ward=haem-3", csrf: false, eventStream: true))
        {
            Assert.Equal(HttpStatusCode.OK, stream.StatusCode);
            Assert.Equal("text/event-stream", stream.Content.Headers.ContentType?.MediaType);
        }

        using var list = await browser.SendAsync(HttpMethod.Get, "api/v1/alerts", csrf: false);
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);

        using var signedOut = await browser.SendAsync(HttpMethod.Post, "board/sign-out", csrf: true);
        Assert.Equal(HttpStatusCode.NoContent, signedOut.StatusCode);
        using var after = await browser.SendAsync(HttpMethod.Get, "api/v1/alerts", csrf: false);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task Acknowledging_by_the_session_cookie_without_the_CSRF_token_is_refused_and_records_nothing_with_it_succeeds()
    {
        var (patient, now) = await _events.AdmitAsync("haem-3");
        await _events.PublishAsync(new CrsGradeChanged(Guid.NewGuid(), patient, now, now, Guid.NewGuid(), 0, 2, "astct-2019/1", ["crs.fever"]));
        using var reader = _alerting.CreateClient(_clinician);
        var alerts = await Eventually.That(
            () => reader.GetFromJsonAsync<JsonElement>($"api/v1/alerts?patientId={patient}"),
            list => list.GetArrayLength() == 1,
            Deadline,
            $"the alert of {patient}");
        var alert = alerts[0].GetProperty("alertId").GetGuid();

        using var browser = new BoardSession(_alerting.BaseAddress);
        var anonymousToken = (await browser.RefreshAsync()).GetProperty("csrfToken").GetString();
        (await browser.SignInAsync(_clinician.Key)).EnsureSuccessStatusCode();
        using var withoutToken = await browser.SendAsync(HttpMethod.Post, $"api/v1/alerts/{alert}/acknowledge", csrf: false);
        Assert.Equal(HttpStatusCode.BadRequest, withoutToken.StatusCode);
        Assert.Equal("Missing or invalid CSRF token", (await withoutToken.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
        // A token issued before signing in belongs to nobody: refused too.
        browser.CsrfToken = anonymousToken;
        using var staleToken = await browser.SendAsync(HttpMethod.Post, $"api/v1/alerts/{alert}/acknowledge", csrf: true);
        Assert.Equal(HttpStatusCode.BadRequest, staleToken.StatusCode);

        await Consistently.That(
            () => reader.GetFromJsonAsync<JsonElement>($"api/v1/alerts?patientId={patient}&open=true"),
            open => open.GetArrayLength() == 1,
            TimeSpan.FromSeconds(2),
            "the alert stays unacknowledged");

        await browser.RefreshAsync();
        using var withToken = await browser.SendAsync(HttpMethod.Post, $"api/v1/alerts/{alert}/acknowledge", csrf: true);
        Assert.Equal(HttpStatusCode.OK, withToken.StatusCode);
        Assert.Equal(_clinician.Name, (await withToken.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("acknowledgedBy").GetString());
        var acknowledged = await Eventually.That(
            () => reader.GetFromJsonAsync<JsonElement>($"api/v1/alerts?patientId={patient}"),
            list => list[0].TryGetProperty("acknowledgedBy", out var by) && by.ValueKind == JsonValueKind.String,
            Deadline,
            "the acknowledgement in the list");
        Assert.Equal(_clinician.Name, acknowledged[0].GetProperty("acknowledgedBy").GetString());
    }

    [Fact]
    public async Task The_board_snapshot_and_the_stream_after_its_offset_neither_miss_nor_repeat_an_event()
    {
        var (patient, now) = await _events.AdmitAsync("haem-5");
        var (other, _) = await _events.AdmitAsync("icu");
        using var clinician = _alerting.CreateClient(_clinician);
        await _events.PublishAsync(
            new CrsGradeChanged(Guid.NewGuid(), patient, now, now, Guid.NewGuid(), 0, 1, "astct-2019/1", ["crs.fever"]),
            new IcansGradeChanged(Guid.NewGuid(), patient, now, now, Guid.NewGuid(), 0, 2, 2, "astct-2019/1", ["icans.ice.5"]),
            new IcansGradeChanged(Guid.NewGuid(), patient, now, now, Guid.NewGuid(), 2, 1, 2, "astct-2019/1", ["icans.ice.7"]));
        var board = await Eventually.That(
            () => clinician.GetFromJsonAsync<JsonElement>("api/v1/board?ward=haem-5"),
            b => b.GetProperty("patients").EnumerateArray().Any(p => p.GetProperty("icans").GetInt32() == 1),
            Deadline,
            "the board with the patient's ICANS back at 1");
        var row = Assert.Single(board.GetProperty("patients").EnumerateArray());
        Assert.Equal((patient, 1, 1), (row.GetProperty("patientId").GetString(), row.GetProperty("crs").GetInt32(), row.GetProperty("icans").GetInt32()));
        // Two alerts open (CRS 1, ICANS 2); the fall of ICANS is a notice, not an open alert. The other ward's patient is not here.
        Assert.Equal([("crs", 1), ("icans", 2)], board.GetProperty("openAlerts").EnumerateArray()
            .Select(a => (a.GetProperty("scale").GetString(), a.GetProperty("newGrade").GetInt32())));
        Assert.DoesNotContain(board.GetProperty("patients").EnumerateArray(), p => p.GetProperty("patientId").GetString() == other);
        var offset = board.GetProperty("offset").GetInt64();

        await _events.PublishAsync(new CrsGradeChanged(Guid.NewGuid(), patient, now, now, Guid.NewGuid(), 1, 3, "astct-2019/1", ["crs.fever", "crs.hypotension.oneVasopressor"]));
        await using var stream = await SseReader.OpenAsync(clinician, $"api/v1/alerts/stream?ward=haem-5&after={offset}");
        var next = JsonDocument.Parse((await stream.NextAsync("alert", Deadline)).Data).RootElement;
        Assert.Equal((1, 3), (next.GetProperty("previousGrade").GetInt32(), next.GetProperty("newGrade").GetInt32()));

        // Last-Event-ID (a reconnecting EventSource) wins over ?after=.
        await using var resumed = await SseReader.OpenAsync(clinician, $"api/v1/alerts/stream?ward=haem-5&after={offset}", lastEventId: "0");
        var first = JsonDocument.Parse((await resumed.NextAsync("alert", Deadline)).Data).RootElement;
        Assert.Equal((0, 1), (first.GetProperty("previousGrade").GetInt32(), first.GetProperty("newGrade").GetInt32()));
    }

    private async Task<List<HttpStatusCode>> StatusesAsync(string path, bool eventStream)
    {
        var statuses = new List<HttpStatusCode>();
        foreach (var key in new ApiKey?[] { null, _ward, _auditor, _clinician })
        {
            using var http = _alerting.CreateClient(key);
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            if (eventStream)
            {
                request.Headers.Accept.ParseAdd("text/event-stream");
            }

            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            statuses.Add(response.StatusCode);
        }

        return statuses;
    }
}

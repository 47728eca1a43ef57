using System.Net.Http.Json;
using System.Text.Json;

namespace Toxicity.Testing;

/// <summary>
/// The ward board's session as a browser holds it, for tests without a browser: cookies kept by hand (HttpClient's
/// container would not send a Secure cookie over http://127.0.0.1, which browsers treat as a secure context) and the
/// antiforgery token from <c>GET /board/session</c>.
/// </summary>
public sealed class BoardSession : IDisposable
{
    private readonly HttpClient _http;
    private readonly Dictionary<string, string> _cookies = new(StringComparer.Ordinal);

    public BoardSession(Uri baseAddress)
    {
        _http = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    /// <summary>The same cookies and CSRF token, sent to another service (which should take them for nothing).</summary>
    public BoardSession To(Uri baseAddress)
    {
        var copy = new BoardSession(baseAddress) { CsrfToken = CsrfToken };
        foreach (var (name, value) in _cookies)
        {
            copy._cookies[name] = value;
        }

        return copy;
    }

    /// <summary>The token for <c>X-CSRF-TOKEN</c>, from the last <see cref="RefreshAsync"/>.</summary>
    public string? CsrfToken { get; set; }

    /// <summary>Every <c>Set-Cookie</c> header received, as sent.</summary>
    public List<string> SetCookies { get; } = [];

    /// <summary>GET /board/session: whether signed in, and a fresh antiforgery token (bound to the user).</summary>
    public async Task<JsonElement> RefreshAsync()
    {
        using var response = await SendAsync(HttpMethod.Get, "board/session", csrf: false);
        response.EnsureSuccessStatusCode();
        var session = await response.Content.ReadFromJsonAsync<JsonElement>();
        CsrfToken = session.GetProperty("csrfToken").GetString();
        return session;
    }

    /// <summary>Signs in with <paramref name="key"/> as the board's form does, with the CSRF token; the caller disposes the response.</summary>
    public async Task<HttpResponseMessage> SignInAsync(string key, bool csrf = true)
    {
        await RefreshAsync();
        return await SendAsync(HttpMethod.Post, "board/sign-in", csrf, JsonContent.Create(new { key }));
    }

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, bool csrf, HttpContent? content = null, bool eventStream = false)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        if (_cookies.Count > 0)
        {
            request.Headers.Add("Cookie", string.Join("; ", _cookies.Select(c => $"{c.Key}={c.Value}")));
        }

        if (csrf && CsrfToken is not null)
        {
            request.Headers.Add("X-CSRF-TOKEN", CsrfToken);
        }

        if (eventStream)
        {
            request.Headers.Accept.ParseAdd("text/event-stream");
        }

        var response = await _http.SendAsync(request, eventStream ? HttpCompletionOption.ResponseHeadersRead : HttpCompletionOption.ResponseContentRead);
        if (response.Headers.TryGetValues("Set-Cookie", out var setCookies))
        {
            foreach (var setCookie in setCookies)
            {
                SetCookies.Add(setCookie);
                var pair = setCookie.Split(';', 2)[0].Split('=', 2);
                var expired = setCookie.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase);
                if (expired || pair[1].Length == 0)
                {
                    _cookies.Remove(pair[0]);
                }
                else
                {
                    _cookies[pair[0]] = pair[1];
                }
            }
        }

        return response;
    }

    public void Dispose() => _http.Dispose();
}

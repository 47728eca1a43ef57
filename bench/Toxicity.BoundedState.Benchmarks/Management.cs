using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Toxicity.Hosting;

namespace Toxicity.BoundedState.Benchmarks;

/// <summary>The broker's management HTTP API: a virtual host per log, and the queues a service declared in it.</summary>
internal sealed class Management : IDisposable
{
    private readonly HttpClient _http;
    private readonly string _user;

    public Management(Uri managementUri)
    {
        _http = new HttpClient { BaseAddress = new UriBuilder(managementUri) { UserName = string.Empty, Password = string.Empty, Path = "/api/" }.Uri };
        var credentials = Uri.UnescapeDataString(managementUri.UserInfo);
        _user = credentials.Split(':')[0];
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
    }

    /// <summary>The broker's and Erlang's versions, for the report.</summary>
    public async Task<string> VersionAsync()
    {
        var overview = await _http.GetFromJsonAsync<JsonElement>("overview");
        return $"RabbitMQ {overview.GetProperty("rabbitmq_version").GetString()} (Erlang {overview.GetProperty("erlang_version").GetString()})";
    }

    public async Task CreateVirtualHostAsync(string vhost)
    {
        var name = Uri.EscapeDataString(vhost);
        (await _http.PutAsync($"vhosts/{name}", null)).EnsureSuccessStatusCode();
        (await _http.PutAsJsonAsync($"permissions/{name}/{Uri.EscapeDataString(_user)}", new { configure = ".*", write = ".*", read = ".*" })).EnsureSuccessStatusCode();
    }

    public async Task DeleteVirtualHostAsync(string vhost) =>
        (await _http.DeleteAsync($"vhosts/{Uri.EscapeDataString(vhost)}")).EnsureSuccessStatusCode();

    /// <summary>
    /// Deletes every queue of <paramref name="vhost"/> but the event log: what a service started before the log was
    /// written declared (Grading's partitions). A running ward's queues are drained as it goes; left in place, a million
    /// events would wait in them and be consumed during the measurement.
    /// </summary>
    public async Task<int> DeleteQueuesButTheLogAsync(string vhost)
    {
        var name = Uri.EscapeDataString(vhost);
        var queues = await _http.GetFromJsonAsync<JsonElement>($"queues/{name}");
        var deleted = 0;
        foreach (var queue in queues.EnumerateArray().Select(q => q.GetProperty("name").GetString()!).Where(q => q != EventLog.StreamName))
        {
            (await _http.DeleteAsync($"queues/{name}/{Uri.EscapeDataString(queue)}")).EnsureSuccessStatusCode();
            deleted++;
        }

        return deleted;
    }

    public void Dispose() => _http.Dispose();
}

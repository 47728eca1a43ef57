using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using DotNet.Testcontainers.Builders;
using Testcontainers.RabbitMq;

namespace Toxicity.Testing;

/// <summary>
/// A real RabbitMQ broker for the tests, taken in the order DESIGN.md gives: the broker named by
/// <c>TOXICITY_TEST_RABBITMQ</c> (amqp URI, with <c>TOXICITY_TEST_RABBITMQ_MANAGEMENT</c>, its management URL);
/// else a Testcontainers container where a Docker engine answers; else a private <c>rabbitmq-server</c> node
/// started by <c>scripts/broker</c>. With none, it fails with a message that says how to get one: a test that
/// needs the broker never passes without it. Every instance works in a virtual host of its own, so test
/// classes sharing one broker never see each other's queues or messages.
/// </summary>
public sealed class RabbitMqBroker : IAsyncDisposable
{
    public const string UriVariable = "TOXICITY_TEST_RABBITMQ";
    public const string ManagementVariable = "TOXICITY_TEST_RABBITMQ_MANAGEMENT";

    private static readonly TimeSpan StartDeadline = TimeSpan.FromMinutes(2);

    private readonly Func<Task> _stop;
    private readonly string? _nodeDirectory;

    private RabbitMqBroker(Uri serverUri, Uri managementUri, string source, Func<Task> stop, string? nodeDirectory = null)
    {
        _stop = stop;
        _nodeDirectory = nodeDirectory;
        Source = source;
        VirtualHost = $"toxicity-test-{Guid.NewGuid():N}"[..26];
        var server = new UriBuilder(serverUri) { Path = "/" + Uri.EscapeDataString(VirtualHost) };
        AmqpUri = server.Uri;
        Management = new RabbitMqManagement(managementUri, VirtualHost);
    }

    /// <summary>The broker in this instance's own virtual host, with credentials: what a service's <c>ConnectionStrings__rabbitmq</c> takes.</summary>
    public Uri AmqpUri { get; }

    public string VirtualHost { get; }

    /// <summary>Where the broker came from, for the test output.</summary>
    public string Source { get; }

    public RabbitMqManagement Management { get; }

    public static async Task<RabbitMqBroker> StartAsync()
    {
        var broker = await FromEnvironment() ?? await FromDocker() ?? await FromPrivateNode();
        await broker.Management.CreateVirtualHostAsync(broker.AmqpUri);
        return broker;
    }

    /// <summary>
    /// A private <c>rabbitmq-server</c> node of this instance's own, whatever <c>TOXICITY_TEST_RABBITMQ</c> says: for a
    /// test that restarts the broker (<see cref="RestartAsync"/>), which must not take the other tests' broker down.
    /// </summary>
    public static async Task<RabbitMqBroker> StartPrivateNodeAsync()
    {
        var broker = await FromPrivateNode();
        await broker.Management.CreateVirtualHostAsync(broker.AmqpUri);
        return broker;
    }

    /// <summary>
    /// Stops the node and starts it again on the same ports with the same files (<c>scripts/broker restart</c>): every
    /// connection is dropped, durable queues and persistent messages survive. Only for <see cref="StartPrivateNodeAsync"/>.
    /// </summary>
    public async Task RestartAsync()
    {
        var directory = _nodeDirectory ?? throw new InvalidOperationException("only a broker from StartPrivateNodeAsync can be restarted");
        var (exitCode, output) = await RunScriptAsync("restart", directory);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"the broker did not restart: {output}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Management.DeleteVirtualHostAsync();
        }
        finally
        {
            Management.Dispose();
            await _stop();
        }
    }

    private static Task<RabbitMqBroker?> FromEnvironment()
    {
        var uri = Environment.GetEnvironmentVariable(UriVariable);
        if (string.IsNullOrWhiteSpace(uri))
        {
            return Task.FromResult<RabbitMqBroker?>(null);
        }

        var management = Environment.GetEnvironmentVariable(ManagementVariable);
        if (string.IsNullOrWhiteSpace(management))
        {
            throw new InvalidOperationException(
                $"{UriVariable} is set but {ManagementVariable} is not: give the broker's management URL with credentials, "
                + "e.g. http://guest:guest@127.0.0.1:15672 (the tests create a virtual host per fixture through it).");
        }

        return Task.FromResult<RabbitMqBroker?>(new RabbitMqBroker(new Uri(uri), new Uri(management), $"{UriVariable}", () => Task.CompletedTask));
    }

    private static async Task<RabbitMqBroker?> FromDocker()
    {
        RabbitMqContainer container;
        try
        {
            container = new RabbitMqBuilder("rabbitmq:3.13-management").WithPortBinding(15672, assignRandomHostPort: true).Build();
        }
        catch (DockerUnavailableException)
        {
            return null;
        }

        using var timeout = new CancellationTokenSource(StartDeadline);
        await container.StartAsync(timeout.Token);
        var amqp = new Uri(container.GetConnectionString());
        var management = new UriBuilder("http", container.Hostname, container.GetMappedPublicPort(15672)) { UserName = amqp.UserInfo.Split(':')[0], Password = amqp.UserInfo.Split(':')[1] }.Uri;
        return new RabbitMqBroker(amqp, management, "Testcontainers", async () => await container.DisposeAsync());
    }

    private static async Task<RabbitMqBroker> FromPrivateNode()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"toxicity-broker-{Guid.NewGuid():N}");
        var (exitCode, output) = await RunScriptAsync("start", directory);
        if (exitCode != 0)
        {
            throw new InvalidOperationException(
                "No RabbitMQ broker for the tests. Either set " + UriVariable + " and " + ManagementVariable
                + " to a broker's amqp URI and management URL, or run where a Docker engine answers, or install Debian's "
                + "broker and run as root ('apt-get update && apt-get install -y rabbitmq-server'; 'bash scripts/test' does all of this). "
                + "scripts/broker said:\n" + output);
        }

        var settings = (await File.ReadAllLinesAsync(Path.Combine(directory, "broker.env")))
            .Select(line => line.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.Ordinal);
        return new RabbitMqBroker(
            new UriBuilder(settings["TOXICITY_RABBITMQ_URI"]) { Path = "/" }.Uri,
            new Uri(settings["TOXICITY_RABBITMQ_MANAGEMENT"]),
            $"private rabbitmq-server node {settings["TOXICITY_RABBITMQ_NODE"]}",
            async () => await RunScriptAsync("stop", directory),
            directory);
    }

    private static async Task<(int ExitCode, string Output)> RunScriptAsync(string verb, string directory)
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(Repository.Root, "scripts", "broker"), verb, directory])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start bash");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(StartDeadline);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}

/// <summary>The broker's management HTTP API, scoped to one virtual host: what the tests inspect (queue depths, bindings).</summary>
public sealed class RabbitMqManagement : IDisposable
{
    private readonly HttpClient _http;
    private readonly string _vhost;

    internal RabbitMqManagement(Uri managementUri, string vhost)
    {
        _vhost = Uri.EscapeDataString(vhost);
        _http = new HttpClient { BaseAddress = new UriBuilder(managementUri) { UserName = string.Empty, Password = string.Empty, Path = "/api/" }.Uri };
        var credentials = Uri.UnescapeDataString(managementUri.UserInfo);
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
    }

    /// <summary>A queue's depth: ready and unacknowledged messages, or null when it does not exist.</summary>
    public async Task<QueueDepth?> QueueAsync(string queue)
    {
        using var response = await _http.GetAsync($"queues/{_vhost}/{Uri.EscapeDataString(queue)}");
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        var info = await response.Content.ReadFromJsonAsync<QueueInfo>() ?? throw new InvalidOperationException("empty queue info");
        return new QueueDepth(info.Type ?? "classic", info.Durable, info.Messages_Ready ?? 0, info.Messages_Unacknowledged ?? 0);
    }

    /// <summary>The source exchanges bound to a queue.</summary>
    public async Task<IReadOnlyList<string>> BindingSourcesAsync(string queue)
    {
        var bindings = await _http.GetFromJsonAsync<List<BindingInfo>>($"queues/{_vhost}/{Uri.EscapeDataString(queue)}/bindings") ?? [];
        return [.. bindings.Select(b => b.Source).Where(s => s.Length > 0)];
    }

    /// <summary>A queue's declaration arguments (e.g. <c>x-queue-type</c>, <c>x-single-active-consumer</c>), or null when it does not exist.</summary>
    public async Task<IReadOnlyDictionary<string, JsonElement>?> QueueArgumentsAsync(string queue)
    {
        using var response = await _http.GetAsync($"queues/{_vhost}/{Uri.EscapeDataString(queue)}");
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        var info = await response.Content.ReadFromJsonAsync<JsonElement>();
        return info.GetProperty("arguments").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.Ordinal);
    }

    /// <summary>
    /// A queue's consumers and whether each is the one the broker delivers to (<c>activity_status</c>: with
    /// single-active-consumer, <c>single_active</c> or <c>waiting</c>). The broker refreshes these with its statistics,
    /// every few seconds: poll.
    /// </summary>
    public async Task<IReadOnlyList<QueueConsumer>> ConsumersAsync(string queue)
    {
        var info = await _http.GetFromJsonAsync<JsonElement>($"queues/{_vhost}/{Uri.EscapeDataString(queue)}");
        if (!info.TryGetProperty("consumer_details", out var details))
        {
            return [];
        }

        return [.. details.EnumerateArray().Select(c => new QueueConsumer(
            c.GetProperty("consumer_tag").GetString() ?? string.Empty,
            c.TryGetProperty("activity_status", out var status) ? status.GetString() ?? string.Empty : string.Empty))];
    }

    /// <summary>Up to <paramref name="count"/> messages of a queue, peeked (requeued): each one's headers and body text.</summary>
    public async Task<IReadOnlyList<(IReadOnlyDictionary<string, JsonElement> Headers, string Payload)>> PeekAsync(string queue, int count)
    {
        using var response = await _http.PostAsJsonAsync($"queues/{_vhost}/{Uri.EscapeDataString(queue)}/get",
            new { count, ackmode = "ack_requeue_true", encoding = "auto" });
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"peeking into {queue}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        var messages = await response.Content.ReadFromJsonAsync<JsonElement>();
        return [.. messages.EnumerateArray().Select(m => (
            (IReadOnlyDictionary<string, JsonElement>)(m.GetProperty("properties").TryGetProperty("headers", out var headers)
                ? headers.EnumerateObject().ToDictionary(h => h.Name, h => h.Value.Clone(), StringComparer.Ordinal)
                : new Dictionary<string, JsonElement>(StringComparer.Ordinal)),
            m.GetProperty("payload").GetString() ?? string.Empty))];
    }

    /// <summary>The names of every queue in the virtual host.</summary>
    public async Task<IReadOnlyList<string>> QueueNamesAsync()
    {
        var queues = await _http.GetFromJsonAsync<JsonElement>($"queues/{_vhost}");
        return [.. queues.EnumerateArray().Select(q => q.GetProperty("name").GetString() ?? string.Empty)];
    }

    /// <summary>An exchange's type and declaration arguments, or null when it does not exist.</summary>
    public async Task<(string Type, bool Durable, IReadOnlyDictionary<string, JsonElement> Arguments)?> ExchangeAsync(string exchange)
    {
        using var response = await _http.GetAsync($"exchanges/{_vhost}/{Uri.EscapeDataString(exchange)}");
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        var info = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (info.GetProperty("type").GetString() ?? string.Empty, info.GetProperty("durable").GetBoolean(),
            info.GetProperty("arguments").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.Ordinal));
    }

    /// <summary>Closes, as a broker operator would, every connection of the virtual host whose client gave <paramref name="connectionName"/>; the number closed.</summary>
    public Task<int> CloseConnectionsAsync(string connectionName) => CloseConnectionsAsync(name => name == connectionName);

    /// <summary>Closes every connection of the virtual host whose client-given name matches <paramref name="match"/>; the number closed.</summary>
    public async Task<int> CloseConnectionsAsync(Func<string, bool> match)
    {
        var connections = await _http.GetFromJsonAsync<JsonElement>($"vhosts/{_vhost}/connections");
        var closed = 0;
        foreach (var connection in connections.EnumerateArray())
        {
            if (connection.TryGetProperty("client_properties", out var client) && client.TryGetProperty("connection_name", out var name)
                && name.GetString() is { } given && match(given))
            {
                (await _http.DeleteAsync($"connections/{Uri.EscapeDataString(connection.GetProperty("name").GetString()!)}")).EnsureSuccessStatusCode();
                closed++;
            }
        }

        return closed;
    }

    public void Dispose() => _http.Dispose();

    internal async Task CreateVirtualHostAsync(Uri amqpUri)
    {
        (await _http.PutAsync($"vhosts/{_vhost}", null)).EnsureSuccessStatusCode();
        var user = Uri.EscapeDataString(Uri.UnescapeDataString(amqpUri.UserInfo.Split(':')[0]));
        (await _http.PutAsJsonAsync($"permissions/{_vhost}/{user}", new { configure = ".*", write = ".*", read = ".*" })).EnsureSuccessStatusCode();
    }

    internal async Task DeleteVirtualHostAsync() => await _http.DeleteAsync($"vhosts/{_vhost}");

#pragma warning disable IDE1006, CA1812 // shapes of the management API's JSON, named as it names them; created by the deserializer
    private sealed record QueueInfo(string? Type, bool Durable, int? Messages_Ready, int? Messages_Unacknowledged);

    private sealed record BindingInfo(string Source);
#pragma warning restore IDE1006, CA1812
}

public sealed record QueueDepth(string Type, bool Durable, int Ready, int Unacknowledged);

/// <summary>One consumer of a queue: its tag and its activity status (<c>up</c>, <c>single_active</c>, <c>waiting</c>).</summary>
public sealed record QueueConsumer(string Tag, string ActivityStatus);

using System.Net;
using System.Net.Sockets;

namespace Toxicity.Testing;

/// <summary>
/// A TCP proxy on 127.0.0.1 in front of the broker, so a test can cut one service's broker connection (and refuse
/// new ones) and restore it, without disturbing the broker that other tests share.
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly IPEndPoint _target;
    private readonly Lock _gate = new();
    private readonly List<TcpClient> _connections = [];
    private TcpListener? _listener;
    private CancellationTokenSource _stop = new();
    private Task _accepting = Task.CompletedTask;

    public TcpProxy(Uri target)
    {
        _target = new IPEndPoint(IPAddress.Loopback, target.Port);
        Port = FreePort.Next();
        Open();
    }

    public int Port { get; }

    /// <summary><paramref name="uri"/> with its host and port pointing at this proxy.</summary>
    public Uri Through(Uri uri) => new UriBuilder(uri) { Host = "127.0.0.1", Port = Port }.Uri;

    /// <summary>Drops every connection and refuses new ones, as a broker that went away.</summary>
    public async Task CutAsync()
    {
        await _stop.CancelAsync();
        _listener?.Stop();
        lock (_gate)
        {
            foreach (var connection in _connections)
            {
                connection.Dispose();
            }

            _connections.Clear();
        }

#pragma warning disable VSTHRD003 // the accept loop was started by this instance
        await _accepting;
#pragma warning restore VSTHRD003
    }

    /// <summary>Accepts connections again, on the same port.</summary>
    public void Open()
    {
        _stop = new CancellationTokenSource();
        _listener = new TcpListener(IPAddress.Loopback, Port);
        _listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Start();
        _accepting = AcceptAsync(_listener, _stop.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await CutAsync();
        _stop.Dispose();
    }

    private async Task AcceptAsync(TcpListener listener, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stop);
            }
            catch (Exception) when (stop.IsCancellationRequested)
            {
                return;
            }

            var upstream = new TcpClient();
            try
            {
                await upstream.ConnectAsync(_target, stop);
            }
            catch (Exception error) when (stop.IsCancellationRequested || error is SocketException)
            {
                // Cut, or the target refused (a broker restarting): this client is dropped, the next one tried again.
                client.Dispose();
                upstream.Dispose();
                if (stop.IsCancellationRequested)
                {
                    return;
                }

                continue;
            }

            lock (_gate)
            {
                _connections.Add(client);
                _connections.Add(upstream);
            }

            _ = PipeAsync(client, upstream);
            _ = PipeAsync(upstream, client);
        }
    }

    private static async Task PipeAsync(TcpClient from, TcpClient to)
    {
        try
        {
            await from.GetStream().CopyToAsync(to.GetStream());
        }
        catch (Exception error) when (error is IOException or ObjectDisposedException or InvalidOperationException or SocketException)
        {
            // the other side went away, or the proxy was cut
        }
        finally
        {
            from.Dispose();
            to.Dispose();
        }
    }
}

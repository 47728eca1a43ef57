using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace Toxicity.Testing;

/// <summary>
/// A sender of HL7 v2 over MLLP on a real TCP connection, as a monitor gateway or an interface engine is: frames a
/// message as <c>VT message FS CR</c>, reads the answer's frames, and can also write raw bytes to break the framing.
/// </summary>
public sealed class MllpClient : IAsyncDisposable
{
    public const byte StartBlock = 0x0B;
    public const byte EndBlock = 0x1C;
    public const byte CarriageReturn = 0x0D;

    private readonly TcpClient _tcp;
    private readonly Stream _stream;
    private readonly List<byte> _pending = [];

    private MllpClient(TcpClient tcp, Stream stream)
    {
        _tcp = tcp;
        _stream = stream;
    }

    /// <summary>Connects to 127.0.0.1:<paramref name="port"/>; over TLS when <paramref name="tlsHost"/> is given (the certificate checked by <paramref name="validate"/>).</summary>
    public static async Task<MllpClient> ConnectAsync(int port, string? tlsHost = null, RemoteCertificateValidationCallback? validate = null)
    {
        var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync("127.0.0.1", port);
        Stream stream = tcp.GetStream();
        if (tlsHost is not null)
        {
            var tls = new SslStream(stream, leaveInnerStreamOpen: false, validate);
            await tls.AuthenticateAsClientAsync(tlsHost);
            stream = tls;
        }

        return new MllpClient(tcp, stream);
    }

    /// <summary>Segments joined with CR, as ER7 wants them.</summary>
    public static string Message(params string[] segments) => string.Join('\r', segments) + '\r';

    /// <summary>Sends one framed message and reads one framed answer (the ACK), within <paramref name="timeout"/>.</summary>
    public async Task<string> SendAsync(string message, TimeSpan? timeout = null)
    {
        await WriteFrameAsync(message);
        return await ReadFrameAsync(timeout ?? TimeSpan.FromSeconds(30))
            ?? throw new IOException("the listener closed the connection instead of answering");
    }

    public Task WriteFrameAsync(string message) => WriteAsync([StartBlock, .. Encoding.UTF8.GetBytes(message), EndBlock, CarriageReturn]);

    public async Task WriteAsync(byte[] bytes)
    {
        await _stream.WriteAsync(bytes);
        await _stream.FlushAsync();
    }

    /// <summary>The next framed answer, or null when the listener closed the connection (without a whole frame).</summary>
    public async Task<string?> ReadFrameAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        var buffer = new byte[8192];
        while (true)
        {
            var start = _pending.IndexOf(StartBlock);
            var end = start < 0 ? -1 : _pending.IndexOf(EndBlock, start);
            if (end >= 0 && end + 1 < _pending.Count)
            {
                var frame = _pending.GetRange(start + 1, end - start - 1).ToArray();
                _pending.RemoveRange(0, end + 2);
                return Encoding.UTF8.GetString(frame);
            }

            int read;
            try
            {
                read = await _stream.ReadAsync(buffer, deadline.Token);
            }
            catch (IOException)
            {
                return null; // reset by the listener
            }

            if (read == 0)
            {
                return null;
            }

            _pending.AddRange(buffer.AsSpan(0, read).ToArray());
        }
    }

    /// <summary>True once the listener has closed the connection (read returns end of stream or a reset) within <paramref name="timeout"/>.</summary>
    public async Task<bool> ClosedByListenerAsync(TimeSpan timeout)
    {
        try
        {
            return await ReadFrameAsync(timeout) is null;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _tcp.Dispose();
    }
}

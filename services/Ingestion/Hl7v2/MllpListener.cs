using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.Extensions.Options;

namespace Toxicity.Ingestion.Service.Hl7v2;

/// <summary>
/// HL7 v2 over MLLP (the Minimal Lower Layer Protocol of HL7 v2 appendix C / IHE ITI TF-2 "MLLP"): each message
/// framed as <c>VT message FS CR</c> (0x0B … 0x1C 0x0D), answered on the same connection before the next is read.
/// Optionally over TLS. Whatever breaks the framing (bytes before VT, a frame longer than the limit, one cut off, a
/// sender too slow to finish it) closes the connection without an answer: nothing of it is published.
/// </summary>
internal sealed class MllpListener(IOptions<MllpOptions> options, MllpSubmissions submissions, ILogger<MllpListener> logger) : BackgroundService
{
    private const byte StartBlock = 0x0B;
    private const byte EndBlock = 0x1C;
    private const byte CarriageReturn = 0x0D;
    private const byte LineFeed = 0x0A;

    private static readonly Encoding StrictUtf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static readonly Action<ILogger, int, bool, Exception?> LogListening = LoggerMessage.Define<int, bool>(
        LogLevel.Information, default, "HL7 v2 MLLP listener on port {Port} (TLS: {Tls})");

    private static readonly Action<ILogger, string, Exception?> LogClosed = LoggerMessage.Define<string>(
        LogLevel.Warning, default, "MLLP connection closed without an answer: {Reason}");

    private readonly MllpOptions _options = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_options.Port is not { } port)
        {
            return;
        }

        var certificate = _options.CertificatePath is { Length: > 0 } path ? X509Certificate2.CreateFromPemFile(path, _options.KeyPath) : null;
        var address = IPAddress.Parse(_options.Address);
        var listener = new TcpListener(address, port);
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true); // a restart rebinds at once
        if (address.Equals(IPAddress.IPv6Any))
        {
            listener.Server.DualMode = true;
        }

        listener.Start();
        LogListening(logger, ((IPEndPoint)listener.LocalEndpoint).Port, certificate is not null, null);
        var open = 0;
        var connections = new HashSet<Task>();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var client = await listener.AcceptTcpClientAsync(stoppingToken);
                if (Interlocked.Increment(ref open) > _options.MaxConnections)
                {
                    Interlocked.Decrement(ref open);
                    LogClosed(logger, $"more than {_options.MaxConnections} connections at once", null);
                    client.Dispose();
                    continue;
                }

                var serving = ServeAsync(client, certificate, stoppingToken);
                lock (connections)
                {
                    connections.Add(serving);
                }

                _ = serving.ContinueWith(done =>
                {
                    Interlocked.Decrement(ref open);
                    lock (connections)
                    {
                        connections.Remove(done);
                    }
                }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
        finally
        {
            listener.Stop();
            Task[] serving;
            lock (connections)
            {
                serving = [.. connections];
            }

            await Task.WhenAll(serving);
            certificate?.Dispose();
        }
    }

    private async Task ServeAsync(TcpClient client, X509Certificate2? certificate, CancellationToken stopping)
    {
        await Task.Yield();
        using (client)
        {
            try
            {
                client.NoDelay = true;
                Stream stream = client.GetStream();
                if (certificate is not null)
                {
                    var tls = new SslStream(stream, leaveInnerStreamOpen: false, (_, _, _, errors) => !_options.RequireClientCertificate || errors == SslPolicyErrors.None);
                    using var handshake = CancellationTokenSource.CreateLinkedTokenSource(stopping);
                    handshake.CancelAfter(TimeSpan.FromSeconds(_options.FrameTimeoutSeconds));
                    await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
                    {
                        ServerCertificate = certificate,
                        ClientCertificateRequired = _options.RequireClientCertificate,
                    }, handshake.Token);
                    stream = tls;
                }

                await using (stream)
                {
                    await ConverseAsync(new FrameReader(stream, _options.MaxMessageBytes), stream, stopping);
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                // stopping: the sender resends what was not answered
            }
            catch (OperationCanceledException)
            {
                LogClosed(logger, "the sender was silent or too slow to finish a frame", null);
            }
            catch (MllpFramingException error)
            {
                LogClosed(logger, error.Message, null);
            }
            catch (Exception error) when (error is IOException or SocketException or System.Security.Authentication.AuthenticationException or ObjectDisposedException)
            {
                LogClosed(logger, $"the connection failed ({error.GetType().Name})", null);
            }
        }
    }

    private async Task ConverseAsync(FrameReader frames, Stream stream, CancellationToken stopping)
    {
        var idle = TimeSpan.FromSeconds(_options.IdleTimeoutSeconds);
        var frameTimeout = TimeSpan.FromSeconds(_options.FrameTimeoutSeconds);
        while (await frames.ReadAsync(idle, frameTimeout, stopping) is { } frame)
        {
            Er7Message message;
            try
            {
                message = Er7Message.Parse(Decode(frame));
            }
            catch (Er7FormatException error)
            {
                // Without a readable MSH there is nobody to address an ACK to.
                throw new MllpFramingException($"not an HL7 v2 message: {error.Message}");
            }

            foreach (var ack in await submissions.HandleAsync(message, stopping))
            {
                var bytes = Encoding.ASCII.GetBytes(ack);
                var framed = new byte[bytes.Length + 3];
                framed[0] = StartBlock;
                bytes.CopyTo(framed, 1);
                framed[^2] = EndBlock;
                framed[^1] = CarriageReturn;
                await stream.WriteAsync(framed, stopping);
                await stream.FlushAsync(stopping);
            }
        }
    }

    // HL7's default character set is ASCII; UTF-8 (MSH-18 UNICODE UTF-8) reads the same, and 8859/1 otherwise.
    private static string Decode(byte[] frame)
    {
        try
        {
            return StrictUtf8.GetString(frame);
        }
        catch (DecoderFallbackException)
        {
            return Encoding.Latin1.GetString(frame);
        }
    }

    /// <summary>Reads MLLP frames: <c>VT … FS CR</c>, with only CR or LF allowed between frames.</summary>
    private sealed class FrameReader(Stream stream, int maxBytes)
    {
        private readonly byte[] _buffer = new byte[16 * 1024];
        private int _start;
        private int _end;

        /// <summary>The next frame's content, or null when the sender closed the connection between frames.</summary>
        public async Task<byte[]?> ReadAsync(TimeSpan idle, TimeSpan frameTimeout, CancellationToken stopping)
        {
            using (var waiting = CancellationTokenSource.CreateLinkedTokenSource(stopping))
            {
                waiting.CancelAfter(idle);
                while (true)
                {
                    if (_start == _end && !await FillAsync(waiting.Token))
                    {
                        return null;
                    }

                    var next = _buffer[_start];
                    if (next is CarriageReturn or LineFeed)
                    {
                        _start++;
                        continue;
                    }

                    if (next != StartBlock)
                    {
                        throw new MllpFramingException("a frame must begin with VT (0x0B)");
                    }

                    _start++;
                    break;
                }
            }

            using var arriving = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            arriving.CancelAfter(frameTimeout);
            using var message = new MemoryStream();
            while (true)
            {
                var available = _buffer.AsSpan(_start, _end - _start);
                var end = available.IndexOf(EndBlock);
                var content = end < 0 ? available : available[..end];
                if (content.Contains(StartBlock))
                {
                    throw new MllpFramingException("a new frame began before the last one ended (a truncated frame)");
                }

                if (message.Length + content.Length > maxBytes)
                {
                    throw new MllpFramingException($"a frame is longer than {maxBytes} bytes");
                }

                message.Write(content);
                _start += content.Length;
                if (end >= 0)
                {
                    _start++;
                    if (_start == _end && !await FillAsync(arriving.Token))
                    {
                        throw new MllpFramingException("the connection closed after FS, before its CR");
                    }

                    if (_buffer[_start++] != CarriageReturn)
                    {
                        throw new MllpFramingException("FS (0x1C) must be followed by CR (0x0D)");
                    }

                    return message.ToArray();
                }

                if (!await FillAsync(arriving.Token))
                {
                    throw new MllpFramingException("the connection closed in the middle of a frame (a truncated frame)");
                }
            }
        }

        private async Task<bool> FillAsync(CancellationToken cancellationToken)
        {
            _start = _end = 0;
            _end = await stream.ReadAsync(_buffer, cancellationToken);
            return _end > 0;
        }
    }
}

/// <summary>The bytes on a connection are not MLLP frames of an HL7 v2 message: the connection is closed.</summary>
internal sealed class MllpFramingException(string message) : Exception(message);

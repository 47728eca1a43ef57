using System.Net;
using System.Net.Sockets;

namespace Toxicity.Testing;

public static class FreePort
{
    /// <summary>A TCP port on 127.0.0.1 that the operating system just handed out as free.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

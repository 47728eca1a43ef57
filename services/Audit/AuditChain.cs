using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Toxicity.Hosting;

namespace Toxicity.Audit.Service;

/// <summary>
/// The hash chain over the event log (docs/audit.md "The chain"): h(n) = SHA-256(h(n-1) ‖ offset as 8 bytes big-endian ‖
/// status in UTF-8 ‖ 0x00 ‖ the entry's exact body), h(-1) = 32 zero bytes. Any entry removed, altered, reordered or
/// re-signed changes every hash after it.
/// </summary>
internal static class AuditChain
{
    public const string Marker = "marker";
    public const string NotAnEvent = "not-an-event";

    public static byte[] Genesis => new byte[SHA256.HashSizeInBytes];

    public static byte[] Next(ReadOnlySpan<byte> previous, long offset, string status, ReadOnlySpan<byte> body)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(previous);
        Span<byte> offsetBytes = stackalloc byte[sizeof(long)];
        BinaryPrimitives.WriteInt64BigEndian(offsetBytes, offset);
        hash.AppendData(offsetBytes);
        hash.AppendData(Encoding.UTF8.GetBytes(status));
        hash.AppendData([0]);
        hash.AppendData(body);
        return hash.GetHashAndReset();
    }

    /// <summary>
    /// What an entry is, as the chain records it: a sync marker (empty body), an event's signature status, or
    /// <c>not-an-event</c> (something else published into the stream).
    /// </summary>
    public static string Status(LogEntry entry, IReadOnlyDictionary<string, byte[]> keys) =>
        entry.IsMarker && entry.Body.IsEmpty ? Marker
        : entry.Event is { } loggedEvent ? SignatureCheck.Check(keys, entry.KeyId, entry.Signature, loggedEvent.Event).Name()
        : NotAnEvent;

    /// <summary>True for statuses an intact log never has.</summary>
    public static bool IsProblem(string status) => status is not (Marker or "valid");
}

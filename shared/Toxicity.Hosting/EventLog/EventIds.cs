using System.Security.Cryptography;
using System.Text;

namespace Toxicity.Hosting;

/// <summary>
/// Deterministic event ids (DESIGN.md "Exactly-once effects"): a derived event's id is a name-based UUID
/// (RFC 9562 version 5) of its cause's <c>EventId</c> and the effect kind, so a service that publishes again
/// after a crash or a redelivery publishes the same fact, and every consumer drops the copy.
/// </summary>
public static class EventIds
{
    /// <summary>The namespace of Toxicity's name-based ids. Never change it: ids already in the event log depend on it.</summary>
    public static readonly Guid Namespace = new("5f0c1d2e-6a57-4b8e-9c3d-7e21a4b6c8f0");

    /// <summary>The id of the effect <paramref name="effectKind"/> (e.g. <c>crs-grade-changed</c>) of the event <paramref name="causeEventId"/>.</summary>
    public static Guid Derive(Guid causeEventId, string effectKind)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(effectKind);
        return NameBased(Namespace, string.Create(null, stackalloc char[128], $"{causeEventId:D}/{effectKind}"));
    }

    /// <summary>RFC 9562 §5.5 UUID version 5 (SHA-1) of <paramref name="name"/> in <paramref name="namespaceId"/>.</summary>
    public static Guid NameBased(Guid namespaceId, string name)
    {
        var nameLength = Encoding.UTF8.GetByteCount(name);
        var buffer = nameLength <= 512 ? stackalloc byte[16 + nameLength] : new byte[16 + nameLength];
        namespaceId.TryWriteBytes(buffer, bigEndian: true, out _);
        Encoding.UTF8.GetBytes(name, buffer[16..]);

        Span<byte> hash = stackalloc byte[SHA1.HashSizeInBytes];
        SHA1.HashData(buffer, hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50); // version 5
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80); // RFC variant
        return new Guid(hash[..16], bigEndian: true);
    }
}

using System.Security.Cryptography;
using Toxicity.Contracts;
using Toxicity.Hosting;

namespace Toxicity.Audit.Service;

/// <summary>What the signature of an event in the log says about who published it.</summary>
internal enum SignatureStatus
{
    /// <summary>Signed with a key the auditor knows, over exactly this event.</summary>
    Valid,

    /// <summary>No signature: published by something that does not sign (not a Toxicity service), or before signing was configured.</summary>
    Unsigned,

    /// <summary>Signed with a key id the auditor does not know.</summary>
    UnknownKey,

    /// <summary>The signature does not match the event: altered, or signed by someone without the key.</summary>
    Invalid,
}

/// <summary>Checks the signatures services publish with (<see cref="EventSignatures"/>): Audit's alone.</summary>
internal static class SignatureCheck
{
    /// <summary>Checks the signature an event was published with against the known <paramref name="keys"/> (by key id), in constant time.</summary>
    public static SignatureStatus Check(IReadOnlyDictionary<string, byte[]> keys, string? keyId, string? signature, IPatientEvent patientEvent)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (string.IsNullOrEmpty(signature) || string.IsNullOrEmpty(keyId))
        {
            return SignatureStatus.Unsigned;
        }

        if (!keys.TryGetValue(keyId, out var key))
        {
            return SignatureStatus.UnknownKey;
        }

        Span<byte> presented = stackalloc byte[HMACSHA256.HashSizeInBytes];
        return Convert.TryFromBase64String(signature, presented, out var written) && written == presented.Length
            && CryptographicOperations.FixedTimeEquals(presented, HMACSHA256.HashData(key, EventSignatures.Canonical(patientEvent)))
            ? SignatureStatus.Valid : SignatureStatus.Invalid;
    }

    /// <summary>The status as it is written in exports and hashed into the audit chain: <c>valid</c>, <c>unsigned</c>, <c>unknown-key</c>, <c>invalid</c>.</summary>
    public static string Name(this SignatureStatus status) => status switch
    {
        SignatureStatus.Valid => "valid",
        SignatureStatus.Unsigned => "unsigned",
        SignatureStatus.UnknownKey => "unknown-key",
        _ => "invalid",
    };
}

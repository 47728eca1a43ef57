using System.Security.Cryptography;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Toxicity.Contracts;

namespace Toxicity.Hosting;

/// <summary>
/// Signatures of published events (issue 9, ECOSYSTEM.md "Audit"): HMAC-SHA256 with the publishing service's key over
/// the event's canonical serialization (<see cref="Canonical"/>), carried with the key id in the AMQP headers
/// <see cref="SignatureHeader"/> and <see cref="KeyIdHeader"/>, so the Audit service can tell a Toxicity service's event
/// from one published by anyone else. Checking them is Audit's (<c>SignatureCheck</c>).
/// </summary>
public static class EventSignatures
{
    public const string SignatureHeader = "toxicity-signature";
    public const string KeyIdHeader = "toxicity-key-id";

    // Web defaults (camelCase, the contract's declaration order, no indentation): the same bytes in every process.
    private static readonly JsonSerializerOptions CanonicalJson = new(JsonSerializerDefaults.Web);

    /// <summary>The canonical bytes of an event: what is signed, and what a verifier recomputes from the event it read.</summary>
    public static byte[] Canonical(IPatientEvent patientEvent)
    {
        ArgumentNullException.ThrowIfNull(patientEvent);
        return JsonSerializer.SerializeToUtf8Bytes(patientEvent, patientEvent.GetType(), CanonicalJson);
    }

    /// <summary>base64(HMAC-SHA256(<paramref name="key"/>, canonical bytes of <paramref name="patientEvent"/>)).</summary>
    public static string Sign(ReadOnlySpan<byte> key, IPatientEvent patientEvent) =>
        Convert.ToBase64String(HMACSHA256.HashData(key, Canonical(patientEvent)));
}

/// <summary>
/// This service's signing key (<c>EventSigning:KeyId</c>, <c>EventSigning:Key</c>: base64 of at least 32 random bytes).
/// Without one, events are published unsigned, and the Audit service flags every one of them; with
/// <c>EventSigning:Required</c> set (production), a service without a key refuses to start.
/// </summary>
public sealed class EventSigner
{
    public const string Section = "EventSigning";

    private readonly byte[]? _key;

    public EventSigner(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(Section);
        KeyId = section["KeyId"];
        var key = section["Key"];
        if (string.IsNullOrEmpty(KeyId) != string.IsNullOrEmpty(key))
        {
            throw new InvalidOperationException($"{Section}: KeyId and Key go together");
        }

        if (section.GetValue<bool>("Required") && string.IsNullOrEmpty(key))
        {
            throw new InvalidOperationException($"{Section}:Required is set: give this service its KeyId and Key");
        }

        if (key is not null && key.Length > 0)
        {
            try
            {
                _key = Convert.FromBase64String(key);
            }
            catch (FormatException)
            {
                throw new InvalidOperationException($"{Section}:Key is not base64");
            }

            if (_key.Length < 32)
            {
                throw new InvalidOperationException($"{Section}:Key holds fewer than 32 bytes");
            }
        }
    }

    /// <summary>The key id published with every signature; null when this service does not sign.</summary>
    public string? KeyId { get; }

    public bool Signs => _key is not null;

    /// <summary>The signature of <paramref name="patientEvent"/> with this service's key; null when it does not sign.</summary>
    public string? Sign(IPatientEvent patientEvent) => _key is null ? null : EventSignatures.Sign(_key, patientEvent);
}

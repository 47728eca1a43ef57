using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Toxicity.Contracts;
using Toxicity.Contracts.V1;
using Xunit;

namespace Toxicity.Hosting.Tests;

/// <summary>Event signatures: what a publisher signs (what Audit recomputes from the event it read back), and the signer's configuration.</summary>
public sealed class EventSignaturesTests
{
    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);
    private static readonly DateTimeOffset At = new(2026, 11, 25, 8, 30, 0, 123, TimeSpan.FromHours(1));

    private static VitalSignsRecorded Vitals() => new(Guid.NewGuid(), "p-001", At, At.AddSeconds(1.5), 38.95, 112, 22, 104, 62, 95, 76, "lowFlowNasalCannula", 3.5, 32,
        true, false, [new VasopressorInfusion("norepinephrine", 0.05, "ug/kg/min", false)]);

    [Fact]
    public void The_signature_is_the_HMAC_SHA256_of_the_canonical_bytes_which_the_wire_form_read_back_reproduces()
    {
        var sent = Vitals();
        var signature = EventSignatures.Sign(Key, sent);
        // What Audit has: the event as MassTransit wrote it into the envelope (camelCase), deserialized again.
        var wire = JsonSerializer.Serialize(sent, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true });
        var read = JsonSerializer.Deserialize<VitalSignsRecorded>(wire, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;

        Assert.Equal(Convert.ToBase64String(HMACSHA256.HashData(Key, EventSignatures.Canonical(read))), signature);
        Assert.NotEqual(signature, EventSignatures.Sign(Key, sent with { TemperatureC = 37.0 }));
    }

    [Fact]
    public void The_signer_signs_with_its_configured_key_and_refuses_a_half_or_weak_configuration()
    {
        var signer = new EventSigner(Configuration(("EventSigning:KeyId", "ingestion-1"), ("EventSigning:Key", Convert.ToBase64String(Key))));
        IPatientEvent e = Vitals();
        Assert.Equal(("ingestion-1", EventSignatures.Sign(Key, e)), (signer.KeyId, signer.Sign(e)));
        Assert.Null(new EventSigner(Configuration()).Sign(e));

        Assert.Contains("Required is set", Assert.Throws<InvalidOperationException>(() => new EventSigner(Configuration(("EventSigning:Required", "true")))).Message, StringComparison.Ordinal);
        Assert.Contains("go together", Assert.Throws<InvalidOperationException>(() => new EventSigner(Configuration(("EventSigning:KeyId", "x")))).Message, StringComparison.Ordinal);
        Assert.Contains("fewer than 32", Assert.Throws<InvalidOperationException>(() =>
            new EventSigner(Configuration(("EventSigning:KeyId", "x"), ("EventSigning:Key", Convert.ToBase64String(new byte[16]))))).Message, StringComparison.Ordinal);
        Assert.Contains("not base64", Assert.Throws<InvalidOperationException>(() =>
            new EventSigner(Configuration(("EventSigning:KeyId", "x"), ("EventSigning:Key", "%%%")))).Message, StringComparison.Ordinal);
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();
}

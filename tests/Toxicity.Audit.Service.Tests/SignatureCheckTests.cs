using System.Security.Cryptography;
using System.Text.Json;
using Toxicity.Contracts.V1;
using Toxicity.Hosting;
using Xunit;

namespace Toxicity.Audit.Service.Tests;

/// <summary>Audit's check of a published event's signature, against the event it read back from the log.</summary>
public sealed class SignatureCheckTests
{
    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);
    private static readonly Dictionary<string, byte[]> Keys = new() { ["ingestion-1"] = Key };
    private static readonly DateTimeOffset At = new(2026, 11, 25, 8, 30, 0, 123, TimeSpan.FromHours(1));

    private static VitalSignsRecorded Vitals() => new(Guid.NewGuid(), "p-001", At, At.AddSeconds(1.5), 38.95, 112, 22, 104, 62, 95, 76, "lowFlowNasalCannula", 3.5, 32,
        true, false, [new VasopressorInfusion("norepinephrine", 0.05, "ug/kg/min", false)]);

    [Fact]
    public void An_event_read_back_from_its_wire_form_checks_valid_with_the_publishers_key()
    {
        var sent = Vitals();
        var signature = EventSignatures.Sign(Key, sent);
        // What Audit has: the event as MassTransit wrote it into the envelope (camelCase), deserialized again.
        var wire = JsonSerializer.Serialize(sent, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true });
        var read = JsonSerializer.Deserialize<VitalSignsRecorded>(wire, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;

        Assert.Equal(SignatureStatus.Valid, SignatureCheck.Check(Keys, "ingestion-1", signature, read));
    }

    [Fact]
    public void A_changed_event_a_wrong_key_an_unknown_key_id_and_no_signature_are_each_told_apart()
    {
        var sent = Vitals();
        var signature = EventSignatures.Sign(Key, sent);

        Assert.Equal(SignatureStatus.Invalid, SignatureCheck.Check(Keys, "ingestion-1", signature, sent with { TemperatureC = 37.0 }));
        Assert.Equal(SignatureStatus.Invalid, SignatureCheck.Check(Keys, "ingestion-1", EventSignatures.Sign(RandomNumberGenerator.GetBytes(32), sent), sent));
        Assert.Equal(SignatureStatus.Invalid, SignatureCheck.Check(Keys, "ingestion-1", "not base64!", sent));
        Assert.Equal(SignatureStatus.UnknownKey, SignatureCheck.Check(Keys, "grading-9", signature, sent));
        Assert.Equal(SignatureStatus.Unsigned, SignatureCheck.Check(Keys, null, null, sent));
        Assert.Equal(["valid", "unsigned", "unknown-key", "invalid"],
            new[] { SignatureStatus.Valid, SignatureStatus.Unsigned, SignatureStatus.UnknownKey, SignatureStatus.Invalid }.Select(s => s.Name()));
    }

}

using System.Text;
using Xunit;

namespace Toxicity.Alerting.Service.Tests;

/// <summary>Standard Webhooks signatures (against the specification's published test vector) and who a subscriber stands for.</summary>
public sealed class WebhookSignatureTests
{
    // The Standard Webhooks reference libraries' test vector: reproducing it is what says a receiver's library accepts ours.
    private const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string Id = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private const long Timestamp = 1614265330;
    private const string Expected = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("{\"test\": 2432232314}");
    private static readonly DateTimeOffset At = DateTimeOffset.FromUnixTimeSeconds(Timestamp);

    [Fact]
    public void Signing_reproduces_the_specification_test_vector() =>
        Assert.Equal(Expected, WebhookSignature.Sign(WebhookSignature.DecodeSecret(Secret), Id, Timestamp, Body));

    [Fact]
    public void Verification_accepts_the_vector_among_other_signatures_and_within_five_minutes_only()
    {
        var key = WebhookSignature.DecodeSecret(Secret);
        var ts = Timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(WebhookSignature.Verify(key, Id, ts, $"v1,bm9wZQ== {Expected}", Body, At, WebhookSignature.DefaultTolerance)); // key rotation
        Assert.True(WebhookSignature.Verify(key, Id, ts, Expected, Body, At.AddMinutes(5), WebhookSignature.DefaultTolerance));
        Assert.False(WebhookSignature.Verify(key, Id, ts, Expected, Body, At.AddMinutes(5).AddSeconds(1), WebhookSignature.DefaultTolerance));
        Assert.False(WebhookSignature.Verify(key, Id, ts, Expected, Body, At.AddMinutes(-6), WebhookSignature.DefaultTolerance));
        Assert.False(WebhookSignature.Verify(key, "msg_other", ts, Expected, Body, At, WebhookSignature.DefaultTolerance));
        Assert.False(WebhookSignature.Verify(key, Id, ts, Expected, Encoding.UTF8.GetBytes("{\"test\": 2432232315}"), At, WebhookSignature.DefaultTolerance));
        Assert.False(WebhookSignature.Verify(key, Id, ts, Expected.Replace("v1,", "v2,", StringComparison.Ordinal), Body, At, WebhookSignature.DefaultTolerance));
        Assert.False(WebhookSignature.Verify(key, Id, "not-a-time", Expected, Body, At, WebhookSignature.DefaultTolerance));
    }

    [Theory]
    [InlineData("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "starts with 'whsec_'")]
    [InlineData("whsec_not base64!", "followed by base64")]
    [InlineData("whsec_c2hvcnQ=", "24 to 64 random bytes")]
    public void A_malformed_secret_is_refused_with_what_is_wrong_and_never_the_secret(string secret, string problem)
    {
        var error = Assert.Throws<FormatException>(() => WebhookSignature.DecodeSecret(secret));
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("alert.raised", "icu-outreach", "haem-3", true)]
    [InlineData("alert.raised", "ward-physician", "haem-3", false)] // another tier's subscriber
    [InlineData("alert.raised", "icu-outreach", "icu", false)] // another ward
    [InlineData("alert.raised", "icu-outreach", null, false)] // ward unknown: not for a ward-limited subscriber
    [InlineData("alert.acknowledged", "icu-outreach", "haem-3", false)] // a type it did not take
    public void A_subscriber_gets_the_notifications_of_its_tiers_wards_and_types(string type, string tier, string? ward, bool wanted)
    {
        var outreach = new WebhookSubscription("outreach", new HashSet<string> { "icu-outreach" }, new HashSet<string> { "haem-3" },
            new HashSet<string> { WebhookEventTypes.AlertRaised, WebhookEventTypes.AlertEscalated });
        Assert.Equal(wanted, outreach.Wants(type, [tier], ward));
    }

    [Fact]
    public void A_subscriber_with_no_limits_gets_everything_and_an_acknowledgement_goes_to_any_tier_the_alert_reached()
    {
        var all = new WebhookSubscription("all", new HashSet<string>(), new HashSet<string>(), new HashSet<string>());
        Assert.True(all.Wants(WebhookEventTypes.AlertAcknowledged, ["bedside-nurse"], null));
        var physician = all with { Tiers = new HashSet<string> { "ward-physician" } };
        Assert.True(physician.Wants(WebhookEventTypes.AlertAcknowledged, ["bedside-nurse", "ward-physician"], "haem-3"));
        Assert.False(physician.Wants(WebhookEventTypes.AlertAcknowledged, ["bedside-nurse"], "haem-3"));
    }
}

using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Toxicity.Alerting;

/// <summary>
/// Standard Webhooks v1 signatures (https://www.standardwebhooks.com, ECOSYSTEM.md "Alerts and the ward board"): the
/// <c>webhook-signature</c> header is <c>v1,</c> + base64(HMAC-SHA256(secret, <c>id.timestamp.body</c>)) over the exact
/// bytes sent; the secret is <c>whsec_</c> + base64 of 24 to 64 random bytes, one per subscriber. Receivers verify with
/// <see cref="Verify"/> (constant time, timestamp within a tolerance) or any Standard Webhooks library.
/// </summary>
public static class WebhookSignature
{
    public const string IdHeader = "webhook-id";
    public const string TimestampHeader = "webhook-timestamp";
    public const string SignatureHeader = "webhook-signature";

    /// <summary>How far a receiver lets <c>webhook-timestamp</c> stray from its clock (the spec's recommendation).</summary>
    public static readonly TimeSpan DefaultTolerance = TimeSpan.FromMinutes(5);

    private const string SecretPrefix = "whsec_";
    private const string Version = "v1";

    /// <summary>The key bytes of a <c>whsec_…</c> secret; <see cref="FormatException"/> names what is wrong (never the secret).</summary>
    public static byte[] DecodeSecret(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        if (!secret.StartsWith(SecretPrefix, StringComparison.Ordinal))
        {
            throw new FormatException($"a webhook secret starts with '{SecretPrefix}'");
        }

        byte[] key;
        try
        {
            key = Convert.FromBase64String(secret[SecretPrefix.Length..]);
        }
        catch (FormatException)
        {
            throw new FormatException($"a webhook secret is '{SecretPrefix}' followed by base64");
        }

        return key.Length is >= 24 and <= 64 ? key : throw new FormatException("a webhook secret holds 24 to 64 random bytes");
    }

    /// <summary>The <c>webhook-signature</c> value for <paramref name="body"/> sent as message <paramref name="id"/> at <paramref name="timestamp"/> (unix seconds).</summary>
    public static string Sign(ReadOnlySpan<byte> key, string id, long timestamp, ReadOnlySpan<byte> body)
    {
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        Compute(key, id, timestamp, body, mac);
        return $"{Version},{Convert.ToBase64String(mac)}";
    }

    /// <summary>
    /// True when <paramref name="signatures"/> (the header: space-separated <c>v1,…</c> entries, several during a key
    /// rotation) holds a valid signature of <paramref name="body"/> for <paramref name="id"/> and <paramref name="timestamp"/>,
    /// and the timestamp is within <paramref name="tolerance"/> of <paramref name="now"/>. Compared in constant time.
    /// </summary>
    public static bool Verify(ReadOnlySpan<byte> key, string id, string timestamp, string signatures, ReadOnlySpan<byte> body, DateTimeOffset now, TimeSpan tolerance)
    {
        ArgumentNullException.ThrowIfNull(signatures);
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || Math.Abs(now.ToUnixTimeSeconds() - seconds) > (long)tolerance.TotalSeconds)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[HMACSHA256.HashSizeInBytes];
        Compute(key, id, seconds, body, expected);
        Span<byte> presented = stackalloc byte[HMACSHA256.HashSizeInBytes];
        var valid = false;
        foreach (var entry in signatures.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var comma = entry.IndexOf(',', StringComparison.Ordinal);
            if (comma > 0 && entry.AsSpan(0, comma).SequenceEqual(Version)
                && Base64.IsValid(entry.AsSpan(comma + 1), out var length) && length == expected.Length
                && Convert.TryFromBase64String(entry[(comma + 1)..], presented, out var written) && written == expected.Length)
            {
                valid |= CryptographicOperations.FixedTimeEquals(presented, expected);
            }
        }

        return valid;
    }

    private static void Compute(ReadOnlySpan<byte> key, string id, long timestamp, ReadOnlySpan<byte> body, Span<byte> mac)
    {
        var prefix = Encoding.UTF8.GetBytes($"{id}.{timestamp.ToString(CultureInfo.InvariantCulture)}.");
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
        hmac.AppendData(prefix);
        hmac.AppendData(body);
        hmac.GetHashAndReset(mac);
    }
}

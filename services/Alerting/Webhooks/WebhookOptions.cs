namespace Toxicity.Alerting.Service.Webhooks;

/// <summary>
/// Webhook subscribers and delivery settings (<c>Alerting:Webhooks:…</c>, docs/alerting.md "Webhooks"). The numbers are
/// operational defaults for the site to set, not clinical rules.
/// </summary>
internal sealed class WebhookOptions
{
    public const string Section = "Alerting:Webhooks";

    /// <summary>The subscribers by name (<c>Alerting:Webhooks:Subscribers:&lt;name&gt;:Url</c>, <c>…:Secret</c>, <c>…:Tiers</c>, <c>…:Wards</c>, <c>…:Events</c>).</summary>
    public Dictionary<string, WebhookSubscriberOptions> Subscribers { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Attempts per notification and subscriber, the first included.</summary>
    public int MaxAttempts { get; set; } = 6;

    /// <summary>The wait before the first retry; each further one doubles it (with jitter): 1, 2, 4, 8, 16 s by default.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long one attempt may take before it counts as failed.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a subscriber's circuit stays open (attempts fail at once) after half of its last attempts failed.</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Deliveries in flight at once per subscriber; a slow subscriber holds only its own.</summary>
    public int Concurrency { get; set; } = 8;

    /// <summary>
    /// A notification still undelivered after a restart is sent again only if it was recorded within this time: older
    /// ones (e.g. history read by a subscriber added later) are never paged.
    /// </summary>
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromHours(1);

    /// <summary>What is wrong with the configuration, or null; names keys, never secrets.</summary>
    public string? Problem()
    {
        if (MaxAttempts < 1 || Concurrency < 1 || FirstRetryDelay <= TimeSpan.Zero || AttemptTimeout <= TimeSpan.Zero
            || BreakDuration < TimeSpan.FromMilliseconds(500) || MaxAge <= TimeSpan.Zero)
        {
            return $"{Section}: MaxAttempts and Concurrency are at least 1, BreakDuration at least 0.5 s, the other times positive";
        }

        foreach (var (name, subscriber) in Subscribers)
        {
            if (!Uri.TryCreate(subscriber.Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
            {
                return $"{Section}:Subscribers:{name}:Url is not an absolute http(s) URL";
            }

            try
            {
                WebhookSignature.DecodeSecret(subscriber.Secret);
            }
            catch (FormatException error)
            {
                return $"{Section}:Subscribers:{name}:Secret: {error.Message}";
            }

            if (subscriber.Events.FirstOrDefault(e => !WebhookEventTypes.All.Contains(e)) is { } unknown)
            {
                return $"{Section}:Subscribers:{name}:Events: '{unknown}' is not one of {string.Join(", ", WebhookEventTypes.All)}";
            }
        }

        return null;
    }
}

/// <summary>One subscriber: where to post, its signing secret, and which notifications it takes (empty: all).</summary>
internal sealed class WebhookSubscriberOptions
{
    public string Url { get; set; } = string.Empty;

    public string Secret { get; set; } = string.Empty;

    public List<string> Tiers { get; set; } = [];

    public List<string> Wards { get; set; } = [];

    public List<string> Events { get; set; } = [];
}

namespace Toxicity.Alerting;

/// <summary>The notifications a webhook subscriber (a paging or messaging system) can receive.</summary>
public static class WebhookEventTypes
{
    /// <summary>An alert was raised for its first tier (notices of improvement are never sent: they page nobody).</summary>
    public const string AlertRaised = "alert.raised";

    /// <summary>An alert nobody acknowledged went to the next tier.</summary>
    public const string AlertEscalated = "alert.escalated";

    /// <summary>An alert was acknowledged: whoever was paged for it can stop.</summary>
    public const string AlertAcknowledged = "alert.acknowledged";

    /// <summary>
    /// An observation is overdue for a patient in a risk window or an open episode (CLINICAL-RULES.md §8.2 C2-OD-1):
    /// <c>data.status</c> is <c>overdue</c> (first tier), <c>stillOverdue</c> (next tier, 2 h later) or <c>cleared</c>.
    /// </summary>
    public const string ObservationOverdue = "observation.overdue";

    public static IReadOnlyList<string> All { get; } = [AlertRaised, AlertEscalated, AlertAcknowledged, ObservationOverdue];
}

/// <summary>
/// Who a webhook subscriber stands for: the tiers it pages (e.g. a ward pager for <c>bedside-nurse</c> and
/// <c>ward-physician</c>, the outreach team's phone for <c>icu-outreach</c>), the wards and the notification types it
/// takes. An empty set means all. This is the "who is notified at each tier" of the escalation policy.
/// </summary>
public sealed record WebhookSubscription(string Name, IReadOnlySet<string> Tiers, IReadOnlySet<string> Wards, IReadOnlySet<string> Events)
{
    /// <summary>
    /// True when a notification of <paramref name="type"/> for a patient on <paramref name="ward"/>, addressed to
    /// <paramref name="tiers"/> (the alert's tier; for an acknowledgement every tier the alert reached), is for this
    /// subscriber. A subscriber limited to some wards gets nothing for a patient whose ward is unknown.
    /// </summary>
    public bool Wants(string type, IEnumerable<string> tiers, string? ward)
    {
        ArgumentNullException.ThrowIfNull(tiers);
        return (Events.Count == 0 || Events.Contains(type))
            && (Wards.Count == 0 || (ward is not null && Wards.Contains(ward)))
            && (Tiers.Count == 0 || tiers.Any(Tiers.Contains));
    }
}

namespace Toxicity.Grading.Timeline;

/// <summary>
/// The timeline conventions whose numbers CLINICAL-RULES.md does not give (docs/grading-timeline.md). Each is a
/// project convention that needs clinical sign-off; the source it borrows from is named beside it.
/// </summary>
public static class TimelineRules
{
    /// <summary>
    /// T-6: an episode closes at the first observation with no CRS or ICANS finding that comes at least this long
    /// after the last finding. Borrowed from the glofitamab label's "ensure CRS symptoms have resolved for ≥ 72 h
    /// before the next dose" (CLINICAL-RULES.md §5.2, S-COL-MS) and blinatumomab's "at least 3 days" for neurological
    /// toxicity (§5.1, S-BLIN-HCP). Project convention: needs clinical sign-off.
    /// </summary>
    public static readonly TimeSpan EpisodeResolution = TimeSpan.FromHours(72);
}

namespace Toxicity.Alerting;

/// <summary>
/// A clinician's answer to an alert beside the plain acknowledgement: accepted or declined, with a coded reason and
/// an optional comment (IHE Alert Communication Management's accept/decline; CDS Hooks feedback's accepted or
/// overridden with an override reason). The reasons are this project's codes, listed in docs/alerting.md; they
/// measure alert burden (why alerts are declined), and grade nothing. The comment is free text: kept in the event
/// log for the clinical record, shown in the alert history, never logged, never sent to a pager.
/// </summary>
public static class AlertResponses
{
    public const string Accepted = "accepted";
    public const string Declined = "declined";
    public const string Other = "other";
    public const int MaxCommentLength = 500;

    /// <summary>Why an alert is accepted: what the clinician is doing about it.</summary>
    public static readonly IReadOnlyDictionary<string, string> AcceptReasons = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["assessing"] = "Going to assess the patient now",
        ["treating"] = "Treatment started or ordered",
        ["escalated"] = "Passed to a senior clinician",
        [Other] = "Another reason (said in the comment)",
    };

    /// <summary>Why an alert is declined: why it does not call for action.</summary>
    public static readonly IReadOnlyDictionary<string, string> DeclineReasons = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["alternative-cause"] = "Another cause explains it (e.g. an infection or a transfusion reaction)",
        ["already-addressed"] = "Already known and being managed",
        ["measurement-error"] = "A wrong reading or a measurement artefact",
        ["not-clinically-relevant"] = "Not clinically relevant for this patient now",
        ["goals-of-care"] = "Outside the patient's goals of care",
        [Other] = "Another reason (said in the comment)",
    };

    public static readonly string[] Responses = [Accepted, Declined];

    /// <summary>The reasons a <paramref name="response"/> takes, or null for a response that is neither.</summary>
    public static IReadOnlyDictionary<string, string>? ReasonsFor(string? response) => response switch
    {
        Accepted => AcceptReasons,
        Declined => DeclineReasons,
        _ => null,
    };

    /// <summary>What is wrong with an answer, by field (response, reason, comment), or null when it is one to record.</summary>
    public static (string Field, string Message)? Check(string? response, string? reason, string? comment)
    {
        if (ReasonsFor(response) is not { } reasons)
        {
            return ("response", $"response must be one of: {string.Join(" | ", Responses)}.");
        }

        if (reason is null || !reasons.ContainsKey(reason))
        {
            return ("reason", $"reason for {response} must be one of: {string.Join(" | ", reasons.Keys)}.");
        }

        if (comment is { Length: > MaxCommentLength })
        {
            return ("comment", $"comment must be at most {MaxCommentLength} characters.");
        }

        if (reason == Other && string.IsNullOrWhiteSpace(comment))
        {
            return ("comment", "reason other needs a comment saying which.");
        }

        return null;
    }
}

namespace Toxicity.Contracts.V1;

/// <summary>
/// Mitigation's clock reviewed a patient's next planned dose at a time the course made due (issue 15, "advice before the
/// dose"): the dose became due (<see cref="Kind"/> <c>due</c>: <see cref="ObservedAt"/> is 00:00 UTC of
/// <see cref="DueDate"/>), it is not recorded a day later (<c>late</c>), or the time since the last dose given crossed a
/// bound of the label's restart table (<c>restart</c>: <see cref="ObservedAt"/> is the last dose's time plus the bound).
/// The dose reviewed is <see cref="DoseLabel"/> (cycle <see cref="Cycle"/>, day <see cref="Day"/> of the regimen
/// <see cref="RegimenId"/> of drug <see cref="Drug"/>); <see cref="StepUpOrFirstFull"/> says whether it is a step-up or
/// first full dose (CLINICAL-RULES.md §8.3 C2-RW-1: Grading opens the 7-day post-dose risk window provisionally for a
/// planned dose with no dose record, 72 h otherwise). <see cref="LastDoseEventId"/> and <see cref="LastDoseAt"/> name
/// the last dose given (null before the first). <see cref="EventId"/> is derived from the patient's course (its plan or
/// last dose), the kind and the due time, so the review is published once, whatever restarts, and every replay derives
/// the same advice from it. Published by Mitigation.
/// </summary>
public sealed record DoseReviewed(
    Guid EventId,
    string PatientId,
    DateTimeOffset ObservedAt,
    DateTimeOffset RecordedAt,
    string Kind,
    string RegimenId,
    string Drug,
    string DoseLabel,
    int Cycle,
    int Day,
    DateOnly DueDate,
    bool StepUpOrFirstFull,
    Guid? LastDoseEventId,
    DateTimeOffset? LastDoseAt) : IPatientEvent;

/// <summary>The values of <see cref="DoseReviewed.Kind"/>.</summary>
public static class DoseReviewKinds
{
    /// <summary>The dose became due (00:00 UTC of its due date).</summary>
    public const string Due = "due";

    /// <summary>The dose is not recorded a day after its due date.</summary>
    public const string Late = "late";

    /// <summary>The time since the last dose crossed a bound of the label's restart table.</summary>
    public const string Restart = "restart";
}

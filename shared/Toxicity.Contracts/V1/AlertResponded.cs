namespace Toxicity.Contracts.V1;

/// <summary>
/// A clinician accepted or declined an alert (<see cref="Response"/> <c>accepted</c> or <c>declined</c>) with a coded
/// <see cref="Reason"/> and an optional <see cref="Comment"/> (free text, never logged). Published by Alerting
/// together with the alert's <see cref="AlertAcknowledged"/> when it had none; <see cref="EventId"/> is derived from
/// <see cref="AlertId"/>, so an alert has one response. <see cref="ObservedAt"/> is when it was given.
/// </summary>
public sealed record AlertResponded(
    Guid EventId,
    string PatientId,
    DateTimeOffset ObservedAt,
    DateTimeOffset RecordedAt,
    Guid AlertId,
    string Response,
    string Reason,
    string RespondedBy,
    string? Comment) : IPatientEvent;

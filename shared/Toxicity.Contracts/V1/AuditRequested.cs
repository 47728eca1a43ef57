namespace Toxicity.Contracts.V1;

/// <summary>
/// An auditor used the Audit service: <see cref="Action"/> is <c>export</c>, <c>verify</c> or <c>regrade</c>;
/// <see cref="Query"/> the parameters asked (pseudonymous ids, times, types: never free text); <see cref="Auditor"/> the
/// name of the credential used. Published by Audit before it answers, so that the record of who looked at what is in the
/// same signed, chained log. <see cref="PatientId"/> is the patient asked about, or <c>*</c> when the request is not
/// about one patient.
/// </summary>
public sealed record AuditRequested(
    Guid EventId,
    string PatientId,
    DateTimeOffset ObservedAt,
    DateTimeOffset RecordedAt,
    string Auditor,
    string Action,
    string Query) : IPatientEvent;

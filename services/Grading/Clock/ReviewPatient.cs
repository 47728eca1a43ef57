using Toxicity.Hosting;

namespace Toxicity.Grading.Service.Clock;

/// <summary>
/// Grading's clock asks the owner of a patient's partition to record a review that came due (C2-CLK-1). Sent to the
/// partitions by every instance's clock (so a review is asked for while any instance runs); only the owner acts, and
/// the review's derived id makes a second request do nothing. A command of Grading's own: never in the event log.
/// </summary>
public sealed record ReviewPatient(string PatientId, Guid ReviewId) : IPatientCommand;

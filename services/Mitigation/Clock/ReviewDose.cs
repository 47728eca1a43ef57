using Toxicity.Hosting;

namespace Toxicity.Mitigation.Service.Clock;

/// <summary>
/// Mitigation's clock asks for a patient's dose review that came due to be recorded (<c>DoseReviewed</c>). Sent by every
/// instance's clock to one single-active-consumer queue, so one instance at a time records reviews; the review's derived
/// id makes a second request do nothing. A command of Mitigation's own: never in the event log.
/// </summary>
public sealed record ReviewDose(string PatientId, Guid ReviewId) : IPatientCommand;

using MassTransit;
using Toxicity.Contracts.V1;
using Toxicity.Hosting;

namespace Toxicity.Mitigation.Service.Clock;

/// <summary>
/// The clock of "advice before the dose" (issue 15): every <see cref="MitigationOptions.ClockInterval"/> it finds the
/// patients whose next dose review is due by the wall clock (the dose became due, it is a day late, or the time since
/// the last dose crossed a bound of the label's restart table) and asks the review queue's single active consumer to
/// record it (<see cref="ReviewDose"/>).
/// </summary>
internal sealed class MitigationClock(
    MitigationBook book,
    EventLogFollower log,
    IBus bus,
    TimeProvider clock,
    MitigationOptions options,
    ILogger<MitigationClock> logger) : ReviewClock<DoseReviewed>(log, clock, options.ClockInterval, options.ClockResend, logger)
{
    protected override IReadOnlyList<DoseReviewed> Due(DateTimeOffset now) => book.DueReviews(now);

    protected override Task AskAsync(DoseReviewed review, CancellationToken cancellationToken) =>
        bus.Publish(new ReviewDose(review.PatientId, review.EventId), cancellationToken);
}

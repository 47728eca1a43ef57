using MassTransit;
using Toxicity.Contracts.V1;
using Toxicity.Hosting;

namespace Toxicity.Grading.Service.Clock;

/// <summary>
/// The clock (CLINICAL-RULES.md §8.4 C2-CLK-1): every <see cref="GradingOptions.ClockInterval"/> it finds the patients
/// whose next review is due by the wall clock and asks their partition's owner to record it (<see cref="ReviewPatient"/>).
/// The review itself, and what it decides, are published by the owner, once.
/// </summary>
internal sealed class GradingClock(
    GradeBook book,
    EventLogFollower log,
    IBus bus,
    TimeProvider clock,
    GradingOptions options,
    ILogger<GradingClock> logger) : ReviewClock<GradingReviewed>(log, clock, options.ClockInterval, options.ClockResend, logger)
{
    protected override IReadOnlyList<GradingReviewed> Due(DateTimeOffset now) => book.DueReviews(now);

    protected override Task AskAsync(GradingReviewed review, CancellationToken cancellationToken) =>
        bus.Publish(new ReviewPatient(review.PatientId, review.EventId),
            context => context.Headers.Set(PartitionTopology.PatientIdHeader, review.PatientId), cancellationToken);
}

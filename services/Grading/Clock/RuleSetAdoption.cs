using MassTransit;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Toxicity.Contracts.V1;
using Toxicity.Hosting;

namespace Toxicity.Grading.Service.Clock;

/// <summary>
/// The cut-over to the live rule set (CLINICAL-RULES.md §8.5): once the log is read up to start-up, a version whose
/// live rule set the log has not adopted yet records <see cref="RuleSetAdopted"/> (its id derived from the rule set,
/// so two instances starting together record the same fact) and waits to read it back. Ready only then.
/// </summary>
internal sealed partial class RuleSetAdoption(
    GradeBook book,
    EventLogFollower log,
    IBus bus,
    TimeProvider clock,
    ILogger<RuleSetAdoption> logger) : BackgroundService, IHealthCheck
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    private volatile bool _adopted;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(_adopted ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("the live rule set is not adopted in the event log yet"));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await log.WaitUntilRebuiltAsync(stoppingToken);
        while (book.Adopted is null)
        {
            try
            {
                var now = clock.GetUtcNow();
                var (astct, ctcae) = GradeBook.LiveRuleSet;
                await bus.Publish(new RuleSetAdopted(ContractMapping.AdoptionId(astct), "*", now, now, astct, ctcae), stoppingToken);
                await log.SyncAsync(stoppingToken);
                LogRecorded(logger, astct, now);
            }
            catch (Exception error) when (!stoppingToken.IsCancellationRequested)
            {
                LogRetry(logger, error.GetType().Name);
                await Task.Delay(RetryDelay, stoppingToken);
            }
        }

        _adopted = true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Rule set {RuleSet} adopted in the event log from {AdoptedAt}")]
    private static partial void LogRecorded(ILogger logger, string ruleSet, DateTimeOffset adoptedAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recording the rule set's adoption failed ({ErrorType}); trying again")]
    private static partial void LogRetry(ILogger logger, string errorType);
}

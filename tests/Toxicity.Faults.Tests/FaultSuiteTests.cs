using Xunit;
using Xunit.Abstractions;

namespace Toxicity.Faults.Tests;

/// <summary>
/// Issue 21: the invariants after one fault run (<see cref="FaultRun"/>): nothing lost, nothing twice, poison set apart
/// with its reason while everything else went on, the log intact, no name or free text in any log.
/// </summary>
[Collection(FaultRunCollection.Name)]
public sealed class FaultSuiteTests(FaultRun run, ITestOutputHelper output)
{
    [Fact]
    public void Every_accepted_observation_is_in_the_event_log_once_under_the_id_it_was_given()
    {
        Assert.True(run.Ward.Accepted.Count > 500, $"only {run.Ward.Accepted.Count} observations were accepted");
        Held(Invariants.Recorded(run));
    }

    [Fact]
    public void Every_grade_change_the_engine_decides_for_the_recorded_observations_is_published_once()
    {
        Held(Invariants.Grades(run));
    }

    [Fact]
    public void Every_CRS_grade_change_is_advised_once()
    {
        Held(Invariants.Advice(run));
    }

    [Fact]
    public void Every_alert_the_policy_decides_is_raised_once_on_the_screen_and_at_the_pager()
    {
        Assert.True(run.ScreenConnections > 1, "the screen's stream never broke: Alerting was not killed under it");
        Held(Invariants.Alerts(run));
    }

    [Fact]
    public void Poison_on_every_consumer_queue_is_in_its_error_queue_with_the_reason()
    {
        Assert.Contains(run.Poison, p => p.Queue.StartsWith("grading-partition-", StringComparison.Ordinal));
        Assert.Contains(run.Poison, p => p.Queue == "alerting-grade-changed");
        Held(Invariants.Poison(run));
    }

    [Fact]
    public void Audit_verifies_the_event_log_intact_after_the_faults()
    {
        output.WriteLine(run.Verification.ToString());
        Assert.True(run.Verification.GetProperty("intact").GetBoolean(), run.Verification.ToString());
    }

    [Fact]
    public void No_name_or_free_text_the_wards_posted_appears_in_any_service_log()
    {
        Assert.All(run.Logs, log => Assert.True(log.Value.Length > 1000, $"{log.Key} logged almost nothing: is the log captured?"));
        Held(Invariants.Privacy(run));
    }

    [Fact]
    public void The_run_counts_no_loss_and_no_duplicate()
    {
        output.WriteLine(run.Summary);
        Assert.Equal((0, 0), Invariants.Count(run));
    }

    private void Held(IReadOnlyList<string> problems)
    {
        output.WriteLine(run.Summary);
        if (problems.Count > 0)
        {
            output.WriteLine(run.Diagnostics());
        }

        Assert.True(problems.Count == 0, $"{problems.Count} problems:\n" + string.Join('\n', problems.Take(40)));
    }
}

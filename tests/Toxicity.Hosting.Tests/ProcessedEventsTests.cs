using Xunit;

namespace Toxicity.Hosting.Tests;

public sealed class ProcessedEventsTests
{
    private const string Scope = "/grading-vital-signs-recorded";

    [Fact]
    public async Task An_event_handled_once_is_dropped_the_second_time()
    {
        var processed = new ProcessedEvents();
        var id = Guid.NewGuid();
        var runs = 0;

        Assert.True(await processed.RunOnceAsync(Scope, id, () => { runs++; return Task.CompletedTask; }));
        Assert.False(await processed.RunOnceAsync(Scope, id, () => { runs++; return Task.CompletedTask; }));
        Assert.Equal(1, runs);
    }

    [Fact]
    public async Task A_duplicate_arriving_while_the_first_runs_waits_for_it_and_does_not_run()
    {
        var processed = new ProcessedEvents();
        var id = Guid.NewGuid();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var runs = 0;

#pragma warning disable VSTHRD003 // the test owns the TaskCompletionSource it waits on
        var first = processed.RunOnceAsync(Scope, id, async () => { Interlocked.Increment(ref runs); await release.Task; });
#pragma warning restore VSTHRD003
        var duplicate = processed.RunOnceAsync(Scope, id, () => { Interlocked.Increment(ref runs); return Task.CompletedTask; });
        Assert.False(duplicate.IsCompleted, "the duplicate waits for the copy in flight");

        release.SetResult();
        Assert.True(await first);
        Assert.False(await duplicate);
        Assert.Equal(1, runs);
    }

    [Fact]
    public async Task A_failed_effect_is_forgotten_so_the_retry_runs_it()
    {
        var processed = new ProcessedEvents();
        var id = Guid.NewGuid();

        await Assert.ThrowsAsync<InvalidOperationException>(() => processed.RunOnceAsync(Scope, id, () => throw new InvalidOperationException("broker down")));
        var runs = 0;
        Assert.True(await processed.RunOnceAsync(Scope, id, () => { runs++; return Task.CompletedTask; }));
        Assert.Equal(1, runs);
    }

    [Fact]
    public async Task The_same_event_runs_once_in_each_scope()
    {
        var processed = new ProcessedEvents();
        var id = Guid.NewGuid();

        Assert.True(await processed.RunOnceAsync("/alerting-crs-grade-changed", id, () => Task.CompletedTask));
        Assert.True(await processed.RunOnceAsync("/mitigation-crs-grade-changed", id, () => Task.CompletedTask));
        Assert.False(await processed.RunOnceAsync("/alerting-crs-grade-changed", id, () => Task.CompletedTask));
    }

    [Fact]
    public async Task Only_the_most_recent_ids_are_remembered()
    {
        var processed = new ProcessedEvents(capacity: 2);
        var (a, b, c) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        foreach (var id in new[] { a, b, c })
        {
            await processed.RunOnceAsync(Scope, id, () => Task.CompletedTask);
        }

        Assert.False(await processed.RunOnceAsync(Scope, c, () => Task.CompletedTask));
        Assert.True(await processed.RunOnceAsync(Scope, a, () => Task.CompletedTask));
    }
}

using Microsoft.Extensions.Time.Testing;
using Toxicity.Contracts.V1;
using Xunit;

namespace Toxicity.Hosting.Tests;

/// <summary>The exactly-once ledger: what is owed, claimed once, in decision order, one patient's turn at a time.</summary>
public sealed class EffectLedgerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_cause_claims_what_its_patient_is_owed_up_to_it_in_decision_order_and_only_once()
    {
        var ledger = Live();
        var (first, second) = (Cause("p1"), Cause("p1"));
        var (a, b) = (Effect("p1"), Effect("p1"));
        ledger.Folded(first, [a]);
        ledger.Folded(second, [b]);

        var claimed = await ledger.ClaimAsync(second, CancellationToken.None);

        Assert.Equal([a.EventId, b.EventId], claimed.Select(o => o.Effect.EventId));
        Assert.Empty(await ledger.ClaimAsync(first, CancellationToken.None)); // claimed already
        ledger.Published(a);
        ledger.Unclaim(claimed);
        Assert.Equal([b.EventId], (await ledger.ClaimAsync(second, CancellationToken.None)).Select(o => o.Effect.EventId));
    }

    [Fact]
    public async Task An_effect_already_in_the_log_is_never_owed()
    {
        var ledger = Live();
        var cause = Cause("p1");
        var effect = Effect("p1");
        ledger.Published(effect);
        ledger.Folded(cause, [effect]);

        Assert.Empty(await ledger.ClaimAsync(cause, CancellationToken.None));
    }

    [Fact]
    public async Task The_same_cause_folded_three_times_owes_its_effect_once()
    {
        var ledger = Live();
        var cause = Cause("p1");
        var effect = Effect("p1");
        ledger.Folded(cause, [effect]);
        ledger.Folded(cause, [effect]);
        ledger.Folded(cause, [effect]);

        Assert.Equal([effect.EventId], (await ledger.ClaimAsync(cause, CancellationToken.None)).Select(o => o.Effect.EventId));
        Assert.Empty(await ledger.ClaimAsync(cause, CancellationToken.None));
    }

    [Fact]
    public async Task A_claim_waits_for_the_fold_to_reach_its_cause()
    {
        var ledger = Live();
        var cause = Cause("p1");
        var claim = ledger.ClaimAsync(cause, CancellationToken.None);
        Assert.False(claim.IsCompleted);

        ledger.Folded(cause, [Effect("p1")]);

        Assert.Single(await claim.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task One_patient_has_one_turn_at_a_time_and_other_patients_do_not_wait()
    {
        var ledger = Live();
        var first = await ledger.TurnAsync("p1", CancellationToken.None);
        var second = ledger.TurnAsync("p1", CancellationToken.None);
        var other = ledger.TurnAsync("p2", CancellationToken.None);

        Assert.True(other.IsCompletedSuccessfully);
        Assert.False(second.IsCompleted);
        first.Dispose();
        (await second.WaitAsync(TimeSpan.FromSeconds(5))).Dispose();
        (await other).Dispose();
    }

    [Fact]
    public async Task Effects_decided_on_the_replay_are_never_claimed_by_a_live_cause_and_are_dropped_after_the_grace()
    {
        var clock = new FakeTimeProvider(Now);
        var ledger = new EffectLedger(new EffectLedgerOptions { ReplayGrace = TimeSpan.FromMinutes(2) }, clock);
        var (old, redelivered, live) = (Cause("p1"), Cause("p1"), Cause("p1"));
        var (stale, owedByCrash, fresh) = (Effect("p1"), Effect("p1"), Effect("p1"));
        ledger.Folded(old, [stale]);            // replay: a cause handled long ago, a new effect under new rules
        ledger.Folded(redelivered, [owedByCrash]); // replay: an instance died before acknowledging this cause
        ledger.CaughtUp();
        ledger.Folded(live, [fresh]);

        Assert.Equal([fresh.EventId], (await ledger.ClaimAsync(live, CancellationToken.None)).Select(o => o.Effect.EventId));
        // A cause of the replay delivered again takes what the replay owes its patient up to it, in the order decided.
        var claimed = await ledger.ClaimAsync(redelivered, CancellationToken.None);
        Assert.Equal([stale.EventId, owedByCrash.EventId], claimed.Select(o => o.Effect.EventId));
        ledger.Unclaim(claimed.Take(1));

        clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Empty(await ledger.ClaimAsync(old, CancellationToken.None));
        Assert.Equal(1, ledger.DroppedReplayed);
    }

    [Fact]
    public async Task A_claim_whose_cause_the_fold_never_reaches_fails_after_the_deadline_with_the_reason()
    {
        var clock = new FakeTimeProvider(Now);
        var ledger = new EffectLedger(new EffectLedgerOptions { FoldDeadline = TimeSpan.FromSeconds(30) }, clock);
        var cause = Cause("p1");

        var claim = ledger.ClaimAsync(cause, CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(29));
        Assert.False(claim.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(1));

        var error = await Assert.ThrowsAsync<TimeoutException>(async () => await claim.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Contains($"VitalSignsRecorded {cause.EventId} of p1 within 30 s", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_ids_remembered_are_bounded()
    {
        var ledger = new EffectLedger(new EffectLedgerOptions { Remembered = 2 });
        var effects = Enumerable.Range(0, 3).Select(_ => Effect("p1")).ToList();
        effects.ForEach(ledger.Published);
        var cause = Cause("p1");

        ledger.Folded(cause, [effects[0]]); // forgotten: owed again (a cause this old is never delivered again)

        Assert.False(ledger.IsPublished(effects[0].EventId));
        Assert.True(ledger.IsPublished(effects[2].EventId));
        Assert.Single(await ledger.ClaimAsync(cause, CancellationToken.None));
    }

    private static EffectLedger Live()
    {
        var ledger = new EffectLedger();
        ledger.CaughtUp();
        return ledger;
    }

    private static VitalSignsRecorded Cause(string patient) => new(Guid.NewGuid(), patient, Now, Now, 38.5, null, null, null, null, null);

    private static CrsGradeChanged Effect(string patient) => new(Guid.NewGuid(), patient, Now, Now, Guid.NewGuid(), 0, 1, "astct-2019/1", ["crs.fever"]);
}

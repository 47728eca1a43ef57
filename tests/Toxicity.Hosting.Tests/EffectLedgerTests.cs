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
        var ledger = new EffectLedger();
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
        var ledger = new EffectLedger();
        var cause = Cause("p1");
        var effect = Effect("p1");
        ledger.Published(effect);
        ledger.Folded(cause, [effect]);

        Assert.Empty(await ledger.ClaimAsync(cause, CancellationToken.None));
    }

    [Fact]
    public async Task A_claim_waits_for_the_fold_to_reach_its_cause()
    {
        var ledger = new EffectLedger();
        var cause = Cause("p1");
        var claim = ledger.ClaimAsync(cause, CancellationToken.None);
        Assert.False(claim.IsCompleted);

        ledger.Folded(cause, [Effect("p1")]);

        Assert.Single(await claim.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task One_patient_has_one_turn_at_a_time_and_other_patients_do_not_wait()
    {
        var ledger = new EffectLedger();
        var first = await ledger.TurnAsync("p1", CancellationToken.None);
        var second = ledger.TurnAsync("p1", CancellationToken.None);
        var other = ledger.TurnAsync("p2", CancellationToken.None);

        Assert.True(other.IsCompletedSuccessfully);
        Assert.False(second.IsCompleted);
        first.Dispose();
        (await second.WaitAsync(TimeSpan.FromSeconds(5))).Dispose();
        (await other).Dispose();
    }

    private static VitalSignsRecorded Cause(string patient) => new(Guid.NewGuid(), patient, Now, Now, 38.5, null, null, null, null, null);

    private static CrsGradeChanged Effect(string patient) => new(Guid.NewGuid(), patient, Now, Now, Guid.NewGuid(), 0, 1, "astct-2019/1", ["crs.fever"]);
}

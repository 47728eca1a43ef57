using Toxicity.Contracts;
using Toxicity.Contracts.V1;
using Toxicity.Hosting;

namespace Toxicity.Alerting.Service;

/// <summary>
/// Alerting's state, folded from the event log in log order: each patient's ward, the grade changes (to decide their
/// alerts, published once through the <see cref="EffectLedger"/>), and every alert and advice, which go to the
/// <see cref="AlertFeed"/> under their log offset. After a restart the whole feed comes back from the log, and a
/// screen resuming with <c>Last-Event-ID</c> (an offset) gets exactly what it missed.
/// </summary>
internal sealed class AlertBook(EffectLedger ledger, AlertFeed feed, AlertPolicies policies, TimeProvider clock) : IEventLogSink
{
    private readonly Dictionary<string, string?> _wards = new(StringComparer.Ordinal);
    private readonly Dictionary<Guid, (IReadOnlyList<string> Criteria, string RuleSet)> _causes = [];

    public ValueTask OnEventAsync(LoggedEvent entry, CancellationToken cancellationToken)
    {
        switch (entry.Event)
        {
            case PatientAdmitted a:
                _wards[a.PatientId] = a.Ward;
                break;
            case PatientDetailsUpdated d:
                _wards[d.PatientId] = d.Ward;
                break;
            case CrsGradeChanged c:
                Decide(c, AlertScale.Crs, c.PreviousGrade, c.NewGrade, c.Criteria, c.RuleSet);
                break;
            case IcansGradeChanged i:
                Decide(i, AlertScale.Icans, i.PreviousGrade, i.NewGrade, i.Criteria, i.RuleSet);
                break;
            case AlertRaised raised:
                ledger.Published(raised);
                var (criteria, ruleSet) = _causes.GetValueOrDefault(raised.CausedByEventId, ([], string.Empty));
                feed.Append(entry.Offset, AlertFeedEvents.Alert, raised.PatientId, raised.Ward, raised.ToAlert(criteria, ruleSet));
                break;
            case MitigationAdvised advised:
                feed.Append(entry.Offset, AlertFeedEvents.Advice, advised.PatientId, _wards.GetValueOrDefault(advised.PatientId), advised.ToNotice());
                break;
        }

        return ValueTask.CompletedTask;
    }

    private void Decide(IPatientEvent change, AlertScale scale, int previous, int next, IReadOnlyList<string> criteria, string ruleSet)
    {
        _causes[change.EventId] = (criteria, ruleSet);
        var ward = _wards.GetValueOrDefault(change.PatientId);
        var decision = policies.For(ward).Decide(scale, previous, next);
        ledger.Folded(change, [change.ToAlertRaised(scale, previous, next, decision, ward, clock.GetUtcNow())]);
    }
}

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
    private readonly Lock _gate = new();
    private readonly Dictionary<Guid, AlertRaised> _alerts = [];
    private readonly Dictionary<Guid, AlertAcknowledged> _acknowledged = [];

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
                lock (_gate)
                {
                    _alerts[raised.EventId] = raised;
                }

                var (criteria, ruleSet) = _causes.GetValueOrDefault(raised.CausedByEventId, ([], string.Empty));
                feed.Append(entry.Offset, AlertFeedEvents.Alert, raised.PatientId, raised.Ward, raised.ToAlert(criteria, ruleSet));
                break;
            case AlertAcknowledged acknowledged:
                lock (_gate)
                {
                    _acknowledged.TryAdd(acknowledged.AlertId, acknowledged);
                }

                feed.Append(entry.Offset, AlertFeedEvents.Acknowledged, acknowledged.PatientId, _wards.GetValueOrDefault(acknowledged.PatientId),
                    new Acknowledgement(acknowledged.AlertId, acknowledged.PatientId, acknowledged.AcknowledgedBy, acknowledged.ObservedAt));
                break;
            case MitigationAdvised advised:
                feed.Append(entry.Offset, AlertFeedEvents.Advice, advised.PatientId, _wards.GetValueOrDefault(advised.PatientId), advised.ToNotice());
                break;
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>The alert with <paramref name="alertId"/> as the log holds it, and its acknowledgement if any; null when unknown.</summary>
    public (AlertRaised Alert, AlertAcknowledged? Acknowledged)? Find(Guid alertId)
    {
        lock (_gate)
        {
            return _alerts.TryGetValue(alertId, out var alert) ? (alert, _acknowledged.GetValueOrDefault(alertId)) : null;
        }
    }

    /// <summary>The acknowledgement of each acknowledged alert among <paramref name="alertIds"/>.</summary>
    public IReadOnlyDictionary<Guid, AlertAcknowledged> Acknowledgements(IEnumerable<Guid> alertIds)
    {
        lock (_gate)
        {
            return alertIds.Where(_acknowledged.ContainsKey).ToDictionary(id => id, id => _acknowledged[id]);
        }
    }

    private void Decide(IPatientEvent change, AlertScale scale, int previous, int next, IReadOnlyList<string> criteria, string ruleSet)
    {
        _causes[change.EventId] = (criteria, ruleSet);
        var ward = _wards.GetValueOrDefault(change.PatientId);
        var decision = policies.For(ward).Decide(scale, previous, next);
        ledger.Folded(change, [change.ToAlertRaised(scale, previous, next, decision, ward, clock.GetUtcNow())]);
    }
}

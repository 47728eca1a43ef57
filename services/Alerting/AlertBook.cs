using System.Text.Json;
using Microsoft.Extensions.Options;
using Toxicity.Contracts;
using Toxicity.Contracts.V1;
using Toxicity.Hosting;
using Toxicity.Alerting.Service.Webhooks;

namespace Toxicity.Alerting.Service;

/// <summary>
/// Alerting's state, folded from the event log in log order: each patient's ward, the grade changes (to decide their
/// alerts, published once through the <see cref="EffectLedger"/>), and every alert and advice, which go to the
/// <see cref="AlertFeed"/> under their log offset. After a restart the whole feed comes back from the log, and a
/// screen resuming with <c>Last-Event-ID</c> (an offset) gets exactly what it missed. Every entry is folded under one
/// lock, together with the offset it was read at, so that <see cref="Board"/> takes a snapshot that the stream
/// continues exactly (nothing missed, nothing twice). The fold (the book, the feed and the webhook outbox) is saved and
/// restored with snapshots of the event log (issue 16): a restored book continues the feed and the webhooks exactly.
/// </summary>
internal sealed class AlertBook(EffectLedger ledger, AlertFeed feed, AlertPolicies policies, WebhookOutbox webhooks, TimeProvider clock, IOptions<ChartOptions> chart) : ISnapshotSink
{
    /// <summary>The format of <see cref="BookState"/>: changed with it, so that a snapshot of another format is not used.</summary>
    private const int SnapshotFormat = 3;

    private static readonly JsonSerializerOptions SnapshotJson = new(JsonSerializerDefaults.Web);

    private readonly Dictionary<string, string?> _wards = new(StringComparer.Ordinal);
    private readonly Dictionary<Guid, (IReadOnlyList<string> Criteria, string RuleSet)> _causes = [];
    private readonly Lock _gate = new();
    private readonly Dictionary<Guid, AlertRaised> _alerts = [];
    private readonly Dictionary<Guid, AlertAcknowledged> _acknowledged = [];
    private readonly Dictionary<Guid, AlertResponded> _responses = [];
    private readonly Dictionary<Guid, (string Tier, DateTimeOffset Since)> _tiers = [];
    private readonly Dictionary<Guid, List<Escalation>> _escalations = [];
    private readonly Dictionary<string, BoardPatient> _grades = new(StringComparer.Ordinal);
    private readonly Dictionary<(string PatientId, string Reading), OverdueNotice> _overdue = [];
    private readonly PatientCharts _charts = new(chart.Value.Retention);
    private readonly Dictionary<string, TaskCompletionSource> _chartWatchers = new(StringComparer.Ordinal);
    private long _offset = -1;

    public ValueTask OnEventAsync(LoggedEvent entry, CancellationToken cancellationToken)
    {
        TaskCompletionSource? watcher = null;
        lock (_gate)
        {
            Fold(entry);
            _offset = entry.Offset;
            if (FoldChart(entry))
            {
                _chartWatchers.Remove(entry.Event.PatientId, out watcher);
            }
        }

        // Outside the lock: a chart stream waiting for this patient renders again (on the thread pool).
        watcher?.SetResult();
        return ValueTask.CompletedTask;
    }

    /// <summary>The fold's format, the ward policies and the webhook subscribers: a snapshot of other ones is not used.</summary>
    public string SnapshotVersion => $"alerting/{SnapshotFormat};policies={policies.Fingerprint};webhooks={webhooks.Fingerprint}";

    /// <summary>Everything folded: the wards, the grade changes' criteria, the alerts and what happened to them, the board's grades and overdue notices, the feed and the webhook outbox.</summary>
    public byte[]? SaveSnapshot()
    {
        lock (_gate)
        {
            return JsonSerializer.SerializeToUtf8Bytes(new BookState(
                _offset,
                [.. _wards.Select(w => new WardState(w.Key, w.Value))],
                [.. _causes.Select(c => new CauseState(c.Key, c.Value.Criteria, c.Value.RuleSet))],
                [.. _alerts.Values],
                [.. _acknowledged.Values],
                [.. _responses.Values],
                [.. _tiers.Select(t => new TierState(t.Key, t.Value.Tier, t.Value.Since))],
                [.. _escalations.Select(e => new EscalationsState(e.Key, e.Value))],
                [.. _grades.Values],
                [.. _overdue.Values],
                feed.Save(),
                webhooks.Save(),
                _charts.Save()), SnapshotJson);
        }
    }

    public void RestoreSnapshot(ReadOnlySpan<byte> state)
    {
        var saved = JsonSerializer.Deserialize<BookState>(state, SnapshotJson) ?? throw new InvalidDataException("an empty alert book");
        lock (_gate)
        {
            ClearLocked();
            _offset = saved.Offset;
            foreach (var ward in saved.Wards)
            {
                _wards[ward.PatientId] = ward.Ward;
            }

            foreach (var cause in saved.Causes)
            {
                _causes[cause.EventId] = (cause.Criteria, cause.RuleSet);
            }

            foreach (var alert in saved.Alerts)
            {
                _alerts[alert.EventId] = alert;
            }

            foreach (var acknowledged in saved.Acknowledged)
            {
                _acknowledged[acknowledged.AlertId] = acknowledged;
            }

            foreach (var responded in saved.Responses)
            {
                _responses[responded.AlertId] = responded;
            }

            foreach (var tier in saved.Tiers)
            {
                _tiers[tier.AlertId] = (tier.Tier, tier.Since);
            }

            foreach (var escalations in saved.Escalations)
            {
                _escalations[escalations.AlertId] = escalations.Steps;
            }

            foreach (var grades in saved.Grades)
            {
                _grades[grades.PatientId] = grades;
            }

            foreach (var notice in saved.Overdue)
            {
                _overdue[(notice.PatientId, notice.Reading)] = notice;
            }

            feed.Restore(saved.Feed);
            webhooks.Restore(saved.Webhooks);
            _charts.Restore(saved.Charts);
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            ClearLocked();
        }
    }

    /// <summary>How many of a ward's latest accept/decline answers its board shows.</summary>
    public const int RecentResponses = 20;

    /// <summary>
    /// The ward board of <paramref name="ward"/>: its patients with their current CRS and ICANS grades, its open alerts
    /// (unacknowledged, not notices) at their current tier, its latest accept/decline answers (without comments), and the offset of the last entry folded, after which the
    /// stream carries on. The grades are those of the last alert or notice raised (one for every grade change), so that
    /// the stream's later <c>alert</c> events carry each later grade in order and never an earlier one.
    /// </summary>
    public BoardSnapshot Board(string ward)
    {
        lock (_gate)
        {
            var patients = _wards.Where(w => w.Value == ward).Select(w => w.Key).Order(StringComparer.Ordinal)
                .Select(id => _grades.GetValueOrDefault(id) ?? new BoardPatient(id, 0, 0))
                .ToList();
            var open = _alerts.Values
                .Where(a => a.Kind != "notice" && a.Ward == ward && !_acknowledged.ContainsKey(a.EventId))
                .OrderBy(a => a.RecordedAt)
                .Select(a => View(a) with { Tier = _tiers.TryGetValue(a.EventId, out var tier) ? tier.Tier : a.Tier })
                .ToList();
            var overdue = _overdue.Values.Where(o => o.Ward == ward).OrderBy(o => o.Since).ThenBy(o => o.PatientId, StringComparer.Ordinal)
                .ThenBy(o => o.Reading, StringComparer.Ordinal).ToList();
            var answered = _responses.Values.Where(r => _alerts.TryGetValue(r.AlertId, out var a) && a.Ward == ward)
                .OrderByDescending(r => r.ObservedAt).Take(RecentResponses).Select(r => Response(r) with { Comment = null }).ToList();
            return new BoardSnapshot(ward, _offset, patients, open, overdue, answered);
        }
    }

    private void ClearLocked()
    {
        _wards.Clear();
        _causes.Clear();
        _alerts.Clear();
        _acknowledged.Clear();
        _responses.Clear();
        _tiers.Clear();
        _escalations.Clear();
        _grades.Clear();
        _overdue.Clear();
        _charts.Clear();
        _offset = -1;
        feed.Clear();
        webhooks.Clear();
    }

    private void Fold(LoggedEvent entry)
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
                Decide(c, new GradeChange(AlertScale.Crs, c.PreviousGrade, c.NewGrade, c.LowerBound ?? false, c.Provisional ?? false, c.Criteria, c.RuleSet));
                break;
            case IcansGradeChanged i:
                Decide(i, new GradeChange(AlertScale.Icans, i.PreviousGrade, i.NewGrade, i.LowerBound ?? false, i.Provisional ?? false, i.Criteria, i.RuleSet));
                break;
            case ObservationOverdue overdue:
                Overdue(entry.Offset, overdue);
                break;
            case AlertRaised raised:
                ledger.Published(raised);
                _alerts[raised.EventId] = raised;
                if (raised.Kind != "notice" && raised.Tier is { } tier)
                {
                    _tiers[raised.EventId] = (tier, raised.RecordedAt);
                }

                var grades = _grades.GetValueOrDefault(raised.PatientId) ?? new BoardPatient(raised.PatientId, 0, 0);
                _grades[raised.PatientId] = raised.Scale == "icans"
                    ? grades with { Icans = raised.NewGrade, IcansLowerBound = raised.LowerBound ?? false }
                    : grades with { Crs = raised.NewGrade, CrsLowerBound = raised.LowerBound ?? false, CrsProvisional = raised.Provisional ?? false };

                var alert = View(raised);
                feed.Append(entry.Offset, AlertFeedEvents.Alert, raised.PatientId, raised.Ward, alert);
                webhooks.Raised(alert);
                break;
            case AlertEscalated escalated:
                ledger.Published(escalated);
                _tiers[escalated.AlertId] = (escalated.ToTier, escalated.RecordedAt);
                var escalation = new Escalation(escalated.AlertId, escalated.PatientId, escalated.Severity, escalated.FromTier, escalated.ToTier, escalated.ObservedAt);
                if (!_escalations.TryGetValue(escalated.AlertId, out var steps))
                {
                    _escalations[escalated.AlertId] = steps = [];
                }

                if (!steps.Any(s => s.ToTier == escalation.ToTier))
                {
                    steps.Add(escalation);
                }

                feed.Append(entry.Offset, AlertFeedEvents.Escalated, escalated.PatientId, _wards.GetValueOrDefault(escalated.PatientId), escalation);
                if (_alerts.TryGetValue(escalated.AlertId, out var escalatedAlert))
                {
                    webhooks.Escalated(escalated, View(escalatedAlert));
                }

                break;
            case AlertAcknowledged acknowledged:
                _acknowledged.TryAdd(acknowledged.AlertId, acknowledged);

                feed.Append(entry.Offset, AlertFeedEvents.Acknowledged, acknowledged.PatientId, _wards.GetValueOrDefault(acknowledged.PatientId),
                    new Acknowledgement(acknowledged.AlertId, acknowledged.PatientId, acknowledged.AcknowledgedBy, acknowledged.ObservedAt));
                if (_alerts.TryGetValue(acknowledged.AlertId, out var acknowledgedAlert))
                {
                    webhooks.Acknowledged(acknowledged, View(acknowledgedAlert),
                        [acknowledgedAlert.Tier!, .. _escalations.GetValueOrDefault(acknowledged.AlertId, []).Select(s => s.ToTier)]);
                }

                break;
            case AlertResponded responded:
                _responses.TryAdd(responded.AlertId, responded);
                feed.Append(entry.Offset, AlertFeedEvents.Responded, responded.PatientId, _wards.GetValueOrDefault(responded.PatientId), Response(responded) with { Comment = null });
                break;
            case WebhookDelivered delivered:
                webhooks.Delivered(delivered);
                break;
            case WebhookDeliveryFailed failed:
                webhooks.Failed(failed);
                break;
            case MitigationAdvised advised:
                feed.Append(entry.Offset, AlertFeedEvents.Advice, advised.PatientId, _wards.GetValueOrDefault(advised.PatientId), advised.ToNotice());
                break;
        }
    }

    /// <summary>
    /// The chart of <paramref name="patientId"/> over the <paramref name="window"/> before now, the offset of the last
    /// entry folded, and (when <paramref name="watch"/>) a task that completes when the chart next changes; null for a
    /// patient the log has not admitted.
    /// </summary>
    public (ChartView View, string? Ward, long Offset, Task Changed)? Chart(string patientId, TimeSpan window, bool watch)
    {
        lock (_gate)
        {
            if (!_wards.TryGetValue(patientId, out var ward))
            {
                return null;
            }

            var changed = Task.CompletedTask;
            if (watch)
            {
                if (!_chartWatchers.TryGetValue(patientId, out var watcher))
                {
                    _chartWatchers[patientId] = watcher = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }

                changed = watcher.Task;
            }

            var now = clock.GetUtcNow();
            return (_charts.View(patientId, now - window, now), ward, _offset, changed);
        }
    }

    /// <summary>What the patient chart plots (docs/alerting.md "The patient chart"); true when the entry changed a chart.</summary>
    private bool FoldChart(LoggedEvent entry) => entry.Event switch
    {
        VitalSignsRecorded v => _charts.Add(v.PatientId, v.ToChart(), v.RecordedAt),
        NeuroAssessmentRecorded n => _charts.Add(n.PatientId, n.ToChart(), n.RecordedAt),
        TreatmentAdministered t => _charts.Add(t.PatientId, t.ToChart(), t.RecordedAt),
        MitigationAdvised a => _charts.Add(a.PatientId, a.ToChart(), a.RecordedAt),
        CrsGradeChanged c => _charts.AddGrade(c.PatientId, AlertScale.Crs, c.ToChart(), c.RecordedAt),
        IcansGradeChanged i => _charts.AddGrade(i.PatientId, AlertScale.Icans, i.ToChart(), i.RecordedAt),
        ObservationOverdue o => _charts.AddOverdue(o.PatientId, o.Reading, o.Status, o.Since, o.Reason, o.ObservedAt, o.RecordedAt),
        _ => false,
    };

    /// <summary>An alert as screens show it when raised, with the criteria and rule set of the grade change behind it.</summary>
    private Alert View(AlertRaised raised)
    {
        var (criteria, ruleSet) = _causes.GetValueOrDefault(raised.CausedByEventId, ([], string.Empty));
        return raised.ToAlert(criteria, ruleSet);
    }

    /// <summary>The alert with <paramref name="alertId"/> as the log holds it, its acknowledgement and its response if any; null when unknown.</summary>
    public (AlertRaised Alert, AlertAcknowledged? Acknowledged, AlertResponded? Responded)? Find(Guid alertId)
    {
        lock (_gate)
        {
            return _alerts.TryGetValue(alertId, out var alert) ? (alert, _acknowledged.GetValueOrDefault(alertId), _responses.GetValueOrDefault(alertId)) : null;
        }
    }

    public static AlertResponse Response(AlertResponded responded) =>
        new(responded.AlertId, responded.PatientId, responded.Response, responded.Reason, responded.RespondedBy, responded.ObservedAt, responded.Comment);

    /// <summary>
    /// <paramref name="alerts"/> with what happened to each since it was raised: its current tier, its escalations in
    /// order, and its acknowledgement (who, when), as the log holds them.
    /// </summary>
    public IReadOnlyList<Alert> WithHistory(IEnumerable<Alert> alerts)
    {
        lock (_gate)
        {
            return [.. alerts.Select(a => a with
            {
                Tier = _tiers.TryGetValue(a.AlertId, out var tier) ? tier.Tier : a.Tier,
                Escalations = _escalations.TryGetValue(a.AlertId, out var steps) ? [.. steps] : [],
                AcknowledgedAt = _acknowledged.GetValueOrDefault(a.AlertId)?.ObservedAt,
                AcknowledgedBy = _acknowledged.GetValueOrDefault(a.AlertId)?.AcknowledgedBy,
                Response = _responses.TryGetValue(a.AlertId, out var responded) ? Response(responded) : null,
            })];
        }
    }

    /// <summary>
    /// The escalations due at <paramref name="now"/>: every alert not acknowledged whose deadline at its current tier
    /// passed (by its ward's policy), to the next tier; ids derive from the alert and the tier, so a step is one fact.
    /// </summary>
    public IReadOnlyList<AlertEscalated> DueEscalations(DateTimeOffset now)
    {
        lock (_gate)
        {
            var due = new List<AlertEscalated>();
            foreach (var (alertId, (tier, since)) in _tiers)
            {
                var alert = _alerts[alertId];
                if (_acknowledged.ContainsKey(alertId) || !Enum.TryParse<AlertSeverity>(alert.Severity, ignoreCase: true, out var severity)
                    || policies.For(alert.Ward).EscalationDue(severity, tier, since, now) is not { } next)
                {
                    continue;
                }

                due.Add(new AlertEscalated(EventIds.Derive(alertId, $"{ContractMapping.AlertEscalatedEffect}/{next}"), alert.PatientId, now, now,
                    alertId, alert.Severity, tier, next));
            }

            return due;
        }
    }

    private void Decide(IPatientEvent change, GradeChange grade)
    {
        _causes[change.EventId] = (grade.Criteria, grade.RuleSet);
        var ward = _wards.GetValueOrDefault(change.PatientId);
        var decision = policies.For(ward).Decide(grade.Scale, grade.Previous, grade.Next);
        ledger.Folded(change, [change.ToAlertRaised(grade, decision, ward, clock.GetUtcNow())]);
    }

    /// <summary>
    /// An overdue-observation notice (C2-OD-1): to the ward's first tier, the next tier when still overdue, and, when
    /// cleared, to every tier it reached; on the stream and the board as a notice of its own kind, never a grade alert.
    /// </summary>
    private void Overdue(long offset, ObservationOverdue overdue)
    {
        var ward = _wards.GetValueOrDefault(overdue.PatientId);
        var tiers = policies.For(ward).Tiers;
        var key = (overdue.PatientId, overdue.Reading);
        var reached = _overdue.TryGetValue(key, out var open) ? open.Tier : null;
        var tier = overdue.Status switch
        {
            "stillOverdue" => tiers.Count > 1 ? tiers[1] : tiers[0],
            "cleared" => reached,
            _ => tiers[0],
        };
        var notice = overdue.ToNotice(ward, tier);
        if (overdue.Status == "cleared")
        {
            _overdue.Remove(key);
        }
        else
        {
            _overdue[key] = notice;
        }

        feed.Append(offset, AlertFeedEvents.Overdue, overdue.PatientId, ward, notice);
        IReadOnlyList<string> to = overdue.Status == "cleared" ? [.. new[] { tiers[0], reached }.OfType<string>().Distinct()] : [tier!];
        webhooks.Overdue(notice, to, overdue.RecordedAt);
    }

    private sealed record BookState(
        long Offset,
        List<WardState> Wards,
        List<CauseState> Causes,
        List<AlertRaised> Alerts,
        List<AlertAcknowledged> Acknowledged,
        List<AlertResponded> Responses,
        List<TierState> Tiers,
        List<EscalationsState> Escalations,
        List<BoardPatient> Grades,
        List<OverdueNotice> Overdue,
        IReadOnlyList<FeedEntry> Feed,
        OutboxState Webhooks,
        ChartsState Charts);

    private sealed record WardState(string PatientId, string? Ward);

    private sealed record CauseState(Guid EventId, IReadOnlyList<string> Criteria, string RuleSet);

    private sealed record TierState(Guid AlertId, string Tier, DateTimeOffset Since);

    private sealed record EscalationsState(Guid AlertId, List<Escalation> Steps);
}

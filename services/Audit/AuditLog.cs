using Toxicity.Hosting;

namespace Toxicity.Audit.Service;

/// <summary>
/// The events read from the log, in log order, indexed by patient. In memory for the walking skeleton: the
/// event-log follower rebuilds it from the first offset at every start. The durable, chained store is issue 9.
/// </summary>
internal sealed class AuditLog : IEventLogSink
{
    private readonly Lock _gate = new();
    private readonly List<AuditRecord> _records = [];
    private readonly Dictionary<string, List<int>> _byPatient = new(StringComparer.Ordinal);

    /// <summary>Appends the next event of the log (the follower passes each offset once, in order; markers and other entries never).</summary>
    public ValueTask OnEventAsync(LoggedEvent entry, CancellationToken cancellationToken)
    {
        var record = AuditRecord.From(entry);
        lock (_gate)
        {
            _records.Add(record);
            if (!_byPatient.TryGetValue(record.PatientId, out var positions))
            {
                _byPatient[record.PatientId] = positions = [];
            }

            positions.Add(_records.Count - 1);
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>The events of one patient (or all), in log order.</summary>
    public IReadOnlyList<AuditRecord> Events(string? patientId)
    {
        lock (_gate)
        {
            if (patientId is null)
            {
                return [.. _records];
            }

            return _byPatient.TryGetValue(patientId, out var positions) ? [.. positions.Select(i => _records[i])] : [];
        }
    }
}

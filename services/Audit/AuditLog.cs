namespace Toxicity.Audit.Service;

/// <summary>
/// The events read from the log, in log order, indexed by patient. In memory for the walking skeleton: the
/// reader rebuilds it from the first offset at every start. The durable, chained store is issue 9.
/// </summary>
internal sealed class AuditLog
{
    private readonly Lock _gate = new();
    private readonly List<AuditRecord> _records = [];
    private readonly Dictionary<string, List<int>> _byPatient = new(StringComparer.Ordinal);

    /// <summary>The offset of the last event read; -1 before the first.</summary>
    public long LastOffset { get; private set; } = -1;

    /// <summary>Adds a record read at an offset past <see cref="LastOffset"/>; a re-read offset (after a reconnect) is ignored.</summary>
    public bool Append(AuditRecord record)
    {
        lock (_gate)
        {
            if (record.Offset <= LastOffset)
            {
                return false;
            }

            LastOffset = record.Offset;
            _records.Add(record);
            if (!_byPatient.TryGetValue(record.PatientId, out var positions))
            {
                _byPatient[record.PatientId] = positions = [];
            }

            positions.Add(_records.Count - 1);
            return true;
        }
    }

    /// <summary>Moves past an offset that held no Toxicity event, so a reconnect does not read it again.</summary>
    public void Skip(long offset)
    {
        lock (_gate)
        {
            LastOffset = Math.Max(LastOffset, offset);
        }
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

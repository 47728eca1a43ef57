namespace Toxicity.Contracts;

/// <summary>
/// The envelope every Toxicity event declares itself: a unique id (the idempotency key downstream),
/// the pseudonymous patient, the clinical time and the system time. Hosting excludes this interface
/// from the broker topology, so it never becomes an exchange.
/// </summary>
public interface IPatientEvent
{
    /// <summary>Unique id of this fact; derived events use a name-based UUID of their cause.</summary>
    Guid EventId { get; }

    /// <summary>Pseudonymous patient id; never a name.</summary>
    string PatientId { get; }

    /// <summary>Clinical time of the observation behind this fact (UTC).</summary>
    DateTimeOffset ObservedAt { get; }

    /// <summary>System time at which this fact was recorded (UTC).</summary>
    DateTimeOffset RecordedAt { get; }
}

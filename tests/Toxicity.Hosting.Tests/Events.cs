using Toxicity.Contracts.V1;

namespace Toxicity.Hosting.Tests;

/// <summary>Events for the tests; a patient's <c>sequence</c> is carried as minutes in ObservedAt, so order can be checked.</summary>
internal static class Events
{
    public static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static VitalSignsRecorded Vitals(string patientId, int sequence, Guid? eventId = null) =>
        new(eventId ?? Guid.NewGuid(), patientId, Epoch.AddMinutes(sequence), Epoch.AddMinutes(sequence), 38.5, 100, 18, 120, 80, 97);

    public static NeuroAssessmentRecorded Neuro(string patientId, int sequence) =>
        new(Guid.NewGuid(), patientId, Epoch.AddMinutes(sequence), Epoch.AddMinutes(sequence), 10, null, null, null, null, null);

    public static PatientAdmitted Admitted(string patientId) =>
        new(Guid.NewGuid(), patientId, Epoch, Epoch, 54, 70, 170, 1.8, "DLBCL", "ward-7", null);

    public static int Sequence(DateTimeOffset observedAt) => (int)(observedAt - Epoch).TotalMinutes;
}

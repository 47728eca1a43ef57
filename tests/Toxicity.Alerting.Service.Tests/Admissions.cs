using Toxicity.Contracts.V1;
using Toxicity.Testing;

namespace Toxicity.Alerting.Service.Tests;

/// <summary>A new patient admitted to a ward, as a ward system would: the patient's ward decides the policy and the streams it is on.</summary>
internal static class Admissions
{
    public static async Task<(string Patient, DateTimeOffset Now)> AdmitAsync(this WardEvents events, string ward)
    {
        var patient = $"p-{Guid.NewGuid():N}"[..14];
        var now = DateTimeOffset.UtcNow;
        await events.PublishAsync(new PatientAdmitted(Guid.NewGuid(), patient, now, now, 50, 70, 170, 1.8, "DLBCL", ward, null));
        return (patient, now);
    }
}

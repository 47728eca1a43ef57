using Toxicity.Contracts;
using Toxicity.Hosting;

namespace Toxicity.Ingestion.Service.Requests;

/// <summary>Checks shared by every resource: the pseudonymous patient id and clinical timestamps.</summary>
internal static class Common
{
    // Issue 5: a timestamp more than 5 minutes in the future is refused (clock skew allowed up to that).
    public static readonly TimeSpan FutureSkew = TimeSpan.FromMinutes(5);

    public static bool IsPatientId(string value) => PatientIds.IsPseudonymous(value);

    /// <summary>A pseudonymous id: 1-64 letters, digits, '.', '_' or '-'; never a name (no spaces).</summary>
    public static string? PatientId(JsonFields fields, string name = "patientId")
    {
        if (!fields.Require(name) || fields.String(name, 64) is not { } id)
        {
            return null;
        }

        if (!IsPatientId(id))
        {
            fields.Fail(name, $"{fields.Path(name)} must be a pseudonymous id of 1-64 letters, digits, '.', '_' or '-' (never a name).");
            return null;
        }

        return id;
    }

    /// <summary>A required clinical time, not more than 5 minutes ahead of <paramref name="now"/>.</summary>
    public static DateTimeOffset? ClinicalTime(JsonFields fields, string name, DateTimeOffset now)
    {
        if (!fields.Require(name) || fields.Timestamp(name) is not { } at)
        {
            return null;
        }

        if (at > now + FutureSkew)
        {
            fields.Fail(name, $"{fields.Path(name)} is more than 5 minutes in the future ({at:O}); check the sender's clock.");
            return null;
        }

        return at;
    }
}

using System.Text.RegularExpressions;

namespace Toxicity.Contracts;

/// <summary>What every event's <see cref="IPatientEvent.PatientId"/> is: a pseudonymous id, never a name.</summary>
public static partial class PatientIds
{
    /// <summary>1-64 letters, digits, '.', '_' or '-', starting with a letter or digit (no spaces: never a name).</summary>
    public static bool IsPseudonymous(string? value) => value is not null && PseudonymousId().IsMatch(value);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex PseudonymousId();
}

using System.Collections.Concurrent;

namespace Toxicity.Grading.Service;

/// <summary>
/// The CRS grade last published for each patient. In memory for the walking skeleton: after a restart every
/// patient starts again from grade 0. The timeline rebuilt from the event log replaces it (issue 6).
/// </summary>
internal sealed class CrsGrades
{
    private readonly ConcurrentDictionary<string, CrsGrade> _published = new(StringComparer.Ordinal);

    public CrsGrade Current(string patientId) => _published.GetValueOrDefault(patientId, CrsGrade.None);

    public void Published(string patientId, CrsGrade grade) => _published[patientId] = grade;
}

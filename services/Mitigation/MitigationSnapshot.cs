using System.Security.Cryptography;
using System.Text.Json;
using Toxicity.Contracts.V1;
using Toxicity.Mitigation.Regimens;

namespace Toxicity.Mitigation.Service;

/// <summary>What a snapshot of the <see cref="MitigationBook"/> depends on besides the log (issue 16, "Snapshots").</summary>
internal static class MitigationSnapshot
{
    /// <summary>The format of <see cref="PatientState"/>: changed with it, so that a snapshot of another format is not used.</summary>
    private const int Format = 1;

    // The catalogue as the API lists it, hashed: another dose, cycle or restart row changes the courses a fold builds.
    private static readonly string Catalogue = Convert.ToHexStringLower(
        SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(RegimenCatalogue.All, new JsonSerializerOptions(JsonSerializerDefaults.Web))))[..16];

    /// <summary>The version of a snapshot folded at <paramref name="site"/>: the format, the catalogue's hash and the site's jurisdiction.</summary>
    public static string Version(Jurisdiction site) => $"mitigation/{Format};catalogue={Catalogue};site={string.Join(',', site.Codes())}";
}

/// <summary>
/// A patient as a snapshot keeps them: the measures (and whether admitted), the plan, the course, the grades last
/// published, the interruption, and the advice given, oldest first.
/// </summary>
internal sealed record PatientState(
    string Id,
    PatientMeasures Measures,
    bool Admitted,
    TreatmentPlanned? Plan,
    CourseState? Course,
    CurrentGrades Grades,
    DateTimeOffset? InterruptedAt,
    List<MitigationAdvised> Advised);

/// <summary>
/// A <see cref="DoseCourse"/> as a snapshot keeps it; the restart row being given is its place in the regimen's restart
/// table (<see cref="Regimen.DelayRules"/>), never a copy, so that the restored course holds the catalogue's own row.
/// </summary>
internal sealed record CourseState(
    int? Next,
    DateOnly Due,
    GivenDose? Last,
    List<int> Then,
    int? ResumeSlot,
    int ResumeAfterDays,
    int? Restart,
    DateTimeOffset? ReviewedThrough)
{
    public static CourseState Of(DoseCourse course, Regimen regimen)
    {
        ArgumentNullException.ThrowIfNull(course);
        ArgumentNullException.ThrowIfNull(regimen);
        return new(course.Next, course.Due, course.Last, [.. course.Then], course.ResumeSlot, course.ResumeAfterDays,
            course.Restart is { } restart ? RowOf(regimen, restart) : null, course.ReviewedThrough);
    }

    public DoseCourse ToCourse(Regimen regimen)
    {
        ArgumentNullException.ThrowIfNull(regimen);
        var rules = regimen.DelayRules ?? [];
        var restart = Restart is not { } row ? null
            : row >= 0 && row < rules.Count ? rules[row]
            : throw new InvalidDataException($"restart row {row} is not in the restart table of {regimen.Id}");
        return new DoseCourse(Next, Due, Last, [.. Then], ResumeSlot, ResumeAfterDays, restart, ReviewedThrough);
    }

    private static int RowOf(Regimen regimen, DelayRule restart)
    {
        var rules = regimen.DelayRules ?? [];
        for (var row = 0; row < rules.Count; row++)
        {
            if (ReferenceEquals(rules[row], restart))
            {
                return row;
            }
        }

        throw new InvalidOperationException($"the restart row '{restart.Window}' is not one of the restart table of {regimen.Id}");
    }
}

using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Toxicity.Contracts;
using Toxicity.Contracts.V1;
using Toxicity.Hosting;

namespace Toxicity.Audit.Service.Fhir;

/// <summary>A published grade change as the FHIR endpoint reads it: the event, which scale it is, and whether its cause was an observation.</summary>
internal sealed record GradeRecord(long Offset, IPatientEvent Change, string Code, int Grade, string RuleSet, IReadOnlyList<string> Criteria,
    bool LowerBound, bool Provisional, bool Stale, Guid CausedBy, bool CausedByObservation);

/// <summary>
/// Each grade change published to the log (ASTCT CRS, ASTCT ICANS, CTCAE CRS) as a FHIR R4 Observation
/// (docs/fhir-grades.md), read from Audit's store: only events whose signature checked valid, in log order.
/// </summary>
internal sealed class GradeObservations(AuditStore store)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static readonly IReadOnlyDictionary<string, string> CodesByType = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [EventLog.WireName(typeof(CrsGradeChanged))] = GradeCodeSystems.AstctCrs,
        [EventLog.WireName(typeof(IcansGradeChanged))] = GradeCodeSystems.AstctIcans,
        [EventLog.WireName(typeof(CtcaeCrsGradeChanged))] = GradeCodeSystems.CtcaeCrs,
    };

    private static readonly string[] ObservationTypes = [EventLog.WireName(typeof(VitalSignsRecorded)), EventLog.WireName(typeof(NeuroAssessmentRecorded))];

    /// <summary>The patient's published grade changes of the codes asked (all when empty), in log order.</summary>
    public IReadOnlyList<GradeRecord> OfPatient(string patientId, IReadOnlySet<string> codes)
    {
        var types = CodesByType.Where(t => codes.Count == 0 || codes.Contains(t.Value)).Select(t => t.Key).ToList();
        if (types.Count == 0)
        {
            return [];
        }

        using var connection = store.OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT log_offset, type, event FROM entries
            WHERE patient_id = $patient AND kind = 'event' AND status = 'valid' AND type IN ({string.Join(", ", types.Select((_, i) => $"$t{i}"))})
            ORDER BY log_offset
            """;
        command.Parameters.AddWithValue("$patient", patientId);
        for (var i = 0; i < types.Count; i++)
        {
            command.Parameters.AddWithValue($"$t{i}", types[i]);
        }

        var rows = new List<(long Offset, string Type, string Event)>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                rows.Add((reader.GetInt64(0), reader.GetString(1), reader.GetString(2)));
            }
        }

        var changes = Distinct(rows.Select(r => (r.Offset, r.Type, Event: Read(r.Type, r.Event))));
        var observations = ObservationCauses(connection, patientId, changes.Select(c => CausedBy(c.Event)).ToHashSet());
        return [.. changes.Select(c => Record(c.Offset, c.Type, c.Event, observations))];
    }

    /// <summary>The published grade change with <paramref name="eventId"/>, or null.</summary>
    public GradeRecord? Find(Guid eventId)
    {
        using var connection = store.OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT log_offset, type, event FROM entries
            WHERE event_id = $id AND kind = 'event' AND status = 'valid' AND type IN ({string.Join(", ", CodesByType.Keys.Select((_, i) => $"$t{i}"))})
            ORDER BY log_offset LIMIT 1
            """;
        command.Parameters.AddWithValue("$id", eventId.ToString());
        var i = 0;
        foreach (var type in CodesByType.Keys)
        {
            command.Parameters.AddWithValue($"$t{i++}", type);
        }

        long offset;
        string wireType, json;
        using (var reader = command.ExecuteReader())
        {
            if (!reader.Read())
            {
                return null;
            }

            (offset, wireType, json) = (reader.GetInt64(0), reader.GetString(1), reader.GetString(2));
        }

        var change = Read(wireType, json);
        return Record(offset, wireType, change, ObservationCauses(connection, change.PatientId, [CausedBy(change)]));
    }

    /// <summary>The Observation of <paramref name="grade"/>, its references relative to the FHIR base.</summary>
    public static JsonObject Observation(GradeRecord grade)
    {
        var change = grade.Change;
        var observation = new JsonObject
        {
            ["resourceType"] = "Observation",
            ["id"] = change.EventId.ToString(),
            ["meta"] = new JsonObject { ["lastUpdated"] = Instant(change.RecordedAt) },
            // A possible CRS under premedication is for a clinician to confirm: preliminary until a later grade confirms it.
            ["status"] = grade.Provisional ? "preliminary" : "final",
            ["category"] = new JsonArray(new JsonObject
            {
                ["coding"] = new JsonArray(new JsonObject
                {
                    ["system"] = "http://terminology.hl7.org/CodeSystem/observation-category",
                    ["code"] = "survey",
                    ["display"] = "Survey",
                }),
            }),
            ["code"] = Concept(GradeCodeSystems.Grade, grade.Code, GradeCodeSystems.Displays[grade.Code]),
            ["subject"] = new JsonObject { ["reference"] = $"Patient/{change.PatientId}" },
            ["effectiveDateTime"] = Instant(change.ObservedAt),
            ["issued"] = Instant(change.RecordedAt),
            ["valueInteger"] = grade.Grade,
            ["method"] = Concept(GradeCodeSystems.RuleSetSystem, grade.RuleSet, grade.RuleSet),
        };
        if (grade.CausedByObservation)
        {
            // The observation whose arrival changed the grade: its id at Ingestion's FHIR endpoint is its event id.
            observation["derivedFrom"] = new JsonArray(new JsonObject { ["reference"] = $"Observation/{grade.CausedBy}" });
        }

        var components = new JsonArray(
            Mark(GradeCodeSystems.LowerBound, grade.LowerBound),
            Mark(GradeCodeSystems.Provisional, grade.Provisional),
            Mark(GradeCodeSystems.Stale, grade.Stale));
        foreach (var criterion in grade.Criteria)
        {
            components.Add(new JsonObject
            {
                ["code"] = Concept(GradeCodeSystems.Grade, GradeCodeSystems.CriterionComponent, GradeCodeSystems.Displays[GradeCodeSystems.CriterionComponent]),
                ["valueCodeableConcept"] = new JsonObject { ["coding"] = new JsonArray(new JsonObject { ["system"] = GradeCodeSystems.Criterion, ["code"] = criterion }) },
            });
        }

        observation["component"] = components;
        return observation;
    }

    /// <summary>The grade code of a grade change's wire type.</summary>
    public static string CodeOfType(string wireType) => CodesByType[wireType];

    /// <summary>The offset of the last entry stored (-1 when none).</summary>
    public long LastOffset()
    {
        using var connection = store.OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COALESCE(MAX(log_offset), -1) FROM entries";
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>The grade code of an Observation code search token (<c>code</c> or <c>system|code</c>), or null for none of ours.</summary>
    public static string? CodeOf(string token)
    {
        var bar = token.IndexOf('|', StringComparison.Ordinal);
        var (system, code) = bar < 0 ? (null, token) : (token[..bar], token[(bar + 1)..]);
        return (system is null || system == GradeCodeSystems.Grade) && code is GradeCodeSystems.AstctCrs or GradeCodeSystems.AstctIcans or GradeCodeSystems.CtcaeCrs
            ? code
            : null;
    }

    private static string Instant(DateTimeOffset time) => time.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

    private static JsonObject Concept(string system, string code, string display) => new()
    {
        ["coding"] = new JsonArray(new JsonObject { ["system"] = system, ["code"] = code, ["display"] = display }),
    };

    private static JsonObject Mark(string code, bool value) => new()
    {
        ["code"] = Concept(GradeCodeSystems.Grade, code, GradeCodeSystems.Displays[code]),
        ["valueBoolean"] = value,
    };

    private static IPatientEvent Read(string wireType, string json) =>
        (IPatientEvent)(JsonSerializer.Deserialize(json, EventLog.TypesByWireName[wireType], Json)
            ?? throw new InvalidDataException("an empty grade change in the store"));

    /// <summary>A grade change redelivered into the log is one change: its first copy.</summary>
    private static List<(long Offset, string Type, IPatientEvent Event)> Distinct(IEnumerable<(long Offset, string Type, IPatientEvent Event)> rows)
    {
        var seen = new HashSet<Guid>();
        return [.. rows.Where(r => seen.Add(r.Event.EventId))];
    }

    private static Guid CausedBy(IPatientEvent change) => change switch
    {
        CrsGradeChanged c => c.CausedByEventId,
        IcansGradeChanged i => i.CausedByEventId,
        CtcaeCrsGradeChanged t => t.CausedByEventId,
        _ => throw new InvalidDataException($"{change.GetType().Name} is not a grade change"),
    };

    /// <summary>Which of <paramref name="causes"/> are the patient's observations (vital signs, neuro assessments) in the store.</summary>
    private static HashSet<Guid> ObservationCauses(Microsoft.Data.Sqlite.SqliteConnection connection, string patientId, HashSet<Guid> causes)
    {
        var found = new HashSet<Guid>();
        if (causes.Count == 0)
        {
            return found;
        }

        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT DISTINCT event_id FROM entries
            WHERE patient_id = $patient AND type IN ($vitals, $neuro) AND event_id IN ({string.Join(", ", causes.Select((_, i) => $"$c{i}"))})
            """;
        command.Parameters.AddWithValue("$patient", patientId);
        command.Parameters.AddWithValue("$vitals", ObservationTypes[0]);
        command.Parameters.AddWithValue("$neuro", ObservationTypes[1]);
        var index = 0;
        foreach (var cause in causes)
        {
            command.Parameters.AddWithValue($"$c{index++}", cause.ToString());
        }

        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            found.Add(Guid.Parse(reader.GetString(0)));
        }

        return found;
    }

    private static GradeRecord Record(long offset, string wireType, IPatientEvent change, HashSet<Guid> observations)
    {
        var code = CodesByType[wireType];
        return change switch
        {
            CrsGradeChanged c => new GradeRecord(offset, c, code, c.NewGrade, c.RuleSet, c.Criteria, c.LowerBound ?? false, c.Provisional ?? false, c.Stale ?? false,
                c.CausedByEventId, observations.Contains(c.CausedByEventId)),
            IcansGradeChanged i => new GradeRecord(offset, i, code, i.NewGrade, i.RuleSet, i.Criteria, i.LowerBound ?? false, i.Provisional ?? false, i.Stale ?? false,
                i.CausedByEventId, observations.Contains(i.CausedByEventId)),
            CtcaeCrsGradeChanged t => new GradeRecord(offset, t, code, t.NewGrade, t.RuleSet, t.Criteria, t.LowerBound, false, false,
                t.CausedByEventId, observations.Contains(t.CausedByEventId)),
            _ => throw new InvalidDataException($"{change.GetType().Name} is not a grade change"),
        };
    }
}

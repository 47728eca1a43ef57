using System.Globalization;
using System.Text.RegularExpressions;
using Hl7.Fhir.Model;
using Toxicity.Contracts.V1;
using Toxicity.Ingestion.Service.Requests;

namespace Toxicity.Ingestion.Service.Fhir;

/// <summary>
/// One vital-sign Observation to one <see cref="VitalSignsRecorded"/>, at the edge: no Firely type goes further.
/// The codes and units are those of CLINICAL-RULES.md §6.2 and ECOSYSTEM.md "Interoperability (Ingestion)"; any
/// other code or unit is refused by name. Limits are the JSON API's (<see cref="Limits"/>).
/// </summary>
internal static partial class ObservationReader
{
    public const string Loinc = "http://loinc.org";
    public const string Ucum = "http://unitsofmeasure.org";

    /// <summary>IEEE 11073-10101 (MDC) in FHIR, as the R4 vital-signs examples code it (e.g. 150456 beside 2708-6).</summary>
    public const string Mdc = "urn:iso:std:iso:11073:10101";

    /// <summary>LOINC 85353-1, the vital signs panel: no value of its own, its members in <c>hasMember</c>.</summary>
    public const string VitalSignsPanel = "85353-1";

    // LOINC 85354-9 groups systolic 8480-6 and diastolic 8462-4 as components and has no value of its own.
    private const string BloodPressurePanel = "85354-9";
    private const string Temperature = "8310-5";

    private static readonly ObservationStatus[] Accepted =
        [ObservationStatus.Final, ObservationStatus.Amended, ObservationStatus.Corrected, ObservationStatus.Preliminary];

    // Slot: the event field a code fills. 59408-5 (pulse oximetry) and 2708-6 (arterial) both fill SpO2, as wards
    // code one or both (ECOSYSTEM.md); 3151-8 and 3150-0 come as pulse-oximetry components or on their own.
    private static readonly Dictionary<string, Measure> Measures = new(StringComparer.Ordinal)
    {
        [Temperature] = new("body temperature", ["Cel", "[degF]"], "temperature", Limits.MinTemperatureC, Limits.MaxTemperatureC, Whole: false),
        ["8867-4"] = new("heart rate", ["/min"], "heartRate", Limits.MinHeartRate, Limits.MaxHeartRate, Whole: true),
        ["9279-1"] = new("respiratory rate", ["/min"], "respiratoryRate", Limits.MinRespiratoryRate, Limits.MaxRespiratoryRate, Whole: true),
        ["8480-6"] = new("systolic blood pressure", ["mm[Hg]"], "systolic", Limits.MinSystolic, Limits.MaxSystolic, Whole: true),
        ["8462-4"] = new("diastolic blood pressure", ["mm[Hg]"], "diastolic", Limits.MinDiastolic, Limits.MaxDiastolic, Whole: true),
        ["8478-0"] = new("mean arterial pressure", ["mm[Hg]"], "meanArterial", Limits.MinMeanArterial, Limits.MaxMeanArterial, Whole: true),
        ["59408-5"] = new("oxygen saturation by pulse oximetry", ["%"], "spO2", Limits.MinSpO2, Limits.MaxSpO2, Whole: true),
        ["2708-6"] = new("oxygen saturation in arterial blood", ["%"], "spO2", Limits.MinSpO2, Limits.MaxSpO2, Whole: true),
        ["3151-8"] = new("inhaled oxygen flow rate", ["L/min"], "oxygenFlow", 0, Limits.MaxOxygenFlow, Whole: false),
        ["3150-0"] = new("inhaled oxygen concentration", ["%"], "fio2", Limits.MinFio2, Limits.MaxFio2, Whole: false),
    };

    private static readonly string AcceptedCodes = string.Join(", ", Measures.Keys.Prepend(BloodPressurePanel));

    // An MDC code fills the slot of the first LOINC code of that measure (docs/hl7v2.md lists the MDC codes and their sources).
    private static readonly Dictionary<string, string> LoincOfMdc = Hl7v2.Hl7Codes.All.Where(c => c.System == Hl7v2.Hl7Codes.Mdc)
        .ToDictionary(c => c.Code, c => Measures.First(m => m.Value.Slot == c.Measure.Slot).Key, StringComparer.Ordinal);

    public static bool IsVitalSignsPanel(Observation observation) =>
        observation.Code?.Coding.Any(c => c.System == Loinc && c.Code == VitalSignsPanel) == true;

    [GeneratedRegex("^Patient/(?<id>[^/]+)$")]
    private static partial Regex PatientReference();

    // A dateTime to the minute at least, with its offset: a date alone or a local time cannot be placed in time.
    [GeneratedRegex(@"T\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$")]
    private static partial Regex TimeWithOffset();

    /// <summary>The event, or null with the issues (400) added, each naming an element under <paramref name="at"/>.</summary>
    public static VitalSignsRecorded? Read(Observation observation, string at, Guid eventId, DateTimeOffset now, List<FhirIssue> issues)
    {
        var before = issues.Count;
        CheckStatus(observation, at, issues);

        var patientId = PatientId(observation.Subject, at, issues);
        var observedAt = Effective(observation.Effective, at, now, issues);
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        var code = Code(observation.Code, $"{at}.code", issues);
        if (code == BloodPressurePanel)
        {
            if (observation.Value is not null)
            {
                Bad(issues, $"{at}.value", $"LOINC {BloodPressurePanel} (blood pressure panel) carries its values in components 8480-6 and 8462-4, not in value[x].");
            }

            if (observation.Component.Count == 0)
            {
                Bad(issues, $"{at}.component", $"LOINC {BloodPressurePanel} (blood pressure panel) needs a component 8480-6 (systolic) and/or 8462-4 (diastolic).");
            }
        }
        else if (code is not null && !(observation.Value is null && observation.DataAbsentReason is not null))
        {
            Value(code, observation.Value, $"{at}.value", values, issues);
        }

        for (var i = 0; i < observation.Component.Count; i++)
        {
            var component = observation.Component[i];
            var path = $"{at}.component[{i}]";
            if (Code(component.Code, $"{path}.code", issues) is { } componentCode)
            {
                if (componentCode == BloodPressurePanel)
                {
                    Bad(issues, $"{path}.code", $"LOINC {BloodPressurePanel} is a panel, not a component.");
                }
                else if (!(component.Value is null && component.DataAbsentReason is not null))
                {
                    // A component without its value (dataAbsentReason, e.g. the diastolic not measured) records nothing.
                    Value(componentCode, component.Value, $"{path}.value", values, issues);
                }
            }
        }

        if (values.TryGetValue("systolic", out var systolic) && values.TryGetValue("diastolic", out var diastolic) && diastolic >= systolic)
        {
            Bad(issues, at, $"The diastolic pressure ({diastolic}) must be lower than the systolic ({systolic}).");
        }

        if (issues.Count > before || patientId is null || observedAt is null)
        {
            return null;
        }

        if (values.Count == 0)
        {
            issues.Add(new FhirIssue(StatusCodes.Status422UnprocessableEntity, $"{at}.dataAbsentReason",
                "Nothing to record: every value is absent (dataAbsentReason). A missing reading is simply not sent."));
            return null;
        }

        return new VitalSignsRecorded(eventId, patientId, observedAt.Value, now,
            TemperatureC: Get(values, "temperature"),
            HeartRatePerMin: Whole(values, "heartRate"),
            RespiratoryRatePerMin: Whole(values, "respiratoryRate"),
            SystolicMmHg: Whole(values, "systolic"),
            DiastolicMmHg: Whole(values, "diastolic"),
            SpO2Percent: Whole(values, "spO2"),
            MeanArterialMmHg: Whole(values, "meanArterial"),
            OxygenFlowLPerMin: Get(values, "oxygenFlow"),
            Fio2Percent: Get(values, "fio2"));
    }

    /// <summary>An Observation recorded here is final, amended, corrected or preliminary (vital signs and neuro assessments alike).</summary>
    public static void CheckStatus(Observation observation, string at, List<FhirIssue> issues)
    {
        if (observation.Status is not { } status || !Accepted.Contains(status))
        {
            Bad(issues, $"{at}.status", "status must be final, amended, corrected or preliminary"
                + (observation.Status is { } other ? $"; got {other.ToString().ToLowerInvariant()}." : "."));
        }
    }

    private static string? PatientId(ResourceReference? subject, string at, List<FhirIssue> issues)
    {
        // The reference is not echoed back: a sender may have put a name in it.
        if (subject?.Reference is { } reference && PatientReference().Match(reference) is { Success: true } match && Common.IsPatientId(match.Groups["id"].Value))
        {
            return match.Groups["id"].Value;
        }

        Bad(issues, $"{at}.subject", "subject.reference must be Patient/{id} with a pseudonymous id of 1-64 letters, digits, '.', '_' or '-' (never a name).");
        return null;
    }

    private static DateTimeOffset? Effective(DataType? effective, string at, DateTimeOffset now, List<FhirIssue> issues)
    {
        DateTimeOffset? observedAt = effective switch
        {
            FhirDateTime { Value: { } text } when TimeWithOffset().IsMatch(text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture),
            Instant { Value: { } instant } => instant,
            _ => null,
        };
        if (observedAt is null)
        {
            Bad(issues, $"{at}.effective", "effectiveDateTime (with a time and its offset, e.g. 2026-11-25T10:30:00+01:00) or effectiveInstant is required.");
        }
        else if (observedAt > now + Common.FutureSkew)
        {
            // Issue 5: more than 5 minutes ahead is a wrong clock, not an observation.
            Bad(issues, $"{at}.effective", $"The effective time is more than 5 minutes in the future ({observedAt:O}); check the sender's clock.");
            return null;
        }

        return observedAt;
    }

    /// <summary>
    /// The one measurement a CodeableConcept names, by LOINC and/or MDC (59408-5 and 2708-6 together count as one; an
    /// MDC coding must name the same measurement as the LOINC beside it), as the LOINC code of <see cref="Measures"/>.
    /// </summary>
    private static string? Code(CodeableConcept? concept, string path, List<FhirIssue> issues)
    {
        var loinc = concept?.Coding.Where(c => c.System == Loinc).Select(c => c.Code).OfType<string>().ToList() ?? [];
        var mdc = concept?.Coding.Where(c => c.System == Mdc).Select(c => c.Code).OfType<string>().ToList() ?? [];
        var known = loinc.Where(c => c == BloodPressurePanel || Measures.ContainsKey(c))
            .Concat(mdc.Select(c => LoincOfMdc.GetValueOrDefault(c)).OfType<string>()).ToList();
        if (known.Count == 0)
        {
            Bad(issues, path, loinc.Count + mdc.Count == 0
                ? $"A LOINC coding (system {Loinc}) or an IEEE 11073-10101 one (system {Mdc}) is required; accepted LOINC codes: {AcceptedCodes} (MDC codes: docs/hl7v2.md)."
                : $"{string.Join(", ", loinc.Select(c => $"LOINC {c}").Concat(mdc.Select(c => $"MDC {c}")))} is not a vital sign this service takes; accepted LOINC codes: {AcceptedCodes} (MDC codes: docs/hl7v2.md).");
            return null;
        }

        if (known.Select(c => Measures.TryGetValue(c, out var m) ? m.Slot : c).Distinct(StringComparer.Ordinal).Count() > 1)
        {
            Bad(issues, path, $"The code names more than one measurement ({string.Join(", ", loinc.Concat(mdc))}): send one Observation, or components, per measurement.");
            return null;
        }

        return known[0];
    }

    private static void Value(string code, DataType? value, string path, Dictionary<string, double> values, List<FhirIssue> issues)
    {
        var measure = Measures[code];
        if (value is not Quantity { Value: { } number } quantity)
        {
            Bad(issues, path, $"LOINC {code} ({measure.Name}) needs a valueQuantity with a value.");
            return;
        }

        if (quantity.System != Ucum || quantity.Code is null || !measure.Units.Contains(quantity.Code))
        {
            Bad(issues, $"{path}.code", $"LOINC {code} ({measure.Name}) takes the UCUM unit {string.Join(" or ", measure.Units)} (system {Ucum}); got "
                + (quantity.Code is null ? "no unit code" : $"'{quantity.Code}'") + (quantity.System == Ucum ? "." : $" in system '{quantity.System}'."));
            return;
        }

        if (quantity.Comparator is not null)
        {
            Bad(issues, $"{path}.comparator", $"LOINC {code} ({measure.Name}) must be a measured value, without a comparator.");
            return;
        }

        if (values.ContainsKey(measure.Slot))
        {
            Bad(issues, path, $"The {measure.Name} is sent twice in this Observation.");
            return;
        }

        var v = (double)number;
        if (code == Temperature)
        {
            if (VitalSignsRequest.ToCelsius(v, quantity.Code, out var error) is { } celsius)
            {
                values[measure.Slot] = celsius;
            }
            else
            {
                Bad(issues, $"{path}.value", error!);
            }
        }
        else if (measure.Whole && v != Math.Floor(v))
        {
            Bad(issues, $"{path}.value", $"The {measure.Name} must be a whole number of {quantity.Code}; got {v}.");
        }
        else if (v < measure.Min || v > measure.Max)
        {
            Bad(issues, $"{path}.value", $"The {measure.Name} must be between {measure.Min} and {measure.Max} {quantity.Code}; got {v}.");
        }
        else
        {
            values[measure.Slot] = v;
        }
    }

    private static double? Get(Dictionary<string, double> values, string slot) => values.TryGetValue(slot, out var v) ? v : null;

    private static int? Whole(Dictionary<string, double> values, string slot) => values.TryGetValue(slot, out var v) ? (int)v : null;

    private static void Bad(List<FhirIssue> issues, string expression, string message) =>
        issues.Add(new FhirIssue(StatusCodes.Status400BadRequest, expression, message));

    private sealed record Measure(string Name, string[] Units, string Slot, double Min, double Max, bool Whole);
}

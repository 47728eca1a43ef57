using System.Globalization;
using Toxicity.Contracts.V1;
using Toxicity.Ingestion.Service.Requests;

namespace Toxicity.Ingestion.Service.Hl7v2;

/// <summary>What an ORU^R01 message says: its vital signs as events, or the errors that refuse it, and the warnings of what was left out.</summary>
internal sealed record OruContent(IReadOnlyList<VitalSignsRecorded> Events, IReadOnlyList<Hl7Problem> Errors, IReadOnlyList<Hl7Problem> Warnings);

/// <summary>
/// Reads the observations of an ORU^R01 (HL7 2.3-2.6, IHE PCD-01): each PID starts a patient, each OBR an
/// observation group, and each group's OBX readings (codes and units of <see cref="Hl7Codes"/>) become one
/// <see cref="VitalSignsRecorded"/> per observation time (OBX-14, else OBR-7). Bad content is an error naming its
/// segment and field; an OBX whose code is not a vital sign taken here, or whose status says it is no result, is a
/// warning and is left out. Pure: the caller checks admission and publishes.
/// </summary>
internal static class OruReader
{
    // HL7 table 0085 (observation result status): recorded are final, corrected, not yet verified, preliminary and
    // partial results. X (cannot be obtained), D (delete), W (wrong, e.g. the wrong patient), N, O, I and U
    // carry no reading of this patient: left out, with a warning.
    private const string RecordedStatuses = "FCRPS";

    public static OruContent Read(Er7Message message, MllpOptions options, DateTimeOffset now, Func<Guid> nextEventId)
    {
        var errors = new List<Hl7Problem>();
        var warnings = new List<Hl7Problem>();
        var events = new List<VitalSignsRecorded>();
        var zone = options.TimeZone is { Length: > 0 } id ? TimeZoneInfo.FindSystemTimeZoneById(id) : null;

        string? patientId = null;
        Er7Segment? obr = null;
        var readings = new List<Reading>();

        void CloseGroup()
        {
            if (patientId is not null && readings.Count > 0)
            {
                events.AddRange(Group(patientId, readings, now, nextEventId, errors, warnings));
            }

            readings.Clear();
        }

        foreach (var segment in message.Segments)
        {
            switch (segment.Id)
            {
                case "PID":
                    CloseGroup();
                    obr = null;
                    patientId = PatientId(segment, options.AssigningAuthority, errors);
                    break;
                case "OBR":
                    CloseGroup();
                    obr = segment;
                    if (patientId is null && !errors.Any(e => e.Segment == "PID"))
                    {
                        errors.Add(new Hl7Problem("OBR", segment.Occurrence, 0, 0, ErrorCodes.SegmentSequence, "An OBR must follow a PID segment."));
                    }

                    break;
                case "OBX" when obr is null:
                    errors.Add(new Hl7Problem("OBX", segment.Occurrence, 0, 0, ErrorCodes.SegmentSequence, "An OBX must follow an OBR segment (its observation group)."));
                    break;
                case "OBX":
                    if (Observation(segment, obr, zone, now, errors, warnings) is { } reading)
                    {
                        readings.Add(reading);
                    }

                    break;
                default:
                    break; // MSH, SFT, PD1, NTE, NK1, PV1, PV2, ORC, TQ1, SPM …: nothing a grade needs
            }
        }

        CloseGroup();
        if (!message.Segments.Any(s => s.Id == "PID"))
        {
            errors.Add(new Hl7Problem("PID", 1, 0, 0, ErrorCodes.RequiredFieldMissing, "The message has no PID segment: whose observations are these?"));
        }
        else if (errors.Count == 0 && events.Count == 0)
        {
            errors.Add(new Hl7Problem("OBX", 1, 3, 1, ErrorCodes.RequiredFieldMissing,
                "The message has no vital sign this service takes (see docs/hl7v2.md for the codes)."));
        }

        return errors.Count > 0 ? new OruContent([], [.. errors.Distinct()], warnings) : new OruContent(events, errors, warnings);
    }

    /// <summary>The PID-3 identifier whose assigning authority (CX-4, namespace or universal id) is the configured one.</summary>
    private static string? PatientId(Er7Segment pid, string assigningAuthority, List<Hl7Problem> errors)
    {
        for (var repetition = 1; repetition <= pid.Repetitions(3); repetition++)
        {
            var authority = pid.Get(3, 4, 1, repetition);
            var universal = pid.Get(3, 4, 2, repetition);
            if (!string.Equals(authority, assigningAuthority, StringComparison.Ordinal) && !string.Equals(universal, assigningAuthority, StringComparison.Ordinal))
            {
                continue;
            }

            // The id is never echoed back or logged: a sender may have put something else in it.
            var id = pid.Get(3, 1, 1, repetition);
            if (Common.IsPatientId(id))
            {
                return id;
            }

            errors.Add(new Hl7Problem("PID", pid.Occurrence, 3, 1, ErrorCodes.DataType,
                $"The PID-3 identifier of assigning authority {assigningAuthority} must be a pseudonymous id of 1-64 letters, digits, '.', '_' or '-'.", Repetition: repetition));
            return null;
        }

        errors.Add(new Hl7Problem("PID", pid.Occurrence, 3, 4, ErrorCodes.RequiredFieldMissing,
            $"PID-3 has no identifier with assigning authority {assigningAuthority} (the pseudonymous id this service knows patients by)."));
        return null;
    }

    /// <summary>One OBX as a reading, or null (with a warning when it is left out, an error when it is bad).</summary>
    private static Reading? Observation(Er7Segment obx, Er7Segment obr, TimeZoneInfo? zone, DateTimeOffset now, List<Hl7Problem> errors, List<Hl7Problem> warnings)
    {
        var value = obx.Get(5);
        var code = Hl7Codes.Find(obx, out var codeProblem);
        if (codeProblem is not null)
        {
            errors.Add(codeProblem);
            return null;
        }

        if (code is null)
        {
            // Device, channel and other containment rows of a PCD-01 message carry no value: not worth a warning.
            if (value.Length > 0)
            {
                warnings.Add(new Hl7Problem("OBX", obx.Occurrence, 3, 1, ErrorCodes.TableValueNotFound,
                    $"OBX-3 {Describe(obx)} is not a vital sign this service takes: left out.", 'W'));
            }

            return null;
        }

        var status = obx.Get(11);
        if (status.Length == 0)
        {
            errors.Add(new Hl7Problem("OBX", obx.Occurrence, 11, 1, ErrorCodes.RequiredFieldMissing, "OBX-11 (observation result status) is required."));
            return null;
        }

        if (status.Length != 1 || !RecordedStatuses.Contains(status[0], StringComparison.Ordinal))
        {
            warnings.Add(new Hl7Problem("OBX", obx.Occurrence, 11, 1, ErrorCodes.TableValueNotFound,
                $"OBX-11 status {status} is not a result of this patient to record (recorded: F, C, R, P, S): {code.Measure.Name} left out.", 'W'));
            return null;
        }

        if (value.Length == 0)
        {
            errors.Add(new Hl7Problem("OBX", obx.Occurrence, 5, 1, ErrorCodes.RequiredFieldMissing, $"OBX-5 has no value for {code.Measure.Name} with status {status}."));
            return null;
        }

        if (obx.Get(2) != "NM")
        {
            errors.Add(new Hl7Problem("OBX", obx.Occurrence, 2, 1, ErrorCodes.DataType, $"OBX-2 must be NM (numeric) for {code.Measure.Name}; got '{obx.Get(2)}'."));
            return null;
        }

        if (obx.Repetitions(5) > 1 || !double.TryParse(value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            errors.Add(new Hl7Problem("OBX", obx.Occurrence, 5, 1, ErrorCodes.DataType, $"OBX-5 must be one number for {code.Measure.Name}."));
            return null;
        }

        var unit = code.Measure.Unit(obx);
        if (unit is null)
        {
            errors.Add(new Hl7Problem("OBX", obx.Occurrence, 6, 1, ErrorCodes.TableValueNotFound,
                $"OBX-6 unit '{obx.Get(6)}' is not one {code.Measure.Name} takes: {code.Measure.UnitList}."));
            return null;
        }

        var observedAt = Time(obx, 14, zone, now, errors, required: false) ?? Time(obr, 7, zone, now, errors, required: true);
        if (observedAt is null)
        {
            return null;
        }

        if (code.Measure.Convert(number, unit, out var error) is not { } converted)
        {
            errors.Add(new Hl7Problem("OBX", obx.Occurrence, 5, 1, ErrorCodes.DataType, error!));
            return null;
        }

        return new Reading(obx, code, converted, observedAt.Value);
    }

    /// <summary>A DTM (YYYYMMDDHHMM[SS[.S…]][+/-ZZZZ]) to the minute at least, with its offset or the configured time zone's.</summary>
    private static DateTimeOffset? Time(Er7Segment segment, int field, TimeZoneInfo? zone, DateTimeOffset now, List<Hl7Problem> errors, bool required)
    {
        var text = segment.Get(field);
        if (text.Length == 0)
        {
            if (required)
            {
                errors.Add(new Hl7Problem(segment.Id, segment.Occurrence, field, 1, ErrorCodes.RequiredFieldMissing,
                    "The observation has no time: OBX-14 or OBR-7 (observation date/time) is required."));
            }

            return null;
        }

        if (Hl7Time.Parse(text, zone) is not { } at)
        {
            errors.Add(new Hl7Problem(segment.Id, segment.Occurrence, field, 1, ErrorCodes.DataType, zone is null
                ? $"{segment.Id}-{field} must be a time to the minute at least with its UTC offset (YYYYMMDDHHMM[SS][+/-ZZZZ]); got '{text}'."
                : $"{segment.Id}-{field} must be a time to the minute at least (YYYYMMDDHHMM[SS][+/-ZZZZ]); got '{text}'."));
            return null;
        }

        if (at > now + Common.FutureSkew)
        {
            errors.Add(new Hl7Problem(segment.Id, segment.Occurrence, field, 1, ErrorCodes.DataType,
                $"{segment.Id}-{field} is more than 5 minutes in the future ({at:O}); check the sender's clock."));
            return null;
        }

        return at;
    }

    /// <summary>The readings of one observation group as one event per observation time.</summary>
    private static IEnumerable<VitalSignsRecorded> Group(string patientId, List<Reading> readings, DateTimeOffset now, Func<Guid> nextEventId, List<Hl7Problem> errors, List<Hl7Problem> warnings)
    {
        foreach (var moment in readings.GroupBy(r => r.At).OrderBy(g => g.Key))
        {
            var slots = new Dictionary<string, Reading>(StringComparer.Ordinal);
            foreach (var reading in moment)
            {
                var measure = reading.Code.Measure;
                if (!slots.TryGetValue(measure.Slot, out var held) || reading.Code.Rank < held.Code.Rank)
                {
                    slots[measure.Slot] = reading;
                }
                else if (reading.Code.Rank == held.Code.Rank && reading.Value != held.Value)
                {
                    // Two readings of one rank for one time (a monitor's two temperature channels): the worse is kept.
                    var (kept, left) = measure.Worse(reading.Value, held.Value) ? (reading, held) : (held, reading);
                    slots[measure.Slot] = kept;
                    warnings.Add(new Hl7Problem("OBX", left.Obx.Occurrence, 5, 1, ErrorCodes.DataType,
                        $"Two values of the {measure.Name} for one time (OBX {held.Obx.Occurrence} and {reading.Obx.Occurrence}): the worse, {kept.Value}, was recorded.", 'W'));
                }
            }

            double? Get(string slot) => slots.TryGetValue(slot, out var r) ? r.Value : null;
            int? Whole(string slot) => slots.TryGetValue(slot, out var r) ? (int)Math.Round(r.Value, MidpointRounding.AwayFromZero) : null;

            if (Whole(Hl7Codes.Systolic) is { } systolic && Whole(Hl7Codes.Diastolic) is { } diastolic && diastolic >= systolic)
            {
                errors.Add(new Hl7Problem("OBX", slots[Hl7Codes.Diastolic].Obx.Occurrence, 5, 1, ErrorCodes.DataType,
                    $"The diastolic pressure ({diastolic}) must be lower than the systolic ({systolic})."));
            }

            yield return new VitalSignsRecorded(nextEventId(), patientId, moment.Key, now,
                TemperatureC: Get(Hl7Codes.Temperature),
                HeartRatePerMin: Whole(Hl7Codes.HeartRate),
                RespiratoryRatePerMin: Whole(Hl7Codes.RespiratoryRate),
                SystolicMmHg: Whole(Hl7Codes.Systolic),
                DiastolicMmHg: Whole(Hl7Codes.Diastolic),
                SpO2Percent: Whole(Hl7Codes.SpO2),
                MeanArterialMmHg: Whole(Hl7Codes.MeanArterial),
                OxygenFlowLPerMin: Get(Hl7Codes.OxygenFlow),
                Fio2Percent: Get(Hl7Codes.Fio2));
        }
    }

    /// <summary>An OBX-3 as code and coding system only: the text beside it is not echoed (it may be free text).</summary>
    private static string Describe(Er7Segment obx) =>
        obx.Get(3, 3) is { Length: > 0 } system ? $"{obx.Get(3, 1)} ({system})" : obx.Get(3, 1);

    private sealed record Reading(Er7Segment Obx, Hl7Code Code, double Value, DateTimeOffset At);
}

/// <summary>HL7 v2 DTM: YYYY[MM[DD[HH[MM[SS[.S[S[S[S]]]]]]]]][+/-ZZZZ], read here only to the minute or finer.</summary>
internal static class Hl7Time
{
    public static DateTimeOffset? Parse(string text, TimeZoneInfo? zone)
    {
        var sign = text.IndexOfAny(['+', '-']);
        var local = sign < 0 ? text : text[..sign];
        var offsetText = sign < 0 ? null : text[sign..];
        var fraction = local.IndexOf('.', StringComparison.Ordinal);
        var whole = fraction < 0 ? local : local[..fraction];
        if (whole.Length is not (12 or 14) || !whole.All(char.IsAsciiDigit)
            || fraction >= 0 && (local.Length - fraction - 1 is < 1 or > 4 || !local[(fraction + 1)..].All(char.IsAsciiDigit) || whole.Length != 14))
        {
            return null;
        }

        if (!DateTime.TryParseExact(whole, whole.Length == 12 ? "yyyyMMddHHmm" : "yyyyMMddHHmmss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var dateTime))
        {
            return null;
        }

        if (fraction >= 0)
        {
            dateTime = dateTime.AddTicks((long)(double.Parse("0" + local[fraction..], CultureInfo.InvariantCulture) * TimeSpan.TicksPerSecond));
        }

        if (offsetText is null)
        {
            return zone is null ? null : new DateTimeOffset(dateTime, zone.GetUtcOffset(dateTime));
        }

        if (offsetText.Length != 5 || !offsetText[1..].All(char.IsAsciiDigit))
        {
            return null;
        }

        var hours = int.Parse(offsetText.AsSpan(1, 2), CultureInfo.InvariantCulture);
        var minutes = int.Parse(offsetText.AsSpan(3, 2), CultureInfo.InvariantCulture);
        if (hours > 14 || minutes > 59)
        {
            return null;
        }

        var offset = new TimeSpan(hours, minutes, 0);
        return new DateTimeOffset(dateTime, offsetText[0] == '-' ? -offset : offset);
    }

    public static string Format(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyyMMddHHmmss.fff", CultureInfo.InvariantCulture) + "+0000";
}

using System.Text.Json;
using Toxicity.Contracts;
using Toxicity.Contracts.V1;
using Toxicity.Grading;
using Toxicity.Hosting;

namespace Toxicity.Ingestion.Service.Requests;

/// <summary>
/// <c>POST /api/v1/vital-signs</c>. Every limit below is a physiological-plausibility bound, a project convention
/// documented in docs/ingestion-validation.md: values outside it are data-entry or unit errors, not patients.
/// </summary>
internal static class VitalSignsRequest
{
    public static readonly string[] Fields =
    [
        "patientId", "observedAt", "temperature", "heartRate", "respiratoryRate", "systolicMmHg", "diastolicMmHg",
        "meanArterialMmHg", "spO2Percent", "oxygen", "vasopressors", "fluidBolusGiven", "hypotensive",
    ];

    private static readonly string[] Measured = [.. Fields.Except(["patientId", "observedAt"])];
    private static readonly string[] TemperatureFields = ["value", "unit"];
    private static readonly string[] OxygenFields = ["device", "flowLPerMin", "fio2Percent"];
    private static readonly string[] VasopressorFields = ["drug", "dose", "unit"];

    /// <summary>Vasopressors by name; vasopressin is told apart (CLINICAL-RULES.md C-CRS-4).</summary>
    public static readonly string[] VasopressorDrugs = ["norepinephrine", "epinephrine", "phenylephrine", "dopamine", "vasopressin"];

    /// <summary>UCUM units of an infusion rate.</summary>
    public static readonly string[] VasopressorUnits = ["ug/kg/min", "ug/min", "U/min", "mg/h"];

    public const string Vasopressin = "vasopressin";

    public static IReadOnlyList<IPatientEvent>? Read(JsonElement body, EventIdSource ids, DateTimeOffset now, Dictionary<string, string[]> errors)
    {
        var fields = new JsonFields(body, errors);
        fields.RejectUnknown(Fields);
        var patientId = Common.PatientId(fields);
        var observedAt = Common.ClinicalTime(fields, "observedAt", now);
        if (!Measured.Any(fields.Has))
        {
            errors["$"] = [$"At least one measurement is required: {string.Join(", ", Measured)}."];
        }

        var temperature = fields.Object("temperature") is { } t ? Temperature(t) : null;
        var systolic = fields.Integer("systolicMmHg", Limits.MinSystolic, Limits.MaxSystolic, " mmHg");
        var diastolic = fields.Integer("diastolicMmHg", Limits.MinDiastolic, Limits.MaxDiastolic, " mmHg");
        if (systolic is { } s && diastolic is { } d && d >= s)
        {
            fields.Fail("diastolicMmHg", $"diastolicMmHg ({d}) must be lower than systolicMmHg ({s}).");
        }

        var (device, flow, fio2) = fields.Object("oxygen") is { } o ? Oxygen(o) : (null, null, null);
        var vasopressors = fields.Objects("vasopressors", 8) is { } v ? Vasopressors(v) : null;

        var recorded = new VitalSignsRecorded(
            ids.Next(), patientId ?? string.Empty, observedAt ?? now, now,
            TemperatureC: temperature,
            HeartRatePerMin: fields.Integer("heartRate", Limits.MinHeartRate, Limits.MaxHeartRate, " /min"),
            RespiratoryRatePerMin: fields.Integer("respiratoryRate", Limits.MinRespiratoryRate, Limits.MaxRespiratoryRate, " /min"),
            SystolicMmHg: systolic,
            DiastolicMmHg: diastolic,
            SpO2Percent: fields.Integer("spO2Percent", Limits.MinSpO2, Limits.MaxSpO2, " %"),
            MeanArterialMmHg: fields.Integer("meanArterialMmHg", Limits.MinMeanArterial, Limits.MaxMeanArterial, " mmHg"),
            OxygenDevice: device,
            OxygenFlowLPerMin: flow,
            Fio2Percent: fio2,
            Hypotensive: fields.Bool("hypotensive"),
            FluidBolusGiven: fields.Bool("fluidBolusGiven"),
            Vasopressors: vasopressors);
        return errors.Count == 0 ? [recorded] : null;
    }

    /// <summary>°C or °F (UCUM <c>Cel</c>, <c>[degF]</c>), to °C; a value that only makes sense in the other unit is refused.</summary>
    public static double? Temperature(JsonFields temperature)
    {
        temperature.RejectUnknown(TemperatureFields);
        temperature.Require("value");
        temperature.Require("unit");
        var value = temperature.Number("value", double.MinValue, double.MaxValue);
        var unit = temperature.Code("unit", ["Cel", "[degF]"]);
        if (value is not { } v || unit is null)
        {
            return null;
        }

        return ToCelsius(v, unit, temperature);
    }

    public static double? ToCelsius(double value, string unit, JsonFields report)
    {
        var celsius = ToCelsius(value, unit, out var error);
        if (error is not null)
        {
            report.Fail("value", error);
        }

        return celsius;
    }

    /// <summary>
    /// <c>Cel</c> or <c>[degF]</c> to °C within <see cref="Limits"/>; otherwise null and why (CLINICAL-RULES.md §6.2:
    /// reject °F sent as °C). Shared by the JSON API and FHIR (LOINC 8310-5).
    /// </summary>
    public static double? ToCelsius(double value, string unit, out string? error)
    {
        error = null;
        var celsius = unit == "Cel" ? value : (value - 32.0) * 5.0 / 9.0;
        if (celsius is >= Limits.MinTemperatureC and <= Limits.MaxTemperatureC)
        {
            return Math.Round(celsius, 2);
        }

        var other = unit == "Cel" ? (value - 32.0) * 5.0 / 9.0 : value;
        error = other is >= Limits.MinTemperatureC and <= Limits.MaxTemperatureC
            ? $"{value} {unit} is not a body temperature, but it would be in {(unit == "Cel" ? "°F ([degF])" : "°C (Cel)")}: check the unit."
            : $"A body temperature must lie between {Limits.MinTemperatureC} and {Limits.MaxTemperatureC} °C; got {value} {unit}.";
        return null;
    }

    private static (string? Device, double? Flow, double? Fio2) Oxygen(JsonFields oxygen)
    {
        oxygen.RejectUnknown(OxygenFields);
        oxygen.Require("device");
        var device = oxygen.Enum<OxygenSupport>("device");
        var flow = oxygen.Number("flowLPerMin", 0, Limits.MaxOxygenFlow, " L/min");
        var fio2 = oxygen.Number("fio2Percent", Limits.MinFio2, Limits.MaxFio2, " %");
        if (device == OxygenSupport.None && (flow > 0 || fio2 > Limits.MinFio2))
        {
            oxygen.Fail("device", "oxygen.device is 'none' but a flow or an FiO₂ above room air was sent.");
        }

        return (device is { } d ? JsonNamingPolicy.CamelCase.ConvertName(d.ToString()) : null, flow, fio2);
    }

    private static IReadOnlyList<VasopressorInfusion> Vasopressors(IReadOnlyList<JsonFields> items)
    {
        var infusions = new List<VasopressorInfusion>(items.Count);
        foreach (var item in items)
        {
            item.RejectUnknown(VasopressorFields);
            item.Require("drug");
            item.Require("dose");
            item.Require("unit");
            var drug = item.Code("drug", VasopressorDrugs);
            var dose = item.Number("dose", 0, double.MaxValue);
            var unit = item.Code("unit", VasopressorUnits);
            if (dose == 0)
            {
                item.Fail("dose", $"{item.Path("dose")} must be above 0: list only vasopressors that are running.");
            }

            if (drug is not null && dose is > 0 && unit is not null)
            {
                infusions.Add(new VasopressorInfusion(drug, dose.Value, unit, drug == Vasopressin));
            }
        }

        return infusions;
    }
}

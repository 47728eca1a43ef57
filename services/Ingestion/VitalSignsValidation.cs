using System.Text.RegularExpressions;

namespace Toxicity.Ingestion.Service;

/// <summary>
/// Checks a vital-signs post and converts it to SI units. Returns every bad field at once, keyed by its JSON
/// path, for an RFC 9457 validation problem. The full rule set (limits per vital sign, the FHIR mapping) is
/// issue 5; this covers what the walking skeleton publishes.
/// </summary>
internal static partial class VitalSignsValidation
{
    // Clock skew tolerated for observedAt in the future (issue 5).
    private static readonly TimeSpan FutureSkew = TimeSpan.FromMinutes(5);

    // A body temperature outside 25-45 °C is not physiologically possible in a living ward patient
    // (the bounds issue 4 uses for the grading calculator).
    private const double MinTemperatureC = 25.0;
    private const double MaxTemperatureC = 45.0;

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex PseudonymousId();

    public static Dictionary<string, string[]> Validate(VitalSignsRequest request, DateTimeOffset now, out double? temperatureC)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        temperatureC = null;

        if (string.IsNullOrWhiteSpace(request.PatientId))
        {
            errors["patientId"] = ["patientId is required."];
        }
        else if (!PseudonymousId().IsMatch(request.PatientId))
        {
            errors["patientId"] = ["patientId must be a pseudonymous id of 1-64 letters, digits, '.', '_' or '-' (never a name)."];
        }

        if (request.ObservedAt is not { } observedAt)
        {
            errors["observedAt"] = ["observedAt is required (ISO 8601 with an offset)."];
        }
        else if (observedAt > now + FutureSkew)
        {
            errors["observedAt"] = ["observedAt is more than 5 minutes in the future."];
        }

        if (request.Temperature is { } temperature)
        {
            temperatureC = ToCelsius(temperature, errors);
        }

        if (request.Temperature is null && request.HeartRate is null && request.RespiratoryRate is null
            && request.SystolicMmHg is null && request.DiastolicMmHg is null && request.SpO2Percent is null)
        {
            errors["$"] = ["At least one vital sign is required."];
        }

        return errors;
    }

    private static double? ToCelsius(Measurement temperature, Dictionary<string, string[]> errors)
    {
        if (temperature.Value is not { } value || !double.IsFinite(value))
        {
            errors["temperature.value"] = ["temperature.value is required."];
            return null;
        }

        double celsius;
        switch (temperature.Unit)
        {
            case "Cel":
                celsius = value;
                break;
            case "[degF]":
                celsius = (value - 32.0) * 5.0 / 9.0;
                break;
            default:
                errors["temperature.unit"] = ["temperature.unit must be the UCUM unit 'Cel' or '[degF]'."];
                return null;
        }

        if (celsius is < MinTemperatureC or > MaxTemperatureC)
        {
            errors["temperature.value"] = [$"temperature must lie between {MinTemperatureC} and {MaxTemperatureC} °C; check the unit."];
            return null;
        }

        return Math.Round(celsius, 2);
    }
}

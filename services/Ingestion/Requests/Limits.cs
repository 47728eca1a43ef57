namespace Toxicity.Ingestion.Service.Requests;

/// <summary>
/// Physiological-plausibility limits for ward input: project conventions, not clinical thresholds (they never
/// grade anything). A value outside them is a data-entry or unit error. Each is listed, with its reason, in
/// docs/ingestion-validation.md; clinical sign-off pending like every C-… convention.
/// </summary>
internal static class Limits
{
    // Issue 4 and 5: body temperature 25-45 °C (below: not a living ward patient; above: not survivable).
    public const double MinTemperatureC = 25.0;
    public const double MaxTemperatureC = 45.0;

    public const int MinHeartRate = 20;
    public const int MaxHeartRate = 300;
    public const int MinRespiratoryRate = 2;
    public const int MaxRespiratoryRate = 80;
    public const int MinSystolic = 30;
    public const int MaxSystolic = 300;
    public const int MinDiastolic = 10;
    public const int MaxDiastolic = 200;
    public const int MinMeanArterial = 20;
    public const int MaxMeanArterial = 250;

    // Pulse oximetry does not read reliably below about 50 %.
    public const int MinSpO2 = 50;
    public const int MaxSpO2 = 100;

    // High-flow systems deliver up to 60-80 L/min.
    public const double MaxOxygenFlow = 80.0;

    // Physics: inspired oxygen is at least room air (21 %) and at most 100 %.
    public const double MinFio2 = 21.0;
    public const double MaxFio2 = 100.0;

    public const double MaxAgeYears = 130.0;
    public const double MinWeightKg = 0.3;
    public const double MaxWeightKg = 400.0;
    public const double MinHeightCm = 20.0;
    public const double MaxHeightCm = 260.0;
    public const double MinBodySurfaceAreaM2 = 0.1;
    public const double MaxBodySurfaceAreaM2 = 4.0;

    // CLINICAL-RULES.md §2.1 and §2.4: ICE 0-10 (objects 0-3), CAPD 0-32.
    public const int MaxIce = 10;
    public const int MaxNamedObjects = 3;
    public const int MaxCapd = 32;
}

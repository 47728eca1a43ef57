using Toxicity.Ingestion.Service.Requests;

namespace Toxicity.Ingestion.Service.Hl7v2;

/// <summary>A unit an OBX-6 may carry: its UCUM code, its IEEE 11073-10101 code and reference id, and the factor to the measure's own unit.</summary>
internal sealed record Hl7Unit(string Ucum, int? MdcCode, string? MdcRefId, double Factor = 1.0, string[]? UcumAliases = null)
{
    public bool Matches(string code, string text, string system)
    {
        var isUcum = system is "UCUM" or "" && (code == Ucum || UcumAliases?.Contains(code, StringComparer.Ordinal) == true);
        var isMdc = system is "MDC" or "" && (MdcCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) == code || (MdcRefId is not null && (code == MdcRefId || code.Length == 0 && text == MdcRefId)));
        return isUcum || isMdc;
    }
}

/// <summary>
/// A vital sign as the event holds it: the slot it fills, its plausible range in its own unit
/// (docs/ingestion-validation.md), the units taken, and which way is worse (of two readings for one time, the worse
/// is kept: missing or conflicting data never lowers a grade, CLINICAL-RULES.md §8).
/// </summary>
internal sealed record Hl7Measure(string Slot, string Name, double Min, double Max, bool HigherIsWorse, Hl7Unit[] Units)
{
    public bool Worse(double candidate, double held) => HigherIsWorse ? candidate > held : candidate < held;

    public string UnitList => string.Join(", ", Units.Select(u => u.MdcRefId is null ? u.Ucum : $"{u.Ucum} or {u.MdcCode}^{u.MdcRefId}^MDC"));

    /// <summary>The OBX-6 unit among <see cref="Units"/> (code, then text, then coding system), or null.</summary>
    public Hl7Unit? Unit(Er7Segment obx)
    {
        var (code, text, system) = (obx.Get(6, 1), obx.Get(6, 2), obx.Get(6, 3));
        return Units.FirstOrDefault(u => u.Matches(code, text, system))
            ?? Units.FirstOrDefault(u => u.Matches(obx.Get(6, 4), obx.Get(6, 5), obx.Get(6, 6)));
    }

    /// <summary>The value in the measure's own unit within its range, or null and why.</summary>
    public double? Convert(double value, Hl7Unit unit, out string? error)
    {
        if (Slot == Hl7Codes.Temperature)
        {
            // °F is converted; a value that only makes sense in the other unit is refused (CLINICAL-RULES.md §6.2).
            return VitalSignsRequest.ToCelsius(value, unit.Ucum, out error);
        }

        var converted = Math.Round(value * unit.Factor, 2);
        error = converted >= Min && converted <= Max ? null : $"The {Name} must be between {Min} and {Max}; got {value} {unit.Ucum}.";
        return error is null ? converted : null;
    }
}

/// <summary>An OBX-3 code taken here: in MDC (IEEE 11073-10101) or LOINC, with the measure it fills; a lower rank wins when two codes fill one slot at one time.</summary>
internal sealed record Hl7Code(string System, string Code, string Name, Hl7Measure Measure, int Rank);

/// <summary>
/// The observation identifiers (OBX-3) and units (OBX-6) an ORU^R01 may use, each with its source: docs/hl7v2.md
/// lists the same table for interface engineers, and a test checks that it lists exactly these.
/// </summary>
internal static class Hl7Codes
{
    public const string Temperature = "temperature";
    public const string HeartRate = "heartRate";
    public const string RespiratoryRate = "respiratoryRate";
    public const string Systolic = "systolic";
    public const string Diastolic = "diastolic";
    public const string MeanArterial = "meanArterial";
    public const string SpO2 = "spO2";
    public const string OxygenFlow = "oxygenFlow";
    public const string Fio2 = "fio2";

    public const string Mdc = "MDC";
    public const string Loinc = "LN";

    // Units: UCUM codes as CLINICAL-RULES.md §6.2 lists them; MDC codes = partition 4 × 65536 + term (docs/hl7v2.md).
    private static readonly Hl7Unit Percent = new("%", 262688, "MDC_DIM_PERCENT");
    private static readonly Hl7Unit MmHg = new("mm[Hg]", 266016, "MDC_DIM_MMHG");

    // 1 mmHg = 133.322 Pa (ISO 80000-4; NIST SP 811 B.8), so 1 kPa = 7.50062 mmHg.
    private static readonly Hl7Unit KiloPascal = new("kPa", 265987, "MDC_DIM_KILO_PASCAL", Factor: 1000.0 / 133.322);

    public static readonly Hl7Measure TemperatureMeasure = new(Temperature, "body temperature", Limits.MinTemperatureC, Limits.MaxTemperatureC, HigherIsWorse: true,
        [new("Cel", 268192, "MDC_DIM_DEGC"), new("[degF]", 266560, "MDC_DIM_FAHR")]);

    public static readonly Hl7Measure HeartRateMeasure = new(HeartRate, "heart rate", Limits.MinHeartRate, Limits.MaxHeartRate, HigherIsWorse: true,
        [new("/min", 264864, "MDC_DIM_BEAT_PER_MIN", UcumAliases: ["{beat}/min", "{beats}/min"])]);

    public static readonly Hl7Measure RespiratoryRateMeasure = new(RespiratoryRate, "respiratory rate", Limits.MinRespiratoryRate, Limits.MaxRespiratoryRate, HigherIsWorse: true,
        [new("/min", 264928, "MDC_DIM_RESP_PER_MIN", UcumAliases: ["{breath}/min", "{breaths}/min", "{Breaths}/min"])]);

    public static readonly Hl7Measure SystolicMeasure = new(Systolic, "systolic blood pressure", Limits.MinSystolic, Limits.MaxSystolic, HigherIsWorse: false, [MmHg, KiloPascal]);
    public static readonly Hl7Measure DiastolicMeasure = new(Diastolic, "diastolic blood pressure", Limits.MinDiastolic, Limits.MaxDiastolic, HigherIsWorse: false, [MmHg, KiloPascal]);
    public static readonly Hl7Measure MeanArterialMeasure = new(MeanArterial, "mean arterial pressure", Limits.MinMeanArterial, Limits.MaxMeanArterial, HigherIsWorse: false, [MmHg, KiloPascal]);
    public static readonly Hl7Measure SpO2Measure = new(SpO2, "oxygen saturation", Limits.MinSpO2, Limits.MaxSpO2, HigherIsWorse: false, [Percent]);
    public static readonly Hl7Measure Fio2Measure = new(Fio2, "inspired oxygen concentration", Limits.MinFio2, Limits.MaxFio2, HigherIsWorse: true, [Percent]);

    public static readonly Hl7Measure OxygenFlowMeasure = new(OxygenFlow, "oxygen flow", 0, Limits.MaxOxygenFlow, HigherIsWorse: true,
        [new("L/min", 265216, "MDC_DIM_X_L_PER_MIN", UcumAliases: ["l/min"])]);

    /// <summary>
    /// Every code taken (docs/hl7v2.md gives the source of each). Rank orders the sources of one slot: an ECG heart
    /// rate before a pulse rate, a stated body site before the generic MDC_TEMP. Skin and airway temperatures,
    /// invasive pressures and ventilator settings are not taken (warnings).
    /// </summary>
    public static readonly Hl7Code[] All =
    [
        new(Mdc, "150364", "MDC_TEMP_BODY", TemperatureMeasure, 0),
        new(Mdc, "150368", "MDC_TEMP_CORE", TemperatureMeasure, 0),
        new(Mdc, "150372", "MDC_TEMP_ESOPH", TemperatureMeasure, 0),
        new(Mdc, "150380", "MDC_TEMP_NASOPH", TemperatureMeasure, 0),
        new(Mdc, "150392", "MDC_TEMP_TYMP", TemperatureMeasure, 0),
        new(Mdc, "188420", "MDC_TEMP_RECT", TemperatureMeasure, 0),
        new(Mdc, "188424", "MDC_TEMP_ORAL", TemperatureMeasure, 0),
        new(Mdc, "188428", "MDC_TEMP_EAR", TemperatureMeasure, 0),
        new(Mdc, "188436", "MDC_TEMP_BLD", TemperatureMeasure, 0),
        new(Mdc, "188452", "MDC_TEMP_AXILLA", TemperatureMeasure, 0),
        new(Mdc, "150344", "MDC_TEMP", TemperatureMeasure, 1),
        new(Mdc, "147842", "MDC_ECG_HEART_RATE", HeartRateMeasure, 0),
        new(Mdc, "149530", "MDC_PULS_OXIM_PULS_RATE", HeartRateMeasure, 1),
        new(Mdc, "149546", "MDC_PULS_RATE_NON_INV", HeartRateMeasure, 1),
        new(Mdc, "149522", "MDC_BLD_PULS_RATE_INV", HeartRateMeasure, 1),
        new(Mdc, "149514", "MDC_PULS_RATE", HeartRateMeasure, 2),
        new(Mdc, "151562", "MDC_RESP_RATE", RespiratoryRateMeasure, 0),
        new(Mdc, "151578", "MDC_TTHOR_RESP_RATE", RespiratoryRateMeasure, 1),
        new(Mdc, "151570", "MDC_AWAY_RESP_RATE", RespiratoryRateMeasure, 1),
        new(Mdc, "151594", "MDC_CO2_RESP_RATE", RespiratoryRateMeasure, 1),
        new(Mdc, "150456", "MDC_PULS_OXIM_SAT_O2", SpO2Measure, 0),
        new(Mdc, "150324", "MDC_SAT_O2_ART", SpO2Measure, 1),
        new(Mdc, "150021", "MDC_PRESS_BLD_NONINV_SYS", SystolicMeasure, 0),
        new(Mdc, "150022", "MDC_PRESS_BLD_NONINV_DIA", DiastolicMeasure, 0),
        new(Mdc, "150023", "MDC_PRESS_BLD_NONINV_MEAN", MeanArterialMeasure, 0),
        new(Mdc, "152196", "MDC_CONC_AWAY_O2_INSP", Fio2Measure, 0),
        new(Loinc, "8310-5", "Body temperature", TemperatureMeasure, 0),
        new(Loinc, "8867-4", "Heart rate", HeartRateMeasure, 0),
        new(Loinc, "9279-1", "Respiratory rate", RespiratoryRateMeasure, 0),
        new(Loinc, "59408-5", "Oxygen saturation in Arterial blood by Pulse oximetry", SpO2Measure, 0),
        new(Loinc, "2708-6", "Oxygen saturation in Arterial blood", SpO2Measure, 0),
        new(Loinc, "8480-6", "Systolic blood pressure", SystolicMeasure, 0),
        new(Loinc, "8462-4", "Diastolic blood pressure", DiastolicMeasure, 0),
        new(Loinc, "8478-0", "Mean blood pressure", MeanArterialMeasure, 0),
        new(Loinc, "3151-8", "Inhaled oxygen flow rate", OxygenFlowMeasure, 0),
        new(Loinc, "3150-0", "Inhaled oxygen concentration", Fio2Measure, 0),
    ];

    private static readonly Dictionary<(string System, string Code), Hl7Code> ByCode = All.ToDictionary(c => (c.System, c.Code));
    private static readonly Dictionary<string, Hl7Code> ByMdcRefId = All.Where(c => c.System == Mdc).ToDictionary(c => c.Name, StringComparer.Ordinal);

    /// <summary>
    /// The code of an OBX-3 (CWE: identifier^text^coding system^alternate identifier^alternate text^alternate coding
    /// system), from its first or its alternate triplet; null when neither is taken here; a problem when the two name
    /// different measures. An MDC code may come as the number (150456) or, with no number, as the reference id.
    /// </summary>
    public static Hl7Code? Find(Er7Segment obx, out Hl7Problem? problem)
    {
        problem = null;
        var first = Lookup(obx.Get(3, 1), obx.Get(3, 2), obx.Get(3, 3));
        var alternate = Lookup(obx.Get(3, 4), obx.Get(3, 5), obx.Get(3, 6));
        if (first is not null && alternate is not null && first.Measure != alternate.Measure)
        {
            problem = new Hl7Problem("OBX", obx.Occurrence, 3, 4, ErrorCodes.DataType,
                $"OBX-3 names two different measurements ({first.Name} and {alternate.Name}).");
            return null;
        }

        return first ?? alternate;
    }

    private static Hl7Code? Lookup(string code, string text, string system) => system switch
    {
        Mdc when code.Length > 0 => ByCode.GetValueOrDefault((Mdc, code)) ?? ByMdcRefId.GetValueOrDefault(code),
        Mdc => ByMdcRefId.GetValueOrDefault(text),
        Loinc or "LOINC" => ByCode.GetValueOrDefault((Loinc, code)),
        _ => null,
    };
}

using System.Globalization;
using System.Text;

namespace Toxicity.Load;

/// <summary>
/// What the wards post: each patient admitted with a neuro assessment (ICE 10, alert) and normal vital signs, then a
/// complete set of vital signs at every turn. One patient in <see cref="LoadOptions.DeteriorateEvery"/> deteriorates:
/// from their onset turn a fever (38.6 °C: CRS 1), three turns later a fever with hypotension on norepinephrine
/// (CRS 3), kept. So each of them gives two CRS grade changes (0→1, 1→3) and two alerts, everybody else none. The onsets
/// are spread over the first <paramref name="onsetTurns"/> turns (from the 3rd), so that grade changes arrive through
/// the run as on a real ward, not all in one burst.
/// </summary>
internal sealed class Ward(LoadOptions options, string run, int onsetTurns = 1)
{
    public const int FeverTurn = 3;

    private const string Normal =
        "\"respiratoryRate\":15,\"systolicMmHg\":122,\"diastolicMmHg\":76,\"spO2Percent\":97,\"oxygen\":{\"device\":\"none\"},\"hypotensive\":false,\"vasopressors\":[]}";

    private const string Fever =
        "\"temperature\":{\"value\":38.6,\"unit\":\"Cel\"},\"heartRate\":104,\"respiratoryRate\":18,\"systolicMmHg\":118,\"diastolicMmHg\":72,\"spO2Percent\":96,\"oxygen\":{\"device\":\"none\"},\"hypotensive\":false,\"vasopressors\":[]}";

    private const string FeverOnNorepinephrine =
        "\"temperature\":{\"value\":38.9,\"unit\":\"Cel\"},\"heartRate\":122,\"respiratoryRate\":22,\"systolicMmHg\":84,\"diastolicMmHg\":46,\"spO2Percent\":95,\"oxygen\":{\"device\":\"none\"},\"hypotensive\":true,\"vasopressors\":[{\"drug\":\"norepinephrine\",\"dose\":0.08,\"unit\":\"ug/kg/min\"}]}";

    private const int VasopressorAfter = 3;

    public IReadOnlyList<string> Patients { get; } =
        [.. Enumerable.Range(0, options.Patients).Select(i => $"{run}-w{i / options.PatientsPerWard:D2}-{i % options.PatientsPerWard:D3}")];

    public static string WardOf(string patient) => $"load-{patient.Split('-')[^2]}";

    public bool Deteriorates(string patient) => Index(patient) % options.DeteriorateEvery == 0;

    /// <summary>The turn from which a deteriorating patient is febrile: spread over the onset turns, scattered over the wards.</summary>
    private int Onset(string patient) => FeverTurn + (int)((long)(Index(patient) / options.DeteriorateEvery) * 7919 % Math.Max(1, onsetTurns));

    private int Index(string patient)
    {
        var parts = patient.Split('-');
        return (int.Parse(parts[^2][1..], CultureInfo.InvariantCulture) * options.PatientsPerWard) + int.Parse(parts[^1], CultureInfo.InvariantCulture);
    }

    public static string Admission(string patient) =>
        $$"""{"ageYears":58,"weightKg":72.5,"heightCm":174,"bodySurfaceAreaM2":1.87,"diagnosis":"DLBCL","ward":"{{WardOf(patient)}}"}""";

    public static string Neuro(string patient, DateTimeOffset at) =>
        $$"""{"patientId":"{{patient}}","observedAt":"{{Time(at)}}","iceScore":10,"consciousness":"alert","seizure":"none"}""";

    /// <summary>The vital signs of <paramref name="patient"/> at their <paramref name="turn"/>-th turn, and the CRS grade they show (0, 1 or 3).</summary>
    public (string Body, int Grade) VitalSigns(string patient, int turn, DateTimeOffset at)
    {
        var stage = !Deteriorates(patient) || turn < Onset(patient) ? 0 : turn < Onset(patient) + VasopressorAfter ? 1 : 3;
        var body = new StringBuilder(320);
        body.Append(CultureInfo.InvariantCulture, $"{{\"patientId\":\"{patient}\",\"observedAt\":\"{Time(at)}\",");
        body.Append(stage switch
        {
            0 => string.Create(CultureInfo.InvariantCulture,
                $"\"temperature\":{{\"value\":{36.6 + (turn % 5 * 0.1):0.0},\"unit\":\"Cel\"}},\"heartRate\":{72 + (turn % 7)},{Normal}"),
            1 => Fever,
            _ => FeverOnNorepinephrine,
        });
        return (body.ToString(), stage);
    }

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
}

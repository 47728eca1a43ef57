using System.Globalization;
using System.Text.Json;
using Toxicity.Testing;

namespace Toxicity.Ingestion.Service.Tests;

/// <summary>ORU^R01 messages as a monitor gateway writes them, and ACKs read back, for the MLLP tests.</summary>
internal static class Hl7v2Messages
{
    public static string Time(DateTimeOffset at) => at.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + at.ToString("zzz", CultureInfo.InvariantCulture).Replace(":", string.Empty, StringComparison.Ordinal);

    public static string NewControlId() => Guid.NewGuid().ToString("N")[..20];

    /// <summary>An ORU^R01 of <paramref name="patient"/> (PID-3 with the fixture's assigning authority) with one OBR at <paramref name="at"/> and its OBX segments.</summary>
    public static string Oru(string controlId, string patient, DateTimeOffset at, string[] obx, string version = "2.6", string acceptAck = "", string applicationAck = "", string sender = "GATEWAY")
    {
        var segments = new List<string>
        {
            $"MSH|^~\\&|{sender}^0123456789ABCDEF^EUI-64|WARD 7|||{Time(at)}||ORU^R01^ORU_R01|{controlId}|P|{version}|||{acceptAck}|{applicationAck}",
            $"PID|||{patient}^^^{IngestionFixture.AssigningAuthority}^PI",
            "PV1||I|WARD7^^BED3",
            $"OBR|1|{controlId}^{sender}|{controlId}^{sender}|182777000^monitoring of patient^SCT|||{Time(at)}",
        };
        segments.AddRange(obx.Select((o, i) => o.StartsWith("OBX|", StringComparison.Ordinal) ? o : $"OBX|{i + 1}|{o}"));
        return MllpClient.Message([.. segments]);
    }

    /// <summary>OBX-2 onwards of a numeric reading: <c>NM|code^text^system|sub-id|value|unit||||| status</c>.</summary>
    public static string Numeric(string code, string value, string unit, string status = "R", string time = "") =>
        $"NM|{code}|1.1.1.1|{value}|{unit}|||||{status}|||{time}";

    /// <summary>A sample message of Hl7v2Samples/ (one segment per line) as ER7, with <c>{patient}</c> replaced.</summary>
    public static string Sample(string name, string? patient = null)
    {
        var text = File.ReadAllText(Path.Combine(Repository.Root, "tests", "Toxicity.Ingestion.Service.Tests", "Hl7v2Samples", name));
        return text.ReplaceLineEndings("\r").Replace("{patient}", patient ?? string.Empty, StringComparison.Ordinal);
    }

    public static Ack Read(string ack) => new(ack);

    /// <summary>The one event of <paramref name="published"/> (the probe's), read as a VitalSignsRecorded.</summary>
    public static JsonElement Single(IReadOnlyList<JsonElement> published) => Xunit.Assert.Single(published);
}

/// <summary>An ACK's MSA and ERR segments.</summary>
internal sealed class Ack(string text)
{
    private readonly string[][] _segments = [.. text.Split('\r', StringSplitOptions.RemoveEmptyEntries).Select(s => s.Split('|'))];

    public string Text => text;

    public string[] Msh => _segments.Single(s => s[0] == "MSH");

    /// <summary>MSA-1 (AA, AE, AR, CA, CE, CR).</summary>
    public string Code => Field("MSA", 1);

    /// <summary>MSA-2: the MSH-10 acknowledged.</summary>
    public string ControlId => Field("MSA", 2);

    /// <summary>Every ERR (2.5+): location (ERR-2), code (ERR-3.1), severity (ERR-4), reason (ERR-8).</summary>
    public IReadOnlyList<(string Location, string Code, string Severity, string Reason)> Errors =>
        [.. _segments.Where(s => s[0] == "ERR").Select(s => (At(s, 2), At(s, 3).Split('^')[0], At(s, 4), At(s, 8)))];

    /// <summary>The ERR segments with severity E, their locations.</summary>
    public IReadOnlyList<string> ErrorLocations => [.. Errors.Where(e => e.Severity == "E").Select(e => e.Location)];

    public IReadOnlyList<(string Location, string Code, string Severity, string Reason)> Warnings => [.. Errors.Where(e => e.Severity == "W")];

    /// <summary>Every segment but MSH (MSH-7 and MSH-10 of an ACK are its own): what makes two answers the same.</summary>
    public string Answer => string.Join('\r', _segments.Where(s => s[0] != "MSH").Select(s => string.Join('|', s)));

    public string Field(string segment, int field) => At(_segments.First(s => s[0] == segment), field);

    private static string At(string[] fields, int field) => field < fields.Length ? fields[field] : string.Empty;

    public override string ToString() => text.Replace('\r', '\n');
}

using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Toxicity.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Toxicity.EndToEnd.Tests;

/// <summary>
/// A fuzz run over the JSON and FHIR readers (issue 21): valid bodies of every kind Ingestion takes, and the calculator's,
/// mutated by a seeded generator (bytes flipped, spans cut or doubled, tokens and extreme numbers put in, the end cut
/// off), a bounded number of cases, the same every run. Every answer is a 2xx or a 4xx without internals, never a
/// 5xx; and the bus holds exactly the events of the requests that were accepted, nothing of those refused.
/// </summary>
[Collection(FiveServicesCollection.Name)]
public sealed class FuzzTests(FiveServices services, ITestOutputHelper output)
{
    private const int Seed = 2112;
    private const int CasesPerBody = 60;

    private static readonly string[] Tokens =
        ["\"", "{", "}", "[", "]", ",", ":", "null", "true", "1e999", "-0", "99999999999999999999999", "\"\\ud800\"", "\\u0000", "\"patientId\":\"x\",", "NaN", "\"\u202e\""];

    [Fact]
    public async Task Mutated_bodies_get_a_2xx_or_a_4xx_and_only_the_accepted_ones_publish()
    {
        await using var bus = await EventProbe.StartAsync(services.Broker.AmqpUri, HostileInputTests.RequestEvents);
        const string Patient = "fz-1";
        using var ward = services.Of["Ingestion"].CreateClient(FiveServices.WardSystem);
        using (var admitted = await ward.PutAsync($"api/v1/patients/{Patient}", Json("""{"ageYears":58,"weightKg":72.5,"diagnosis":"DLBCL","ward":"fz"}""", "application/json")))
        {
            Assert.Equal(HttpStatusCode.Accepted, admitted.StatusCode);
        }

        var at = DateTimeOffset.UtcNow.AddMinutes(-30).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        var seeds = new (string Service, string Method, string Path, string ContentType, string Body)[]
        {
            ("Ingestion", "POST", "api/v1/vital-signs", "application/json",
                $$"""{"patientId":"{{Patient}}","observedAt":"{{at}}","temperature":{"value":37.2,"unit":"Cel"},"heartRate":96,"respiratoryRate":18,"systolicMmHg":120,"diastolicMmHg":70,"spO2Percent":97,"oxygen":{"device":"none"},"hypotensive":false,"vasopressors":[]}"""),
            ("Ingestion", "POST", "api/v1/neuro-assessments", "application/json",
                $$"""{"patientId":"{{Patient}}","observedAt":"{{at}}","iceScore":10,"consciousness":"alert","seizure":"none"}"""),
            ("Ingestion", "PUT", $"api/v1/patients/{Patient}", "application/json", """{"ageYears":58,"weightKg":72.5,"heightCm":174,"diagnosis":"DLBCL","ward":"fz"}"""),
            ("Ingestion", "POST", "fhir/r4/Observation", "application/fhir+json",
                $$$"""{"resourceType":"Observation","status":"final","category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"vital-signs"}]}],"code":{"coding":[{"system":"http://loinc.org","code":"8867-4"}]},"subject":{"reference":"Patient/{{{Patient}}}"},"effectiveDateTime":"{{{at}}}","valueQuantity":{"value":88,"unit":"/min","system":"http://unitsofmeasure.org","code":"/min"}}"""),
            ("Grading", "POST", "api/v1/grading/evaluate", "application/json",
                """{"ruleSet":"astct-2019/1","ageYears":54,"temperatureC":38.9,"feverMaskedByTreatment":false}"""),
        };

        var random = new Random(Seed);
        var answers = new Dictionary<int, int>();
        var published = 0;
        var cases = 0;
        foreach (var (service, method, path, contentType, body) in seeds)
        {
            using var http = services.Of[service].CreateClient(service == "Ingestion" ? FiveServices.WardSystem : FiveServices.Clinician);
            for (var i = -1; i < CasesPerBody; i++)
            {
                // First the body as it is, which must be accepted: the mutations start from a body the reader takes.
                var mutated = i < 0 ? Encoding.UTF8.GetBytes(body) : Mutate(Encoding.UTF8.GetBytes(body), random);
                using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new ByteArrayContent(mutated) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
                using var response = await http.SendAsync(request);
                var text = await response.Content.ReadAsStringAsync();
                var status = (int)response.StatusCode;
                var what = $"case {cases} ({method} {path}): {status} {text[..Math.Min(300, text.Length)]}\nbody: {Encoding.UTF8.GetString(mutated)}";
                if (i < 0)
                {
                    Assert.True(status is 200 or 201 or 202, $"the seed is not accepted: {what}");
                }
                else
                {
                    answers[status] = answers.GetValueOrDefault(status) + 1;
                    cases++;
                }

                Assert.True(status is 200 or 201 or 202 or 400 or 404 or 409 or 413 or 415 or 422, what);
                HostileInputTests.AssertNoInternals(response, text, what);
                if (service == "Ingestion" && status is 201 or 202)
                {
                    published += status == 201 ? 1 : JsonDocument.Parse(text).RootElement.GetProperty("eventIds").GetArrayLength();
                }
            }
        }

        output.WriteLine($"{cases} cases (seed {Seed}): " + string.Join(", ", answers.OrderBy(a => a.Key).Select(a => $"{a.Value} × {a.Key}")));
        Assert.Equal(cases, seeds.Length * CasesPerBody);
        Assert.True(answers.Keys.Any(k => k >= 400) && answers.Keys.Any(k => k < 300), "the mutations found both refusals and acceptances");
        // The admission above and each accepted request's events (the seeds' too): not one more.
        await Eventually.That(() => bus.CountAsync(), n => n >= 1 + published, TimeSpan.FromSeconds(10), "the accepted requests' events");
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal((uint)(1 + published), await bus.CountAsync());
    }

    [Fact]
    public async Task Mutated_HL7_messages_over_MLLP_are_each_acknowledged_or_the_connection_closed_and_the_listener_keeps_answering()
    {
        const string Patient = "fz-hl7";
        using (var ward = services.Of["Ingestion"].CreateClient(FiveServices.WardSystem))
        using (var admitted = await ward.PutAsync($"api/v1/patients/{Patient}", Json("""{"ageYears":58,"weightKg":72.5,"diagnosis":"DLBCL","ward":"fz"}""", "application/json")))
        {
            Assert.Equal(HttpStatusCode.Accepted, admitted.StatusCode);
        }

        var stamp = DateTimeOffset.UtcNow.AddMinutes(-20).ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture) + "+0000";
        string Oru(string control) => MllpClient.Message(
            $"MSH|^~\\&|GATEWAY|WARD|||{stamp}||ORU^R01^ORU_R01|{control}|P|2.6|||AL|NE",
            $"PID|||{Patient}^^^TOXICITY^PI",
            $"OBR|1|||182777000^monitoring of patient^SCT|||{stamp}",
            "OBX|1|NM|150364^MDC_TEMP_BODY^MDC|1.1.1.1|37.4|268192^MDC_DIM_DEGC^MDC|||||R",
            "OBX|2|NM|147842^MDC_ECG_HEART_RATE^MDC|1.1.1.2|84|264864^MDC_DIM_BEAT_PER_MIN^MDC|||||R");
        var random = new Random(Seed);
        var answers = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < 100; i++)
        {
            // The frame's own bytes are left alone (framing faults have their tests in Hl7v2Tests): the message is fuzzed.
            var message = Mutate(Encoding.UTF8.GetBytes(Oru($"FZ{i:D4}")), random).Select(b => b is MllpClient.StartBlock or MllpClient.EndBlock ? (byte)'?' : b).ToArray();
            await using var mllp = await MllpClient.ConnectAsync(services.MllpPort);
            await mllp.WriteAsync([MllpClient.StartBlock, .. message, MllpClient.EndBlock, MllpClient.CarriageReturn]);
            string code;
            try
            {
                var ack = await mllp.ReadFrameAsync(TimeSpan.FromSeconds(5));
                code = ack is null ? "closed" : ack.Split('\r').FirstOrDefault(s => s.StartsWith("MSA|", StringComparison.Ordinal))?.Split('|')[1] ?? $"no MSA: {ack}";
            }
            catch (OperationCanceledException)
            {
                // Silence is right only where the mutated MSH-15 now asks for no accept acknowledgement (NE, or ER for a
                // message taken): enhanced mode, honoured as the sender asked (seed 2112 case 58 turned MSH-15 into NE).
                code = AcceptAcknowledgement(message) is "NE" or "ER" ? "none asked for" : "no answer in 5 s";
            }

            answers[code] = answers.GetValueOrDefault(code) + 1;
            Assert.True(code is "AA" or "AE" or "AR" or "CA" or "CE" or "CR" or "closed" or "none asked for", $"case {i}: {code}\n{Convert.ToBase64String(message)}");
        }

        output.WriteLine($"100 HL7 cases (seed {Seed}): " + string.Join(", ", answers.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Value} × {a.Key}")));
        await using var after = await MllpClient.ConnectAsync(services.MllpPort);
        Assert.Contains("MSA|CA|", await after.SendAsync(Oru("FZ-AFTER")), StringComparison.Ordinal);
        Assert.True(answers.Keys.Count > 1, "the mutations changed nothing the listener noticed");
    }

    /// <summary>MSH-15 of a message, read with the field separator its MSH gives (null without an MSH).</summary>
    private static string? AcceptAcknowledgement(byte[] message)
    {
        var msh = Encoding.Latin1.GetString(message).Split('\r')[0];
        var fields = msh.Length > 3 && msh.StartsWith("MSH", StringComparison.Ordinal) ? msh.Split(msh[3]) : [];
        return fields.Length > 14 ? fields[14] : null;
    }

    /// <summary>One to three mutations of <paramref name="body"/>.</summary>
    private static byte[] Mutate(byte[] body, Random random)
    {
        var bytes = body.ToList();
        for (var n = random.Next(1, 4); n > 0 && bytes.Count > 0; n--)
        {
            var at = random.Next(bytes.Count);
            var length = Math.Min(random.Next(1, 12), bytes.Count - at);
            switch (random.Next(6))
            {
                case 0:
                    bytes[at] = (byte)random.Next(256);
                    break;
                case 1:
                    bytes.RemoveRange(at, length);
                    break;
                case 2:
                    bytes.InsertRange(at, bytes.GetRange(at, length));
                    break;
                case 3:
                    bytes.InsertRange(at, Encoding.UTF8.GetBytes(Tokens[random.Next(Tokens.Length)]));
                    break;
                case 4:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                default:
                    var digit = bytes.FindIndex(at, b => b is >= (byte)'0' and <= (byte)'9');
                    if (digit >= 0)
                    {
                        bytes.InsertRange(digit, Encoding.ASCII.GetBytes(random.Next(3) switch { 0 => "1e99", 1 => "-", _ => "000000000000000000000" }));
                    }

                    break;
            }
        }

        return [.. bytes];
    }

    private static ByteArrayContent Json(string body, string contentType)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return content;
    }
}

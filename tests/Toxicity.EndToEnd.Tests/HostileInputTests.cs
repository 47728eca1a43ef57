using System.Net;
using System.Net.Sockets;
using System.Text;
using Toxicity.Contracts.V1;
using Toxicity.Testing;
using Xunit;

namespace Toxicity.EndToEnd.Tests;

/// <summary>
/// Hostile input at every HTTP edge of the five services (issue 21), as processes over real sockets: every endpoint
/// that reads a body gets bytes that are not UTF-8, a key twice, nesting 10 000 deep, a lone surrogate, numbers too
/// large for any type, a body over the bound, an empty body and the wrong content type; every endpoint with an id in
/// its path gets path traversal, a name, a NUL and a 5 000-character id; every service an oversize header; Ingestion a
/// client that sends its body a byte at a time. Each is answered with a 4xx that is problem details (or, for FHIR, an
/// OperationOutcome) without a stack trace, never a 5xx, and nothing reaches the bus.
/// </summary>
[Collection(FiveServicesCollection.Name)]
public sealed class HostileInputTests(FiveServices services, Xunit.Abstractions.ITestOutputHelper output) : IAsyncLifetime
{
    private EventProbe _bus = null!;

    /// <summary>Service, path, content type, and the key that may call it (null: open).</summary>
    public static TheoryData<string, string, string> Bodies() => new()
    {
        { "Ingestion", "PUT api/v1/patients/h-1", "application/json" },
        { "Ingestion", "POST api/v1/vital-signs", "application/json" },
        { "Ingestion", "POST api/v1/neuro-assessments", "application/json" },
        { "Ingestion", "POST api/v1/treatments", "application/json" },
        { "Ingestion", "POST fhir/r4/Observation", "application/fhir+json" },
        { "Ingestion", "POST fhir/r4/MedicationAdministration", "application/fhir+json" },
        { "Ingestion", "POST fhir/r4", "application/fhir+json" },
        { "Grading", "POST api/v1/grading/evaluate", "application/json" },
        { "Mitigation", "PUT api/v1/patients/h-1/treatment-plan", "application/json" },
        { "Alerting", $"POST api/v1/alerts/{Guid.NewGuid()}/respond", "application/json" },
        { "Alerting", $"POST api/v1/alerts/{Guid.NewGuid()}/acknowledge", "application/json" },
        { "Alerting", "POST board/sign-in", "application/json" },
        { "Audit", "POST api/v1/audit/regrade", "application/json" },
        { "Audit", "POST fhir/r4/Subscription", "application/fhir+json" },
    };

    /// <summary>What each hostile body is, its bytes, and the answers that are right for it.</summary>
    public static IEnumerable<(string Name, byte[] Body, bool RightType, HttpStatusCode[] Answers)> HostileBodies()
    {
        HttpStatusCode[] refused = [HttpStatusCode.BadRequest, HttpStatusCode.UnprocessableEntity, HttpStatusCode.NotFound, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests];
        yield return ("bytes that are not UTF-8", [.. "{\"patientId\":\""u8, 0xC3, 0x28, 0xFF, .. "\"}"u8], true, refused);
        yield return ("a key twice", "{\"patientId\":\"h-1\",\"patientId\":\"h-2\",\"resourceType\":\"Observation\",\"resourceType\":\"Patient\"}"u8.ToArray(), true, refused);
        yield return ("nesting 10 000 deep", Encoding.ASCII.GetBytes(new string('[', 10_000) + new string(']', 10_000)), true, refused);
        yield return ("a lone surrogate", "{\"patientId\":\"\\ud800\",\"key\":\"\\udfff\"}"u8.ToArray(), true, refused);
        yield return ("numbers too large for any type", "{\"patientId\":\"h-1\",\"heartRate\":1e400,\"ageYears\":123456789012345678901234567890123,\"iceScore\":-1e308}"u8.ToArray(), true, refused);
        yield return ("a body over the bound", Encoding.ASCII.GetBytes("{\"patientId\":\"" + new string('a', 300 * 1024) + "\"}"), true, [HttpStatusCode.RequestEntityTooLarge, HttpStatusCode.BadRequest, HttpStatusCode.NotFound, HttpStatusCode.Unauthorized]);
        yield return ("an empty body", [], true, refused);
        yield return ("the wrong content type", "{\"patientId\":\"h-1\"}"u8.ToArray(), false, [HttpStatusCode.UnsupportedMediaType, HttpStatusCode.BadRequest, HttpStatusCode.NotFound, HttpStatusCode.Unauthorized]);
    }

    /// <summary>Every GET with a patient id in its path or query, the id replaced by <c>{id}</c>.</summary>
    public static TheoryData<string, string> Ids() => new()
    {
        { "Grading", "api/v1/patients/{id}/grades" },
        { "Mitigation", "api/v1/patients/{id}/treatment-plan" },
        { "Mitigation", "api/v1/patients/{id}/advice" },
        { "Alerting", "api/v1/patients/{id}/chart" },
        { "Alerting", "api/v1/alerts?patientId={id}" },
        { "Audit", "api/v1/audit/events?patientId={id}" },
        { "Audit", "fhir/r4/Observation?subject=Patient/{id}" },
        { "Audit", "fhir/r4/Observation/{id}" },
        { "Audit", "fhir/r4/Subscription/{id}" },
        { "Ingestion", "fhir/r4/CodeSystem/{id}" },
    };

    /// <summary>What a request to any of these endpoints could publish (what the services derive later is not a request's).</summary>
    internal static IReadOnlyList<string> RequestEvents { get; } = [.. new[]
    {
        typeof(PatientAdmitted), typeof(PatientDetailsUpdated), typeof(VitalSignsRecorded), typeof(NeuroAssessmentRecorded),
        typeof(TreatmentAdministered), typeof(TreatmentPlanned), typeof(AlertAcknowledged), typeof(AlertResponded),
    }.Select(t => $"{t.Namespace}:{t.Name}")];

    public async Task InitializeAsync() => _bus = await EventProbe.StartAsync(services.Broker.AmqpUri, RequestEvents);

    public async Task DisposeAsync() => await _bus.DisposeAsync();

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task Every_hostile_body_is_refused_with_a_4xx_that_names_no_internals_and_publishes_nothing(string service, string request, string contentType)
    {
        var (method, path) = (request.Split(' ')[0], request.Split(' ')[1]);
        foreach (var (name, body, rightType, answers) in HostileBodies())
        {
            using var http = Client(service);
            using var message = new HttpRequestMessage(new HttpMethod(method), path) { Content = new ByteArrayContent(body) };
            message.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(rightType ? contentType : "text/plain");
            using var response = await http.SendAsync(message);
            var text = await response.Content.ReadAsStringAsync();
            var what = $"{request} with {name}: {(int)response.StatusCode} {text[..Math.Min(300, text.Length)]}";
            output.WriteLine(what);
            Assert.True(answers.Contains(response.StatusCode), what);
            AssertNoInternals(response, text, what);
            if (name == "a key twice" && response.StatusCode == HttpStatusCode.BadRequest && service != "Alerting")
            {
                Assert.True(text.Contains("patientId", StringComparison.Ordinal) || text.Contains("resourceType", StringComparison.Ordinal), $"the refusal names the key: {what}");
            }
        }

        Assert.Equal(0u, await _bus.CountAsync());
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public async Task Path_traversal_names_and_oversize_ids_are_refused_never_a_5xx(string service, string template)
    {
        foreach (var id in new[] { "..%2F..%2F..%2Fetc%2Fpasswd", "../../etc/passwd", "Agatha%20Fuzzbottom", "%00", "%C3%28", new string('x', 5000), "h-1%0d%0aSet-Cookie:%20x=1" })
        {
            using var http = Client(service);
            using var response = await http.GetAsync(template.Replace("{id}", id, StringComparison.Ordinal), HttpCompletionOption.ResponseHeadersRead);
            var text = response.Content.Headers.ContentType?.MediaType == "text/event-stream" ? string.Empty : await response.Content.ReadAsStringAsync();
            var what = $"GET {service} {template} with {id[..Math.Min(40, id.Length)]}: {(int)response.StatusCode} {text[..Math.Min(300, text.Length)]}";
            Assert.True((int)response.StatusCode < 500, what);
            Assert.False(response.Headers.Contains("Set-Cookie") && response.Headers.GetValues("Set-Cookie").Any(c => c.StartsWith("x=", StringComparison.Ordinal)), what);
            AssertNoInternals(response, text, what);
        }
    }

    [Fact]
    public async Task An_oversize_header_is_refused_by_every_service()
    {
        foreach (var (name, process) in services.Of)
        {
            using var http = process.CreateClient();
            using var request = new HttpRequestMessage(HttpMethod.Get, "health/live");
            request.Headers.Add("X-Hostile", new string('h', 64 * 1024));
            using var response = await http.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.RequestHeaderFieldsTooLarge, $"{name}: {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task A_client_that_sends_its_body_a_byte_at_a_time_is_cut_off_while_the_service_answers_others()
    {
        var ingestion = services.Of["Ingestion"];
        using var slow = new TcpClient();
        await slow.ConnectAsync(IPAddress.Loopback, ingestion.BaseAddress.Port);
        var stream = slow.GetStream();
        var head = $"POST /api/v1/vital-signs HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Api-Key: {FiveServices.WardSystem.Key}\r\nContent-Type: application/json\r\nContent-Length: 4000\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));

        // Kestrel's minimum body rate (240 bytes/s after a 5 s grace) ends the request; the drip goes on until it does.
        var answer = new StringBuilder();
        var cutOff = false;
        var reading = Task.Run(async () =>
        {
            var buffer = new byte[4096];
            try
            {
                int read;
                while ((read = await stream.ReadAsync(buffer)) > 0)
                {
                    answer.Append(Encoding.ASCII.GetString(buffer, 0, read));
                }
            }
            catch (IOException)
            {
                // reset by the server: cut off too
            }

            cutOff = true;
        });
        for (var i = 0; i < 30 && !cutOff; i++)
        {
            try
            {
                await stream.WriteAsync("{"u8.ToArray());
            }
            catch (IOException)
            {
                break;
            }

            using var other = Client("Ingestion");
            using var meanwhile = await other.GetAsync("fhir/r4/metadata");
            Assert.Equal(HttpStatusCode.OK, meanwhile.StatusCode);
            await Task.Delay(1000);
        }

        await Task.WhenAny(reading, Task.Delay(TimeSpan.FromSeconds(10)));
        Assert.True(cutOff, "the slow client was never cut off");
        Assert.DoesNotContain(" 500 ", answer.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(" 202 ", answer.ToString(), StringComparison.Ordinal);
        Assert.Equal(0u, await _bus.CountAsync());
    }

    private HttpClient Client(string service)
    {
        var key = service switch
        {
            "Ingestion" => FiveServices.WardSystem,
            "Audit" => FiveServices.Auditor,
            _ => FiveServices.Clinician,
        };
        return services.Of[service].CreateClient(key);
    }

    /// <summary>No stack trace or exception name in an answer, and a refusal with a body is problem details (or an OperationOutcome).</summary>
    internal static void AssertNoInternals(HttpResponseMessage response, string text, string what)
    {
        Assert.False(text.Contains("   at ", StringComparison.Ordinal) || text.Contains("Exception", StringComparison.Ordinal), $"a stack trace or an exception's name: {what}");
        if (text.Length > 0 && (int)response.StatusCode >= 400)
        {
            Assert.True(response.Content.Headers.ContentType?.MediaType is "application/problem+json" or "application/fhir+json", $"not problem details: {what}");
        }
    }
}

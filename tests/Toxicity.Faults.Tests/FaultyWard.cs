using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Toxicity.Faults.Tests;

/// <summary>
/// The wards of the fault run: each patient admitted, then a complete set of vital signs every turn and a neuro
/// assessment every fifth. Every other patient deteriorates from an onset turn of their own (spread over the run, so
/// that grade changes fall before, between and after the faults): fever (CRS 1), three turns later hypotension on
/// norepinephrine (CRS 3), from the sixth turn an ICE score of 6 (ICANS). Posted as a ward system does it: one
/// observation of a patient at a time, each with an Idempotency-Key, and the same request again (same key, same body)
/// after a 5xx, a refused connection or a timeout, until it is accepted.
/// </summary>
internal sealed class FaultyWard(HttpClient ingestion, int patients, string run)
{
    private const int TurnMilliseconds = 600;
    private const int FirstOnset = 6;
    private const int OnsetSpacing = 18;
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(120);

    private readonly ConcurrentDictionary<Guid, string> _accepted = new();
    private readonly ConcurrentBag<string> _failures = [];
    private readonly ConcurrentQueue<(HttpMethod Method, string Path, string Body, string Key, Guid Id)> _sent = new();
    private int _retries;
    private int _posted;

    public IReadOnlyList<string> Patients { get; } = [.. Enumerable.Range(0, patients).Select(i => $"{run}-{i:D2}")];

    /// <summary>Every event id answered 202, with the resource it was posted to.</summary>
    public IReadOnlyDictionary<Guid, string> Accepted => _accepted;

    /// <summary>Requests sent again after a 5xx, a refused connection or a timeout.</summary>
    public int Retries => Volatile.Read(ref _retries);

    /// <summary>Observations posted (each counted once, however often it was sent).</summary>
    public int Posted => Volatile.Read(ref _posted);

    /// <summary>Anything else: an answer that is neither 202 nor worth retrying, or an observation never accepted.</summary>
    public IReadOnlyCollection<string> Failures => _failures;

    public bool Deteriorates(string patient) => Index(patient) % 2 == 0;

    public async Task AdmitAsync()
    {
        foreach (var patient in Patients)
        {
            await PostAsync($"api/v1/patients/{patient}", """{"ageYears":61,"weightKg":70,"heightCm":172,"bodySurfaceAreaM2":1.82,"diagnosis":"DLBCL","ward":"faults"}""", HttpMethod.Put);
        }
    }

    /// <summary>
    /// Posts every patient's turns until <paramref name="stop"/> and until the last patient's trajectory is complete (its
    /// ICANS assessment posted), the patients side by side: retries under the faults slow the turns, never cut them short.
    /// </summary>
    public Task RunAsync(CancellationToken stop) => Task.WhenAll(Patients.Select(patient => Task.Run(async () =>
    {
        var complete = Onset(Patients[^1]) + OnsetSpacing;
        for (var turn = 1; !stop.IsCancellationRequested || turn <= complete; turn++)
        {
            var at = DateTimeOffset.UtcNow;
            await PostAsync("api/v1/vital-signs", VitalSigns(patient, turn, at));
            if (turn % 5 == 0)
            {
                await PostAsync("api/v1/neuro-assessments", Neuro(patient, turn, at));
            }

            await Task.Delay(TurnMilliseconds);
        }
    })));

    /// <summary>One request until it is accepted (the same key and body each time); the event id it was given.</summary>
    public async Task<Guid?> PostAsync(string path, string body, HttpMethod? method = null)
    {
        Interlocked.Increment(ref _posted);
        var key = Guid.NewGuid().ToString();
        var giveUp = Stopwatch.StartNew();
        for (var attempt = 0; ; attempt++)
        {
            if (attempt > 0)
            {
                Interlocked.Increment(ref _retries);
                await Task.Delay(Math.Min(1000, 100 * attempt));
            }

            using var request = new HttpRequestMessage(method ?? HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.Add("Idempotency-Key", key);
            string why;
            try
            {
                using var response = await ingestion.SendAsync(request);
                var text = await response.Content.ReadAsStringAsync();
                if (response.StatusCode == HttpStatusCode.Accepted)
                {
                    var id = JsonDocument.Parse(text).RootElement.GetProperty("eventId").GetGuid();
                    _accepted[id] = path;
                    _sent.Enqueue((method ?? HttpMethod.Post, path, body, key, id));
                    return id;
                }

                if ((int)response.StatusCode < 500)
                {
                    _failures.Add($"{path} answered {(int)response.StatusCode}: {text}");
                    return null;
                }

                why = $"HTTP {(int)response.StatusCode}";
            }
            catch (HttpRequestException error)
            {
                why = error.Message;
            }
            catch (TaskCanceledException)
            {
                why = "timeout";
            }

            if (giveUp.Elapsed > GiveUpAfter)
            {
                _failures.Add($"{path} never accepted in {GiveUpAfter.TotalSeconds} s (last: {why})");
                return null;
            }
        }
    }

    /// <summary>
    /// A ward system that never saw its 202 sends the request again: <paramref name="count"/> accepted requests, each
    /// sent again with its key and body, must be answered 202 with the id they were given the first time.
    /// </summary>
    public async Task<int> SendAgainAsync(int count)
    {
        var again = 0;
        foreach (var (method, path, body, key, id) in _sent.Take(count).ToList())
        {
            using var request = new HttpRequestMessage(method, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.Add("Idempotency-Key", key);
            using var response = await ingestion.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != HttpStatusCode.Accepted || JsonDocument.Parse(text).RootElement.GetProperty("eventId").GetGuid() != id)
            {
                _failures.Add($"{path} sent again with its Idempotency-Key answered {(int)response.StatusCode} {text}, not 202 with {id}");
            }

            again++;
        }

        return again;
    }

    private string VitalSigns(string patient, int turn, DateTimeOffset at)
    {
        var onset = Onset(patient);
        var stage = !Deteriorates(patient) || turn < onset ? 0 : turn < onset + 3 ? 1 : 3;
        var readings = stage switch
        {
            0 => string.Create(CultureInfo.InvariantCulture,
                $"\"temperature\":{{\"value\":{36.6 + (turn % 5 * 0.1):0.0},\"unit\":\"Cel\"}},\"heartRate\":{72 + (turn % 7)},\"respiratoryRate\":15,\"systolicMmHg\":122,\"diastolicMmHg\":76,\"spO2Percent\":97,\"oxygen\":{{\"device\":\"none\"}},\"hypotensive\":false,\"vasopressors\":[]"),
            1 => "\"temperature\":{\"value\":38.6,\"unit\":\"Cel\"},\"heartRate\":104,\"respiratoryRate\":18,\"systolicMmHg\":118,\"diastolicMmHg\":72,\"spO2Percent\":96,\"oxygen\":{\"device\":\"none\"},\"hypotensive\":false,\"vasopressors\":[]",
            _ => "\"temperature\":{\"value\":38.9,\"unit\":\"Cel\"},\"heartRate\":122,\"respiratoryRate\":22,\"systolicMmHg\":84,\"diastolicMmHg\":46,\"spO2Percent\":95,\"oxygen\":{\"device\":\"none\"},\"hypotensive\":true,\"vasopressors\":[{\"drug\":\"norepinephrine\",\"dose\":0.08,\"unit\":\"ug/kg/min\"}]",
        };
        return $"{{\"patientId\":\"{patient}\",\"observedAt\":\"{Time(at)}\",{readings}}}";
    }

    private string Neuro(string patient, int turn, DateTimeOffset at)
    {
        var ice = Deteriorates(patient) && turn >= Onset(patient) + 6 ? 6 : 10;
        return $"{{\"patientId\":\"{patient}\",\"observedAt\":\"{Time(at)}\",\"iceScore\":{ice},\"consciousness\":\"alert\",\"seizure\":\"none\"}}";
    }

    private int Onset(string patient) => FirstOnset + (Index(patient) / 2 * OnsetSpacing);

    private static int Index(string patient) => int.Parse(patient[(patient.LastIndexOf('-') + 1)..], CultureInfo.InvariantCulture);

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
}

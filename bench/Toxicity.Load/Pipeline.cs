using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace Toxicity.Load;

/// <summary>One posting phase's figures: what was sent and answered, and the HTTP latencies.</summary>
internal sealed record Phase(string Name, double TargetRate, TimeSpan Took, int Sent, int Accepted, int Errors, Latency Http,
    IReadOnlyDictionary<string, int> ErrorsByKind)
{
    public double AcceptedPerSecond => Accepted / Took.TotalSeconds;
}

/// <summary>
/// Posts observations to Ingestion over HTTP at a fixed rate (or as fast as <see cref="LoadOptions.Concurrency"/>
/// requests in flight allow) for a bounded time, each patient's turns in order; records each answer and latency, and
/// the moment each deteriorating observation was sent.
/// </summary>
internal sealed class Poster(HttpClient ingestion, Ward ward, Stopwatch clock)
{
    private readonly Dictionary<string, int> _turns = new(StringComparer.Ordinal);

    /// <summary>Event ids answered with 202, with the moment each was sent.</summary>
    public ConcurrentDictionary<Guid, TimeSpan> Accepted { get; } = new();

    /// <summary>When the first observation showing each CRS grade above 0 was sent, by patient and grade.</summary>
    public ConcurrentDictionary<(string Patient, int Grade), TimeSpan> Deteriorations { get; } = new();

    /// <summary>The CRS grades above 0 that accepted observations showed, by patient: the grade changes the pipeline owes.</summary>
    public ConcurrentDictionary<(string Patient, int Grade), bool> AcceptedGrades { get; } = new();

    public async Task<Phase> RunAsync(string name, IReadOnlyList<string> patients, double rate, int concurrency, TimeSpan duration)
    {
        var latencies = new ConcurrentBag<TimeSpan>();
        var errors = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var sent = 0;
        var accepted = 0;
        var work = Channel.CreateBounded<(string Patient, int Turn, DateTimeOffset At)>(new BoundedChannelOptions(concurrency) { FullMode = BoundedChannelFullMode.Wait });
        var started = clock.Elapsed;
        var workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            await foreach (var (patient, turn, observedAt) in work.Reader.ReadAllAsync())
            {
                var (body, grade) = ward.VitalSigns(patient, turn, observedAt);
                using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/vital-signs")
                {
                    Content = new StringContent(body, Encoding.UTF8, "application/json"),
                };
                request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
                var at = clock.Elapsed;
                if (grade > 0)
                {
                    Deteriorations.TryAdd((patient, grade), at);
                }

                Interlocked.Increment(ref sent);
                try
                {
                    using var response = await ingestion.SendAsync(request);
                    latencies.Add(clock.Elapsed - at);
                    if (response.StatusCode == HttpStatusCode.Accepted)
                    {
                        Accepted[(await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("eventId").GetGuid()] = at;
                        if (grade > 0)
                        {
                            AcceptedGrades[(patient, grade)] = true;
                        }

                        Interlocked.Increment(ref accepted);
                    }
                    else
                    {
                        errors.AddOrUpdate($"HTTP {(int)response.StatusCode}", 1, (_, n) => n + 1);
                    }
                }
                catch (HttpRequestException error)
                {
                    errors.AddOrUpdate(error.GetType().Name, 1, (_, n) => n + 1);
                }
                catch (TaskCanceledException)
                {
                    errors.AddOrUpdate("timeout", 1, (_, n) => n + 1);
                }
            }
        })).ToArray();

        // The schedule: patient after patient, each send due at its slot of the fixed rate (or at once with rate 0); every
        // millisecond, whatever has fallen due is handed out (a shorter wait would spin a core the services need).
        var next = 0L;
        while (clock.Elapsed - started < duration)
        {
            if (rate > 0 && started + TimeSpan.FromSeconds(next / rate) > clock.Elapsed)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(1));
                continue;
            }

            // Turns and clinical times are given here, in order: a patient's observations never overtake each other.
            var patient = patients[(int)(next % patients.Count)];
            await work.Writer.WriteAsync((patient, _turns[patient] = _turns.GetValueOrDefault(patient) + 1, DateTimeOffset.UtcNow));
            next++;
        }

        work.Writer.Complete();
        await Task.WhenAll(workers);
        return new Phase(name, rate, clock.Elapsed - started, sent, accepted, errors.Values.Sum(), Latency.Of(latencies), errors);
    }
}

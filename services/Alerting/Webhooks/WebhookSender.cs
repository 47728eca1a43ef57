using System.Net.Http.Headers;
using System.Threading.Channels;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace Toxicity.Alerting.Service.Webhooks;

/// <summary>The end of one delivery: delivered (2xx) or given up, with the attempts made.</summary>
internal sealed record DeliveryOutcome(bool Delivered, int Attempts, int? StatusCode, string Error);

/// <summary>
/// Delivers notifications to one subscriber: its own queue, its own named <see cref="HttpClient"/>, its own Polly
/// pipeline (retry with exponential back-off and jitter, a circuit breaker, a timeout per attempt) and up to
/// <see cref="WebhookOptions.Concurrency"/> deliveries in flight, so that a slow or failing subscriber delays nobody
/// else. Every attempt is signed afresh (Standard Webhooks: same <c>webhook-id</c>, new timestamp and signature).
/// </summary>
internal sealed class WebhookSender
{
    private readonly Channel<WebhookNotification> _queue = Channel.CreateUnbounded<WebhookNotification>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Uri _url;
    private readonly byte[] _key;
    private readonly HttpClient _http;
    private readonly TimeProvider _clock;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;
    private readonly CircuitBreakerStateProvider _circuit = new();
    private readonly int _concurrency;

    public WebhookSender(string name, WebhookSubscriberOptions subscriber, WebhookOptions options, HttpClient http, TimeProvider clock)
    {
        Subscription = new WebhookSubscription(name, subscriber.Tiers.ToHashSet(StringComparer.Ordinal),
            subscriber.Wards.ToHashSet(StringComparer.Ordinal), subscriber.Events.ToHashSet(StringComparer.Ordinal));
        _url = new Uri(subscriber.Url, UriKind.Absolute);
        _key = WebhookSignature.DecodeSecret(subscriber.Secret);
        _http = http;
        _clock = clock;
        _concurrency = options.Concurrency;
        var failed = new PredicateBuilder<HttpResponseMessage>()
            .Handle<HttpRequestException>()
            .Handle<TimeoutRejectedException>()
            .HandleResult(response => !response.IsSuccessStatusCode);
        _pipeline = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = clock }
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                // An open circuit is retried too: the notification waits out the break within its attempts.
                ShouldHandle = failed.Handle<BrokenCircuitException>(),
                MaxRetryAttempts = options.MaxAttempts - 1,
                Delay = options.FirstRetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
            })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = failed,
                FailureRatio = 0.5,
                MinimumThroughput = 4,
                SamplingDuration = TimeSpan.FromSeconds(30),
                BreakDuration = options.BreakDuration,
                StateProvider = _circuit,
            })
            .AddTimeout(options.AttemptTimeout)
            .Build();
    }

    public WebhookSubscription Subscription { get; }

    /// <summary>Where this subscriber is reached, without query or credentials (for listing).</summary>
    public string Endpoint => _url.GetLeftPart(UriPartial.Path);

    /// <summary><c>closed</c> (delivering), <c>open</c> (failing fast) or <c>half-open</c> (trying one).</summary>
    public string CircuitState => _circuit.CircuitState switch
    {
        Polly.CircuitBreaker.CircuitState.Closed => "closed",
        Polly.CircuitBreaker.CircuitState.HalfOpen => "half-open",
        _ => "open",
    };

    public void Enqueue(WebhookNotification notification) => _queue.Writer.TryWrite(notification);

    /// <summary>Delivers what is queued, up to the concurrency limit at once, reporting each outcome, until <paramref name="stopping"/>.</summary>
    public async Task RunAsync(Func<WebhookSender, WebhookNotification, DeliveryOutcome, Task> report, CancellationToken stopping)
    {
        using var slots = new SemaphoreSlim(_concurrency);
        var inFlight = new HashSet<Task>();
        try
        {
            await foreach (var notification in _queue.Reader.ReadAllAsync(stopping))
            {
                await slots.WaitAsync(stopping);
                var delivery = DeliverAndReportAsync(notification, report, slots, stopping);
                lock (inFlight)
                {
                    inFlight.Add(delivery);
                }

                _ = delivery.ContinueWith(done => { lock (inFlight) { inFlight.Remove(done); } }, TaskScheduler.Default);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopping: what was not delivered is not recorded, so the next start sends it again (same webhook-id).
        }

        Task[] remaining;
        lock (inFlight)
        {
            remaining = [.. inFlight];
        }

        await Task.WhenAll(remaining);
    }

    private async Task DeliverAndReportAsync(WebhookNotification notification, Func<WebhookSender, WebhookNotification, DeliveryOutcome, Task> report,
        SemaphoreSlim slots, CancellationToken stopping)
    {
        try
        {
            if (await DeliverAsync(notification, stopping) is { } outcome)
            {
                await report(this, notification, outcome);
            }
        }
        finally
        {
            slots.Release();
        }
    }

    /// <summary>
    /// One notification through the pipeline; null when the service is stopping (not an outcome). The attempts counted
    /// are the requests sent (an open circuit sends none); the status is the subscriber's last answer, if any.
    /// </summary>
    internal async Task<DeliveryOutcome?> DeliverAsync(WebhookNotification notification, CancellationToken stopping)
    {
        var attempts = 0;
        int? lastStatus = null;
        var id = notification.Id.ToString();
        try
        {
            using var response = await _pipeline.ExecuteAsync(async cancellationToken =>
            {
                attempts++;
                using var request = new HttpRequestMessage(HttpMethod.Post, _url) { Content = new ByteArrayContent(notification.Body) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                var timestamp = _clock.GetUtcNow().ToUnixTimeSeconds();
                request.Headers.Add(WebhookSignature.IdHeader, id);
                request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
                request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(_key, id, timestamp, notification.Body));
                var answer = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                lastStatus = (int)answer.StatusCode;
                return answer;
            }, stopping);
            var status = (int)response.StatusCode;
            return new DeliveryOutcome(response.IsSuccessStatusCode, attempts, status, response.IsSuccessStatusCode ? string.Empty : $"HTTP {status}");
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            return null;
        }
        catch (BrokenCircuitException)
        {
            return new DeliveryOutcome(false, attempts, lastStatus, "circuit open");
        }
        catch (TimeoutRejectedException)
        {
            return new DeliveryOutcome(false, attempts, lastStatus, "timeout");
        }
        catch (HttpRequestException error)
        {
            return new DeliveryOutcome(false, attempts, lastStatus, $"connection failed ({error.HttpRequestError})");
        }
        catch (Exception error) when (!stopping.IsCancellationRequested)
        {
            // Anything else still ends as a recorded, listed failure: a page is never dropped silently.
            return new DeliveryOutcome(false, attempts, lastStatus, $"failed ({error.GetType().Name})");
        }
    }
}

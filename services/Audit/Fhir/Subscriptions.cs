using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Toxicity.Contracts.V1;
using Toxicity.Hosting;

namespace Toxicity.Audit.Service.Fhir;

/// <summary>A FHIR Subscription to the topic <c>grade-changed</c> as Audit keeps it (docs/fhir-grades.md "Subscriptions").</summary>
internal sealed record SubscriptionState(
    string Id,
    string Base,
    string CreatedBy,
    long StartOffset,
    long ScannedOffset,
    Uri Endpoint,
    IReadOnlyList<string> Headers,
    string Content,
    int? HeartbeatSeconds,
    int TimeoutSeconds,
    int MaxCount,
    string? Patient,
    IReadOnlyList<string> Codes,
    string? Reason,
    string Status,
    bool Handshaken,
    long Delivered,
    long Events,
    DateTimeOffset? LastSentAt,
    DateTimeOffset? NextAttemptAt,
    int Attempts,
    string? Error);

/// <summary>One event of a subscription: its number since the subscription started, the grade change, when it was published.</summary>
internal sealed record SubscriptionEvent(long Number, long LogOffset, Guid EventId, DateTimeOffset RecordedAt);

/// <summary>
/// The subscriptions and their numbered events, durably in a SQLite file of their own beside Audit's store (WAL,
/// synchronous=FULL), so that they survive a restart and their event numbers never change: each grade change of the
/// topic (valid signature, once) after the subscription started gets the next number, in log order.
/// </summary>
internal sealed class SubscriptionStore : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly SqliteConnection _connection;
    private readonly Lock _gate = new();

    public SubscriptionStore(IOptions<AuditOptions> options)
    {
        var audit = Path.GetFullPath(options.Value.Database);
        var path = Path.Combine(Path.GetDirectoryName(audit)!, Path.GetFileNameWithoutExtension(audit) + ".subscriptions.db");
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        _connection.Open();
        Execute("""
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = FULL;
            CREATE TABLE IF NOT EXISTS subscriptions (id TEXT PRIMARY KEY, state TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS subscription_events (
                subscription_id TEXT NOT NULL, number INTEGER NOT NULL, log_offset INTEGER NOT NULL, event_id TEXT NOT NULL, recorded_at INTEGER NOT NULL,
                PRIMARY KEY (subscription_id, number), UNIQUE (subscription_id, event_id));
            """);
    }

    public void Save(SubscriptionState state)
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "INSERT OR REPLACE INTO subscriptions (id, state) VALUES ($id, $state)";
            command.Parameters.AddWithValue("$id", state.Id);
            command.Parameters.AddWithValue("$state", JsonSerializer.Serialize(state, Json));
            command.ExecuteNonQuery();
        }
    }

    /// <summary>Changes the subscription as it is now, atomically; nothing for one that is unknown or off.</summary>
    public void Update(string id, Func<SubscriptionState, SubscriptionState> change)
    {
        lock (_gate)
        {
            if (Find(id) is { Status: not "off" } current)
            {
                Save(change(current));
            }
        }
    }

    public SubscriptionState? Find(string id)
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT state FROM subscriptions WHERE id = $id";
            command.Parameters.AddWithValue("$id", id);
            return command.ExecuteScalar() is string json ? JsonSerializer.Deserialize<SubscriptionState>(json, Json) : null;
        }
    }

    public IReadOnlyList<SubscriptionState> All()
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT state FROM subscriptions ORDER BY id";
            using var reader = command.ExecuteReader();
            var all = new List<SubscriptionState>();
            while (reader.Read())
            {
                all.Add(JsonSerializer.Deserialize<SubscriptionState>(reader.GetString(0), Json)!);
            }

            return all;
        }
    }

    /// <summary>Numbers <paramref name="found"/> (in log order) after the subscription's last event, skipping a change already numbered; saves the state scanned up to <paramref name="scannedTo"/> in the same transaction.</summary>
    public SubscriptionState Append(SubscriptionState scanned, IReadOnlyList<(long Offset, Guid EventId, DateTimeOffset RecordedAt)> found, long scannedTo)
    {
        lock (_gate)
        {
            // The state as it is now (a DELETE may have turned it off since it was read): only the numbering moves on here.
            var state = Find(scanned.Id) ?? scanned;
            using var transaction = _connection.BeginTransaction();
            var events = state.Events;
            foreach (var (offset, eventId, recordedAt) in found)
            {
                using var insert = _connection.CreateCommand();
                insert.Transaction = transaction;
                insert.CommandText = """
                    INSERT OR IGNORE INTO subscription_events (subscription_id, number, log_offset, event_id, recorded_at)
                    SELECT $id, $number, $offset, $event, $at WHERE NOT EXISTS (SELECT 1 FROM subscription_events WHERE subscription_id = $id AND event_id = $event)
                    """;
                insert.Parameters.AddWithValue("$id", state.Id);
                insert.Parameters.AddWithValue("$number", events + 1);
                insert.Parameters.AddWithValue("$offset", offset);
                insert.Parameters.AddWithValue("$event", eventId.ToString());
                insert.Parameters.AddWithValue("$at", recordedAt.ToUnixTimeMilliseconds());
                events += insert.ExecuteNonQuery();
            }

            var next = state with { Events = events, ScannedOffset = scannedTo };
            using var save = _connection.CreateCommand();
            save.Transaction = transaction;
            save.CommandText = "INSERT OR REPLACE INTO subscriptions (id, state) VALUES ($id, $state)";
            save.Parameters.AddWithValue("$id", next.Id);
            save.Parameters.AddWithValue("$state", JsonSerializer.Serialize(next, Json));
            save.ExecuteNonQuery();
            transaction.Commit();
            return next;
        }
    }

    /// <summary>The subscription's events numbered from <paramref name="from"/> to <paramref name="to"/> (inclusive), in order.</summary>
    public IReadOnlyList<SubscriptionEvent> Events(string id, long from, long to)
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT number, log_offset, event_id, recorded_at FROM subscription_events WHERE subscription_id = $id AND number BETWEEN $from AND $to ORDER BY number";
            command.Parameters.AddWithValue("$id", id);
            command.Parameters.AddWithValue("$from", from);
            command.Parameters.AddWithValue("$to", to);
            using var reader = command.ExecuteReader();
            var events = new List<SubscriptionEvent>();
            while (reader.Read())
            {
                events.Add(new SubscriptionEvent(reader.GetInt64(0), reader.GetInt64(1), Guid.Parse(reader.GetString(2)), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3))));
            }

            return events;
        }
    }

    public void Dispose() => _connection.Dispose();

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}

/// <summary>
/// The notifications of the Subscriptions R5 Backport IG for R4 (<c>hl7.fhir.uv.subscriptions-backport</c>): a
/// <c>history</c> Bundle whose first entry is the subscription status (a Parameters of profile
/// <c>backport-subscription-status-r4</c>), then, for <c>full-resource</c>, each focus Observation.
/// </summary>
internal static class Notifications
{
    public const string Topic = "https://toxicity.dev/fhir/SubscriptionTopic/grade-changed";
    public const string Backport = "http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/";

    public static JsonObject Bundle(SubscriptionState subscription, string type, IReadOnlyList<(SubscriptionEvent Event, JsonObject? Resource)> events, DateTimeOffset now)
    {
        var status = Status(subscription, type, events.Select(e => e.Event).ToList());
        var entries = new JsonArray(new JsonObject
        {
            ["fullUrl"] = $"urn:uuid:{Guid.NewGuid()}",
            ["resource"] = status,
            // The $status operation as invoked by POST: Firely's R4 validator applies bdl-3b, which allows a resource in a
            // history entry only for a POST, PUT or PATCH (the Backport IG's examples show a GET of $status).
            ["request"] = new JsonObject { ["method"] = "POST", ["url"] = $"{subscription.Base}Subscription/{subscription.Id}/$status" },
            ["response"] = new JsonObject { ["status"] = "200" },
        });
        foreach (var (_, resource) in events)
        {
            if (resource is not null)
            {
                entries.Add(new JsonObject
                {
                    ["fullUrl"] = $"{subscription.Base}Observation/{resource["id"]!.GetValue<string>()}",
                    ["resource"] = resource,
                    ["request"] = new JsonObject { ["method"] = "POST", ["url"] = "Observation" },
                    ["response"] = new JsonObject { ["status"] = "201" },
                });
            }
        }

        return new JsonObject
        {
            ["resourceType"] = "Bundle",
            ["id"] = Guid.NewGuid().ToString(),
            ["meta"] = new JsonObject { ["profile"] = new JsonArray(Backport + "backport-subscription-notification-r4") },
            ["type"] = "history",
            ["timestamp"] = Instant(now),
            ["entry"] = entries,
        };
    }

    /// <summary>The subscription's status as a Parameters (type <c>handshake</c>, <c>heartbeat</c>, <c>event-notification</c>, <c>query-status</c> or <c>query-event</c>).</summary>
    public static JsonObject Status(SubscriptionState subscription, string type, IReadOnlyList<SubscriptionEvent> events)
    {
        var parameters = new JsonArray(
            new JsonObject { ["name"] = "subscription", ["valueReference"] = new JsonObject { ["reference"] = $"{subscription.Base}Subscription/{subscription.Id}" } },
            new JsonObject { ["name"] = "topic", ["valueCanonical"] = Topic },
            new JsonObject { ["name"] = "status", ["valueCode"] = subscription.Status },
            new JsonObject { ["name"] = "type", ["valueCode"] = type },
            new JsonObject { ["name"] = "events-since-subscription-start", ["valueString"] = subscription.Events.ToString(CultureInfo.InvariantCulture) });
        foreach (var e in events)
        {
            parameters.Add(new JsonObject
            {
                ["name"] = "notification-event",
                ["part"] = new JsonArray(
                    new JsonObject { ["name"] = "event-number", ["valueString"] = e.Number.ToString(CultureInfo.InvariantCulture) },
                    new JsonObject { ["name"] = "timestamp", ["valueInstant"] = Instant(e.RecordedAt) },
                    new JsonObject { ["name"] = "focus", ["valueReference"] = new JsonObject { ["reference"] = $"{subscription.Base}Observation/{e.EventId}" } }),
            });
        }

        if (subscription.Error is { } error)
        {
            parameters.Add(new JsonObject { ["name"] = "error", ["valueCodeableConcept"] = new JsonObject { ["text"] = error } });
        }

        return new JsonObject
        {
            ["resourceType"] = "Parameters",
            ["id"] = Guid.NewGuid().ToString(),
            ["meta"] = new JsonObject { ["profile"] = new JsonArray(Backport + "backport-subscription-status-r4") },
            ["parameter"] = parameters,
        };
    }

    /// <summary>The Subscription resource as the client reads it back: what it asked, with its id and current status.</summary>
    public static JsonObject Resource(SubscriptionState subscription)
    {
        var channel = new JsonObject
        {
            ["extension"] = new JsonArray([.. new[]
            {
                subscription.HeartbeatSeconds is { } heartbeat ? Extension("backport-heartbeat-period", "valueUnsignedInt", heartbeat) : null,
                Extension("backport-timeout", "valueUnsignedInt", subscription.TimeoutSeconds),
                Extension("backport-max-count", "valuePositiveInt", subscription.MaxCount),
            }.OfType<JsonObject>()]),
            ["type"] = "rest-hook",
            ["endpoint"] = subscription.Endpoint.ToString(),
            ["payload"] = "application/fhir+json",
            ["_payload"] = new JsonObject { ["extension"] = new JsonArray(Extension("backport-payload-content", "valueCode", subscription.Content)) },
        };
        if (subscription.Headers.Count > 0)
        {
            // Headers may carry the endpoint's credentials: they are never shown back.
            channel["header"] = new JsonArray([.. subscription.Headers.Select(h => (JsonNode)JsonValue.Create(h[..(h.IndexOf(':', StringComparison.Ordinal) + 1)] + " (not shown)"))]);
        }

        var resource = new JsonObject
        {
            ["resourceType"] = "Subscription",
            ["id"] = subscription.Id,
            ["meta"] = new JsonObject { ["profile"] = new JsonArray(Backport + "backport-subscription") },
            ["status"] = subscription.Status,
            ["reason"] = subscription.Reason ?? "Toxicity grade changes",
            ["criteria"] = Topic,
            ["channel"] = channel,
        };
        var filters = new List<string>();
        if (subscription.Patient is { } patient)
        {
            filters.Add($"Observation?subject=Patient/{patient}");
        }

        if (subscription.Codes.Count > 0)
        {
            filters.Add($"Observation?code={string.Join(',', subscription.Codes)}");
        }

        if (filters.Count > 0)
        {
            resource["_criteria"] = new JsonObject { ["extension"] = new JsonArray([.. filters.Select(f => (JsonNode)Extension("backport-filter-criteria", "valueString", f))]) };
        }

        if (subscription.Error is { } error)
        {
            resource["error"] = error;
        }

        return resource;
    }

    public static string Instant(DateTimeOffset time) => time.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

    private static JsonObject Extension<T>(string name, string valueType, T value) => new() { ["url"] = Backport + name, [valueType] = JsonValue.Create(value) };
}

/// <summary>
/// Delivers every subscription's notifications (handshake, events in order, heartbeats) by REST hook, each subscription
/// on its own: events are numbered from Audit's store as they arrive; a batch of at most max-count events is sent
/// only after the one before it was answered 2xx; a failure sets the status to <c>error</c> with the reason and is
/// retried with exponential back-off (1 s doubling to 5 min), then the status is <c>active</c> again. A missed
/// notification can also be fetched with <c>$events</c>.
/// </summary>
internal sealed partial class SubscriptionDeliverer(SubscriptionStore subscriptions, AuditStore store, GradeObservations grades, IHttpClientFactory http, TimeProvider clock,
    ILogger<SubscriptionDeliverer> logger) : BackgroundService
{
    public const string HttpClientName = "fhir-subscriptions";
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan MaxBackOff = TimeSpan.FromMinutes(5);
    private static readonly string[] GradeTypes =
        [EventLog.WireName(typeof(CrsGradeChanged)), EventLog.WireName(typeof(IcansGradeChanged)), EventLog.WireName(typeof(CtcaeCrsGradeChanged))];

    private readonly Dictionary<string, Task> _running = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Tick, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            foreach (var subscription in subscriptions.All().Where(s => s.Status != "off"))
            {
                // One step at a time per subscription, all subscriptions side by side: a slow endpoint holds only its own.
                if (!_running.TryGetValue(subscription.Id, out var step) || step.IsCompleted)
                {
                    _running[subscription.Id] = Task.Run(() => StepAsync(subscription.Id, stoppingToken), stoppingToken);
                }
            }
        }
    }

    private async Task StepAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            if (subscriptions.Find(id) is not { Status: not "off" } subscription)
            {
                return;
            }

            subscription = Scan(subscription);
            var now = clock.GetUtcNow();
            if (subscription.NextAttemptAt is { } next && next > now)
            {
                return;
            }

            if (!subscription.Handshaken)
            {
                await SendAsync(subscription, "handshake", [], cancellationToken);
            }
            else if (subscription.Delivered < subscription.Events)
            {
                var batch = subscriptions.Events(subscription.Id, subscription.Delivered + 1, Math.Min(subscription.Events, subscription.Delivered + subscription.MaxCount));
                await SendAsync(subscription, "event-notification", batch, cancellationToken);
            }
            else if (subscription.HeartbeatSeconds is { } heartbeat && now - (subscription.LastSentAt ?? now) >= TimeSpan.FromSeconds(heartbeat))
            {
                await SendAsync(subscription, "heartbeat", [], cancellationToken);
            }
        }
        catch (Exception e) when (e is SqliteException or InvalidDataException or JsonException)
        {
            LogStepFailed(logger, id, e.GetType().Name);
        }
    }

    /// <summary>Numbers the grade changes stored since the subscription last looked.</summary>
    private SubscriptionState Scan(SubscriptionState subscription)
    {
        using var connection = store.OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT log_offset, event_id, type, event FROM entries
            WHERE log_offset > $after AND kind = 'event' AND status = 'valid' AND type IN ({string.Join(", ", GradeTypes.Select((_, i) => $"$t{i}"))})
                AND ($patient IS NULL OR patient_id = $patient)
            ORDER BY log_offset LIMIT 1000
            """;
        command.Parameters.AddWithValue("$after", subscription.ScannedOffset);
        command.Parameters.AddWithValue("$patient", (object?)subscription.Patient ?? DBNull.Value);
        for (var i = 0; i < GradeTypes.Length; i++)
        {
            command.Parameters.AddWithValue($"$t{i}", GradeTypes[i]);
        }

        var found = new List<(long, Guid, DateTimeOffset)>();
        var scanned = subscription.ScannedOffset;
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                scanned = reader.GetInt64(0);
                var code = GradeObservations.CodeOfType(reader.GetString(2));
                if (subscription.Codes.Count == 0 || subscription.Codes.Contains(code, StringComparer.Ordinal))
                {
                    using var json = JsonDocument.Parse(reader.GetString(3));
                    found.Add((scanned, Guid.Parse(reader.GetString(1)), json.RootElement.GetProperty("recordedAt").GetDateTimeOffset()));
                }
            }
        }

        return scanned == subscription.ScannedOffset ? subscription : subscriptions.Append(subscription, found, scanned);
    }

    private async Task SendAsync(SubscriptionState subscription, string type, IReadOnlyList<SubscriptionEvent> events, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var sending = type == "handshake" ? subscription : subscription with { Status = "active", Error = null };
        var bundle = Notifications.Bundle(sending, type,
            [.. events.Select(e => (e, subscription.Content == "full-resource" && Observation(e.EventId) is { } resource ? resource : (JsonObject?)null))], now);
        string? failure;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, subscription.Endpoint)
            {
                Content = new StringContent(bundle.ToJsonString(), System.Text.Encoding.UTF8, FhirEndpoints.ContentType),
            };
            foreach (var header in subscription.Headers)
            {
                var colon = header.IndexOf(':', StringComparison.Ordinal);
                request.Headers.TryAddWithoutValidation(header[..colon].Trim(), header[(colon + 1)..].Trim());
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(subscription.TimeoutSeconds));
            using var response = await http.CreateClient(HttpClientName).SendAsync(request, timeout.Token);
            failure = response.IsSuccessStatusCode ? null : $"The endpoint answered HTTP {(int)response.StatusCode} to a {type} notification.";
        }
        catch (Exception e) when ((e is HttpRequestException or OperationCanceledException) && !cancellationToken.IsCancellationRequested)
        {
            failure = $"The endpoint did not answer a {type} notification ({(e is OperationCanceledException ? "timeout" : "connection failed")}).";
        }

        subscriptions.Update(subscription.Id, latest => failure is null
            ? latest with
            {
                Status = "active", Handshaken = true, Error = null, Attempts = 0, NextAttemptAt = null, LastSentAt = now,
                Delivered = events.Count > 0 ? events[^1].Number : latest.Delivered,
            }
            : latest with
            {
                Status = "error", Error = failure, Attempts = latest.Attempts + 1,
                NextAttemptAt = now + TimeSpan.FromSeconds(Math.Min(MaxBackOff.TotalSeconds, Math.Pow(2, latest.Attempts))),
            });
        if (failure is not null)
        {
            LogDeliveryFailed(logger, subscription.Id, type);
        }
    }

    private JsonObject? Observation(Guid eventId) => grades.Find(eventId) is { } grade ? GradeObservations.Observation(grade) : null;

    [LoggerMessage(Level = LogLevel.Warning, Message = "FHIR subscription {Subscription}: a {Type} notification failed; retried with back-off")]
    private static partial void LogDeliveryFailed(ILogger logger, string subscription, string type);

    [LoggerMessage(Level = LogLevel.Error, Message = "FHIR subscription {Subscription}: a delivery step failed ({Error})")]
    private static partial void LogStepFailed(ILogger logger, string subscription, string error);
}

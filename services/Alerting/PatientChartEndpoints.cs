using System.Globalization;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Toxicity.Hosting;

namespace Toxicity.Alerting.Service;

/// <summary><c>Alerting:Chart</c>: how far back the patient chart reaches (docs/alerting.md "The patient chart").</summary>
public sealed class ChartOptions
{
    public const string Section = "Alerting:Chart";

    /// <summary>
    /// The longest window a chart shows, and so how long each patient's readings, doses, grades and advice are kept in
    /// memory (72 h, the chart's default window: the first three days after a step-up dose hold most CRS onsets).
    /// </summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromHours(72);
}

/// <summary>
/// The patient chart's data: <c>GET /api/v1/patients/{id}/chart?hours=</c> (the window before now, 72 h by default, at
/// most the retention), and the same as Server-Sent Events (<c>/chart/stream</c>): a <c>chart</c> event at once, again
/// whenever something of the patient is folded from the log, and every 30 s as the window moves on.
/// </summary>
internal static class PatientChartEndpoints
{
    private static readonly TimeSpan Slide = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Reconnect = TimeSpan.FromSeconds(2);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static WebApplicationBuilder AddPatientCharts(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ChartOptions>().BindConfiguration(ChartOptions.Section)
            .Validate(o => o.Retention >= TimeSpan.FromHours(1) && o.Retention <= TimeSpan.FromDays(31),
                $"{ChartOptions.Section}:Retention must be between 1 hour and 31 days")
            .ValidateOnStart();
        return builder;
    }

    public static RouteGroupBuilder MapPatientChartEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/patients/{patientId}/chart", (string patientId, string? hours, AlertBook book, IOptions<ChartOptions> options) =>
            Window(hours, options.Value, out var window) is { } refused ? refused
            : book.Chart(patientId, window, watch: false) is { } chart ? TypedResults.Json(Page(chart, options.Value), Json)
            : Unknown())
            .RequireAuthorization(policy => policy.RequireRole(Roles.Clinician, Roles.Auditor));

        api.MapGet("/patients/{patientId}/chart/stream", (string patientId, string? hours, AlertBook book, IOptions<ChartOptions> options,
            IHostApplicationLifetime lifetime, CancellationToken cancellationToken) =>
            Window(hours, options.Value, out var window) is { } refused ? refused
            : book.Chart(patientId, window, watch: false) is null ? Unknown()
            : TypedResults.ServerSentEvents(StreamAsync(book, patientId, window, options.Value, cancellationToken, lifetime.ApplicationStopping)))
            .RequireAuthorization(Roles.Clinician);

        return api;
    }

    private static async IAsyncEnumerable<SseItem<string>> StreamAsync(AlertBook book, string patientId, TimeSpan window, ChartOptions options,
        [EnumeratorCancellation] CancellationToken requestAborted, CancellationToken stopping)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(requestAborted, stopping);
        var cancellationToken = linked.Token;
        while (!cancellationToken.IsCancellationRequested && book.Chart(patientId, window, watch: true) is { } chart)
        {
            yield return new SseItem<string>(JsonSerializer.Serialize(Page(chart, options), Json), "chart")
            {
                EventId = chart.Offset.ToString(CultureInfo.InvariantCulture),
                ReconnectionInterval = Reconnect,
            };
#pragma warning disable VSTHRD003 // a signal the book sets (on the thread pool) when it folds something of this patient
            await Task.WhenAny(chart.Changed, Task.Delay(Slide, cancellationToken));
#pragma warning restore VSTHRD003
        }
    }

    private static ChartPage Page((ChartView View, string? Ward, long Offset, Task Changed) chart, ChartOptions options) =>
        new(chart.View.PatientId, chart.Ward, chart.Offset, (int)options.Retention.TotalHours, chart.View);

    /// <summary>The window asked for: whole hours from 1 to the retention, 72 (or the retention if shorter) when not given.</summary>
    private static IResult? Window(string? hours, ChartOptions options, out TimeSpan window)
    {
        var most = (int)options.Retention.TotalHours;
        window = TimeSpan.FromHours(Math.Min(72, most));
        if (hours is null)
        {
            return null;
        }

        if (!int.TryParse(hours, NumberStyles.None, CultureInfo.InvariantCulture, out var asked) || asked < 1 || asked > most)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["hours"] = [$"The chart's window is a whole number of hours from 1 to {most}."],
            });
        }

        window = TimeSpan.FromHours(asked);
        return null;
    }

    private static IResult Unknown() => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown patient",
        detail: "No patient with this id was admitted in the event log.");
}

/// <summary>A patient chart as the API sends it: whose, which ward, the log offset it holds to, the longest window, and the chart.</summary>
internal sealed record ChartPage(string PatientId, string? Ward, long Offset, int MaxHours, ChartView Chart);

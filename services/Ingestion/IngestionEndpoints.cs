using MassTransit;
using Toxicity.Contracts.V1;

namespace Toxicity.Ingestion.Service;

internal static class IngestionEndpoints
{
    public static RouteGroupBuilder MapIngestionEndpoints(this RouteGroupBuilder api)
    {
        api.MapPost("/vital-signs", RecordVitalSignsAsync);
        return api;
    }

    // 202 only after the broker confirmed the event (publisher confirms): the observation is then durably in
    // the grading queue and in the event log. Nothing is published for a rejected request.
    private static async Task<IResult> RecordVitalSignsAsync(
        VitalSignsRequest request,
        IPublishEndpoint publisher,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var errors = VitalSignsValidation.Validate(request, now, out var temperatureC);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var recorded = new VitalSignsRecorded(
            EventId: Guid.CreateVersion7(now),
            PatientId: request.PatientId!,
            ObservedAt: request.ObservedAt!.Value.ToUniversalTime(),
            RecordedAt: now,
            TemperatureC: temperatureC,
            HeartRatePerMin: request.HeartRate,
            RespiratoryRatePerMin: request.RespiratoryRate,
            SystolicMmHg: request.SystolicMmHg,
            DiastolicMmHg: request.DiastolicMmHg,
            SpO2Percent: request.SpO2Percent);

        await publisher.Publish(recorded, cancellationToken);
        return TypedResults.Accepted((string?)null, new Accepted(recorded.EventId));
    }
}

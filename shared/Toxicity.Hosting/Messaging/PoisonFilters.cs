using System.Text.Json;
using MassTransit;
using MassTransit.Middleware.Rescue;
using MassTransit.Transports;
using Toxicity.Contracts;

namespace Toxicity.Hosting;

/// <summary>
/// A message whose envelope names an event but whose event breaks the envelope's contract (<see cref="IPatientEvent"/>):
/// no id, a patient id that is not pseudonymous, no clinical or system time. Never retried: it goes to the
/// endpoint's <c>_error</c> queue at once, with this message (the field, never its value) as the reason.
/// </summary>
public sealed class InvalidEventException(string message) : Exception(message);

/// <summary>A command a service sends itself about one patient (a clock's review request): never in the event log.</summary>
public interface IPatientCommand
{
    /// <summary>Pseudonymous patient id; never a name.</summary>
    string PatientId { get; }
}

/// <summary>
/// Refuses an <see cref="IPatientEvent"/> (or an <see cref="IPatientCommand"/>) that breaks its contract before any
/// consumer sees it (<see cref="InvalidEventException"/>).
/// </summary>
internal sealed class ValidEventFilter<T> : IFilter<ConsumeContext<T>>
    where T : class
{
    public Task Send(ConsumeContext<T> context, IPipe<ConsumeContext<T>> next)
    {
        var problem = context.Message switch
        {
            IPatientEvent e => Problem(e),
            IPatientCommand c when !PatientIds.IsPseudonymous(c.PatientId) => "patientId is missing or not a pseudonymous id",
            _ => null,
        };
        return problem is null ? next.Send(context) : throw new InvalidEventException($"{typeof(T).Name}.{problem}");
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("validEvent");

    private static string? Problem(IPatientEvent e) =>
        e.EventId == Guid.Empty ? "eventId is missing"
        : !PatientIds.IsPseudonymous(e.PatientId) ? "patientId is missing or not a pseudonymous id"
        : e.ObservedAt == default ? "observedAt is missing"
        : e.RecordedAt == default ? "recordedAt is missing"
        : null;
}

/// <summary>
/// What becomes of a message no consumer on the endpoint takes (a contract or a version this service does not know):
/// instead of MassTransit's <c>_skipped</c> queue, the endpoint's <c>_error</c> queue, beside every other poison
/// message, with the message types it named as the reason (<c>MT-Fault-Message</c>). Sent there directly: an
/// exception thrown here would be outside MassTransit's rescue, and the broker would redeliver it for ever.
/// </summary>
internal sealed class NotConsumedFilter : IFilter<ReceiveContext>
{
    public async Task Send(ReceiveContext context, IPipe<ReceiveContext> next)
    {
        var reason = new MessageNotConsumedException(context.InputAddress, $"No consumer on this endpoint takes {MessageTypes(context)}: an unknown contract or contract version.");
        if (!context.TryGetPayload(out IErrorTransport? errors))
        {
            throw new TransportException(context.InputAddress, "no error transport to move a message nobody consumes to", reason);
        }

        await errors.Send(new RescueExceptionReceiveContext(context, reason));
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("notConsumed");

    /// <summary>The types the envelope names (its <c>messageType</c>): it was read once already, so it is JSON.</summary>
    private static string MessageTypes(ReceiveContext context)
    {
        try
        {
            using var envelope = JsonDocument.Parse(context.Body.GetBytes());
            if (envelope.RootElement.ValueKind == JsonValueKind.Object && envelope.RootElement.TryGetProperty("messageType", out var types)
                && types.ValueKind == JsonValueKind.Array)
            {
                return string.Join(", ", types.EnumerateArray().Select(t => t.ToString()));
            }
        }
        catch (JsonException)
        {
            // a serializer other than the JSON envelope's: the reason names no type
        }

        return "its message type";
    }
}

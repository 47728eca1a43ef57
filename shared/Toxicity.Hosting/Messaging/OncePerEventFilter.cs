using MassTransit;
using Toxicity.Contracts;

namespace Toxicity.Hosting;

/// <summary>
/// Makes every consumer idempotent on <see cref="IPatientEvent.EventId"/> (STYLE.md habit 7): on each receive
/// endpoint, an event whose effect already succeeded is acknowledged without running the consumer again.
/// </summary>
internal sealed class OncePerEventFilter<T>(ProcessedEvents processed) : IFilter<ConsumeContext<T>>
    where T : class
{
    public Task Send(ConsumeContext<T> context, IPipe<ConsumeContext<T>> next) =>
        context.Message is IPatientEvent patientEvent
            ? processed.RunOnceAsync(context.ReceiveContext.InputAddress.AbsolutePath, patientEvent.EventId, () => next.Send(context))
            : next.Send(context);

    public void Probe(ProbeContext context) => context.CreateFilterScope("oncePerEvent");
}

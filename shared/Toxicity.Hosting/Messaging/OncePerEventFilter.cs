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
    public async Task Send(ConsumeContext<T> context, IPipe<ConsumeContext<T>> next)
    {
        if (context.Message is not IPatientEvent patientEvent)
        {
            await next.Send(context);
        }
        else if (!await processed.RunOnceAsync(context.ReceiveContext.InputAddress.AbsolutePath, patientEvent.EventId, () => next.Send(context)))
        {
            // A copy of an event whose effect already succeeded is consumed on purpose (acknowledged, nothing done):
            // left unmarked, MassTransit would take it for a message nobody consumes and dead-letter it.
            await context.NotifyConsumed(context, TimeSpan.Zero, "once-per-event: a copy");
        }
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("oncePerEvent");
}

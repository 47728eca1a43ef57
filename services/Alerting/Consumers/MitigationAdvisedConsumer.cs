using MassTransit;
using Toxicity.Contracts.V1;
using Toxicity.Hosting;

namespace Toxicity.Alerting.Service.Consumers;

internal sealed class MitigationAdvisedConsumer(AlertFeed feed, ProcessedEvents processed) : IConsumer<MitigationAdvised>
{
    public async Task Consume(ConsumeContext<MitigationAdvised> context)
    {
        var advised = context.Message;
        await processed.RunOnceAsync(advised.EventId, () =>
        {
            feed.Append(advised.EventId, AlertFeedEvents.Advice, advised.PatientId, advised.ToNotice());
            return Task.CompletedTask;
        });
    }
}

using MassTransit;
using Toxicity.Contracts.V1;

namespace Toxicity.Alerting.Service.Consumers;

/// <summary>Shows advice on clinicians' screens beside the alert it follows.</summary>
internal sealed class MitigationAdvisedConsumer(AlertFeed feed) : IConsumer<MitigationAdvised>
{
    public Task Consume(ConsumeContext<MitigationAdvised> context)
    {
        var advised = context.Message;
        feed.Append(advised.EventId, AlertFeedEvents.Advice, advised.PatientId, advised.ToNotice());
        return Task.CompletedTask;
    }
}

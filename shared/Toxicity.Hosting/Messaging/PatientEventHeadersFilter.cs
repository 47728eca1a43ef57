using MassTransit;
using Toxicity.Contracts;

namespace Toxicity.Hosting;

/// <summary>
/// On every published event: the patient in the transport header <see cref="PartitionTopology.PatientIdHeader"/>, where
/// the broker's consistent-hash exchange can hash it (the broker routes on headers, never on bodies), and the event's
/// signature (<see cref="EventSigner"/>) in the headers the event log keeps. One instance on the bus's publish pipe: no
/// scope or filter is created per message (SendContext is covariant, so the event is read as an <see cref="IPatientEvent"/>).
/// </summary>
internal sealed class PatientEventHeadersFilter(EventSigner signer) : IFilter<PublishContext>
{
    public Task Send(PublishContext context, IPipe<PublishContext> next)
    {
        if (context is SendContext<IPatientEvent> { Message: var patientEvent })
        {
            context.Headers.Set(PartitionTopology.PatientIdHeader, patientEvent.PatientId);
            if (signer.Sign(patientEvent) is { } signature)
            {
                context.Headers.Set(EventSignatures.KeyIdHeader, signer.KeyId);
                context.Headers.Set(EventSignatures.SignatureHeader, signature);
            }
        }

        return next.Send(context);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("patientEventHeaders");
}

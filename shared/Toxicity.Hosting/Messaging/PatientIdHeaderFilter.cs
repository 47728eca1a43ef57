using MassTransit;
using Toxicity.Contracts;

namespace Toxicity.Hosting;

/// <summary>
/// Puts the patient of every published event into the transport header <see cref="PartitionTopology.PatientIdHeader"/>,
/// where the broker's consistent-hash exchange can hash it: the broker routes on headers, never on bodies.
/// </summary>
internal sealed class PatientIdHeaderFilter<T> : IFilter<PublishContext<T>>
    where T : class
{
    public Task Send(PublishContext<T> context, IPipe<PublishContext<T>> next)
    {
        if (context.Message is IPatientEvent patientEvent)
        {
            context.Headers.Set(PartitionTopology.PatientIdHeader, patientEvent.PatientId);
        }

        return next.Send(context);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("patientIdHeader");
}

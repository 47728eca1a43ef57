using Xunit;

namespace Toxicity.Hosting.Tests;

public sealed class EventIdsTests
{
    [Fact]
    public void Name_based_ids_match_the_RFC_9562_version_5_example()
    {
        // RFC 9562 Appendix A.4: UUIDv5 of "www.example.com" in the DNS namespace.
        var dns = new Guid("6ba7b810-9dad-11d1-80b4-00c04fd430c8");

        Assert.Equal(new Guid("2ed6657d-e927-568b-95e1-2665a8aea6a2"), EventIds.NameBased(dns, "www.example.com"));
    }

    [Fact]
    public void A_derived_id_is_the_same_for_the_same_cause_and_effect_and_differs_otherwise()
    {
        var cause = Guid.CreateVersion7();

        Assert.Equal(EventIds.Derive(cause, "crs-grade-changed"), EventIds.Derive(cause, "crs-grade-changed"));
        Assert.NotEqual(EventIds.Derive(cause, "crs-grade-changed"), EventIds.Derive(cause, "alert-raised"));
        Assert.NotEqual(EventIds.Derive(cause, "crs-grade-changed"), EventIds.Derive(Guid.CreateVersion7(), "crs-grade-changed"));
        Assert.Equal(5, EventIds.Derive(cause, "crs-grade-changed").Version);
    }
}

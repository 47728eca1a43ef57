using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Toxicity.Testing;
using Xunit;
using static Toxicity.Ingestion.Service.Tests.Hl7v2Messages;

namespace Toxicity.Ingestion.Service.Tests;

/// <summary>MLLP over TLS: the listener configured with a PEM certificate and key answers over TLS only.</summary>
[Collection(TlsIngestionCollection.Name)]
public sealed class MllpTlsTests(TlsIngestionFixture ingestion)
{
    [Fact]
    public async Task A_message_over_TLS_is_acknowledged_and_recorded_and_plain_TCP_gets_no_answer()
    {
        var temperature = Numeric("150364^MDC_TEMP_BODY^MDC", "38.8", "Cel^^UCUM");
        await using (var tls = await MllpClient.ConnectAsync(ingestion.MllpPort, "localhost", (_, certificate, _, _) =>
            certificate is not null && certificate.GetCertHashString() == ingestion.Thumbprint))
        {
            Assert.Equal("AA", Read(await tls.SendAsync(Oru(NewControlId(), ingestion.MarkerPatient, DateTimeOffset.UtcNow, [temperature]))).Code);
        }

        Assert.Equal(38.8, Single(await ingestion.PublishedSinceLastCheckAsync()).GetProperty("temperatureC").GetDouble());

        await using var plain = await MllpClient.ConnectAsync(ingestion.MllpPort);
        await plain.WriteFrameAsync(Oru(NewControlId(), ingestion.MarkerPatient, DateTimeOffset.UtcNow, [temperature]));
        Assert.True(await plain.ClosedByListenerAsync(TimeSpan.FromSeconds(30)));
        Assert.Empty(await ingestion.PublishedSinceLastCheckAsync());
    }
}

/// <summary>The Ingestion fixture with MLLP over TLS: a self-signed certificate for localhost, written as PEM files.</summary>
public sealed class TlsIngestionFixture : IngestionFixture
{
    private readonly string _directory = Directory.CreateTempSubdirectory("toxicity-mllp-tls-").FullName;

    public TlsIngestionFixture()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        Thumbprint = certificate.GetCertHashString();
        File.WriteAllText(CertificatePath, certificate.ExportCertificatePem(), Encoding.ASCII);
        File.WriteAllText(KeyPath, key.ExportPkcs8PrivateKeyPem(), Encoding.ASCII);
    }

    public string Thumbprint { get; }

    private string CertificatePath => Path.Combine(_directory, "mllp.crt");

    private string KeyPath => Path.Combine(_directory, "mllp.key");

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    protected override IEnumerable<KeyValuePair<string, string>> ExtraSettings() =>
        [new("Ingestion__Mllp__CertificatePath", CertificatePath), new("Ingestion__Mllp__KeyPath", KeyPath)];
}

[CollectionDefinition(Name)]
public sealed class TlsIngestionCollection : ICollectionFixture<TlsIngestionFixture>
{
    public const string Name = "ingestion over MLLP with TLS";
}

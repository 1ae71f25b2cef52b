using System.Net;
using System.Security.Cryptography.X509Certificates;
using Segel.Core.Ca;
using Segel.Core.Configuration;
using Segel.Testing;

namespace Segel.Core.Tests.Ca;

/// <summary>
/// Trusted lists (ETSI TS 119 612, issue 21.3) signed by <c>xmlsec1</c>, which nobody here wrote: the CA services in
/// force are trusted; a list changed after signing, signed by someone else, wrapped, or out of date is not; and a
/// publisher's outage does not untrust what the list gave before.
/// </summary>
public sealed class TrustedListTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public TrustedListTests()
    {
        foreach (string signer in new[] { "signer", "stranger" })
        {
            Tool.OpenSslOk("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", F(signer + ".key"), "-out", F(signer + ".pem"), "-days", "30",
                "-subj", $"/C=ID/O=Kementerian Uji/CN={signer}");
        }
        foreach (string root in new[] { "national", "withdrawn" })
        {
            Tool.OpenSslOk("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", F(root + ".key"), "-out", F(root + ".pem"),
                "-days", "3650", "-subj", $"/C=ID/O=BSrE Uji/CN=Root {root}", "-addext", "basicConstraints=critical,CA:true", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        }
    }

    private string F(string name) => _dir.File(name);

    public void Dispose() => _dir.Dispose();

    private static string Base64(string pem) => string.Concat(File.ReadAllLines(pem).Where(l => !l.StartsWith("-----", StringComparison.Ordinal)));

    private static string Service(string pem, string status) => $"""
        <TSPService><ServiceInformation>
          <ServiceTypeIdentifier>http://uri.etsi.org/TrstSvc/Svctype/CA/QC</ServiceTypeIdentifier>
          <ServiceName><Name xml:lang="en">{Path.GetFileNameWithoutExtension(pem)}</Name></ServiceName>
          <ServiceDigitalIdentity><DigitalId><X509Certificate>{Base64(pem)}</X509Certificate></DigitalId></ServiceDigitalIdentity>
          <ServiceStatus>http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/{status}</ServiceStatus>
        </ServiceInformation></TSPService>
        """;

    /// <summary>A list with the national root granted and another withdrawn, signed by xmlsec1 with <paramref name="signer"/>'s key.</summary>
    private byte[] SignedList(string name, string signer = "signer", string nextUpdate = "2099-01-01T00:00:00Z", string extraSignature = "")
    {
        string template = $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <TrustServiceStatusList xmlns="http://uri.etsi.org/02231/v2#" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" Id="tsl">
              <SchemeInformation><TSLVersionIdentifier>5</TSLVersionIdentifier><TSLSequenceNumber>1</TSLSequenceNumber>
                <NextUpdate><dateTime>{nextUpdate}</dateTime></NextUpdate></SchemeInformation>
              <TrustServiceProviderList><TrustServiceProvider><TSPInformation><TSPName><Name xml:lang="en">BSrE</Name></TSPName></TSPInformation>
                <TSPServices>{Service(F("national.pem"), "granted")}{Service(F("withdrawn.pem"), "withdrawn")}</TSPServices>
              </TrustServiceProvider></TrustServiceProviderList>
              <ds:Signature><ds:SignedInfo>
                <ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>
                <ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>
                <ds:Reference URI=""><ds:Transforms><ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>
                  <ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></ds:Transforms>
                  <ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue/></ds:Reference>
              </ds:SignedInfo><ds:SignatureValue/><ds:KeyInfo><ds:X509Data/></ds:KeyInfo></ds:Signature>{extraSignature}
            </TrustServiceStatusList>
            """;
        File.WriteAllText(F(name + ".template.xml"), template);
        Tool.Run("xmlsec1", "--sign", "--privkey-pem", $"{F(signer + ".key")},{F(signer + ".pem")}", "--output", F(name + ".xml"), F(name + ".template.xml")).Check();
        // xmlsec1 checks its own signature too, as any relying party's tool would.
        Tool.Run("xmlsec1", "--verify", "--trusted-pem", F(signer + ".pem"), F(name + ".xml")).Check();
        return File.ReadAllBytes(F(name + ".xml"));
    }

    private X509Certificate2 Signer => X509CertificateLoader.LoadCertificateFromFile(F("signer.pem"));

    [Fact]
    public void The_CA_services_in_force_of_a_list_its_signer_signed_are_trusted()
    {
        IReadOnlyList<X509Certificate2> anchors = TrustedList.Read(SignedList("good"), Signer, DateTimeOffset.UtcNow);
        Assert.Equal("CN=Root national, O=BSrE Uji, C=ID", Assert.Single(anchors).Subject);
    }

    [Fact]
    public void A_list_changed_signed_by_another_wrapped_or_out_of_date_is_refused()
    {
        string good = System.Text.Encoding.UTF8.GetString(SignedList("good"));
        byte[] tampered = System.Text.Encoding.UTF8.GetBytes(good.Replace("/Svcstatus/withdrawn", "/Svcstatus/granted", StringComparison.Ordinal));
        Assert.Contains("changed after signing", Assert.Throws<TrustedListException>(() => TrustedList.Read(tampered, Signer, DateTimeOffset.UtcNow)).Message, StringComparison.Ordinal);
        Assert.Throws<TrustedListException>(() => TrustedList.Read(SignedList("stranger", signer: "stranger"), Signer, DateTimeOffset.UtcNow));
        Assert.Contains("out of date", Assert.Throws<TrustedListException>(() => TrustedList.Read(SignedList("stale", nextUpdate: "2020-01-01T00:00:00Z"), Signer, DateTimeOffset.UtcNow)).Message,
            StringComparison.Ordinal);
        string second = "<ds:Signature><ds:SignedInfo/></ds:Signature>";
        Assert.Contains("exactly one signature", Assert.Throws<TrustedListException>(() => TrustedList.Read(SignedList("wrapped", extraSignature: second), Signer, DateTimeOffset.UtcNow)).Message,
            StringComparison.Ordinal);
        Assert.Throws<TrustedListException>(() => TrustedList.Read("<!DOCTYPE x [<!ENTITY a 'b'>]><x>&a;</x>"u8.ToArray(), Signer, DateTimeOffset.UtcNow));
    }

    [Fact]
    public async Task The_installation_trusts_a_published_list_and_keeps_it_through_an_outage()
    {
        byte[] list = SignedList("published");
        using var listener = new HttpListener();
        int port;
        using (var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        bool up = true;
        _ = Task.Run(async () =>
        {
            while (listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await listener.GetContextAsync();
                }
                catch (HttpListenerException)
                {
                    return;
                }
                context.Response.StatusCode = up ? 200 : 503;
                if (up)
                {
                    await context.Response.OutputStream.WriteAsync(list);
                }
                context.Response.Close();
            }
        });
        using TestCa test = await TestCa.CreateAsync(configure: o => o.TrustedLists = [new TrustedListOptions { Url = $"http://127.0.0.1:{port}/tsl.xml", Signer = F("signer.pem") }]);
        Assert.Contains(await test.Ca.Anchors.AllAsync(), a => a.Subject.Contains("Root national", StringComparison.Ordinal));
        Assert.Empty(test.Ca.Anchors.ListProblems);

        up = false;
        test.Time.Advance(TimeSpan.FromHours(2));
        await test.Ca.Anchors.RefreshAsync(); // what the server's TrustedListRefreshJob does; requests never fetch again
        Assert.Contains(await test.Ca.Anchors.AllAsync(), a => a.Subject.Contains("Root national", StringComparison.Ordinal));
        Assert.Contains("503", Assert.Single(test.Ca.Anchors.ListProblems).Value, StringComparison.Ordinal);
        Assert.Contains((await test.Ca.Health.CheckAsync()).Warnings, w => w.Code == "trusted-list-unavailable" && w.Subject.Contains("tsl.xml", StringComparison.Ordinal));
    }
}

using System.Security.Cryptography.X509Certificates;
using Segel.Pki.Cmp;
using Segel.Pki.Revocation;
using Segel.Testing;

namespace Segel.Pki.Tests.Cmp;

/// <summary>
/// Segel's CMP client (issue 21.2) against OpenSSL's own CMP mock server (<c>openssl cmp -port</c>), which nobody here
/// wrote: enrollment of a PKCS#10 request with certConf, revocation, and each way an answer must not be believed.
/// </summary>
public sealed class CmpClientTests : IDisposable
{
    private const string Secret = CmpMockServer.Secret;
    private const string Reference = CmpMockServer.Reference;
    private static readonly HttpClient Http = new();
    private readonly TempDirectory _dir = new();
    private readonly List<CmpMockServer> _servers = [];

    public CmpClientTests()
    {
        Tool.OpenSslOk("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", F("ca.key"), "-out", F("ca.pem"), "-days", "30",
            "-subj", "/CN=Upstream CA", "-addext", "basicConstraints=critical,CA:true", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        File.WriteAllText(F("ee.cnf"), "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n");
        foreach (string name in new[] { "holder", "other" })
        {
            Tool.OpenSslOk("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", F(name + ".key"), "-out", F(name + ".csr"),
                "-outform", "DER", "-subj", "/CN=" + name);
            Tool.OpenSslOk("x509", "-req", "-in", F(name + ".csr"), "-inform", "DER", "-CA", F("ca.pem"), "-CAkey", F("ca.key"), "-set_serial", name.Length.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "-days", "10", "-extfile", F("ee.cnf"), "-out", F(name + ".pem"));
        }
    }

    private string F(string name) => _dir.File(name);

    public void Dispose()
    {
        foreach (CmpMockServer server in _servers)
        {
            server.Dispose();
        }
        _dir.Dispose();
    }

    /// <summary>Starts `openssl cmp` as a mock CA answering with <paramref name="certificate"/>; returns its URL.</summary>
    private Uri MockServer(string certificate, params string[] extra)
    {
        CmpMockServer server = CmpMockServer.Start(certificate, F("ca.pem"), extra);
        _servers.Add(server);
        return server.Url;
    }

    private string MockServerStrict(string certificate)
    {
        CmpMockServer server = CmpMockServer.StartStrict(certificate, F("ca.pem"));
        _servers.Add(server);
        return server.Url.ToString();
    }

    private static CmpClient Client(Uri server, string secret = Secret) =>
        new(new CmpOptions(server, new X500DistinguishedName("CN=Upstream CA")) { Reference = Reference, Secret = secret }, Http);

    [Fact]
    public async Task A_request_is_enrolled_and_confirmed_and_the_certificate_revoked()
    {
        CmpClient client = Client(MockServer(F("holder.pem")));
        CmpEnrollment enrolled = await client.EnrollAsync(File.ReadAllBytes(F("holder.csr")));
        using X509Certificate2 expected = X509CertificateLoader.LoadCertificateFromFile(F("holder.pem"));
        Assert.Equal(expected.RawData, enrolled.Certificate.RawData);
        Assert.Contains(enrolled.CaCertificates, c => c.Subject == "CN=Upstream CA");
        File.WriteAllText(F("enrolled.pem"), enrolled.Certificate.ExportCertificatePem());
        Assert.Contains(": OK", Tool.OpenSslOk("verify", "-CAfile", F("ca.pem"), F("enrolled.pem")), StringComparison.Ordinal);

        await client.RevokeAsync(enrolled.Certificate, RevocationReason.KeyCompromise);
    }

    [Fact]
    public async Task A_refusal_says_why()
    {
        CmpClient client = Client(MockServer(F("holder.pem"), "-pkistatus", "2", "-failure", "19", "-statusstring", "NIP tidak dikenal"));
        CmpException refused = await Assert.ThrowsAsync<CmpException>(() => client.EnrollAsync(File.ReadAllBytes(F("holder.csr"))));
        Assert.True(refused.Refused);
        Assert.Contains("NIP tidak dikenal", refused.Message, StringComparison.Ordinal);
        Assert.Contains("badCertTemplate", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_certificate_for_another_key_is_refused_back_to_the_CA()
    {
        CmpClient client = Client(MockServer(F("other.pem")));
        CmpException refused = await Assert.ThrowsAsync<CmpException>(() => client.EnrollAsync(File.ReadAllBytes(F("holder.csr"))));
        Assert.Contains("another key", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unprotected_or_wrongly_protected_answers_are_not_believed()
    {
        CmpException unprotected = await Assert.ThrowsAsync<CmpException>(() =>
            Client(MockServer(F("holder.pem"), "-send_unprotected", "-accept_unprotected")).EnrollAsync(File.ReadAllBytes(F("holder.csr"))));
        Assert.Contains("not protected", unprotected.Message, StringComparison.Ordinal);

        CmpException wrongSecret = await Assert.ThrowsAsync<CmpException>(() =>
            Client(MockServer(F("holder.pem")), "ein-anderes-geheimnis").EnrollAsync(File.ReadAllBytes(F("holder.csr"))));
        // The CA cannot check the request and says so under its own secret, which this client cannot check either.
        Assert.Contains("not protected", wrongSecret.Message, StringComparison.Ordinal);

        CmpException nobody = await Assert.ThrowsAsync<CmpException>(() =>
            Client(new Uri("http://127.0.0.1:9/")).EnrollAsync(File.ReadAllBytes(F("holder.csr"))));
        Assert.Contains("did not answer", nobody.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new CmpClient(new CmpOptions(new Uri("http://127.0.0.1:9/"), new X500DistinguishedName("CN=CA")), Http));
    }

    [Fact]
    public async Task An_RA_vouches_for_a_key_with_raVerified_and_can_refuse_what_it_cannot_record()
    {
        using X509Certificate2 expected = X509CertificateLoader.LoadCertificateFromFile(F("holder.pem"));
        CmpClient client = Client(MockServer(F("holder.pem")));
        CmpPendingEnrollment pending = await client.RequestAsync(new X500DistinguishedName("CN=holder"), expected.PublicKey, "holder@tanahbumbukab.go.id");
        Assert.Equal(expected.RawData, pending.Result.Certificate.RawData);
        await pending.RefuseAsync("the RA's record of it failed");
        await Assert.ThrowsAsync<InvalidOperationException>(() => pending.ConfirmAsync());

        // An entity the CA already certified asks for an additional certificate: cr, answered with cp.
        CmpPendingEnrollment second = await client.RequestAsync(new X500DistinguishedName("CN=holder"), expected.PublicKey, null, CmpEntity.Known);
        Assert.Equal(expected.RawData, second.Result.Certificate.RawData);
        await second.ConfirmAsync();

        // Without -accept_raverified, OpenSSL's CA wants the key's own proof and refuses the RA's word.
        CmpException refused = await Assert.ThrowsAsync<CmpException>(() =>
            Client(new Uri(MockServerStrict(F("holder.pem")))).RequestAsync(new X500DistinguishedName("CN=holder"), expected.PublicKey, null));
        Assert.True(refused.Refused);
    }
}

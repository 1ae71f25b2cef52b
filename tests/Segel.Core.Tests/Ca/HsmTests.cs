using Microsoft.EntityFrameworkCore;
using Segel.Core.Ca;
using Segel.Core.Kernel;
using Segel.Core.Storage;
using Segel.Pki.Certificates;
using Segel.Pki.Keys;
using Segel.Testing;

namespace Segel.Core.Tests.Ca;

/// <summary>The whole CA with its keys in an HSM (SoftHSM2 over PKCS#11), checked by openssl.</summary>
public sealed class HsmTests
{
    [Fact]
    public async Task A_ca_on_an_hsm_issues_certificates_crls_ocsp_answers_and_time_stamps_that_openssl_accepts()
    {
        using var store = new Pkcs11KeyStore(SoftHsm.Token);
        using TestCa test = await TestCa.CreateAsync(configure: o =>
        {
            o.Ca.RootAlgorithm = "rsa3072";
            o.Ca.IssuingAlgorithm = "ecdsa-p384";
        }, keyStore: _ => store);

        await using (SegelDbContext db = test.Ca.Database.CreateContext())
        {
            List<string> uris = await db.Authorities.Select(a => a.KeyUri).ToListAsync();
            Assert.NotEmpty(uris);
            Assert.All(uris, uri => Assert.StartsWith("pkcs11:", uri, StringComparison.Ordinal));
        }

        LoadedAuthority issuing = await test.Ca.Ring.GetActiveAsync(AuthorityRole.IssuingCa);
        LoadedAuthority root = await test.Ca.Ring.GetActiveAsync(AuthorityRole.RootCa);
        string chain = test.Directory.Write("chain.pem", issuing.Certificate.ExportCertificatePem() + "\n" + root.Certificate.ExportCertificatePem() + "\n");
        IssuedCertificate issued = await test.Ca.Issuance.IssueFromCsrAsync(Csr.Create(), new HolderDetails(Nip: "198507152010011003"), CertificateProfile.Subscriber, Actor.System);
        string leaf = test.Directory.Write("leaf.pem", issued.Certificate.ExportCertificatePem());
        Assert.Contains("leaf.pem: OK", Tool.OpenSslOk("verify", "-CAfile", chain, leaf), StringComparison.Ordinal);

        CrlView crl = await test.Ca.Crls.PublishAsync(issuing);
        string crlFile = test.Directory.Write("issuing.crl", crl.Der);
        Assert.Contains("verify OK", Tool.OpenSsl("crl", "-inform", "DER", "-in", crlFile, "-CAfile", chain, "-noout").Output, StringComparison.Ordinal);

        string issuerPem = test.Directory.Write("issuing.pem", issuing.Certificate.ExportCertificatePem());
        Tool.OpenSslOk("ocsp", "-issuer", issuerPem, "-cert", leaf, "-no_nonce", "-reqout", test.Directory.File("req.der"));
        Pki.Ocsp.OcspResponder responder = await test.Ca.Responders.BuildAsync();
        Pki.Ocsp.OcspAnswer answer = await responder.RespondAsync(File.ReadAllBytes(test.Directory.File("req.der")));
        string respFile = test.Directory.Write("resp.der", answer.Body);
        string ocsp = Tool.OpenSsl("ocsp", "-respin", respFile, "-issuer", issuerPem, "-cert", leaf, "-CAfile", chain).Output;
        Assert.Contains("Response verify OK", ocsp, StringComparison.Ordinal);
        Assert.Contains(": good", ocsp, StringComparison.Ordinal);

        string data = test.Directory.Write("surat.txt", "Surat Dinas Nomor 800/123");
        Tool.OpenSslOk("ts", "-query", "-data", data, "-sha256", "-cert", "-out", test.Directory.File("q.tsq"));
        string tsr = test.Directory.Write("r.tsr", await test.Ca.TimeStamps.RespondAsync(File.ReadAllBytes(test.Directory.File("q.tsq"))));
        Assert.Contains("Verification: OK", Tool.OpenSslOk("ts", "-verify", "-data", data, "-in", tsr, "-CAfile", chain), StringComparison.Ordinal);
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Segel.Core.Ca;
using Segel.Core.Configuration;
using Segel.Core.Custody;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Lifecycle;
using Segel.Core.Storage;
using Segel.Testing;

namespace Segel.Core.Tests.Ca;

/// <summary>
/// Issue 21.2: Segel's RA in front of an upstream CA, here OpenSSL's own CMP mock server (<c>openssl cmp -port</c>) with
/// an upstream root and issuing CA made by <c>openssl</c>, and OpenSSL's OCSP responder for the upstream's status. The
/// mock answers every request with one fixed certificate, so each test first has the key (a custody key made at the
/// holder's confirmation, or the holder's CSR), then has the upstream's CA certify it, then starts the mock.
/// </summary>
public sealed class UpstreamCaTests : IDisposable
{
    private const string Reason = "Sertifikat dari CA nasional untuk pegawai ini";
    private readonly TempDirectory _pki = new();
    private readonly List<IDisposable> _servers = [];
    private readonly int _cmpPort = CmpMockServer.FreePort();
    private readonly int _ocspPort = CmpMockServer.FreePort();

    public UpstreamCaTests()
    {
        File.WriteAllText(F("ca.cnf"), "basicConstraints=critical,CA:true\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n");
        File.WriteAllText(F("ee.cnf"), "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\nsubjectKeyIdentifier=hash\n"
            + $"authorityKeyIdentifier=keyid\nauthorityInfoAccess=OCSP;URI:http://127.0.0.1:{_ocspPort}/\n");
        Tool.OpenSslOk("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", F("root.key"), "-out", F("root.pem"), "-days", "3650",
            "-subj", "/CN=Root CA Nasional Uji/O=BSrE Uji", "-addext", "basicConstraints=critical,CA:true", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        Tool.OpenSslOk("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", F("issuing.key"), "-out", F("issuing.csr"),
            "-subj", "/CN=CA Penerbit Nasional Uji/O=BSrE Uji");
        Tool.OpenSslOk("x509", "-req", "-in", F("issuing.csr"), "-CA", F("root.pem"), "-CAkey", F("root.key"), "-set_serial", "2", "-days", "3000",
            "-extfile", F("ca.cnf"), "-out", F("issuing.pem"));
        File.WriteAllText(F("upstream.pem"), File.ReadAllText(F("issuing.pem")) + File.ReadAllText(F("root.pem")));
        File.WriteAllText(F("index.txt"), "");
    }

    private string F(string name) => _pki.File(name);

    public void Dispose()
    {
        foreach (IDisposable server in _servers)
        {
            server.Dispose();
        }
        _pki.Dispose();
    }

    /// <summary>The upstream's certificate for a public key (SPKI PEM), as its CA would make it, and the line OpenSSL's OCSP responder keeps for it.</summary>
    private string Certify(string name, string publicKeyPem, int serial)
    {
        File.WriteAllText(F(name + ".pub"), publicKeyPem);
        Tool.OpenSslOk("x509", "-new", "-force_pubkey", F(name + ".pub"), "-subj", $"/CN={name}", "-CA", F("issuing.pem"), "-CAkey", F("issuing.key"),
            "-set_serial", serial.ToString(CultureInfo.InvariantCulture), "-days", "730", "-extfile", F("ee.cnf"), "-out", F(name + ".pem"));
        return F(name + ".pem");
    }

    private void Cmp(string certificate)
    {
        foreach (CmpMockServer old in _servers.OfType<CmpMockServer>().ToList())
        {
            old.Dispose();
            _servers.Remove(old);
        }
        _servers.Add(CmpMockServer.StartOn(_cmpPort, certificate, F("upstream.pem")));
    }

    private CmpMockServer Mock => _servers.OfType<CmpMockServer>().Single();

    private void Configure(SegelOptions options) => options.Upstream = new UpstreamOptions
    {
        Protocol = "cmp",
        Url = $"http://127.0.0.1:{_cmpPort}/",
        CaCertificates = F("upstream.pem"),
        Reference = CmpMockServer.Reference,
        Secret = CmpMockServer.Secret,
        TimeoutSeconds = 10,
    };

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Approved_applications_are_certified_upstream_stored_chained_revoked_there_and_kept_in_step(string provider)
    {
        // Segel's own CA certifies the first RA officer; the RA then fronts the upstream (a second node, configured so).
        using TestCa test = await TestCa.CreateAsync(provider);
        LifecycleWorld world = await LifecycleWorld.CreateAsync(test.Ca);
        Configure(test.Options);
        using SegelCa ra = test.OpenSecondNode();

        // A custody key: made when Budi confirmed; the upstream certifies it on the officer's approval (raVerified).
        EnrollmentSnapshot applied = await LifecycleWorld.On(ra).SubmittedAsync(LifecycleWorld.BudiNip, world.HeadKominfo, "budi@tanahbumbukab.go.id");
        string budiKey;
        await using (SegelDbContext db = ra.Database.CreateContext())
        {
            EnrollmentRecord enrollment = await db.Enrollments.AsNoTracking().SingleAsync(e => e.Id == applied.Id);
            HolderKeyRecord key = await db.HolderKeys.AsNoTracking().SingleAsync(k => k.Id == enrollment.HolderKeyId);
            budiKey = System.Security.Cryptography.PemEncoding.WriteString("PUBLIC KEY", HolderKeyVault.PublicKeyOf(key).ExportSubjectPublicKeyInfo());
        }
        Cmp(Certify("budi", budiKey, 1001));
        (_, CertificateView budi) = await ra.Review.ApproveAsync(applied.Id, LifecycleWorld.OfficerPassphrase, world.Officer);
        using X509Certificate2 expected = X509CertificateLoader.LoadCertificateFromFile(F("budi.pem"));
        Assert.Equal(expected.SerialNumber, budi.Serial, ignoreCase: true);
        Assert.StartsWith("upstream-", budi.Issuer, StringComparison.Ordinal);
        Assert.True(Mock.Saw("received CERTCONF"));
        await using (SegelDbContext db = ra.Database.CreateContext())
        {
            CertificateRecord stored = await db.Certificates.AsNoTracking().SingleAsync(c => c.SerialHex == budi.Serial);
            Assert.Equal(expected.RawData, stored.Der);
            Assert.Equal(EnrollmentState.Approved, (await db.Enrollments.AsNoTracking().SingleAsync(e => e.Id == applied.Id)).State);
            // The upstream's CAs are kept without a key: issuing CA under its root, both from the configured file.
            List<AuthorityRecord> upstream = await db.Authorities.AsNoTracking().Where(a => a.Slug.StartsWith("upstream-")).ToListAsync();
            Assert.Equal(2, upstream.Count);
            Assert.All(upstream, a => Assert.Equal(AuthorityRecord.OutsideKeyUri, a.KeyUri));
        }
        IReadOnlyList<X509Certificate2> chain = await ra.Ring.ChainFromAsync((await ra.Ring.FindBySlugAsync(budi.Issuer))!.Id);
        Assert.Equal(["CA Penerbit Nasional Uji", "Root CA Nasional Uji"], chain.Select(c => c.GetNameInfo(X509NameType.SimpleName, false)));
        Assert.Contains(await ra.Anchors.AllAsync(), a => a.Subject.Contains("CN=Root CA Nasional Uji", StringComparison.Ordinal));

        // A holder's own CSR.
        Tool.OpenSslOk("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", F("siti.key"), "-out", F("siti.csr"), "-subj", "/CN=Siti");
        Tool.OpenSslOk("pkey", "-in", F("siti.key"), "-pubout", "-out", F("siti.spki"));
        string sitiCsr = File.ReadAllText(F("siti.csr"));
        // Issued directly first, the upstream answers with a certificate for another key: refused back to it, nothing recorded.
        Cmp(F("budi.pem"));
        SegelException wrong = await Assert.ThrowsAsync<SegelException>(() =>
            ra.Certificates.IssueFromCsrAsync(Principal.Console, sitiCsr, null, new HolderDetails(Nip: LifecycleWorld.SitiNip), Reason, "cli"));
        Assert.Equal(ErrorKind.NotReady, wrong.Kind);
        Assert.Contains("another key", wrong.Message, StringComparison.Ordinal);
        // Then through the RA: an application carrying Siti's CSR, confirmed without a passphrase, approved.
        LifecycleWorld rw = LifecycleWorld.On(ra);
        EnrollmentSnapshot created = await ra.Enrollments.CreateAsync(new NewEnrollment(LifecycleWorld.SitiNip, "sekretariat@tanahbumbukab.go.id", "new", null, sitiCsr), world.HeadDinkes);
        await rw.AttachAllAsync(created.Id, world.HeadDinkes);
        await ra.Enrollments.ConfirmAsync(created.Id, new HolderConfirmation(await rw.CodeSentToAsync("siti@tanahbumbukab.go.id"),
            (await ra.Agreements.CurrentAsync()).Version, null), "203.0.113.9");
        await ra.Enrollments.SubmitAsync(created.Id, world.HeadDinkes);
        Cmp(Certify("siti", File.ReadAllText(F("siti.spki")), 1002));
        (_, CertificateView approved) = await ra.Review.ApproveAsync(created.Id, LifecycleWorld.OfficerPassphrase, world.Officer);
        Assert.True(Mock.Saw("received IR"));
        CertificateView siti = await ra.Certificates.GetAsync(Principal.Console, approved.Serial, null);
        File.WriteAllText(F("siti-stored.pem"), siti.Pem);
        Assert.Contains(": OK", Tool.OpenSslOk("verify", "-CAfile", F("root.pem"), "-untrusted", F("issuing.pem"), F("siti-stored.pem")), StringComparison.Ordinal);

        // Revoked here: recorded at once and sent upstream as rr.
        await ra.Certificates.RevokeAsync(Principal.Console, siti.Serial, "keyCompromise", null, "cli");
        Assert.True(Mock.Saw("received RR"));

        // The upstream's own status (its OCSP responder): Budi revoked there by its operator, Siti still good (the
        // rr was lost). One round records Budi's revocation here and sends Siti's again.
        File.WriteAllText(F("index.txt"),
            $"R\t{expected.NotAfter.ToUniversalTime():yyMMddHHmmss}Z\t{DateTime.UtcNow.AddMinutes(-5):yyMMddHHmmss}Z\t{expected.SerialNumber}\tunknown\t/CN=budi\n"
            + $"V\t{expected.NotAfter.ToUniversalTime():yyMMddHHmmss}Z\t\t{X509CertificateLoader.LoadCertificateFromFile(F("siti.pem")).SerialNumber}\tunknown\t/CN=siti\n");
        _servers.Add(Ocsp());
        UpstreamStatusRound round = await ra.UpstreamStatus.CheckAsync(Principal.System);
        Assert.Equal((2, 1, 1, 0), (round.Checked, round.RecordedRevoked, round.RevocationsSent, round.Unknown));
        Assert.True(Mock.Saw("received RR", times: 2));
        await using (SegelDbContext db = ra.Database.CreateContext())
        {
            CertificateRecord stored = await db.Certificates.AsNoTracking().SingleAsync(c => c.SerialHex == budi.Serial);
            Assert.NotNull(stored.RevokedAt);
            Assert.True(await db.AuditRecords.AnyAsync(a => a.Action == "certificate.revoked" && a.Subject == budi.Serial && a.Origin == "upstream"));
        }
        Assert.Equal((2, 0, 1, 0), ((await ra.UpstreamStatus.CheckAsync(Principal.System)) is var again ? (again.Checked, again.RecordedRevoked, again.RevocationsSent, again.Unknown) : default));
        Assert.DoesNotContain((await ra.Health.CheckAsync()).Warnings, w => w.Code == "upstream-unavailable");

        // The upstream's responder gone: nothing changes here, and the health report says someone must look.
        foreach (ProcessGuard responder in _servers.OfType<ProcessGuard>().ToList())
        {
            responder.Dispose();
            _servers.Remove(responder);
        }
        Assert.Equal(2, (await ra.UpstreamStatus.CheckAsync(Principal.System)).Unknown);
        Assert.Contains((await ra.Health.CheckAsync()).Warnings, w => w.Code == "upstream-unavailable" && w.Value == 2);

        // Siti is known upstream now: another certificate for her is asked for as an additional one (cr), not a first (ir).
        Cmp(Certify("siti-2", File.ReadAllText(F("siti.spki")), 1003));
        CertificateView second = await ra.Certificates.IssueFromCsrAsync(Principal.Console, sitiCsr, null, new HolderDetails(Nip: LifecycleWorld.SitiNip), Reason, "cli");
        Assert.True(Mock.Saw("received CR") && !Mock.Saw("received IR"), Mock.Log);
        Assert.Equal(X509CertificateLoader.LoadCertificateFromFile(F("siti-2.pem")).SerialNumber, second.Serial, ignoreCase: true);
    }

    [Fact]
    public async Task An_unreachable_upstream_issues_nothing_and_says_so_and_bad_configuration_is_refused_at_start()
    {
        using TestCa test = await TestCa.CreateAsync();
        await test.Ca.EmployeeImport.ImportCsvAsync(new MemoryStream(Encoding.UTF8.GetBytes(LifecycleWorld.Csv)), Actor.System);
        Configure(test.Options);
        using SegelCa ra = test.OpenSecondNode();
        SegelException down = await Assert.ThrowsAsync<SegelException>(() => ra.Certificates.IssueFromCsrAsync(Principal.Console,
            Encoding.ASCII.GetString(Csr.Create("Budi", "budi@tanahbumbukab.go.id")), null, new HolderDetails(Nip: LifecycleWorld.BudiNip), Reason, "cli"));
        Assert.Equal(ErrorKind.NotReady, down.Kind);
        await using (SegelDbContext db = ra.Database.CreateContext())
        {
            Assert.False(await db.Certificates.AnyAsync(c => c.Profile == "subscriber"));
        }

        foreach ((Action<UpstreamOptions> change, string field) in new (Action<UpstreamOptions>, string)[]
                 {
                     (o => o.Protocol = "scep", "Upstream:Protocol"),
                     (o => o.Url = "ftp://ca.example/", "Upstream:Url"),
                     (o => o.CaCertificates = null, "Upstream:CaCertificates"),
                     (o => o.CaCertificates = "nowhere.pem", "Upstream:CaCertificates"),
                     (o => o.Secret = null, "Upstream:Secret"),
                     (o => o.Recipient = "bukan nama", "Upstream:Recipient"),
                 })
        {
            Configure(test.Options);
            change(test.Options.Upstream);
            SegelException refused = Assert.Throws<SegelException>(() => test.OpenSecondNode().Dispose());
            Assert.Equal((ErrorKind.Invalid, field), (refused.Kind, refused.Field));
        }
    }

    /// <summary>OpenSSL's OCSP responder for the upstream's issuing CA, reading index.txt.</summary>
    private ProcessGuard Ocsp()
    {
        var info = new ProcessStartInfo("openssl") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string argument in (string[])["ocsp", "-port", _ocspPort.ToString(CultureInfo.InvariantCulture), "-index", F("index.txt"), "-CA", F("issuing.pem"),
                     "-rsigner", F("issuing.pem"), "-rkey", F("issuing.key")])
        {
            info.ArgumentList.Add(argument);
        }
        var process = Process.Start(info)!;
        // Not a probe connection: the responder serves one connection at a time and would wait on the probe for ever.
        using var listening = new ManualResetEventSlim();
        void Seen(object sender, DataReceivedEventArgs e)
        {
            if (e.Data?.StartsWith("ACCEPT", StringComparison.Ordinal) == true)
            {
                listening.Set();
            }
        }
        process.OutputDataReceived += Seen;
        process.ErrorDataReceived += Seen;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        Assert.True(listening.Wait(TimeSpan.FromSeconds(10)), "openssl ocsp did not start listening");
        return new ProcessGuard(process);
    }

    private sealed class ProcessGuard(Process process) : IDisposable
    {
        public void Dispose()
        {
            try
            {
                process.Kill();
            }
            catch (InvalidOperationException)
            {
            }
            process.Dispose();
        }
    }
}

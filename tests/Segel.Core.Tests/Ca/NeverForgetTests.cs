using Microsoft.EntityFrameworkCore;
using Segel.Core.Ca;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Storage;
using Segel.Pki.Certificates;
using Segel.Pki.Ocsp;
using Segel.Pki.Revocation;
using Segel.Testing;

namespace Segel.Core.Tests.Ca;

/// <summary>A revocation relying parties have seen on a CRL stays: cleared in the database behind Segel's back, OCSP still
/// answers revoked and no CRL without it is published.</summary>
public sealed class NeverForgetTests
{
    private static readonly Actor Operator = new("test:operator");

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_revocation_cleared_in_the_database_is_still_answered_and_blocks_the_next_crl(string provider)
    {
        using TestCa test = await TestCa.CreateAsync(provider);
        IssuedCertificate issued = await test.Ca.Issuance.IssueFromCsrAsync(Csr.Create("Pegawai Pindah"), new HolderDetails(), CertificateProfile.Subscriber, Operator);
        await test.Ca.Revocation.RevokeAsync(issued.Record.SerialHex, RevocationReason.KeyCompromise, Operator);

        // An insider clears the revocation directly in the database.
        await using (SegelDbContext db = test.Ca.Database.CreateContext())
        {
            Assert.Equal(1, await db.Certificates.Where(c => c.Id == issued.Record.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.RevokedAt, (DateTimeOffset?)null).SetProperty(c => c.RevocationReason, (int?)null)));
        }
        LoadedAuthority issuing = await test.Ca.Ring.GetActiveAsync(AuthorityRole.IssuingCa);
        CertificateStatus status = await test.Ca.StatusSource.GetStatusAsync(issuing.Slug, issued.Record.SerialHex, CancellationToken.None);
        Assert.Equal(CertificateState.Revoked, status.State);
        Assert.Equal(RevocationReason.KeyCompromise, status.Reason);
        SegelException refused = await Assert.ThrowsAsync<SegelException>(() => test.Ca.Crls.PublishAsync(issuing));
        Assert.Equal(ErrorKind.Refused, refused.Kind);
        Assert.Contains(issued.Record.SerialHex, refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_holder_whose_revocation_was_cleared_in_the_database_cannot_sign_again(string provider)
    {
        using TestCa test = await TestCa.CreateAsync(provider);
        LifecycleWorld world = await LifecycleWorld.CreateAsync(test.Ca);
        Segel.Core.Lifecycle.EnrollmentSnapshot budi = await world.SubmittedAsync(LifecycleWorld.BudiNip, world.HeadKominfo, "budi@tanahbumbukab.go.id");
        (_, CertificateView certificate) = await test.Ca.Review.ApproveAsync(budi.Id, LifecycleWorld.OfficerPassphrase, world.Officer);
        await test.Ca.Revocation.RevokeAsync(certificate.Serial, RevocationReason.KeyCompromise, Operator);
        await using (SegelDbContext db = test.Ca.Database.CreateContext())
        {
            await db.Certificates.Where(c => c.SerialHex == certificate.Serial)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.RevokedAt, (DateTimeOffset?)null).SetProperty(c => c.RevocationReason, (int?)null));
        }
        var application = new Principal("api:esurat", Role.None, Scopes: new HashSet<string> { ApiScopes.SignPdf });
        SegelException refused = await Assert.ThrowsAsync<SegelException>(() => test.Ca.Signing.SignAsync(new Segel.Core.Signing.PdfSigningRequest
        {
            Email = "budi@tanahbumbukab.go.id",
            Passphrase = LifecycleWorld.HolderPassphrase,
            Documents = [new Segel.Core.Signing.PdfToSign(SamplePdf.Letter())],
            Level = Segel.Pdf.Signing.PadesLevel.BaselineB,
        }, application, null));
        Assert.Equal(ErrorKind.Refused, refused.Kind);
        Assert.Contains($"certificate {certificate.Serial} fails its integrity check", refused.Message, StringComparison.Ordinal);
        Assert.Equal("degraded", (await test.Ca.Health.CheckAsync()).Status);
    }

    [Fact]
    public async Task A_revocation_cleared_right_after_its_crl_is_answered_though_the_older_crl_was_read_a_moment_before()
    {
        using TestCa test = await TestCa.CreateAsync();
        IssuedCertificate issued = await test.Ca.Issuance.IssueFromCsrAsync(Csr.Create("Pegawai Pindah"), new HolderDetails(), CertificateProfile.Subscriber, Operator);
        LoadedAuthority issuing = await test.Ca.Ring.GetActiveAsync(AuthorityRole.IssuingCa);
        // An OCSP request just before the revocation reads the CRL of the day, without this serial.
        Assert.Equal(CertificateState.Good, (await test.Ca.StatusSource.GetStatusAsync(issuing.Slug, issued.Record.SerialHex, CancellationToken.None)).State);
        await test.Ca.Revocation.RevokeAsync(issued.Record.SerialHex, RevocationReason.KeyCompromise, Operator);
        await using (SegelDbContext db = test.Ca.Database.CreateContext())
        {
            await db.Certificates.Where(c => c.Id == issued.Record.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.RevokedAt, (DateTimeOffset?)null).SetProperty(c => c.RevocationReason, (int?)null));
        }
        Assert.Equal(CertificateState.Revoked, (await test.Ca.StatusSource.GetStatusAsync(issuing.Slug, issued.Record.SerialHex, CancellationToken.None)).State);
    }

    [Fact]
    public async Task A_serial_the_database_never_knew_is_carried_to_the_next_crl()
    {
        using TestCa test = await TestCa.CreateAsync();
        IssuedCertificate issued = await test.Ca.Issuance.IssueFromCsrAsync(Csr.Create("Pegawai Baru"), new HolderDetails(), CertificateProfile.Subscriber, Operator);
        await test.Ca.Revocation.RevokeAsync(issued.Record.SerialHex, RevocationReason.Superseded, Operator);
        // As after a restore: the CRL lists a certificate issued after the backup, which this database never saw.
        await using (SegelDbContext db = test.Ca.Database.CreateContext())
        {
            await db.Certificates.Where(c => c.Id == issued.Record.Id).ExecuteDeleteAsync();
        }
        LoadedAuthority issuing = await test.Ca.Ring.GetActiveAsync(AuthorityRole.IssuingCa);
        CrlView next = await test.Ca.Crls.PublishAsync(issuing);
        Assert.Equal(1, next.EntryCount);
        IReadOnlyDictionary<string, PublishedRevocation> listed = PublishedRevocations.Parse(next.Der);
        Assert.Equal(RevocationReason.Superseded, listed[issued.Record.SerialHex].Reason);
        string text = Tool.OpenSslOk("crl", "-inform", "DER", "-in", test.Directory.Write("next.crl", next.Der), "-noout", "-text");
        Assert.Contains(issued.Record.SerialHex, text, StringComparison.Ordinal);
        Assert.Equal(CertificateState.Revoked, (await test.Ca.StatusSource.GetStatusAsync(issuing.Slug, issued.Record.SerialHex, CancellationToken.None)).State);
    }
}

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

public sealed class RevocationTests
{
    private static readonly Actor Officer = new("test:officer");

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Revocation_is_on_the_next_crl_with_its_reason(string provider)
    {
        using TestCa test = await TestCa.CreateAsync(provider);
        IssuedCertificate issued = await test.Ca.Issuance.IssueFromCsrAsync(Csr.Create(), new HolderDetails(), CertificateProfile.Subscriber, Officer);
        string? changed = null;
        test.Ca.Events.StatusChanged += (_, e) => changed = e.IssuerSlug;

        await test.Ca.Revocation.RevokeAsync(issued.Record.SerialHex, RevocationReason.AffiliationChanged, Officer);

        Assert.Equal(CaInitializer.IssuingSlug, changed);
        LoadedAuthority issuing = await test.Ca.Ring.GetActiveAsync(AuthorityRole.IssuingCa);
        CrlView crl = (await test.Ca.Crls.GetLatestAsync(issuing.Id))!;
        Assert.Equal(2, crl.Number);
        string text = Tool.OpenSslOk("crl", "-inform", "DER", "-in", test.Directory.Write("c.crl", crl.Der), "-noout", "-text");
        Assert.Contains(issued.Record.SerialHex, text, StringComparison.Ordinal);
        Assert.Contains("Affiliation Changed", text, StringComparison.Ordinal);
        Assert.Equal(CertificateState.Revoked, (await test.Ca.StatusSource.GetStatusAsync(issuing.Slug, issued.Record.SerialHex, default)).State);
        await using SegelDbContext db = test.Ca.Database.CreateContext();
        Assert.True(await db.AuditRecords.AnyAsync(a => a.Action == "certificate.revoked" && a.Subject == issued.Record.SerialHex));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Revoked_certificate_cannot_be_revoked_again_and_keeps_its_first_reason(string provider)
    {
        using TestCa test = await TestCa.CreateAsync(provider);
        IssuedCertificate issued = await test.Ca.Issuance.IssueFromCsrAsync(Csr.Create(), new HolderDetails(), CertificateProfile.Subscriber, Officer);
        await test.Ca.Revocation.RevokeAsync(issued.Record.SerialHex, RevocationReason.KeyCompromise, Officer);
        var e = await Assert.ThrowsAsync<SegelException>(() => test.Ca.Revocation.RevokeAsync(issued.Record.SerialHex, RevocationReason.Superseded, Officer));
        Assert.Equal(ErrorKind.Conflict, e.Kind);
        CertificateRecord record = await test.Ca.Queries.GetAsync(issued.Record.SerialHex);
        Assert.Equal((int)RevocationReason.KeyCompromise, record.RevocationReason);
    }

    [Fact]
    public async Task Unknown_and_malformed_serials_are_clear_errors()
    {
        using TestCa test = await TestCa.CreateAsync();
        Assert.Equal(ErrorKind.NotFound, (await Assert.ThrowsAsync<SegelException>(() => test.Ca.Revocation.RevokeAsync("0ABCDEF0", RevocationReason.Unspecified, Officer))).Kind);
        Assert.Equal("serial", (await Assert.ThrowsAsync<SegelException>(() => test.Ca.Revocation.RevokeAsync("zz-top", RevocationReason.Unspecified, Officer))).Field);
        Assert.Equal("reason", (await Assert.ThrowsAsync<SegelException>(() => test.Ca.Revocation.RevokeAsync("0A", (RevocationReason)6, Officer))).Field);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Crl_is_republished_when_due_or_when_it_misses_a_revocation(string provider)
    {
        using TestCa test = await TestCa.CreateAsync(provider);
        IReadOnlyList<LoadedAuthority> issuers = await test.Ca.Ring.GetIssuersAsync();
        Assert.Equal(0, await test.Ca.Crls.PublishDueAsync(issuers));

        test.Time.Advance(test.Ca.Settings.CrlRefresh + TimeSpan.FromMinutes(1));
        Assert.Equal(2, await test.Ca.Crls.PublishDueAsync(issuers));

        // A node that revoked and died before publishing: the row says revoked, the CRL does not.
        IssuedCertificate issued = await test.Ca.Issuance.IssueFromCsrAsync(Csr.Create(), new HolderDetails(), CertificateProfile.Subscriber, Officer);
        await using (SegelDbContext db = test.Ca.Database.CreateContext())
        {
            await db.Certificates.Where(c => c.Id == issued.Record.Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.RevokedAt, test.Time.GetUtcNow()));
        }
        Assert.Equal(1, await test.Ca.Crls.PublishDueAsync(issuers));
        LoadedAuthority issuing = await test.Ca.Ring.GetActiveAsync(AuthorityRole.IssuingCa);
        Assert.Equal(1, (await test.Ca.Crls.GetLatestAsync(issuing.Id))!.EntryCount);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Listing_filters_by_status_and_search(string provider)
    {
        using TestCa test = await TestCa.CreateAsync(provider);
        IssuedCertificate a = await test.Ca.Issuance.IssueFromCsrAsync(Csr.Create("Ahmad Yani", "ahmad@tanahbumbukab.go.id"), new HolderDetails(), CertificateProfile.Subscriber, Officer);
        await test.Ca.Issuance.IssueFromCsrAsync(Csr.Create("Dewi Sartika", "dewi@tanahbumbukab.go.id"), new HolderDetails(), CertificateProfile.Subscriber, Officer);
        await test.Ca.Revocation.RevokeAsync(a.Record.SerialHex, RevocationReason.CessationOfOperation, Officer);
        Assert.Equal(["Ahmad Yani"], (await test.Ca.Queries.ListAsync(CertificateFilter.Revoked)).Select(c => c.CommonName));
        Assert.Equal(["Dewi Sartika"], (await test.Ca.Queries.ListAsync(CertificateFilter.All, "dewi@")).Select(c => c.CommonName));
        // As an officer types it: any case, part of a name; a wildcard typed is a character, not a wildcard.
        Assert.Equal(["Dewi Sartika"], (await test.Ca.Queries.ListAsync(CertificateFilter.All, "sartika")).Select(c => c.CommonName));
        Assert.Equal(["Dewi Sartika"], (await test.Ca.Queries.ListAsync(CertificateFilter.All, "DEWI S")).Select(c => c.CommonName));
        Assert.Empty(await test.Ca.Queries.ListAsync(CertificateFilter.All, "%"));
        Assert.Empty(await test.Ca.Queries.ListAsync(CertificateFilter.All, "dewi_sartika"));
        Assert.Equal(["Ahmad Yani"], (await test.Ca.Queries.ListAsync(CertificateFilter.All, a.Record.SerialHex.ToLowerInvariant())).Select(c => c.CommonName));
        test.Time.Advance(TimeSpan.FromDays(365 * 2 + 1));
        Assert.Contains((await test.Ca.Queries.ListAsync(CertificateFilter.Expired)), c => c.CommonName == "Dewi Sartika");
        await Assert.ThrowsAsync<SegelException>(() => test.Ca.Queries.ListAsync(take: 100_000));
    }
}

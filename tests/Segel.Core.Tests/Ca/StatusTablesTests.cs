using Microsoft.EntityFrameworkCore;
using BasicOcspResp = Org.BouncyCastle.Ocsp.BasicOcspResp;
using OcspResp = Org.BouncyCastle.Ocsp.OcspResp;
using RevokedStatus = Org.BouncyCastle.Ocsp.RevokedStatus;
using Segel.Core.Ca;
using Segel.Core.Kernel;
using Segel.Core.Storage;
using Segel.Pki.Certificates;
using Segel.Pki.Ocsp;
using Segel.Pki.Revocation;
using Segel.Pki.Validation;
using Segel.Testing;

namespace Segel.Core.Tests.Ca;

/// <summary>
/// The OCSP responder answers from every issued serial held in memory (issue 22.2) — and never from tables older than
/// a revocation: what they cannot answer, or answer stale, goes to the database.
/// </summary>
public sealed class StatusTablesTests
{
    private static readonly Actor Officer = new("test:officer");

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Answers_from_memory_and_a_revocation_shows_on_the_very_next_request(string provider)
    {
        using TestCa test = await TestCa.CreateAsync(provider);
        IssuedCertificate kept = await Issue(test, "Pegawai Tetap");
        IssuedCertificate leaving = await Issue(test, "Pegawai Pindah");
        LoadedAuthority issuing = await test.Ca.Ring.GetActiveAsync(AuthorityRole.IssuingCa);
        await test.Ca.StatusTables.LoadAsync();
        Assert.True(test.Ca.StatusTables.State.Current);
        Assert.True(test.Ca.StatusTables.TryGetKnownStatus(issuing.Slug, Serial(kept), out CertificateStatus status));
        Assert.Equal(CertificateState.Good, status.State);
        Assert.Null(await Ask(test, leaving, issuing));

        await test.Ca.Revocation.RevokeAsync(leaving.Record.SerialHex, RevocationReason.AffiliationChanged, Officer);

        // Stale until a reload begun after the revocation: either the tables step aside, or they already know.
        Assert.True(!test.Ca.StatusTables.TryGetKnownStatus(issuing.Slug, Serial(leaving), out status) || status.State == CertificateState.Revoked);
        Assert.IsType<RevokedStatus>(await Ask(test, leaving, issuing));
        await test.Ca.StatusTables.LoadAsync();
        Assert.True(test.Ca.StatusTables.TryGetKnownStatus(issuing.Slug, Serial(leaving), out status));
        Assert.Equal(CertificateState.Revoked, status.State);
        Assert.Equal(RevocationReason.AffiliationChanged, status.Reason);
        Assert.Null(await Ask(test, kept, issuing));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_serial_issued_since_the_load_is_read_from_the_database_and_the_crl_outranks_the_rows(string provider)
    {
        using TestCa test = await TestCa.CreateAsync(provider);
        IssuedCertificate revoked = await Issue(test, "Pegawai Dicabut");
        await test.Ca.Revocation.RevokeAsync(revoked.Record.SerialHex, RevocationReason.KeyCompromise, Officer);
        LoadedAuthority issuing = await test.Ca.Ring.GetActiveAsync(AuthorityRole.IssuingCa);
        await test.Ca.StatusTables.LoadAsync();

        IssuedCertificate fresh = await Issue(test, "Pegawai Baru");
        Assert.False(test.Ca.StatusTables.TryGetKnownStatus(issuing.Slug, Serial(fresh), out _));
        Assert.Null(await Ask(test, fresh, issuing));
        Assert.False(test.Ca.StatusTables.TryGetKnownStatus(issuing.Slug, [0x7F, .. new byte[16]], out _));

        // An insider clears the published revocation in the database; the next load still holds it revoked.
        await using (SegelDbContext db = test.Ca.Database.CreateContext())
        {
            await db.Certificates.Where(c => c.Id == revoked.Record.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.RevokedAt, (DateTimeOffset?)null).SetProperty(c => c.RevocationReason, (int?)null));
        }
        await test.Ca.StatusTables.LoadAsync();
        Assert.True(test.Ca.StatusTables.TryGetKnownStatus(issuing.Slug, Serial(revoked), out CertificateStatus status));
        Assert.Equal(CertificateState.Revoked, status.State);
        Assert.Equal(RevocationReason.KeyCompromise, status.Reason);
        Assert.True(test.Ca.StatusTables.TryGetKnownStatus(issuing.Slug, Serial(fresh), out status));
        Assert.Equal(CertificateState.Good, status.State);
    }

    [Fact]
    public void Serials_are_keyed_by_value_and_longer_ones_are_left_to_the_database()
    {
        Assert.True(StatusTable.TryKey([0x00, 0x5E, 0x01], out UInt128 padded));
        Assert.True(StatusTable.TryKey("5E01", out UInt128 hex));
        Assert.Equal(hex, padded);
        Assert.False(StatusTable.TryKey(new byte[17].Select(_ => (byte)0x11).ToArray(), out _));
        Assert.False(StatusTable.TryKey(new string('1', 34), out _));
        Assert.False(StatusTable.TryKey("not hex", out _));
    }

    private static async Task<IssuedCertificate> Issue(TestCa test, string name) =>
        await test.Ca.Issuance.IssueFromCsrAsync(Csr.Create(name), new HolderDetails(), CertificateProfile.Subscriber, Officer);

    private static byte[] Serial(IssuedCertificate issued) => Convert.FromHexString(issued.Record.SerialHex);

    /// <summary>The answer's status, as BouncyCastle reads it: null is good.</summary>
    private static async Task<object?> Ask(TestCa test, IssuedCertificate issued, LoadedAuthority issuing)
    {
        OcspAnswer answer = await test.Ca.Ocsp.RespondAsync(OcspRequests.Create(issued.Certificate, issuing.Certificate), CancellationToken.None);
        var basic = (BasicOcspResp)new OcspResp(answer.Body).GetResponseObject();
        return basic.Responses.Single().GetCertStatus();
    }
}

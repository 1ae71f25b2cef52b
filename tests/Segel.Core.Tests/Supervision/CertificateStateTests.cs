using Microsoft.EntityFrameworkCore;
using Segel.Core.Ca;
using Segel.Core.Kernel;
using Segel.Core.Storage;
using Segel.Core.Supervision;
using Segel.Pki.Certificates;
using Segel.Pki.Revocation;
using Segel.Testing;

namespace Segel.Core.Tests.Supervision;

/// <summary>
/// Issue 17's first attack, tried as an insider with the database would: the certificates table changed behind
/// Segel's back while the audit chain (MAC'd, checkpointed) stays intact. Verifying the record must name each row that
/// no longer says what the chain records — on both databases.
/// </summary>
public sealed class CertificateStateTests
{
    private static readonly Actor Operator = new("test:operator");

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Rows_changed_deleted_or_inserted_behind_segels_back_are_named(string provider)
    {
        using TestCa test = await TestCa.CreateAsync(provider);
        IssuedCertificate cleared = await test.Ca.Issuance.IssueFromCsrAsync(Csr.Create("Pegawai Dicabut"), new HolderDetails(), CertificateProfile.Subscriber, Operator);
        IssuedCertificate reasoned = await test.Ca.Issuance.IssueFromCsrAsync(Csr.Create("Pegawai Alasan"), new HolderDetails(), CertificateProfile.Subscriber, Operator);
        IssuedCertificate deleted = await test.Ca.Issuance.IssueFromCsrAsync(Csr.Create("Pegawai Dihapus"), new HolderDetails(), CertificateProfile.Subscriber, Operator);
        IssuedCertificate quiet = await test.Ca.Issuance.IssueFromCsrAsync(Csr.Create("Pegawai Biasa"), new HolderDetails(), CertificateProfile.Subscriber, Operator);
        await test.Ca.Revocation.RevokeAsync(cleared.Record.SerialHex, RevocationReason.KeyCompromise, Operator);
        await test.Ca.Revocation.RevokeAsync(reasoned.Record.SerialHex, RevocationReason.KeyCompromise, Operator);
        Assert.True((await test.Ca.AuditVerifier.VerifyAsync()).Intact);

        await using (SegelDbContext db = test.Ca.Database.CreateContext())
        {
            await db.Certificates.Where(c => c.Id == cleared.Record.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.RevokedAt, (DateTimeOffset?)null).SetProperty(c => c.RevocationReason, (int?)null));
            await db.Certificates.Where(c => c.Id == reasoned.Record.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.RevocationReason, (int?)RevocationReason.Superseded));
            await db.Certificates.Where(c => c.Id == deleted.Record.Id).ExecuteDeleteAsync();
            CertificateRecord copy = await db.Certificates.AsNoTracking().SingleAsync(c => c.Id == quiet.Record.Id);
            copy.Id = 0;
            copy.SerialHex = "7E57AB1E00000000000000000000000001";
            db.Certificates.Add(copy);
            await db.SaveChangesAsync();
        }

        AuditVerification result = await test.Ca.Audit.VerifyAsync(Principal.Console);
        Assert.Null(result.BrokenAt);
        Assert.False(result.Intact);
        Assert.Equal(4, result.Differences.Count);
        Assert.Contains(result.Differences, d => d.Contains(cleared.Record.SerialHex, StringComparison.Ordinal) && d.Contains("says not revoked", StringComparison.Ordinal));
        Assert.Contains(result.Differences, d => d.Contains(reasoned.Record.SerialHex, StringComparison.Ordinal) && d.Contains("superseded", StringComparison.Ordinal));
        Assert.Contains(result.Differences, d => d.Contains(deleted.Record.SerialHex, StringComparison.Ordinal) && d.Contains("row is gone", StringComparison.Ordinal));
        Assert.Contains(result.Differences, d => d.Contains("7E57AB1E00000000000000000000000001", StringComparison.Ordinal) && d.Contains("no issuance", StringComparison.Ordinal));
        Assert.DoesNotContain(result.Differences, d => d.Contains(quiet.Record.SerialHex, StringComparison.Ordinal));
    }
}

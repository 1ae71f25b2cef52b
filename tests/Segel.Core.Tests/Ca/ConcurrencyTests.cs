using Microsoft.EntityFrameworkCore;
using Segel.Core.Ca;
using Segel.Core.Kernel;
using Segel.Core.Storage;
using Segel.Pki.Certificates;
using Segel.Pki.Revocation;
using Segel.Testing;

namespace Segel.Core.Tests.Ca;

/// <summary>Two nodes on one database (each with its own caches and connections), as two server processes would be.</summary>
public sealed class ConcurrencyTests
{
    private static readonly Actor Node = new("test:node");

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Two_nodes_issue_and_revoke_at_once_without_duplicate_serials_or_lost_revocations(string provider)
    {
        using TestCa test = await TestCa.CreateAsync(provider);
        using SegelCa second = test.OpenSecondNode();
        SegelCa[] nodes = [test.Ca, second];

        IssuedCertificate[][] issued = await Task.WhenAll(nodes.Select(node => Task.Run(async () =>
        {
            var mine = new List<IssuedCertificate>();
            for (int i = 0; i < 25; i++)
            {
                mine.Add(await node.Issuance.IssueFromCsrAsync(Csr.Create($"Pegawai {i}"), new HolderDetails(), CertificateProfile.Subscriber, Node));
            }
            return mine.ToArray();
        })));
        IssuedCertificate[] all = issued.SelectMany(x => x).ToArray();
        Assert.Equal(50, all.Select(c => c.Record.SerialHex).Distinct().Count());

        // Each node revokes every other certificate of the other's batch, all at once.
        await Task.WhenAll(nodes.Select((node, n) => Task.Run(async () =>
        {
            foreach (IssuedCertificate c in issued[1 - n].Where((_, i) => i % 2 == 0))
            {
                await node.Revocation.RevokeAsync(c.Record.SerialHex, RevocationReason.AffiliationChanged, Node);
            }
        })));

        LoadedAuthority issuing = await test.Ca.Ring.GetActiveAsync(AuthorityRole.IssuingCa);
        CrlView crl = (await test.Ca.Crls.GetLatestAsync(issuing.Id))!;
        string text = Tool.OpenSslOk("crl", "-inform", "DER", "-in", test.Directory.Write("c.crl", crl.Der), "-noout", "-text");
        int expected = issued.Sum(batch => batch.Where((_, i) => i % 2 == 0).Count());
        Assert.Equal(expected, crl.EntryCount);
        foreach (IssuedCertificate revoked in issued.SelectMany(b => b.Where((_, i) => i % 2 == 0)))
        {
            Assert.Contains(revoked.Record.SerialHex, text, StringComparison.Ordinal);
        }
        await using SegelDbContext db = test.Ca.Database.CreateContext();
        List<long> numbers = await db.Crls.Where(c => c.IssuerId == issuing.Id).Select(c => c.Number).ToListAsync();
        Assert.Equal(numbers.Count, numbers.Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_hundred_and_sixty_revocations_at_once_on_two_nodes_all_succeed_and_the_last_crl_lists_them(string provider)
    {
        using TestCa test = await TestCa.CreateAsync(provider);
        using SegelCa second = test.OpenSecondNode();
        var serials = new List<string>();
        for (int i = 0; i < 160; i++)
        {
            serials.Add((await test.Ca.Issuance.IssueFromCsrAsync(Csr.Create($"Pegawai {i}"), new HolderDetails(), CertificateProfile.Subscriber, Node)).Record.SerialHex);
        }
        // Sixteen callers at a time, alternating nodes: every revocation commits, and none is answered with an error
        // because CRL publication raced (numbers are taken in turn; a CRL that already lists everything is not made again).
        using var slots = new SemaphoreSlim(16);
        await Task.WhenAll(serials.Select((serial, i) => Task.Run(async () =>
        {
            await slots.WaitAsync();
            try
            {
                await (i % 2 == 0 ? test.Ca : second).Revocation.RevokeAsync(serial, RevocationReason.Superseded, Node);
            }
            finally
            {
                slots.Release();
            }
        })));
        LoadedAuthority issuing = await test.Ca.Ring.GetActiveAsync(AuthorityRole.IssuingCa);
        CrlView crl = (await test.Ca.Crls.GetLatestAsync(issuing.Id))!;
        Assert.Equal(160, crl.EntryCount);
        await using SegelDbContext db = test.Ca.Database.CreateContext();
        Assert.Equal(160, await db.Certificates.CountAsync(c => c.RevokedAt != null));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Same_certificate_revoked_on_two_nodes_at_once_is_revoked_exactly_once(string provider)
    {
        using TestCa test = await TestCa.CreateAsync(provider);
        using SegelCa second = test.OpenSecondNode();
        for (int round = 0; round < 5; round++)
        {
            IssuedCertificate c = await test.Ca.Issuance.IssueFromCsrAsync(Csr.Create(), new HolderDetails(), CertificateProfile.Subscriber, Node);
            Task<CertificateRecord>[] attempts =
            [
                Task.Run(() => test.Ca.Revocation.RevokeAsync(c.Record.SerialHex, RevocationReason.KeyCompromise, Node)),
                Task.Run(() => second.Revocation.RevokeAsync(c.Record.SerialHex, RevocationReason.Superseded, Node)),
            ];
            try
            {
                await Task.WhenAll(attempts);
            }
            catch (Errors.SegelException)
            {
            }
            Assert.Equal(1, attempts.Count(t => t.IsCompletedSuccessfully));
            await using SegelDbContext db = test.Ca.Database.CreateContext();
            Assert.Equal(1, await db.AuditRecords.CountAsync(a => a.Action == "certificate.revoked" && a.Subject == c.Record.SerialHex));
        }
    }
}

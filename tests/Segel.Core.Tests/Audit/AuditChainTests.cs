using Microsoft.EntityFrameworkCore;
using Segel.Core.Audit;
using Segel.Core.Ca;
using Segel.Core.Kernel;
using Segel.Core.Storage;
using Segel.Core.Supervision;
using Segel.Pki.Certificates;
using Segel.Pki.Revocation;
using Segel.Testing;

namespace Segel.Core.Tests.Audit;

public sealed class AuditChainTests
{
    private static readonly Actor Officer = new("test:officer", "203.0.113.7");

    /// <summary>A CA with a few entries in its audit record: initialisation, five issuances, one revocation.</summary>
    private static async Task<TestCa> WithHistoryAsync(string provider)
    {
        TestCa test = await TestCa.CreateAsync(provider);
        IssuedCertificate first = null!;
        for (int i = 0; i < 5; i++)
        {
            IssuedCertificate issued = await test.Ca.Issuance.IssueFromCsrAsync(Csr.Create($"Pegawai {i}"), new HolderDetails(), CertificateProfile.Subscriber, Officer);
            first ??= issued;
        }
        await test.Ca.Revocation.RevokeAsync(first.Record.SerialHex, RevocationReason.Superseded, Officer);
        return test;
    }

    private static async Task Tamper(TestCa test, FormattableString sql)
    {
        await using SegelDbContext db = test.Ca.Database.CreateContext();
        await db.Database.ExecuteSqlAsync(sql);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Untouched_record_is_intact_and_numbered_without_gaps(string provider)
    {
        using TestCa test = await WithHistoryAsync(provider);
        AuditVerification result = await test.Ca.AuditVerifier.VerifyAsync();
        Assert.True(result.Intact, result.Problem);
        Assert.Equal(8, result.Entries); // ca.initialized, rows.sealed, five issuances, one revocation
        await using SegelDbContext db = test.Ca.Database.CreateContext();
        Assert.Equal(Enumerable.Range(1, 8).Select(i => (long)i), await db.AuditRecords.OrderBy(a => a.Sequence).Select(a => a.Sequence).ToListAsync());
        Assert.Equal("203.0.113.7", (await db.AuditRecords.SingleAsync(a => a.Sequence == 7)).Origin);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Entries_carry_the_request_that_wrote_them_under_the_mac_and_are_found_by_it(string provider)
    {
        using TestCa test = await WithHistoryAsync(provider);
        IssuedCertificate issued;
        using (RequestCorrelation.Begin("0HNREQUEST:00000007"))
        {
            issued = await test.Ca.Issuance.IssueFromCsrAsync(Csr.Create("Pegawai Permintaan"), new HolderDetails(), CertificateProfile.Subscriber, Officer);
        }
        Assert.Null(RequestCorrelation.Current);
        Page<AuditEntryView> found = await test.Ca.Audit.ListAsync(new AuditQuery(RequestId: "0HNREQUEST:00000007"), Principal.Console);
        AuditEntryView entry = Assert.Single(found.Items);
        Assert.Equal((issued.Record.SerialHex, "0HNREQUEST:00000007"), (entry.Subject, entry.RequestId));
        Assert.True((await test.Ca.AuditVerifier.VerifyAsync()).Intact); // entries without an id (written before) verify beside it

        await Tamper(test, $"UPDATE audit_records SET \"RequestId\" = 'another' WHERE \"Sequence\" = {entry.Sequence}");
        AuditVerification result = await test.Ca.AuditVerifier.VerifyAsync();
        Assert.Equal(entry.Sequence, result.BrokenAt);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Edited_entry_is_named(string provider)
    {
        using TestCa test = await WithHistoryAsync(provider);
        await Tamper(test, $"UPDATE audit_records SET \"Actor\" = 'someone-else' WHERE \"Sequence\" = 4");
        AuditVerification result = await test.Ca.AuditVerifier.VerifyAsync();
        Assert.Equal(4, result.BrokenAt);
        Assert.Contains("altered", result.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Deleted_entry_is_named(string provider)
    {
        using TestCa test = await WithHistoryAsync(provider);
        await Tamper(test, $"DELETE FROM audit_records WHERE \"Sequence\" = 3");
        AuditVerification result = await test.Ca.AuditVerifier.VerifyAsync();
        Assert.Equal(3, result.BrokenAt);
        Assert.Contains("missing", result.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Inserted_entry_is_named_even_with_its_links_copied(string provider)
    {
        using TestCa test = await WithHistoryAsync(provider);
        // Make room at #3 and slip in a forged entry that links to #2 exactly as a real one would.
        await Tamper(test, $"UPDATE audit_records SET \"Sequence\" = \"Sequence\" + 1000 WHERE \"Sequence\" >= 3");
        await Tamper(test, $"UPDATE audit_records SET \"Sequence\" = \"Sequence\" - 999 WHERE \"Sequence\" >= 1003");
        await Tamper(test, $"INSERT INTO audit_records (\"Sequence\", \"At\", \"Actor\", \"Action\", \"Subject\", \"PreviousMac\", \"Mac\") SELECT 3, \"At\", 'intruder', 'certificate.issued', 'FAKE', \"Mac\", \"Mac\" FROM audit_records WHERE \"Sequence\" = 2");
        AuditVerification result = await test.Ca.AuditVerifier.VerifyAsync();
        Assert.Equal(3, result.BrokenAt);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Reordered_entries_are_named(string provider)
    {
        using TestCa test = await WithHistoryAsync(provider);
        await Tamper(test, $"UPDATE audit_records SET \"Sequence\" = 100 WHERE \"Sequence\" = 5");
        await Tamper(test, $"UPDATE audit_records SET \"Sequence\" = 5 WHERE \"Sequence\" = 6");
        await Tamper(test, $"UPDATE audit_records SET \"Sequence\" = 6 WHERE \"Sequence\" = 100");
        AuditVerification result = await test.Ca.AuditVerifier.VerifyAsync();
        Assert.Equal(5, result.BrokenAt);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Entries_cut_from_the_end_are_caught_by_the_signed_checkpoint(string provider)
    {
        using TestCa test = await WithHistoryAsync(provider);
        AuditCheckpointMade? checkpoint = await test.Ca.AuditCheckpoints.CreateAsync(Principal.Console);
        Assert.Equal(8, checkpoint!.Sequence);
        Assert.Null(await test.Ca.AuditCheckpoints.CreateAsync(Principal.Console)); // nothing new since
        Assert.True((await test.Ca.AuditVerifier.VerifyAsync()).Intact);

        await Tamper(test, $"DELETE FROM audit_records WHERE \"Sequence\" >= 6");
        AuditVerification result = await test.Ca.AuditVerifier.VerifyAsync();
        Assert.Equal(6, result.BrokenAt);
        Assert.Contains("were deleted", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Forged_checkpoint_is_caught()
    {
        using TestCa test = await WithHistoryAsync("sqlite");
        await test.Ca.AuditCheckpoints.CreateAsync(Principal.Console);
        await Tamper(test, $"UPDATE audit_checkpoints SET \"Sequence\" = 3");
        AuditVerification result = await test.Ca.AuditVerifier.VerifyAsync();
        Assert.Equal(3, result.BrokenAt);
        Assert.Contains("valid signature", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Entry_appended_without_the_key_is_caught()
    {
        using TestCa test = await WithHistoryAsync("sqlite");
        var forger = new AuditChain(new byte[32]);
        await using (SegelDbContext db = test.Ca.Database.CreateContext())
        {
            db.AuditChain = forger; // knows the algorithm, not Segel's key
            AuditLog.Record(db, test.Time, new Actor("intruder"), "certificate.revoked", "ABCD");
            await db.SaveChangesAsync();
        }
        AuditVerification result = await test.Ca.AuditVerifier.VerifyAsync();
        Assert.Equal(9, result.BrokenAt);
        Assert.Contains("without Segel's key", result.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Two_nodes_writing_at_once_keep_one_unbroken_chain(string provider)
    {
        using TestCa test = await TestCa.CreateAsync(provider);
        using SegelCa second = test.OpenSecondNode();
        await Task.WhenAll(new[] { test.Ca, second }.Select(node => Task.Run(async () =>
        {
            for (int i = 0; i < 15; i++)
            {
                await node.Issuance.IssueFromCsrAsync(Csr.Create($"P{i}"), new HolderDetails(), CertificateProfile.Subscriber, Officer);
            }
        })));
        AuditVerification result = await test.Ca.AuditVerifier.VerifyAsync();
        Assert.True(result.Intact, result.Problem);
        Assert.Equal(32, result.Entries);
    }

    [Fact]
    public async Task Context_without_the_audit_key_refuses_to_write_audit_records()
    {
        using TestCa test = await TestCa.CreateAsync();
        await using SegelDbContext db = test.Ca.Database.CreateContext();
        db.AuditChain = null;
        AuditLog.Record(db, test.Time, Officer, "x", "y");
        await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync());
    }
}

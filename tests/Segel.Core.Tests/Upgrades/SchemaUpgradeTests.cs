using Microsoft.EntityFrameworkCore;
using Segel.Core.Ca;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Storage;
using Segel.Core.Supervision;
using Segel.Pki.Certificates;
using Segel.Pki.Revocation;
using Segel.Testing;

namespace Segel.Core.Tests.Upgrades;

/// <summary>
/// Issue 25.5: an existing database's schema changes only when the operator asks; a database a newer release changed is
/// refused; and a database an earlier release left, once upgraded, reads in full and its audit chain holds.
/// </summary>
public sealed class SchemaUpgradeTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_earlier_schema_waits_for_the_operator_then_upgrades_whole_and_a_newer_one_is_refused(string provider)
    {
        using TestCa test = await TestCa.CreateAsync(provider);
        var officer = new Actor("test:officer", "203.0.113.7");
        IssuedCertificate issued = await test.Ca.Issuance.IssueFromCsrAsync(Csr.Create("Pegawai Lama"), new HolderDetails(), CertificateProfile.Subscriber, officer);
        await test.Ca.Revocation.RevokeAsync(issued.Record.SerialHex, RevocationReason.KeyCompromise, officer);
        int certificates, entries;
        await using (SegelDbContext db = test.Ca.Database.CreateContext())
        {
            (certificates, entries) = (await db.Certificates.CountAsync(), await db.AuditRecords.CountAsync());
        }

        (string previous, string newest) = await SchemaHistory.RollBackOneAsync(test.Options.Database, test.Directory.Path);
        SchemaState waiting = await new DatabaseSchema(test.Ca.Database).GetAsync(Principal.Console);
        Assert.Equal((previous, newest, 1), (waiting.Current, waiting.Release, waiting.Pending.Count));
        SegelException refused = await Assert.ThrowsAsync<SegelException>(() => test.Ca.Database.MigrateAsync(upgrade: false));
        Assert.Equal(ErrorKind.NotReady, refused.Kind);
        Assert.Contains("segel migrate", refused.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<SegelException>(() => new DatabaseSchema(test.Ca.Database).MigrateAsync(new Principal("auditor", Role.Auditor)));

        SchemaState upgraded = await new DatabaseSchema(test.Ca.Database).MigrateAsync(Principal.Console);
        Assert.Equal((newest, 0), (upgraded.Current, upgraded.Pending.Count));
        await test.Ca.Database.MigrateAsync(upgrade: false); // nothing left to do: opening goes on as before
        await using (SegelDbContext db = test.Ca.Database.CreateContext())
        {
            Assert.Equal((certificates, entries), (await db.Certificates.CountAsync(), await db.AuditRecords.CountAsync()));
            Assert.NotNull((await db.Certificates.SingleAsync(c => c.SerialHex == issued.Record.SerialHex)).RevokedAt);
        }
        AuditVerification chain = await test.Ca.AuditVerifier.VerifyAsync();
        Assert.True(chain.Intact, chain.Problem);

        await SchemaHistory.AddFutureAsync(test.Options.Database, test.Directory.Path);
        foreach (bool upgrade in (bool[])[false, true])
        {
            SegelException newer = await Assert.ThrowsAsync<SegelException>(() => test.Ca.Database.MigrateAsync(upgrade));
            Assert.Contains("newer Segel", newer.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Nodes_starting_together_on_a_new_database_all_start(string provider)
    {
        // One node's migrations landing part-way must not look like an earlier release's schema to the others.
        using var directory = new TempDirectory();
        Segel.Core.Configuration.DatabaseOptions options = TestDatabase.Create(provider, directory.Path);
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => new SegelDatabase(options, directory.Path).MigrateAsync(upgrade: false))));
        SchemaState state = await new DatabaseSchema(new SegelDatabase(options, directory.Path)).GetAsync(Principal.Console);
        Assert.Empty(state.Pending);
    }
}

using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Segel.Core.Ca;
using Segel.Core.Kernel;
using Segel.Core.Storage;
using Segel.Pki.Certificates;
using Segel.Testing;

namespace Segel.Core.Tests.Ca;

/// <summary>
/// Certificate search as officers type it, answered from an index (issue 22.4): FTS5 trigrams on SQLite, pg_trgm on
/// PostgreSQL. The same answers on both, whichever way the database reaches them.
/// </summary>
public sealed class CertificateSearchTests
{
    private static readonly Actor Officer = new("test:officer");

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Finds_every_word_in_any_case_with_or_without_accents(string provider)
    {
        using TestCa test = await TestCa.CreateAsync(provider);
        IssuedCertificate caglar = await Issue(test, "Çağlar Öztürk Ma'ruf", "caglar_o@tanahbumbukab.go.id");
        IssuedCertificate dewi = await Issue(test, "Dewi Sartika", "dewi@tanahbumbukab.go.id");
        await Issue(test, "Dewi Lestari", "lestari@tanahbumbukab.go.id");

        Assert.Equal(["Çağlar Öztürk Ma'ruf"], await Names(test, "CAGLAR"));
        Assert.Equal(["Çağlar Öztürk Ma'ruf"], await Names(test, "öztürk maruf"));
        Assert.Equal(["Çağlar Öztürk Ma'ruf"], await Names(test, "caglar_o@"));
        Assert.Empty(await Names(test, "caglarxo")); // the underscore is a character, not a wildcard
        Assert.Equal(["Dewi Sartika"], await Names(test, "sartika dewi")); // words in any order
        Assert.Equal(["Dewi Sartika"], await Names(test, "sartika de")); // a word too short for a trigram still narrows
        Assert.Equal(["Dewi Lestari", "Dewi Sartika"], await Names(test, "dewi")); // newest first
        Assert.Equal(["Dewi Sartika"], await Names(test, "dewi", skip: 1));
        string middle = dewi.Record.SerialHex.Substring(4, 8);
        Assert.Equal(["Dewi Sartika"], await Names(test, middle.ToLowerInvariant()));
        Assert.Equal(["Çağlar Öztürk Ma'ruf"], await Names(test, caglar.Record.SerialHex));
        Assert.Empty(await Names(test, "%"));
        Assert.Empty(await Names(test, "sartika lestari"));
    }

    [Fact]
    public async Task The_sqlite_index_follows_the_table()
    {
        using TestCa test = await TestCa.CreateAsync("sqlite");
        IssuedCertificate dewi = await Issue(test, "Dewi Sartika", "dewi@tanahbumbukab.go.id");
        await using (SegelDbContext db = test.Ca.Database.CreateContext())
        {
            // A later migration that rebuilt the table would drop its triggers, and the index would silently fall behind.
            List<string> triggers = await db.Database.SqlQueryRaw<string>(
                "SELECT name AS \"Value\" FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'certificates' ORDER BY name").ToListAsync();
            Assert.Equal(["certificates_search_delete", "certificates_search_insert", "certificates_search_update"], triggers);
            // A row from before the search text (empty) is filled on start and found through the index after the update.
            await db.Certificates.Where(c => c.Id == dewi.Record.Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.SearchText, ""));
        }
        Assert.Empty(await Names(test, "sartika"));
        await SearchText.FillAsync(test.Ca.Database, CancellationToken.None);
        Assert.Equal(["Dewi Sartika"], await Names(test, "sartika"));
        await using (SegelDbContext db = test.Ca.Database.CreateContext())
        {
            await db.Database.ExecuteSqlRawAsync("INSERT INTO certificates_search(certificates_search, rank) VALUES ('integrity-check', 1)");
        }
    }

    [Fact]
    public async Task Postgresql_answers_search_from_trigram_indexes()
    {
        using TestCa test = await TestCa.CreateAsync("postgres");
        await using SegelDbContext db = test.Ca.Database.CreateContext();
        await db.Database.OpenConnectionAsync();
        DbConnection connection = db.Database.GetDbConnection();
        // A table this small is read whole by choice; with that choice taken away, the plan shows the index is usable
        // for the LIKE ... ESCAPE the queries send.
        await db.Database.ExecuteSqlRawAsync("SET enable_seqscan = off");
        foreach ((string table, string index) in new[] { ("certificates", "IX_certificates_SearchText_trgm"), ("employees", "IX_employees_SearchText_trgm") })
        {
            await using DbCommand explain = connection.CreateCommand();
            explain.CommandText = $"EXPLAIN SELECT \"Id\" FROM {table} WHERE \"SearchText\" LIKE '%sartika%' ESCAPE '\\'";
            var plan = new List<string>();
            await using (DbDataReader reader = await explain.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    plan.Add(reader.GetString(0));
                }
            }
            Assert.Contains(plan, line => line.Contains(index, StringComparison.Ordinal));
        }
    }

    private static Task<IssuedCertificate> Issue(TestCa test, string name, string email) =>
        test.Ca.Issuance.IssueFromCsrAsync(Csr.Create(name, email), new HolderDetails(), CertificateProfile.Subscriber, Officer);

    private static async Task<List<string>> Names(TestCa test, string search, int skip = 0) =>
        (await test.Ca.Queries.ListAsync(CertificateFilter.All, search, skip)).Where(c => c.Profile == "subscriber").Select(c => c.CommonName).ToList();
}

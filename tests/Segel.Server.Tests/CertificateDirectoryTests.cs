using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Segel.Core.Ca;
using Segel.Core.Configuration;
using Segel.Core.Recipients;
using Segel.Core.Storage;
using Segel.Testing;

namespace Segel.Server.Tests;

/// <summary>
/// Holders' certificates in the LDAP directory mail clients read (issue 23.4), checked against a real OpenLDAP slapd with
/// OpenLDAP's ldapsearch and the certificates read back with openssl: published within seconds of issuance, withdrawn at
/// once on revocation, a hand-edited branch repaired; and the portal's and API's read-only search.
/// </summary>
public sealed class CertificateDirectoryTests
{
    private static Action<Dictionary<string, string?>> Publishing(DirectoryOptions directory) => o =>
    {
        o["Directory:Url"] = directory.Url;
        o["Directory:BaseDn"] = directory.BaseDn;
        o["Directory:BindDn"] = directory.BindDn;
        o["Directory:BindPassword"] = directory.BindPassword;
        o["Directory:PollSeconds"] = "1";
    };

    private static string SerialOf(byte[] der, TempDirectory dir)
    {
        string file = Path.Combine(dir.Path, Guid.NewGuid().ToString("N") + ".cer");
        File.WriteAllBytes(file, der);
        // "serial=0123…" from openssl, which read the DER the directory holds.
        return Tool.Run("openssl", "x509", "-inform", "DER", "-in", file, "-noout", "-serial").Check().Stdout.Trim()["serial=".Length..];
    }

    [Fact]
    public async Task A_holders_certificate_is_in_the_directory_within_seconds_and_gone_at_once_when_revoked()
    {
        DirectoryOptions directory = TestLdap.NewBranch();
        await using InProcessServer server = await InProcessServer.StartAsync("sqlite", Publishing(directory));
        HttpWorld world = await HttpWorld.CreateAsync(server);
        using var dir = new TempDirectory();
        string budi = $"(mail={world.BudiEmail})";

        // Issued through the RA: an anonymous ldapsearch by address finds it within seconds, byte for byte.
        string serial = await world.BudiHoldsCertificateAsync();
        var issued = System.Diagnostics.Stopwatch.StartNew();
        IReadOnlyList<byte[]> found = await TestLdap.WaitAsync(directory.BaseDn!, budi, f => f.Count > 0, TimeSpan.FromSeconds(15));
        Assert.True(issued.Elapsed < TimeSpan.FromSeconds(15));
        Assert.Equal(serial, SerialOf(Assert.Single(found), dir), ignoreCase: true);
        // By name too, as a mail client's address book searches; the RA officers certified at the start are there as well.
        Assert.Single(TestLdap.Certificates(directory.BaseDn!, "(cn=*Budi*)"));
        Assert.NotEmpty(TestLdap.Certificates(directory.BaseDn!, $"(mail={world.RahmatEmail})"));

        // The API's search finds him by a word of his name and his address; a colleague downloads the certificate.
        using (HttpClient colleague = world.As("agency-head"))
        {
            JsonElement people = await HttpWorld.OkJsonAsync(await colleague.GetAsync($"/api/v1/directory?q=budi {world.Tag}"));
            JsonElement person = Assert.Single(people.EnumerateArray());
            Assert.Equal(serial, person.GetProperty("certificates")[0].GetProperty("serial").GetString());
            Assert.StartsWith("-----BEGIN CERTIFICATE-----", person.GetProperty("certificates")[0].GetProperty("pem").GetString(), StringComparison.Ordinal);
            HttpResponseMessage cer = await colleague.GetAsync($"/api/v1/directory/certificates/{serial}");
            Assert.Equal("application/pkix-cert", cer.Content.Headers.ContentType?.MediaType);
            Assert.Equal(serial, SerialOf(await cer.Content.ReadAsByteArrayAsync(), dir), ignoreCase: true);
            // Nothing to look for is a clear 400, not everyone.
            HttpResponseMessage empty = await colleague.GetAsync("/api/v1/directory?q=%20");
            Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
            Assert.Contains("Ketik nama", await empty.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        using (HttpClient anonymous = world.As("anonymous"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/directory?q=budi")).StatusCode);
        }

        // Revoked: withdrawn at once (this node nudges its publisher), and no longer found by the search or downloadable.
        using (HttpClient admin = world.As("admin"))
        {
            HttpResponseMessage revoked = await admin.PostAsJsonAsync($"/api/v1/certificates/{serial}/revocation", new { reason = "keyCompromise" });
            Assert.True(revoked.IsSuccessStatusCode, await revoked.Content.ReadAsStringAsync());
        }
        var withdrawn = System.Diagnostics.Stopwatch.StartNew();
        await TestLdap.WaitAsync(directory.BaseDn!, budi, f => f.Count == 0, TimeSpan.FromSeconds(5));
        Assert.True(withdrawn.Elapsed < TimeSpan.FromSeconds(5));
        Assert.DoesNotContain(TestLdap.Certificates(directory.BaseDn!, "(uid=*)"), c => SerialOf(c, dir).Equals(serial, StringComparison.OrdinalIgnoreCase));
        using (HttpClient colleague = world.As("agency-head"))
        {
            Assert.Empty((await HttpWorld.OkJsonAsync(await colleague.GetAsync($"/api/v1/directory?q=budi {world.Tag}"))).EnumerateArray());
            Assert.Equal(HttpStatusCode.NotFound, (await colleague.GetAsync($"/api/v1/directory/certificates/{serial}")).StatusCode);
        }

        // Hand edits: an officer's entry deleted and an entry Segel never made are put right by the next reconciliation.
        string rahmat = $"(mail={world.RahmatEmail})";
        string rahmatDn = Tool.Run("ldapsearch", "-x", "-LLL", "-o", "ldif-wrap=no", "-H", directory.Url!, "-b", directory.BaseDn!, rahmat, "dn").Check().Stdout
            .Split('\n')[0]["dn: ".Length..].Trim();
        Tool.Run("ldapdelete", "-x", "-H", directory.Url!, "-D", directory.BindDn!, "-w", directory.BindPassword!, rahmatDn).Check();
        Tool.Run("ldapadd", ["-x", "-H", directory.Url!, "-D", directory.BindDn!, "-w", directory.BindPassword!],
            stdin: $"dn: uid=segel-999999,{directory.BaseDn}\nobjectClass: inetOrgPerson\nuid: segel-999999\ncn: Palsu\nsn: Palsu\nmail: palsu@tanahbumbukab.go.id\n").Check();
        DirectoryRound round = await server.Ca.DirectoryPublishing.ReconcileAsync();
        Assert.Equal(1, round.Written);
        Assert.Equal(1, round.Removed);
        Assert.NotEmpty(TestLdap.Certificates(directory.BaseDn!, rahmat));
        Assert.DoesNotContain("segel-999999", Tool.Run("ldapsearch", "-x", "-LLL", "-H", directory.Url!, "-b", directory.BaseDn!, "(uid=*)", "uid").Check().Stdout,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_holder_with_a_separate_encryption_certificate_is_published_with_that_one_and_withdrawn_with_its_pair()
    {
        DirectoryOptions directory = TestLdap.NewBranch();
        await using InProcessServer server = await InProcessServer.StartAsync("sqlite", Publishing(directory));
        HttpWorld world = await HttpWorld.CreateAsync(server);
        await server.Ca.KeyRecovery.SetUpAsync(["rahmat", "sari"], 2, Segel.Core.Kernel.Principal.Console);
        using var dir = new TempDirectory();
        string budi = $"(mail={world.BudiEmail})";

        // Issue 23.5: a mail client finds the encryption certificate only — the signing one beside it is of no use to it.
        string signing = await world.BudiHoldsCertificateAsync();
        byte[] published = Assert.Single(await TestLdap.WaitAsync(directory.BaseDn!, budi, f => f.Count > 0, TimeSpan.FromSeconds(15)));
        Assert.NotEqual(signing, SerialOf(published, dir), StringComparer.OrdinalIgnoreCase);
        string text = Tool.Run("openssl", "x509", "-inform", "DER", "-in", dir.Write("published.cer", published), "-noout", "-text").Check().Stdout;
        Assert.Contains("Key Agreement", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Digital Signature", text, StringComparison.Ordinal);

        // Revoking the signing certificate withdraws its pair at once.
        using (HttpClient admin = world.As("admin"))
        {
            HttpResponseMessage revoked = await admin.PostAsJsonAsync($"/api/v1/certificates/{signing}/revocation", new { reason = "keyCompromise" });
            Assert.True(revoked.IsSuccessStatusCode, await revoked.Content.ReadAsStringAsync());
        }
        Assert.Empty(await TestLdap.WaitAsync(directory.BaseDn!, budi, f => f.Count == 0, TimeSpan.FromSeconds(5)));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Nodes_publishing_at_once_never_leave_a_revoked_certificate_published(string provider)
    {
        DirectoryOptions directory = TestLdap.NewBranch();
        await using InProcessServer server = await InProcessServer.StartAsync(provider, Publishing(directory));
        HttpWorld world = await HttpWorld.CreateAsync(server);
        string serial = await world.BudiHoldsCertificateAsync();
        string budi = $"(mail={world.BudiEmail})";
        await TestLdap.WaitAsync(directory.BaseDn!, budi, f => f.Count == 1, TimeSpan.FromSeconds(15));

        // Three more "nodes" on the same database publish and reconcile over and over while the certificate is revoked.
        DirectoryPublishing[] nodes = [.. Enumerable.Range(0, 3).Select(_ => new DirectoryPublishing(server.Ca.Database, directory, new CaEvents(), server.Time))];
        using var stop = new CancellationTokenSource();
        // Each on its own thread: SQLite's "async" calls complete synchronously, so a loop of them would never let the others run.
        Task[] publishing = [.. nodes.Select((node, i) => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await (i == 0 ? node.ReconcileAsync() : node.PublishPendingAsync());
                await Task.Delay(10);
            }
        }))];
        using (HttpClient admin = world.As("admin"))
        {
            HttpResponseMessage revoked = await admin.PostAsJsonAsync($"/api/v1/certificates/{serial}/revocation", new { reason = "superseded" });
            Assert.True(revoked.IsSuccessStatusCode, await revoked.Content.ReadAsStringAsync());
        }
        await Task.Delay(TimeSpan.FromSeconds(2));
        await stop.CancelAsync();
        await Task.WhenAll(publishing);

        // Every change published once, and the last word is the revocation's, whichever node wrote last.
        for (int waited = 0; ; waited++)
        {
            await using SegelDbContext db = server.Ca.Database.CreateContext();
            int pending = await db.DirectoryChanges.CountAsync(c => c.PublishedAt == null);
            if (pending == 0)
            {
                break;
            }
            Assert.True(waited < 100, $"{pending} change(s) still unpublished"); // the server's own job may be finishing one
            await Task.Delay(100);
        }
        Assert.Empty(TestLdap.Certificates(directory.BaseDn!, budi));
    }

    [Fact]
    public async Task A_writer_that_read_before_a_revocation_does_not_leave_it_published()
    {
        DirectoryOptions directory = TestLdap.NewBranch();
        await using InProcessServer server = await InProcessServer.StartAsync("sqlite", Publishing(directory));
        HttpWorld world = await HttpWorld.CreateAsync(server);
        string serial = await world.BudiHoldsCertificateAsync();
        string budi = $"(mail={world.BudiEmail})";
        await TestLdap.WaitAsync(directory.BaseDn!, budi, f => f.Count == 1, TimeSpan.FromSeconds(15));
        long employee;
        await using (SegelDbContext db = server.Ca.Database.CreateContext())
        {
            employee = (await db.Certificates.SingleAsync(c => c.SerialHex == serial)).EmployeeId!.Value;
            DirectoryChangeRecord.Note(db, employee, server.Time.GetUtcNow()); // a change another node noted a moment ago
            await db.SaveChangesAsync();
        }

        // A second node reads Budi's valid certificate; before it writes, the certificate is revoked and this node withdraws it.
        var slow = new DirectoryPublishing(server.Ca.Database, directory, new CaEvents(), server.Time);
        bool paused = false;
        slow.BeforeWrite = async id =>
        {
            if (paused || id != employee)
            {
                return;
            }
            paused = true;
            using HttpClient admin = world.As("admin");
            HttpResponseMessage revoked = await admin.PostAsJsonAsync($"/api/v1/certificates/{serial}/revocation", new { reason = "keyCompromise" });
            Assert.True(revoked.IsSuccessStatusCode, await revoked.Content.ReadAsStringAsync());
            await TestLdap.WaitAsync(directory.BaseDn!, budi, f => f.Count == 0, TimeSpan.FromSeconds(5));
        };
        await slow.PublishPendingAsync();

        // Its write of what it read first is followed by a read that sees the revocation, and a write of that.
        Assert.True(paused);
        Assert.Empty(TestLdap.Certificates(directory.BaseDn!, budi));
    }
}

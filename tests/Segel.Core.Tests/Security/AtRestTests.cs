using System.Text;
using Microsoft.EntityFrameworkCore;
using Segel.Core.Kernel;
using Segel.Core.Lifecycle;
using Segel.Core.Storage;
using Segel.Testing;

namespace Segel.Core.Tests.Security;

/// <summary>
/// Nothing personal or secret in clear at rest: a KTP scan and a confirmation code are not in the database file or its
/// WAL, a delivered notice keeps no body, and what an older version stored in clear is sealed at the next start.
/// </summary>
public sealed class AtRestTests
{
    private const string Marker = "NIK-6310011507850001-RAHASIA";
    private static readonly string[] DatabaseFiles = ["segel.db", "segel.db-wal"];

    private static string DatabaseBytes(TestCa test) =>
        string.Concat(DatabaseFiles.Select(test.Directory.File).Where(File.Exists)
            .Select(f => Encoding.Latin1.GetString(File.ReadAllBytes(f))));

    [Fact]
    public async Task Documents_and_codes_are_sealed_and_a_delivered_notice_keeps_no_body()
    {
        using TestCa test = await TestCa.CreateAsync(configure: o => o.Smtp = TestSmtp.Options());
        LifecycleWorld world = await LifecycleWorld.CreateAsync(test.Ca);
        EnrollmentSnapshot created = await test.Ca.Enrollments.CreateAsync(new NewEnrollment(LifecycleWorld.BudiNip, "sekretariat@tanahbumbukab.go.id", "new"), world.HeadKominfo);
        byte[] scan = SamplePdf.Letter(Marker);
        await test.Ca.Enrollments.AttachAsync(created.Id, DocumentKind.IdCard, scan, "ktp.pdf", world.HeadKominfo);
        string code = await world.CodeSentToAsync("budi@tanahbumbukab.go.id");

        string stored = DatabaseBytes(test);
        Assert.DoesNotContain(Marker, stored, StringComparison.Ordinal);
        Assert.DoesNotContain(code, stored, StringComparison.Ordinal);
        DocumentContent read = await test.Ca.EnrollmentQueries.ReadDocumentAsync(created.Id, DocumentKind.IdCard, world.Officer);
        Assert.Equal(scan, read.Content.ToArray());

        Assert.True(await test.Ca.Outbox.DeliverAsync() >= 1);
        await using SegelDbContext db = test.Ca.Database.CreateContext();
        Assert.All(await db.OutboxMail.AsNoTracking().Where(m => m.SentAt != null).ToListAsync(), m =>
        {
            Assert.Null(m.SealedBody);
            Assert.Null(m.Body);
            Assert.DoesNotMatch("[0-9A-Z]{4}-?[0-9A-Z]{4}", m.Subject);
        });
        Assert.Null(await test.Ca.Outbox.PendingForAsync("budi@tanahbumbukab.go.id", Principal.Console));
    }

    [Fact]
    public async Task What_an_older_version_stored_in_clear_is_sealed_at_the_next_start()
    {
        using TestCa test = await TestCa.CreateAsync();
        LifecycleWorld world = await LifecycleWorld.CreateAsync(test.Ca);
        EnrollmentSnapshot created = await test.Ca.Enrollments.CreateAsync(new NewEnrollment(LifecycleWorld.BudiNip, "sekretariat@tanahbumbukab.go.id", "new"), world.HeadKominfo);
        byte[] scan = SamplePdf.Letter(Marker);
        await using (SegelDbContext db = test.Ca.Database.CreateContext())
        {
            // As the version before sealing wrote them.
            db.Documents.Add(new DocumentRecord
            {
                EnrollmentId = created.Id,
                Kind = DocumentKind.IdCard,
                ContentType = "application/pdf",
                Size = scan.Length,
                Sha256 = System.Security.Cryptography.SHA256.HashData(scan),
                Content = scan,
                UploadedBy = "lama",
            });
            db.OutboxMail.Add(new OutboxMailRecord { To = "budi@tanahbumbukab.go.id", Subject = "Lama", Body = "kode lama " + Marker });
            db.OutboxMail.Add(new OutboxMailRecord { To = "siti@tanahbumbukab.go.id", Subject = "Terkirim", Body = "terkirim " + Marker, SentAt = test.Time.GetUtcNow() });
            await db.SaveChangesAsync();
        }
        using SegelCa restarted = test.OpenSecondNode();
        await restarted.PrepareAsync(initializeIfMissing: false, Actor.System);
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={test.Directory.File("segel.db")}"))
        {
            connection.Open();
            using var checkpoint = connection.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
            checkpoint.ExecuteNonQuery();
        }
        Assert.DoesNotContain(Marker, DatabaseBytes(test), StringComparison.Ordinal);
        Assert.Equal(scan, (await restarted.EnrollmentQueries.ReadDocumentAsync(created.Id, DocumentKind.IdCard, world.Officer)).Content.ToArray());
        Assert.Contains(Marker, (await restarted.Outbox.PendingForAsync("budi@tanahbumbukab.go.id", Principal.Console))!.Body, StringComparison.Ordinal);
        await using SegelDbContext check = restarted.Database.CreateContext();
        Assert.Null((await check.OutboxMail.SingleAsync(m => m.To == "siti@tanahbumbukab.go.id")).Body);
    }
}

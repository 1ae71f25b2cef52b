using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Segel.Core.Storage;
using Segel.Testing;

namespace Segel.Server.Tests;

/// <summary>
/// Encryption to colleagues and opening with a kept key (issue 23.3), over the API the portal's pages share, checked with
/// openssl both ways: what Segel encrypts, openssl cms -decrypt opens with the holder's exported key; what openssl
/// encrypts to the holder, Segel opens with the key it keeps. A file not addressed to the holder costs no passphrase attempt.
/// </summary>
public sealed class DocumentEncryptionTests
{
    private static MultipartFormDataContent Form(byte[] file, string name, params (string Field, string Value)[] fields)
    {
        var form = new MultipartFormDataContent { { new ByteArrayContent(file), "file", name } };
        foreach ((string field, string value) in fields)
        {
            form.Add(new StringContent(value), field);
        }
        return form;
    }

    [Theory]
    [InlineData("ecdsa-p256")] // ECDH: the document is read whole
    [InlineData("rsa2048")] // RSA: streamed both ways
    public async Task A_colleague_encrypts_to_a_holder_who_opens_it_with_the_key_segel_keeps_and_openssl_agrees(string algorithm)
    {
        await using InProcessServer server = await InProcessServer.StartAsync("sqlite", o => o["Ca:SubscriberAlgorithm"] = algorithm);
        HttpWorld world = await HttpWorld.CreateAsync(server);
        using var dir = new TempDirectory();
        string budi = await world.BudiHoldsCertificateAsync();
        byte[] letter = RandomNumberGenerator.GetBytes(300_000);

        // Rahmat finds Budi in the directory and encrypts a letter to him.
        using HttpClient rahmat = world.As("ra-officer");
        HttpResponseMessage encrypted = await rahmat.PostAsync("/api/v1/documents/encryption", Form(letter, "surat.pdf", ("recipient", budi)));
        Assert.True(encrypted.IsSuccessStatusCode, await encrypted.Content.ReadAsStringAsync());
        Assert.Equal("application/pkcs7-mime", encrypted.Content.Headers.ContentType?.MediaType);
        Assert.Equal("surat.pdf.p7m", encrypted.Content.Headers.ContentDisposition?.FileNameStar ?? encrypted.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        byte[] envelope = await encrypted.Content.ReadAsByteArrayAsync();
        string p7m = Path.Combine(dir.Path, "surat.pdf.p7m");
        File.WriteAllBytes(p7m, envelope);

        // openssl reads it as AES-256 content with an RSA-OAEP recipient, or ECDH with the SHA-256 KDF and AES-256 key wrap for an
        // EC key (the tests' holders have P-256 keys), and opens it with Budi's exported key.
        string printed = Tool.Run("openssl", "cms", "-cmsout", "-print", "-inform", "DER", "-in", p7m).Check().Stdout;
        Assert.Contains("aes-256-cbc", printed, StringComparison.Ordinal);
        bool ec = algorithm.StartsWith("ecdsa", StringComparison.Ordinal);
        Assert.True(ec ? printed.Contains("dhSinglePass-stdDH-sha256kdf-scheme", StringComparison.Ordinal) && printed.Contains("id-aes256-wrap", StringComparison.Ordinal)
            : printed.Contains("rsaesOaep", StringComparison.Ordinal), printed);
        using HttpClient holder = world.As("subscriber");
        HttpResponseMessage export = await holder.PostAsJsonAsync("/api/v1/me/key/pkcs12", new { passphrase = HttpWorld.HolderPassphrase, exportPassword = "ekspor-rahasia" });
        Assert.True(export.IsSuccessStatusCode, await export.Content.ReadAsStringAsync());
        string p12 = Path.Combine(dir.Path, "budi.p12"), pem = Path.Combine(dir.Path, "budi.pem"), opened = Path.Combine(dir.Path, "opened");
        File.WriteAllBytes(p12, await export.Content.ReadAsByteArrayAsync());
        Tool.Run("openssl", "pkcs12", "-in", p12, "-passin", "pass:ekspor-rahasia", "-nodes", "-out", pem).Check();
        Tool.Run("openssl", "cms", "-decrypt", "-binary", "-inform", "DER", "-in", p7m, "-inkey", pem, "-recip", pem, "-out", opened).Check();
        Assert.Equal(letter, File.ReadAllBytes(opened));

        // Budi opens it in Segel with his passphrase; the name loses its .p7m.
        HttpResponseMessage decrypted = await holder.PostAsync("/api/v1/documents/decryption", Form(envelope, "surat.pdf.p7m", ("passphrase", HttpWorld.HolderPassphrase)));
        Assert.True(decrypted.IsSuccessStatusCode, await decrypted.Content.ReadAsStringAsync());
        Assert.Equal(letter, await decrypted.Content.ReadAsByteArrayAsync());
        Assert.Equal("surat.pdf", decrypted.Content.Headers.ContentDisposition?.FileNameStar ?? decrypted.Content.Headers.ContentDisposition?.FileName?.Trim('"'));

        // What openssl encrypts to Budi's certificate, Segel opens: openssl's default (ECDH with its default KDF for an EC key,
        // PKCS#1 v1.5 for RSA) and, for RSA, OAEP with SHA-256 as Segel writes it.
        string plain = Path.Combine(dir.Path, "plain");
        File.WriteAllBytes(plain, letter);
        string[][] paddings = ec ? [[]] : [["-keyopt", "rsa_padding_mode:oaep", "-keyopt", "rsa_oaep_md:sha256"], []];
        foreach (string[] padding in paddings)
        {
            string fromOpenssl = Path.Combine(dir.Path, $"openssl-{padding.Length}.p7m");
            Tool.Run("openssl", ["cms", "-encrypt", "-binary", "-aes256", "-outform", "DER", "-in", plain, "-out", fromOpenssl, "-recip", pem, .. padding]).Check();
            HttpResponseMessage opensslOpened = await holder.PostAsync("/api/v1/documents/decryption", Form(File.ReadAllBytes(fromOpenssl), "dari-openssl.p7m", ("passphrase", HttpWorld.HolderPassphrase)));
            Assert.True(opensslOpened.IsSuccessStatusCode, await opensslOpened.Content.ReadAsStringAsync());
            Assert.Equal(letter, await opensslOpened.Content.ReadAsByteArrayAsync());
        }

        // Audited, without the content.
        await using (SegelDbContext db = server.Ca.Database.CreateContext())
        {
            Assert.Equal(1, await db.AuditRecords.CountAsync(a => a.Action == "document.encrypted"));
            Assert.Equal(1 + paddings.Length, await db.AuditRecords.CountAsync(a => a.Action == "document.decrypted"));
        }
    }

    [Fact]
    public async Task Mistakes_are_clear_and_a_document_for_someone_else_costs_no_passphrase_attempt()
    {
        await using InProcessServer server = await InProcessServer.StartAsync("sqlite");
        HttpWorld world = await HttpWorld.CreateAsync(server);
        string budi = await world.BudiHoldsCertificateAsync();
        using HttpClient rahmat = world.As("ra-officer");
        using HttpClient holder = world.As("subscriber");
        JsonElement found = await HttpWorld.OkJsonAsync(await rahmat.GetAsync("/api/v1/directory?q=rahmat"));
        string rahmatSerial = found[0].GetProperty("certificates")[0].GetProperty("serial").GetString()!;

        async Task<(HttpStatusCode Status, string Body)> Send(HttpClient client, string path, MultipartFormDataContent form)
        {
            HttpResponseMessage response = await client.PostAsync(path, form);
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }

        // Encrypting: no recipient, a serial nobody holds, no file.
        (HttpStatusCode status, string body) = await Send(rahmat, "/api/v1/documents/encryption", Form("x"u8.ToArray(), "x.txt"));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("penerima", body, StringComparison.Ordinal);
        (status, _) = await Send(rahmat, "/api/v1/documents/encryption", Form("x"u8.ToArray(), "x.txt", ("recipient", "0DEADBEEF0")));
        Assert.Equal(HttpStatusCode.NotFound, status);
        (status, _) = await Send(rahmat, "/api/v1/documents/encryption", new MultipartFormDataContent { { new StringContent(budi), "recipient" } });
        Assert.Equal(HttpStatusCode.BadRequest, status);

        // A document for Rahmat alone: Budi is told it is not his, before any passphrase is tried.
        HttpResponseMessage forRahmat = await rahmat.PostAsync("/api/v1/documents/encryption", Form("rahasia"u8.ToArray(), "catatan.txt", ("recipient", rahmatSerial)));
        byte[] envelope = await forRahmat.Content.ReadAsByteArrayAsync();
        (status, body) = await Send(holder, "/api/v1/documents/decryption", Form(envelope, "catatan.txt.p7m", ("passphrase", "bukan passphrase-nya")));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("tidak dienkripsi untuk sertifikat Anda", body, StringComparison.Ordinal);
        // Not an encrypted document at all.
        (status, body) = await Send(holder, "/api/v1/documents/decryption", Form("%PDF-1.7 bukan cms"u8.ToArray(), "surat.pdf", ("passphrase", HttpWorld.HolderPassphrase)));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("bukan dokumen terenkripsi", body, StringComparison.Ordinal);
        await using (SegelDbContext db = server.Ca.Database.CreateContext())
        {
            Assert.All(await db.HolderKeys.Where(k => k.DestroyedAt == null).ToListAsync(), k => Assert.Equal(0, k.FailedAttempts));
        }

        // For Budi, with the wrong passphrase: refused and counted, as signing's are.
        HttpResponseMessage forBudi = await rahmat.PostAsync("/api/v1/documents/encryption", Form("rahasia"u8.ToArray(), "catatan.txt", ("recipient", budi), ("recipient", rahmatSerial)));
        (status, _) = await Send(holder, "/api/v1/documents/decryption", Form(await forBudi.Content.ReadAsByteArrayAsync(), "catatan.txt.p7m", ("passphrase", "bukan passphrase-nya")));
        Assert.True(status is HttpStatusCode.BadRequest or HttpStatusCode.Forbidden or HttpStatusCode.UnprocessableEntity, status.ToString());
        await using (SegelDbContext db = server.Ca.Database.CreateContext())
        {
            Assert.Equal(1, (await db.HolderKeys.Join(db.Certificates, k => k.CertificateId, c => c.Id, (k, c) => new { k, c }).SingleAsync(x => x.c.SerialHex == budi)).k.FailedAttempts);
        }

        // Someone who is not a holder (the auditor) cannot open documents; nobody signed out does anything.
        (status, _) = await Send(world.As("auditor"), "/api/v1/documents/decryption", Form(envelope, "x.p7m", ("passphrase", "apa saja")));
        Assert.Equal(HttpStatusCode.Forbidden, status);
        (status, _) = await Send(world.As("anonymous"), "/api/v1/documents/encryption", Form("x"u8.ToArray(), "x.txt", ("recipient", budi)));
        Assert.Equal(HttpStatusCode.Unauthorized, status);
    }

    [Fact]
    public async Task A_document_sent_by_e_mail_arrives_as_s_mime_that_openssl_and_the_portal_open()
    {
        await using InProcessServer server = await InProcessServer.StartAsync("sqlite");
        HttpWorld world = await HttpWorld.CreateAsync(server);
        using var dir = new TempDirectory();
        string budi = await world.BudiHoldsCertificateAsync();
        byte[] letter = RandomNumberGenerator.GetBytes(50_000);

        using HttpClient rahmat = world.As("ra-officer");
        HttpResponseMessage sent = await rahmat.PostAsync("/api/v1/documents/encryption/mail", Form(letter, "nota-dinas.pdf", ("recipient", budi)));
        Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);

        // The mail that reached the SMTP server: enveloped S/MIME, the subject naming only the sender, as colleagues know him.
        MimeKit.MimeMessage mail = await TestSmtp.WaitForAsync(world.BudiEmail, m => m.Body is MimeKit.Cryptography.ApplicationPkcs7Mime, TimeSpan.FromSeconds(20));
        Assert.Contains("Rahmat Hidayat", mail.Subject, StringComparison.Ordinal); // the sender's name, not the account's
        Assert.DoesNotContain("nota-dinas", mail.Subject, StringComparison.Ordinal);
        var pkcs7 = Assert.IsType<MimeKit.Cryptography.ApplicationPkcs7Mime>(mail.Body);
        Assert.Equal(MimeKit.Cryptography.SecureMimeType.EnvelopedData, pkcs7.SecureMimeType);
        string eml = Path.Combine(dir.Path, "mail.eml");
        await mail.WriteToAsync(eml);

        // openssl opens the message with Budi's exported key; inside, the note and the document.
        using HttpClient holder = world.As("subscriber");
        HttpResponseMessage export = await holder.PostAsJsonAsync("/api/v1/me/key/pkcs12", new { passphrase = HttpWorld.HolderPassphrase, exportPassword = "ekspor-rahasia" });
        string p12 = Path.Combine(dir.Path, "budi.p12"), pem = Path.Combine(dir.Path, "budi.pem"), opened = Path.Combine(dir.Path, "opened.eml");
        File.WriteAllBytes(p12, await export.Content.ReadAsByteArrayAsync());
        Tool.Run("openssl", "pkcs12", "-in", p12, "-passin", "pass:ekspor-rahasia", "-nodes", "-out", pem).Check();
        Tool.Run("openssl", "cms", "-decrypt", "-in", eml, "-inkey", pem, "-recip", pem, "-out", opened).Check();
        MimeKit.MimeEntity inside = await MimeKit.MimeEntity.LoadAsync(opened);
        MimeKit.MimePart attachment = Assert.Single(((MimeKit.Multipart)inside).OfType<MimeKit.MimePart>(), p => p.IsAttachment);
        Assert.Equal("nota-dinas.pdf", attachment.FileName);
        using (var content = new MemoryStream())
        {
            await attachment.Content!.DecodeToAsync(content);
            Assert.Equal(letter, content.ToArray());
        }

        // Budi, whose key Segel keeps, saves the message's smime.p7m and opens it in Segel: the document itself comes back.
        using var envelope = new MemoryStream();
        await pkcs7.Content!.DecodeToAsync(envelope);
        HttpResponseMessage decrypted = await holder.PostAsync("/api/v1/documents/decryption", Form(envelope.ToArray(), "smime.p7m", ("passphrase", HttpWorld.HolderPassphrase)));
        Assert.True(decrypted.IsSuccessStatusCode, await decrypted.Content.ReadAsStringAsync());
        Assert.Equal(letter, await decrypted.Content.ReadAsByteArrayAsync());
        Assert.Equal("nota-dinas.pdf", decrypted.Content.Headers.ContentDisposition?.FileNameStar ?? decrypted.Content.Headers.ContentDisposition?.FileName?.Trim('"'));

        // Delivered, the queued copy is erased; the sending is audited.
        await using SegelDbContext db = server.Ca.Database.CreateContext();
        Assert.All(await db.OutboxMail.Where(m => m.To == world.BudiEmail && m.SentAt != null).ToListAsync(), m => Assert.Null(m.EncryptedBody));
        Assert.Equal(1, await db.AuditRecords.CountAsync(a => a.Action == "document.mailed"));
    }
}

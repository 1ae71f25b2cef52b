using System.Security.Cryptography.X509Certificates;
using Microsoft.EntityFrameworkCore;
using Segel.Core.Audit;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Recipients;
using Segel.Core.Storage;
using Segel.Pki.Cms;
using Segel.Texts;

namespace Segel.Core.Signing;

/// <summary>
/// Document encryption in the portal and the API (Pasal 12's document security, issue 23.3): a person encrypts a file to
/// colleagues chosen from the certificate directory (CMS EnvelopedData, AES-256, RSA-OAEP or ECDH — what openssl cms
/// reads), and a holder decrypts one addressed to them with the key Segel keeps and their passphrase. Both stream: the
/// caller hands files (an upload buffered to disk, a temporary file for the answer), never the whole document in memory.
/// </summary>
public sealed class DocumentEnvelopes
{
    /// <summary>Recipients of one document: a letter's distribution list, not a mailing.</summary>
    public const int MaxRecipients = 50;

    /// <summary>The largest document sent by e-mail: mail servers refuse much more (and base64 adds a third).</summary>
    public const int MaxMailMegabytes = 10;

    private readonly SigningParts _parts;
    private readonly RecipientDirectory _directory;
    private readonly Notifications.MailOutbox _outbox;

    internal DocumentEnvelopes(SigningParts parts, RecipientDirectory directory, Notifications.MailOutbox outbox)
    {
        _parts = parts;
        _directory = directory;
        _outbox = outbox;
    }

    /// <summary>
    /// Sends <paramref name="content"/> as an attachment to each recipient by e-mail, as S/MIME encrypted to that recipient's
    /// certificate alone (the subject names only the sender; the file's name and the note travel inside the encryption).
    /// Queued in one transaction with the audit entry, delivered by the outbox. Returns the recipients.
    /// </summary>
    public async Task<IReadOnlyList<DirectoryCertificate>> SendAsync(Principal by, IReadOnlyList<string> serials, string fileName, ReadOnlyMemory<byte> content, string? origin,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(by);
        RecipientDirectory.RequireMaySearch(by);
        if (content.Length == 0)
        {
            throw SegelException.Invalid("file", Localized.Of("Error.GiveOneFile"));
        }
        if (content.Length > MaxMailMegabytes * 1024 * 1024)
        {
            throw SegelException.Invalid("file", Localized.Of("Error.MailDocumentTooLarge", MaxMailMegabytes));
        }
        List<(DirectoryCertificate Listed, byte[] Der)> recipients = await RecipientsAsync(by, serials, cancellationToken);
        string name = string.IsNullOrWhiteSpace(Path.GetFileName(fileName)) ? "dokumen" : Path.GetFileName(fileName);
        await using SegelDbContext db = _parts.Database.CreateContext();
        // The recipient knows a colleague by name, not by account: the employee's name when there is one.
        string sender = by.EmployeeId is long employee
            ? await db.Employees.AsNoTracking().Where(e => e.Id == employee).Select(e => e.Name).FirstOrDefaultAsync(cancellationToken) ?? by.Name
            : by.Name;
        foreach ((DirectoryCertificate listed, byte[] der) in recipients)
        {
            using X509Certificate2 certificate = X509CertificateLoader.LoadCertificate(der);
            Notifications.MailMessage notice = Notifications.MailMessages.Compose("EncryptedDocument", listed.Email, null, sender, name);
            var body = new MimeKit.Multipart("mixed")
            {
                new MimeKit.TextPart("plain") { Text = notice.Body },
                new MimeKit.MimePart(MimeKit.MimeTypes.GetMimeType(name))
                {
                    Content = new MimeKit.MimeContent(new MemoryStream(content.ToArray())),
                    ContentDisposition = new MimeKit.ContentDisposition(MimeKit.ContentDisposition.Attachment),
                    ContentTransferEncoding = MimeKit.ContentEncoding.Base64,
                    FileName = name,
                },
            };
            var message = new MimeKit.MimeMessage { Body = body };
            SecureMail.SecureMail.Encrypt(message, [certificate]);
            using var envelope = new MemoryStream();
            ((MimeKit.Cryptography.ApplicationPkcs7Mime)message.Body).Content!.DecodeTo(envelope, cancellationToken);
            _outbox.Enqueue(db, new Notifications.MailMessage(listed.Email, notice.Subject, "") { EncryptedBody = envelope.ToArray() });
        }
        AuditLog.Record(db, _parts.Time, by.ToActor(origin), "document.mailed", recipients[0].Listed.Serial,
            new { recipients = recipients.Select(r => r.Listed.Serial).ToArray(), bytes = (long)content.Length });
        await db.SaveChangesAsync(cancellationToken);
        _outbox.NotifyQueued();
        return [.. recipients.Select(r => r.Listed)];
    }

    /// <summary>
    /// The document inside an opened e-mail that <see cref="SendAsync"/> sent (a holder whose key Segel keeps saves the
    /// message's smime.p7m and opens it here): its one attachment, with its name. Null when <paramref name="opened"/> is not
    /// such a message — an ordinary document is given back as it is.
    /// </summary>
    public static (string Name, byte[] Content)? SentAttachment(ReadOnlySpan<byte> opened)
    {
        if (opened.Length < 13 || !System.Text.Encoding.ASCII.GetString(opened[..13]).Equals("Content-Type:", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        try
        {
            using var stream = new MemoryStream(opened.ToArray());
            if (MimeKit.MimeEntity.Load(stream) is MimeKit.Multipart { Count: 2 } mixed && mixed[0] is MimeKit.TextPart &&
                mixed[1] is MimeKit.MimePart { IsAttachment: true, FileName.Length: > 0, Content: not null } attachment)
            {
                using var content = new MemoryStream();
                attachment.Content.DecodeTo(content);
                return (Path.GetFileName(attachment.FileName), content.ToArray());
            }
        }
        catch (FormatException)
        {
            // not MIME after all: the document as it is
        }
        return null;
    }

    /// <summary>The chosen recipients' certificates, as the directory lists them (which checks the caller and each certificate).</summary>
    private async Task<List<(DirectoryCertificate Listed, byte[] Der)>> RecipientsAsync(Principal by, IReadOnlyList<string> serials, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(serials);
        string[] distinct = [.. serials.Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s.Trim()).Distinct(StringComparer.OrdinalIgnoreCase)];
        if (distinct.Length == 0)
        {
            throw SegelException.Invalid("recipient", Localized.Of("Error.ChooseRecipient"));
        }
        if (distinct.Length > MaxRecipients)
        {
            throw SegelException.Invalid("recipient", Localized.Of("Error.TooManyRecipients", MaxRecipients));
        }
        var recipients = new List<(DirectoryCertificate, byte[])>(distinct.Length);
        foreach (string serial in distinct)
        {
            recipients.Add(await _directory.CertificateAsync(by, serial, cancellationToken));
        }
        return recipients;
    }

    /// <summary>
    /// Encrypts <paramref name="content"/> into <paramref name="output"/> to the valid certificates <paramref name="serials"/>
    /// name (from the directory: people on file). Returns the recipients, as the directory lists them.
    /// </summary>
    public async Task<IReadOnlyList<DirectoryCertificate>> EncryptAsync(Principal by, IReadOnlyList<string> serials, Stream content, Stream output, string? origin,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(by);
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(output);
        RecipientDirectory.RequireMaySearch(by); // before anything about the request is told
        List<(DirectoryCertificate Listed, byte[] Der)> chosen = await RecipientsAsync(by, serials, cancellationToken);
        List<DirectoryCertificate> recipients = [.. chosen.Select(c => c.Listed)];
        List<X509Certificate2> certificates = [.. chosen.Select(c => X509CertificateLoader.LoadCertificate(c.Der))];
        try
        {
            DocumentEncryption.Encrypt(content, output, certificates);
        }
        finally
        {
            certificates.ForEach(c => c.Dispose());
        }
        await using SegelDbContext db = _parts.Database.CreateContext();
        AuditLog.Record(db, _parts.Time, by.ToActor(origin), "document.encrypted", recipients[0].Serial,
            new { recipients = recipients.Select(r => r.Serial).ToArray(), bytes = content.CanSeek ? content.Length : (long?)null });
        await db.SaveChangesAsync(cancellationToken);
        return recipients;
    }

    /// <summary>
    /// Decrypts <paramref name="envelope"/> (seekable: it is read once to find the recipient, again to decrypt) into
    /// <paramref name="output"/> with the signed-in holder's key for whichever of their certificates it is addressed to — a
    /// renewed or expired one too, while its key is kept. A file not addressed to them is refused before the passphrase
    /// is tried, so it costs no attempt; a wrong passphrase counts towards the lock as signing's does.
    /// </summary>
    public async Task DecryptAsync(Principal by, string? passphrase, Stream envelope, Stream output, string? origin, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(by);
        ArgumentNullException.ThrowIfNull(envelope);
        ArgumentNullException.ThrowIfNull(output);
        if (by.Roles == Role.None || by.EmployeeId is not long employee)
        {
            throw SegelException.Forbidden(Localized.Of("Error.OnlyHolderDecrypts", by.Name));
        }
        if (!envelope.CanSeek)
        {
            throw new ArgumentException("The encrypted document must be seekable.", nameof(envelope));
        }
        if (string.IsNullOrEmpty(passphrase))
        {
            throw SegelException.Invalid("passphrase", Localized.Of("Error.GivePassphrase"));
        }
        var kept = await KeptKeysAsync(employee, cancellationToken);
        foreach ((CertificateRecord certificate, HolderKeyRecord key) in kept)
        {
            using X509Certificate2 recipient = X509CertificateLoader.LoadCertificate(certificate.Der);
            envelope.Position = 0;
            if (!Addressed(envelope, recipient))
            {
                continue;
            }
            using X509Certificate2 withKey = await _parts.HolderKeys.UnlockAsync(key, recipient, passphrase, by.ToActor(origin), cancellationToken);
            using System.Security.Cryptography.AsymmetricAlgorithm privateKey = Pki.Keys.CertificateKeys.PrivateKeyOf(withKey)!;
            envelope.Position = 0;
            try
            {
                DocumentEncryption.Decrypt(envelope, output, recipient, privateKey);
            }
            catch (DocumentEncryptionException)
            {
                throw SegelException.Invalid("file", Localized.Of("Error.EncryptedDocumentDamaged"));
            }
            await using SegelDbContext db = _parts.Database.CreateContext();
            AuditLog.Record(db, _parts.Time, by.ToActor(origin), "document.decrypted", certificate.SerialHex, new { certificate = certificate.SerialHex });
            await db.SaveChangesAsync(cancellationToken);
            return;
        }
        throw SegelException.Invalid("file", Localized.Of("Error.DocumentNotEncryptedToYou"));
    }

    private static bool Addressed(Stream envelope, X509Certificate2 recipient)
    {
        try
        {
            return DocumentEncryption.IsFor(envelope, recipient);
        }
        catch (DocumentEncryptionException)
        {
            throw SegelException.Invalid("file", Localized.Of("Error.NotEncryptedDocument"));
        }
    }

    /// <summary>The holder's certificates whose private keys Segel still keeps, newest first.</summary>
    private async Task<List<(CertificateRecord Certificate, HolderKeyRecord Key)>> KeptKeysAsync(long employee, CancellationToken cancellationToken)
    {
        await using SegelDbContext db = _parts.Database.CreateContext();
        var rows = await (from k in db.HolderKeys.AsNoTracking()
                          join c in db.Certificates.AsNoTracking() on k.CertificateId equals c.Id
                          where k.EmployeeId == employee && k.DestroyedAt == null && c.EmployeeId == employee
                          orderby c.Id descending
                          select new { Certificate = c, Key = k }).ToListAsync(cancellationToken);
        return [.. rows.Select(r => (r.Certificate, r.Key))];
    }
}

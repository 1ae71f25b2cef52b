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

    private readonly SigningParts _parts;
    private readonly RecipientDirectory _directory;

    internal DocumentEnvelopes(SigningParts parts, RecipientDirectory directory)
    {
        _parts = parts;
        _directory = directory;
    }

    /// <summary>
    /// Encrypts <paramref name="content"/> into <paramref name="output"/> to the valid certificates <paramref name="serials"/>
    /// name (from the directory: people on file). Returns the recipients, as the directory lists them.
    /// </summary>
    public async Task<IReadOnlyList<DirectoryCertificate>> EncryptAsync(Principal by, IReadOnlyList<string> serials, Stream content, Stream output, string? origin,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(by);
        ArgumentNullException.ThrowIfNull(serials);
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(output);
        RecipientDirectory.RequireMaySearch(by); // before anything about the request is told
        string[] distinct = [.. serials.Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s.Trim()).Distinct(StringComparer.OrdinalIgnoreCase)];
        if (distinct.Length == 0)
        {
            throw SegelException.Invalid("recipient", Localized.Of("Error.ChooseRecipient"));
        }
        if (distinct.Length > MaxRecipients)
        {
            throw SegelException.Invalid("recipient", Localized.Of("Error.TooManyRecipients", MaxRecipients));
        }
        var recipients = new List<DirectoryCertificate>(distinct.Length);
        var certificates = new List<X509Certificate2>(distinct.Length);
        try
        {
            foreach (string serial in distinct)
            {
                // The directory checks the caller and refuses a certificate that is not valid or not a person's on file.
                (DirectoryCertificate listed, byte[] der) = await _directory.CertificateAsync(by, serial, cancellationToken);
                recipients.Add(listed);
                certificates.Add(X509CertificateLoader.LoadCertificate(der));
            }
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
            using System.Security.Cryptography.AsymmetricAlgorithm privateKey =
                (System.Security.Cryptography.AsymmetricAlgorithm?)withKey.GetRSAPrivateKey() ?? withKey.GetECDsaPrivateKey()!;
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

using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.EntityFrameworkCore;
using Segel.Core.Accounts;
using Segel.Core.Audit;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Seals;
using Segel.Core.Storage;
using Segel.Pdf.Signing;
using Segel.Pki.Keys;
using Segel.Pki.Validation;
using Segel.Texts;

namespace Segel.Core.Signing;

/// <summary>Sealing PDFs with an institutional seal (issue 23.2).</summary>
public sealed partial class RemoteSigning
{
    /// <summary>
    /// Seals PDFs with the institutional seal the caller's token is bound to — no holder, no passphrase: the token's
    /// <see cref="ApiScopes.SealSign"/> scope, its seal binding and its networks are the policy, checked here against the caller's
    /// address (<paramref name="origin"/>). The seal's certificate must be valid now; each signature is recorded, logged and
    /// has its public page, as a person's does, and that page says the document was sealed by the agency.
    /// </summary>
    public async Task<IReadOnlyList<SignedDocument>> SealAsync(PdfSigningRequest request, Principal by, string? origin, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(by);
        if (by.Roles != Role.None || by.Scopes?.Contains(ApiScopes.SealSign) != true || by.SealId is not long sealId)
        {
            throw SegelException.Forbidden(Localized.Of("Error.NotNeedsScope", by.Name, "seal-documents", ApiScopes.SealSign));
        }
        if (!SealBinding.Allows(by.Networks, origin))
        {
            throw SegelException.Forbidden(Localized.Of("Error.SealNotFromHere", by.Name, origin ?? "?"));
        }
        if (request.Nik is not null || request.Email is not null || request.Passphrase is not null || request.Code is not null)
        {
            throw SegelException.Invalid("nik", Localized.Of("Error.SealTakesNoHolder"));
        }
        await CheckPdfRequestAsync(request, cancellationToken);
        DateTimeOffset now = _parts.Time.GetUtcNow();
        (InstitutionalSealRecord seal, CertificateRecord certificateRecord, string agency) = await ValidSealAsync(sealId, now, cancellationToken);
        using X509Certificate2 certificate = X509CertificateLoader.LoadCertificate(certificateRecord.Der);
        byte[] pkcs8 = _parts.PersonalData.Open(InstitutionalSeals.KeyPurpose, seal.SealedPrivateKey, seal.PublicKey);
        AsymmetricAlgorithm opened;
        try
        {
            opened = KeyAlgorithms.Parse(seal.Algorithm).ImportPkcs8(pkcs8);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }
        using AsymmetricAlgorithm key = opened;
        IReadOnlyList<X509Certificate2> chain = await _parts.Ring.ChainFromAsync(certificateRecord.IssuerId, cancellationToken);
        var identity = new SigningIdentity(certificate, chain, new SoftwareSigningKey("seal", KeyAlgorithms.Identify(certificate.PublicKey)!.Value, key));
        IRevocationSource? revocation = request.Level >= PadesLevel.BaselineLT ? await _parts.Revocation.CreateAsync(cancellationToken) : null;
        var signed = new List<SignedDocument>();
        await using SegelDbContext db = _parts.Database.CreateContext();
        foreach (PdfToSign document in request.Documents)
        {
            string id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            string url = VerificationUrl(id);
            byte[] pdf = await SignAsync(document, identity,
                Options(request, document.Placement ?? request.Placement, seal.Name, agency, now, url, OwnTimeStamps, revocation), cancellationToken);
            signed.Add(new SignedDocument(id, pdf, url));
            var record = new SignatureRecord
            {
                Id = id,
                SealId = seal.Id,
                CertificateId = certificateRecord.Id,
                Application = by.Name,
                OriginalSha256 = SHA256.HashData(document.Content.Span),
                SignedSha256 = SHA256.HashData(pdf),
                SignedLength = pdf.Length,
                Level = request.Level.ToName(),
                Unlock = "seal-token",
                SignedAt = now,
                DocumentName = document.Name is { Length: > 0 } name ? name[..Math.Min(name.Length, 255)] : null,
            };
            db.Signatures.Add(record);
            TransparencyLeaves.RecordSigned(db, id, certificateRecord.Der, record.SignedSha256, now);
            AuditLog.Record(db, _parts.Time, by.ToActor(origin), "signature.created", $"signature:{id}", new
            {
                seal = seal.Id,
                certificate = certificateRecord.SerialHex,
                sha256 = Convert.ToHexStringLower(record.SignedSha256),
                level = record.Level,
                unlock = record.Unlock,
            });
        }
        await db.SaveChangesAsync(cancellationToken);
        return signed;
    }

    /// <summary>The approved seal, intact, with a certificate valid now whose revocation the public log does not record.</summary>
    private async Task<(InstitutionalSealRecord, CertificateRecord, string Agency)> ValidSealAsync(long sealId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using SegelDbContext db = _parts.Database.CreateContext();
        InstitutionalSealRecord seal = await db.InstitutionalSeals.AsNoTracking().SingleOrDefaultAsync(s => s.Id == sealId, cancellationToken)
            ?? throw SegelException.NotFound(Localized.Of("Error.NoSuchSeal", sealId));
        await IntegrityAlarm.RequireIntactAsync(db, seal, "seal-documents", now, cancellationToken);
        CertificateRecord? certificate = seal.CertificateId is long id
            ? await db.Certificates.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, cancellationToken) : null;
        if (seal.State != SealState.Approved || certificate is null || seal.KeyDestroyedAt is not null || certificate.RevokedAt is not null
            || certificate.NotBefore > now || certificate.NotAfter <= now)
        {
            throw SegelException.Refused(Localized.Of("Error.SealNotValid", seal.Name));
        }
        // Pasal 17(3), as for a person's key: a revocation the public log records is believed over the row.
        if (await db.LogEntries.AnyAsync(e => e.Subject == certificate.SerialHex && e.Kind == TransparencyLeaves.Revoked, cancellationToken))
        {
            await IntegrityAlarm.RaiseAsync(db, "certificate", certificate.SerialHex, "seal-documents", now, cancellationToken);
            throw IntegrityAlarm.Refusal("certificate", certificate.SerialHex, "seal-documents");
        }
        string agency = await db.Agencies.AsNoTracking().Where(a => a.Id == seal.AgencyId).Select(a => a.Name).SingleAsync(cancellationToken);
        return (seal, certificate, agency);
    }
}

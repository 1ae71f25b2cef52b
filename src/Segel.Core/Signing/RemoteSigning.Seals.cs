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

/// <summary>Sealing PDFs, and files of any type as ASiC-E, with an institutional seal (issue 23.2).</summary>
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
        long sealId = RequireSealCaller(by, origin, request.Nik ?? request.Email ?? request.Passphrase ?? request.Code);
        await CheckPdfRequestAsync(request, cancellationToken);
        DateTimeOffset now = _parts.Time.GetUtcNow();
        using OpenedSeal seal = await OpenSealAsync(sealId, now, cancellationToken);
        IRevocationSource? revocation = request.Level >= PadesLevel.BaselineLT ? await _parts.Revocation.CreateAsync(cancellationToken) : null;
        var signed = new List<SignedDocument>();
        await using SegelDbContext db = _parts.Database.CreateContext();
        foreach (PdfToSign document in request.Documents)
        {
            string id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            string url = VerificationUrl(id);
            byte[] pdf = await SignAsync(document, seal.Identity,
                Options(request, document.Placement ?? request.Placement, seal.Record.Name, seal.Agency, now, url, OwnTimeStamps, revocation), cancellationToken);
            signed.Add(new SignedDocument(id, pdf, url));
            RecordSeal(db, seal, id, document.Content.Span, pdf, request.Level.ToName(), document.Name, by, origin, now);
        }
        await db.SaveChangesAsync(cancellationToken);
        return signed;
    }

    /// <summary>
    /// Seals files of any type as one ASiC-E container, or one file by a detached CAdES signature, with the institutional seal
    /// the caller's token is bound to: the same policy as <see cref="SealAsync"/>, the same container rules as a person's.
    /// </summary>
    public async Task<SignedDocument> SealContainerAsync(ContainerSigningRequest request, Principal by, string? origin, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        long sealId = RequireSealCaller(by, origin, request.Nik ?? request.Email ?? request.Passphrase ?? request.Code);
        CheckContainerRequest(request);
        DateTimeOffset now = _parts.Time.GetUtcNow();
        using OpenedSeal seal = await OpenSealAsync(sealId, now, cancellationToken);
        byte[] container = await SignFilesAsync(request, seal.Identity, now, cancellationToken);
        string id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        await using SegelDbContext db = _parts.Database.CreateContext();
        RecordSeal(db, seal, id, request.Files[0].Content.Span, container, LevelName(request.Level, request.Detached), ContainerName(request.Files), by, origin, now);
        await db.SaveChangesAsync(cancellationToken);
        return new SignedDocument(id, container, VerificationUrl(id));
    }

    /// <summary>
    /// The seal a caller may use: a token with <see cref="ApiScopes.SealSign"/> alone and a seal binding, called from one of its
    /// networks, naming no holder and giving no passphrase or code (<paramref name="holderField"/>).
    /// </summary>
    private static long RequireSealCaller(Principal by, string? origin, string? holderField)
    {
        ArgumentNullException.ThrowIfNull(by);
        if (by.Roles != Role.None || by.Scopes?.Contains(ApiScopes.SealSign) != true || by.SealId is not long sealId)
        {
            throw SegelException.Forbidden(Localized.Of("Error.NotNeedsScope", by.Name, "seal-documents", ApiScopes.SealSign));
        }
        if (!SealBinding.Allows(by.Networks, origin))
        {
            throw SegelException.Forbidden(Localized.Of("Error.SealNotFromHere", by.Name, origin ?? "?"));
        }
        if (holderField is not null)
        {
            throw SegelException.Invalid("nik", Localized.Of("Error.SealTakesNoHolder"));
        }
        return sealId;
    }

    /// <summary>The seal's record, logged leaf and audit entry, as a person's signature gets.</summary>
    private void RecordSeal(SegelDbContext db, OpenedSeal seal, string id, ReadOnlySpan<byte> original, byte[] signed, string level, string? name, Principal by,
        string? origin, DateTimeOffset now)
    {
        var record = new SignatureRecord
        {
            Id = id,
            SealId = seal.Record.Id,
            CertificateId = seal.Certificate.Id,
            Application = by.Name,
            OriginalSha256 = SHA256.HashData(original),
            SignedSha256 = SHA256.HashData(signed),
            SignedLength = signed.Length,
            Level = level,
            Unlock = "seal-token",
            SignedAt = now,
            DocumentName = name is { Length: > 0 } ? Truncate(name, 255) : null,
        };
        db.Signatures.Add(record);
        TransparencyLeaves.RecordSigned(db, id, seal.Certificate.Der, record.SignedSha256, now);
        AuditLog.Record(db, _parts.Time, by.ToActor(origin), "signature.created", $"signature:{id}", new
        {
            seal = seal.Record.Id,
            certificate = seal.Certificate.SerialHex,
            sha256 = Convert.ToHexStringLower(record.SignedSha256),
            level = record.Level,
            unlock = record.Unlock,
        });
    }

    /// <summary>The seal's key opened from under the master key, with its certificate and chain, for one request.</summary>
    private async Task<OpenedSeal> OpenSealAsync(long sealId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        (InstitutionalSealRecord seal, CertificateRecord certificateRecord, string agency) = await ValidSealAsync(sealId, now, cancellationToken);
        X509Certificate2 certificate = X509CertificateLoader.LoadCertificate(certificateRecord.Der);
        AsymmetricAlgorithm? key = null;
        try
        {
            byte[] pkcs8 = _parts.PersonalData.Open(InstitutionalSeals.KeyPurpose, seal.SealedPrivateKey, seal.PublicKey);
            try
            {
                key = KeyAlgorithms.Parse(seal.Algorithm).ImportPkcs8(pkcs8);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(pkcs8);
            }
            IReadOnlyList<X509Certificate2> chain = await _parts.Ring.ChainFromAsync(certificateRecord.IssuerId, cancellationToken);
            var identity = new SigningIdentity(certificate, chain, new SoftwareSigningKey("seal", KeyAlgorithms.Identify(certificate.PublicKey)!.Value, key));
            return new OpenedSeal(seal, certificateRecord, agency, identity, certificate, key);
        }
        catch
        {
            key?.Dispose();
            certificate.Dispose();
            throw;
        }
    }

    private sealed class OpenedSeal(InstitutionalSealRecord record, CertificateRecord certificate, string agency, SigningIdentity identity,
        params IDisposable[] owned) : IDisposable
    {
        public InstitutionalSealRecord Record => record;

        public CertificateRecord Certificate => certificate;

        public string Agency => agency;

        public SigningIdentity Identity => identity;

        public void Dispose()
        {
            foreach (IDisposable part in owned)
            {
                part.Dispose();
            }
        }
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

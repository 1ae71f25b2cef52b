using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Segel.Core.Audit;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Storage;
using Segel.Pdf.Containers;
using Segel.Pdf.Parsing;
using Segel.Pdf.Signing;
using Segel.Pki.Keys;
using Segel.Pki.Validation;
using Segel.Texts;

namespace Segel.Core.Signing;

/// <summary>
/// Signs PDFs with a holder's key that Segel keeps, for an integrating application or the holder themselves.
/// Only the holder's passphrase or a code sent to the holder unlocks the key (Pasal 15(3)): an administrator, an
/// RA officer or an application with every scope still cannot sign without one. Every signature is recorded
/// (holder, application, document hashes, time, level) in the same transaction as its audit record, and nothing
/// is returned that was not recorded.
/// </summary>
public sealed partial class RemoteSigning
{
    /// <summary>The API-token scope of applications that sign for holders.</summary>
    public const string Scope = ApiScopes.SignPdf;
    public const int MaxDocuments = 20;
    private readonly SigningParts _parts;
    private readonly OneTimeCodes _codes;

    internal RemoteSigning(SigningParts parts, OneTimeCodes codes)
    {
        _parts = parts;
        _codes = codes;
    }

    /// <summary>
    /// Applications with the signing scope, and people who are employees (for their own key, checked once the holder
    /// is known — an RA officer signs their own letters like anyone); nobody else: not the operator, not an account
    /// with no employee behind it.
    /// </summary>
    public static void RequireMaySign(Principal by)
    {
        ArgumentNullException.ThrowIfNull(by);
        bool application = by.Roles == Role.None && by.Scopes?.Contains(Scope) == true;
        if (!application && !(by.Roles != Role.None && by.EmployeeId is not null))
        {
            throw SegelException.Forbidden(Localized.Of("Error.NotSignHolderHolderApplication", by.Name));
        }
    }

    /// <summary>A person signing through Segel signs only with their own key, whatever other roles they hold.</summary>
    internal static void RequireOwnKeyIfPerson(Principal by, SigningHolder holder)
    {
        ArgumentNullException.ThrowIfNull(by);
        ArgumentNullException.ThrowIfNull(holder);
        if (by.Roles != Role.None && by.EmployeeId != holder.Employee.Id)
        {
            throw SegelException.Forbidden(Localized.Of("Error.NotSignAnotherPersonKey", by.Name));
        }
    }

    public async Task<IReadOnlyList<SignedDocument>> SignAsync(PdfSigningRequest request, Principal by, string? origin, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        RequireMaySign(by);
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        await CheckPdfRequestAsync(request, cancellationToken);
        DateTimeOffset now = _parts.Time.GetUtcNow();
        using HolderKey key = await OpenAsync(request.Nik, request.Email, request.Passphrase, request.Code, by, origin, now, cancellationToken);
        (SigningHolder holder, SigningIdentity identity, string unlock) = (key.Holder, key.Identity, key.Unlock);
        IRevocationSource? revocation = request.Level >= PadesLevel.BaselineLT ? await _parts.Revocation.CreateAsync(cancellationToken) : null;
        ITimeStampClient timeStamps = OwnTimeStamps;
        var signed = new List<SignedDocument>();
        var records = new List<SignatureRecord>();
        foreach (PdfToSign document in request.Documents)
        {
            string id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            string url = VerificationUrl(id);
            byte[] pdf = await SignAsync(document, identity, Options(request, document.Placement ?? request.Placement, holder, now, url, timeStamps, revocation),
                cancellationToken);
            signed.Add(new SignedDocument(id, pdf, url));
            records.Add(new SignatureRecord
            {
                Id = id,
                EmployeeId = holder.Employee.Id,
                CertificateId = holder.Certificate.Id,
                Application = by.Name,
                OriginalSha256 = SHA256.HashData(document.Content.Span),
                SignedSha256 = SHA256.HashData(pdf),
                SignedLength = pdf.Length,
                Level = request.Level.ToName(),
                Unlock = unlock,
                SignedAt = now,
                DocumentName = document.Name is { Length: > 0 } name ? name[..Math.Min(name.Length, 255)] : null,
            });
        }
        await RecordAsync(records, holder, by, origin, unlock, cancellationToken);
        SegelMetrics.SigningSeconds.Record(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>("unlock", unlock));
        return signed;
    }

    /// <summary>
    /// Files of any type signed by their holder as one ASiC-E container (ETSI EN 319 162-1), or one file by a detached
    /// CAdES signature: at the level asked for (B-LT by default) with Segel's own time-stamp and revocation data,
    /// recorded and logged as a PDF signature is. Every file and the level are checked before the key is unlocked.
    /// </summary>
    public async Task<SignedDocument> SignContainerAsync(ContainerSigningRequest request, Principal by, string? origin, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(by);
        if (by.SealId is not null)
        {
            // An application's token bound to an institutional seal signs with the seal, not a holder's key.
            return await SealContainerAsync(request, by, origin, cancellationToken);
        }
        RequireMaySign(by);
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        CheckContainerRequest(request);
        DateTimeOffset now = _parts.Time.GetUtcNow();
        using HolderKey key = await OpenAsync(request.Nik, request.Email, request.Passphrase, request.Code, by, origin, now, cancellationToken);
        (SigningHolder holder, string unlock) = (key.Holder, key.Unlock);
        byte[] container = await SignFilesAsync(request, key.Identity, now, cancellationToken);
        string id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var record = new SignatureRecord
        {
            Id = id,
            EmployeeId = holder.Employee.Id,
            CertificateId = holder.Certificate.Id,
            Application = by.Name,
            // A container has no one original; the record keeps the first file's digest and names how many there are.
            OriginalSha256 = SHA256.HashData(request.Files[0].Content.Span),
            SignedSha256 = SHA256.HashData(container),
            SignedLength = container.Length,
            Level = LevelName(request.Level, request.Detached),
            Unlock = unlock,
            SignedAt = now,
            DocumentName = ContainerName(request.Files),
        };
        await RecordAsync([record], holder, by, origin, unlock, cancellationToken);
        SegelMetrics.SigningSeconds.Record(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>("unlock", unlock));
        return new SignedDocument(id, container, VerificationUrl(id));
    }

    /// <summary>The files' total within the PDF limit, their names fit for a container, a level CAdES has, and detached for one file up to B-LT.</summary>
    private void CheckContainerRequest(ContainerSigningRequest request)
    {
        long max = (long)_parts.Limits.PdfMegabytes * 1024 * 1024;
        if (request.Files.Sum(f => (long)f.Content.Length) > max)
        {
            throw SegelException.Invalid("files", Localized.Of("Error.FilesLargerThan", max / (1024 * 1024)));
        }
        try
        {
            AsicWriter.CheckNames([.. request.Files.Select(f => f.Name)]);
        }
        catch (SignatureInputException e)
        {
            throw SegelException.Invalid("files", e.Text);
        }
        if (request.Level is < PadesLevel.BaselineB or > PadesLevel.BaselineLTA)
        {
            throw SegelException.Invalid("level", Localized.Of("Error.PAdESLevelBBB"));
        }
        if (request.Detached && request.Files.Count != 1)
        {
            throw SegelException.Invalid("files", Localized.Of("Error.DetachedOneFile"));
        }
        if (request.Detached && request.Level == PadesLevel.BaselineLTA)
        {
            throw SegelException.Invalid("level", Localized.Of("Error.DetachedUpToLt"));
        }
    }

    /// <summary>The ASiC-E container over the files, or the detached CAdES signature of the one file, at the level asked for.</summary>
    private async Task<byte[]> SignFilesAsync(ContainerSigningRequest request, SigningIdentity identity, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var options = new CadesOptions(request.Level, now)
        {
            TimeStamps = request.Level >= PadesLevel.BaselineT ? OwnTimeStamps : null,
            Revocation = request.Level >= PadesLevel.BaselineLT ? await _parts.Revocation.CreateAsync(cancellationToken) : null,
        };
        if (request.Detached)
        {
            ReadOnlyMemory<byte> content = request.Files[0].Content;
            return await CadesSigner.SignAsync(identity, sink => sink.Write(content.Span), options, cancellationToken);
        }
        using var output = new MemoryStream();
        await AsicWriter.SignAsync(output, [.. request.Files.Select(f => new ContainerFile(f.Name, MemoryStreams.ReadOnly(f.Content)))], identity, options,
            cancellationToken);
        return output.ToArray();
    }

    /// <summary>The first file's name, and how many more there are.</summary>
    private static string ContainerName(IReadOnlyList<FileToSign> files) =>
        Truncate(files.Count == 1 ? files[0].Name : $"{files[0].Name} (+{files.Count - 1})", 255);

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];

    /// <summary>
    /// How a signature of files is recorded beside PAdES levels (<c>B-LT</c>): <c>asic-e-b-lt</c> for an ASiC-E
    /// container, <c>cades-b-lt</c> for a detached signature.
    /// </summary>
    public static string LevelName(PadesLevel level, bool detached) => (detached ? "cades-" : "asic-e-") + level.ToName().ToLowerInvariant();

    /// <summary>Every PDF readable and within the limits (under the PDF gate), and the level one of PAdES B-B to B-LTA, before any key is opened.</summary>
    private async Task CheckPdfRequestAsync(PdfSigningRequest request, CancellationToken cancellationToken)
    {
        await _parts.PdfWork.RunAsync(() =>
        {
            CheckDocuments(request.Documents, request.Placement, (long)_parts.Limits.PdfMegabytes * 1024 * 1024, _parts.Limits.PdfReadLimits());
            return Task.FromResult(true);
        }, cancellationToken);
        if (request.Level < PadesLevel.BaselineB || request.Level > PadesLevel.BaselineLTA)
        {
            throw SegelException.Invalid("level", Localized.Of("Error.PAdESLevelBBB"));
        }
    }

    /// <summary>Whether a recorded level is a PDF's (PAdES), not a container's or a detached signature's.</summary>
    public static bool IsPdfLevel(string level) => level.StartsWith("B-", StringComparison.Ordinal);

    /// <summary>Segel's own time-stamping authority, called in-process.</summary>
    private DelegateTimeStampClient OwnTimeStamps => new(async (query, token) => await _parts.TimeStamps.RespondAsync(query, token));

    /// <summary>A holder's key opened for signing, with what it signs as; disposing it forgets the key.</summary>
    private sealed class HolderKey(SigningHolder holder, SigningIdentity identity, string unlock, params IDisposable[] owned) : IDisposable
    {
        public SigningHolder Holder => holder;

        public SigningIdentity Identity => identity;

        /// <summary>How the key was opened: <c>passphrase</c> or <c>code</c>.</summary>
        public string Unlock => unlock;

        public void Dispose()
        {
            foreach (IDisposable part in owned)
            {
                part.Dispose();
            }
        }
    }

    /// <summary>
    /// The holder asked for (or the person signing, for themself), their key unlocked by the passphrase or a one-time code,
    /// and the signing identity over it: their certificate and its chain.
    /// </summary>
    private async Task<HolderKey> OpenAsync(string? nik, string? email, string? passphrase, string? code, Principal by, string? origin, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        SigningHolder holder;
        await using (SegelDbContext lookup = _parts.Database.CreateContext())
        {
            holder = string.IsNullOrWhiteSpace(nik) && string.IsNullOrWhiteSpace(email) && by.Roles != Role.None && by.EmployeeId is long self
                ? await SigningHolder.FindSelfAsync(lookup, self, now, cancellationToken)
                : await SigningHolder.FindAsync(lookup, _parts.PersonalData, nik, email, now, cancellationToken);
        }
        RequireOwnKeyIfPerson(by, holder);
        X509Certificate2 certificate = X509CertificateLoader.LoadCertificate(holder.Certificate.Der);
        X509Certificate2? withKey = null;
        AsymmetricAlgorithm? privateKey = null;
        try
        {
            (withKey, string unlock) = await UnlockAsync(holder, certificate, passphrase, code, by.ToActor(origin), cancellationToken);
            privateKey = (AsymmetricAlgorithm?)withKey.GetRSAPrivateKey() ?? withKey.GetECDsaPrivateKey()!;
            IReadOnlyList<X509Certificate2> chain = await _parts.Ring.ChainFromAsync(holder.Certificate.IssuerId, cancellationToken);
            var identity = new SigningIdentity(certificate, chain, new SoftwareSigningKey("holder", KeyAlgorithms.Identify(certificate.PublicKey)!.Value, privateKey));
            return new HolderKey(holder, identity, unlock, privateKey, withKey, certificate);
        }
        catch
        {
            privateKey?.Dispose();
            withKey?.Dispose();
            certificate.Dispose();
            throw;
        }
    }

    /// <summary>The signatures' records, their transparency-log leaves and audit entries, in one transaction.</summary>
    private async Task RecordAsync(IReadOnlyList<SignatureRecord> records, SigningHolder holder, Principal by, string? origin, string unlock, CancellationToken cancellationToken)
    {
        await using SegelDbContext db = _parts.Database.CreateContext();
        foreach (SignatureRecord record in records)
        {
            db.Signatures.Add(record);
            TransparencyLeaves.RecordSigned(db, record.Id, holder.Certificate.Der, record.SignedSha256, record.SignedAt);
            AuditLog.Record(db, _parts.Time, by.ToActor(origin), "signature.created", $"signature:{record.Id}", new
            {
                employee = holder.Employee.Nip,
                certificate = holder.Certificate.SerialHex,
                sha256 = Convert.ToHexStringLower(record.SignedSha256),
                level = record.Level,
                unlock,
            });
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>The holder's current certificate and its chain up to the root, leaf first; for whoever may see the holder's status.</summary>
    public async Task<IReadOnlyList<X509Certificate2>> CertificateChainAsync(string? nik, string? email, Principal by, CancellationToken cancellationToken = default)
    {
        Lifecycle.HolderStatus status = await _parts.HolderStatuses.FindAsync(nik, null, email, by, cancellationToken);
        if (status.Status == Lifecycle.NationalStatus.NotRegistered)
        {
            throw new SegelException(ErrorKind.NotFound, Localized.Of("Error.HolderNotRegistered")) { Code = SigningErrors.NotRegistered };
        }
        if (status.CertificateSerial is null)
        {
            throw new SegelException(ErrorKind.Refused, Localized.Of("Error.HolderNoValidCertificateStatus", status.Status)) { Code = SigningErrors.NoCertificate };
        }
        CertificateRecord record = await _parts.Queries.GetAsync(status.CertificateSerial, cancellationToken: cancellationToken);
        return [X509CertificateLoader.LoadCertificate(record.Der), .. await _parts.Ring.ChainFromAsync(record.IssuerId, cancellationToken)];
    }

    /// <summary>The public page behind the QR code.</summary>
    public string VerificationUrl(string id) => $"{_parts.PublicBaseUrl.TrimEnd('/')}/verify/{id}";

    private async Task<(X509Certificate2 Key, string Unlock)> UnlockAsync(SigningHolder holder, X509Certificate2 certificate, string? passphrase, string? oneTimeCode,
        Actor actor, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(passphrase))
        {
            return (await _parts.HolderKeys.UnlockAsync(holder.Key, certificate, passphrase, actor, cancellationToken), "passphrase");
        }
        if (!string.IsNullOrWhiteSpace(oneTimeCode))
        {
            string code = oneTimeCode;
            return (await _parts.HolderKeys.OpenWithCodeAsync(holder.Key, certificate, ct => _codes.ConsumeAsync(holder.Employee.Id, code, ct), actor, cancellationToken),
                "code");
        }
        throw SegelException.Invalid("passphrase", Localized.Of("Error.GiveHolderPassphraseTimeCode"));
    }

    /// <summary>Every document is checked before the key is unlocked: a bad file costs no passphrase attempt and nothing is half-signed.</summary>
    private static void CheckDocuments(IReadOnlyList<PdfToSign> documents, SignaturePlacement? defaultPlacement, long maxBytes, PdfReadLimits limits)
    {
        if (documents is null || documents.Count == 0)
        {
            throw SegelException.Invalid("file", Localized.Of("Error.GiveLeastPdfSign"));
        }
        if (documents.Count > MaxDocuments)
        {
            throw SegelException.Invalid("file", Localized.Of("Error.MostPDFsSignedRequest", MaxDocuments));
        }
        for (int i = 0; i < documents.Count; i++)
        {
            ReadOnlyMemory<byte> content = documents[i].Content;
            int number = i + 1;
            if (content.Length == 0)
            {
                throw SegelException.Invalid("file", Localized.Of("Error.DocumentIsEmpty", number));
            }
            if (content.Length > maxBytes)
            {
                throw SegelException.Invalid("file", Localized.Of("Error.DocumentLargerMiB", number, maxBytes / (1024 * 1024)));
            }
            PdfDocument parsed;
            try
            {
                parsed = PdfDocument.Open(content, null, InflateBudget.For(content.Length, limits));
            }
            catch (Segel.Pdf.Security.PdfPasswordException)
            {
                throw SegelException.Invalid("file", Localized.Of("Error.DocumentEncryptedPasswordSendWithout", number));
            }
            catch (PdfLimitException e)
            {
                throw SegelException.Invalid("file", Localized.Of("Error.DocumentExpandsMoreMiBWhen", number, Math.Max(1, e.Budget / (1024 * 1024))));
            }
            catch (PdfFormatException)
            {
                throw SegelException.Invalid("file", Localized.Of("Error.DocumentNotReadablePdfCheck", number));
            }
            if (parsed.Security is not null)
            {
                throw SegelException.Invalid("file", Localized.Of("Error.DocumentEncryptedSendWithoutPassword", number));
            }
            if (DocMdp.Permissions(parsed) == DocMdpPermissions.NoChanges)
            {
                throw SegelException.Refused(Localized.Of("Error.DocumentCertifiedNoChangesAllowed", number));
            }
            CheckPlacement(parsed, documents[i].Placement ?? defaultPlacement, number);
        }
    }

    private static void CheckPlacement(PdfDocument document, SignaturePlacement? placement, int number)
    {
        if (placement is null)
        {
            return;
        }
        try
        {
            new SignatureAppearance { QrUrl = placement.QrUrl, Image = placement.Image, Width = placement.Width, Height = placement.Height }.Check();
        }
        catch (ArgumentException e) when (e.ParamName == "qr")
        {
            throw SegelException.Invalid("linkQR", Localized.Of("Error.QrCodeLinkLongerBytes", SignatureAppearance.MaxQrBytes));
        }
        catch (ArgumentException e)
        {
            throw SegelException.Invalid(e.ParamName == "data" ? "image" : "width", Localized.Of("Error.SignatureCannotPlaced", e is SignatureInputException input ? input.Text : e.Message.Split(" (Parameter")[0]));
        }
        try
        {
            if (placement.Marker is { Length: > 0 } marker)
            {
                if (Segel.Pdf.Text.TextLocator.Find(document, marker).Count == 0)
                {
                    throw SegelException.Invalid("tag_koordinat", Localized.Of("Error.TextMarkerNotPageDocument", marker, number));
                }
                return;
            }
            int pages = document.EnumeratePages().Count();
            if (placement.Page < 1 || placement.Page > pages)
            {
                throw SegelException.Invalid("page", Localized.Of("Error.DocumentPagesPageNotExist", number, pages, placement.Page));
            }
        }
        catch (PdfFormatException)
        {
            throw SegelException.Invalid("file", Localized.Of("Error.DocumentNotReadablePdfCheck", number));
        }
    }

    private static PdfSignatureOptions Options(PdfSigningRequest request, SignaturePlacement? placement, SigningHolder holder, DateTimeOffset now, string url,
        ITimeStampClient timeStamps, IRevocationSource? revocation) =>
        Options(request, placement, holder.Employee.Name, holder.Employee.Position, now, url, timeStamps, revocation);

    /// <summary>The signature's options; the default appearance names <paramref name="signer"/> (a person, or a seal) and the line under it.</summary>
    private static PdfSignatureOptions Options(PdfSigningRequest request, SignaturePlacement? placement, string signer, string? position, DateTimeOffset now, string url,
        ITimeStampClient timeStamps, IRevocationSource? revocation)
    {
        SignatureAppearance? appearance = null;
        if (placement is { } p)
        {
            appearance = new SignatureAppearance
            {
                Page = p.Page,
                X = p.X,
                Y = p.Y,
                Width = p.Width,
                Height = p.Height,
                Marker = string.IsNullOrEmpty(p.Marker) ? null : p.Marker,
                Image = p.Image,
                QrUrl = p.ImageOnly ? p.QrUrl : p.QrUrl ?? url,
                Lines = p.ImageOnly ? []
                    : p.Text is { Length: > 0 } text ? text.Replace("\r", "", StringComparison.Ordinal).Split('\n').Take(8).ToArray()
                    : SignatureAppearance.DefaultLines(signer, position, now, request.Reason, request.Location),
            };
        }
        return new PdfSignatureOptions
        {
            SigningTime = now,
            Appearance = appearance,
            Reason = request.Reason,
            Location = request.Location,
            ContactInfo = request.ContactInfo,
            Level = request.Level,
            TimeStamps = timeStamps,
            Revocation = revocation,
        };
    }

    private static async Task<byte[]> SignAsync(PdfToSign document, SigningIdentity identity, PdfSignatureOptions options, CancellationToken cancellationToken)
    {
        using var output = new MemoryStream(document.Content.Length + 64 * 1024);
        try
        {
            await PdfSigner.SignAsync(document.Content, output, identity, options, cancellationToken);
        }
        catch (PdfFormatException e)
        {
            throw SegelException.Invalid("file", Localized.Of("Error.PdfCannotSigned", e.Message));
        }
        catch (ArgumentException e)
        {
            string field = e.ParamName switch
            {
                "data" => "image",
                "qr" => "linkQR",
                _ => e.Message.Contains("marker", StringComparison.OrdinalIgnoreCase) ? "tag_koordinat" : "page",
            };
            throw SegelException.Invalid(field, Localized.Of("Error.SignatureCannotPlaced", e is SignatureInputException input ? input.Text : e.Message.Split(" (Parameter")[0]));
        }
        return output.ToArray();
    }
}

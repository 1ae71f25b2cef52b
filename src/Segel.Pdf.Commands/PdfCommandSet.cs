using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Segel.Pdf.Parsing;
using Segel.Pdf.Signing;
using Segel.Pdf.Verification;
using Segel.Pki.Validation;

namespace Segel.Pdf.Commands;

/// <summary>Where a command takes revocation data from; <see cref="Owner"/>, if any, is disposed when the command ends.</summary>
/// <summary>
/// Revocation data for a check, who owns what it came from, and roots the data folder trusts beside <c>--trust</c>
/// (its own and its configured trust anchors).
/// </summary>
public sealed record RevocationSupply(IRevocationSource? Source, IDisposable? Owner = null)
{
    public IReadOnlyList<X509Certificate2> Anchors { get; init; } = [];
}

/// <summary>
/// `pdf sign` and `pdf verify`: PAdES signatures by incremental update, and their verification. The `segel` CLI
/// derives from this to add what needs a Segel data folder (a holder's kept key, the CA's own revocation data);
/// `segel-pdf` runs it as it is, compiled ahead of time so that a signature or a check costs no start-up.
/// </summary>
public class PdfCommandSet
{
    /// <summary>Exit code of `pdf verify` when not every signature is valid.</summary>
    public const int NotValid = 8;
    public const int MaxPdfBytes = 512 * 1024 * 1024;
    private const int MaxImageBytes = 4 * 1024 * 1024;

    public Option<string> Input { get; } = new("--in") { Description = "The PDF to sign.", Required = true, HelpName = "FILE" };
    public Option<string> Output { get; } = new("--out") { Description = "Where to write the signed PDF (never the input itself).", Required = true, HelpName = "FILE" };
    public Option<string?> Pkcs12 { get; } = new("--p12") { Description = "The signer's PKCS#12 (certificate, key and chain).", HelpName = "FILE" };
    public Option<string> PasswordFile { get; } = new("--password-file") { Description = "A file holding the PKCS#12 password.", Required = true, HelpName = "FILE" };
    public Option<string?> Reason { get; } = new("--reason") { Description = "Why it is signed, e.g. \"Menyetujui\".", HelpName = "TEXT" };
    public Option<string?> Location { get; } = new("--location") { Description = "Where it is signed, e.g. \"Batulicin\".", HelpName = "TEXT" };
    public Option<string?> Contact { get; } = new("--contact") { Description = "How to reach the signer.", HelpName = "TEXT" };
    public Option<bool> Adbe { get; } = new("--adbe") { Description = "Write adbe.pkcs7.detached instead of ETSI.CAdES.detached (PAdES), for old readers." };
    public Option<string?> Tsa { get; } = new("--tsa") { Description = "An RFC 3161 time-stamping authority (e.g. https://segel.example/tsa): adds a signature time-stamp (PAdES B-T).", HelpName = "URL" };
    public Option<string?> Box { get; } = new("--box") { Description = "Show the signature in a box X,Y,WIDTH,HEIGHT (points from the page's lower left), e.g. 360,72,200,70.", HelpName = "X,Y,W,H" };
    public Option<int> Page { get; } = new("--page") { Description = "The page of the visible signature (1 = first).", DefaultValueFactory = _ => 1, HelpName = "N" };
    public Option<string?> Qr { get; } = new("--qr") { Description = "A URL to show as a QR code in the visible signature (e.g. the letter's verification page).", HelpName = "URL" };
    public Option<string?> Image { get; } = new("--image") { Description = "A scanned signature or seal (PNG or JPEG) for the visible signature.", HelpName = "FILE" };
    public Option<string?> PdfPassword { get; } = new("--pdf-password-file") { Description = "A file holding the user or owner password of an encrypted PDF.", HelpName = "FILE" };
    public Option<string?> Marker { get; } = new("--marker") { Description = "Centre the visible signature on this text in the PDF (e.g. ^ or [qr_bsre]); --box then gives only its size (X and Y are ignored).", HelpName = "TEXT" };
    public Option<string?> Position { get; } = new("--position") { Description = "The signer's position (jabatan), shown under the name.", HelpName = "TEXT" };
    public Option<string?> Level { get; } = new("--level") { Description = "PAdES level: B-B, B-T (needs --tsa), B-LT (adds OCSP/CRL data in a DSS), B-LTA (adds a document time-stamp). Default: B-T with --tsa, else B-B.", HelpName = "B-B|B-T|B-LT|B-LTA" };
    public Option<int?> Certify { get; } = new("--certify") { Description = "Make it a certification signature allowing after it: 1 nothing, 2 form filling and signatures, 3 also annotations.", HelpName = "1|2|3" };

    public Argument<string> PdfFile { get; } = new("FILE") { Description = "The PDF to verify." };
    public Option<string?> Trust { get; } = new("--trust") { Description = "PEM file of trusted root certificates (e.g. `segel ca chain` output).", HelpName = "CHAIN.pem" };
    public Option<bool> Json { get; } = new("--json") { Description = "Print the report as JSON." };
    public Option<string> Language { get; } = new("--lang") { Description = "Report language: id (default) or en.", DefaultValueFactory = _ => "id", HelpName = "id|en" };
    public Option<bool> Offline { get; } = new("--offline") { Description = "Use only the revocation data in the file; fetch nothing." };
    public Option<string?> VerifyPdfPassword { get; } = new("--pdf-password-file") { Description = "A file holding the user or owner password of an encrypted PDF.", HelpName = "FILE" };

    public Argument<string> ExtendFile { get; } = new("FILE") { Description = "The signed PDF (or ASiC-E container) to extend." };
    public Option<string> ExtendOutput { get; } = new("--out") { Description = "Where to write the extended PDF (never the input itself).", Required = true, HelpName = "FILE" };
    public Option<string?> ExtendTsa { get; } = new("--tsa") { Description = "The RFC 3161 time-stamping authority of the document time-stamp (e.g. https://segel.example/tsa); revocation data is fetched from the URLs in the certificates.", HelpName = "URL" };
    public Option<string?> ExtendPdfPassword { get; } = new("--pdf-password-file") { Description = "A file holding the user or owner password of an encrypted PDF.", HelpName = "FILE" };

    /// <summary>What to tell someone who gave no key.</summary>
    protected virtual string KeyHint => "Give --p12 (the signer's PKCS#12 file).";

    public Command CreateSign()
    {
        var sign = new Command("sign", "Sign a PDF (PAdES B-B to B-LTA; invisible, or visible with --box; by incremental update: the original bytes and earlier signatures stay intact).")
            { Input, Output, Pkcs12, PasswordFile, PdfPassword, Reason, Location, Contact, Adbe, Tsa, Level, Certify, Box, Marker, Page, Qr, Position, Image };
        ExtendSign(sign);
        sign.SetAction(SignAsync);
        return sign;
    }

    public Command CreateVerify()
    {
        var verify = new Command("verify", "Check every signature in a PDF; exit 0 only when all are valid.") { PdfFile, Trust, Json, Language, Offline, VerifyPdfPassword };
        ExtendVerify(verify);
        verify.SetAction(VerifyAsync);
        return verify;
    }

    public Command CreateExtend()
    {
        var extend = new Command("extend", "Extend a signed PDF to PAdES B-LTA: add the validation data its signatures and time-stamps lack (certificates, OCSP responses or CRLs, a VRI entry each) and a document time-stamp over all of it, so it still verifies after their certificates expire. Extend again before the last time-stamp's authority expires. An ASiC-E container is extended the same way: its signatures' missing data, then an archive time-stamp over every part.")
            { ExtendFile, ExtendOutput, ExtendTsa, ExtendPdfPassword };
        ExtendExtend(extend);
        extend.SetAction(ExtendAsync);
        return extend;
    }

    /// <summary>What to tell someone who gave no time-stamping authority.</summary>
    protected virtual string ExtendHint => "Give --tsa URL (the time-stamping authority of the document time-stamp).";

    protected virtual void ExtendExtend(Command extend)
    {
    }

    /// <summary>Extends another way than with --tsa when the options ask for it (the `segel` CLI: a data folder's own TSA); null when they do not.</summary>
    protected virtual Task<int?> ExtendOtherwiseAsync(ParseResult result, byte[] pdf, string source, string target, CancellationToken cancellationToken) =>
        Task.FromResult<int?>(null);

    private async Task<int> ExtendAsync(ParseResult result, CancellationToken cancellationToken)
    {
        string source = result.GetValue(ExtendFile)!, target = result.GetValue(ExtendOutput)!;
        if (Path.GetFullPath(source) == Path.GetFullPath(target))
        {
            throw CommandException.Invalid("--out must differ from the input: the original is kept as it is.");
        }
        byte[] pdf = CommandFiles.Read(source, "PDF", MaxPdfBytes);
        if (await ExtendOtherwiseAsync(result, pdf, source, target, cancellationToken) is int exitCode)
        {
            return exitCode;
        }
        Uri tsa = TsaUrl(result.GetValue(ExtendTsa) ?? throw CommandException.Invalid(ExtendHint));
        var options = new PdfExtensionOptions(new HttpTimeStampClient(tsa), new HttpRevocationSource()) { Password = CommandFiles.ReadSecret(result.GetValue(ExtendPdfPassword)) };
        string temporary = target + ".partial";
        PdfExtensionResult added;
        try
        {
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.ReadWrite))
            {
                if (Segel.Pdf.Containers.AsicE.IsZip(pdf))
                {
                    using var input = new MemoryStream(pdf, writable: false);
                    added = await Segel.Pdf.Containers.AsicExtension.ExtendAsync(input, stream, options, cancellationToken);
                }
                else
                {
                    added = await PdfExtension.ExtendAsync(pdf, stream, options, cancellationToken);
                }
            }
            File.Move(temporary, target, overwrite: true);
        }
        catch (PdfFormatException e)
        {
            throw CommandException.Invalid($"{source}: {e.Message}");
        }
        catch (Exception e) when (e is InvalidOperationException or HttpRequestException)
        {
            throw new CommandException(CommandException.NotReady, e.Message);
        }
        finally
        {
            File.Delete(temporary);
        }
        Console.WriteLine(Extended(target, added, Segel.Pdf.Containers.AsicE.IsZip(pdf)));
        return 0;
    }

    /// <summary>The line an extension ends with.</summary>
    protected static string Extended(string target, PdfExtensionResult added, bool container = false)
    {
        ArgumentNullException.ThrowIfNull(added);
        return container
            ? $"Extended {target} to ASiC-E B-LTA: {added.Signatures} signature(s); added {added.Certificates} certificate(s), " +
                $"{added.OcspResponses} OCSP response(s), {added.Crls} CRL(s) and an archive time-stamp over every part."
            : $"Extended {target} to PAdES B-LTA: {added.Signatures} signature(s) and time-stamp(s); added {added.Certificates} certificate(s), " +
                $"{added.OcspResponses} OCSP response(s), {added.Crls} CRL(s) and a document time-stamp.";
    }

    /// <summary>Adds options of a host that has more to offer (the `segel` CLI: a data folder, a holder's kept key).</summary>
    protected virtual void ExtendSign(Command sign)
    {
    }

    protected virtual void ExtendVerify(Command verify)
    {
    }

    /// <summary>Signs another way than with --p12 when the options ask for it; null when they do not.</summary>
    protected virtual Task<int?> SignOtherwiseAsync(ParseResult result, byte[] pdf, string source, string target, string password, CancellationToken cancellationToken) =>
        Task.FromResult<int?>(null);

    protected virtual Task<RevocationSupply> SigningRevocationAsync(ParseResult result, PadesLevel level, CancellationToken cancellationToken) =>
        Task.FromResult(new RevocationSupply(new HttpRevocationSource()));

    protected virtual Task<RevocationSupply> VerificationRevocationAsync(ParseResult result, bool offline, CancellationToken cancellationToken) =>
        Task.FromResult(new RevocationSupply(offline ? null : new HttpRevocationSource()));

    private async Task<int> SignAsync(ParseResult result, CancellationToken cancellationToken)
    {
        string source = result.GetValue(Input)!, target = result.GetValue(Output)!;
        if (Path.GetFullPath(source) == Path.GetFullPath(target))
        {
            throw CommandException.Invalid("--out must differ from --in: the original is kept as it is.");
        }
        byte[] pdf = CommandFiles.Read(source, "PDF", MaxPdfBytes);
        string password = CommandFiles.ReadSecret(result.GetValue(PasswordFile))!;
        if (await SignOtherwiseAsync(result, pdf, source, target, password, cancellationToken) is int exitCode)
        {
            return exitCode;
        }
        SigningIdentity identity = Pkcs12Identities.Load(CommandFiles.Read(result.GetValue(Pkcs12) ?? throw CommandException.Invalid(KeyHint), "PKCS#12", 1024 * 1024), password);
        DateTimeOffset now = DateTimeOffset.UtcNow;
        string? markerText = result.GetValue(Marker);
        SignatureAppearance? appearance = BoxOf(result) is { } boxText
            ? Appearance(boxText, result.GetValue(Page), result.GetValue(Qr), ReadImage(result),
                SignatureAppearance.DefaultLines(identity.Certificate.GetNameInfo(X509NameType.SimpleName, false), result.GetValue(Position), now,
                    result.GetValue(Reason), result.GetValue(Location)))
            : null;
        appearance = appearance is not null && markerText is { Length: > 0 } ? appearance with { Marker = markerText } : appearance;
        var options = new PdfSignatureOptions
        {
            SigningTime = now,
            Appearance = appearance,
            Reason = result.GetValue(Reason),
            Location = result.GetValue(Location),
            ContactInfo = result.GetValue(Contact),
            SubFilter = result.GetValue(Adbe) ? "adbe.pkcs7.detached" : "ETSI.CAdES.detached",
            TimeStamps = result.GetValue(Tsa) is { } url ? new HttpTimeStampClient(TsaUrl(url)) : null,
            Level = ParseLevel(result.GetValue(Level), result.GetValue(Tsa) is not null),
            Password = CommandFiles.ReadSecret(result.GetValue(PdfPassword)),
            Certification = result.GetValue(Certify) switch
            {
                null => null,
                int p and >= 1 and <= 3 => (DocMdpPermissions)p,
                _ => throw CommandException.Invalid("--certify is 1, 2 or 3."),
            },
        };
        RevocationSupply revocation = await SigningRevocationAsync(result, options.Level, cancellationToken);
        string temporary = target + ".partial";
        try
        {
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.ReadWrite))
            {
                await PdfSigner.SignAsync(pdf, stream, identity, options with { Revocation = revocation.Source }, cancellationToken);
            }
            File.Move(temporary, target, overwrite: true);
        }
        catch (PdfFormatException e)
        {
            throw CommandException.Invalid($"{source}: {e.Message}");
        }
        catch (ArgumentException e)
        {
            throw CommandException.Invalid(e.Message.Split(" (Parameter")[0]);
        }
        catch (InvalidOperationException e) when (result.GetValue(Tsa) is not null)
        {
            throw new CommandException(CommandException.NotReady, e.Message);
        }
        finally
        {
            File.Delete(temporary);
            identity.Key.Dispose();
            revocation.Owner?.Dispose();
        }
        Console.WriteLine($"Signed {target} as {identity.Certificate.GetNameInfo(X509NameType.SimpleName, false)}.");
        return 0;
    }

    private async Task<int> VerifyAsync(ParseResult result, CancellationToken cancellationToken)
    {
        string path = result.GetValue(PdfFile)!;
        byte[] pdf = CommandFiles.Read(path, "PDF", MaxPdfBytes);
        var anchors = new X509Certificate2Collection();
        if (result.GetValue(Trust) is { } trustFile)
        {
            anchors.AddRange(ReadTrust(trustFile));
        }
        RevocationSupply revocation = await VerificationRevocationAsync(result, result.GetValue(Offline), cancellationToken);
        anchors.AddRange(revocation.Anchors.ToArray());
        if (revocation.Source is null)
        {
            SystemTrustStore.Ignore();
        }
        IReadOnlyList<SignatureReport> reports;
        try
        {
            reports = await PdfVerifier.VerifyAsync(pdf, [.. anchors],
                new PdfVerificationOptions { Revocation = revocation.Source, Password = CommandFiles.ReadSecret(result.GetValue(VerifyPdfPassword)) }, cancellationToken);
        }
        catch (PdfFormatException e)
        {
            throw CommandException.Invalid($"{path}: {e.Message}");
        }
        finally
        {
            revocation.Owner?.Dispose();
        }
        Console.Write(result.GetValue(Json)
            ? JsonSerializer.Serialize(reports, ReportJson.Default.IReadOnlyListSignatureReport) + "\n"
            : ReportText.Render(reports, CultureInfo.GetCultureInfo(result.GetValue(Language) == "en" ? "en" : "id")));
        return reports.Count > 0 && reports.All(r => r.Conclusion == SignatureConclusion.Valid) ? 0 : NotValid;
    }

    /// <summary>The box of a visible signature (--box; at a --marker without one, 200 × 70 points); null for an invisible one.</summary>
    protected string? BoxOf(ParseResult result) =>
        result?.GetValue(Box) ?? (result?.GetValue(Marker) is not null ? "0,0,200,70" : null);

    protected byte[]? ReadImage(ParseResult result) =>
        result?.GetValue(Image) is { } picture ? CommandFiles.Read(picture, "image", MaxImageBytes) : null;

    protected static PadesLevel ParseLevel(string? text, bool hasTsa)
    {
        if (text is null)
        {
            return hasTsa ? PadesLevel.BaselineT : PadesLevel.BaselineB;
        }
        if (!PadesLevels.TryParse(text, out PadesLevel level))
        {
            throw CommandException.Invalid("--level is one of B-B, B-T, B-LT, B-LTA.");
        }
        return level > PadesLevel.BaselineB && !hasTsa
            ? throw CommandException.Invalid($"--level {text} needs a time-stamping authority: add --tsa URL.")
            : level;
    }

    protected static SignatureAppearance Appearance(string box, int page, string? qr, byte[]? picture, IReadOnlyList<string> lines)
    {
        ArgumentNullException.ThrowIfNull(box);
        double[] numbers = box.Split(',').Select(p => double.TryParse(p.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v : double.NaN).ToArray();
        if (numbers.Length != 4 || numbers.Any(double.IsNaN) || numbers[2] <= 0 || numbers[3] <= 0)
        {
            throw CommandException.Invalid("--box is X,Y,WIDTH,HEIGHT in points, e.g. 360,72,200,70.");
        }
        if (qr is not null && !Uri.TryCreate(qr, UriKind.Absolute, out _))
        {
            throw CommandException.Invalid("--qr needs an absolute URL.");
        }
        return new SignatureAppearance { Page = page, X = numbers[0], Y = numbers[1], Width = numbers[2], Height = numbers[3], QrUrl = qr, Lines = lines, Image = picture };
    }

    /// <summary>The roots in a PEM file (<c>--trust</c>); a file with no certificate in it is a mistake, not "trust nothing".</summary>
    public static X509Certificate2[] ReadTrust(string path)
    {
        var anchors = new X509Certificate2Collection();
        try
        {
            anchors.ImportFromPem(System.Text.Encoding.ASCII.GetString(CommandFiles.Read(path, "trust", 1024 * 1024)));
        }
        catch (CryptographicException)
        {
            anchors.Clear();
        }
        return anchors.Count > 0 ? [.. anchors] : throw CommandException.Invalid($"{path} holds no readable PEM certificates.");
    }

    public static Uri TsaUrl(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out Uri? url) && url.Scheme is "http" or "https"
            ? url
            : throw CommandException.Invalid("--tsa needs an http(s) URL, such as https://segel.example/tsa.");
}

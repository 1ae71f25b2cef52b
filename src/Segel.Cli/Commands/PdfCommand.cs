using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Segel.Core.Ca;
using Segel.Core.Signing;
using Segel.Core.Errors;
using Segel.Core;
using Segel.Pdf.Parsing;
using Segel.Pki.Validation;
using Segel.Pdf.Signing;
using Segel.Pdf.Verification;
using Segel.Pki.Keys;

namespace Segel.Cli.Commands;

/// <summary>`segel pdf sign|verify`: PAdES signatures by incremental update, and their verification.</summary>
internal static class PdfCommand
{
    /// <summary>Exit code of `segel pdf verify` when not every signature is valid.</summary>
    public const int NotValid = 8;
    public const int MaxPdfBytes = 512 * 1024 * 1024;

    public static Command Create()
    {
        var input = new Option<string>("--in") { Description = "The PDF to sign.", Required = true, HelpName = "FILE" };
        var output = new Option<string>("--out") { Description = "Where to write the signed PDF (never the input itself).", Required = true, HelpName = "FILE" };
        var p12 = new Option<string?>("--p12") { Description = "The signer's PKCS#12 (certificate, key and chain); or sign with the key Segel keeps, with --user.", HelpName = "FILE" };
        var passwordFile = new Option<string>("--password-file") { Description = "A file holding the PKCS#12 password (with --user: the account's password).", Required = true, HelpName = "FILE" };
        var user = new Option<string?>("--user") { Description = "Sign as this Segel account's holder, with the key Segel keeps for their certificate (needs --data and --passphrase-file): the holder alone can.", HelpName = "NAME" };
        var passphraseFile = new Option<string?>("--passphrase-file") { Description = "With --user: a file holding the passphrase of the holder's key.", HelpName = "FILE" };
        var totp = new Option<string?>("--totp") { Description = "With --user, for officers and administrators: the current code of their authenticator.", HelpName = "CODE" };
        var reason = new Option<string?>("--reason") { Description = "Why it is signed, e.g. \"Menyetujui\".", HelpName = "TEXT" };
        var location = new Option<string?>("--location") { Description = "Where it is signed, e.g. \"Batulicin\".", HelpName = "TEXT" };
        var contact = new Option<string?>("--contact") { Description = "How to reach the signer.", HelpName = "TEXT" };
        var adbe = new Option<bool>("--adbe") { Description = "Write adbe.pkcs7.detached instead of ETSI.CAdES.detached (PAdES), for old readers." };
        var tsa = new Option<string?>("--tsa") { Description = "An RFC 3161 time-stamping authority (e.g. https://segel.example/tsa): adds a signature time-stamp (PAdES B-T).", HelpName = "URL" };
        var box = new Option<string?>("--box") { Description = "Show the signature in a box X,Y,WIDTH,HEIGHT (points from the page's lower left), e.g. 360,72,200,70.", HelpName = "X,Y,W,H" };
        var page = new Option<int>("--page") { Description = "The page of the visible signature (1 = first).", DefaultValueFactory = _ => 1, HelpName = "N" };
        var qr = new Option<string?>("--qr") { Description = "A URL to show as a QR code in the visible signature (e.g. the letter's verification page).", HelpName = "URL" };
        var image = new Option<string?>("--image") { Description = "A scanned signature or seal (PNG or JPEG) for the visible signature.", HelpName = "FILE" };
        var pdfPassword = new Option<string?>("--pdf-password-file") { Description = "A file holding the user or owner password of an encrypted PDF.", HelpName = "FILE" };
        var marker = new Option<string?>("--marker") { Description = "Centre the visible signature on this text in the PDF (e.g. ^ or [qr_bsre]); --box then gives only its size (X and Y are ignored).", HelpName = "TEXT" };
        var position = new Option<string?>("--position") { Description = "The signer's position (jabatan), shown under the name.", HelpName = "TEXT" };
        var level = new Option<string?>("--level") { Description = "PAdES level: B-B, B-T (needs --tsa), B-LT (adds OCSP/CRL data in a DSS), B-LTA (adds a document time-stamp). Default: B-T with --tsa, else B-B.", HelpName = "B-B|B-T|B-LT|B-LTA" };
        var certify = new Option<int?>("--certify") { Description = "Make it a certification signature allowing after it: 1 nothing, 2 form filling and signatures, 3 also annotations.", HelpName = "1|2|3" };
        var data = CommonOptions.Data();
        data.Description = "Take revocation status for B-LT from this Segel data folder instead of fetching it from the URLs in the certificates.";
        var sign = new Command("sign", "Sign a PDF (PAdES B-B to B-LTA; invisible, or visible with --box; by incremental update: the original bytes and earlier signatures stay intact).")
            { input, output, p12, passwordFile, user, passphraseFile, totp, pdfPassword, reason, location, contact, adbe, tsa, level, certify, data, box, marker, page, qr, position, image };
        sign.SetAction(async (result, cancellationToken) =>
        {
            string source = result.GetValue(input)!, target = result.GetValue(output)!;
            if (Path.GetFullPath(source) == Path.GetFullPath(target))
            {
                throw SegelException.Invalid("--out", $"--out must differ from --in: the original is kept as it is.");
            }
            byte[] pdf = CommonOptions.ReadFile(source, "PDF", MaxPdfBytes);
            string password = CommonOptions.ReadSecret(result.GetValue(passwordFile))!;
            if (result.GetValue(user) is { } account)
            {
                if (result.GetValue(p12) is not null || result.GetValue(pdfPassword) is not null || result.GetValue(certify) is not null || result.GetValue(adbe) || result.GetValue(tsa) is not null)
                {
                    throw SegelException.Invalid("--user", $"--user signs with Segel's own time-stamps and revocation data, PAdES, approval signatures of unencrypted PDFs; leave out --p12, --tsa, --certify, --adbe and --pdf-password-file.");
                }
                using SegelCa custody = await CommonOptions.OpenExistingAsync(CommonOptions.Folder(result, data), cancellationToken);
                string? boxSpec = result.GetValue(box) ?? (result.GetValue(marker) is not null ? "0,0,200,70" : null);
                SignatureAppearance? shape = boxSpec is null ? null : Appearance(boxSpec, result.GetValue(page), result.GetValue(qr),
                    result.GetValue(image) is { } picture ? CommonOptions.ReadFile(picture, "image", 4 * 1024 * 1024) : null, []);
                var request = new PdfSigningRequest
                {
                    Passphrase = CommonOptions.ReadSecret(result.GetValue(passphraseFile) ?? throw SegelException.Invalid("--passphrase-file", $"--user needs --passphrase-file.")),
                    Documents = [new PdfToSign(pdf, Path.GetFileName(source))],
                    Placement = shape is null ? null : new SignaturePlacement
                    {
                        Page = shape.Page, X = shape.X, Y = shape.Y, Width = shape.Width, Height = shape.Height, Marker = result.GetValue(marker), Image = shape.Image, QrUrl = shape.QrUrl,
                    },
                    Reason = result.GetValue(reason),
                    Location = result.GetValue(location),
                    ContactInfo = result.GetValue(contact),
                    Level = result.GetValue(level) is { } named ? Level(named, hasTsa: true) : PadesLevel.BaselineLT,
                };
                SignedPdf signedPdf = await CustodySigning.SignAsync(custody, account, password, result.GetValue(totp), request, cancellationToken);
                CommonOptions.WriteFile(target, signedPdf.Content);
                Console.WriteLine($"Signed {target} as {account}; anyone can check it at {signedPdf.VerificationUrl}");
                return 0;
            }
            SigningIdentity identity = LoadIdentity(CommonOptions.ReadFile(result.GetValue(p12) ?? throw SegelException.Invalid("--p12", $"Give --p12 (a PKCS#12 file) or --user (the key Segel keeps)."),
                "PKCS#12", 1024 * 1024), password);
            DateTimeOffset now = DateTimeOffset.UtcNow;
            string? markerText = result.GetValue(marker);
            SignatureAppearance? appearance = (result.GetValue(box) ?? (markerText is not null ? "0,0,200,70" : null)) is { } boxText
                ? Appearance(boxText, result.GetValue(page), result.GetValue(qr),
                    result.GetValue(image) is { } imageFile ? CommonOptions.ReadFile(imageFile, "image", 4 * 1024 * 1024) : null,
                    SignatureAppearance.DefaultLines(identity.Certificate.GetNameInfo(X509NameType.SimpleName, false), result.GetValue(position), now,
                        result.GetValue(reason), result.GetValue(location)))
                : null;
            appearance = appearance is not null && markerText is { Length: > 0 } ? appearance with { Marker = markerText } : appearance;
            var options = new PdfSignatureOptions
            {
                SigningTime = now,
                Appearance = appearance,
                Reason = result.GetValue(reason),
                Location = result.GetValue(location),
                ContactInfo = result.GetValue(contact),
                SubFilter = result.GetValue(adbe) ? "adbe.pkcs7.detached" : "ETSI.CAdES.detached",
                TimeStamps = result.GetValue(tsa) is { } url ? new HttpTimeStampClient(TsaUrl(url)) : null,
                Level = Level(result.GetValue(level), result.GetValue(tsa) is not null),
                Password = CommonOptions.ReadSecret(result.GetValue(pdfPassword)),
                Certification = result.GetValue(certify) switch
                {
                    null => null,
                    int p and >= 1 and <= 3 => (DocMdpPermissions)p,
                    _ => throw SegelException.Invalid("--certify", $"--certify is 1, 2 or 3."),
                },
            };
            using SegelCa? local = options.Level >= PadesLevel.BaselineLT && result.GetValue(data) is not null
                ? await CommonOptions.OpenExistingAsync(CommonOptions.Folder(result, data), cancellationToken) : null;
            options = options with { Revocation = local is null ? new HttpRevocationSource() : await LocalRevocation.CreateAsync(local, cancellationToken) };
            string temporary = target + ".partial";
            try
            {
                using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.ReadWrite))
                {
                    PdfSigner.Sign(pdf, stream, identity, options);
                }
                File.Move(temporary, target, overwrite: true);
            }
            catch (PdfFormatException e)
            {
                throw SegelException.Invalid("--in", $"{source}: {e.Message}");
            }
            catch (ArgumentException e)
            {
                throw SegelException.Invalid(e.ParamName == "data" ? "--image" : e.Message.Contains("marker", StringComparison.Ordinal) ? "--marker" : "--page", $"{e.Message.Split(" (Parameter")[0]}");
            }
            catch (InvalidOperationException e) when (result.GetValue(tsa) is not null)
            {
                throw new SegelException(ErrorKind.NotReady, $"{e.Message}", "--tsa");
            }
            finally
            {
                File.Delete(temporary);
                identity.Key.Dispose();
            }
            Console.WriteLine($"Signed {target} as {identity.Certificate.GetNameInfo(X509NameType.SimpleName, false)}.");
            return 0;
        });

        var file = new Argument<string>("FILE") { Description = "The PDF to verify." };
        var trust = new Option<string?>("--trust") { Description = "PEM file of trusted root certificates (e.g. `segel ca chain` output).", HelpName = "CHAIN.pem" };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON." };
        var language = new Option<string>("--lang") { Description = "Report language: id (default) or en.", DefaultValueFactory = _ => "id", HelpName = "id|en" };
        var offline = new Option<bool>("--offline") { Description = "Use only the revocation data in the file; fetch nothing." };
        var verifyData = CommonOptions.Data();
        verifyData.Description = "Take revocation status from this Segel data folder (on the CA's own machine) instead of fetching it.";
        var verifyPassword = new Option<string?>("--pdf-password-file") { Description = "A file holding the user or owner password of an encrypted PDF.", HelpName = "FILE" };
        var verify = new Command("verify", "Check every signature in a PDF; exit 0 only when all are valid.") { file, trust, json, language, offline, verifyData, verifyPassword };
        verify.SetAction(async (result, cancellationToken) =>
        {
            string path = result.GetValue(file)!;
            byte[] pdf = CommonOptions.ReadFile(path, "PDF", MaxPdfBytes);
            var anchors = new X509Certificate2Collection();
            if (result.GetValue(trust) is { } trustFile)
            {
                try
                {
                    anchors.ImportFromPem(System.Text.Encoding.ASCII.GetString(CommonOptions.ReadFile(trustFile, "trust", 1024 * 1024)));
                }
                catch (CryptographicException)
                {
                    throw SegelException.Invalid("--trust", $"{trustFile} holds no readable PEM certificates.");
                }
            }
            IReadOnlyList<SignatureReport> reports;
            try
            {
                using SegelCa? local = result.GetValue(verifyData) is not null ? await CommonOptions.OpenExistingAsync(CommonOptions.Folder(result, verifyData), cancellationToken) : null;
                IRevocationSource? revocation = await LocalRevocation.ForVerificationAsync(local, result.GetValue(offline), cancellationToken);
                reports = PdfVerifier.Verify(pdf, [.. anchors], new PdfVerificationOptions { Revocation = revocation, Password = CommonOptions.ReadSecret(result.GetValue(verifyPassword)) });
            }
            catch (PdfFormatException e)
            {
                throw SegelException.Invalid("FILE", $"{path}: {e.Message}");
            }
            Console.Write(result.GetValue(json)
                ? JsonSerializer.Serialize(reports, JsonOptions) + "\n"
                : ReportText.Render(reports, CultureInfo.GetCultureInfo(result.GetValue(language) == "en" ? "en" : "id")));
            return reports.Count > 0 && reports.All(r => r.Conclusion == SignatureConclusion.Valid) ? 0 : NotValid;
        });
        return new Command("pdf", "Sign and verify PDF documents (PAdES).") { sign, verify };
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseUpper) },
    };

    private static PadesLevel Level(string? text, bool hasTsa)
    {
        if (text is null)
        {
            return hasTsa ? PadesLevel.BaselineT : PadesLevel.BaselineB;
        }
        if (!PadesLevels.TryParse(text, out PadesLevel level))
        {
            throw SegelException.Invalid("--level", $"--level is one of B-B, B-T, B-LT, B-LTA.");
        }
        return level > PadesLevel.BaselineB && !hasTsa
            ? throw SegelException.Invalid("--level", $"--level {text} needs a time-stamping authority: add --tsa URL.")
            : level;
    }

    private static SignatureAppearance Appearance(string box, int page, string? qr, byte[]? picture, IReadOnlyList<string> lines)
    {
        double[] numbers = box.Split(',').Select(p => double.TryParse(p.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v : double.NaN).ToArray();
        if (numbers.Length != 4 || numbers.Any(double.IsNaN) || numbers[2] <= 0 || numbers[3] <= 0)
        {
            throw SegelException.Invalid("--box", $"--box is X,Y,WIDTH,HEIGHT in points, e.g. 360,72,200,70.");
        }
        if (qr is not null && !Uri.TryCreate(qr, UriKind.Absolute, out _))
        {
            throw SegelException.Invalid("--qr", $"--qr needs an absolute URL.");
        }
        return new SignatureAppearance { Page = page, X = numbers[0], Y = numbers[1], Width = numbers[2], Height = numbers[3], QrUrl = qr, Lines = lines, Image = picture };
    }

    private static Uri TsaUrl(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out Uri? url) && url.Scheme is "http" or "https"
            ? url
            : throw SegelException.Invalid("--tsa", $"--tsa needs an http(s) URL, such as https://segel.example/tsa.");

    internal static SigningIdentity LoadIdentity(byte[] pkcs12, string password)
    {
        X509Certificate2Collection all;
        try
        {
            all = X509CertificateLoader.LoadPkcs12Collection(pkcs12, password);
        }
        catch (CryptographicException)
        {
            throw SegelException.Invalid("--p12", $"The PKCS#12 cannot be opened: wrong password or not a PKCS#12 file.");
        }
        X509Certificate2 signer = all.FirstOrDefault(c => c.HasPrivateKey)
            ?? throw SegelException.Invalid("--p12", $"The PKCS#12 holds no private key.");
        AsymmetricAlgorithm key = (AsymmetricAlgorithm?)signer.GetRSAPrivateKey() ?? signer.GetECDsaPrivateKey()
            ?? throw SegelException.Invalid("--p12", $"Only RSA and ECDSA keys can sign.");
        KeyAlgorithm algorithm = KeyAlgorithms.Identify(signer.PublicKey)
            ?? throw SegelException.Invalid("--p12", $"The key's size or curve is not one Segel signs with (RSA 2048–4096, ECDSA P-256/P-384).");
        var chain = all.Where(c => !c.HasPrivateKey).Select(c => X509CertificateLoader.LoadCertificate(c.RawData)).ToList();
        return new SigningIdentity(X509CertificateLoader.LoadCertificate(signer.RawData), chain, new SoftwareSigningKey("p12", algorithm, key));
    }
}

using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Segel.Core.Errors;
using Segel.Pdf.Parsing;
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
        var p12 = new Option<string>("--p12") { Description = "The signer's PKCS#12 (certificate, key and chain).", Required = true, HelpName = "FILE" };
        var passwordFile = new Option<string>("--password-file") { Description = "A file holding the PKCS#12 password.", Required = true, HelpName = "FILE" };
        var reason = new Option<string?>("--reason") { Description = "Why it is signed, e.g. \"Menyetujui\".", HelpName = "TEXT" };
        var location = new Option<string?>("--location") { Description = "Where it is signed, e.g. \"Batulicin\".", HelpName = "TEXT" };
        var contact = new Option<string?>("--contact") { Description = "How to reach the signer.", HelpName = "TEXT" };
        var adbe = new Option<bool>("--adbe") { Description = "Write adbe.pkcs7.detached instead of ETSI.CAdES.detached (PAdES), for old readers." };
        var tsa = new Option<string?>("--tsa") { Description = "An RFC 3161 time-stamping authority (e.g. https://segel.example/tsa): adds a signature time-stamp (PAdES B-T).", HelpName = "URL" };
        var box = new Option<string?>("--box") { Description = "Show the signature in a box X,Y,WIDTH,HEIGHT (points from the page's lower left), e.g. 360,72,200,70.", HelpName = "X,Y,W,H" };
        var page = new Option<int>("--page") { Description = "The page of the visible signature (1 = first).", DefaultValueFactory = _ => 1, HelpName = "N" };
        var qr = new Option<string?>("--qr") { Description = "A URL to show as a QR code in the visible signature (e.g. the letter's verification page).", HelpName = "URL" };
        var image = new Option<string?>("--image") { Description = "A scanned signature or seal (PNG or JPEG) for the visible signature.", HelpName = "FILE" };
        var position = new Option<string?>("--position") { Description = "The signer's position (jabatan), shown under the name.", HelpName = "TEXT" };
        var sign = new Command("sign", "Sign a PDF (PAdES B-B, or B-T with --tsa; invisible, or visible with --box; by incremental update: the original bytes and earlier signatures stay intact).")
            { input, output, p12, passwordFile, reason, location, contact, adbe, tsa, box, page, qr, position, image };
        sign.SetAction((result, cancellationToken) =>
        {
            string source = result.GetValue(input)!, target = result.GetValue(output)!;
            if (Path.GetFullPath(source) == Path.GetFullPath(target))
            {
                throw SegelException.Invalid("--out", $"--out must differ from --in: the original is kept as it is.");
            }
            byte[] pdf = CommonOptions.ReadFile(source, "PDF", MaxPdfBytes);
            string password = System.Text.Encoding.UTF8.GetString(CommonOptions.ReadFile(result.GetValue(passwordFile)!, "password", 4096)).TrimEnd('\r', '\n');
            SigningIdentity identity = LoadIdentity(CommonOptions.ReadFile(result.GetValue(p12)!, "PKCS#12", 1024 * 1024), password);
            DateTimeOffset now = DateTimeOffset.UtcNow;
            SignatureAppearance? appearance = result.GetValue(box) is { } boxText
                ? Appearance(boxText, result.GetValue(page), result.GetValue(qr),
                    result.GetValue(image) is { } imageFile ? CommonOptions.ReadFile(imageFile, "image", 4 * 1024 * 1024) : null,
                    SignatureAppearance.DefaultLines(identity.Certificate.GetNameInfo(X509NameType.SimpleName, false), result.GetValue(position), now,
                        result.GetValue(reason), result.GetValue(location)))
                : null;
            var options = new PdfSignatureOptions
            {
                SigningTime = now,
                Appearance = appearance,
                Reason = result.GetValue(reason),
                Location = result.GetValue(location),
                ContactInfo = result.GetValue(contact),
                SubFilter = result.GetValue(adbe) ? "adbe.pkcs7.detached" : "ETSI.CAdES.detached",
                TimeStamps = result.GetValue(tsa) is { } url ? new HttpTimeStampClient(TsaUrl(url)) : null,
            };
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
                throw SegelException.Invalid(e.ParamName == "data" ? "--image" : "--page", $"{e.Message.Split(" (Parameter")[0]}");
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
            return Task.FromResult(0);
        });

        var file = new Argument<string>("FILE") { Description = "The PDF to verify." };
        var trust = new Option<string?>("--trust") { Description = "PEM file of trusted root certificates (e.g. `segel ca chain` output).", HelpName = "CHAIN.pem" };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON." };
        var language = new Option<string>("--lang") { Description = "Report language: id (default) or en.", DefaultValueFactory = _ => "id", HelpName = "id|en" };
        var verify = new Command("verify", "Check every signature in a PDF; exit 0 only when all are valid.") { file, trust, json, language };
        verify.SetAction((result, cancellationToken) =>
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
                reports = PdfVerifier.Verify(pdf, [.. anchors]);
            }
            catch (PdfFormatException e)
            {
                throw SegelException.Invalid("FILE", $"{path}: {e.Message}");
            }
            Console.Write(result.GetValue(json)
                ? JsonSerializer.Serialize(reports, JsonOptions) + "\n"
                : ReportText.Render(reports, CultureInfo.GetCultureInfo(result.GetValue(language) == "en" ? "en" : "id")));
            return Task.FromResult(reports.Count > 0 && reports.All(r => r.Conclusion == SignatureConclusion.Valid) ? 0 : NotValid);
        });
        return new Command("pdf", "Sign and verify PDF documents (PAdES).") { sign, verify };
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseUpper) },
    };

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

    private static SigningIdentity LoadIdentity(byte[] pkcs12, string password)
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

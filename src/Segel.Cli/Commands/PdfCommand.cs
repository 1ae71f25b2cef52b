using System.CommandLine;
using Segel.Core.Ca;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Signing;
using Segel.Pdf.Commands;
using Segel.Pdf.Signing;
using Segel.Pki.Validation;

namespace Segel.Cli.Commands;

/// <summary>
/// `segel pdf sign|verify`: the commands `segel-pdf` runs too (<see cref="PdfCommandSet"/>), plus what needs a
/// Segel data folder — signing with the key Segel keeps for a holder (--user) and the CA's own revocation data (--data).
/// </summary>
internal sealed class PdfCommand : PdfCommandSet
{
    private readonly Option<string?> _user = new("--user") { Description = "Sign as this Segel account's holder, with the key Segel keeps for their certificate (needs --data and --passphrase-file; --password-file then holds the account's password): the holder alone can.", HelpName = "NAME" };
    private readonly Option<string?> _passphraseFile = new("--passphrase-file") { Description = "With --user: a file holding the passphrase of the holder's key.", HelpName = "FILE" };
    private readonly Option<string?> _totp = new("--totp") { Description = "With --user, for officers and administrators: the current code of their authenticator.", HelpName = "CODE" };
    private readonly Option<string?> _signData = CommonOptions.Data();
    private readonly Option<string?> _verifyData = CommonOptions.Data();
    private readonly Option<string?> _extendData = CommonOptions.Data();

    public static Command Create()
    {
        var commands = new PdfCommand();
        return new Command("pdf", "Sign, verify and extend PDF documents (PAdES).") { commands.CreateSign(), commands.CreateVerify(), commands.CreateExtend() };
    }

    protected override string KeyHint => "Give --p12 (a PKCS#12 file) or --user (the key Segel keeps).";

    protected override void ExtendSign(Command sign)
    {
        _signData.Description = "Take revocation status for B-LT from this Segel data folder instead of fetching it from the URLs in the certificates; with --user, the folder of the holder's account.";
        sign.Add(_user);
        sign.Add(_passphraseFile);
        sign.Add(_totp);
        sign.Add(_signData);
    }

    protected override void ExtendVerify(Command verify)
    {
        _verifyData.Description = "Take revocation status of Segel's own certificates from this data folder (on the CA's machine) and trust its roots and configured TrustAnchors beside --trust; an outside CA's status is still fetched unless --offline.";
        verify.Add(_verifyData);
    }

    protected override string ExtendHint => "Give --data DIR (this Segel's own time-stamping authority and revocation data) or --tsa URL.";

    protected override void ExtendExtend(Command extend)
    {
        _extendData.Description = "Extend with this Segel data folder's own time-stamping authority and revocation data (outside CAs' status is fetched); the document's signatures must all verify as valid now.";
        extend.Add(_extendData);
    }

    protected override async Task<int?> ExtendOtherwiseAsync(ParseResult result, byte[] pdf, string source, string target, CancellationToken cancellationToken)
    {
        if (result.GetValue(_extendData) is null)
        {
            return null;
        }
        if (result.GetValue(ExtendTsa) is not null)
        {
            throw new SegelException(ErrorKind.Invalid, $"--data extends with the data folder's own time-stamping authority; leave out --tsa.", "--tsa");
        }
        using ConsoleCore ca = await CommonOptions.OpenExistingAsync(CommonOptions.Folder(result, _extendData), cancellationToken);
        ExtendedPdf extended = await ca.Get<DocumentExtension>().ExtendAsync(Principal.Console, pdf, CommandFiles.ReadSecret(result.GetValue(ExtendPdfPassword)), cancellationToken);
        CommonOptions.WriteFile(target, extended.Content);
        Console.WriteLine(Extended(target, extended.Added, extended.IsContainer));
        return 0;
    }

    protected override async Task<int?> SignOtherwiseAsync(ParseResult result, byte[] pdf, string source, string target, string password, CancellationToken cancellationToken)
    {
        if (result.GetValue(_user) is not { } account)
        {
            return null;
        }
        if (result.GetValue(Pkcs12) is not null || result.GetValue(PdfPassword) is not null || result.GetValue(Certify) is not null || result.GetValue(Adbe) || result.GetValue(Tsa) is not null)
        {
            throw new SegelException(ErrorKind.Invalid, $"--user signs with Segel's own time-stamps and revocation data, PAdES, approval signatures of unencrypted PDFs; leave out --p12, --tsa, --certify, --adbe and --pdf-password-file.", "--user");
        }
        using ConsoleCore custody = await CommonOptions.OpenExistingAsync(CommonOptions.Folder(result, _signData), cancellationToken);
        string? boxSpec = BoxOf(result);
        SignatureAppearance? shape = boxSpec is null ? null : Appearance(boxSpec, result.GetValue(Page), result.GetValue(Qr), ReadImage(result), []);
        var request = new PdfSigningRequest
        {
            Passphrase = CommandFiles.ReadSecret(result.GetValue(_passphraseFile) ?? throw new SegelException(ErrorKind.Invalid, $"--user needs --passphrase-file.", "--passphrase-file")),
            Documents = [new PdfToSign(pdf, Path.GetFileName(source))],
            Placement = shape is null ? null : new SignaturePlacement
            {
                Page = shape.Page, X = shape.X, Y = shape.Y, Width = shape.Width, Height = shape.Height, Marker = result.GetValue(Marker), Image = shape.Image, QrUrl = shape.QrUrl,
            },
            Reason = result.GetValue(Reason),
            Location = result.GetValue(Location),
            ContactInfo = result.GetValue(Contact),
            Level = result.GetValue(Level) is { } named ? ParseLevel(named, hasTsa: true) : PadesLevel.BaselineLT,
        };
        SignedDocument signedPdf = await CustodySigning.SignAsync(custody, account, password, result.GetValue(_totp), request, cancellationToken);
        CommonOptions.WriteFile(target, signedPdf.Content);
        Console.WriteLine($"Signed {target} as {account}; anyone can check it at {signedPdf.VerificationUrl}");
        return 0;
    }

    protected override async Task<RevocationSupply> SigningRevocationAsync(ParseResult result, PadesLevel level, CancellationToken cancellationToken) =>
        level >= PadesLevel.BaselineLT && result.GetValue(_signData) is not null
            ? await Local(result, _signData, cancellationToken)
            : new RevocationSupply(new HttpRevocationSource());

    protected override async Task<RevocationSupply> VerificationRevocationAsync(ParseResult result, bool offline, CancellationToken cancellationToken) =>
        result.GetValue(_verifyData) is not null
            ? await Local(result, _verifyData, cancellationToken, offline ? null : new HttpRevocationSource())
            : new RevocationSupply(offline ? null : new HttpRevocationSource());

    /// <summary>The data folder's CA: its own revocation data (and <paramref name="outside"/> for another CA's), and its trust anchors.</summary>
    private static async Task<RevocationSupply> Local(ParseResult result, Option<string?> data, CancellationToken cancellationToken, IRevocationSource? outside = null)
    {
        ConsoleCore ca = await CommonOptions.OpenExistingAsync(CommonOptions.Folder(result, data), cancellationToken);
        try
        {
            return new RevocationSupply(await ca.Get<LocalRevocation>().CreateAsync(outside, cancellationToken), ca)
            {
                Anchors = await ca.Get<TrustAnchors>().AllAsync(cancellationToken),
            };
        }
        catch
        {
            ca.Dispose();
            throw;
        }
    }
}

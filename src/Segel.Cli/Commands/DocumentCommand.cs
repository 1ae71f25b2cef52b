using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using Segel.Core.Signing;
using Segel.Pdf.Commands;
using Segel.Pdf.Containers;
using Segel.Pdf.Parsing;
using Segel.Pdf.Signing;
using Segel.Pdf.Verification;
using Segel.Pki.Validation;

namespace Segel.Cli.Commands;

/// <summary>
/// `segel sign` and `segel verify`: any document, not only a PDF (Pasal 11). Files of any type are signed together as
/// one ASiC-E container (ETSI EN 319 162-1) with a CAdES signature, or one file as a detached CAdES signature
/// (<c>.p7s</c>) beside it; both are verified as PDF signatures are (time-stamp, algorithm policy, path, revocation).
/// </summary>
internal static class DocumentCommand
{
    private const int MaxP7sContentBytes = PdfCommandSet.MaxPdfBytes;

    public static Command CreateSign()
    {
        var input = new Option<string[]>("--in") { Description = "A file to sign (any type); repeat for more. Each keeps its file name inside the container.", Required = true, HelpName = "FILE", AllowMultipleArgumentsPerToken = true };
        var output = new Option<string>("--out") { Description = "The signed container (FILE.asice), or with one --in a detached signature (FILE.p7s).", Required = true, HelpName = "FILE" };
        var pkcs12 = new Option<string?>("--p12") { Description = "The signer's PKCS#12 (certificate, key and chain); or --user.", HelpName = "FILE" };
        var password = new Option<string>("--password-file") { Description = "A file holding the PKCS#12 password (with --user: the account's password).", Required = true, HelpName = "FILE" };
        var user = new Option<string?>("--user") { Description = "Sign as this Segel account's holder, with the key Segel keeps for their certificate (needs --data and --passphrase-file), with Segel's own time-stamp and revocation data.", HelpName = "NAME" };
        var passphrase = new Option<string?>("--passphrase-file") { Description = "With --user: a file holding the passphrase of the holder's key.", HelpName = "FILE" };
        var totp = new Option<string?>("--totp") { Description = "With --user, for officers and administrators: the current code of their authenticator.", HelpName = "CODE" };
        var data = CommonOptions.Data();
        var tsa = new Option<string?>("--tsa") { Description = "An RFC 3161 time-stamping authority (e.g. https://segel.example/tsa): adds a signature time-stamp (CAdES B-T).", HelpName = "URL" };
        var level = new Option<string?>("--level")
        {
            Description = "CAdES level: B-B, B-T (a time-stamp), B-LT (plus the OCSP responses or CRLs to check it later), B-LTA (plus an archive time-stamp; containers only). " +
                "Default: with --user B-LT; with --p12 B-T when --tsa is given, else B-B.",
            HelpName = "B-B|B-T|B-LT|B-LTA",
        };
        var command = new Command("sign", "Sign files of any type: together as an ASiC-E container (--out FILE.asice), or one file as a detached CAdES signature (--out FILE.p7s).")
            { input, output, pkcs12, password, tsa, level, user, passphrase, totp, data };
        command.SetAction(async (result, cancellationToken) =>
        {
            string[] files = result.GetValue(input)!;
            string target = result.GetValue(output)!;
            bool detached = target.EndsWith(".p7s", StringComparison.OrdinalIgnoreCase);
            if (detached && files.Length != 1)
            {
                throw CommandException.Invalid("A detached signature (.p7s) is over one file; give one --in, or write a container (.asice) for several.");
            }
            if (files.Any(f => Path.GetFullPath(f) == Path.GetFullPath(target)))
            {
                throw CommandException.Invalid("--out must differ from every --in: the originals are kept as they are.");
            }
            foreach (string file in files.Where(f => !File.Exists(f)))
            {
                throw new CommandException(3, $"{file} does not exist.");
            }
            PadesLevel? asked = result.GetValue(level) is { } levelText
                ? PadesLevels.TryParse(levelText, out PadesLevel parsed) ? parsed : throw CommandException.Invalid("--level is one of B-B, B-T, B-LT, B-LTA.")
                : null;
            if (detached && asked == PadesLevel.BaselineLTA)
            {
                throw CommandException.Invalid("A detached signature goes up to B-LT; B-LTA's archive time-stamp is a container's: write --out FILE.asice.");
            }
            if (result.GetValue(user) is { } account)
            {
                return await SignAsHolderAsync(result, account, files, target, detached, asked ?? PadesLevel.BaselineLT, CommandFiles.ReadSecret(result.GetValue(password))!,
                    result.GetValue(passphrase), result.GetValue(totp), result.GetValue(pkcs12) is not null || result.GetValue(tsa) is not null, data, cancellationToken);
            }
            ITimeStampClient? timeStamps = result.GetValue(tsa) is { } url ? new HttpTimeStampClient(PdfCommandSet.TsaUrl(url)) : null;
            PadesLevel chosen = asked ?? (timeStamps is null ? PadesLevel.BaselineB : PadesLevel.BaselineT);
            if (chosen > PadesLevel.BaselineB && timeStamps is null)
            {
                throw CommandException.Invalid($"--level {chosen.ToName()} needs a time-stamping authority: add --tsa URL.");
            }
            // B-LT looks up the status of the signer's and the authority's certificates where they say (OCSP, CRL).
            var options = new CadesOptions(chosen, DateTimeOffset.UtcNow)
            {
                TimeStamps = timeStamps,
                Revocation = chosen >= PadesLevel.BaselineLT ? new HttpRevocationSource() : null,
            };
            SigningIdentity identity = Pkcs12Identities.Load(CommandFiles.Read(result.GetValue(pkcs12) ?? throw CommandException.Invalid("Give --p12 (a PKCS#12 file) or --user (the key Segel keeps)."),
                "PKCS#12", 1024 * 1024), CommandFiles.ReadSecret(result.GetValue(password))!);
            string temporary = target + ".partial";
            try
            {
                if (detached)
                {
                    byte[] signature = await CadesSigner.SignAsync(identity, sink => { using FileStream content = File.OpenRead(files[0]); content.CopyTo(sink); },
                        options, cancellationToken);
                    await File.WriteAllBytesAsync(temporary, signature, cancellationToken);
                }
                else
                {
                    var opened = files.Select(f => new ContainerFile(Path.GetFileName(f), File.OpenRead(f))).ToList();
                    try
                    {
                        await using var stream = new FileStream(temporary, FileMode.Create, FileAccess.ReadWrite);
                        await AsicWriter.SignAsync(stream, opened, identity, options, cancellationToken);
                    }
                    finally
                    {
                        opened.ForEach(f => f.Content.Dispose());
                    }
                }
                File.Move(temporary, target, overwrite: true);
            }
            catch (SignatureInputException e)
            {
                throw CommandException.Invalid(e.Text.ToString());
            }
            catch (ValidationDataUnavailableException e)
            {
                throw new CommandException(CommandException.NotReady, e.Message);
            }
            catch (Exception e) when (e is InvalidOperationException or HttpRequestException && timeStamps is not null)
            {
                throw new CommandException(CommandException.NotReady, e.Message);
            }
            finally
            {
                File.Delete(temporary);
                identity.Key.Dispose();
            }
            Console.WriteLine(detached
                ? $"Signed {files[0]} as {Name(identity)}: {target} (CAdES {chosen.ToName()}, detached)."
                : $"Signed {files.Length} file(s) as {Name(identity)} into {target} (ASiC-E, CAdES {chosen.ToName()}).");
            return 0;
        });
        return command;
    }

    public static Command CreateVerify()
    {
        var file = new Argument<string>("FILE") { Description = "An ASiC-E container (.asice, .sce) or a detached signature (.p7s, with --content)." };
        var content = new Option<string?>("--content") { Description = "With a .p7s: the file it signs.", HelpName = "FILE" };
        var trust = new Option<string?>("--trust") { Description = "PEM file of trusted root certificates (e.g. `segel ca chain` output).", HelpName = "CHAIN.pem" };
        var data = CommonOptions.Data();
        data.Description = "Take revocation status of Segel's own certificates from this data folder and trust its roots and configured TrustAnchors beside --trust.";
        var offline = new Option<bool>("--offline") { Description = "Use only the revocation data in the signature; fetch nothing." };
        var language = new Option<string>("--lang") { Description = "Report language: id (default) or en.", DefaultValueFactory = _ => "id", HelpName = "id|en" };
        var command = new Command("verify", "Check an ASiC-E container (every file against its signature's manifest, and each signature) or a detached .p7s; exit 0 only when valid.")
            { file, content, trust, data, offline, language };
        command.SetAction(async (result, cancellationToken) =>
        {
            string path = result.GetValue(file)!;
            var anchors = new List<X509Certificate2>();
            if (result.GetValue(trust) is { } trustFile)
            {
                anchors.AddRange(PdfCommandSet.ReadTrust(trustFile));
            }
            ConsoleCore? local = result.GetValue(data) is not null ? await CommonOptions.OpenExistingAsync(CommonOptions.Folder(result, data), cancellationToken) : null;
            try
            {
                RevocationEvidence evidence = await CommonOptions.VerificationEvidenceAsync(local, result.GetValue(offline), anchors, cancellationToken);
                var options = new PdfVerificationOptions { Revocation = evidence.Online };
                var culture = CultureInfo.GetCultureInfo(result.GetValue(language) == "en" ? "en" : "id");
                if (path.EndsWith(".p7s", StringComparison.OrdinalIgnoreCase))
                {
                    string signed = result.GetValue(content) ?? throw CommandException.Invalid("A detached signature is checked against its file: give --content FILE.");
                    SignatureReport report = await DetachedSignature.VerifyAsync(CommandFiles.Read(path, "signature", 1024 * 1024),
                        CommandFiles.Read(signed, "content", MaxP7sContentBytes), anchors, options, cancellationToken);
                    Console.Write(ReportText.Render([report], culture));
                    return report.Conclusion == SignatureConclusion.Valid ? 0 : PdfCommandSet.NotValid;
                }
                if (!File.Exists(path))
                {
                    throw new CommandException(3, $"{path} does not exist.");
                }
                await using FileStream stream = File.OpenRead(path);
                ContainerReport container = await AsicVerifier.VerifyAsync(stream, anchors, options, cancellationToken);
                Console.Write(ReportText.Render(container, culture));
                return container.Conclusion == SignatureConclusion.Valid ? 0 : PdfCommandSet.NotValid;
            }
            catch (PdfFormatException e)
            {
                throw CommandException.Invalid($"{path}: {e.Message}");
            }
            finally
            {
                local?.Dispose();
            }
        });
        return command;
    }

    /// <summary>
    /// The holder signs with the key Segel keeps: their account and their key's passphrase, the same rule as the API, so
    /// the operator at the console cannot sign as anyone. The container is recorded, logged and checkable at /verify.
    /// </summary>
    private static async Task<int> SignAsHolderAsync(ParseResult result, string account, string[] files, string target, bool detached, PadesLevel level, string password,
        string? passphraseFile, string? totp, bool keyOptions, Option<string?> data, CancellationToken cancellationToken)
    {
        if (keyOptions)
        {
            throw CommandException.Invalid("--user signs with the key Segel keeps and Segel's own time-stamp; leave out --p12 and --tsa.");
        }
        string passphrase = CommandFiles.ReadSecret(passphraseFile ?? throw CommandException.Invalid("--user needs --passphrase-file."))!;
        var request = new ContainerSigningRequest
        {
            Passphrase = passphrase,
            Files = [.. files.Select(f => new FileToSign(Path.GetFileName(f), CommandFiles.Read(f, "file", PdfCommandSet.MaxPdfBytes)))],
            Level = level,
            Detached = detached,
        };
        using ConsoleCore custody = await CommonOptions.OpenExistingAsync(CommonOptions.Folder(result, data), cancellationToken);
        SignedDocument signed = await CustodySigning.SignContainerAsync(custody, account, password, totp, request, cancellationToken);
        CommonOptions.WriteFile(target, signed.Content);
        Console.WriteLine(detached
            ? $"Signed {files[0]} as {account}: {target} (CAdES {level.ToName()}, detached); its record is at {signed.VerificationUrl}"
            : $"Signed {files.Length} file(s) as {account} into {target} (ASiC-E, CAdES {level.ToName()}); anyone can check it at {signed.VerificationUrl}");
        return 0;
    }

    private static string Name(SigningIdentity identity) => identity.Certificate.GetNameInfo(X509NameType.SimpleName, false);
}

using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Tsp;
using Segel.Core.Ca;
using Segel.Core.Errors;
using Segel.Pdf.Signing;
using Segel.Pki.Validation;

namespace Segel.Cli.Commands;

/// <summary>`segel tsa stamp|verify`: RFC 3161 time-stamps for any file, from Segel's TSA or another.</summary>
internal static class TsaCommand
{
    private const int MaxFileBytes = 512 * 1024 * 1024;

    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "The file to time-stamp (only its SHA-256 leaves this machine)." };
        var tsa = new Option<string>("--tsa") { Description = "The time-stamping authority, e.g. https://segel.example/tsa.", Required = true, HelpName = "URL" };
        var output = new Option<string>("--out") { Description = "Where to write the token (DER; `openssl ts -verify -token_in` reads it).", Required = true, HelpName = "FILE.tst" };
        var stamp = new Command("stamp", "Get a time-stamp token for a file.") { file, tsa, output };
        stamp.SetAction(async (result, cancellationToken) =>
        {
            string url = result.GetValue(tsa)!;
            if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) || uri.Scheme is not ("http" or "https"))
            {
                throw new SegelException(ErrorKind.Invalid, $"--tsa needs an http(s) URL, such as https://segel.example/tsa.", "--tsa");
            }
            byte[] digest = SHA256.HashData(CommonOptions.ReadFile(result.GetValue(file)!, "file", MaxFileBytes));
            TimeStampToken token;
            try
            {
                token = await TimeStampRequests.StampAsync(new HttpTimeStampClient(uri), digest, cancellationToken);
            }
            catch (InvalidOperationException e)
            {
                throw new SegelException(ErrorKind.NotReady, $"{e.Message}", "--tsa");
            }
            CommonOptions.WriteFile(result.GetValue(output)!, token.GetEncoded());
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Time-stamped {result.GetValue(file)} at {token.TimeStampInfo.GenTime:yyyy-MM-dd HH:mm:ss} UTC."));
            return 0;
        });

        var verifyFile = new Argument<string>("FILE") { Description = "The file the token is for." };
        var token = new Option<string>("--token") { Description = "The time-stamp token.", Required = true, HelpName = "FILE.tst" };
        var trust = new Option<string>("--trust") { Description = "PEM file of trusted root certificates.", Required = true, HelpName = "CHAIN.pem" };
        var offline = new Option<bool>("--offline") { Description = "Fetch no revocation status." };
        var data = CommonOptions.Data();
        data.Description = "Take revocation status of Segel's own certificates from this data folder, and trust its roots and configured TrustAnchors beside --trust; an outside CA's status is still fetched unless --offline.";
        var verify = new Command("verify", "Check that a token is a trusted TSA's and is for this file; exit 0 only then.") { verifyFile, token, trust, offline, data };
        verify.SetAction(async (result, cancellationToken) =>
        {
            List<X509Certificate2> anchors = CertificateFiles.Read(result.GetValue(trust)!, "--trust");
            byte[] content = CommonOptions.ReadFile(result.GetValue(verifyFile)!, "file", MaxFileBytes);
            TimeStampToken parsed;
            X509Certificate2 authority;
            try
            {
                parsed = new TimeStampToken(new Org.BouncyCastle.Cms.CmsSignedData(CommonOptions.ReadFile(result.GetValue(token)!, "token", 1024 * 1024)));
                Org.BouncyCastle.X509.X509Certificate signer = parsed.GetCertificates().EnumerateMatches(parsed.SignerID).FirstOrDefault()
                    ?? throw new TspValidationException("the token carries no TSA certificate");
                authority = X509CertificateLoader.LoadCertificate(signer.GetEncoded());
                CmsSigners.ValidateTimeStamp(parsed, authority);
            }
#pragma warning disable CA1031 // a hostile token makes BouncyCastle throw many kinds of exception; each means "not a valid token"
            catch (Exception e) when (e is not (OutOfMemoryException or SegelException))
#pragma warning restore CA1031
            {
                Console.WriteLine($"INVALID: the token is unreadable or its signature does not verify ({e.Message})");
                return PdfCommand.NotValid;
            }
            HashAlgorithmName hash = Signatures.Digest(parsed.TimeStampInfo.MessageImprintAlgOid) ?? HashAlgorithmName.SHA256;
            byte[] expected = hash == HashAlgorithmName.SHA384 ? SHA384.HashData(content) : hash == HashAlgorithmName.SHA512 ? SHA512.HashData(content) : SHA256.HashData(content);
            if (!parsed.TimeStampInfo.GetMessageImprintDigest().AsSpan().SequenceEqual(expected))
            {
                Console.WriteLine("INVALID: the token is for another file");
                return PdfCommand.NotValid;
            }
            using ConsoleCore? local = result.GetValue(data) is not null ? await CommonOptions.OpenExistingAsync(CommonOptions.Folder(result, data), cancellationToken) : null;
            RevocationEvidence evidence = await CommonOptions.VerificationEvidenceAsync(local, result.GetValue(offline), anchors, cancellationToken);
            var at = new DateTimeOffset(DateTime.SpecifyKind(parsed.TimeStampInfo.GenTime, DateTimeKind.Utc));
            PathResult path = await PathValidator.CheckAsync(new PathCheck(authority, anchors, at, evidence)
            {
                Extra = parsed.GetCertificates().EnumerateMatches(null).Select(c => X509CertificateLoader.LoadCertificate(c.GetEncoded())),
                TimeProven = true,
            }, cancellationToken);
            ChainVerdict verdict = path.Verdict;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{(verdict == ChainVerdict.Trusted ? "VALID" : verdict == ChainVerdict.Revoked ? "INVALID" : "INDETERMINATE")}: {at:yyyy-MM-dd HH:mm:ss} UTC, {authority.GetNameInfo(X509NameType.SimpleName, false)}"));
            foreach (Finding finding in path.Findings)
            {
                Console.WriteLine($"  - {finding}");
            }
            return verdict == ChainVerdict.Trusted ? 0 : PdfCommand.NotValid;
        });
        return new Command("tsa", "RFC 3161 time-stamps for any file.") { stamp, verify };
    }
}

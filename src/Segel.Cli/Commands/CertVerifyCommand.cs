using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Segel.Core.Ca;
using Segel.Core.Errors;
using Segel.Pki.Validation;

namespace Segel.Cli.Commands;

/// <summary>
/// <c>segel cert verify</c>: RFC 5280 path validation of any certificate — Segel's or anyone's — by the validator the
/// PDF, S/MIME and time-stamp checks use, with RFC 5280's profile rules held to the letter (<see cref="Conformance"/>).
/// </summary>
internal static class CertVerifyCommand
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static Command Create()
    {
        var leaf = new Argument<string>("LEAF") { Description = "The certificate to check (PEM or DER; the first one in the file)." };
        var trust = new Option<string>("--trust") { Description = "PEM file of the trust anchors (roots) the path must end at.", Required = true, HelpName = "ROOTS.pem" };
        var untrusted = new Option<string?>("--untrusted") { Description = "PEM file of intermediate certificates that may complete the path (not trusted themselves).", HelpName = "INTERMEDIATES.pem" };
        var at = new Option<string?>("--at") { Description = "Validate at this time (ISO 8601, e.g. 2027-01-31T08:00:00Z) instead of now.", HelpName = "TIME" };
        var offline = new Option<bool>("--offline") { Description = "Fetch no revocation status: only --crl files and, with --data, Segel's own." };
        var crl = new Option<string[]>("--crl") { Description = "A CRL (PEM or DER) to check revocation with; repeat for more. Used before anything fetched.", HelpName = "FILE" };
        var json = new Option<bool>("--json") { Description = "The verdict, the certificate, the time and the findings as JSON." };
        var data = CommonOptions.Data();
        data.Description = "Take revocation status of Segel's certificates from this data folder (outside ones are still fetched unless --offline), and trust its roots and configured TrustAnchors beside --trust.";
        var command = new Command("verify", "RFC 5280 path validation of a certificate to the given roots, with revocation; exit 0 when valid, 8 when not.")
        {
            leaf, trust, untrusted, at, crl, offline, json, data,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            X509Certificate2 subject = CertificateFiles.Read(result.GetValue(leaf)!, "LEAF")[0];
            List<X509Certificate2> anchors = CertificateFiles.Read(result.GetValue(trust)!, "--trust");
            List<X509Certificate2> intermediates = result.GetValue(untrusted) is { } file ? CertificateFiles.Read(file, "--untrusted") : [];
            DateTimeOffset time = Time(result.GetValue(at));
            using ConsoleCore? local = result.GetValue(data) is not null ? await CommonOptions.OpenExistingAsync(CommonOptions.Folder(result, data), cancellationToken) : null;
            RevocationEvidence evidence = await CommonOptions.VerificationEvidenceAsync(local, result.GetValue(offline), anchors, cancellationToken);
            evidence.Certificates.AddRange(intermediates);
            foreach (string crlFile in result.GetValue(crl) ?? [])
            {
                evidence.Crls.Add(Crl(crlFile));
            }
            // The question is whether the certificate stood at that time: a revocation after it does not change the answer.
            PathResult path = await PathValidator.CheckAsync(new PathCheck(subject, anchors, time, evidence) { TimeProven = true }, cancellationToken);
            string verdict = path.Verdict switch
            {
                ChainVerdict.Trusted => "VALID",
                ChainVerdict.Revoked => "REVOKED",
                _ => "NOT VALID",
            };
            if (result.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(new
                {
                    verdict = verdict.ToLowerInvariant().Replace(' ', '-'),
                    subject = subject.Subject,
                    serial = subject.SerialNumber,
                    at = time.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                    findings = path.Findings.Select(f => f.ToString()),
                }, Json));
            }
            else
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{verdict}: {subject.Subject} at {time:yyyy-MM-dd HH:mm:ss} UTC"));
                foreach (Finding finding in path.Findings)
                {
                    Console.WriteLine($"  - {finding}");
                }
            }
            return path.Verdict == ChainVerdict.Trusted ? 0 : PdfCommand.NotValid;
        });
        return command;
    }

    /// <summary>A CRL file's DER, from PEM or DER.</summary>
    private static byte[] Crl(string file) =>
        Pki.Crl.CrlEncoding.Der(CommonOptions.ReadFile(file, "CRL", 64 * 1024 * 1024)) ?? throw new SegelException(ErrorKind.Invalid, $"{file} holds no readable CRL.", "--crl");

    private static DateTimeOffset Time(string? text)
    {
        if (text is null)
        {
            return TimeProvider.System.GetUtcNow();
        }
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTimeOffset time)
            ? time
            : throw new SegelException(ErrorKind.Invalid, $"'{text}' is not a time; give ISO 8601, e.g. 2027-01-31T08:00:00Z.", "--at");
    }
}

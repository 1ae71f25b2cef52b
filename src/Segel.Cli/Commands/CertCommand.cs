using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Segel.Core.Accounts;
using Segel.Core.Ca;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Pki.Certificates;
using Segel.Pki.Revocation;
using Segel.Texts;

namespace Segel.Cli.Commands;

internal static class CertCommand
{
    public static Command Create() => new("cert", "Issue, revoke and look up holders' certificates; issue the server's TLS certificate; check any certificate's path.")
    {
        Issue(), Tls(), Revoke(), List(), Show(), CertVerifyCommand.Create(),
    };

    private static Command Issue()
    {
        Option<string?> data = CommonOptions.Data();
        var csr = new Option<string?>("--csr") { Description = "A PKCS#10 request (PEM or DER); the holder keeps the key.", HelpName = "FILE" };
        var output = new Option<string?>("--out") { Description = "With --csr: where to write the certificate (PEM).", HelpName = "CERT.pem" };
        var nip = new Option<string?>("--nip") { Description = "The NIP of the employee on file the certificate is for; the register gives name, agency and e-mail.", HelpName = "NIP" };
        var reason = new Option<string?>("--reason") { Description = $"Why this certificate goes around the RA (at least {Certificates.MinReasonLength} characters); kept in the audit record.", HelpName = "TEXT" };
        var name = new Option<string?>("--name") { Description = "Optional: checked against the name on file.", HelpName = "NAME" };
        var email = new Option<string?>("--email") { Description = "Optional: checked against the official e-mail on file.", HelpName = "ADDR" };
        var unit = new Option<string?>("--unit") { Description = "Optional: checked against the agency on file.", HelpName = "AGENCY" };
        var profile = new Option<string?>("--profile") { Description = "subscriber (default) or ra-officer.", HelpName = "PROFILE" };
        var p12 = new Option<string?>("--p12") { Description = "Without --csr: Segel generates the key and writes it with the certificate and chain here.", HelpName = "OUT.p12" };
        var passwordFile = new Option<string?>("--password-file") { Description = "With --p12: a file holding the PKCS#12 password (at least 8 characters).", HelpName = "FILE" };
        var command = new Command("issue", "Issue a 2-year certificate outside the RA flow, for an employee on file, from a CSR or with a key Segel generates.")
        {
            data, csr, output, nip, reason, name, email, unit, profile, p12, passwordFile,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var details = new HolderDetails(result.GetValue(name), result.GetValue(email), result.GetValue(unit), result.GetValue(nip));
            CertificateStatusText.ParseHolderProfile(result.GetValue(profile), "--profile"); // a wrong profile is refused before any file is read
            string? csrPath = result.GetValue(csr);
            string? p12Path = result.GetValue(p12);
            if ((csrPath is null) == (p12Path is null))
            {
                throw new SegelException(ErrorKind.Invalid, $"Give either --csr FILE --out CERT.pem, or --p12 OUT.p12 --password-file FILE, with --nip and --reason.", "--csr");
            }
            if (csrPath is not null)
            {
                string outPath = result.GetValue(output) ?? throw new SegelException(ErrorKind.Invalid, $"--csr needs --out CERT.pem.", "--out");
                byte[] request = CommonOptions.ReadFile(csrPath, "CSR", SigningRequest.MaxEncodedLength);
                using ConsoleCore ca = await CommonOptions.OpenExistingAsync(CommonOptions.Folder(result, data), cancellationToken);
                CertificateView issued = await ca.Get<Certificates>().IssueFromCsrAsync(Principal.Console, PemOrDer(request), result.GetValue(profile), details,
                    result.GetValue(reason), "cli", cancellationToken);
                CommonOptions.WriteFile(outPath, Encoding.ASCII.GetBytes(issued.Pem!));
                Console.WriteLine($"Issued {issued.Serial} to {issued.Subject}, valid until {issued.NotAfter:yyyy-MM-dd HH:mm:ss} UTC");
            }
            else
            {
                string pwPath = result.GetValue(passwordFile) ?? throw new SegelException(ErrorKind.Invalid, $"--p12 needs --password-file FILE.", "--password-file");
                string password = Encoding.UTF8.GetString(CommonOptions.ReadFile(pwPath, "password", 4096)).TrimEnd('\r', '\n');
                if (File.Exists(p12Path))
                {
                    throw new SegelException(ErrorKind.Conflict, $"{p12Path} exists already; Segel does not overwrite a file that holds a private key.");
                }
                using ConsoleCore ca = await CommonOptions.OpenExistingAsync(CommonOptions.Folder(result, data), cancellationToken);
                (CertificateView issued, byte[] pkcs12) = await ca.Get<Certificates>().IssueWithGeneratedKeyAsync(Principal.Console, details, result.GetValue(profile), password,
                    result.GetValue(reason), "cli", cancellationToken);
                CommonOptions.WritePrivateKeyFile(p12Path!, pkcs12);
                Console.WriteLine($"Issued {issued.Serial} to {issued.Subject}, valid until {issued.NotAfter:yyyy-MM-dd HH:mm:ss} UTC; key and chain in {p12Path}");
            }
            return 0;
        });
        return command;
    }

    private static Command Tls()
    {
        Option<string?> data = CommonOptions.Data();
        var hosts = new Option<string[]>("--host") { Description = "A DNS name the server answers to; repeat for more (the first is the CN).", Required = true, HelpName = "NAME", AllowMultipleArgumentsPerToken = false };
        var csr = new Option<string?>("--csr") { Description = "A PKCS#10 request (PEM or DER) from the web server, which keeps its key.", HelpName = "FILE" };
        var key = new Option<string?>("--key") { Description = "Without --csr: Segel makes an ECDSA P-256 key and writes it here (PEM, 0600; never overwritten).", HelpName = "KEY.pem" };
        var output = new Option<string>("--out") { Description = "Where to write the certificate and its CAs below the root (PEM), as nginx's ssl_certificate takes it.", Required = true, HelpName = "CHAIN.pem" };
        var command = new Command("tls", $"Issue a TLS server certificate ({CaSettings.TlsServerValidityDays} days) for the regency's own hosts, such as Segel's own address behind nginx.")
        {
            data, hosts, csr, key, output,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            string? csrPath = result.GetValue(csr);
            string? keyPath = result.GetValue(key);
            if ((csrPath is null) == (keyPath is null))
            {
                throw SegelException.Invalid("--csr", Localized.Of("Error.GiveEitherCsrFileKey"));
            }
            if (keyPath is not null && File.Exists(keyPath))
            {
                throw new SegelException(ErrorKind.Conflict, $"{keyPath} exists already; Segel does not overwrite a file that holds a private key.");
            }
            string? request = csrPath is null ? null : PemOrDer(CommonOptions.ReadFile(csrPath, "CSR", SigningRequest.MaxEncodedLength));
            using ConsoleCore ca = await CommonOptions.OpenExistingAsync(CommonOptions.Folder(result, data), cancellationToken);
            TlsServerCertificate issued = await ca.Get<Certificates>().IssueTlsServerAsync(Principal.Console, result.GetValue(hosts) ?? [], request, "cli", cancellationToken);
            if (keyPath is not null)
            {
                CommonOptions.WritePrivateKeyFile(keyPath, Encoding.ASCII.GetBytes(issued.PrivateKeyPem!));
            }
            CommonOptions.WriteFile(result.GetValue(output)!, Encoding.ASCII.GetBytes(issued.ChainPem));
            Console.WriteLine($"Issued {issued.Certificate.Serial} for {string.Join(", ", result.GetValue(hosts) ?? [])}, valid until {issued.Certificate.NotAfter:yyyy-MM-dd HH:mm:ss} UTC");
            return 0;
        });
        return command;
    }

    /// <summary>A CSR file's bytes as PEM text, whichever form the file had.</summary>
    private static string PemOrDer(byte[] request) =>
        request.AsSpan().IndexOf("-----BEGIN"u8) >= 0 ? Encoding.ASCII.GetString(request) : System.Security.Cryptography.PemEncoding.WriteString("CERTIFICATE REQUEST", request);

    private static Command Revoke()
    {
        Option<string?> data = CommonOptions.Data();
        var serial = new Option<string>("--serial") { Description = "The certificate's serial number (hex).", Required = true, HelpName = "HEX" };
        var reason = new Option<string>("--reason") { Description = $"RFC 5280 reason: {RevocationReasons.AllowedNames}.", Required = true, HelpName = "REASON" };
        var issuer = new Option<string?>("--issuer") { Description = "The issuer's name, if the serial is ambiguous.", HelpName = "SLUG" };
        var command = new Command("revoke", "Revoke a certificate. Final: a revoked certificate never becomes valid again.") { data, serial, reason, issuer };
        command.SetAction(async (result, cancellationToken) =>
        {
            if (!RevocationReasons.TryParse(result.GetValue(reason), out RevocationReason parsed))
            {
                throw new SegelException(ErrorKind.Invalid, $"Unknown reason '{result.GetValue(reason)}'. Use one of: {RevocationReasons.AllowedNames}.", "--reason");
            }
            using ConsoleCore ca = await CommonOptions.OpenExistingAsync(CommonOptions.Folder(result, data), cancellationToken);
            CertificateView revoked = await ca.Get<Certificates>().RevokeAsync(Principal.Console, result.GetValue(serial)!, parsed.ToRfcName(), result.GetValue(issuer), "cli",
                cancellationToken);
            Console.WriteLine($"Revoked {revoked.Serial} ({parsed.ToRfcName()}) at {revoked.RevokedAt:yyyy-MM-dd HH:mm:ss} UTC; the CRL and OCSP show it now.");
            return 0;
        });
        return command;
    }

    private static Command List()
    {
        Option<string?> data = CommonOptions.Data();
        var status = new Option<string?>("--status") { Description = "all (default), valid, revoked or expired.", HelpName = "STATUS" };
        var search = new Option<string?>("--search") { Description = "Words that must each occur in the name, e-mail or serial (any part, any case, accents optional).", HelpName = "TEXT" };
        var take = new Option<int>("--limit") { Description = "At most this many (default 100, at most 500).", DefaultValueFactory = _ => 100, HelpName = "N" };
        var json = new Option<bool>("--json") { Description = "One JSON array instead of a table." };
        var command = new Command("list", "List certificates, newest first.") { data, status, search, take, json };
        command.SetAction(async (result, cancellationToken) =>
        {
            if (result.GetValue(status) is { Length: > 0 } s && !(Enum.TryParse(s, true, out CertificateFilter f) && Enum.IsDefined(f)))
            {
                throw new SegelException(ErrorKind.Invalid, $"--status is one of all, valid, revoked, expired.", "--status");
            }
            using ConsoleCore ca = await CommonOptions.OpenExistingAsync(CommonOptions.Folder(result, data), cancellationToken);
            IReadOnlyList<CertificateView> records = await ca.Get<Certificates>().ListAsync(Principal.Console, result.GetValue(status), result.GetValue(search), 0,
                result.GetValue(take), cancellationToken);
            if (result.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(records.Select(r => new
                {
                    serial = r.Serial, profile = r.Profile, subject = r.Subject, email = r.Email,
                    notBefore = r.NotBefore, notAfter = r.NotAfter, status = r.Status, revokedAt = r.RevokedAt,
                })));
                return 0;
            }
            foreach (CertificateView r in records)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{r.Serial,-34} {r.Status,-8} {r.Profile,-12} {r.NotAfter:yyyy-MM-dd}  {r.CommonName}{(r.Email is null ? "" : " <" + r.Email + ">")}"));
            }
            return 0;
        });
        return command;
    }

    private static Command Show()
    {
        Option<string?> data = CommonOptions.Data();
        var serial = new Option<string>("--serial") { Description = "The certificate's serial number (hex).", Required = true, HelpName = "HEX" };
        var pem = new Option<bool>("--pem") { Description = "Print only the certificate in PEM." };
        var command = new Command("show", "Show one certificate.") { data, serial, pem };
        command.SetAction(async (result, cancellationToken) =>
        {
            using ConsoleCore ca = await CommonOptions.OpenExistingAsync(CommonOptions.Folder(result, data), cancellationToken);
            CertificateView r = await ca.Get<Certificates>().GetAsync(Principal.Console, result.GetValue(serial)!, null, cancellationToken);
            if (result.GetValue(pem))
            {
                Console.WriteLine(r.Pem!.TrimEnd('\n'));
                return 0;
            }
            Console.WriteLine($"Serial:      {r.Serial}");
            Console.WriteLine($"Subject:     {r.Subject}");
            Console.WriteLine($"E-mail:      {r.Email ?? "-"}");
            Console.WriteLine($"Profile:     {r.Profile}");
            Console.WriteLine($"Valid:       {r.NotBefore:yyyy-MM-dd HH:mm:ss} – {r.NotAfter:yyyy-MM-dd HH:mm:ss} UTC");
            Console.WriteLine($"Status:      {r.Status}");
            if (r.RevokedAt is not null)
            {
                Console.WriteLine($"Revoked:     {r.RevokedAt:yyyy-MM-dd HH:mm:ss} UTC ({r.RevocationReason ?? RevocationReason.Unspecified.ToRfcName()})");
            }
            return 0;
        });
        return command;
    }

}

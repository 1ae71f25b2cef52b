using System.CommandLine;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Segel.Core.Ca;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Storage;

namespace Segel.Cli.Commands;

internal static class CaCommand
{
    public static Command Create()
    {
        Option<string?> data = CommonOptions.Data();
        var output = new Option<string>("--out") { Description = "Where to write the PEM chain.", Required = true, HelpName = "FILE" };
        var chain = new Command("chain", "Write the issuing CA, any outside CA above it, then the root as PEM.") { data, output };
        chain.SetAction(async (result, cancellationToken) =>
        {
            using ConsoleCore ca = await CommonOptions.OpenExistingAsync(CommonOptions.Folder(result, data), cancellationToken);
            string pem = string.Concat((await ca.Get<Authorities>().ChainAsync(cancellationToken)).Select(c => c.ExportCertificatePem() + "\n"));
            CommonOptions.WriteFile(result.GetValue(output)!, Encoding.ASCII.GetBytes(pem));
            return 0;
        });

        Option<string?> statusData = CommonOptions.Data();
        var status = new Command("status", "Show the CA's authorities and their CRLs.") { statusData };
        status.SetAction(async (result, cancellationToken) =>
        {
            using ConsoleCore ca = await CommonOptions.OpenExistingAsync(CommonOptions.Folder(result, statusData), cancellationToken);
            if (await ca.Get<SubordinateCa>().IsWaitingAsync(cancellationToken))
            {
                Console.WriteLine("issuing-ca       waits for its certificate from the outside root: `segel ca csr` writes its request, `segel ca install` installs what comes back");
            }
            if (ca.Get<UpstreamStatus>().UpstreamUrl is { } upstream)
            {
                Console.WriteLine($"holders' certificates come from the upstream CA at {upstream} (CMP); its CAs are listed as upstream-…");
            }
            foreach (LoadedAuthority authority in await ca.Get<Authorities>().GetAllAsync(cancellationToken))
            {
                Console.WriteLine($"{authority.Slug,-16} {authority.Role,-14} {authority.KeyAlgorithm,-11} until {authority.NotAfter:yyyy-MM-dd}  {authority.Certificate.Subject}");
                if (authority.Role is AuthorityRole.RootCa or AuthorityRole.IssuingCa &&
                    await ca.Get<CrlPublisher>().GetLatestAsync(authority.Id, cancellationToken) is { } crl)
                {
                    Console.WriteLine($"{"",16} CRL #{crl.Number}, {crl.EntryCount} revoked, next update {crl.NextUpdate:yyyy-MM-dd HH:mm} UTC");
                }
            }
            return 0;
        });
        return new Command("ca", "The certificate authority itself.") { chain, status, Request(), Install(), Renew() };
    }

    /// <summary>`segel ca csr`: the issuing CA's request again, for the outside root (issue 21.1).</summary>
    private static Command Request()
    {
        Option<string?> data = CommonOptions.Data();
        var output = new Option<string>("--out") { Description = "Where to write the request (PEM).", Required = true, HelpName = "FILE" };
        var command = new Command("csr", "Write the issuing CA's certificate request (PKCS#10, PEM) for the outside root to sign (after `segel init --external-root`).") { data, output };
        command.SetAction(async (result, cancellationToken) =>
        {
            using ConsoleCore ca = await CommonOptions.OpenExistingAsync(CommonOptions.Folder(result, data), cancellationToken);
            byte[] request = await ca.Get<SubordinateCa>().RequestAsync(Principal.Console, cancellationToken);
            CommonOptions.WriteFile(result.GetValue(output)!, Encoding.ASCII.GetBytes(Pem(request)));
            Console.WriteLine($"Wrote the issuing CA's request to {result.GetValue(output)}; once the outside CA has signed it: segel ca install --cert ISSUING.pem --chain CHAIN.pem");
            return 0;
        });
        return command;
    }

    /// <summary>`segel ca install`: the certificate the outside root issued becomes the issuing CA's.</summary>
    private static Command Install()
    {
        Option<string?> data = CommonOptions.Data();
        var certificate = new Option<string>("--cert") { Description = "The issuing CA's certificate the outside CA issued (PEM or DER).", Required = true, HelpName = "ISSUING.pem" };
        var chainFile = new Option<string>("--chain") { Description = "The outside CA's chain up to and including its root (PEM): the root, and any CA between it and the issuing CA.", Required = true, HelpName = "CHAIN.pem" };
        var command = new Command("install", "Install the issuing CA's certificate from an outside root (after `segel init --external-root`): checks that the key is this CA's, that it may sign certificates and CRLs for more than two years, and its path to the root; then certifies the OCSP responder and TSA with it.")
            { data, certificate, chainFile };
        command.SetAction(async (result, cancellationToken) =>
        {
            List<X509Certificate2> issuing = CertificateFiles.Read(result.GetValue(certificate)!, "--cert");
            if (issuing.Count != 1)
            {
                throw new SegelException(ErrorKind.Invalid, $"{result.GetValue(certificate)} holds {issuing.Count} certificates; give the issuing CA's alone, and the rest with --chain.", "--cert");
            }
            List<X509Certificate2> chainCertificates = CertificateFiles.Read(result.GetValue(chainFile)!, "--chain");
            using ConsoleCore ca = await CommonOptions.OpenExistingAsync(CommonOptions.Folder(result, data), cancellationToken);
            LoadedAuthority installed = await ca.Get<SubordinateCa>().InstallAsync(Principal.Console, issuing[0], chainCertificates, cancellationToken);
            IReadOnlyList<X509Certificate2> path = await ca.Get<Authorities>().ChainAsync(cancellationToken);
            Console.WriteLine($"Installed the issuing CA {installed.Certificate.Subject} (valid until {installed.NotAfter:yyyy-MM-dd}), under the root {path[^1].Subject}.");
            Console.WriteLine("The OCSP responder and TSA are certified by it; every certificate Segel issues now chains to that root.");
            return 0;
        });
        return command;
    }

    /// <summary>`segel ca renew`: the issuing CA's or the root's rollover now (issue 21.5); the daily job does it when due.</summary>
    private static Command Renew()
    {
        Option<string?> data = CommonOptions.Data();
        var issuer = new Option<string>("--issuer") { Description = "issuing-ca (a new issuing CA from the root; new certificates come from it) or root-ca (a new root with link certificates).", Required = true, HelpName = "issuing-ca|root-ca" };
        var command = new Command("renew", "Roll a CA over now: a new key and certificate. The old one keeps signing its CRL and OCSP answers until its last certificate expires. The server does this by itself when due.") { data, issuer };
        command.SetAction(async (result, cancellationToken) =>
        {
            string which = result.GetValue(issuer)!;
            if (which is not (Authorities.IssuingSlug or Authorities.RootSlug))
            {
                throw new SegelException(ErrorKind.Invalid, $"--issuer is issuing-ca or root-ca.", "--issuer");
            }
            using ConsoleCore ca = await CommonOptions.OpenExistingAsync(CommonOptions.Folder(result, data), cancellationToken);
            ResponderRenewal renewal = ca.Get<ResponderRenewal>();
            LoadedAuthority renewed = which == Authorities.RootSlug
                ? await renewal.RollOverRootAsync(Principal.Console, cancellationToken)
                : await renewal.RollOverIssuingCaAsync(Principal.Console, cancellationToken);
            Console.WriteLine($"New {which}: {renewed.Slug}, {renewed.Certificate.Subject}, valid until {renewed.NotAfter:yyyy-MM-dd}.");
            return 0;
        });
        return command;
    }

    internal static string Pem(byte[] request) => new string(PemEncoding.Write("CERTIFICATE REQUEST", request)) + "\n";
}

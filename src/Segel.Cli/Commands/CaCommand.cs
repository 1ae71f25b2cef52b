using System.CommandLine;
using System.Text;
using Segel.Core.Ca;
using Segel.Core.Storage;

namespace Segel.Cli.Commands;

internal static class CaCommand
{
    public static Command Create()
    {
        Option<string?> data = CommonOptions.Data();
        var output = new Option<string>("--out") { Description = "Where to write the PEM chain.", Required = true, HelpName = "FILE" };
        var chain = new Command("chain", "Write the issuing CA then the root as PEM.") { data, output };
        chain.SetAction(async (result, cancellationToken) =>
        {
            using ConsoleCore ca = await CommonOptions.OpenExistingAsync(CommonOptions.Folder(result, data), cancellationToken);
            LoadedAuthority issuing = await ca.Get<Authorities>().GetActiveAsync(AuthorityRole.IssuingCa, cancellationToken);
            LoadedAuthority root = await ca.Get<Authorities>().GetActiveAsync(AuthorityRole.RootCa, cancellationToken);
            string pem = issuing.Certificate.ExportCertificatePem() + "\n" + root.Certificate.ExportCertificatePem() + "\n";
            CommonOptions.WriteFile(result.GetValue(output)!, Encoding.ASCII.GetBytes(pem));
            return 0;
        });

        Option<string?> statusData = CommonOptions.Data();
        var status = new Command("status", "Show the CA's authorities and their CRLs.") { statusData };
        status.SetAction(async (result, cancellationToken) =>
        {
            using ConsoleCore ca = await CommonOptions.OpenExistingAsync(CommonOptions.Folder(result, statusData), cancellationToken);
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
        return new Command("ca", "The certificate authority itself.") { chain, status };
    }
}

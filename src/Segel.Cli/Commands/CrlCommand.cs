using System.CommandLine;
using Segel.Core.Ca;
using Segel.Core.Errors;
using Segel.Core.Storage;

namespace Segel.Cli.Commands;

internal static class CrlCommand
{
    public static Command Create()
    {
        Option<string?> data = CommonOptions.Data();
        var output = new Option<string>("--out") { Description = "Where to write the CRL (DER).", Required = true, HelpName = "FILE" };
        var issuer = new Option<string?>("--issuer") { Description = "Whose CRL: issuing-ca (default) or root-ca.", HelpName = "SLUG" };
        var fresh = new Option<bool>("--publish") { Description = "Publish a new CRL first, even if the current one is not due." };
        var command = new Command("crl", "Write an issuer's current CRL, publishing a new one when it is due.") { data, output, issuer, fresh };
        command.SetAction(async (result, cancellationToken) =>
        {
            using ConsoleCore ca = await CommonOptions.OpenExistingAsync(CommonOptions.Folder(result, data), cancellationToken);
            string slug = result.GetValue(issuer) ?? Authorities.IssuingSlug;
            LoadedAuthority authority = await ca.Get<Authorities>().FindBySlugAsync(slug, cancellationToken) is { Role: AuthorityRole.RootCa or AuthorityRole.IssuingCa, HasKey: true } found
                ? found
                : throw new SegelException(ErrorKind.NotFound, $"No issuer named '{slug}'. Issuers: root-ca, issuing-ca.");
            if (result.GetValue(fresh))
            {
                await ca.Get<CrlPublisher>().PublishAsync(authority, cancellationToken: cancellationToken);
            }
            else
            {
                await ca.Get<CrlPublisher>().PublishDueAsync([authority], cancellationToken);
            }
            CrlView crl = (await ca.Get<CrlPublisher>().GetLatestAsync(authority.Id, cancellationToken))!;
            CommonOptions.WriteFile(result.GetValue(output)!, crl.Der);
            Console.WriteLine($"CRL #{crl.Number} of {slug}: {crl.EntryCount} revoked, next update {crl.NextUpdate:yyyy-MM-dd HH:mm} UTC");
            return 0;
        });
        return command;
    }
}

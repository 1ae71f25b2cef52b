using System.CommandLine;
using System.Text;
using Segel.Core.Accounts;
using Segel.Core.Ca;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Lifecycle;

namespace Segel.Cli.Commands;

/// <summary>`segel users …` and `segel tokens …`: the operator at the console acts as an administrator.</summary>
internal static class AccountsCommand
{
    public static Command CreateUsers()
    {
        Option<string?> data = CommonOptions.Data();
        var username = new Option<string>("--username") { Description = "Sign-in name: lower-case letters, digits, '.', '_', '-'.", Required = true, HelpName = "NAME" };
        var name = new Option<string>("--name") { Description = "Full name.", Required = true, HelpName = "TEXT" };
        var role = new Option<string>("--role") { Description = $"One or more of {Roles.Names}, separated by commas.", Required = true, HelpName = "ROLES" };
        var agency = new Option<string?>("--agency") { Description = "For agency heads: the agency's code.", HelpName = "CODE" };
        var employee = new Option<string?>("--employee") { Description = "For holders and RA officers: the employee's NIP, linking the account to their certificates.", HelpName = "NIP" };
        var passwordFile = new Option<string>("--password-file") { Description = $"A file holding the initial password (at least {PasswordHasher.MinLength} characters).", Required = true, HelpName = "FILE" };
        var add = new Command("add", "Create an account. Administrators, policy admins and RA officers also get a TOTP key to enrol.") { data, username, name, role, agency, employee, passwordFile };
        add.SetAction(async (result, cancellationToken) =>
        {
            if (!Roles.TryParse(result.GetValue(role), out Role roles))
            {
                throw new SegelException(ErrorKind.Invalid, $"Unknown role in '{result.GetValue(role)}'. Use {Roles.Names}.", "--role");
            }
            string password = Encoding.UTF8.GetString(CommonOptions.ReadFile(result.GetValue(passwordFile)!, "password", 4096)).TrimEnd('\r', '\n');
            using ConsoleCore ca = await CommonOptions.OpenExistingAsync(CommonOptions.Folder(result, data), cancellationToken);
            CreatedUser created = await ca.Get<UserAccounts>().CreateAsync(new NewUser(result.GetValue(username)!, result.GetValue(name)!, roles, password, result.GetValue(agency), result.GetValue(employee)), Principal.Console, cancellationToken);
            Console.WriteLine($"Created {created.Username} ({roles}).");
            if (created.TotpUri is not null)
            {
                Console.WriteLine("Enrol this TOTP key in an authenticator app now; it is not shown again:");
                Console.WriteLine(created.TotpUri);
            }
            return 0;
        });

        Option<string?> listData = CommonOptions.Data();
        var list = new Command("list", "List accounts.") { listData };
        list.SetAction(async (result, cancellationToken) =>
        {
            using ConsoleCore ca = await CommonOptions.OpenExistingAsync(CommonOptions.Folder(result, listData), cancellationToken);
            DateTimeOffset now = ca.Get<TimeProvider>().GetUtcNow();
            foreach (UserView u in await ca.Get<UserAccounts>().ListAsync(Principal.Console, cancellationToken))
            {
                string state = u.Invited ? "invited" : u.Disabled ? "disabled" : u.LockedUntil > now ? "locked" : "active";
                Console.WriteLine($"{u.Username,-24} {state,-8} {u.Roles,-30} {u.DisplayName}");
            }
            return 0;
        });
        Option<string?> certifyData = CommonOptions.Data();
        var certifyUser = new Option<string>("--username") { Description = "The RA officer (linked to an employee with --employee).", Required = true, HelpName = "NAME" };
        var passphraseFile = new Option<string>("--passphrase-file") { Description = "A file holding the officer's passphrase for their key; read once, never stored.", Required = true, HelpName = "FILE" };
        var certify = new Command("certify",
            "Issue the first RA officers their own certificate, with a key Segel keeps sealed under their passphrase (Pasal 16(4)). Later officers apply like everyone else.")
            { certifyData, certifyUser, passphraseFile };
        certify.SetAction(async (result, cancellationToken) =>
        {
            string passphrase = Encoding.UTF8.GetString(CommonOptions.ReadFile(result.GetValue(passphraseFile)!, "passphrase", 4096)).TrimEnd('\r', '\n');
            using ConsoleCore ca = await CommonOptions.OpenExistingAsync(CommonOptions.Folder(result, certifyData), cancellationToken);
            CertificateView issued = await ca.Get<OfficerBootstrap>().CertifyAsync(result.GetValue(certifyUser)!, passphrase, Principal.Console, cancellationToken);
            Console.WriteLine($"Issued RA officer certificate {issued.Serial} to {issued.CommonName}, valid until {issued.NotAfter:yyyy-MM-dd}.");
            return 0;
        });
        Option<string?> inviteData = CommonOptions.Data();
        var nip = new Option<string>("--nip") { Description = "The employee's NIP; their account's username.", Required = true, HelpName = "NIP" };
        var invite = new Command("invite",
            "E-mail a holder a single-use link (valid 14 days) to choose the password of their portal account, made if missing. No password is ever e-mailed.")
            { inviteData, nip };
        invite.SetAction(async (result, cancellationToken) =>
        {
            using ConsoleCore ca = await CommonOptions.OpenExistingAsync(CommonOptions.Folder(result, inviteData), cancellationToken);
            PortalAccess access = await ca.Get<Invitations>().SendAsync(result.GetValue(nip), Principal.Console, null, cancellationToken);
            Console.WriteLine($"Invitation for {access.Username} queued to their official e-mail; the link works once, until {access.ExpiresAt:yyyy-MM-dd HH:mm} UTC.");
            return 0;
        });
        return new Command("users", "Accounts that sign in to Segel.") { add, list, certify, invite };
    }

    public static Command CreateTokens()
    {
        Option<string?> data = CommonOptions.Data();
        var name = new Option<string>("--name") { Description = "The application the token is for.", Required = true, HelpName = "APP" };
        var scope = new Option<string[]>("--scope") { Description = "A scope the token grants; repeat for several.", Required = true, HelpName = "SCOPE", AllowMultipleArgumentsPerToken = true };
        var days = new Option<int?>("--days") { Description = "Expire after this many days (default: never).", HelpName = "N" };
        var seal = new Option<long?>("--seal") { Description = "For the seal:sign scope: the institutional seal the token seals with.", HelpName = "ID" };
        var allow = new Option<string[]>("--allow")
        {
            Description = "For the seal:sign scope: a network (CIDR) or address the application seals from; repeat for several.", HelpName = "CIDR",
            AllowMultipleArgumentsPerToken = true,
        };
        var issue = new Command("issue", "Issue an API token for an integrating application. The token is printed once.") { data, name, scope, days, seal, allow };
        issue.SetAction(async (result, cancellationToken) =>
        {
            TimeSpan? lifetime = ApiTokens.LifetimeOf(result.GetValue(days)?.ToString(System.Globalization.CultureInfo.InvariantCulture));
            using ConsoleCore ca = await CommonOptions.OpenExistingAsync(CommonOptions.Folder(result, data), cancellationToken);
            SealBinding? binding = SealBinding.From(result.GetValue(seal), result.GetValue(allow));
            (ApiTokenView record, string token) = await ca.Get<ApiTokens>().IssueAsync(result.GetValue(name)!, result.GetValue(scope)!,
                lifetime, binding, Principal.Console, cancellationToken);
            Console.WriteLine($"Token {record.Id} for {record.Name} ({record.Scopes}){(record.ExpiresAt is { } e ? $", valid until {e:yyyy-MM-dd}" : "")}:");
            Console.WriteLine(token);
            return 0;
        });

        Option<string?> revokeData = CommonOptions.Data();
        var id = new Option<long>("--id") { Description = "The token's id (from `segel tokens list`).", Required = true, HelpName = "ID" };
        var revoke = new Command("revoke", "Revoke an API token at once.") { revokeData, id };
        revoke.SetAction(async (result, cancellationToken) =>
        {
            using ConsoleCore ca = await CommonOptions.OpenExistingAsync(CommonOptions.Folder(result, revokeData), cancellationToken);
            await ca.Get<ApiTokens>().RevokeAsync(result.GetValue(id), Principal.Console, cancellationToken);
            Console.WriteLine($"Revoked token {result.GetValue(id)}.");
            return 0;
        });

        Option<string?> listData = CommonOptions.Data();
        var list = new Command("list", "List API tokens (never the tokens themselves).") { listData };
        list.SetAction(async (result, cancellationToken) =>
        {
            using ConsoleCore ca = await CommonOptions.OpenExistingAsync(CommonOptions.Folder(result, listData), cancellationToken);
            foreach (ApiTokenView t in await ca.Get<ApiTokens>().ListAsync(Principal.Console, cancellationToken))
            {
                Console.WriteLine($"{t.Id,5} {t.State,-8} {t.Name,-20} {t.Scopes}{(t.SealId is long s ? $" seal {s} from {t.Networks}" : "")}");
            }
            return 0;
        });
        return new Command("tokens", "API tokens for integrating applications.") { issue, revoke, list };
    }
}

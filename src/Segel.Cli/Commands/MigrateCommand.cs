using System.CommandLine;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Storage;
using Segel.Server.Hosting;

namespace Segel.Cli.Commands;

/// <summary>
/// <c>segel migrate</c> (issue 25.5): the one way an existing database's schema changes, unless the operator set
/// Database:MigrateOnStart — the backup first, then the upgrade; a database from a newer release is refused.
/// </summary>
internal static class MigrateCommand
{
    public static Command Create()
    {
        Option<string?> data = CommonOptions.Data();
        var backup = new Option<string?>("--backup") { Description = "Where to write the backup taken before the upgrade (a new file; readable by you only).", HelpName = "FILE" };
        var check = new Option<bool>("--check") { Description = "Only say whether the schema needs upgrading (exit 0 when it does not, 7 when it does)." };
        var command = new Command("migrate", "Upgrade the database's schema to this release after taking a backup. Stop every node first.") { data, backup, check };
        command.SetAction(async (result, cancellationToken) =>
        {
            DataFolder folder = CommonOptions.Folder(result, data);
            CommonOptions.RequireConfigured(folder);
            using (ConsoleCore asIs = ConsoleCore.OpenAsIs(folder, TimeProvider.System))
            {
                DatabaseSchema schema = asIs.Get<DatabaseSchema>();
                SchemaState before = await schema.GetAsync(Principal.Console, cancellationToken);
                before.Require(upgrade: true); // a newer release's database: refused, one line
                if (before.IsEmpty)
                {
                    throw new SegelException(ErrorKind.NotReady, $"The database in {folder.Path} is empty: `segel init` creates it.");
                }
                if (before.Pending.Count == 0)
                {
                    Console.WriteLine($"The database schema is up to date ({before.Current}).");
                    return 0;
                }
                if (result.GetValue(check))
                {
                    before.Require(upgrade: false); // the refusal every other command gives: both schemas, and what to run
                }
                string output = result.GetValue(backup)
                    ?? throw new SegelException(ErrorKind.Invalid, $"Give --backup FILE: the schema is upgraded only after a backup of the database as it is now.", "--backup");
                await BackupCommand.WriteAsync(asIs, folder, output, null, cancellationToken);
                SchemaState after = await schema.MigrateAsync(Principal.Console, cancellationToken);
                Console.WriteLine($"Upgraded the database schema from {before.Current} to {after.Current} ({before.Pending.Count} step(s)).");
            }
            // Opened once the usual way: what a new release seals or fills in at start is done now, not by the first node.
            using ConsoleCore ready = await CommonOptions.OpenExistingAsync(folder, allowPendingRestore: true, cancellationToken);
            return 0;
        });
        return command;
    }
}

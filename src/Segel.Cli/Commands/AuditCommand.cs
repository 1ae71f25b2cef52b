using System.CommandLine;
using Microsoft.EntityFrameworkCore;
using Segel.Core;
using Segel.Core.Audit;
using Segel.Core.Errors;
using Segel.Core.Storage;

namespace Segel.Cli.Commands;

internal static class AuditCommand
{
    /// <summary>Exit code of <c>segel audit verify</c> when the record is not intact.</summary>
    public const int Broken = 8;

    public static Command Create()
    {
        Option<string?> data = CommonOptions.Data();
        var verify = new Command("verify", "Check that the audit record is complete and unaltered (Pasal 21). Exit 0 when intact; otherwise name the first bad entry.") { data };
        verify.SetAction(async (result, cancellationToken) =>
        {
            using SegelCa ca = await CommonOptions.OpenExistingAsync(CommonOptions.Folder(result, data), cancellationToken);
            AuditVerification outcome = await ca.AuditVerifier.VerifyAsync(cancellationToken);
            if (!outcome.Intact)
            {
                await Console.Error.WriteLineAsync($"segel: the audit record is broken at entry #{outcome.BrokenAt}: {outcome.Problem}");
                return Broken;
            }
            Console.WriteLine($"The audit record is intact: {outcome.Entries} entries.");
            return 0;
        });

        Option<string?> listData = CommonOptions.Data();
        var limit = new Option<int>("--limit") { Description = "The most recent N entries (default 50).", DefaultValueFactory = _ => 50, HelpName = "N" };
        var list = new Command("list", "Show the most recent audit entries.") { listData, limit };
        list.SetAction(async (result, cancellationToken) =>
        {
            int take = result.GetValue(limit);
            if (take is < 1 or > 10_000)
            {
                throw SegelException.Invalid("--limit", $"--limit must be between 1 and 10000.");
            }
            using SegelCa ca = await CommonOptions.OpenExistingAsync(CommonOptions.Folder(result, listData), cancellationToken);
            await using SegelDbContext db = ca.Database.CreateContext();
            List<AuditRecord> records = await db.AuditRecords.AsNoTracking().OrderByDescending(a => a.Sequence).Take(take).ToListAsync(cancellationToken);
            foreach (AuditRecord r in Enumerable.Reverse(records))
            {
                Console.WriteLine($"#{r.Sequence,-7} {r.At:yyyy-MM-dd HH:mm:ss} {r.Actor,-28} {r.Action,-24} {r.Subject}");
            }
            return 0;
        });
        Option<string?> checkpointData = CommonOptions.Data();
        var checkpoint = new Command("checkpoint", "Sign the audit record's newest entry with Segel's time-stamping key now (the server does it every 15 minutes).") { checkpointData };
        checkpoint.SetAction(async (result, cancellationToken) =>
        {
            using SegelCa ca = await CommonOptions.OpenExistingAsync(CommonOptions.Folder(result, checkpointData), cancellationToken);
            AuditCheckpointRecord? made = await ca.AuditCheckpoints.CreateAsync(cancellationToken);
            Console.WriteLine(made is null ? "Nothing new since the last checkpoint." : $"Checkpoint for entry #{made.Sequence} signed at {made.At:yyyy-MM-dd HH:mm:ss} UTC.");
            return 0;
        });
        return new Command("audit", "The tamper-evident audit record.") { verify, list, checkpoint };
    }
}

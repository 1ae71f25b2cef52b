using System.CommandLine;
using System.Text.Json;
using Segel.Core.Accounts;
using Segel.Core.Audit;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Storage;
using Segel.Core.Supervision;

namespace Segel.Cli.Commands;

internal static class AuditCommand
{
    /// <summary>Exit code of <c>segel audit verify</c> when the record is not intact.</summary>
    public const int Broken = 8;

    public static Command Create()
    {
        Option<string?> data = CommonOptions.Data();
        var against = new Option<string?>("--checkpoints")
        {
            Description = "Also check against checkpoints exported earlier (segel audit export); catches the record cut back together with its checkpoints.",
            HelpName = "FILE",
        };
        var verify = new Command("verify", "Check that the audit record is complete and unaltered (Pasal 21). Exit 0 when intact; otherwise name the first bad entry, or each certificate row that differs from the record.") { data, against };
        verify.SetAction(async (result, cancellationToken) =>
        {
            List<ExportedCheckpoint>? exported = result.GetValue(against) is { } file ? ReadExport(file) : null;
            using ConsoleCore ca = await CommonOptions.OpenExistingAsync(CommonOptions.Folder(result, data), cancellationToken);
            AuditVerification outcome = await ca.Get<AuditQueries>().VerifyAsync(Principal.Console, cancellationToken);
            if (outcome.BrokenAt is not null)
            {
                await Console.Error.WriteLineAsync($"segel: the audit record is broken at entry #{outcome.BrokenAt}: {outcome.Problem}");
                return Broken;
            }
            if (exported is not null && await ca.Get<AuditQueries>().CheckExportedAsync(exported, cancellationToken) is (long brokenAt, string problem))
            {
                await Console.Error.WriteLineAsync($"segel: the audit record is broken at entry #{brokenAt}: {problem}");
                return Broken;
            }
            // The chain first (a cut-back record explains rows it no longer mentions), then the tables against it.
            if (outcome.Differences.Count > 0)
            {
                await Console.Error.WriteLineAsync($"segel: the audit record holds, but {outcome.Differences.Count} row(s) differ from it (changed behind Segel's back):");
                foreach (string difference in outcome.Differences)
                {
                    await Console.Error.WriteLineAsync("  " + difference);
                }
                return Broken;
            }
            Console.WriteLine($"The audit record is intact: {outcome.Entries} entries.");
            return 0;
        });

        Option<string?> listData = CommonOptions.Data();
        var limit = new Option<int>("--limit") { Description = "The most recent N entries (default 50).", DefaultValueFactory = _ => 50, HelpName = "N" };
        var request = new Option<string?>("--request") { Description = "Only the entries one request wrote: the request id its log lines carry.", HelpName = "ID" };
        var list = new Command("list", "Show the most recent audit entries.") { listData, limit, request };
        list.SetAction(async (result, cancellationToken) =>
        {
            int take = result.GetValue(limit);
            if (take is < 1 or > 10_000)
            {
                throw new SegelException(ErrorKind.Invalid, $"--limit must be between 1 and 10000.", "--limit");
            }
            using ConsoleCore ca = await CommonOptions.OpenExistingAsync(CommonOptions.Folder(result, listData), cancellationToken);
            // Newest first, through the same query the API and the auditor's page use.
            IReadOnlyList<AuditEntryView> records = await Paging.FirstAsync(take, (offset, limit) =>
                ca.Get<AuditQueries>().ListAsync(new AuditQuery(Offset: offset, Limit: limit, RequestId: result.GetValue(request)), Principal.Console, cancellationToken));
            foreach (AuditEntryView r in Enumerable.Reverse(records))
            {
                string by = r.RequestId is null ? "" : $"  [{r.RequestId}]";
                Console.WriteLine($"#{r.Sequence,-7} {r.At:yyyy-MM-dd HH:mm:ss} {r.Actor,-28} {r.Action,-24} {r.Subject}{by}");
            }
            return 0;
        });
        Option<string?> checkpointData = CommonOptions.Data();
        var checkpoint = new Command("checkpoint", "Sign the audit record's newest entry with Segel's time-stamping key now (the server does it every 15 minutes).") { checkpointData };
        checkpoint.SetAction(async (result, cancellationToken) =>
        {
            using ConsoleCore ca = await CommonOptions.OpenExistingAsync(CommonOptions.Folder(result, checkpointData), cancellationToken);
            AuditCheckpointMade? made = await ca.Get<AuditCheckpoints>().CreateAsync(Principal.Console, cancellationToken);
            Console.WriteLine(made is null ? "Nothing new since the last checkpoint." : $"Checkpoint for entry #{made.Sequence} signed at {made.At:yyyy-MM-dd HH:mm:ss} UTC.");
            return 0;
        });
        Option<string?> exportData = CommonOptions.Data();
        var output = new Option<string>("--out") { Description = "Where to write the checkpoints (JSON), to keep outside Segel.", Required = true, HelpName = "FILE" };
        var export = new Command("export", "Export the signed checkpoints for auditors: each with the signed bytes, the signature and the signer's certificate.") { exportData, output };
        export.SetAction(async (result, cancellationToken) =>
        {
            using ConsoleCore ca = await CommonOptions.OpenExistingAsync(CommonOptions.Folder(result, exportData), cancellationToken);
            IReadOnlyList<ExportedCheckpoint> checkpoints = await ca.Get<AuditQueries>().ExportCheckpointsAsync(Segel.Core.Kernel.Principal.Console, cancellationToken);
            CommonOptions.WriteFile(result.GetValue(output)!, JsonSerializer.SerializeToUtf8Bytes(checkpoints, ExportJson));
            Console.WriteLine($"Exported {checkpoints.Count} checkpoint(s){(checkpoints.Count > 0 ? $", the last for entry #{checkpoints[^1].Sequence}" : "")}.");
            return 0;
        });
        return new Command("audit", "The tamper-evident audit record.") { verify, list, checkpoint, export };
    }

    private static readonly JsonSerializerOptions ExportJson = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    private static List<ExportedCheckpoint> ReadExport(string file)
    {
        byte[] bytes = CommonOptions.ReadFile(file, "checkpoints", 64 * 1024 * 1024);
        try
        {
            return JsonSerializer.Deserialize<List<ExportedCheckpoint>>(bytes, ExportJson) ?? [];
        }
        catch (JsonException e)
        {
            throw new SegelException(ErrorKind.Invalid, $"{file} is not an export of segel audit export: {e.Message}", "--checkpoints");
        }
    }
}

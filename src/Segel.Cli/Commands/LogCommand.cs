using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Supervision;
using Segel.Texts;

namespace Segel.Cli.Commands;

/// <summary><c>segel log</c>: the public transparency log, for operators (a head now) and auditors (verify, against a head they kept).</summary>
internal static class LogCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Create()
    {
        Option<string?> verifyData = CommonOptions.Data();
        var saved = new Option<string?>("--sth")
        {
            Description = "A signed tree head saved earlier (segel log head --out, or GET /log/sth): the log must still extend it (RFC 9162 consistency).",
            HelpName = "SAVED.json",
        };
        var verify = new Command("verify", "Rebuild the transparency log from its rows and check leaves, signed heads, a saved head and the certificates table against it. Exit 0 when intact, 8 otherwise.")
        {
            verifyData, saved,
        };
        verify.SetAction(async (result, cancellationToken) =>
        {
            SignedTreeHead? head = result.GetValue(saved) is { } file ? Read(file) : null;
            using ConsoleCore ca = await CommonOptions.OpenExistingAsync(CommonOptions.Folder(result, verifyData), cancellationToken);
            LogVerification outcome = await ca.Get<TransparencyLogVerifier>().VerifyAsync(Principal.Console, head, cancellationToken);
            if (!outcome.Intact)
            {
                await Console.Error.WriteLineAsync($"segel: the transparency log is not intact ({outcome.Problems.Count} problem(s)):");
                foreach (Localized problem in outcome.Problems)
                {
                    await Console.Error.WriteLineAsync("  " + problem);
                }
                return AuditCommand.Broken;
            }
            Console.WriteLine($"The transparency log is intact: {outcome.Entries} entries, {outcome.Heads} signed head(s){(head is null ? "" : $"; it extends the saved head of {head.TreeSize} entries")}.");
            return 0;
        });

        Option<string?> headData = CommonOptions.Data();
        var output = new Option<string?>("--out") { Description = "Also write the head here (JSON), to keep for a later segel log verify --sth.", HelpName = "FILE" };
        var current = new Command("head", "Sign a tree head now if the log grew (the server does it every five minutes) and print the newest.") { headData, output };
        current.SetAction(async (result, cancellationToken) =>
        {
            using ConsoleCore ca = await CommonOptions.OpenExistingAsync(CommonOptions.Folder(result, headData), cancellationToken);
            TransparencyLog log = ca.Get<TransparencyLog>();
            await log.SignHeadAsync(Principal.Console, cancellationToken);
            SignedTreeHead head = await log.RequireLatestHeadAsync(cancellationToken);
            byte[] json = JsonSerializer.SerializeToUtf8Bytes(head, Json);
            if (result.GetValue(output) is { } path)
            {
                CommonOptions.WriteFile(path, json);
            }
            Console.WriteLine(System.Text.Encoding.UTF8.GetString(json));
            return 0;
        });
        return new Command("log", "The public transparency log of issuances, revocations and signatures (RFC 9162).") { verify, current };
    }

    private static SignedTreeHead Read(string file)
    {
        byte[] bytes = CommonOptions.ReadFile(file, "tree head", 64 * 1024);
        try
        {
            return JsonSerializer.Deserialize<SignedTreeHead>(bytes, Json) ?? throw new JsonException("empty");
        }
        catch (JsonException e)
        {
            throw new SegelException(ErrorKind.Invalid, $"{file} is not a signed tree head (segel log head --out, or /log/sth): {e.Message}", "--sth");
        }
    }
}

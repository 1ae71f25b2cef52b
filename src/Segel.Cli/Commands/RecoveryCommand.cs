using System.CommandLine;
using Segel.Core.Custody;
using Segel.Core.Errors;
using Segel.Core.Kernel;

namespace Segel.Cli.Commands;

/// <summary>`segel recovery setup|show`: who can recover encryption keys, and how many of them it takes (issue 23.5).</summary>
internal static class RecoveryCommand
{
    public static Command Create()
    {
        Option<string?> setupData = CommonOptions.Data();
        var officers = new Option<string[]>("--officers")
        {
            Description = "The RA officers (usernames) who each hold a share; comma-separated or repeated. Each needs a valid certificate whose key Segel keeps.",
            Required = true,
            HelpName = "NAMES",
            AllowMultipleArgumentsPerToken = true,
        };
        var threshold = new Option<int>("--threshold") { Description = "How many of them must act together to recover a key (at least 2).", Required = true, HelpName = "N" };
        var setup = new Command("setup",
            "Make a recovery key and split its secret among RA officers: encryption keys escrowed to it can be recovered only when that many of them open their shares with their own keys.")
            { setupData, officers, threshold };
        setup.SetAction(async (result, cancellationToken) =>
        {
            string[] names = [.. result.GetValue(officers)!.SelectMany(o => o.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))];
            using ConsoleCore ca = await CommonOptions.OpenExistingAsync(CommonOptions.Folder(result, setupData), cancellationToken);
            RecoveryOverview made = await ca.Get<KeyRecoverySetup>().SetUpAsync(names, result.GetValue(threshold), Principal.Console, cancellationToken);
            Console.WriteLine($"Key recovery set up: {made.Threshold} of {made.Officers.Count} officers together can recover an escrowed key.");
            Print(made);
            return 0;
        });
        Option<string?> showData = CommonOptions.Data();
        var show = new Command("show", "Who holds the shares of the current recovery key, and how many it takes.") { showData };
        show.SetAction(async (result, cancellationToken) =>
        {
            using ConsoleCore ca = await CommonOptions.OpenExistingAsync(CommonOptions.Folder(result, showData), cancellationToken);
            RecoveryOverview current = await ca.Get<KeyRecoverySetup>().CurrentAsync(Principal.Console, cancellationToken)
                ?? throw new SegelException(ErrorKind.NotFound, $"Key recovery is not set up (segel recovery setup --officers … --threshold 2).");
            Console.WriteLine($"{current.Threshold} of {current.Officers.Count} officers, since {current.CreatedAt:yyyy-MM-dd HH:mm} UTC.");
            Print(current);
            return 0;
        });
        return new Command("recovery", "Recovery of escrowed encryption keys by several RA officers together.") { setup, show };
    }

    private static void Print(RecoveryOverview overview)
    {
        Console.WriteLine($"recovery key certificate SHA-256 {overview.CertificateSha256}");
        foreach (RecoveryOfficer officer in overview.Officers)
        {
            Console.WriteLine($"share {officer.Point,3}  {officer.Username}  {officer.Name}  certificate {officer.CertificateSerial}");
        }
    }
}

using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using OtpNet;
using Segel.Cli.Demo;
using Segel.Core.Errors;
using Segel.Server.Hosting;

namespace Segel.Cli.Commands;

/// <summary>
/// <c>segel demo</c>: a new data folder filled with a believable regency, and the sign-ins to look at it with.
/// <c>segel demo code</c> prints the current authenticator code of a demonstration account, so nobody needs an
/// authenticator app to look around; it only reads the secrets file a demonstration folder has.
/// </summary>
internal static class DemoCommand
{
    public const int MinimumEmployees = 110;
    private const string SecretsFile = "demo-sign-ins.json";

    public static Command Create()
    {
        Option<string?> data = CommonOptions.Data();
        var employees = new Option<int>("--employees") { Description = $"How many employees (at least {MinimumEmployees}; default 300).", DefaultValueFactory = _ => 300, HelpName = "N" };
        var baseUrl = new Option<string?>("--base-url") { Description = "The URL the demonstration will be served at (default http://127.0.0.1:8080).", HelpName = "URL" };
        var command = new Command("demo", "Create a new data folder with a demonstration regency: agencies, employees, accounts for every role, two years of applications, certificates (valid, expiring, expired, revoked) and signed letters.")
        {
            data, employees, baseUrl, CreateCode(data),
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            DataFolder folder = CommonOptions.Folder(result, data);
            int count = result.GetValue(employees);
            if (count < MinimumEmployees || count > 100_000)
            {
                throw new SegelException(ErrorKind.Invalid, $"--employees must be between {MinimumEmployees} and 100000.", "employees");
            }
            if (folder.HasConfig || (Directory.Exists(folder.Path) && Directory.EnumerateFileSystemEntries(folder.Path).Any()))
            {
                throw new SegelException(ErrorKind.Conflict, $"{folder.Path} is not empty; a demonstration needs a new folder (for example --data ./segel-demo).");
            }
            string url = result.GetValue(baseUrl) ?? "http://127.0.0.1:8080";
            var clock = new DemoClock { Behind = TimeSpan.FromDays(800) };
            Console.WriteLine($"Building a demonstration regency in {folder.Path} …");
            using (ConsoleCore ca = await ConsoleCore.OpenAsync(folder, new Dictionary<string, string?> { ["PublicBaseUrl"] = url, ["Demonstration"] = "true" }, clock,
                initializeIfMissing: true, cancellationToken))
            {
                var regency = new DemoRegency(ca, clock, Console.Out);
                await regency.BuildAsync(count, Path.Combine(folder.Path, "demo-letters"), cancellationToken);
                var secrets = regency.SignIns.Where(s => s.TotpSecret is not null).ToDictionary(s => s.Username, s => s.TotpSecret!);
                string secretsPath = Path.Combine(folder.Path, SecretsFile);
                await File.WriteAllTextAsync(secretsPath, JsonSerializer.Serialize(secrets), cancellationToken);
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(secretsPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                }
                Print(folder, url, regency);
            }
            return 0;
        });
        return command;
    }

    private static void Print(DataFolder folder, string url, DemoRegency regency)
    {
        Console.WriteLine();
        Console.WriteLine($"Start it:   segel serve --data {folder.Path} --urls {url}");
        Console.WriteLine($"Then open:  {url}/masuk");
        Console.WriteLine();
        Console.WriteLine($"Every account's password: {DemoRegency.Password}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"role",-16} {"username",-24} shows"));
        foreach (DemoSignIn s in regency.SignIns)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{s.Role,-16} {s.Username,-24} {s.Note}"));
        }
        Console.WriteLine();
        Console.WriteLine($"RA officers and administrators also need an authenticator code: segel demo code --data {folder.Path} --user rahmat");
        Console.WriteLine($"Passphrases: RA officers \"{DemoRegency.OfficerPassphrase}\", holders \"{DemoRegency.HolderPassphrase}\"");
        Console.WriteLine("Other agency heads: kepala.dinkes, kepala.disdik, … (one per agency)");
        Console.WriteLine();
        Console.WriteLine("Signed letters to verify at /verify (or follow the QR code's address):");
        foreach (string letter in regency.Letters)
        {
            Console.WriteLine($"  {letter}");
        }
    }

    private static Command CreateCode(Option<string?> data)
    {
        var user = new Option<string>("--user") { Description = "The demonstration account.", Required = true, HelpName = "NAME" };
        var command = new Command("code", "Print the current authenticator (TOTP) code of a demonstration account.") { data, user };
        command.SetAction(async (result, cancellationToken) =>
        {
            DataFolder folder = CommonOptions.Folder(result, data);
            string path = Path.Combine(folder.Path, SecretsFile);
            if (!File.Exists(path))
            {
                throw new SegelException(ErrorKind.NotFound, $"{folder.Path} is not a demonstration folder (no {SecretsFile}); real accounts use an authenticator app.");
            }
            var secrets = JsonSerializer.Deserialize<Dictionary<string, string>>(await File.ReadAllTextAsync(path, cancellationToken)) ?? [];
            string name = result.GetValue(user)!.Trim().ToLowerInvariant();
            if (!secrets.TryGetValue(name, out string? secret))
            {
                throw new SegelException(ErrorKind.NotFound, $"No demonstration account {name} with an authenticator; those with one: {string.Join(", ", secrets.Keys)}.");
            }
            Console.WriteLine(new Totp(Base32Encoding.ToBytes(secret)).ComputeTotp(DateTime.UtcNow));
            return 0;
        });
        return command;
    }
}

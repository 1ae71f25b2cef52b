using System.CommandLine;
using Segel.Core;
using Segel.Core.Ca;
using Segel.Core.Configuration;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Pki.Keys;
using Segel.Server.Hosting;

namespace Segel.Cli.Commands;

/// <summary><c>segel backup</c> and <c>segel restore</c>: see <see cref="BackupArchive"/> and <see cref="Restoration"/>.</summary>
internal static class BackupCommand
{
    public static Command CreateBackup()
    {
        Option<string?> data = CommonOptions.Data();
        var output = new Option<string>("--out") { Description = "The backup file to write (a new file; readable by you only).", Required = true, HelpName = "FILE" };
        var includeKey = new Option<string?>("--include-master-key") { Description = "Seal the master key into the backup under the passphrase in this file (else keep the key apart).", HelpName = "PASSPHRASE-FILE" };
        var command = new Command("backup", "Write a consistent backup of a CA while it runs: the database (SQLite online backup, or pg_dump), configuration without passwords, CPS; the master key only when asked, sealed.")
        {
            data, output, includeKey,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            DataFolder folder = CommonOptions.Folder(result, data);
            using ConsoleCore ca = await CommonOptions.OpenExistingAsync(folder, cancellationToken);
            string? passphrase = result.GetValue(includeKey) is { } file ? CommonOptions.ReadSecret(file) : null;
            BackupManifest manifest = await WriteAsync(ca, folder, result.GetValue(output)!, passphrase, cancellationToken);
            Console.WriteLine(manifest.MasterKeyIncluded
                ? "The master key is in it, sealed under your passphrase: keep the passphrase apart from the file."
                : $"The master key is NOT in it (fingerprint {manifest.MasterKeyId}): keep {DataFolder.MasterKeyFile} or SEGEL_MASTER_KEY safe and apart; without it the backup cannot be opened.");
            if (manifest.Removed.Count > 0)
            {
                Console.WriteLine($"Left out of the configuration (give them again at restore): {string.Join(", ", manifest.Removed)}.");
            }
            return 0;
        });
        return command;
    }

    /// <summary>Writes a backup of the open CA and says so (also <c>segel migrate</c>'s first step).</summary>
    public static async Task<BackupManifest> WriteAsync(ConsoleCore ca, DataFolder folder, string output, string? passphrase, CancellationToken cancellationToken)
    {
        SegelOptions options = SegelConfiguration.Load(folder);
        MasterKey key = folder.ResolveMasterKeyForBackup(options);
        BackupManifest manifest = await BackupArchive.CreateAsync(folder, options,
            new BackupSources(ca.Get<Authorities>(), ca.Get<CrlPublisher>(), ca.Get<DatabaseLocation>(), ca.Get<TimeProvider>()), key, output, passphrase, cancellationToken);
        Console.WriteLine($"Backup of {manifest.Organization} ({manifest.Provider}) written to {output} at {manifest.CreatedAt:yyyy-MM-dd HH:mm:ss} UTC; " +
            $"CRL numbers {string.Join(", ", manifest.CrlNumbers.Select(c => $"{c.Key} #{c.Value}"))}.");
        return manifest;
    }

    public static Command CreateRestore()
    {
        Option<string?> data = CommonOptions.Data();
        var input = new Option<string?>("--in") { Description = "The backup to restore into a new data folder (without it: only catch up a folder restored earlier).", HelpName = "FILE" };
        var keyFile = new Option<string?>("--master-key-file") { Description = "The master key that made the backup (else SEGEL_MASTER_KEY).", HelpName = "FILE" };
        var passphraseFile = new Option<string?>("--passphrase-file") { Description = "Opens the master key sealed in the backup.", HelpName = "FILE" };
        var database = new Option<string?>("--db") { Description = "For a PostgreSQL backup: the connection string of an empty database to restore into.", HelpName = "CONNECTION" };
        var crls = new Option<string[]>("--crl") { Description = "A CRL the CA published after the backup (DER or PEM); repeat for each issuer.", HelpName = "FILE", AllowMultipleArgumentsPerToken = true };
        var crlFrom = new Option<string?>("--crl-from") { Description = "The running CA's public URL: its current CRLs are fetched from URL/crl/SLUG.crl.", HelpName = "URL" };
        var accept = new Option<bool>("--accept-unknown-revocations") { Description = "Serve without knowing the revocations since the backup (CRL numbers jump far ahead). Only when no newer CRL exists anywhere." };
        var command = new Command("restore", "Restore a backup into a new data folder; it serves only once it has applied the CRLs published since the backup (or you accept not knowing them).")
        {
            data, input, keyFile, passphraseFile, database, crls, crlFrom, accept,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            DataFolder folder = CommonOptions.Folder(result, data);
            if (result.GetValue(input) is { } backup)
            {
                MasterKey? key = result.GetValue(keyFile) is { } file ? MasterKey.Parse(CommonOptions.ReadSecret(file) ?? "")
                    : Environment.GetEnvironmentVariable(DataFolder.MasterKeyVariable) is { Length: > 0 } fromEnv ? MasterKey.Parse(fromEnv) : null;
                string? passphrase = result.GetValue(passphraseFile) is { } p ? CommonOptions.ReadSecret(p) : null;
                BackupManifest manifest = await BackupArchive.RestoreAsync(backup, folder, passphrase, key, result.GetValue(database), cancellationToken);
                using ConsoleCore restored = await CommonOptions.OpenExistingAsync(folder, allowPendingRestore: true, cancellationToken, upgradeSchema: true);
                await restored.Get<Restoration>().MarkRestoredAsync(manifest.CreatedAt, Principal.Console, cancellationToken);
                Console.WriteLine($"Restored the backup of {manifest.CreatedAt:yyyy-MM-dd HH:mm:ss} UTC into {folder.Path}.");
                if (manifest.Removed.Count > 0)
                {
                    Console.WriteLine($"Set again (they were left out of the backup): {string.Join(", ", manifest.Removed.Where(r => r != "Database:ConnectionString"))}".TrimEnd(':', ' ') + ".");
                }
            }
            using ConsoleCore ca = await CommonOptions.OpenExistingAsync(folder, allowPendingRestore: true, cancellationToken);
            if (await ca.Get<Restoration>().PendingAsync(cancellationToken) is null)
            {
                throw new SegelException(ErrorKind.Conflict, $"The CA in {folder.Path} is not waiting after a restore; there is nothing to catch up.");
            }
            var given = new List<byte[]>();
            foreach (string file in result.GetValue(crls) ?? [])
            {
                given.Add(CommonOptions.ReadFile(file, "CRL", 64 * 1024 * 1024));
            }
            if (result.GetValue(crlFrom) is { Length: > 0 } url)
            {
                given.AddRange(await FetchCrlsAsync(ca, url, cancellationToken));
            }
            foreach (byte[] crl in given)
            {
                CrlApplication applied = await ca.Get<Restoration>().ApplyCrlAsync(crl, Principal.Console, cancellationToken);
                Console.WriteLine($"CRL #{applied.Number} of {applied.Issuer} ({applied.ThisUpdate:yyyy-MM-dd HH:mm} UTC): {applied.Listed} listed, {applied.Revoked} revoked again here, " +
                    $"{applied.Unknown} issued after the backup (answered revoked from the CRL, and kept on the next).");
            }
            bool acceptUnknown = result.GetValue(accept);
            if (given.Count == 0 && !acceptUnknown)
            {
                Console.WriteLine("Segel will not serve this CA until it has the CRLs published since the backup: run `segel restore --data DIR --crl-from URL` " +
                    "(or --crl FILE for each issuer), or --accept-unknown-revocations if none exists anywhere.");
                return 0;
            }
            IReadOnlyList<CrlView> published = await ca.Get<Restoration>().CompleteAsync(acceptUnknown, Principal.Console, cancellationToken);
            Console.WriteLine($"Caught up: new CRLs {string.Join(", ", published.Select(c => $"#{c.Number}"))} published; the CA may serve again.");
            return 0;
        });
        return command;
    }

    private static async Task<List<byte[]>> FetchCrlsAsync(ConsoleCore ca, string baseUrl, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(baseUrl.TrimEnd('/'), UriKind.Absolute, out Uri? root) || root.Scheme is not ("http" or "https"))
        {
            throw new SegelException(ErrorKind.Invalid, $"'{baseUrl}' is not an http(s) URL.", "crl-from");
        }
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30), MaxResponseContentBufferSize = 64 * 1024 * 1024 }; // as a --crl file
        var fetched = new List<byte[]>();
        foreach (LoadedAuthority issuer in await ca.Get<Authorities>().GetIssuersAsync(cancellationToken))
        {
            Uri url = new($"{root.AbsoluteUri.TrimEnd('/')}/crl/{issuer.Slug}.crl");
            try
            {
                using HttpResponseMessage response = await http.GetAsync(url, cancellationToken);
                if (!response.IsSuccessStatusCode)
                {
                    throw new SegelException(ErrorKind.NotReady, $"{url} answered {(int)response.StatusCode}.");
                }
                fetched.Add(await response.Content.ReadAsByteArrayAsync(cancellationToken));
            }
            catch (HttpRequestException e)
            {
                throw new SegelException(ErrorKind.NotReady, $"{url} cannot be fetched: {e.Message}");
            }
        }
        return fetched;
    }
}

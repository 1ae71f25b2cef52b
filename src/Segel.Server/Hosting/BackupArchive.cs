using System.Diagnostics;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Npgsql;
using Segel.Core;
using Segel.Core.Configuration;
using Segel.Core.Errors;
using Segel.Core.Storage;
using Segel.Pki.Keys;
using Segel.Texts;

namespace Segel.Server.Hosting;

/// <summary>What a backup holds, written first into it as <c>manifest.json</c>.</summary>
public sealed record BackupManifest(string Format, DateTimeOffset CreatedAt, string Provider, string Organization, string PublicBaseUrl, string MasterKeyId,
    bool MasterKeyIncluded, IReadOnlyDictionary<string, long> CrlNumbers, IReadOnlyList<string> Removed);

/// <summary>
/// A backup of a CA as one ZIP file, readable by its owner only: the database as a consistent snapshot taken while Segel
/// runs (SQLite's online backup API; PostgreSQL's <c>pg_dump</c>), the configuration without its passwords, the regency's
/// own CPS, and a manifest. The master key is never in it by accident: only when asked, and then sealed under a passphrase
/// (Argon2id, AES-256-GCM); otherwise restoring needs the key from where the operator keeps it. Everything the database holds
/// that is secret (holders' keys, NIKs, documents, mail) is sealed under that master key already.
/// </summary>
/// <summary>What a backup reads from the running core: the issuers' newest CRL numbers, where the database is, the clock.</summary>
public sealed record BackupSources(Core.Ca.Authorities Authorities, Core.Ca.CrlPublisher Crls, DatabaseLocation Database, TimeProvider Time);

public static class BackupArchive
{
    public const string Format = "segel-backup/1";
    private const string ManifestEntry = "manifest.json", ConfigEntry = "segel.json", SqliteEntry = "segel.db", PostgresEntry = "postgres.dump",
        CpsEntry = "cps.html", MasterKeyEntry = "master.key.sealed";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>A short fingerprint of the master key (not the key): tells at restore whether the key given is the one that made the backup.</summary>
    public static string KeyId(MasterKey key) => Convert.ToHexStringLower(ArgumentNullExceptionThrown(key).Derive("segel/backup-key-id/v1").AsSpan(0, 8));

    public static async Task<BackupManifest> CreateAsync(DataFolder folder, SegelOptions options, BackupSources ca, MasterKey masterKey, string output, string? passphrase,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(ca);
        if (File.Exists(output))
        {
            throw new SegelException(ErrorKind.Conflict, $"{output} exists already; give a new file name for the backup.", "out");
        }
        if (passphrase is not null && !masterKey.IsInMemory)
        {
            throw new SegelException(ErrorKind.Refused, $"The master key lives on the HSM and cannot be put in a backup; back up the token as its vendor says.");
        }
        if (passphrase is not null)
        {
            Core.Custody.HolderKeyVault.CheckPassphrase(passphrase);
        }
        Dictionary<string, long> crlNumbers = [];
        foreach (Core.Ca.LoadedAuthority issuer in await ca.Authorities.GetIssuersAsync(cancellationToken))
        {
            crlNumbers[issuer.Slug] = (await ca.Crls.GetLatestAsync(issuer.Id, cancellationToken))?.Number ?? 0;
        }
        (SegelOptions config, List<string> removed) = WithoutPasswords(options);
        var manifest = new BackupManifest(Format, ca.Time.GetUtcNow(), options.Database.Provider.ToLowerInvariant(), options.Ca.Organization, options.PublicBaseUrl,
            KeyId(masterKey), passphrase is not null, crlNumbers, removed);
        string partial = output + ".partial";
        string snapshot = output + ".db.partial";
        try
        {
            await using (FileStream file = new(partial, DataFolder.PrivateFile(FileMode.CreateNew)))
            using (var zip = new ZipArchive(file, ZipArchiveMode.Create))
            {
                await WriteAsync(zip, ManifestEntry, JsonSerializer.SerializeToUtf8Bytes(manifest, Json), cancellationToken);
                await WriteAsync(zip, ConfigEntry, JsonSerializer.SerializeToUtf8Bytes(config, Json), cancellationToken);
                if (ca.Database.Provider == DatabaseProvider.Sqlite)
                {
                    SnapshotSqlite(ca.Database.ConnectionString, snapshot);
                    await zip.CreateEntryFromFileAsync(snapshot, SqliteEntry, CompressionLevel.Optimal, cancellationToken);
                }
                else
                {
                    await DumpPostgresAsync(ca.Database.ConnectionString, snapshot, cancellationToken);
                    await zip.CreateEntryFromFileAsync(snapshot, PostgresEntry, CompressionLevel.NoCompression, cancellationToken);
                }
                string cps = Path.Combine(folder.Path, CpsEntry);
                if (File.Exists(cps))
                {
                    await zip.CreateEntryFromFileAsync(cps, CpsEntry, CompressionLevel.Optimal, cancellationToken);
                }
                if (passphrase is not null)
                {
                    await WriteAsync(zip, MasterKeyEntry, SealKey(masterKey, passphrase), cancellationToken);
                }
            }
            File.Move(partial, output);
            return manifest;
        }
        finally
        {
            File.Delete(partial);
            File.Delete(snapshot);
        }
    }

    /// <summary>The manifest of a backup file, checked to be one.</summary>
    public static BackupManifest ReadManifest(string input)
    {
        using ZipArchive zip = Open(input);
        return ManifestOf(zip);
    }

    /// <summary>
    /// Lays a backup out in a new data folder: configuration, database (into <paramref name="postgres"/> for a PostgreSQL
    /// backup: an empty database), CPS, and the master key — unsealed with <paramref name="passphrase"/> or taken from
    /// <paramref name="masterKey"/> (written to <c>master.key</c> unless it comes from the environment). Returns the manifest.
    /// </summary>
    public static async Task<BackupManifest> RestoreAsync(string input, DataFolder target, string? passphrase, MasterKey? masterKey, string? postgres,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (target.HasConfig)
        {
            throw new SegelException(ErrorKind.Conflict, $"{target.Path} holds a CA already; restore into a new folder.", "data");
        }
        using ZipArchive zip = Open(input);
        BackupManifest manifest = ManifestOf(zip);
        MasterKey key = passphrase is not null
            ? UnsealKey(await ReadAsync(zip, MasterKeyEntry, "This backup holds no master key; give the key with --master-key-file or SEGEL_MASTER_KEY.", cancellationToken), passphrase)
            : masterKey ?? throw new SegelException(ErrorKind.Invalid, $"Give the master key that made this backup: --master-key-file FILE, SEGEL_MASTER_KEY, or --passphrase-file when the backup holds it sealed.", "master-key");
        if (KeyId(key) != manifest.MasterKeyId)
        {
            throw SegelException.Refused(Localized.Of("Error.MasterKeyDidNotMake"));
        }
        SegelOptions config = JsonSerializer.Deserialize<SegelOptions>(await ReadAsync(zip, ConfigEntry, "The backup has no configuration.", cancellationToken), Json)
            ?? throw new SegelException(ErrorKind.Invalid, $"The backup's configuration is damaged.", "in");
        target.CreatePrivate();
        if (manifest.Provider == "sqlite")
        {
            if (postgres is not null)
            {
                throw new SegelException(ErrorKind.Invalid, $"This backup is of an SQLite CA; it restores into the data folder, not into PostgreSQL.", "db");
            }
            config.Database = new DatabaseOptions { Provider = "sqlite" };
            await ExtractAsync(zip, SqliteEntry, Path.Combine(target.Path, "segel.db"), cancellationToken);
        }
        else
        {
            config.Database = new DatabaseOptions
            {
                Provider = "postgres",
                ConnectionString = postgres ?? throw new SegelException(ErrorKind.Invalid, $"This backup is of a PostgreSQL CA: give an empty database to restore it into with --db CONNECTION.", "db"),
            };
            string dump = Path.Combine(target.Path, PostgresEntry);
            try
            {
                await ExtractAsync(zip, PostgresEntry, dump, cancellationToken);
                await RestorePostgresAsync(postgres, dump, cancellationToken);
            }
            finally
            {
                File.Delete(dump);
            }
        }
        if (zip.GetEntry(CpsEntry) is not null)
        {
            await ExtractAsync(zip, CpsEntry, Path.Combine(target.Path, CpsEntry), cancellationToken);
        }
        if (Environment.GetEnvironmentVariable(DataFolder.MasterKeyVariable) is not { Length: > 0 })
        {
            await using FileStream file = new(Path.Combine(target.Path, DataFolder.MasterKeyFile), DataFolder.PrivateFile(FileMode.CreateNew));
            await file.WriteAsync(Encoding.ASCII.GetBytes(key.ToBase64() + "\n"), cancellationToken);
        }
        target.WriteConfig(config);
        target.MakePrivate();
        return manifest;
    }

    private static T ArgumentNullExceptionThrown<T>(T value) where T : class
    {
        ArgumentNullException.ThrowIfNull(value);
        return value;
    }

    private static (SegelOptions Config, List<string> Removed) WithoutPasswords(SegelOptions options)
    {
        SegelOptions copy = JsonSerializer.Deserialize<SegelOptions>(JsonSerializer.Serialize(options, Json), Json)!;
        var removed = new List<string>();
        copy.MasterKey = null;
        if (!string.IsNullOrEmpty(copy.Smtp.Password))
        {
            copy.Smtp.Password = null;
            removed.Add("Smtp:Password");
        }
        if (!string.IsNullOrEmpty(copy.Directory.BindPassword))
        {
            copy.Directory.BindPassword = null;
            removed.Add("Directory:BindPassword");
        }
        if (!string.IsNullOrEmpty(copy.SignOn.ClientSecret))
        {
            copy.SignOn.ClientSecret = null; // the identity provider's client secret, like the SMTP password, is given again at restore
            removed.Add("SignOn:ClientSecret");
        }
        if (!string.IsNullOrEmpty(copy.Upstream.Secret))
        {
            copy.Upstream.Secret = null; // the upstream CA's shared secret authorises issuance there: given again at restore
            removed.Add("Upstream:Secret");
        }
        if (copy.Database.Provider.Equals("postgres", StringComparison.OrdinalIgnoreCase))
        {
            // The database is given anew at restore; its password never travels in the backup.
            copy.Database.ConnectionString = null;
            removed.Add("Database:ConnectionString");
        }
        return (copy, removed);
    }

    private static void SnapshotSqlite(string connectionString, string snapshot)
    {
        using var source = new SqliteConnection(connectionString);
        using var destination = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = snapshot, Pooling = false }.ConnectionString);
        source.Open();
        destination.Open();
        // SQLite's online backup: a consistent copy while other connections keep reading and writing.
        source.BackupDatabase(destination);
        using SqliteCommand journal = destination.CreateCommand();
        journal.CommandText = "PRAGMA journal_mode=DELETE;";
        journal.ExecuteNonQuery();
        destination.Close();
        SqliteConnection.ClearPool(destination);
    }

    private static async Task DumpPostgresAsync(string connectionString, string output, CancellationToken cancellationToken)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        await RunPostgresToolAsync("pg_dump", builder, ["--format=custom", "--no-owner", "--no-privileges", $"--file={output}", $"--dbname={builder.Database}"], cancellationToken);
    }

    private static async Task RestorePostgresAsync(string connectionString, string dump, CancellationToken cancellationToken)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'", connection);
            if (Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) > 0)
            {
                throw new SegelException(ErrorKind.Conflict, $"The database {builder.Database} is not empty; restore into a new, empty database.");
            }
        }
        await RunPostgresToolAsync("pg_restore", builder, ["--no-owner", "--no-privileges", "--exit-on-error", $"--dbname={builder.Database}", dump], cancellationToken);
    }

    private static async Task RunPostgresToolAsync(string tool, NpgsqlConnectionStringBuilder builder, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        string program = FindPostgresTool(tool);
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        // Connection details go in the environment, never on a command line other accounts can read.
        start.Environment["PGHOST"] = builder.Host ?? "localhost";
        start.Environment["PGPORT"] = builder.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["PGUSER"] = builder.Username ?? Environment.UserName;
        if (!string.IsNullOrEmpty(builder.Password))
        {
            start.Environment["PGPASSWORD"] = builder.Password;
        }
        using Process process = Process.Start(start) ?? throw new SegelException(ErrorKind.NotReady, $"{tool} could not be started.");
        Task<string> errors = process.StandardError.ReadToEndAsync(cancellationToken);
        _ = process.StandardOutput.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            string message = (await errors).Trim().Split('\n').FirstOrDefault() ?? "";
            throw new SegelException(ErrorKind.NotReady, $"{tool} failed: {message}");
        }
    }

    /// <summary>The newest pg_dump or pg_restore: on PATH, else under Debian's /usr/lib/postgresql/*/bin (a client at least as new as the server).</summary>
    private static string FindPostgresTool(string tool)
    {
        string? newest = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin", tool)).Where(File.Exists)
                .OrderByDescending(p => int.TryParse(Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(p))), out int v) ? v : 0).FirstOrDefault()
            : null;
        newest ??= (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Select(d => Path.Combine(d, tool)).FirstOrDefault(File.Exists);
        return newest ?? throw new SegelException(ErrorKind.NotReady,
            $"{tool} is needed to back up or restore a PostgreSQL CA; install PostgreSQL's client tools (Debian: apt-get install postgresql-client).");
    }

    private static byte[] SealKey(MasterKey key, string passphrase)
    {
        byte[] salt = RandomNumberGenerator.GetBytes(16);
        byte[] secret = Convert.FromBase64String(key.ToBase64());
        byte[] sealingKey = Core.Accounts.PasswordHasher.Compute(passphrase, salt, 65_536, 3, 1, 32);
        try
        {
            byte[] blob = new byte[16 + 12 + 16 + secret.Length];
            salt.CopyTo(blob, 0);
            RandomNumberGenerator.Fill(blob.AsSpan(16, 12));
            using var aes = new AesGcm(sealingKey, 16);
            aes.Encrypt(blob.AsSpan(16, 12), secret, blob.AsSpan(44), blob.AsSpan(28, 16), Encoding.ASCII.GetBytes(Format));
            return blob;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
            CryptographicOperations.ZeroMemory(sealingKey);
        }
    }

    private static MasterKey UnsealKey(byte[] blob, string passphrase)
    {
        if (blob.Length != 16 + 12 + 16 + MasterKey.Length)
        {
            throw new SegelException(ErrorKind.Invalid, $"The sealed master key in the backup is damaged.", "in");
        }
        byte[] sealingKey = Core.Accounts.PasswordHasher.Compute(passphrase, blob[..16], 65_536, 3, 1, 32);
        byte[] secret = new byte[MasterKey.Length];
        try
        {
            using var aes = new AesGcm(sealingKey, 16);
            aes.Decrypt(blob.AsSpan(16, 12), blob.AsSpan(44), blob.AsSpan(28, 16), secret, Encoding.ASCII.GetBytes(Format));
            return MasterKey.Parse(Convert.ToBase64String(secret));
        }
        catch (AuthenticationTagMismatchException)
        {
            throw new SegelException(ErrorKind.Invalid, Localized.Of("Error.PassphraseNotOpenMasterKey"), "passphrase");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
            CryptographicOperations.ZeroMemory(sealingKey);
        }
    }

    private static ZipArchive Open(string input)
    {
        try
        {
            return ZipFile.OpenRead(input);
        }
        catch (FileNotFoundException)
        {
            throw new SegelException(ErrorKind.NotFound, $"There is no file {input}.", "in");
        }
        catch (InvalidDataException)
        {
            throw new SegelException(ErrorKind.Invalid, $"{input} is not a Segel backup.", "in");
        }
    }

    private static BackupManifest ManifestOf(ZipArchive zip)
    {
        try
        {
            using Stream stream = zip.GetEntry(ManifestEntry)?.Open() ?? throw new SegelException(ErrorKind.Invalid, $"This is not a Segel backup: it has no manifest.", "in");
            BackupManifest manifest = JsonSerializer.Deserialize<BackupManifest>(stream, Json) ?? throw new SegelException(ErrorKind.Invalid, $"The backup's manifest is damaged.", "in");
            return manifest.Format == Format ? manifest : throw new SegelException(ErrorKind.Invalid, $"The backup is in format {manifest.Format}, which this Segel does not read.", "in");
        }
        catch (JsonException)
        {
            throw new SegelException(ErrorKind.Invalid, $"The backup's manifest is damaged.", "in");
        }
    }

    private static async Task WriteAsync(ZipArchive zip, string name, byte[] content, CancellationToken cancellationToken)
    {
        await using Stream stream = await zip.CreateEntry(name, CompressionLevel.Optimal).OpenAsync(cancellationToken);
        await stream.WriteAsync(content, cancellationToken);
    }

    private static async Task<byte[]> ReadAsync(ZipArchive zip, string name, string missing, CancellationToken cancellationToken)
    {
        ZipArchiveEntry entry = zip.GetEntry(name) ?? throw new SegelException(ErrorKind.Invalid, $"{missing}", "in");
        await using Stream stream = await entry.OpenAsync(cancellationToken);
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }

    private static async Task ExtractAsync(ZipArchive zip, string name, string path, CancellationToken cancellationToken)
    {
        ZipArchiveEntry entry = zip.GetEntry(name) ?? throw new SegelException(ErrorKind.Invalid, $"The backup lacks {name}.", "in");
        await using Stream source = await entry.OpenAsync(cancellationToken);
        await using FileStream target = new(path, DataFolder.PrivateFile(FileMode.CreateNew));
        await source.CopyToAsync(target, cancellationToken);
    }
}

using System.Security.Cryptography;
using System.Text.Json;
using Segel.Core.Configuration;
using Segel.Core.Errors;
using Segel.Pki.Keys;

namespace Segel.Server.Hosting;

/// <summary>
/// The data folder: <c>segel.json</c> (configuration), <c>segel.db</c> (embedded database), and — unless
/// they come from the environment — <c>master.key</c> and <c>admin.token</c>, readable by the owner only.
/// </summary>
public sealed class DataFolder
{
    public const string MasterKeyFile = "master.key";
    public const string AdminTokenFile = "admin.token";
    public const string MasterKeyVariable = "SEGEL_MASTER_KEY";
    public const string AdminTokenVariable = "SEGEL_ADMIN_TOKEN";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    public DataFolder(string path) => Path = System.IO.Path.GetFullPath(path);

    public string Path { get; }

    /// <summary><c>SEGEL_DATA</c>, else <c>./segel-data</c>.</summary>
    public static DataFolder Default() =>
        new(Environment.GetEnvironmentVariable("SEGEL_DATA") is { Length: > 0 } env ? env : "segel-data");

    public string ConfigFile => System.IO.Path.Combine(Path, SegelOptions.FileName);

    public bool HasConfig => File.Exists(ConfigFile);

    /// <summary>Writes the configuration a new CA was made with (readable by the owner only: it may hold a database password); refuses to replace an existing one.</summary>
    public void WriteConfig(SegelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        CreatePrivate();
        var copy = JsonSerializer.Deserialize<SegelOptions>(JsonSerializer.Serialize(options))!;
        copy.MasterKey = null; // the key never goes into a file that is copied around with the configuration
        using FileStream file = new(ConfigFile, PrivateFile(FileMode.CreateNew));
        JsonSerializer.Serialize(file, copy, Indented);
    }

    private const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Creates the folder readable by its owner only (0700); an existing folder is left as it is.</summary>
    public void CreatePrivate()
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(Path);
        }
        else if (!Directory.Exists(Path))
        {
            Directory.CreateDirectory(Path, OwnerOnlyFolder);
        }
    }

    /// <summary>
    /// Makes the folder 0700 and every file in it 0600: done when Segel has just made the CA here, so that the database,
    /// its WAL (SQLite gives it the database file's mode) and the configuration are never readable by others.
    /// </summary>
    public void MakePrivate()
    {
        if (OperatingSystem.IsWindows() || !Directory.Exists(Path))
        {
            return;
        }
        File.SetUnixFileMode(Path, OwnerOnlyFolder);
        foreach (string file in Directory.EnumerateFiles(Path))
        {
            File.SetUnixFileMode(file, OwnerOnlyFile);
        }
    }

    /// <summary>The folder and files others may read or write (the folder looser than 0700, a file than 0600), as warnings to show at start.</summary>
    public IReadOnlyList<string> LooserThanPrivate()
    {
        if (OperatingSystem.IsWindows() || !Directory.Exists(Path))
        {
            return [];
        }
        const UnixFileMode others = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
            | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
        var warnings = new List<string>();
        foreach (string path in Directory.EnumerateFiles(Path).Prepend(Path))
        {
            UnixFileMode mode = File.GetUnixFileMode(path);
            if ((mode & others) != 0)
            {
                string wanted = path == Path ? "0700" : "0600";
                warnings.Add($"{path} is readable or writable by other accounts (mode {Convert.ToString((int)mode, 8)}); make it {wanted}: chmod {wanted} '{path}'");
            }
        }
        return warnings;
    }

    /// <summary>Options for a new file only its owner may read (0600), created with that mode rather than narrowed after.</summary>
    internal static FileStreamOptions PrivateFile(FileMode mode)
    {
        var options = new FileStreamOptions { Mode = mode, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnlyFile;
        }
        return options;
    }

    /// <summary>The master key from the environment, configuration, or <c>master.key</c>; created there when <paramref name="create"/>.</summary>
    public MasterKey ResolveMasterKey(SegelOptions options, bool create)
    {
        ArgumentNullException.ThrowIfNull(options);
        try
        {
            if (Environment.GetEnvironmentVariable(MasterKeyVariable) is { Length: > 0 } fromEnv)
            {
                return MasterKey.Parse(fromEnv);
            }
            if (!string.IsNullOrWhiteSpace(options.MasterKey))
            {
                return MasterKey.Parse(options.MasterKey);
            }
            string file = System.IO.Path.Combine(Path, MasterKeyFile);
            if (File.Exists(file))
            {
                return MasterKey.Parse(File.ReadAllText(file));
            }
            if (!create)
            {
                throw new SegelException(ErrorKind.NotReady,
                    $"No master key: set {MasterKeyVariable} or put it in {file}. Without the key that sealed them, the CA keys cannot be opened.");
            }
            MasterKey key = MasterKey.Generate();
            WriteSecret(file, key.ToBase64());
            return key;
        }
        catch (KeyStoreException e)
        {
            throw new SegelException(ErrorKind.Invalid, $"{e.Message}", "MasterKey");
        }
    }

    /// <summary>
    /// The master key of an existing CA, for a backup: where it is kept now — environment, file, or the HSM — never created
    /// here. The key store stays open for the rest of the (short) command, as the key on an HSM is used through it.
    /// </summary>
    public MasterKey ResolveMasterKeyForBackup(SegelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Ca.Pkcs11MasterKey
            ? KeyStores.Open(options.Ca, () => ResolveMasterKey(options, create: false), create: false).MasterKey
            : ResolveMasterKey(options, create: false);
    }

    /// <summary>The token that guards the certificate-management API; generated on first use unless set in the environment.</summary>
    public string ResolveAdminToken()
    {
        if (Environment.GetEnvironmentVariable(AdminTokenVariable) is { Length: > 0 } fromEnv)
        {
            return fromEnv.Trim();
        }
        string file = System.IO.Path.Combine(Path, AdminTokenFile);
        if (File.Exists(file))
        {
            return File.ReadAllText(file).Trim();
        }
        string token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        WriteSecret(file, token);
        return token;
    }

    private void WriteSecret(string file, string content)
    {
        CreatePrivate();
        using var stream = new FileStream(file, PrivateFile(FileMode.CreateNew));
        using var writer = new StreamWriter(stream);
        writer.WriteLine(content);
    }
}

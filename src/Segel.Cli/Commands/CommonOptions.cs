using System.CommandLine;
using Segel.Core.Ca;
using Segel.Core.Errors;
using Segel.Pdf.Commands;
using Segel.Server.Hosting;

namespace Segel.Cli.Commands;

/// <summary>Options and helpers every command shares.</summary>
internal static class CommonOptions
{
    /// <summary>
    /// What a verifying command checks against: with a data folder (<paramref name="local"/>) its own revocation data
    /// (an outside CA's fetched unless <paramref name="offline"/>) and its roots and trust anchors added to
    /// <paramref name="anchors"/>; without one, the URLs in the certificates unless offline.
    /// </summary>
    public static async Task<Segel.Pki.Validation.RevocationEvidence> VerificationEvidenceAsync(ConsoleCore? local, bool offline,
        List<System.Security.Cryptography.X509Certificates.X509Certificate2> anchors, CancellationToken cancellationToken)
    {
        var evidence = new Segel.Pki.Validation.RevocationEvidence { Online = await LocalRevocation.ForVerificationAsync(local?.Get<LocalRevocation>(), offline, cancellationToken) };
        if (local is not null)
        {
            anchors.AddRange(await local.Get<TrustAnchors>().AllAsync(cancellationToken));
        }
        return evidence;
    }

    public static Option<string?> Data() => new("--data")
    {
        Description = "The data folder (default: $SEGEL_DATA, else ./segel-data).",
        HelpName = "DIR",
    };

    public static DataFolder Folder(ParseResult result, Option<string?> data) =>
        result.GetValue(data) is { Length: > 0 } path ? new DataFolder(path) : DataFolder.Default();

    /// <summary>Opens an existing CA; a folder without one is a user error, not a reason to make one.</summary>
    public static Task<ConsoleCore> OpenExistingAsync(DataFolder folder, CancellationToken cancellationToken) => OpenExistingAsync(folder, false, cancellationToken);

    /// <summary>
    /// Opens an existing CA; one restored and still catching up only for <c>segel restore</c> (<paramref name="allowPendingRestore"/>),
    /// which also upgrades the schema of an older backup (<paramref name="upgradeSchema"/>): the backup file is the backup.
    /// </summary>
    public static async Task<ConsoleCore> OpenExistingAsync(DataFolder folder, bool allowPendingRestore, CancellationToken cancellationToken, bool upgradeSchema = false)
    {
        RequireConfigured(folder);
        ConsoleCore ca = await ConsoleCore.OpenAsync(folder, upgradeSchema ? new Dictionary<string, string?> { ["Database:MigrateOnStart"] = "true" } : null,
            TimeProvider.System, initializeIfMissing: false, cancellationToken);
        if (!await ca.Get<Authorities>().IsInitializedAsync(cancellationToken))
        {
            ca.Dispose();
            throw new SegelException(ErrorKind.NotReady, $"The database configured in {folder.ConfigFile} holds no CA. Run `segel init` first.");
        }
        if (!allowPendingRestore)
        {
            try
            {
                await ca.Get<Restoration>().ThrowIfPendingAsync(cancellationToken);
            }
            catch
            {
                ca.Dispose();
                throw;
            }
        }
        return ca;
    }

    /// <summary>A folder without configuration (and no database given by the environment) holds no CA: a user error, one line.</summary>
    public static void RequireConfigured(DataFolder folder)
    {
        if (!folder.HasConfig && Environment.GetEnvironmentVariable("SEGEL_Database__ConnectionString") is null)
        {
            throw new SegelException(ErrorKind.NotReady, $"There is no Segel CA in {folder.Path}. Run `segel init --data {folder.Path}` first.");
        }
    }

    /// <summary>A password kept in a file (never on the command line, where other users can see it), without its line end.</summary>
    public static string? ReadSecret(string? file) => CommandFiles.ReadSecret(file);

    public static void WriteFile(string path, byte[] content)
    {
        RequireFolder(path);
        File.WriteAllBytes(path, content);
    }

    /// <summary>A file holding a private key: made new (never over an existing one, even one appearing meanwhile) and readable by its owner only.</summary>
    public static void WritePrivateKeyFile(string path, byte[] content)
    {
        RequireFolder(path);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        try
        {
            using var file = new FileStream(path, options);
            file.Write(content);
        }
        catch (IOException) when (File.Exists(path))
        {
            throw new SegelException(ErrorKind.Conflict, $"{path} exists already; Segel does not overwrite a file that holds a private key.");
        }
    }

    private static void RequireFolder(string path)
    {
        string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null && !Directory.Exists(directory))
        {
            throw new SegelException(ErrorKind.Invalid, $"The folder {directory} does not exist.", path);
        }
    }

    public static byte[] ReadFile(string path, string what, int limit) => CommandFiles.Read(path, what, limit);

    /// <summary>A file named on the command line, opened to be read as a stream (a large document is never read whole).</summary>
    public static FileStream OpenInput(string path, string what)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new SegelException(ErrorKind.Invalid, $"The {what} file {path} does not exist.", path);
        }
        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920);
    }

    /// <summary>
    /// Writes <paramref name="path"/> through <paramref name="write"/> into a new file beside it, moved into place only when
    /// the whole was written: a failure half-way (a wrong key, a damaged document) leaves no half file. With
    /// <paramref name="ownerOnly"/> the file is readable by its owner alone (an opened document).
    /// </summary>
    public static void WriteStreamed(string path, Action<Stream> write, bool ownerOnly)
    {
        ArgumentNullException.ThrowIfNull(write);
        RequireFolder(path);
        string partial = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.part");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, BufferSize = 81920 };
        if (ownerOnly && !OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        try
        {
            using (var file = new FileStream(partial, options))
            {
                write(file);
            }
            File.Move(partial, path, overwrite: true);
        }
        finally
        {
            File.Delete(partial); // gone already when moved
        }
    }
}

namespace Segel.Pdf.Commands;

/// <summary>Files named on the command line, read with a size limit and one plain error for each way they can be missing.</summary>
public static class CommandFiles
{
    public static byte[] Read(string path, string what, int limit)
    {
        ArgumentNullException.ThrowIfNull(path);
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw CommandException.Invalid($"The {what} file {path} does not exist.");
        }
        if (info.Length > limit)
        {
            throw CommandException.Invalid($"The {what} file {path} is larger than {limit / 1024} KiB.");
        }
        return File.ReadAllBytes(path);
    }

    /// <summary>A password kept in a file (never on the command line, where other users can see it), without its line end.</summary>
    public static string? ReadSecret(string? file) =>
        file is null ? null : System.Text.Encoding.UTF8.GetString(Read(file, "password", 4096)).TrimEnd('\r', '\n');
}

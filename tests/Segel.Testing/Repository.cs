namespace Segel.Testing;

/// <summary>One line of a shipped source: its file relative to src/ ('/'-separated), its number from 1, its text.</summary>
public sealed record SourceLine(string File, int Number, string Text)
{
    public override string ToString() => $"{File}:{Number}: {Text.Trim()}";
}

/// <summary>The checkout the tests were built from (for tests that read the sources themselves).</summary>
public static class Repository
{
    public static string Root
    {
        get
        {
            DirectoryInfo? root = new(AppContext.BaseDirectory);
            while (root is not null && !File.Exists(Path.Combine(root.FullName, "Segel.slnx")))
            {
                root = root.Parent;
            }
            return root?.FullName ?? throw new DirectoryNotFoundException("Segel.slnx is not above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>Every C# source of the shipped projects (src/), migrations and build output left out.</summary>
    public static IEnumerable<string> Sources(string? project = null) =>
        Directory.EnumerateFiles(Path.Combine(Root, "src", project ?? ""), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}Migrations{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    /// <summary>Every line of <paramref name="files"/>, for tests that look for what must not be written.</summary>
    public static IEnumerable<SourceLine> Lines(IEnumerable<string> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        string src = Path.Combine(Root, "src");
        foreach (string file in files)
        {
            string relative = Path.GetRelativePath(src, file).Replace('\\', '/');
            string[] lines = File.ReadAllLines(file);
            for (int i = 0; i < lines.Length; i++)
            {
                yield return new SourceLine(relative, i + 1, lines[i]);
            }
        }
    }
}

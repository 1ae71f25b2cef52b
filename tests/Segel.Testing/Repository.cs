namespace Segel.Testing;

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
}

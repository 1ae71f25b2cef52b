using Segel.Testing;

namespace Segel.EndToEnd.Tests;

/// <summary>
/// One run of <c>scripts/release.sh</c> for the tests that take its artefacts (<see cref="ReleaseTests"/>,
/// <see cref="ContainerTests"/>): a self-contained publish takes minutes, so it is made once, and the tarball unpacked.
/// </summary>
public sealed class ReleaseBuild : IDisposable
{
    public const string Collection = "release";
    private readonly TempDirectory _dir = new();

    public ReleaseBuild()
    {
        string output = _dir.File("release");
        Built = Tool.Run("bash", [Path.Combine(Segel.RepositoryRoot, "scripts", "release.sh"), output], Segel.RepositoryRoot,
            timeout: TimeSpan.FromMinutes(15));
        if (Built.ExitCode != 0)
        {
            return;
        }
        string[] made = Built.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Tarball = made.SingleOrDefault(f => f.EndsWith("-linux-x64.tar.gz", StringComparison.Ordinal)) ?? "";
        Package = made.SingleOrDefault(f => f.EndsWith("_amd64.deb", StringComparison.Ordinal)) ?? "";
        Version = Path.GetFileName(Package).Split('_')[1];
        string unpacked = _dir.File("unpacked");
        Directory.CreateDirectory(unpacked);
        Tool.Run("tar", "-xzf", Tarball, "-C", unpacked);
        Unpacked = Path.Combine(unpacked, $"segel-{Version}-linux-x64");
    }

    /// <summary>What release.sh did; the tests assert it succeeded before they use anything below.</summary>
    public Tool.Result Built { get; }

    public string Tarball { get; } = "";

    public string Package { get; } = "";

    public string Version { get; } = "";

    /// <summary>The tarball's one folder, unpacked (for tests that must not change it, a copy is theirs to make).</summary>
    public string Unpacked { get; } = "";

    public void Dispose() => _dir.Dispose();
}

[CollectionDefinition(ReleaseBuild.Collection)]
public sealed class ReleaseBuildShared : ICollectionFixture<ReleaseBuild>;

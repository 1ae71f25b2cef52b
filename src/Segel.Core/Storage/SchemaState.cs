using Segel.Core.Errors;
using Segel.Texts;

namespace Segel.Core.Storage;

/// <summary>The database's schema against this release's: the migrations applied, and the ones this release knows.</summary>
public sealed record SchemaState(IReadOnlyList<string> Applied, IReadOnlyList<string> Known)
{
    /// <summary>What this release would add.</summary>
    public IReadOnlyList<string> Pending => [.. Known.Except(Applied, StringComparer.Ordinal)];

    /// <summary>What a newer release added, which this one does not know: running it would be a downgrade.</summary>
    public IReadOnlyList<string> Newer => [.. Applied.Except(Known, StringComparer.Ordinal)];

    public string Current => Applied.Count == 0 ? "(empty)" : Applied[^1];

    public string Release => Known.Count == 0 ? "(none)" : Known[^1];

    public bool IsEmpty => Applied.Count == 0;

    /// <summary>Refuses a downgrade always, and an upgrade unless <paramref name="upgrade"/>; a new database is simply created.</summary>
    public void Require(bool upgrade)
    {
        if (Newer.Count > 0)
        {
            throw new SegelException(ErrorKind.NotReady,
                Localized.Of("Error.DatabaseUpgradedNewerSegelSchema", Current, Release));
        }
        if (!IsEmpty && Pending.Count > 0 && !upgrade)
        {
            throw new SegelException(ErrorKind.NotReady,
                Localized.Of("Error.DatabaseSchemaReleaseNeedsRun", Current, Release));
        }
    }
}

using Segel.Testing;

namespace Segel.Core.Tests.Architecture;

/// <summary>
/// Adapters (the server's endpoints and pages, the CLI's commands) reach Segel's data only through the core's
/// feature services, which check the caller: none opens the database itself. Until the DbContext is internal
/// (issue 16, step 2) this reads the sources; what is still allowed is listed, each with why.
/// </summary>
public sealed class AdapterBoundaryTests
{
    private static readonly Dictionary<string, string> Allowed = new(StringComparer.Ordinal)
    {
        // Seeds a demonstration regency with thousands of rows in bulk; to become a core service of its own.
        ["Segel.Cli/Demo/DemoRegency.cs"] = "demonstration data",
    };

    [Fact]
    public void No_endpoint_page_or_command_opens_the_database()
    {
        SourceLine[] offenders = [.. Repository.Lines(Repository.Sources("Segel.Server").Concat(Repository.Sources("Segel.Cli")))
            .Where(l => !Allowed.ContainsKey(l.File)
                && (l.Text.Contains("CreateContext(", StringComparison.Ordinal) || l.Text.Contains("SegelDbContext", StringComparison.Ordinal)))];
        Assert.True(offenders.Length == 0, "Adapters opening the database:\n" + string.Join("\n", offenders.Select(l => l.ToString())));
    }
}

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
        var offenders = new List<string>();
        foreach (string file in Repository.Sources("Segel.Server").Concat(Repository.Sources("Segel.Cli")))
        {
            string relative = Path.GetRelativePath(Path.Combine(Repository.Root, "src"), file).Replace('\\', '/');
            if (Allowed.ContainsKey(relative))
            {
                continue;
            }
            string[] lines = File.ReadAllLines(file);
            for (int i = 0; i < lines.Length; i++)
            {
                if (lines[i].Contains("CreateContext(", StringComparison.Ordinal) || lines[i].Contains("SegelDbContext", StringComparison.Ordinal))
                {
                    offenders.Add($"{relative}:{i + 1}: {lines[i].Trim()}");
                }
            }
        }
        Assert.True(offenders.Count == 0, "Adapters opening the database:\n" + string.Join("\n", offenders));
    }
}

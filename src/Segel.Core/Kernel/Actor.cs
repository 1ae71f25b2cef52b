namespace Segel.Core.Kernel;

/// <summary>Who asked for a change; recorded in the audit trail with the change itself.</summary>
public sealed record Actor(string Name, string? Origin = null)
{
    public static Actor System { get; } = new("system", "segel");

    /// <summary>Someone at the server's console, as the operating-system user running the CLI.</summary>
    public static Actor Console() => new($"cli:{Environment.UserName}@{Environment.MachineName}", "cli");
}

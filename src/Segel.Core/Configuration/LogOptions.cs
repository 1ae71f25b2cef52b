namespace Segel.Core.Configuration;

/// <summary>How the server writes its log to standard output (issue 25.4); journald or the container runtime keeps and rotates it.</summary>
public sealed class LogOptions
{
    public const string Text = "text";
    public const string Json = "json";

    /// <summary><c>text</c>: one line per entry, for a terminal. <c>json</c>: one JSON object per line, for journald and log shippers.</summary>
    public string Format { get; set; } = Text;

    /// <summary>The least level written: Trace, Debug, Information, Warning, Error, Critical or None.</summary>
    public string Level { get; set; } = "Information";

    /// <summary>
    /// Levels per category (a prefix such as <c>Segel.Server.Requests</c> or <c>Microsoft.AspNetCore</c>), over
    /// <see cref="Level"/>; ASP.NET Core's and EF Core's own categories start at Warning unless named here.
    /// </summary>
    public Dictionary<string, string>? Categories { get; set; }
}

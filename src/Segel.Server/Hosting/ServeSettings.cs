namespace Segel.Server.Hosting;

/// <summary>How <c>segel serve</c> was asked to run.</summary>
public sealed record ServeSettings(DataFolder Folder, string Urls)
{
    /// <summary>Create the CA when the database has none (first start).</summary>
    public bool InitializeIfMissing { get; init; } = true;

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Configuration keys set on the command line; they win over segel.json and the environment.</summary>
    public IDictionary<string, string?> Overrides { get; init; } = new Dictionary<string, string?>();

    /// <summary>Extra logging set-up after Segel's own (tests capture every log line to prove no key material reaches it).</summary>
    public Action<Microsoft.Extensions.Logging.ILoggingBuilder>? Logging { get; init; }
}

namespace Segel.Core.Configuration;

/// <summary>
/// The LDAP directory holders' certificates are published to, where mail clients (Thunderbird, Outlook) look up a
/// recipient's certificate before encrypting (issue 23.4). Unset <see cref="Url"/>: nothing is published; the portal's
/// and the API's directory search still answer from Segel's own records.
/// </summary>
public sealed class DirectoryOptions
{
    /// <summary><c>ldap://host[:port]</c> or <c>ldaps://host[:port]</c>.</summary>
    public string? Url { get; set; }

    /// <summary>
    /// The branch Segel owns, e.g. <c>ou=certificates,dc=tanahbumbukab,dc=go,dc=id</c>: it adds, changes and deletes
    /// <c>uid=segel-N</c> entries there and touches nothing else. Give Segel a branch of its own.
    /// </summary>
    public string? BaseDn { get; set; }

    /// <summary>The DN Segel binds as, allowed to write <see cref="BaseDn"/>; empty binds anonymously.</summary>
    public string? BindDn { get; set; }

    public string? BindPassword { get; set; }

    /// <summary>StartTLS on an <c>ldap://</c> connection before binding (a password never crosses the network in clear).</summary>
    public bool StartTls { get; set; }

    /// <summary>How often each node looks for changes other nodes made (seconds); a change made here is published at once.</summary>
    public int PollSeconds { get; set; } = 5;

    /// <summary>How often the whole branch is compared with Segel's records, which also withdraws certificates that expired (minutes).</summary>
    public int ReconcileMinutes { get; set; } = 60;

    public bool Configured => !string.IsNullOrWhiteSpace(Url);
}

namespace Segel.Server.Portal;

/// <summary>Where the portal may send a browser back to: only a path on this site, never another host.</summary>
public static class PortalLinks
{
    /// <summary>
    /// A path on this site: one leading '/', not followed by '/' or '\' (another host), and no control or space character
    /// anywhere — browsers drop a tab or newline, so "/\t/evil.example" would become "//evil.example", and a header cannot carry one.
    /// </summary>
    public static bool IsLocal(string? back) =>
        !string.IsNullOrEmpty(back) && back.Length <= 2048 && back[0] == '/' && (back.Length == 1 || (back[1] != '/' && back[1] != '\\'))
        && !back.Any(c => char.IsControl(c) || char.IsWhiteSpace(c));
}

namespace Segel.Server.Portal;

/// <summary>Where the portal may send a browser back to: only a path on this site, never another host.</summary>
public static class PortalLinks
{
    public static bool IsLocal(string? back) =>
        !string.IsNullOrEmpty(back) && back[0] == '/' && (back.Length == 1 || (back[1] != '/' && back[1] != '\\'));
}

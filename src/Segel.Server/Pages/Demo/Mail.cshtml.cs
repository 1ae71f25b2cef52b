using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc;
using Segel.Core.Configuration;
using Segel.Core.Errors;
using Segel.Core.Notifications;
using Segel.Server.Portal;
using Segel.Server.Security;

namespace Segel.Server.Pages.Demo;

/// <summary>
/// A demonstration's mail (issue 19.9): <c>segel demo</c> has no mail server, so the notices it would send — confirmation
/// codes, invitation links — are shown here to whoever walks through it. Links point where this page is served, so
/// a demonstration served on another address than it was built for still leads on. A real installation answers 404.
/// </summary>
[PortalAccess]
public sealed partial class MailModel(MailOutbox outbox, SegelOptions options) : PortalPage
{
    public const int Shown = 50;

    /// <summary>Only mail to this address.</summary>
    [BindProperty(SupportsGet = true, Name = "untuk")]
    public string? To { get; set; }

    public IReadOnlyList<WaitingMail> Messages { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync()
    {
        try
        {
            Messages = await outbox.DemonstrationMailAsync(To, Shown, Caller, HttpContext.RequestAborted);
        }
        catch (SegelException e)
        {
            return Failed(e);
        }
        Response.Headers.CacheControl = "no-store";
        return Page();
    }

    /// <summary>A body's lines cut into text and links, each link moved from the configured address to the one serving this page.</summary>
    public IEnumerable<(string Text, bool Link)> Pieces(string line)
    {
        int at = 0;
        foreach (Match match in UrlPattern().Matches(line ?? ""))
        {
            yield return (line![at..match.Index], false);
            yield return (Here(match.Value), true);
            at = match.Index + match.Length;
        }
        yield return ((line ?? "")[at..], false);
    }

    private string Here(string url)
    {
        string configured = options.PublicBaseUrl.TrimEnd('/');
        return url.StartsWith(configured, StringComparison.OrdinalIgnoreCase)
            ? $"{Request.Scheme}://{Request.Host}{Request.PathBase}{url[configured.Length..]}"
            : url;
    }

    [GeneratedRegex(@"https?://[^\s<>""]+")]
    private static partial Regex UrlPattern();
}

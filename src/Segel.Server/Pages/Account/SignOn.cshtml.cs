using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Segel.Server.Api;
using Segel.Server.Portal;
using Segel.Server.Security;

namespace Segel.Server.Pages.Account;

/// <summary>
/// The sign-in page's "sign in with the provider" button: hands the browser to the identity provider (authorization
/// code with PKCE), coming back to <see cref="Back"/>. The page itself shows only when the provider cannot be reached.
/// </summary>
[EnableRateLimiting(RateLimits.SignIn)]
public sealed partial class SignOnModel(SignOnDisplay signOn, ILogger<SignOnModel> logger) : PageModel
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "The identity provider cannot be reached: {Reason}")]
    private static partial void LogUnreachable(ILogger logger, string reason);

    [BindProperty(SupportsGet = true)]
    public string? Back { get; set; }

    public async Task<IActionResult> OnGetAsync()
    {
        if (!signOn.Enabled)
        {
            return NotFound();
        }
        try
        {
            // The handler reads the provider's discovery document here, and fails here when it cannot.
            await HttpContext.ChallengeAsync(SignOnAuthentication.Scheme, new AuthenticationProperties { RedirectUri = PortalLinks.IsLocal(Back) ? Back : "/beranda" });
            return new EmptyResult();
        }
        catch (Exception e) when (e is InvalidOperationException or HttpRequestException or IOException or TaskCanceledException)
        {
            LogUnreachable(logger, e.Message);
            return Page().WithStatus(503);
        }
    }
}

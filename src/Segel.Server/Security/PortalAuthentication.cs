using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Segel.Core.Accounts;
using Segel.Core.Kernel;

namespace Segel.Server.Security;

/// <summary>
/// The portal's sign-in: the same core session as <c>POST /api/v1/sessions</c>, carried in an HttpOnly,
/// SameSite=Lax cookie (Secure and <c>__Host-</c> prefixed over HTTPS) that ends with the browser. The core ends a
/// session after 30 idle minutes or 8 hours in all; a page then asks for a new sign-in (saying the session ended).
/// Signing out (<c>SignOutAsync</c>) ends the core session, not only the cookie.
/// </summary>
public sealed class PortalAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, Sessions sessions)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder), IAuthenticationSignOutHandler
{
    private const string PlainCookie = "segel-session";
    private const string HostCookie = "__Host-segel-session";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (Token(Context) is not string token)
        {
            return AuthenticateResult.NoResult();
        }
        Principal? principal = await sessions.AuthenticateAsync(token, Context.RequestAborted);
        return principal is null ? AuthenticateResult.Fail("The session has ended.") : AuthenticateResult.Success(SegelIdentity.Ticket(principal, Scheme.Name));
    }

    /// <summary>To the sign-in page, coming back here afterwards; "ended" when the browser still held a session.</summary>
    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        string back = Request.Path + Request.QueryString;
        Response.Redirect($"/masuk?back={Uri.EscapeDataString(back)}{(Token(Context) is not null ? "&ended=true" : "")}");
        return Task.CompletedTask;
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.Redirect("/terlarang");
        return Task.CompletedTask;
    }

    public async Task SignOutAsync(AuthenticationProperties? properties)
    {
        if (Token(Context) is string token)
        {
            await sessions.EndAsync(token, Context.RequestAborted);
        }
        Response.Cookies.Delete(CookieName(Context), CookieOptions(Context));
    }

    /// <summary>Hands a started session to the browser.</summary>
    public static void Start(HttpContext http, StartedSession session)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(session);
        http.Response.Cookies.Append(CookieName(http), session.Token, CookieOptions(http));
    }

    private static string? Token(HttpContext http) =>
        http.Request.Cookies[CookieName(http)] is { Length: > 0 and < 100 } token && token.StartsWith(Sessions.Prefix, StringComparison.Ordinal) ? token : null;

    private static string CookieName(HttpContext http) => http.Request.IsHttps ? HostCookie : PlainCookie;

    private static CookieOptions CookieOptions(HttpContext http) => new()
    {
        HttpOnly = true,
        Secure = http.Request.IsHttps,
        // Lax, not Strict: a link in a notice e-mail must open the portal signed in; every POST carries an antiforgery token.
        SameSite = SameSiteMode.Lax,
        Path = "/",
        IsEssential = true,
    };
}

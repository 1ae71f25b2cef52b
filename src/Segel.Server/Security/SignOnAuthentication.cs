using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Segel.Core.Accounts;
using Segel.Core.Configuration;
using Segel.Core.Errors;
using Segel.Server.Api;
using Segel.Server.Portal;
using Segel.Texts;

namespace Segel.Server.Security;

/// <summary>What the portal shows of single sign-on: whether it is set up, and the provider's name on the button.</summary>
public sealed record SignOnDisplay(bool Enabled, string Name);

/// <summary>
/// Single sign-on through the regency's OpenID Connect provider (issue 20.2): ASP.NET Core's OpenID Connect handler
/// runs the protocol — discovery, authorization code with PKCE, the ID token's signature, issuer, audience, nonce and
/// lifetime, userinfo — and hands the result to the core (<see cref="Sessions"/>), which decides whose account it is.
/// The handler's own cookie sign-in is never used: the portal's session is the core's, as with a password.
/// </summary>
public static partial class SignOnAuthentication
{
    public const string Scheme = "segel-sign-on";
    public const string CallbackPath = "/signin-oidc";
    private static readonly string[] OpenIdScope = ["openid"];

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sign-in through the identity provider failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "The identity provider's subject {Subject} matches no Segel account ({Outcome}).")]
    private static partial void LogRefused(ILogger logger, string subject, SignInOutcome outcome);

    public static AuthenticationBuilder AddSegelSignOn(this AuthenticationBuilder builder, SignOnOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        builder.Services.AddSingleton(new SignOnDisplay(options.Enabled, options.DisplayName));
        if (!options.Enabled)
        {
            return builder;
        }
        string secret = ClientSecret(options);
        if (string.IsNullOrWhiteSpace(options.ClientId))
        {
            throw SegelException.Invalid("SignOn:ClientId", Localized.Of("Error.SingleSignNeedsClientIdentifier"));
        }
        if (!Uri.TryCreate(options.Authority, UriKind.Absolute, out Uri? authority) || (authority.Scheme != Uri.UriSchemeHttps && options.RequireHttpsMetadata))
        {
            throw SegelException.Invalid("SignOn:Authority", Localized.Of("Error.SignOnAuthorityProviderHttpsIssuer"));
        }
        return builder.AddOpenIdConnect(Scheme, o =>
        {
            o.Authority = options.Authority;
            o.ClientId = options.ClientId;
            o.ClientSecret = secret;
            o.RequireHttpsMetadata = options.RequireHttpsMetadata;
            o.ResponseType = OpenIdConnectResponseType.Code;
            o.UsePkce = true;
            // The code comes back in the query of a top-level GET, so the handler's cookies can be SameSite=Lax (a
            // form_post from the provider's site would need SameSite=None).
            o.ResponseMode = OpenIdConnectResponseMode.Query;
            o.CorrelationCookie.SameSite = SameSiteMode.Lax;
            o.NonceCookie.SameSite = SameSiteMode.Lax;
            o.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.CallbackPath = CallbackPath;
            o.Scope.Clear();
            foreach (string scope in OpenIdScope.Concat(options.Scopes ?? ["email"]).Select(s => s.Trim()).Where(s => s.Length > 0).Distinct(StringComparer.Ordinal))
            {
                o.Scope.Add(scope);
            }
            o.MapInboundClaims = false;
            o.GetClaimsFromUserInfoEndpoint = true;
            o.ClaimActions.MapUniqueJsonKey(options.NipClaim, options.NipClaim);
            o.ClaimActions.MapUniqueJsonKey("email_verified", "email_verified");
            o.SaveTokens = false;
            o.DisableTelemetry = true;
            o.BackchannelTimeout = TimeSpan.FromSeconds(15);
            // The provider's timestamps (the ID token's iat and exp, the state's lifetime) are on the wall clock it shares
            // with the browser, not on Segel's clock, which tests move.
            o.TimeProvider = TimeProvider.System;
            // Never used: the ticket is answered in OnTicketReceived with the core's session. Set because the handler insists.
            o.SignInScheme = SegelSchemes.Portal;
            o.Events = new OpenIdConnectEvents
            {
                OnRedirectToIdentityProvider = context =>
                {
                    context.ProtocolMessage.UiLocales = System.Globalization.CultureInfo.CurrentUICulture.TwoLetterISOLanguageName;
                    return Task.CompletedTask;
                },
                OnTicketReceived = context => SignedInAsync(context, options),
                OnRemoteFailure = context =>
                {
                    context.HandleResponse();
                    bool cancelled = context.Failure?.Message.Contains("access_denied", StringComparison.Ordinal) == true;
                    ILogger logger = Logger(context.HttpContext);
                    LogFailed(logger, context.Failure?.Message ?? "unknown");
                    context.Response.Redirect($"/masuk?sso={(cancelled ? "cancelled" : "failed")}");
                    return Task.CompletedTask;
                },
            };
        });
    }

    /// <summary>The provider vouched for someone: the core decides whose account that is, and the portal's session starts — or asks for the code.</summary>
    private static async Task SignedInAsync(TicketReceivedContext context, SignOnOptions options)
    {
        context.HandleResponse();
        HttpContext http = context.HttpContext;
        string back = PortalLinks.IsLocal(context.ReturnUri) ? context.ReturnUri! : "/beranda";
        if (IdentityOf(context.Principal, options) is not { } identity)
        {
            http.Response.Redirect("/masuk?sso=failed");
            return;
        }
        Sessions sessions = http.RequestServices.GetRequiredService<Sessions>();
        (SignInResult result, StartedSession? session) = await sessions.StartAsync(identity, null, HttpCaller.Origin(http), http.RequestAborted);
        switch (result.Outcome)
        {
            case SignInOutcome.Success when session is not null:
                PortalAuthenticationHandler.Start(http, session);
                http.Response.Redirect(back);
                return;
            case SignInOutcome.SecondFactorRequired:
                PendingSignOn.Keep(http, identity, back);
                http.Response.Redirect("/masuk/kode");
                return;
            default:
                ILogger logger = Logger(http);
                LogRefused(logger, identity.Subject, result.Outcome);
                http.Response.Redirect($"/masuk?sso={Word(result.Outcome)}");
                return;
        }
    }

    private static ILogger Logger(HttpContext http) => http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SignOnAuthentication));

    /// <summary>The word the sign-in page turns into its message.</summary>
    internal static string Word(SignInOutcome outcome) => outcome switch
    {
        SignInOutcome.NotLinked => "unknown",
        SignInOutcome.Disabled => "disabled",
        SignInOutcome.Locked => "locked",
        _ => "failed",
    };

    /// <summary>
    /// The person as the provider described them: the subject with the issuer of the validated ID token (the claim's
    /// issuer), the NIP and e-mail from the token or userinfo, and the token's <c>amr</c>.
    /// </summary>
    private static ProviderIdentity? IdentityOf(ClaimsPrincipal? principal, SignOnOptions options)
    {
        if (principal?.FindFirst("sub") is not { Value.Length: > 0 } subject)
        {
            return null;
        }
        return new ProviderIdentity(
            subject.Issuer,
            subject.Value,
            principal.FindFirst(options.NipClaim)?.Value,
            principal.FindFirst("email")?.Value,
            string.Equals(principal.FindFirst("email_verified")?.Value, "true", StringComparison.OrdinalIgnoreCase),
            [.. principal.FindAll("amr").Select(c => c.Value).Distinct(StringComparer.Ordinal)]);
    }

    private static string ClientSecret(SignOnOptions options)
    {
        if (options.ClientSecretFile is { Length: > 0 } file)
        {
            if (!File.Exists(file))
            {
                throw SegelException.Invalid("SignOn:ClientSecretFile", Localized.Of("Error.ClientSecretFileNotExist", file));
            }
            return File.ReadLines(file).FirstOrDefault()?.Trim() is { Length: > 0 } fromFile
                ? fromFile
                : throw SegelException.Invalid("SignOn:ClientSecretFile", Localized.Of("Error.ClientSecretFileEmpty", file));
        }
        return options.ClientSecret is { Length: > 0 } secret
            ? secret
            : throw SegelException.Invalid("SignOn:ClientSecret", Localized.Of("Error.SingleSignNeedsSegelClient"));
    }
}

using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Segel.Core.Accounts;
using Segel.Core.Kernel;
using Segel.Server.Api;
using Segel.Server.Bsre;
using Segel.Server.Portal;

namespace Segel.Server.Security;

/// <summary>The SHA-256 of the data folder's operator token (the token itself is never kept in memory).</summary>
public sealed record OperatorToken(byte[] Hash)
{
    public static OperatorToken Of(string token) => new(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}

/// <summary>
/// Who is calling from <c>Authorization: Bearer TOKEN</c> — a person's session token (sign-in at
/// <c>POST /api/v1/sessions</c>), an integrating application's API token (scoped), or the data folder's operator
/// token — or from HTTP Basic carrying an API token (the national API's clients). Whether the caller may do what it
/// asks is decided by the endpoint's policy (scopes) and then in the core, from the principal.
/// </summary>
public sealed class TokenAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    OperatorToken operatorToken, Sessions sessions, ApiTokens apiTokens)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string header = Request.Headers.Authorization.ToString();
        const string prefix = "Bearer ";
        string token = header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) ? header[prefix.Length..].Trim() : BasicToken(header);
        if (token.Length == 0)
        {
            return AuthenticateResult.NoResult();
        }
        Principal? principal = null;
        if (token.StartsWith(Sessions.Prefix, StringComparison.Ordinal))
        {
            principal = await sessions.AuthenticateAsync(token, Context.RequestAborted);
        }
        else if (token.StartsWith(ApiTokens.Prefix, StringComparison.Ordinal))
        {
            principal = await apiTokens.AuthenticateAsync(token, Context.RequestAborted);
        }
        else if (CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(token)), operatorToken.Hash))
        {
            principal = new Principal("api:operator", Role.Admin);
        }
        return principal is null ? AuthenticateResult.Fail("The token is unknown, expired or revoked.") : AuthenticateResult.Success(SegelIdentity.Ticket(principal, Scheme.Name));
    }

    /// <summary>401: an RFC 9457 problem on Segel's API; the national API's own error shape (and a Basic challenge) on its routes.</summary>
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (Context.GetEndpoint()?.Metadata.GetMetadata<NationalApiRoute>() is not null)
        {
            Response.Headers.WWWAuthenticate = "Basic realm=\"segel\", charset=\"UTF-8\"";
            await BsreErrors.Error(StatusCodes.Status401Unauthorized, StatusCodes.Status401Unauthorized,
                UiText.Get("NationalApi.Unauthorized", Problems.LanguageOf(Context))).ExecuteAsync(Context);
            return;
        }
        Response.Headers.WWWAuthenticate = "Bearer realm=\"segel\"";
        await Problems.Result(Context, StatusCodes.Status401Unauthorized, "unauthorized").ExecuteAsync(Context);
    }

    /// <summary>403: the endpoint's scope, which an API token must carry (people qualify by role).</summary>
    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        string scope = Context.GetEndpoint()?.Metadata.GetOrderedMetadata<Microsoft.AspNetCore.Authorization.AuthorizationPolicy>()
            .SelectMany(p => p.Requirements).OfType<ScopeRequirement>().Select(r => r.Scope).FirstOrDefault() ?? "";
        await Problems.Result(Context, StatusCodes.Status403Forbidden, "scope", scope).ExecuteAsync(Context);
    }

    /// <summary>
    /// HTTP Basic as the national API's clients send it: an API token as the password (or as the user name with an
    /// empty password); the user name is free, so an application keeps its configured one. Only API tokens are
    /// accepted this way, never the operator token or a session.
    /// </summary>
    private static string BasicToken(string header)
    {
        const string basic = "Basic ";
        if (!header.StartsWith(basic, StringComparison.OrdinalIgnoreCase) || header.Length > 512)
        {
            return "";
        }
        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[basic.Length..].Trim()));
        }
        catch (FormatException)
        {
            return "";
        }
        int colon = decoded.IndexOf(':', StringComparison.Ordinal);
        string user = colon < 0 ? decoded : decoded[..colon], password = colon < 0 ? "" : decoded[(colon + 1)..];
        string candidate = password.Length > 0 ? password : user;
        return candidate.StartsWith(ApiTokens.Prefix, StringComparison.Ordinal) ? candidate : "";
    }
}

/// <summary>Marks the national API's routes, whose failures (401 included) keep that API's error shape.</summary>
public sealed class NationalApiRoute;

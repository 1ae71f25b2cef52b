using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Segel.Core;
using Segel.Core.Accounts;

namespace Segel.Server.Api;

/// <summary>
/// Establishes who is calling from <c>Authorization: Bearer TOKEN</c>: a person's session token (sign-in at
/// <c>POST /api/v1/sessions</c>), an integrating application's API token (scoped), or the data folder's
/// operator token. Whether the caller may do what it asks is decided in the core, from the principal.
/// </summary>
public sealed class Authenticator(byte[] operatorTokenHash)
{
    public const string PrincipalKey = "segel.principal";

    public async Task<Principal?> AuthenticateAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (http.Items.TryGetValue(PrincipalKey, out object? known) && known is Principal cached)
        {
            return cached;
        }
        string header = http.Request.Headers.Authorization.ToString();
        const string prefix = "Bearer ";
        string token = header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) ? header[prefix.Length..].Trim() : BasicToken(header);
        if (token.Length == 0)
        {
            return null;
        }
                Principal? principal = null;
        if (token.StartsWith(Sessions.Prefix, StringComparison.Ordinal))
        {
            principal = await http.RequestServices.GetRequiredService<Sessions>().AuthenticateAsync(token, http.RequestAborted);
        }
        else if (token.StartsWith(ApiTokens.Prefix, StringComparison.Ordinal))
        {
            principal = await http.RequestServices.GetRequiredService<ApiTokens>().AuthenticateAsync(token, http.RequestAborted);
        }
        else if (CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(token)), operatorTokenHash))
        {
            principal = new Principal("api:operator", Role.Admin);
        }
        if (principal is not null)
        {
            http.Items[PrincipalKey] = principal;
        }
        return principal;
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

    public static IResult Unauthorized(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        http.Response.Headers.WWWAuthenticate = "Bearer realm=\"segel\"";
        return Problems.Result(http, StatusCodes.Status401Unauthorized, "unauthorized");
    }
}

/// <summary>
/// Guards an endpoint. With a scope, an API token must carry it, while people qualify by role (the roles that
/// may use that scope); without one, any authenticated caller passes and the core checks the rest.
/// </summary>
public sealed class ApiAccessFilter(string? scope = null, Role scopeRoles = Role.None) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        HttpContext http = context.HttpContext;
        Principal? principal = await http.RequestServices.GetRequiredService<Authenticator>().AuthenticateAsync(http);
        if (principal is null)
        {
            return Authenticator.Unauthorized(http);
        }
        if (scope is not null && !principal.Has(Role.Admin | scopeRoles) && principal.Scopes?.Contains(scope) != true)
        {
            return Problems.Result(http, StatusCodes.Status403Forbidden, "scope", scope);
        }
        return await next(context);
    }

    public static Principal PrincipalOf(HttpContext context) =>
        context?.Items[Authenticator.PrincipalKey] as Principal ?? throw new InvalidOperationException("No principal: the endpoint is not guarded by ApiAccessFilter.");
}

using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Segel.Core;
using Segel.Core.Accounts;

namespace Segel.Server.Api;

/// <summary>
/// Guards an API endpoint: the caller presents <c>Authorization: Bearer TOKEN</c>, either an API token with
/// the endpoint's scope (issued by <c>segel tokens issue</c>, revocable at once) or the operator token of the
/// data folder, which holds every scope. The principal is put in <see cref="HttpContext.Items"/> for the
/// endpoint, and its name goes into the audit record of whatever the call changes.
/// </summary>
public sealed class ApiAccessFilter(string scope, byte[] operatorTokenHash) : IEndpointFilter
{
    public const string PrincipalKey = "segel.principal";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        HttpContext http = context.HttpContext;
        string header = http.Request.Headers.Authorization.ToString();
        const string prefix = "Bearer ";
        string token = header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) ? header[prefix.Length..].Trim() : "";
        Principal? principal = null;
        if (token.Length > 0 && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(token)), operatorTokenHash))
        {
            principal = new Principal("api:operator", Role.Admin);
        }
        else if (token.StartsWith(ApiTokens.Prefix, StringComparison.Ordinal))
        {
            SegelCa ca = http.RequestServices.GetService(typeof(SegelCa)) as SegelCa ?? throw new InvalidOperationException("SegelCa is not registered.");
            principal = await ca.ApiTokens.AuthenticateAsync(token, http.RequestAborted);
        }
        if (principal is null)
        {
            http.Response.Headers.WWWAuthenticate = "Bearer realm=\"segel\"";
            return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized",
                detail: "Send 'Authorization: Bearer TOKEN' with an API token (segel tokens issue) or the operator token.");
        }
        if (!principal.Has(Role.Admin) && principal.Scopes?.Contains(scope) != true)
        {
            return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden",
                detail: $"This token does not grant the scope '{scope}'.");
        }
        http.Items[PrincipalKey] = principal;
        return await next(context);
    }

    public static Principal PrincipalOf(HttpContext context) =>
        context?.Items[PrincipalKey] as Principal ?? throw new InvalidOperationException("No principal: the endpoint is not guarded by ApiAccessFilter.");
}

using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Segel.Server.Portal;
using Segel.Server.Security;
using Segel.Testing;

namespace Segel.Server.Tests;

/// <summary>
/// Reads the HTTP gates from the running server's endpoints rather than calling them (the matrix test does that):
/// every API route requires the token scheme unless it is on the short public list, no API route accepts the portal's
/// cookie (its POSTs carry no antiforgery token), and every portal page for signed-in people requires the portal
/// scheme. A new endpoint added without a gate fails here before anyone can call it.
/// </summary>
public sealed class HttpGateTests
{
    /// <summary>
    /// API routes anyone may call: signing in; the holder's confirmation of an application (it carries the code mailed to
    /// the holder, rate-limited per address); the subscriber agreement, which a holder reads before accepting; filing a
    /// complaint and following it with its tracking code (Pasal 16(2)e: the public may complain; rate-limited per address).
    /// </summary>
    private static readonly string[] PublicApi =
    [
        "POST /api/v1/sessions",
        "POST /api/v1/enrollments/{id:long}/holder-confirmation",
        "GET /api/v1/agreements/current",
        "GET /api/v1/agreements/{version:int}",
        "POST /api/v1/complaints/",
        "POST /api/v1/complaints/{number}/tracking",
    ];

    [Fact]
    public async Task Every_api_route_requires_a_token_unless_it_is_public_and_every_portal_page_the_cookie()
    {
        await using InProcessServer server = await InProcessServer.StartAsync("sqlite");
        RouteEndpoint[] endpoints = [.. server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()];
        IAuthorizationPolicyProvider policies = server.Services.GetRequiredService<IAuthorizationPolicyProvider>();

        var ungated = new List<string>();
        var cookieOnApi = new List<string>();
        foreach (RouteEndpoint endpoint in endpoints.Where(e => ("/" + e.RoutePattern.RawText?.TrimStart('/')).StartsWith("/api/", StringComparison.Ordinal)))
        {
            string name = $"{string.Join(",", endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["*"])} /{endpoint.RoutePattern.RawText?.TrimStart('/')}";
            string[] schemes = await SchemesAsync(policies, endpoint);
            if (schemes.Contains(SegelSchemes.Portal))
            {
                cookieOnApi.Add(name);
            }
            if (!schemes.Contains(SegelSchemes.Token) && !PublicApi.Contains(name) && !name.Contains("/api/reference", StringComparison.Ordinal))
            {
                ungated.Add(name);
            }
        }
        Assert.True(ungated.Count == 0, "API routes without the token scheme's policy:\n" + string.Join("\n", ungated.Order()));
        Assert.Empty(cookieOnApi);

        RouteEndpoint[] portalPages = [.. endpoints.Where(e => e.Metadata.GetMetadata<CompiledPageActionDescriptor>() is { } page
            && typeof(PortalPage).IsAssignableFrom(page.ModelTypeInfo))];
        Assert.NotEmpty(portalPages);
        foreach (RouteEndpoint page in portalPages)
        {
            string[] schemes = await SchemesAsync(policies, page);
            Assert.True(schemes.SequenceEqual([SegelSchemes.Portal]), $"{page.RoutePattern.RawText} authenticates with [{string.Join(", ", schemes)}], not the portal's cookie alone");
        }
    }

    /// <summary>The schemes the authorization middleware will authenticate with on this endpoint: its combined policy, as the middleware builds it.</summary>
    private static async Task<string[]> SchemesAsync(IAuthorizationPolicyProvider policies, Endpoint endpoint)
    {
        AuthorizationPolicy? combined = await AuthorizationPolicy.CombineAsync(policies, endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>(),
            endpoint.Metadata.GetOrderedMetadata<AuthorizationPolicy>());
        return [.. combined?.AuthenticationSchemes ?? []];
    }
}

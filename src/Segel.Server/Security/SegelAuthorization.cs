using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Segel.Core.Kernel;

namespace Segel.Server.Security;

/// <summary>
/// The HTTP gates, as ASP.NET Core policies. They decide only what HTTP can know before the core runs — who is
/// calling, and for scoped endpoints whether an API token carries the scope; what the caller may do with a given
/// application, agency or certificate is decided again in the core, which takes the principal for every operation.
/// </summary>
public static class SegelPolicies
{
    /// <summary>Any authenticated API caller (a person's session token, an API token, the operator token); the core checks the rest.</summary>
    public const string Api = "api";

    /// <summary>Holder status (<c>status:read</c>): tokens with the scope (or with <c>sign:pdf</c>, checked in the core), people with a role.</summary>
    public const string StatusRead = "api:" + ApiScopes.StatusRead;

    /// <summary>Prometheus scraping (<c>metrics:read</c>): tokens with the scope, auditors and administrators.</summary>
    public const string MetricsRead = "api:" + ApiScopes.MetricsRead;

    /// <summary>Any signed-in person on the portal; pages narrow it with <see cref="PortalAccessAttribute"/>.</summary>
    public const string Portal = "portal";

    public static IServiceCollection AddSegelAuthentication(this IServiceCollection services, OperatorToken operatorToken, Core.Configuration.SignOnOptions signOn)
    {
        services.AddSingleton(operatorToken);
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, TokenAuthenticationHandler>(SegelSchemes.Token, null)
            .AddScheme<AuthenticationSchemeOptions, PortalAuthenticationHandler>(SegelSchemes.Portal, null)
            .AddSegelSignOn(signOn);
        services.AddSingleton<IAuthorizationHandler, ScopeHandler>();
        services.AddSingleton<IAuthorizationHandler, PortalAccessHandler>();
        services.AddAuthorizationBuilder()
            .AddPolicy(Api, p => p.AddAuthenticationSchemes(SegelSchemes.Token).RequireAuthenticatedUser())
            .AddPolicy(StatusRead, p => p.AddAuthenticationSchemes(SegelSchemes.Token).RequireAuthenticatedUser()
                .AddRequirements(new ScopeRequirement(ApiScopes.StatusRead, Role.RaOfficer | Role.AgencyHead | Role.Auditor | Role.Subscriber)))
            .AddPolicy(MetricsRead, p => p.AddAuthenticationSchemes(SegelSchemes.Token).RequireAuthenticatedUser()
                .AddRequirements(new ScopeRequirement(ApiScopes.MetricsRead, Role.Auditor)))
            .AddPolicy(Portal, p => p.AddAuthenticationSchemes(SegelSchemes.Portal).RequireAuthenticatedUser());
        return services;
    }

    /// <summary>
    /// Authentication, then authorization. In between, every portal page — public ones too — learns who is signed in:
    /// the layout shows them, and antiforgery tokens are bound to the user, so a form rendered to a signed-in person (the
    /// sign-out button on a public page) must be checked as theirs. API routes are left to their own policy's scheme.
    /// </summary>
    public static WebApplication UseSegelAuthentication(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseAuthentication();
        app.Use(async (context, next) =>
        {
            if (context.GetEndpoint()?.Metadata.GetMetadata<PageActionDescriptor>() is not null
                && await context.AuthenticateAsync(SegelSchemes.Portal) is { Succeeded: true, Principal: { } signedIn })
            {
                context.User = signedIn;
            }
            await next(context);
        });
        app.UseAuthorization();
        return app;
    }
}

/// <summary>An API token must carry <see cref="Scope"/>; people qualify by role instead (administrators always).</summary>
public sealed record ScopeRequirement(string Scope, Role Roles) : IAuthorizationRequirement;

internal sealed class ScopeHandler : AuthorizationHandler<ScopeRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ScopeRequirement requirement)
    {
        if (SegelIdentity.Of(context.User) is { } caller && (caller.Has(Role.Admin | requirement.Roles) || caller.Scopes?.Contains(requirement.Scope) == true))
        {
            context.Succeed(requirement);
        }
        return Task.CompletedTask;
    }
}

/// <summary>
/// Who may open a portal page: one of <see cref="Allowed"/> (any signed-in person when none), and for pages about the
/// caller's own certificate only employees (holders). The page's roles decide what to show; the core checks every action.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = true)]
public sealed class PortalAccessAttribute(Role allowed = Role.None) : Attribute, IAuthorizeData, IAuthorizationRequirementData
{
    public Role Allowed { get; } = allowed;

    public bool ForHolders { get; init; }

    public string? Policy { get; set; } = SegelPolicies.Portal;

    /// <summary>Not used: ASP.NET Core's role strings know nothing of Segel's roles, which <see cref="Allowed"/> carries.</summary>
    string? IAuthorizeData.Roles { get => null; set { } }

    public string? AuthenticationSchemes { get; set; } = SegelSchemes.Portal;

    public IEnumerable<IAuthorizationRequirement> GetRequirements() => [new PortalAccessRequirement(Allowed, ForHolders)];
}

public sealed record PortalAccessRequirement(Role Roles, bool ForHolders) : IAuthorizationRequirement;

internal sealed class PortalAccessHandler : AuthorizationHandler<PortalAccessRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, PortalAccessRequirement requirement)
    {
        if (SegelIdentity.Of(context.User) is { } caller && (requirement.Roles == Role.None || caller.Has(requirement.Roles))
            && (!requirement.ForHolders || caller.EmployeeId is not null))
        {
            context.Succeed(requirement);
        }
        return Task.CompletedTask;
    }
}

using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Segel.Core.Kernel;

namespace Segel.Server.Security;

/// <summary>
/// Segel's two ASP.NET Core authentication schemes. The API and the national API read a token from the
/// <c>Authorization</c> header; the portal reads its session cookie. They are never mixed: an API endpoint does not
/// accept the cookie (its POSTs carry no antiforgery token), and a portal page does not accept a bearer token.
/// </summary>
public static class SegelSchemes
{
    public const string Token = "segel-token";
    public const string Portal = "segel-portal";
}

/// <summary>The authenticated caller as ASP.NET Core carries it: the core's <see cref="Principal"/>, which every service checks.</summary>
public sealed class SegelIdentity : ClaimsIdentity
{
    public SegelIdentity(Principal principal, string scheme)
        : base([new Claim(ClaimTypes.Name, principal?.Name ?? throw new ArgumentNullException(nameof(principal)))], scheme)
    {
        Principal = principal;
    }

    public Principal Principal { get; }

    /// <summary>The caller's principal, or null when the request was not authenticated.</summary>
    public static Principal? Of(ClaimsPrincipal? user) => user?.Identities.OfType<SegelIdentity>().FirstOrDefault()?.Principal;

    public static AuthenticationTicket Ticket(Principal principal, string scheme) =>
        new(new ClaimsPrincipal(new SegelIdentity(principal, scheme)), scheme);
}

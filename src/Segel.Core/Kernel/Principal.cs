using Segel.Core.Errors;
using Segel.Texts;

namespace Segel.Core.Kernel;

/// <summary>
/// Who is asking, as established by sign-in or an API token. Every rule that depends on the caller takes a
/// principal and checks it here in the core, so no door (HTTP, CLI, UI) can forget a check.
/// </summary>
public sealed record Principal(string Name, Role Roles, int? AgencyId = null, long? UserId = null, IReadOnlySet<string>? Scopes = null,
    long? EmployeeId = null, string? DisplayName = null)
{
    /// <summary>The operator at the server's console: the operating-system account already guards it.</summary>
    public static Principal Console { get; } = new(Actor.Console().Name, Role.Admin);

    /// <summary>The server's own jobs (CRL refresh, responder renewal, audit checkpoints): administrators' work, done on a timer.</summary>
    public static Principal System { get; } = new(Actor.System.Name, Role.Admin);

    /// <summary>For an API token bound to an institutional seal (issue 23.2): the seal it seals with.</summary>
    public long? SealId { get; init; }

    /// <summary>For a seal token: the networks (CIDR) it is accepted from; the core checks the caller's address against them.</summary>
    public IReadOnlyList<string>? Networks { get; init; }

    public bool Has(Role role) => (Roles & role) != 0;

    /// <summary>Throws Forbidden unless the principal holds one of <paramref name="anyOf"/>.</summary>
    public void Require(Role anyOf, string action)
    {
        if (!Has(anyOf))
        {
            throw SegelException.Forbidden(Localized.Of("Error.MayNot", Name, action));
        }
    }

    /// <summary>An agency head acts for their own agency only; other roles that may act at all act for any.</summary>
    public void RequireAgency(int agencyId, string action)
    {
        if (Has(Role.Admin | Role.RaOfficer))
        {
            return;
        }
        if (!Has(Role.AgencyHead) || AgencyId != agencyId)
        {
            throw SegelException.Forbidden(Localized.Of("Error.NotAnotherAgency", Name, action));
        }
    }

    /// <summary>
    /// Throws Forbidden unless the principal may use <paramref name="scope"/>: an API token that carries it, a
    /// person holding one of <paramref name="roles"/>, or an administrator (the operator's token and console).
    /// </summary>
    public void RequireScope(string scope, Role roles, string action)
    {
        if (!Has(Role.Admin | roles) && Scopes?.Contains(scope) != true)
        {
            throw SegelException.Forbidden(Localized.Of("Error.NotNeedsScope", Name, action, scope));
        }
    }

    /// <summary>
    /// The employee a person acting for themselves is (a holder, an officer): Forbidden for an application's token, the
    /// console, or an account with no employee behind it.
    /// </summary>
    public long RequireEmployee()
    {
        if (Roles == Role.None || EmployeeId is not long employeeId)
        {
            throw SegelException.Forbidden(Localized.Of("Error.NotCertificateHolderHoldersManage", Name));
        }
        return employeeId;
    }

    public Actor ToActor(string? origin = null) => new(Name, origin);
}

using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Segel.Core;
using Segel.Core.Accounts;
using Segel.Core.Custody;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Lifecycle;
using Segel.Core.Organization;
using Segel.Server.Security;
using Segel.Texts;

namespace Segel.Server.Api;

/// <summary>Sign-in, accounts, employees and holder status over HTTP.</summary>
public static class PeopleEndpoints
{
    public sealed record SignInRequest(string? Username, string? Password, string? Totp);

    public sealed record SessionView(string Token, DateTimeOffset ExpiresAt, MeView User);

    public sealed record MeView(string Username, IReadOnlyList<string> Roles, int? AgencyId, long? EmployeeId);

    public sealed record NewUserRequest(string? Username, string? DisplayName, string? Roles, string? Password, string? Agency, string? EmployeeNip);

    public sealed record PasswordChange(string? CurrentPassword, string? NewPassword);

    public sealed record PasswordReset(string? Password);

    public sealed record RolesChange(string? Roles, string? Agency);

    public sealed record RolesChanged(string? TotpUri);

    public sealed record SecondFactorView(string TotpUri);

    public sealed record CreatedUserView(string Username, IReadOnlyList<string> Roles, string? TotpUri);

    public const string StatusScope = HolderStatuses.StatusScope;

    public static IEndpointRouteBuilder MapPeopleApi(this IEndpointRouteBuilder app)
    {
        RouteGroupBuilder api = app.MapGroup("/api/v1").WithTags("People");
        api.MapPost("/sessions", SignIn).RequireRateLimiting(RateLimits.SignIn)
            .WithSummary("Sign in with username, password and (for officers and administrators) a TOTP code; returns a session token.");
        api.MapDelete("/sessions/current", SignOut).RequireAuthorization(SegelPolicies.Api).WithSummary("End the current session.");
        api.MapGet("/me", Me).RequireAuthorization(SegelPolicies.Api).WithSummary("Who the token stands for.");
        api.MapPost("/users", CreateUser).RequireAuthorization(SegelPolicies.Api).WithSummary("Create an account (administrators).");
        api.MapPost("/me/password", ChangePassword).RequireAuthorization(SegelPolicies.Api).RequireRateLimiting(RateLimits.SignIn)
            .WithSummary("Change your own password (give the current one); every session of the account ends, this one too.");
        api.MapPost("/users/{username}/password", ResetPassword).RequireAuthorization(SegelPolicies.Api)
            .WithSummary("Set a new password for someone who forgot theirs (administrators); lifts a lockout and ends their sessions.");
        api.MapPut("/users/{username}/roles", ChangeRoles).RequireAuthorization(SegelPolicies.Api)
            .WithSummary("Give an account other roles, e.g. \"ra-officer,subscriber\" (administrators, not their own); an agency head needs agency. A role needing an authenticator gets one if missing: its otpauth URI is shown once.");
        api.MapPost("/users/{username}/totp", RenewSecondFactor).RequireAuthorization(SegelPolicies.Api)
            .WithSummary("A new authenticator secret for an officer or administrator (administrators); the old one stops working. The otpauth URI is shown once.");
        api.MapDelete("/users/{username}/provider-link", UnlinkProvider).RequireAuthorization(SegelPolicies.Api)
            .WithSummary("Undo an account's link to an identity provider account (administrators); the next single sign-on links again by NIP or e-mail. Ends the account's sessions.");
        api.MapPost("/employees/import", Import).RequireAuthorization(SegelPolicies.Api).WithMetadata(new BodyLimit(EmployeeImport.MaxFileBytes))
            .Accepts<string>("text/csv").WithSummary("Import employees from CSV (administrators); all or nothing, with a report per row. ?dryRun=true checks only.");
        api.MapGet("/employees", Employees).RequireAuthorization(SegelPolicies.Api)
            .WithSummary("Employees with their certificate status; agency heads see their own agency. Paged: offset, limit; filters: agency, search (every word in the name, NIP or e-mail; any case, accents ignored), status (none, valid, expiring, expired, revoked), workUnit (its id).");
        api.MapGet("/employees/{nip}", Employee).RequireAuthorization(SegelPolicies.Api)
            .WithSummary("One employee. ?nik=true shows the NIK to RA officers and administrators; every read is audited.");
        api.MapPost("/employees/{nip}/key-unlock", UnlockKey).RequireAuthorization(SegelPolicies.Api)
            .WithSummary("Lift the lock on a person's key after five wrong passphrases (status SUSPEND). RA officers, not for their own key; recorded.");
        api.MapPost("/employees/{nip}/invitation", Invite).RequireAuthorization(SegelPolicies.Api)
            .WithSummary("E-mail a holder a single-use link to set the password of their portal account (made if missing; the username is the NIP). Administrators and RA officers; refused once the password is chosen. The link itself is never returned.");
        api.MapGet("/holders/status", Status).RequireAuthorization(SegelPolicies.StatusRead)
            .WithSummary("A person's status by nik or nip, in the national service's words: NOT_REGISTERED, NO_CERTIFICATE, NEW, WAITING_FOR_VERIFICATION, ISSUE, RENEW, EXPIRED, SUSPEND, REVOKE.");
        return app;
    }

    private static async Task<IResult> SignIn(SignInRequest request, Sessions sessions, HttpContext context, CancellationToken cancellationToken)
    {
        (SignInResult result, StartedSession? session) = await sessions.StartAsync(request.Username ?? "", request.Password ?? "", request.Totp,
            HttpCaller.Origin(context), cancellationToken);
        return result.Outcome switch
        {
            SignInOutcome.Success => Results.Ok(new SessionView(session!.Token, session.ExpiresAt, MeOf(session.Principal))),
            SignInOutcome.SecondFactorRequired => Problems.Result(context, StatusCodes.Status401Unauthorized, "signin-second-factor"),
            SignInOutcome.Locked => Problems.Result(context, StatusCodes.Status403Forbidden, "signin-locked", result.LockedUntil),
            SignInOutcome.Disabled => Problems.Result(context, StatusCodes.Status403Forbidden, "signin-disabled"),
            _ => Problems.Result(context, StatusCodes.Status401Unauthorized, "signin-invalid"),
        };
    }

    private static async Task<IResult> SignOut(Sessions sessions, HttpContext context, CancellationToken cancellationToken)
    {
        string token = context.Request.Headers.Authorization.ToString()["Bearer ".Length..].Trim();
        await sessions.EndAsync(token, cancellationToken);
        return Results.NoContent();
    }

    private static IResult Me(HttpContext context) => Results.Ok(MeOf(HttpCaller.Principal(context)));

    private static async Task<IResult> CreateUser(NewUserRequest request, UserAccounts users, HttpContext context, CancellationToken cancellationToken)
    {
        if (!Roles.TryParse(request.Roles, out Role roles))
        {
            throw SegelException.Invalid("roles", Localized.Of("Error.GiveMoreRolesSeparatedCommas", Roles.Names));
        }
        CreatedUser created = await users.CreateAsync(new NewUser(request.Username ?? "", request.DisplayName ?? "", roles, request.Password ?? "",
            request.Agency, request.EmployeeNip), HttpCaller.Principal(context), cancellationToken);
        return Results.Created($"/api/v1/users/{created.Username}", new CreatedUserView(created.Username, RoleNames(roles), created.TotpUri));
    }

    private static async Task<IResult> ChangePassword(PasswordChange request, AccountCredentials credentials, HttpContext context, CancellationToken cancellationToken)
    {
        await credentials.ChangeOwnPasswordAsync(request.CurrentPassword, request.NewPassword, HttpCaller.Principal(context), HttpCaller.Origin(context), cancellationToken);
        return Results.NoContent();
    }

    private static async Task<IResult> ResetPassword(string username, PasswordReset request, AccountCredentials credentials, HttpContext context, CancellationToken cancellationToken)
    {
        await credentials.ResetPasswordAsync(username, request.Password, HttpCaller.Principal(context), HttpCaller.Origin(context), cancellationToken);
        return Results.NoContent();
    }

    private static async Task<IResult> ChangeRoles(string username, RolesChange request, UserAccounts users, HttpContext context, CancellationToken cancellationToken)
    {
        if (!Roles.TryParse(request.Roles, out Role roles))
        {
            throw SegelException.Invalid("roles", Localized.Of("Error.GiveMoreRolesSeparatedCommas", Roles.Names));
        }
        return Results.Ok(new RolesChanged(await users.ChangeRolesAsync(username, roles, request.Agency, HttpCaller.Principal(context), HttpCaller.Origin(context), cancellationToken)));
    }

    private static async Task<IResult> RenewSecondFactor(string username, AccountCredentials credentials, HttpContext context, CancellationToken cancellationToken) =>
        Results.Ok(new SecondFactorView(await credentials.RenewSecondFactorAsync(username, HttpCaller.Principal(context), HttpCaller.Origin(context), cancellationToken)));

    private static async Task<IResult> UnlinkProvider(string username, AccountCredentials credentials, HttpContext context, CancellationToken cancellationToken)
    {
        await credentials.UnlinkProviderAsync(username, HttpCaller.Principal(context), HttpCaller.Origin(context), cancellationToken);
        return Results.NoContent();
    }

    private static async Task<IResult> Import(EmployeeImport import, HttpContext context, bool? dryRun, bool? accounts, bool? complete, CancellationToken cancellationToken)
    {
        byte[] body = await HttpCaller.ReadBodyAsync(context, EmployeeImport.MaxFileBytes, cancellationToken);
        ImportReport report = await import.ImportCsvAsync(new MemoryStream(body), HttpCaller.Principal(context), HttpCaller.Origin(context),
            new EmployeeImportOptions(dryRun ?? false, accounts ?? true, complete ?? false), null, cancellationToken);
        return report.Applied || dryRun == true ? Results.Ok(report) : Results.UnprocessableEntity(report);
    }

    private static async Task<IResult> Employees(EmployeeDirectory employees, HttpContext context, string? agency, string? search, string? status, int? workUnit,
        int? offset, int? limit, CancellationToken cancellationToken) =>
        Results.Ok(await employees.ListAsync(new StaffQuery(agency, search, status, workUnit, offset, limit), HttpCaller.Principal(context), cancellationToken));

    private static async Task<IResult> Employee(string nip, bool? nik, EmployeeDirectory employees, HttpContext context, CancellationToken cancellationToken) =>
        Results.Ok(await employees.GetAsync(nip, nik ?? false, HttpCaller.Principal(context), HttpCaller.Origin(context), cancellationToken));

    private static async Task<IResult> UnlockKey(string nip, HolderKeyVault holderKeys, HttpContext context, CancellationToken cancellationToken) =>
        Results.Ok(new { unlocked = await holderKeys.UnlockEmployeeAsync(nip, HttpCaller.Principal(context), cancellationToken) });

    private static async Task<IResult> Invite(string nip, Invitations invitations, HttpContext context, CancellationToken cancellationToken)
    {
        PortalAccess access = await invitations.SendAsync(nip, HttpCaller.Principal(context), HttpCaller.Origin(context), cancellationToken);
        return Results.Ok(new { username = access.Username, expiresAt = access.ExpiresAt });
    }

    private static async Task<IResult> Status(string? nik, string? nip, HolderStatuses holderStatuses, HttpContext context, CancellationToken cancellationToken) =>
        Results.Ok(await holderStatuses.FindAsync(nik, nip, HttpCaller.Principal(context), cancellationToken));

    private static MeView MeOf(Principal principal) => new(principal.Name, RoleNames(principal.Roles), principal.AgencyId, principal.EmployeeId);

    private static List<string> RoleNames(Role roles) =>
        Enum.GetValues<Role>().Where(r => r != Role.None && roles.HasFlag(r)).Select(r => r switch
        {
            Role.PolicyAdmin => "policy-admin",
            Role.RaOfficer => "ra-officer",
            Role.AgencyHead => "agency-head",
            _ => r.ToString().ToLowerInvariant(),
        }).ToList();
}

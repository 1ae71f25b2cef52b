using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Segel.Core;
using Segel.Core.Configuration;
using Segel.Core.Organization;
using Segel.Core.Settings;
using Segel.Server.Security;

namespace Segel.Server.Api;

/// <summary>Agencies, their work units and the settings changed while Segel runs, over HTTP — the same core calls as the portal's pages.</summary>
public static class OrganizationEndpoints
{
    public sealed record AgencyRequest(string? Code, string? Name);

    public sealed record NameRequest(string? Name);

    public sealed record SettingsRequest(IReadOnlyList<string>? EmailDomains, IReadOnlyList<int>? ReminderDays);

    public sealed record AgencyCreated(int Id, string Code, string Name);

    public static IEndpointRouteBuilder MapOrganizationApi(this IEndpointRouteBuilder app)
    {
        RouteGroupBuilder api = app.MapGroup("/api/v1").WithTags("Organization").RequireAuthorization(SegelPolicies.Api);
        api.MapGet("/agencies", Agencies).WithSummary("Agencies with their number of employees and of certificate holders (Pasal 10).");
        api.MapPost("/agencies", CreateAgency).WithSummary("Add an agency (administrators). The code (2–32 letters, digits, '-', '_') never changes.");
        api.MapPatch("/agencies/{code}", RenameAgency).WithSummary("Correct an agency's name (administrators).");
        api.MapGet("/agencies/{code}/work-units", WorkUnits).WithSummary("An agency's work units with their number of employees (agency heads: their own agency's).");
        api.MapPost("/agencies/{code}/work-units", AddWorkUnit).WithSummary("Add a work unit to an agency (administrators).");
        api.MapPatch("/agencies/{code}/work-units/{id:int}", RenameWorkUnit).WithSummary("Rename a work unit (administrators).");
        api.MapDelete("/agencies/{code}/work-units/{id:int}", RemoveWorkUnit).WithSummary("Remove a work unit that has no employees (administrators).");
        api.MapGet("/settings", Settings).WithSummary("The e-mail domains (Pasal 14(f)) and renewal reminder days (Pasal 18) in force, and who last changed them.");
        api.MapPut("/settings", ChangeSettings)
            .WithSummary("Change the e-mail domains and reminder days (administrators and policy administrators); every node applies them at once.");
        return app;
    }

    private static async Task<IResult> Agencies(EmployeeDirectory employees, HttpContext context, CancellationToken cancellationToken) =>
        Results.Ok(await employees.AgenciesAsync(HttpCaller.Principal(context), cancellationToken: cancellationToken));

    private static async Task<IResult> CreateAgency(AgencyRequest request, AgencyRegistry agencies, HttpContext context, CancellationToken cancellationToken)
    {
        AgencyInfo agency = await agencies.CreateAsync(request.Code, request.Name, HttpCaller.Principal(context), HttpCaller.Origin(context), cancellationToken);
        return Results.Created($"/api/v1/agencies/{agency.Code}", new AgencyCreated(agency.Id, agency.Code, agency.Name));
    }

    private static async Task<IResult> RenameAgency(string code, NameRequest request, AgencyRegistry agencies, HttpContext context, CancellationToken cancellationToken)
    {
        await agencies.RenameAsync(code, request.Name, HttpCaller.Principal(context), HttpCaller.Origin(context), cancellationToken);
        return Results.NoContent();
    }

    private static async Task<IResult> WorkUnits(string code, AgencyRegistry agencies, HttpContext context, CancellationToken cancellationToken) =>
        Results.Ok(await agencies.WorkUnitsAsync(code, HttpCaller.Principal(context), cancellationToken));

    private static async Task<IResult> AddWorkUnit(string code, NameRequest request, AgencyRegistry agencies, HttpContext context, CancellationToken cancellationToken)
    {
        WorkUnitView unit = await agencies.AddWorkUnitAsync(code, request.Name, HttpCaller.Principal(context), HttpCaller.Origin(context), cancellationToken);
        return Results.Created($"/api/v1/agencies/{code.ToUpperInvariant()}/work-units/{unit.Id}", unit);
    }

    private static async Task<IResult> RenameWorkUnit(string code, int id, NameRequest request, AgencyRegistry agencies, HttpContext context, CancellationToken cancellationToken)
    {
        await agencies.RenameWorkUnitAsync(code, id, request.Name, HttpCaller.Principal(context), HttpCaller.Origin(context), cancellationToken);
        return Results.NoContent();
    }

    private static async Task<IResult> RemoveWorkUnit(string code, int id, AgencyRegistry agencies, HttpContext context, CancellationToken cancellationToken)
    {
        await agencies.RemoveWorkUnitAsync(code, id, HttpCaller.Principal(context), HttpCaller.Origin(context), cancellationToken);
        return Results.NoContent();
    }

    private static async Task<IResult> Settings(RegencySettingsStore regencySettings, CancellationToken cancellationToken) => Results.Ok(await regencySettings.GetAsync(cancellationToken));

    private static async Task<IResult> ChangeSettings(SettingsRequest request, RegencySettingsStore regencySettings, HttpContext context, CancellationToken cancellationToken) =>
        Results.Ok(await regencySettings.UpdateAsync(request.EmailDomains ?? [],
            (request.ReminderDays ?? []).Select(d => d.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList(),
            HttpCaller.Principal(context), HttpCaller.Origin(context), cancellationToken));
}

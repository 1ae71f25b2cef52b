using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Segel.Core.Accounts;
using Segel.Core.Ca;
using Segel.Core.Kernel;
using Segel.Server.Security;

namespace Segel.Server.Api;

/// <summary>Certificate management over HTTP: the same core calls as <c>segel cert …</c>.</summary>
public static class CertificateEndpoints
{
    public sealed record IssueRequest(string? Csr, string? Profile, string? Nip, string? Reason, string? Name, string? Email, string? Unit);

    public sealed record RevokeRequest(string? Reason);

    public const string ReadScope = ApiScopes.CertificatesRead;
    public const string IssueScope = ApiScopes.CertificatesIssue;
    public const string RevokeScope = ApiScopes.CertificatesRevoke;

    public static IEndpointRouteBuilder MapCertificateApi(this IEndpointRouteBuilder app)
    {
        // The policy only authenticates; Certificates checks each caller's scope or role itself.
        RouteGroupBuilder api = app.MapGroup("/api/v1/certificates").WithTags("Certificates").RequireAuthorization(SegelPolicies.Api);
        api.MapPost("/", Issue)
            .WithSummary($"Issue a certificate from a PKCS#10 request (PEM) outside the RA workflow: only for an employee on file (nip), naming the official e-mail on the register, with a written reason kept in the audit record. Scope {IssueScope} or the operator token.");
        api.MapGet("/", List)
            .WithSummary($"List certificates, newest first. Scope {ReadScope}, or an RA officer, auditor or policy admin.");
        api.MapGet("/{serial}", Get)
            .WithSummary($"One certificate, with its PEM. Scope {ReadScope}, or an RA officer, auditor or policy admin.");
        api.MapPost("/{serial}/revocation", Revoke)
            .WithSummary($"Revoke a certificate directly (operators and integrations; RA officers use revocation requests). Final. Scope {RevokeScope}.");
        return app;
    }

    private static Principal Caller(HttpContext context) => HttpCaller.Principal(context);

    private static string? Origin(HttpContext context) => context.Connection.RemoteIpAddress?.ToString();

    private static async Task<IResult> Issue(IssueRequest request, Certificates certificates, HttpContext context, CancellationToken cancellationToken)
    {
        CertificateView view = await certificates.IssueFromCsrAsync(Caller(context), request.Csr, request.Profile,
            new HolderDetails(request.Name, request.Email, request.Unit, request.Nip), request.Reason, Origin(context), cancellationToken);
        return Results.Created($"/api/v1/certificates/{view.Serial}", view);
    }

    private static async Task<IResult> List(Certificates certificates, HttpContext context, string? status, string? search, int? skip, int? take,
        CancellationToken cancellationToken) =>
        Results.Ok(await certificates.ListAsync(Caller(context), status, search, skip ?? 0, take ?? 100, cancellationToken));

    private static async Task<IResult> Get(string serial, string? issuer, Certificates certificates, HttpContext context, CancellationToken cancellationToken) =>
        Results.Ok(await certificates.GetAsync(Caller(context), serial, issuer, cancellationToken));

    private static async Task<IResult> Revoke(string serial, RevokeRequest request, string? issuer, Certificates certificates, HttpContext context,
        CancellationToken cancellationToken) =>
        Results.Ok(await certificates.RevokeAsync(Caller(context), serial, request.Reason, issuer, Origin(context), cancellationToken));
}

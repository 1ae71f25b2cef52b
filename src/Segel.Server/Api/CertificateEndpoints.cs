using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Segel.Core;
using Segel.Core.Accounts;
using Segel.Core.Ca;
using Segel.Core.Errors;
using Segel.Core.Storage;
using Segel.Pki.Certificates;
using Segel.Pki.Revocation;

namespace Segel.Server.Api;

/// <summary>Certificate management over HTTP: the same core calls as <c>segel cert …</c>.</summary>
public static class CertificateEndpoints
{
    public sealed record IssueRequest(string? Csr, string? Profile, string? Name, string? Email, string? Unit, string? Nip);

    public sealed record RevokeRequest(string? Reason);

    public sealed record CertificateView(string Serial, string Issuer, string Profile, string Subject, string? Email,
        DateTimeOffset NotBefore, DateTimeOffset NotAfter, string Status, DateTimeOffset? RevokedAt, string? RevocationReason, string? Pem);

    public const string ReadScope = ApiScopes.CertificatesRead;
    public const string IssueScope = ApiScopes.CertificatesIssue;
    public const string RevokeScope = ApiScopes.CertificatesRevoke;

    /// <summary>People who may read certificates without a token scope.</summary>
    public const Role Readers = Role.RaOfficer | Role.Auditor | Role.PolicyAdmin;

    public static IEndpointRouteBuilder MapCertificateApi(this IEndpointRouteBuilder app)
    {
        RouteGroupBuilder api = app.MapGroup("/api/v1/certificates").WithTags("Certificates");
        api.MapPost("/", Issue).AddEndpointFilter(new ApiAccessFilter(IssueScope))
            .WithSummary($"Issue a certificate from a PKCS#10 request (PEM), outside the RA workflow. Scope {IssueScope} or the operator token.");
        api.MapGet("/", List).AddEndpointFilter(new ApiAccessFilter(ReadScope, Readers))
            .WithSummary($"List certificates, newest first. Scope {ReadScope}, or an RA officer, auditor or policy admin.");
        api.MapGet("/{serial}", Get).AddEndpointFilter(new ApiAccessFilter(ReadScope, Readers))
            .WithSummary($"One certificate, with its PEM. Scope {ReadScope}, or an RA officer, auditor or policy admin.");
        api.MapPost("/{serial}/revocation", Revoke).AddEndpointFilter(new ApiAccessFilter(RevokeScope))
            .WithSummary($"Revoke a certificate directly (operators and integrations; RA officers use revocation requests). Final. Scope {RevokeScope}.");
        return app;
    }

    private static Actor ActorOf(HttpContext context) =>
        ApiAccessFilter.PrincipalOf(context).ToActor(context.Connection.RemoteIpAddress?.ToString());

    private static async Task<IResult> Issue(IssueRequest request, SegelCa ca, HttpContext context, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Csr))
        {
            throw SegelException.Invalid("csr", $"A PEM certificate signing request is required.");
        }
        CertificateProfile profile = CertificateStatusText.ParseHolderProfile(request.Profile);
        IssuedCertificate issued = await ca.Issuance.IssueFromCsrAsync(Encoding.ASCII.GetBytes(request.Csr),
            new HolderDetails(request.Name, request.Email, request.Unit, request.Nip), profile, ActorOf(context), cancellationToken);
        CertificateView view = await ToViewAsync(ca, issued.Record, includePem: true, cancellationToken);
        return Results.Created($"/api/v1/certificates/{view.Serial}", view);
    }

    private static async Task<IResult> List(SegelCa ca, string? status, string? search, int? skip, int? take, CancellationToken cancellationToken)
    {
        CertificateFilter filter = string.IsNullOrEmpty(status) ? CertificateFilter.All
            : Enum.TryParse(status, true, out CertificateFilter parsed) ? parsed
            : throw SegelException.Invalid("status", $"status must be one of all, valid, revoked, expired.");
        IReadOnlyList<CertificateRecord> records = await ca.Queries.ListAsync(filter, search, skip ?? 0, take ?? 100, cancellationToken);
        var views = new List<CertificateView>(records.Count);
        foreach (CertificateRecord record in records)
        {
            views.Add(await ToViewAsync(ca, record, includePem: false, cancellationToken));
        }
        return Results.Ok(views);
    }

    private static async Task<IResult> Get(string serial, string? issuer, SegelCa ca, CancellationToken cancellationToken) =>
        Results.Ok(await ToViewAsync(ca, await ca.Queries.GetAsync(serial, issuer, cancellationToken), includePem: true, cancellationToken));

    private static async Task<IResult> Revoke(string serial, RevokeRequest request, string? issuer, SegelCa ca, HttpContext context, CancellationToken cancellationToken)
    {
        if (!RevocationReasons.TryParse(request.Reason, out RevocationReason reason))
        {
            throw SegelException.Invalid("reason", $"Unknown revocation reason '{request.Reason}'. Use one of: {RevocationReasons.AllowedNames}.");
        }
        CertificateRecord revoked = await ca.Revocation.RevokeAsync(serial, reason, ActorOf(context), issuer, cancellationToken);
        return Results.Ok(await ToViewAsync(ca, revoked, includePem: false, cancellationToken));
    }

    internal static async Task<CertificateView> ToViewAsync(SegelCa ca, CertificateRecord record, bool includePem, CancellationToken cancellationToken)
    {
        LoadedAuthority? issuer = await ca.Ring.FindByIdAsync(record.IssuerId, cancellationToken);
        string status = record.StatusAt(ca.Time.GetUtcNow());
        string? pem = includePem ? System.Security.Cryptography.PemEncoding.WriteString("CERTIFICATE", record.Der) + "\n" : null;
        return new CertificateView(record.SerialHex, issuer?.Slug ?? "?", record.Profile, record.SubjectDn, record.Email, record.NotBefore, record.NotAfter,
            status, record.RevokedAt, record.RevocationReason is int code ? ((RevocationReason)code).ToRfcName() : null, pem);
    }
}

using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Segel.Core.Ca;
using Segel.Core.Operations;
using Segel.Core.Storage;

namespace Segel.Server.Api;

/// <summary>
/// For load balancers and monitoring: 200 when the database answers, every CRL is current and the OCSP and TSA certificates
/// valid — <c>ok</c>, or <c>degraded</c> with warnings an operator should act on (a CRL not republished on time, mail stuck or
/// no mail server, a CA, OCSP or TSA certificate with less than 90 days left); 503 when <c>failing</c> or the database is down.
/// </summary>
public static class HealthEndpoints
{
    /// <summary>The release (its informational version, with the commit it was built from).</summary>
    public static readonly string Version = typeof(HealthEndpoints).Assembly
        .GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
        .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion ?? "unknown";

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", Check).WithTags("Operations").WithSummary("Database, CRL freshness and OCSP responder validity.");
        return app;
    }

    private static async Task<IResult> Check(CaHealth health, CancellationToken cancellationToken)
    {
        CaHealthReport report;
        try
        {
            report = await health.CheckAsync(cancellationToken);
        }
        catch (Exception e) when (e is DbUpdateException or InvalidOperationException or System.Data.Common.DbException)
        {
            return Results.Json(new { status = "down", error = "The database does not answer." }, statusCode: StatusCodes.Status503ServiceUnavailable);
        }
        var body = new
        {
            status = report.Status,
            version = Version,
            schema = report.Schema,
            warnings = report.Warnings.Select(w => new { code = w.Code, subject = w.Subject, value = w.Value }),
            database = report.Database,
            issuers = report.Issuers.Select(i => new { slug = i.Slug, notAfter = i.NotAfter, crlNumber = i.CrlNumber, crlNextUpdate = i.CrlNextUpdate, crlCurrent = i.Healthy }),
            ocspResponders = report.Responders.Where(r => r.Role == AuthorityRole.OcspResponder).Select(r => new { slug = r.Slug, notAfter = r.NotAfter, valid = r.Healthy }),
            timeStamping = report.Responders.Where(r => r.Role == AuthorityRole.TimeStamping).Select(r => new { slug = r.Slug, notAfter = r.NotAfter, valid = r.Healthy }),
            mail = new { configured = report.Operations.SmtpConfigured, backlog = report.Operations.OutboxBacklog, givenUp = report.Operations.OutboxGivenUp,
                oldestUnsent = report.Operations.OldestUnsent },
            queues = new { applications = report.Operations.ApplicationsWaiting, revocationRequests = report.Operations.RevocationRequestsWaiting },
        };
        return report.Healthy ? Results.Ok(body) : Results.Json(body, statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}

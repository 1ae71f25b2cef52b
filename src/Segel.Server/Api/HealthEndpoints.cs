using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Segel.Core;
using Segel.Core.Ca;
using Segel.Core.Storage;

namespace Segel.Server.Api;

/// <summary>For load balancers and monitoring: 200 when the database answers, every CRL is current and the OCSP responder certificate valid.</summary>
public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", Check).WithTags("Operations").WithSummary("Database, CRL freshness and OCSP responder validity.");
        return app;
    }

    private static async Task<IResult> Check(SegelCa ca, CancellationToken cancellationToken)
    {
        try
        {
            await using (SegelDbContext db = ca.Database.CreateContext())
            {
                await db.Authorities.AnyAsync(cancellationToken);
            }
            DateTimeOffset now = ca.Time.GetUtcNow();
            var issuers = new List<object>();
            bool healthy = true;
            foreach (LoadedAuthority issuer in await ca.Ring.GetIssuersAsync(cancellationToken))
            {
                CrlRecord? crl = await ca.Crls.GetLatestAsync(issuer.Id, cancellationToken);
                bool current = crl is not null && crl.NextUpdate > now;
                healthy &= current;
                issuers.Add(new { slug = issuer.Slug, notAfter = issuer.Record.NotAfter, crlNumber = crl?.Number, crlNextUpdate = crl?.NextUpdate, crlCurrent = current });
            }
            var responders = new List<object>();
            foreach (LoadedAuthority responder in (await ca.Ring.GetAllAsync(cancellationToken)).Where(a => a.Record.Role == AuthorityRole.OcspResponder && a.Record.Active))
            {
                bool valid = responder.Record.NotAfter > now;
                healthy &= valid;
                responders.Add(new { slug = responder.Slug, notAfter = responder.Record.NotAfter, valid });
            }
            var body = new { status = healthy ? "ok" : "degraded", database = ca.Database.Provider.ToString().ToLowerInvariant(), issuers, ocspResponders = responders };
            return healthy ? Results.Ok(body) : Results.Json(body, statusCode: StatusCodes.Status503ServiceUnavailable);
        }
        catch (Exception e) when (e is DbUpdateException or InvalidOperationException or System.Data.Common.DbException)
        {
            return Results.Json(new { status = "down", error = "The database does not answer." }, statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }
}

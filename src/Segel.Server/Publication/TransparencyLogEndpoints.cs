using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Segel.Core.Errors;
using Segel.Core.Supervision;
using Segel.Server.Api;
using Segel.Texts;

namespace Segel.Server.Publication;

/// <summary>
/// The public transparency log (issue 17): the newest signed tree head at a stable address, the leaves, and
/// inclusion and consistency proofs (RFC 9162), for anyone — the leaves hold hashes only.
/// </summary>
public static class TransparencyLogEndpoints
{
    public static IEndpointRouteBuilder MapTransparencyLog(this IEndpointRouteBuilder app)
    {
        RouteGroupBuilder log = app.MapGroup("/log").WithTags("Transparency log").RequireRateLimiting(RateLimits.Anonymous);
        log.MapGet("/sth", Head).WithSummary("The newest signed tree head: size, root, time, the TSA's signature and certificate, and an RFC 3161 time-stamp over the signed bytes.");
        log.MapGet("/entries", Entries).WithSummary($"Leaves from start (at most {TransparencyLog.MaxEntriesPerPage}): kind, time, the bytes hashed and their RFC 9162 leaf hash.");
        log.MapGet("/proof/inclusion", Inclusion)
            .WithSummary("An RFC 9162 inclusion proof for leaf index (or the issuance of certificate serial) in the tree of size entries (default: the newest signed head).");
        log.MapGet("/proof/consistency", Consistency).WithSummary("An RFC 9162 consistency proof that the tree of first entries is a prefix of the tree of second entries.");
        return app;
    }

    private static async Task<IResult> Head(TransparencyLog log, HttpContext context) => Results.Ok(await log.RequireLatestHeadAsync(context.RequestAborted));

    private static async Task<IResult> Entries(TransparencyLog log, long? start, int? count, HttpContext context) =>
        Results.Ok(await log.EntriesAsync(start ?? 0, count ?? 100, context.RequestAborted));

    private static async Task<IResult> Inclusion(TransparencyLog log, long? index, long? size, string? serial, HttpContext context)
    {
        if (serial is { Length: > 0 })
        {
            return await log.InclusionOfAsync(serial.Trim().ToUpperInvariant(), context.RequestAborted) is { } proof
                ? Results.Ok(proof)
                : throw SegelException.NotFound(Localized.Of("Error.NoSignedTreeHeadCovers", serial));
        }
        return Results.Ok(await log.InclusionAsync(index ?? throw SegelException.Invalid("index", Localized.Of("Error.GiveIndexSerial")), size, context.RequestAborted));
    }

    private static async Task<IResult> Consistency(TransparencyLog log, long first, long second, HttpContext context) =>
        Results.Ok(await log.ConsistencyAsync(first, second, context.RequestAborted));
}

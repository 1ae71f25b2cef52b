using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Segel.Core.Custody;
using Segel.Server.Security;

namespace Segel.Server.Api;

/// <summary>Recovery of escrowed encryption keys over HTTP (issue 23.5): the same core calls as the portal's.</summary>
public static class KeyRecoveryEndpoints
{
    public sealed record RecoveryAsk(string? Statement);

    public sealed record RecoveryPassphrase(string? Passphrase);

    public sealed record RecoveryDone(int Recovered);

    public static IEndpointRouteBuilder MapKeyRecoveryApi(this IEndpointRouteBuilder app)
    {
        RouteGroupBuilder group = app.MapGroup("/api/v1/key-recovery/requests").WithTags("Key recovery").RequireAuthorization(SegelPolicies.Api)
            .RequireRateLimiting(RateLimits.Signing);
        group.MapPost("", Request).Produces<KeyRecoveryRequestView>(StatusCodes.Status201Created)
            .WithSummary("Ask to recover my escrowed encryption keys (a forgotten passphrase, a locked key), saying why (`statement`). One open request at a time; RA officers approve it. Signing keys are never escrowed: a lost signing passphrase means re-issuance.");
        group.MapGet("", List)
            .WithSummary("Key-recovery requests: RA officers and administrators see the open ones, a holder their own.");
        group.MapPost("/{id:long}/approve", Approve)
            .WithSummary("Approve a request as an RA officer: opens my shares of the recovery keys involved with my own key (`passphrase`; wrong ones lock it) and keeps them, sealed, in the request. Not for my own keys; each officer counts once. When every recovery key involved has its threshold (at least two officers), the request is approved.");
        group.MapPost("/{id:long}/complete", Complete)
            .WithSummary("Finish my approved request with a new `passphrase`: my escrowed encryption keys are recovered and sealed under it (then exportable as PKCS#12 through POST /api/v1/me/key/pkcs12 with their `serial`); the opened shares are wiped. Once only.");
        group.MapPost("/{id:long}/close", Close)
            .WithSummary("End a request that is not finished: the holder withdraws it or an RA officer refuses it; its opened shares are wiped.");
        return app;
    }

    private static async Task<IResult> Request(RecoveryAsk request, KeyRecoveryRequests recoveries, HttpContext context, CancellationToken cancellationToken)
    {
        KeyRecoveryRequestView view = await recoveries.RequestAsync(HttpCaller.Principal(context), request?.Statement, HttpCaller.Origin(context), cancellationToken);
        return Results.Created($"/api/v1/key-recovery/requests/{view.Id}", view);
    }

    private static async Task<IResult> List(KeyRecoveryRequests recoveries, HttpContext context, CancellationToken cancellationToken) =>
        Results.Ok(await recoveries.ListAsync(HttpCaller.Principal(context), cancellationToken));

    private static async Task<IResult> Approve(long id, RecoveryPassphrase request, KeyRecoveryRequests recoveries, HttpContext context, CancellationToken cancellationToken)
    {
        context.Response.Headers.CacheControl = "no-store";
        return Results.Ok(await recoveries.ApproveAsync(id, request?.Passphrase, HttpCaller.Principal(context), HttpCaller.Origin(context), cancellationToken));
    }

    private static async Task<IResult> Complete(long id, RecoveryPassphrase request, KeyRecoveryRequests recoveries, HttpContext context, CancellationToken cancellationToken) =>
        Results.Ok(new RecoveryDone(await recoveries.CompleteAsync(id, request?.Passphrase, HttpCaller.Principal(context), HttpCaller.Origin(context), cancellationToken)));

    private static async Task<IResult> Close(long id, KeyRecoveryRequests recoveries, HttpContext context, CancellationToken cancellationToken)
    {
        await recoveries.CloseAsync(id, HttpCaller.Principal(context), HttpCaller.Origin(context), cancellationToken);
        return Results.NoContent();
    }
}

using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Segel.Core;
using Segel.Core.Ca;
using Segel.Pki.Tsa;
using Segel.Server.Api;

namespace Segel.Server.Tsa;

/// <summary>RFC 3161 over HTTP (§3.4): POST a DER TimeStampReq as application/timestamp-query, get a TimeStampResp.</summary>
public static class TimeStampEndpoints
{
    public const string QueryType = "application/timestamp-query";
    public const string ReplyType = "application/timestamp-reply";

    public static IEndpointRouteBuilder MapTimeStamping(this IEndpointRouteBuilder app)
    {
        app.MapPost("/tsa", Stamp).WithTags("Time-stamping").WithMetadata(new BodyLimit(TimeStamper.MaxRequestLength))
            .Accepts<byte[]>(QueryType).Produces<byte[]>(StatusCodes.Status200OK, ReplyType)
            .WithSummary("RFC 3161 time-stamping: a DER TimeStampReq in, a TimeStampResp out (SHA-256/384/512; a rejection response for anything else).");
        return app;
    }

    private static async Task<IResult> Stamp(HttpContext context, TimeStamping timeStamps, CancellationToken cancellationToken)
    {
        byte[] request;
        try
        {
            request = await HttpCaller.ReadBodyAsync(context, TimeStamper.MaxRequestLength, cancellationToken);
        }
        catch (BadHttpRequestException)
        {
            request = [];
        }
        byte[] reply = await timeStamps.RespondAsync(request, cancellationToken);
        context.Response.Headers.CacheControl = "no-store";
        return Results.Bytes(reply, ReplyType);
    }
}

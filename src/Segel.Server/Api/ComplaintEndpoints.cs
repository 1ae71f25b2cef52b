using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Segel.Core.Supervision;
using Segel.Server.Security;

namespace Segel.Server.Api;

/// <summary>Complaints (Pasal 16(2)e, 16(6)) over HTTP: anyone files and follows their own; the RA answers, closes and forwards; auditors read.</summary>
public static class ComplaintEndpoints
{
    public sealed record ComplaintRequest(string? Topic, string? Reference, string? Text, string? Name, string? Email);

    public sealed record AnswerRequest(string? Text, bool Close);

    public sealed record TrackRequest(string? Code);

    public static IEndpointRouteBuilder MapComplaintApi(this IEndpointRouteBuilder app)
    {
        RouteGroupBuilder api = app.MapGroup("/api/v1/complaints").WithTags("Complaints");
        api.MapPost("", File).RequireRateLimiting(RateLimits.Anonymous)
            .WithSummary("File a complaint about a certificate, a signature, an RA officer or something else (topic certificate|signature|ra-officer|other). No sign-in needed; the answer carries the number and a tracking code shown only once.");
        api.MapPost("/{number}/tracking", Track).RequireRateLimiting(RateLimits.Anonymous)
            .WithSummary("The complainant follows their complaint with its number and the tracking code (in the body, never the URL): status and answers.");
        api.MapGet("", List).RequireAuthorization(SegelPolicies.Api)
            .WithSummary("Complaints, newest first, optionally ?state=open|answered|closed (RA officers, administrators, policy administrators, auditors).");
        api.MapGet("/{number}", Get).RequireAuthorization(SegelPolicies.Api).WithSummary("One complaint with its answers and the complainant's contact.");
        api.MapPost("/{number}/answers", Answer).RequireAuthorization(SegelPolicies.Api)
            .WithSummary("Answer a complaint, and with close=true close it (RA officers, administrators); the complainant is e-mailed when they gave an address.");
        api.MapPost("/{number}/forwarding", Forward).RequireAuthorization(SegelPolicies.Api)
            .WithSummary("Forward a complaint about an RA officer to the national CA's contact address from the settings, once (Pasal 16(6)).");
        return app;
    }

    private static async Task<IResult> File(ComplaintRequest request, Complaints complaints, HttpContext context, CancellationToken cancellationToken)
    {
        FiledComplaint filed = await complaints.FileAsync(new NewComplaint(request.Topic, request.Reference, request.Text, request.Name, request.Email),
            SegelIdentity.Of(context.User), HttpCaller.Origin(context), cancellationToken);
        return Results.Created($"/api/v1/complaints/{filed.Number}", filed);
    }

    private static async Task<IResult> Track(string number, TrackRequest request, Complaints complaints, CancellationToken cancellationToken) =>
        Results.Ok(await complaints.TrackAsync(number, request.Code ?? "", cancellationToken));

    private static async Task<IResult> List(Complaints complaints, HttpContext context, string? state, int? limit, CancellationToken cancellationToken) =>
        Results.Ok(await complaints.ListAsync(state, limit ?? 100, HttpCaller.Principal(context), cancellationToken));

    private static async Task<IResult> Get(string number, Complaints complaints, HttpContext context, CancellationToken cancellationToken) =>
        Results.Ok(await complaints.GetAsync(number, HttpCaller.Principal(context), cancellationToken));

    private static async Task<IResult> Answer(string number, AnswerRequest request, Complaints complaints, HttpContext context, CancellationToken cancellationToken) =>
        Results.Ok(await complaints.AnswerAsync(number, request.Text, request.Close, HttpCaller.Principal(context), HttpCaller.Origin(context), cancellationToken));

    private static async Task<IResult> Forward(string number, Complaints complaints, HttpContext context, CancellationToken cancellationToken) =>
        Results.Ok(await complaints.ForwardAsync(number, HttpCaller.Principal(context), HttpCaller.Origin(context), cancellationToken));
}

using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Segel.Core.Kernel;
using Segel.Core.Recipients;
using Segel.Server.Security;

namespace Segel.Server.Api;

/// <summary>The certificate directory's read-only search over HTTP (issue 23.4): the same core call as the portal's page.</summary>
public static class DirectoryEndpoints
{
    public static IEndpointRouteBuilder MapDirectoryApi(this IEndpointRouteBuilder app)
    {
        RouteGroupBuilder api = app.MapGroup("/api/v1/directory").WithTags("Directory").RequireAuthorization(SegelPolicies.Api);
        api.MapGet("/", Search)
            .WithSummary($"People on file whose name, e-mail address or certificate serial matches every word of q, each with the certificates of theirs that are valid now (PEM), to encrypt to. At most {RecipientDirectory.MaxPeople} people. Any signed-in person, or scope {ApiScopes.CertificatesRead}.");
        api.MapGet("/certificates/{serial}", Download)
            .WithSummary("One certificate the directory lists, as DER (application/pkix-cert); 404 when it is not valid or not a person's on file.");
        return app;
    }

    private static async Task<IResult> Download(string serial, RecipientDirectory directory, HttpContext context, CancellationToken cancellationToken)
    {
        (DirectoryCertificate certificate, byte[] der) = await directory.CertificateAsync(HttpCaller.Principal(context), serial, cancellationToken);
        return Results.File(der, "application/pkix-cert", $"{certificate.Serial}.cer");
    }

    private static async Task<IResult> Search(string? q, RecipientDirectory directory, HttpContext context, CancellationToken cancellationToken) =>
        Results.Ok(await directory.SearchAsync(HttpCaller.Principal(context), q, cancellationToken));
}

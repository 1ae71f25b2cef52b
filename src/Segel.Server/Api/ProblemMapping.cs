using System.Globalization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Segel.Core.Errors;

namespace Segel.Server.Api;

/// <summary>Turns a <see cref="SegelException"/> into RFC 9457 problem details in the caller's language; anything else is a 500 that reveals nothing.</summary>
public sealed class ProblemMapping(IProblemDetailsService problems) : IExceptionHandler
{
    public static int StatusFor(ErrorKind kind) => kind switch
    {
        ErrorKind.Invalid => StatusCodes.Status400BadRequest,
        ErrorKind.NotFound => StatusCodes.Status404NotFound,
        ErrorKind.Conflict => StatusCodes.Status409Conflict,
        ErrorKind.Refused => StatusCodes.Status422UnprocessableEntity,
        ErrorKind.NotReady => StatusCodes.Status503ServiceUnavailable,
        ErrorKind.Forbidden or ErrorKind.Prohibited => StatusCodes.Status403Forbidden,
        _ => StatusCodes.Status400BadRequest,
    };

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        CultureInfo language = Problems.LanguageOf(httpContext);
        httpContext.Response.Headers.ContentLanguage = language.TwoLetterISOLanguageName;
        if (exception is BadHttpRequestException bad)
        {
            httpContext.Response.StatusCode = bad.StatusCode;
            ProblemDetails details = bad.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? Problems.Details(httpContext, bad.StatusCode, "toolarge", MaxMiB(httpContext))
                : Problems.Details(httpContext, bad.StatusCode, "badrequest", bad.Message);
            return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = details });
        }
        if (exception is not SegelException segel)
        {
            return false;
        }
        int status = StatusFor(segel.Kind);
        httpContext.Response.StatusCode = status;
        var problem = new ProblemDetails
        {
            Status = status,
            Title = Problems.Text(language, Problems.TitleKey(status)),
            Detail = segel.MessageIn(language),
            Type = $"https://segel.invalid/problems/{segel.Kind.ToString().ToLowerInvariant()}",
        };
        if (segel.Field is not null)
        {
            problem.Extensions["field"] = segel.Field;
        }
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem });
    }

    private static long MaxMiB(HttpContext http) =>
        (http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize ?? 0) / (1024 * 1024);
}

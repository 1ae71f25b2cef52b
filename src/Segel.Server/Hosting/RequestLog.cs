using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Segel.Core.Kernel;

namespace Segel.Server.Hosting;

/// <summary>
/// Ties a request's log lines and audit entries together by ASP.NET Core's request id (issue 25.4): the host's log
/// scope already carries it, and the core's <see cref="RequestCorrelation"/> puts it into every audit entry the
/// request writes. Then one line per request: method, route template, status and time — the template, never the path
/// or query, which can name a person or carry a code.
/// </summary>
internal static partial class RequestLog
{
    public const string Category = "Segel.Server.Requests";

    public static WebApplication UseRequestLog(this WebApplication app)
    {
        ILogger logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(Category);
        app.Use(async (context, next) =>
        {
            using IDisposable correlation = RequestCorrelation.Begin(context.TraceIdentifier);
            long started = Stopwatch.GetTimestamp();
            try
            {
                await next(context);
            }
            finally
            {
                LogLevel level = RelyingPartyPaths.Contains(context.Request.Path) ? LogLevel.Debug : LogLevel.Information;
                if (logger.IsEnabled(level))
                {
                    string route = context.GetEndpoint() is RouteEndpoint endpoint ? "/" + endpoint.RoutePattern.RawText?.TrimStart('/') : "(no route)";
                    long milliseconds = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                    LogRequest(logger, level, context.Request.Method, route, context.Response.StatusCode, milliseconds);
                }
            }
        });
        return app;
    }

    [LoggerMessage(EventName = "request", Message = "{Method} {Route} {Status} {Milliseconds} ms")]
    private static partial void LogRequest(ILogger logger, LogLevel level, string method, string route, int status, long milliseconds);
}

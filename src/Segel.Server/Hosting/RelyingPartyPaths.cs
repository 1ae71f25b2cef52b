using Microsoft.AspNetCore.Http;

namespace Segel.Server.Hosting;

/// <summary>
/// What relying parties and monitors fetch, anonymously and often: OCSP, CRLs, CA certificates, time-stamps, the
/// transparency log, health and metrics. They stay on plain HTTP when HTTPS is on (RFC 5280, RFC 6960 fetch them so),
/// and their requests are logged at Debug, not Information, so a busy responder does not drown the log.
/// </summary>
internal static class RelyingPartyPaths
{
    private static readonly string[] Paths = ["/ocsp", "/crl", "/ca", "/tsa", "/log", "/health", "/metrics"];

    public static bool Contains(PathString path) => Paths.Any(p => path.StartsWithSegments(p));
}

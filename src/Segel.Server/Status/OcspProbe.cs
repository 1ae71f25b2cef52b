using System.Diagnostics;
using Segel.Core.Ca;
using Segel.Core.Storage;
using Segel.Pki.Ocsp;
using Segel.Pki.Validation;

namespace Segel.Server.Status;

/// <summary>What this node's OCSP responder said about a certificate known to be good, checked as a relying party would.</summary>
public sealed record OcspProbeResult(bool Good, string Subject, TimeSpan Took);

/// <summary>
/// Asks this node's own responder about the time-stamping certificate (issued by the issuing CA, never revoked
/// in normal operation) and checks the answer with the same revocation checker signatures are verified with:
/// signed by the issuer or its delegated responder, about that certificate, and current.
/// </summary>
public static class OcspProbe
{
    public static async Task<OcspProbeResult> RunAsync(Authorities authorities, OcspService ocsp, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(authorities);
        ArgumentNullException.ThrowIfNull(ocsp);
        LoadedAuthority issuing = await authorities.GetActiveAsync(AuthorityRole.IssuingCa, cancellationToken);
        LoadedAuthority subject = await authorities.GetActiveAsync(AuthorityRole.TimeStamping, cancellationToken);
        var watch = Stopwatch.StartNew();
        OcspAnswer answer = await ocsp.RespondAsync(OcspRequests.Create(subject.Certificate, issuing.Certificate), cancellationToken);
        watch.Stop();
        RevocationStatus? status = RevocationChecker.Check(subject.Certificate, issuing.Certificate, [answer.Body], [], time.GetUtcNow());
        return new OcspProbeResult(status?.State == RevocationState.Good, subject.Certificate.Subject, watch.Elapsed);
    }
}

using System.Diagnostics;
using Segel.Core;
using Segel.Core.Ca;
using Segel.Core.Storage;
using Segel.Pki.Ocsp;
using Segel.Pki.Validation;
using Segel.Server.Ocsp;

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
    public static async Task<OcspProbeResult> RunAsync(SegelCa ca, OcspService ocsp, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ca);
        ArgumentNullException.ThrowIfNull(ocsp);
        LoadedAuthority issuing = await ca.Ring.GetActiveAsync(AuthorityRole.IssuingCa, cancellationToken);
        LoadedAuthority subject = await ca.Ring.GetActiveAsync(AuthorityRole.TimeStamping, cancellationToken);
        var watch = Stopwatch.StartNew();
        OcspAnswer answer = await ocsp.RespondAsync(OcspRequests.Create(subject.Certificate, issuing.Certificate), cancellationToken);
        watch.Stop();
        RevocationStatus? status = RevocationChecker.Check(subject.Certificate, issuing.Certificate, [answer.Body], [], ca.Time.GetUtcNow());
        return new OcspProbeResult(status?.State == RevocationState.Good, subject.Certificate.Subject, watch.Elapsed);
    }
}

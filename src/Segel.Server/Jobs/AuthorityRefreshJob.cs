using Segel.Core.Accounts;
using Segel.Core.Ca;
using Segel.Core.Kernel;

namespace Segel.Server.Jobs;

/// <summary>
/// Rolls the root and issuing CA over and renews the OCSP responder and TSA certificates when they are due (see ResponderRenewal), and re-reads the authorities so that a node picks up a
/// responder another node renewed. Runs at start and then hourly; a renewal happens a quarter of the
/// responder's lifetime before expiry, so every node has months to notice.
/// </summary>
public sealed partial class AuthorityRefreshJob(Authorities authorities, ResponderRenewal renewal, OcspService ocsp, TimeProvider time,
    ILogger<AuthorityRefreshJob> logger) : PeriodicJob(time, logger)
{
    protected override TimeSpan Interval => TimeSpan.FromHours(1);

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        authorities.Reload();
        int renewed = await renewal.RenewDueAsync(Principal.System, cancellationToken);
        if (renewed > 0)
        {
            LogRenewed(logger, renewed);
        }
        ocsp.Reload();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Renewed {Count} of the CA's certificates (root, issuing CA, OCSP responder, time-stamping authority).")]
    private static partial void LogRenewed(ILogger logger, int count);
}

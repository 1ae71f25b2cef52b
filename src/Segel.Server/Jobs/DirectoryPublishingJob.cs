using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Segel.Core.Kernel;
using Segel.Core.Recipients;

namespace Segel.Server.Jobs;

/// <summary>
/// Publishes holders' certificates to the LDAP directory (issue 23.4): the whole branch compared with the records at start
/// and every <see cref="DirectoryPublishing.ReconcileInterval"/>, and the employees whose certificates changed every few
/// seconds in between — at once when a revocation on this node nudges it. Does nothing when no directory is configured.
/// </summary>
public sealed partial class DirectoryPublishingJob(DirectoryPublishing directory, TimeProvider time, ILogger<DirectoryPublishingJob> logger) : BackgroundService
{
    private readonly Nudge _nudge = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!directory.Configured)
        {
            return;
        }
        directory.Nudged += (_, _) => _nudge.Release();
        DateTimeOffset reconcileAt = time.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            string round = $"job:{nameof(DirectoryPublishingJob)}:{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";
            using (RequestCorrelation.Begin(round))
            {
                try
                {
                    if (time.GetUtcNow() >= reconcileAt)
                    {
                        DirectoryRound reconciled = await directory.ReconcileAsync(stoppingToken);
                        LogReconciled(logger, reconciled.Written, reconciled.Removed);
                        reconcileAt = time.GetUtcNow() + directory.ReconcileInterval;
                    }
                    await directory.PublishPendingAsync(stoppingToken);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
#pragma warning disable CA1031 // a directory that is down must not end publishing for good; the changes wait in the table
                catch (Exception e)
#pragma warning restore CA1031
                {
                    LogFailed(logger, e);
                    await Task.Delay(TimeSpan.FromSeconds(30), TimeProvider.System, stoppingToken); // a directory that is down is not asked every poll
                }
            }
            try
            {
                // The poll is on the wall clock, not the CA's: it looks for work other nodes queued, which is no event in the CA's time.
                await _nudge.WaitAsync(directory.PollInterval, TimeProvider.System, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    public override void Dispose()
    {
        _nudge.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Certificate directory reconciled: {Written} entries written, {Removed} removed.")]
    private static partial void LogReconciled(ILogger logger, int written, int removed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing to the certificate directory failed; the changes wait and are retried.")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}

using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Prometheus;
using Segel.Core.Accounts;
using Segel.Core.Ca;
using Segel.Core.Kernel;
using Segel.Core.Operations;
using Segel.Server.Api;
using Segel.Server.Security;

namespace Segel.Server.Hosting;

/// <summary>
/// Prometheus metrics on <c>/metrics</c> (prometheus-net): HTTP requests by route and status, what the core and the PKI
/// count through .NET's metrics API (OCSP answers from cache or signed, lockouts, signing time), and gauges read from
/// <see cref="CaHealth"/> at each scrape (CRL age, certificate expiry, mail backlog, RA queues). One registry per server,
/// so several servers in one process (the tests) keep apart. Scraping needs a token with <c>metrics:read</c> (or the
/// operator's, an administrator's or an auditor's): counts of lockouts and queues are not for the public.
/// </summary>
public static class MetricsEndpoint
{
    private static readonly string[] WarningCodes = ["crl-overdue", "outbox-stuck", "smtp-not-configured", "certificate-expiring", "integrity-alarm", "trusted-list-unavailable", "upstream-unavailable", "directory-stuck", "recovery-short"];

    public static CollectorRegistry UseSegelMetrics(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        CollectorRegistry registry = Metrics.NewCustomRegistry();
        IDisposable meters = MeterBridge.Start(registry);
        app.Lifetime.ApplicationStopped.Register(meters.Dispose);
        app.UseHttpMetrics(options =>
        {
            options.SetMetricFactory(Metrics.WithCustomRegistry(registry));
            options.ReduceStatusCodeCardinality();
        });
        return registry;
    }

    public static IEndpointRouteBuilder MapSegelMetrics(this IEndpointRouteBuilder app, CollectorRegistry registry, CaHealth health)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(health);
        var factory = (MetricFactory)Metrics.WithCustomRegistry(registry);
        Gauge certificateNotAfter = factory.CreateGauge("segel_certificate_not_after_seconds", "When a CA, OCSP or TSA certificate ends (Unix time)", ["authority", "role"]);
        Gauge certificateDaysLeft = factory.CreateGauge("segel_certificate_days_left", "Days until a CA, OCSP or TSA certificate ends", ["authority", "role"]);
        Gauge crlAge = factory.CreateGauge("segel_crl_age_seconds", "Seconds since the issuer's newest CRL was issued", ["issuer"]);
        Gauge crlNextUpdate = factory.CreateGauge("segel_crl_next_update_seconds", "The nextUpdate of the issuer's newest CRL (Unix time)", ["issuer"]);
        Gauge backlog = factory.CreateGauge("segel_mail_outbox_backlog", "Notices waiting to be delivered");
        Gauge givenUp = factory.CreateGauge("segel_mail_outbox_given_up", "Notices that failed every delivery attempt");
        Gauge oldestMail = factory.CreateGauge("segel_mail_outbox_oldest_age_seconds", "Age of the oldest notice waiting (0 when none)");
        Gauge applications = factory.CreateGauge("segel_ra_applications_waiting", "Applications submitted and waiting for an RA officer");
        Gauge revocationRequests = factory.CreateGauge("segel_ra_revocation_requests_waiting", "Revocation requests waiting for an RA officer");
        Gauge pdfWaiting = factory.CreateGauge("segel_pdf_work_waiting", "PDFs waiting for a worker on this node");
        Gauge warnings = factory.CreateGauge("segel_health_warnings", "Warnings /health reports now, by code", ["code"]);
        Gauge healthy = factory.CreateGauge("segel_healthy", "1 when every CRL is current and the OCSP and TSA certificates valid");
        registry.AddBeforeCollectCallback(async cancellationToken =>
        {
            CaHealthReport report = await health.CheckAsync(cancellationToken);
            DateTimeOffset now = report.CheckedAt;
            foreach (AuthorityHealth a in report.Authorities)
            {
                certificateNotAfter.WithLabels(a.Slug, a.Role.ToString()).Set(a.NotAfter.ToUnixTimeSeconds());
                certificateDaysLeft.WithLabels(a.Slug, a.Role.ToString()).Set(Math.Round((a.NotAfter - now).TotalDays, 2));
            }
            foreach (AuthorityHealth issuer in report.Issuers.Where(i => i.CrlThisUpdate is not null))
            {
                crlAge.WithLabels(issuer.Slug).Set((now - issuer.CrlThisUpdate!.Value).TotalSeconds);
                crlNextUpdate.WithLabels(issuer.Slug).Set(issuer.CrlNextUpdate!.Value.ToUnixTimeSeconds());
            }
            OperationsHealth operations = report.Operations;
            backlog.Set(operations.OutboxBacklog);
            givenUp.Set(operations.OutboxGivenUp);
            oldestMail.Set(operations.OldestUnsent is { } oldest ? (now - oldest).TotalSeconds : 0);
            applications.Set(operations.ApplicationsWaiting);
            revocationRequests.Set(operations.RevocationRequestsWaiting);
            pdfWaiting.Set(operations.PdfWorkWaiting);
            foreach (string code in WarningCodes)
            {
                warnings.WithLabels(code).Set(report.Warnings.Count(w => w.Code == code));
            }
            healthy.Set(report.Healthy ? 1 : 0);
        });
        app.MapGet("/metrics", async (HttpContext http) =>
        {
            http.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
            await registry.CollectAndExportAsTextAsync(http.Response.Body, http.RequestAborted);
        }).RequireAuthorization(SegelPolicies.MetricsRead).ExcludeFromDescription();
        return app;
    }
}

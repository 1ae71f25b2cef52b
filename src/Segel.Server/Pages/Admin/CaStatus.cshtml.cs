using Segel.Core.Ca;
using Segel.Core.Configuration;
using Segel.Core.Kernel;
using Segel.Core.Operations;
using Segel.Server.Portal;
using Segel.Server.Security;
using Segel.Server.Status;

namespace Segel.Server.Pages.Admin;

/// <summary>The CA at a glance for those who run or supervise it: certificates, CRL age, OCSP and time-stamping (the facts of /health), and a live OCSP question.</summary>
[PortalAccess(Role.Admin | Role.PolicyAdmin | Role.Auditor)]
public sealed class CaStatusModel(OcspService ocsp, CaHealth health, Authorities authorities, TimeProvider time, SegelOptions options) : PortalPage
{
    public CaHealthReport? Report { get; private set; }

    public string PublicBaseUrl => options.PublicBaseUrl;

    public OcspProbeResult? Ocsp { get; private set; }

    public async Task OnGetAsync()
    {
        Report = await health.CheckAsync(HttpContext.RequestAborted);
        Ocsp = await OcspProbe.RunAsync(authorities, ocsp, time, HttpContext.RequestAborted);
    }

    public string Age(DateTimeOffset? at)
    {
        if (at is not { } when || Report is null)
        {
            return "—";
        }
        TimeSpan age = Report.CheckedAt - when;
        return age.TotalHours >= 1
            ? string.Format(Language, Text["HoursAgo"], (int)age.TotalHours)
            : string.Format(Language, Text["MinutesAgo"], Math.Max(0, (int)age.TotalMinutes));
    }
}

namespace Segel.Core.Kernel;

/// <summary>
/// What an API token may grant. Only these: a misspelt scope would otherwise issue a token that silently grants nothing
/// (or, read by a later version, something unintended).
/// </summary>
public static class ApiScopes
{
    public const string CertificatesRead = "certificates:read";
    public const string CertificatesIssue = "certificates:issue";
    public const string CertificatesRevoke = "certificates:revoke";
    public const string SignPdf = "sign:pdf";
    public const string StatusRead = "status:read";

    /// <summary>Sealing documents with the one institutional seal the token is bound to, from its allowed networks (issue 23.2).</summary>
    public const string SealSign = "seal:sign";

    /// <summary>Prometheus scraping <c>/metrics</c>.</summary>
    public const string MetricsRead = "metrics:read";

    public static IReadOnlyList<string> All { get; } = [CertificatesRead, CertificatesIssue, CertificatesRevoke, SignPdf, StatusRead, MetricsRead, SealSign];
}

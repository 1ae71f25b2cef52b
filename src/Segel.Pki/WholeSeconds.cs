namespace Segel.Pki;

public static class WholeSeconds
{
    /// <summary>
    /// UTC, truncated to the second: X.509, CRL and OCSP times carry whole seconds, and a stored value must
    /// equal the one encoded in the signed artefact.
    /// </summary>
    public static DateTimeOffset ToWholeSeconds(this DateTimeOffset time)
    {
        DateTimeOffset utc = time.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
    }
}

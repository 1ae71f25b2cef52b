using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using Segel.Pdf.Revocation;

namespace Segel.Pdf.Verification;

internal enum ChainVerdict
{
    Trusted,
    Indeterminate,
    Revoked,
}

/// <summary>
/// RFC 5280 path validation (.NET's X509Chain, trusting only the given anchors) at a point in time, then the
/// revocation status of every certificate in the path below the anchor at that time, from the evidence.
/// A revocation after that time harms nothing when the time is proven (a trusted time-stamp), and leaves the
/// verdict open when it is only the signer's claim.
/// </summary>
internal static class ChainValidation
{
    public static ChainVerdict Check(X509Certificate2 leaf, IEnumerable<X509Certificate2> extra, IReadOnlyCollection<X509Certificate2> anchors,
        DateTimeOffset at, bool timeProven, ValidationEvidence evidence, IEnumerable<byte[]> embeddedCrls, string prefix, List<string> findings)
    {
        if (anchors.Count == 0)
        {
            findings.Add(prefix + "no-trust-anchors");
            return ChainVerdict.Indeterminate;
        }
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(anchors.ToArray());
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = at.UtcDateTime;
        chain.ChainPolicy.VerificationTimeIgnored = false;
        chain.ChainPolicy.ExtraStore.AddRange(extra.Concat(evidence.Certificates).ToArray());
        if (!chain.Build(leaf))
        {
            findings.Add(prefix + "chain-not-trusted:" + string.Join(",", chain.ChainStatus.Select(s => s.Status)));
            return ChainVerdict.Indeterminate;
        }
        findings.Add(prefix + "chain-trusted");
        var path = chain.ChainElements.Select(e => e.Certificate).ToList();
        ChainVerdict verdict = ChainVerdict.Trusted;
        List<byte[]> crls = [.. embeddedCrls];
        var sources = new SortedSet<string>(StringComparer.Ordinal);
        for (int i = 0; i + 1 < path.Count; i++)
        {
            X509Certificate2 certificate = path[i];
            string who = certificate.GetNameInfo(X509NameType.SimpleName, false);
            RevocationStatus? status = evidence.StatusOf(certificate, path[i + 1], at, crls);
            if (status is null)
            {
                findings.Add(prefix + "revocation-unknown:" + who);
                verdict = verdict == ChainVerdict.Revoked ? verdict : ChainVerdict.Indeterminate;
                continue;
            }
            sources.Add(status.Source);
            if (status.State == RevocationState.Good)
            {
                continue;
            }
            string when = status.RevokedAt?.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";
            if (status.RevokedAt <= at)
            {
                findings.Add($"{prefix}certificate-revoked:{who}, {when}");
                verdict = ChainVerdict.Revoked;
            }
            else if (timeProven)
            {
                findings.Add($"{prefix}revoked-after-signing:{who}, {when}");
            }
            else
            {
                findings.Add($"{prefix}revoked-time-unproven:{who}, {when}");
                verdict = verdict == ChainVerdict.Revoked ? verdict : ChainVerdict.Indeterminate;
            }
        }
        if (verdict == ChainVerdict.Trusted)
        {
            findings.Add(prefix + "revocation-good:" + string.Join(",", sources));
        }
        return verdict;
    }
}

using System.Globalization;
using System.Security.Cryptography.X509Certificates;

namespace Segel.Pki.Validation;

public enum ChainVerdict
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
/// <summary>What to validate: a certificate at a time, against trust anchors, with the revocation evidence at hand.</summary>
public sealed record PathCheck(X509Certificate2 Leaf, IReadOnlyCollection<X509Certificate2> Anchors, DateTimeOffset At, RevocationEvidence Evidence)
{
    /// <summary>Certificates that may complete the path (those carried in a signature).</summary>
    public IEnumerable<X509Certificate2> Extra { get; init; } = [];

    /// <summary>Whether <see cref="At"/> is proven (a trusted time-stamp) rather than claimed.</summary>
    public bool TimeProven { get; init; }

    /// <summary>CRLs carried in the signature itself.</summary>
    public IEnumerable<byte[]> EmbeddedCrls { get; init; } = [];

    /// <summary>Whose chain this is, carried into every finding.</summary>
    public FindingSource Source { get; init; } = FindingSource.Signer;

    /// <summary>Accepted algorithms and key sizes; <see cref="AlgorithmPolicy.Default"/> when null.</summary>
    public AlgorithmPolicy? Policy { get; init; }

    /// <summary>How closely the path's certificates are held to RFC 5280's profile; to its letter unless told otherwise.</summary>
    public ConformanceLevel Conformance { get; init; } = ConformanceLevel.Rfc5280;
}

/// <summary>The verdict on a path and the findings behind it.</summary>
public sealed record PathResult(ChainVerdict Verdict, IReadOnlyList<Finding> Findings);

public static class PathValidator
{
    private const int MaxIssuerHops = 4;

    /// <summary>
    /// Validates the check's certificate at its time; the findings say why, each marked with the check's
    /// <see cref="PathCheck.Source"/> (so a time-stamping authority's chain can be told from the signer's).
    /// </summary>
    public static async Task<PathResult> CheckAsync(PathCheck check, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(check);
        var findings = new List<Finding>();
        void Add(FindingCode code, string? detail = null) => findings.Add(new Finding(code, detail, check.Source));
        return new PathResult(await CheckCoreAsync(check, Add, cancellationToken), findings);
    }

    private static async Task<ChainVerdict> CheckCoreAsync(PathCheck check, Action<FindingCode, string?> add, CancellationToken cancellationToken)
    {
        X509Certificate2 leaf = check.Leaf;
        IReadOnlyCollection<X509Certificate2> anchors = check.Anchors;
        DateTimeOffset at = check.At;
        RevocationEvidence evidence = check.Evidence;
        bool timeProven = check.TimeProven;
        if (anchors.Count == 0)
        {
            add(FindingCode.NoTrustAnchors, null);
            return ChainVerdict.Indeterminate;
        }
        List<X509Certificate2> pool = [.. check.Extra, .. evidence.Certificates];
        List<X509Certificate2>? path = BuildPath(leaf, pool, anchors, at, out string? problem, out X509Certificate2? stuck);
        // A missing intermediate is fetched from the caIssuers URL of the certificate the chain stopped at, a few
        // hops at most, asynchronously (.NET's own download would block the thread and fill the user's store).
        for (int hop = 0; path is null && stuck is not null && evidence.Online is { } online && hop < MaxIssuerHops; hop++)
        {
            IReadOnlyList<X509Certificate2> fetched = await online.FetchIssuersAsync(stuck, cancellationToken);
            if (fetched.Count == 0)
            {
                break;
            }
            pool.AddRange(fetched);
            path = BuildPath(leaf, pool, anchors, at, out problem, out stuck);
        }
        if (path is null)
        {
            add(FindingCode.ChainNotTrusted, problem);
            return ChainVerdict.Indeterminate;
        }
        if (check.Conformance == ConformanceLevel.Rfc5280 && Conformance.Problem(path) is { } nonconforming)
        {
            add(FindingCode.CertificateNonconforming, nonconforming);
            return ChainVerdict.Indeterminate;
        }
        // Named, so a report says which root: the regency's own, or an outside one the installation trusts.
        add(FindingCode.ChainTrusted, path[^1].GetNameInfo(X509NameType.SimpleName, false));
        ChainVerdict verdict = ChainVerdict.Trusted;
        string? weak = WeakLink(path, check.Policy ?? AlgorithmPolicy.Default, timeProven ? at : null);
        if (weak is not null)
        {
            add(FindingCode.WeakAlgorithm, weak);
        }
        var sources = new SortedSet<string>(StringComparer.Ordinal);
        var statuses = new RevocationStatus?[path.Count - 1];
        List<byte[]> crls = [.. evidence.Crls, .. check.EmbeddedCrls];
        for (int i = 0; i < statuses.Length; i++)
        {
            // At hand first (OCSP, then a plain complete CRL), then online (OCSP, then the CRL).
            statuses[i] = RevocationChecker.Check(path[i], path[i + 1], evidence.Ocsps, crls, at);
            if (statuses[i] is null && evidence.Online is { } online)
            {
                statuses[i] = await online.FetchOcspAsync(path[i], path[i + 1], cancellationToken) is { } ocsp
                    ? RevocationChecker.Check(path[i], path[i + 1], [ocsp], [], at)
                    : null;
                if (statuses[i] is null && await online.FetchCrlAsync(path[i], path[i + 1], cancellationToken) is { } fetched)
                {
                    crls.Add(fetched);
                    statuses[i] = RevocationChecker.Check(path[i], path[i + 1], [], crls, at);
                }
                statuses[i] = statuses[i] is { } found ? found with { Source = found.Source + "-online" } : null;
            }
        }
        int pending = Array.IndexOf(statuses, null);
        if (pending >= 0)
        {
            // What those could not settle (delta CRLs, distribution points, indirect CRLs, separate CRL keys)
            // goes through full RFC 5280 §6.3 CRL processing for the rest of the path.
            string? failure = crls.Count == 0 ? "no OCSP response or CRL" : CheckCrls(path[pending..], crls, evidence.Certificates, at);
            if (failure is null)
            {
                for (int i = pending; i < statuses.Length; i++)
                {
                    // Good at that time; a revocation since is worth telling (and matters when the time is only claimed).
                    RevocationStatus? later = RevocationChecker.Check(path[i], path[i + 1], [], crls, at);
                    statuses[i] ??= later is { State: RevocationState.Revoked } && later.RevokedAt > at ? later : new RevocationStatus(RevocationState.Good, "crl", at);
                }
            }
            else if (failure.Contains("revocation", StringComparison.OrdinalIgnoreCase) && !failure.Contains("No CRL", StringComparison.OrdinalIgnoreCase))
            {
                add(FindingCode.CertificateRevoked, failure);
                verdict = ChainVerdict.Revoked;
            }
            else
            {
                add(FindingCode.RevocationUnknown, $"{path[pending].GetNameInfo(X509NameType.SimpleName, false)} ({failure})");
                verdict = ChainVerdict.Indeterminate;
            }
        }
        for (int i = 0; i < statuses.Length; i++)
        {
            X509Certificate2 certificate = path[i];
            string who = certificate.GetNameInfo(X509NameType.SimpleName, false);
            RevocationStatus? status = statuses[i];
            if (status is null)
            {
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
                add(FindingCode.CertificateRevoked, $"{who}, {when}");
                verdict = ChainVerdict.Revoked;
            }
            else if (timeProven)
            {
                add(FindingCode.RevokedAfterSigning, $"{who}, {when}");
            }
            else
            {
                add(FindingCode.RevokedTimeUnproven, $"{who}, {when}");
                verdict = verdict == ChainVerdict.Revoked ? verdict : ChainVerdict.Indeterminate;
            }
        }
        if (verdict == ChainVerdict.Trusted)
        {
            add(FindingCode.RevocationGood, string.Join(",", sources));
        }
        // A weak link leaves the chain open, never closed: a revocation still makes it Revoked.
        return weak is not null && verdict == ChainVerdict.Trusted ? ChainVerdict.Indeterminate : verdict;
    }

    /// <summary>
    /// The first certificate of the path whose signature or key the policy does not accept at a time proven by
    /// <paramref name="provenBefore"/> (the anchor's key only: its own signature is not what makes it trusted).
    /// </summary>
    private static string? WeakLink(List<X509Certificate2> path, AlgorithmPolicy policy, DateTimeOffset? provenBefore)
    {
        for (int i = 0; i < path.Count; i++)
        {
            string? weak = i < path.Count - 1 ? policy.CheckCertificate(path[i], provenBefore) : policy.CheckKey(path[i].PublicKey, provenBefore);
            if (weak is not null)
            {
                return $"{path[i].GetNameInfo(X509NameType.SimpleName, false)}, {weak}";
            }
        }
        return null;
    }

    /// <summary>
    /// RFC 5280 §6.3 CRL processing (BouncyCastle's: complete and delta CRLs, issuing distribution points and
    /// their scopes, indirect CRLs, CRL signers with their own keys) for every certificate of
    /// <paramref name="path"/> below its last (the anchor). Null when all are good at <paramref name="at"/>,
    /// else why not.
    /// </summary>
    private static string? CheckCrls(List<X509Certificate2> path, List<byte[]> crls, IEnumerable<X509Certificate2> others, DateTimeOffset at)
    {
        var parser = new Org.BouncyCastle.X509.X509CertificateParser();
        var crlParser = new Org.BouncyCastle.X509.X509CrlParser();
        var parsedCrls = new List<Org.BouncyCastle.X509.X509Crl>();
        foreach (byte[] der in crls)
        {
            try
            {
                parsedCrls.Add(crlParser.ReadCrl(der));
            }
#pragma warning disable CA1031 // an unreadable CRL is no evidence, whatever the parser throws
            catch (Exception e) when (e is not OutOfMemoryException)
#pragma warning restore CA1031
            {
                continue;
            }
        }
        var certificates = path.Concat(others).Select(c => parser.ReadCertificate(c.RawData)).ToList();
        var anchor = new Org.BouncyCastle.Pkix.TrustAnchor(parser.ReadCertificate(path[^1].RawData), null);
        var parameters = new Org.BouncyCastle.Pkix.PkixParameters(new HashSet<Org.BouncyCastle.Pkix.TrustAnchor> { anchor })
        {
            IsRevocationEnabled = true,
            IsUseDeltasEnabled = true,
            // BouncyCastle refuses to judge CRLs at a time after its own clock (a TSA a little ahead, say); nothing later is known anyway.
            Date = at.UtcDateTime < DateTime.UtcNow ? at.UtcDateTime : DateTime.UtcNow,
        };
        parameters.AddStoreCrl(Org.BouncyCastle.Utilities.Collections.CollectionUtilities.CreateStore(parsedCrls));
        parameters.AddStoreCert(Org.BouncyCastle.Utilities.Collections.CollectionUtilities.CreateStore(certificates));
        try
        {
            new Org.BouncyCastle.Pkix.PkixCertPathValidator().Validate(
                new Org.BouncyCastle.Pkix.PkixCertPath(path[..^1].Select(c => parser.ReadCertificate(c.RawData)).ToList()), parameters);
            return null;
        }
#pragma warning disable CA1031 // as above: every failure means the CRLs do not show the path good
        catch (Exception e) when (e is not OutOfMemoryException)
#pragma warning restore CA1031
        {
            return (e.InnerException ?? e).Message;
        }
    }

    /// <summary>
    /// Builds and validates a path from <paramref name="leaf"/> to one of the anchors (RFC 5280 §6.1), leaf first,
    /// anchor last. .NET's X509Chain (OpenSSL) builds it and checks signatures, validity, name chaining, basic
    /// constraints, key usage and name constraints; it does no policy processing, so a path with policy
    /// mappings or constraints (or keys OpenSSL will not load, such as DSA with inherited parameters) is
    /// validated again by BouncyCastle's PKIX builder, which passes the NIST suite. BouncyCastle is not used for
    /// every path because it re-derives elliptic-curve tables for each key it parses (50–150 ms a signature).
    /// </summary>
    private static List<X509Certificate2>? BuildPath(X509Certificate2 leaf, IEnumerable<X509Certificate2> others, IReadOnlyCollection<X509Certificate2> anchors,
        DateTimeOffset at, out string? problem, out X509Certificate2? stuck)
    {
        stuck = null;
        List<X509Certificate2> extra = [.. others];
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(anchors.ToArray());
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = at.UtcDateTime;
        chain.ChainPolicy.VerificationTimeIgnored = false;
        // Never downloaded here: synchronously, and kept in the user's store. CheckAsync fetches missing issuers.
        chain.ChainPolicy.DisableCertificateDownloads = true;
        chain.ChainPolicy.ExtraStore.AddRange(extra.ToArray());
        try
        {
            if (!chain.Build(leaf))
            {
                problem = string.Join(",", chain.ChainStatus.Select(s => s.Status));
                if (chain.ChainStatus.Any(s => s.Status == X509ChainStatusFlags.PartialChain) && chain.ChainElements.Count > 0)
                {
                    stuck = chain.ChainElements[^1].Certificate;
                }
                return null;
            }
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return BouncyCastlePath(leaf, extra, anchors, at, out problem);
        }
        List<X509Certificate2> path = [.. chain.ChainElements.Select(e => e.Certificate)];
        if (path.FirstOrDefault(c => c.SerialNumberBytes.Length > 0 && (c.SerialNumberBytes.Span[0] & 0x80) != 0) is { } negative)
        {
            problem = $"the serial number of {negative.Subject} is negative (RFC 5280 §4.1.2.2)";
            return null;
        }
        string[] policyControls = ["2.5.29.33", "2.5.29.36", "2.5.29.54"]; // policy mappings, policy constraints, inhibit anyPolicy
        if (path.Any(c => policyControls.Any(oid => c.Extensions[oid] is not null)))
        {
            return BouncyCastlePath(leaf, extra, anchors, at, out problem);
        }
        problem = null;
        return path;
    }

    private static List<X509Certificate2>? BouncyCastlePath(X509Certificate2 leaf, IEnumerable<X509Certificate2> others, IReadOnlyCollection<X509Certificate2> anchors,
        DateTimeOffset at, out string? problem)
    {
        var parser = new Org.BouncyCastle.X509.X509CertificateParser();
        Org.BouncyCastle.X509.X509Certificate target = parser.ReadCertificate(leaf.RawData);
        var trust = new HashSet<Org.BouncyCastle.Pkix.TrustAnchor>(anchors.Select(a => new Org.BouncyCastle.Pkix.TrustAnchor(parser.ReadCertificate(a.RawData), null)));
        var store = new List<Org.BouncyCastle.X509.X509Certificate> { target };
        foreach (X509Certificate2 other in others)
        {
            store.Add(parser.ReadCertificate(other.RawData));
        }
        var parameters = new Org.BouncyCastle.Pkix.PkixBuilderParameters(trust, new Org.BouncyCastle.X509.Store.X509CertStoreSelector { Certificate = target })
        {
            IsRevocationEnabled = false, // revocation is checked below, from OCSP as well as CRLs, at the time that matters
            Date = at.UtcDateTime,
        };
        parameters.AddStoreCert(Org.BouncyCastle.Utilities.Collections.CollectionUtilities.CreateStore(store));
        try
        {
            Org.BouncyCastle.Pkix.PkixCertPathBuilderResult result = new Org.BouncyCastle.Pkix.PkixCertPathBuilder().Build(parameters);
            problem = null;
            return [.. result.CertPath.Certificates.Select(c => X509CertificateLoader.LoadCertificate(c.GetEncoded())),
                X509CertificateLoader.LoadCertificate(result.TrustAnchor.TrustedCert.GetEncoded())];
        }
#pragma warning disable CA1031 // untrusted certificates make BouncyCastle throw many kinds of exception; each means "no valid path"
        catch (Exception e) when (e is not OutOfMemoryException)
#pragma warning restore CA1031
        {
            problem = (e.InnerException ?? e).Message;
            return null;
        }
    }
}

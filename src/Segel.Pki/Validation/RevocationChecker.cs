using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Ocsp;
using Org.BouncyCastle.X509;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace Segel.Pki.Validation;

public enum RevocationState
{
    Good,
    Revoked,
}

/// <summary>What a checked OCSP response or CRL says about one certificate at one time.</summary>
public sealed record RevocationStatus(RevocationState State, string Source, DateTimeOffset IssuedAt, DateTimeOffset? RevokedAt = null);

/// <summary>
/// Reads revocation evidence (OCSP responses, CRLs) about a certificate and believes it only when it is signed by
/// the certificate's issuer or by a responder the issuer delegated to (RFC 6960 §4.2.2.2), and when it speaks
/// for the time asked about: issued after it, or current at it. A revocation is believed whenever it was issued.
/// </summary>
public static class RevocationChecker
{
    private const string OcspSigning = "1.3.6.1.5.5.7.3.9";

    public static RevocationStatus? Check(X509Certificate2 certificate, X509Certificate2 issuer, IEnumerable<byte[]> ocsps, IEnumerable<byte[]> crls, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(issuer);
        ArgumentNullException.ThrowIfNull(ocsps);
        ArgumentNullException.ThrowIfNull(crls);
        var issuerBc = new BcCertificate(issuer.RawData);
        var serial = new Org.BouncyCastle.Math.BigInteger(1, certificate.SerialNumberBytes.ToArray());
        RevocationStatus? best = null;
        foreach (byte[] ocsp in ocsps)
        {
            best = Better(best, FromOcsp(ocsp, certificate, issuer, issuerBc, at));
        }
        List<X509Crl> parsed = [.. crls.Select(Parse).OfType<X509Crl>().Where(c => c.IssuerDN.Equivalent(issuerBc.SubjectDN))];
        // Delta CRLs, or a certificate that points to them, need RFC 5280's full processing: not settled here.
        if (certificate.Extensions["2.5.29.46"] is not null || parsed.Any(c => c.GetExtensionValue(X509Extensions.DeltaCrlIndicator) is not null))
        {
            return best;
        }
        if (issuer.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault() is { } usage && !usage.KeyUsages.HasFlag(X509KeyUsageFlags.CrlSign))
        {
            return best;
        }
        foreach (X509Crl crl in parsed)
        {
            best = Better(best, FromCrl(crl, issuer, issuerBc, serial, at));
        }
        return best;
    }

    /// <summary>A revocation outweighs a good status; otherwise the newer evidence wins.</summary>
    private static RevocationStatus? Better(RevocationStatus? a, RevocationStatus? b) =>
        a is null ? b : b is null ? a
        : a.State == RevocationState.Revoked ? a : b.State == RevocationState.Revoked ? b
        : b.IssuedAt > a.IssuedAt ? b : a;

    private static bool Speaks(DateTimeOffset thisUpdate, DateTimeOffset? nextUpdate, DateTimeOffset at) =>
        thisUpdate >= at || (thisUpdate <= at && nextUpdate is { } next && next >= at);

    private static DateTimeOffset Utc(DateTime time) => new(DateTime.SpecifyKind(time, DateTimeKind.Utc));

    private static RevocationStatus? FromOcsp(byte[] der, X509Certificate2 certificate, X509Certificate2 issuer, BcCertificate issuerBc, DateTimeOffset at)
    {
        try
        {
            var response = new OcspResp(der);
            if (response.Status != OcspRespStatus.Successful || response.GetResponseObject() is not BasicOcspResp basic)
            {
                return null;
            }
            if (!SignedByIssuerOrDelegate(basic, issuer, issuerBc))
            {
                return null;
            }
            CertificateID id = OcspRequests.CertificateId(certificate, issuer);
            foreach (SingleResp single in basic.Responses)
            {
                if (!single.GetCertID().Equals(id))
                {
                    continue;
                }
                object? status = single.GetCertStatus();
                DateTimeOffset thisUpdate = Utc(single.ThisUpdate);
                DateTimeOffset? nextUpdate = single.NextUpdate is { } next ? Utc(next) : null;
                if (status is RevokedStatus revoked)
                {
                    return new RevocationStatus(RevocationState.Revoked, "ocsp", thisUpdate, Utc(revoked.RevocationTime));
                }
                if (status is null && Speaks(thisUpdate, nextUpdate, at))
                {
                    return new RevocationStatus(RevocationState.Good, "ocsp", thisUpdate);
                }
            }
            return null;
        }
#pragma warning disable CA1031 // evidence is untrusted bytes; whatever BouncyCastle throws on them, the evidence is unusable
        catch (Exception e) when (e is not OutOfMemoryException)
#pragma warning restore CA1031
        {
            return null;
        }
    }

    private static bool SignedByIssuerOrDelegate(BasicOcspResp basic, X509Certificate2 issuer, BcCertificate issuerBc)
    {
        byte[] tbs = basic.GetTbsResponseData();
        var algorithm = Org.BouncyCastle.Asn1.Ocsp.BasicOcspResponse.GetInstance(Org.BouncyCastle.Asn1.Asn1Object.FromByteArray(basic.GetEncoded())).SignatureAlgorithm;
        string oid = algorithm.Algorithm.Id;
        byte[]? parameters = algorithm.Parameters?.GetEncoded();
        if (Signatures.Verify(issuer, oid, parameters, tbs, basic.GetSignature()) ?? basic.Verify(issuerBc.GetPublicKey()))
        {
            return true;
        }
        DateTime producedAt = basic.ProducedAt;
        foreach (BcCertificate responder in basic.GetCerts())
        {
            if (!responder.IssuerDN.Equivalent(issuerBc.SubjectDN) || !CertificateSignedBy(responder, issuer, issuerBc))
            {
                continue;
            }
            if (responder.GetExtendedKeyUsage()?.Any(u => u.Id == OcspSigning) != true || !responder.IsValid(producedAt))
            {
                continue;
            }
            using X509Certificate2 delegated = X509CertificateLoader.LoadCertificate(responder.GetEncoded());
            if (Signatures.Verify(delegated, oid, parameters, tbs, basic.GetSignature()) ?? basic.Verify(responder.GetPublicKey()))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Is <paramref name="certificate"/> signed by <paramref name="issuer"/>'s key? .NET checks where it can, BouncyCastle otherwise.</summary>
    internal static bool CertificateSignedBy(BcCertificate certificate, X509Certificate2 issuer, BcCertificate issuerBc) =>
        Signatures.Verify(issuer, certificate.SigAlgOid, certificate.GetSigAlgParams(), certificate.GetTbsCertificate(), certificate.GetSignature())
            ?? certificate.IsSignatureValid(issuerBc.GetPublicKey());

    private static X509Crl? Parse(byte[] der)
    {
        try
        {
            return new X509CrlParser().ReadCrl(der);
        }
#pragma warning disable CA1031 // an unreadable CRL is no evidence
        catch (Exception e) when (e is not OutOfMemoryException)
#pragma warning restore CA1031
        {
            return null;
        }
    }

    /// <summary>
    /// A plain complete CRL: directly from the issuer, over all its certificates and reasons (no issuing
    /// distribution point), no critical extension, no critical entry extension.
    /// </summary>
    private static RevocationStatus? FromCrl(X509Crl crl, X509Certificate2 issuerCertificate, BcCertificate issuer, Org.BouncyCastle.Math.BigInteger serial, DateTimeOffset at)
    {
        try
        {
            if (crl.GetExtensionValue(X509Extensions.IssuingDistributionPoint) is not null || crl.GetCriticalExtensionOids()?.Count > 0)
            {
                return null;
            }
            if (!crl.IssuerDN.Equivalent(issuer.SubjectDN) ||
                !(Signatures.Verify(issuerCertificate, crl.SigAlgOid, crl.GetSigAlgParams(), crl.GetTbsCertList(), crl.GetSignature()) ?? crl.IsSignatureValid(issuer.GetPublicKey())))
            {
                return null;
            }
            DateTimeOffset thisUpdate = Utc(crl.ThisUpdate);
            if (crl.GetRevokedCertificate(serial) is { } entry)
            {
                if (entry.GetCriticalExtensionOids()?.Count > 0)
                {
                    return null;
                }
                return new RevocationStatus(RevocationState.Revoked, "crl", thisUpdate, Utc(entry.RevocationDate));
            }
            return Speaks(thisUpdate, crl.NextUpdate is { } next ? Utc(next) : null, at) ? new RevocationStatus(RevocationState.Good, "crl", thisUpdate) : null;
        }
#pragma warning disable CA1031 // as above
        catch (Exception e) when (e is not OutOfMemoryException)
#pragma warning restore CA1031
        {
            return null;
        }
    }

    /// <summary>The certificates an OCSP response carries (its delegated responder), for a DSS to keep beside it.</summary>
    public static IReadOnlyList<byte[]> ResponderCertificates(byte[] ocsp)
    {
        try
        {
            return new OcspResp(ocsp).GetResponseObject() is BasicOcspResp basic ? basic.GetCerts().Select(c => c.GetEncoded()).ToList() : [];
        }
#pragma warning disable CA1031 // as above
        catch (Exception e) when (e is not OutOfMemoryException)
#pragma warning restore CA1031
        {
            return [];
        }
    }
}

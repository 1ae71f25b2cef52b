using System.Security.Cryptography.X509Certificates;
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
        foreach (byte[] crl in crls)
        {
            best = Better(best, FromCrl(crl, issuerBc, serial, at));
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
            if (!SignedByIssuerOrDelegate(basic, issuerBc))
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

    private static bool SignedByIssuerOrDelegate(BasicOcspResp basic, BcCertificate issuer)
    {
        if (basic.Verify(issuer.GetPublicKey()))
        {
            return true;
        }
        DateTime producedAt = basic.ProducedAt;
        foreach (BcCertificate responder in basic.GetCerts())
        {
            if (!responder.IssuerDN.Equivalent(issuer.SubjectDN) || !responder.IsSignatureValid(issuer.GetPublicKey()))
            {
                continue;
            }
            if (responder.GetExtendedKeyUsage()?.Any(u => u.Id == OcspSigning) != true || !responder.IsValid(producedAt))
            {
                continue;
            }
            if (basic.Verify(responder.GetPublicKey()))
            {
                return true;
            }
        }
        return false;
    }

    private static RevocationStatus? FromCrl(byte[] der, BcCertificate issuer, Org.BouncyCastle.Math.BigInteger serial, DateTimeOffset at)
    {
        try
        {
            X509Crl crl = new X509CrlParser().ReadCrl(der);
            if (!crl.IssuerDN.Equivalent(issuer.SubjectDN) || !crl.IsSignatureValid(issuer.GetPublicKey()))
            {
                return null;
            }
            DateTimeOffset thisUpdate = Utc(crl.ThisUpdate);
            if (crl.GetRevokedCertificate(serial) is { } entry)
            {
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

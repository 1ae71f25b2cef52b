using System.Security.Cryptography;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cms;
using Org.BouncyCastle.Asn1.Ocsp;
using Org.BouncyCastle.Asn1.X509;
using Segel.Pki.Validation;

namespace Segel.Pdf.Signing;

/// <summary>
/// CAdES B-LT (ETSI EN 319 122-1 §5.5, baseline clause 6.3): the certificates of the signer's and the time-stamping
/// authority's chains go into <c>SignedData.certificates</c>, and a CRL or OCSP response for each into
/// <c>SignedData.crls</c> — an OCSP response as the RevocationInfoChoice <c>other</c> of RFC 5940. Neither field is
/// signed, so the data is added after signing without touching the signature, and any CMS reader still verifies it.
/// </summary>
public static class CadesValidationData
{
    /// <summary>id-ri-ocsp-response (RFC 5940 §3): an OCSP response among a SignedData's revocation information.</summary>
    public static readonly DerObjectIdentifier OcspResponseFormat = new("1.3.6.1.5.5.7.16.2");

    /// <summary>How many certificates or revocation values a signature's evidence is read from: a real one has a handful.</summary>
    private const int MaxItems = 100;

    /// <summary>The signature with the validation data of its signer and its time-stamp's authority, looked up in <paramref name="source"/> at <paramref name="at"/>.</summary>
    public static async Task<byte[]> AddAsync(byte[] cms, IRevocationSource source, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cms);
        ArgumentNullException.ThrowIfNull(source);
        ValidationData data = await LongTermValidation.CollectAsync(cms, [], source, at, null, cancellationToken);
        return With(cms, data);
    }

    /// <summary>The signature with <paramref name="data"/> added to its certificates and revocation values, each once.</summary>
    public static byte[] With(byte[] cms, ValidationData data)
    {
        ArgumentNullException.ThrowIfNull(cms);
        ArgumentNullException.ThrowIfNull(data);
        SignedData signed = SignedData.GetInstance(Org.BouncyCastle.Asn1.Cms.ContentInfo.GetInstance(Asn1Object.FromByteArray(cms)).Content);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var certificates = new Asn1EncodableVector();
        foreach (Asn1Encodable existing in signed.Certificates?.ToArray() ?? [])
        {
            seen.Add(Key(existing.GetEncoded(Asn1Encodable.Der)));
            certificates.Add(existing);
        }
        foreach (byte[] der in data.Certificates.Where(d => seen.Add(Key(d))))
        {
            certificates.Add(X509CertificateStructure.GetInstance(der));
        }
        var revocation = new Asn1EncodableVector();
        foreach (Asn1Encodable existing in signed.CRLs?.ToArray() ?? [])
        {
            seen.Add(Key(existing.GetEncoded(Asn1Encodable.Der)));
            revocation.Add(existing);
        }
        foreach (byte[] der in data.Crls.Where(d => seen.Add(Key(d))))
        {
            revocation.Add(CertificateList.GetInstance(der));
        }
        foreach (byte[] der in data.OcspResponses.Where(d => seen.Add(Key(d))))
        {
            // RevocationInfoChoice ::= CHOICE { crl CertificateList, other [1] IMPLICIT OtherRevocationInfoFormat }
            revocation.Add(new DerTaggedObject(false, 1, new OtherRevocationInfoFormat(OcspResponseFormat, OcspResponse.GetInstance(der))));
        }
        var extended = new SignedData(signed.DigestAlgorithms, signed.EncapContentInfo, new DerSet(certificates), new DerSet(revocation), signed.SignerInfos);
        return new Org.BouncyCastle.Asn1.Cms.ContentInfo(CmsObjectIdentifiers.SignedData, extended).GetEncoded(Asn1Encodable.Der);
    }

    /// <summary>
    /// The validation data a CAdES signature carries (its certificates, those of its time-stamp, its CRLs and OCSP
    /// responses) as evidence beside <paramref name="online"/>; a value that cannot be read is simply no help.
    /// </summary>
    public static RevocationEvidence Read(byte[] cms, IRevocationSource? online)
    {
        var evidence = new RevocationEvidence { Online = online };
        AddTo(evidence, cms);
        return evidence;
    }

    /// <summary>Adds what <paramref name="cms"/> carries to <paramref name="evidence"/>.</summary>
    public static void AddTo(RevocationEvidence evidence, byte[] cms)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        ArgumentNullException.ThrowIfNull(cms);
        SignedData signed;
        try
        {
            signed = SignedData.GetInstance(Org.BouncyCastle.Asn1.Cms.ContentInfo.GetInstance(Asn1Object.FromByteArray(cms)).Content);
            evidence.Certificates.AddRange(CmsCertificates.All(cms).Take(MaxItems));
        }
#pragma warning disable CA1031 // hostile bytes make BouncyCastle throw many kinds of exception; the signature's own check reports them
        catch (Exception e) when (e is not (OutOfMemoryException or OperationCanceledException))
#pragma warning restore CA1031
        {
            return;
        }
        foreach (Asn1Encodable choice in (signed.CRLs?.ToArray() ?? []).Take(MaxItems))
        {
            if (choice is Asn1TaggedObject { TagNo: 1 } tagged)
            {
                OtherRevocationInfoFormat other = OtherRevocationInfoFormat.GetInstance(tagged, false);
                if (OcspResponseFormat.Equals(other.InfoFormat))
                {
                    evidence.Ocsps.Add(other.Info.ToAsn1Object().GetEncoded(Asn1Encodable.Der));
                }
            }
            else if (choice is Asn1Sequence)
            {
                evidence.Crls.Add(choice.GetEncoded(Asn1Encodable.Der));
            }
        }
    }

    private static string Key(byte[] der) => Convert.ToHexString(SHA256.HashData(der));
}

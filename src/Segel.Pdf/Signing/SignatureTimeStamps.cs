using Org.BouncyCastle.Cms;
using Org.BouncyCastle.Tsp;

namespace Segel.Pdf.Signing;

/// <summary>
/// Reading the time-stamps a PDF signature carries, in one place: the signer's unsigned signature time-stamp
/// (PAdES B-T), a document time-stamp's own token, and the UTC instant a token states.
/// </summary>
internal static class SignatureTimeStamps
{
    /// <summary>The signature time-stamp token over this signer's value, or null when it has none.</summary>
    public static TimeStampToken? Of(SignerInformation signer) =>
        signer.UnsignedAttributes?[Org.BouncyCastle.Asn1.Pkcs.PkcsObjectIdentifiers.IdAASignatureTimeStampToken] is { } stamp
            ? new TimeStampToken(new CmsSignedData(Org.BouncyCastle.Asn1.Cms.ContentInfo.GetInstance(stamp.AttrValues[0])))
            : null;

    /// <summary>True when the CMS is itself a time-stamp token (a document time-stamp, ETSI.RFC3161).</summary>
    public static bool IsToken(CmsSignedData signed) =>
        signed.SignedContentType.Equals(Org.BouncyCastle.Asn1.Pkcs.PkcsObjectIdentifiers.IdCTTstInfo);

    /// <summary>The token's genTime; BouncyCastle gives it unspecified, and it is UTC by RFC 3161.</summary>
    public static DateTimeOffset GenTime(TimeStampToken token) =>
        new(DateTime.SpecifyKind(token.TimeStampInfo.GenTime, DateTimeKind.Utc));
}

using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography.X509Certificates;
using Segel.Pki.Keys;
using Segel.Pki.Revocation;

namespace Segel.Pki.Crl;

/// <summary>
/// Builds and signs a full CRL (RFC 5280 §5). The DER is written here with <see cref="AsnWriter"/> rather than
/// by .NET's <see cref="CertificateRevocationListBuilder"/>, whose Build time grows faster than the number of
/// entries (2.7 s for 40,000 on the reference machine, see docs/performance.md); the output is byte-for-byte
/// what that builder produces for the same input, which the tests check. Only the structure is ours: the
/// signature comes from <see cref="ISigningKey"/>.
/// </summary>
public static class CrlSigner
{
    private const string ReasonCodeOid = "2.5.29.21";
    private const string CrlNumberOid = "2.5.29.20";
    private const string AuthorityKeyIdentifierOid = "2.5.29.35";
    private const int MaxEntryLength = 64;

    public static byte[] Sign(X509Certificate2 issuer, ISigningKey key, BigInteger crlNumber,
        DateTimeOffset thisUpdate, DateTimeOffset nextUpdate, IEnumerable<RevokedEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(entries);
        if (nextUpdate <= thisUpdate)
        {
            throw new ArgumentException("nextUpdate must come after thisUpdate.", nameof(nextUpdate));
        }
        if (crlNumber.Sign < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(crlNumber), "CRL numbers are non-negative (RFC 5280 §5.2.3).");
        }
        byte[] algorithm = SignatureAlgorithms.AlgorithmIdentifier(key.Algorithm);
        byte[] tbs = EncodeTbs(issuer, algorithm, crlNumber, thisUpdate, nextUpdate, entries);

        var writer = new AsnWriter(AsnEncodingRules.DER, tbs.Length + 1024);
        using (writer.PushSequence())
        {
            writer.WriteEncodedValue(tbs);
            writer.WriteEncodedValue(algorithm);
            writer.WriteBitString(key.SignData(tbs));
        }
        return writer.Encode();
    }

    private static byte[] EncodeTbs(X509Certificate2 issuer, byte[] algorithm, BigInteger crlNumber,
        DateTimeOffset thisUpdate, DateTimeOffset nextUpdate, IEnumerable<RevokedEntry> entries)
    {
        // AsnWriter grows its buffer in 1 KiB steps, copying it each time: quadratic for a large CRL (and the
        // reason .NET's own builder is slow). So reserve an upper bound up front: an entry is at most
        // 2 (SEQUENCE) + 2+21 (serial) + 2+15 (GeneralizedTime) + 15 (reasonCode extension) = 57 bytes.
        IReadOnlyCollection<RevokedEntry> list = entries as IReadOnlyCollection<RevokedEntry> ?? entries.ToList();
        var writer = new AsnWriter(AsnEncodingRules.DER, 1024 + issuer.SubjectName.RawData.Length + list.Count * MaxEntryLength);
        using (writer.PushSequence())
        {
            writer.WriteInteger(1); // v2
            writer.WriteEncodedValue(algorithm);
            writer.WriteEncodedValue(issuer.SubjectName.RawData);
            WriteTime(writer, thisUpdate);
            WriteTime(writer, nextUpdate);
            bool any = false;
            foreach (RevokedEntry entry in list)
            {
                if (!any)
                {
                    writer.PushSequence();
                    any = true;
                }
                using (writer.PushSequence())
                {
                    writer.WriteIntegerUnsigned(entry.Serial);
                    WriteTime(writer, entry.RevokedAt);
                    // RFC 5280 §5.3.1: the reasonCode extension SHOULD be absent rather than say unspecified.
                    if (entry.Reason != RevocationReason.Unspecified)
                    {
                        using (writer.PushSequence())
                        using (writer.PushSequence())
                        {
                            writer.WriteObjectIdentifier(ReasonCodeOid);
                            using (writer.PushOctetString())
                            {
                                writer.WriteEnumeratedValue((X509RevocationReason)(int)entry.Reason);
                            }
                        }
                    }
                }
            }
            if (any)
            {
                writer.PopSequence();
            }
            using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0)))
            using (writer.PushSequence())
            {
                WriteExtension(writer, AuthorityKeyIdentifierOid,
                    X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false).RawData);
                var number = new AsnWriter(AsnEncodingRules.DER);
                number.WriteInteger(crlNumber);
                WriteExtension(writer, CrlNumberOid, number.Encode());
            }
        }
        return writer.Encode();
    }

    private static void WriteExtension(AsnWriter writer, string oid, byte[] value)
    {
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(oid);
            writer.WriteOctetString(value);
        }
    }

    /// <summary>RFC 5280 §5.1.2.4: UTCTime through 2049, GeneralizedTime from 2050, always in whole seconds.</summary>
    private static void WriteTime(AsnWriter writer, DateTimeOffset time)
    {
        DateTimeOffset utc = time.ToWholeSeconds();
        if (utc.Year < 2050)
        {
            writer.WriteUtcTime(utc);
        }
        else
        {
            writer.WriteGeneralizedTime(utc, omitFractionalSeconds: true);
        }
    }
}

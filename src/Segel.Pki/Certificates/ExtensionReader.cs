using System.Formats.Asn1;

namespace Segel.Pki.Certificates;

/// <summary>
/// RFC 5280's <c>Extensions ::= SEQUENCE OF Extension</c> read with <see cref="AsnReader"/>, one place for what an OCSP
/// request's and a CRL entry's extensions share: each is an OID, an optional critical flag, and an OCTET STRING value.
/// </summary>
public static class ExtensionReader
{
    /// <summary>The extensions in <paramref name="extensions"/> (positioned at the SEQUENCE OF), in order; anything after a value is malformed.</summary>
    public static IEnumerable<(string Oid, byte[] Value)> Read(AsnReader extensions)
    {
        ArgumentNullException.ThrowIfNull(extensions);
        while (extensions.HasData)
        {
            AsnReader extension = extensions.ReadSequence();
            string oid = extension.ReadObjectIdentifier();
            if (extension.PeekTag().HasSameClassAndValue(Asn1Tag.Boolean))
            {
                extension.ReadBoolean();
            }
            byte[] value = extension.ReadOctetString();
            extension.ThrowIfNotEmpty();
            yield return (oid, value);
        }
    }
}

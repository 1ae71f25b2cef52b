using System.Text;
using System.Xml;

namespace Segel.Pdf.Containers;

/// <summary>One signed file as an ASiCManifest names it: its name in the container, media type and SHA-256.</summary>
public sealed record DataObjectReference(string Name, string MediaType, byte[] Sha256);

/// <summary>
/// The <c>ASiCManifest</c> of ETSI EN 319 162-1 §A.4: the signature file it belongs to and the files it covers with
/// their digests. The same element is the <c>ASiCArchiveManifest</c> (§A.5), whose reference is a time-stamp token
/// (<see cref="AsicE.TimeStampMimeType"/>) and whose files include the manifests and signatures. Written with <see cref="XmlWriter"/>, read with an <see cref="XmlReader"/> that resolves nothing
/// and refuses DTDs, and bounded in size.
/// </summary>
public sealed record AsicManifest(string SignatureName, IReadOnlyList<DataObjectReference> Files, string SignatureMediaType = AsicE.SignatureMimeType)
{
    /// <summary>A manifest larger than this is refused unread: a thousand files' references fit in a tenth of it.</summary>
    public const int MaxBytes = 1024 * 1024;

    public byte[] ToXml()
    {
        var settings = new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true };
        using var buffer = new MemoryStream();
        using (var xml = XmlWriter.Create(buffer, settings))
        {
            xml.WriteStartDocument(standalone: true);
            xml.WriteStartElement("asic", "ASiCManifest", AsicE.ManifestNamespace);
            xml.WriteAttributeString("xmlns", "ds", null, AsicE.DigitalSignatureNamespace);
            xml.WriteStartElement("asic", "SigReference", AsicE.ManifestNamespace);
            xml.WriteAttributeString("URI", SignatureName);
            xml.WriteAttributeString("MimeType", SignatureMediaType);
            xml.WriteEndElement();
            foreach (DataObjectReference file in Files)
            {
                xml.WriteStartElement("asic", "DataObjectReference", AsicE.ManifestNamespace);
                xml.WriteAttributeString("URI", Uri.EscapeDataString(file.Name).Replace("%2F", "/", StringComparison.Ordinal));
                xml.WriteAttributeString("MimeType", file.MediaType);
                xml.WriteStartElement("ds", "DigestMethod", AsicE.DigitalSignatureNamespace);
                xml.WriteAttributeString("Algorithm", AsicE.Sha256);
                xml.WriteEndElement();
                xml.WriteElementString("ds", "DigestValue", AsicE.DigitalSignatureNamespace, Convert.ToBase64String(file.Sha256));
                xml.WriteEndElement();
            }
            xml.WriteEndElement();
        }
        return buffer.ToArray();
    }

    /// <summary>Reads a manifest; a <see cref="FormatException"/> says why one is not usable.</summary>
    public static AsicManifest Parse(byte[] xml)
    {
        ArgumentNullException.ThrowIfNull(xml);
        if (xml.Length > MaxBytes)
        {
            throw new FormatException($"the manifest is larger than {MaxBytes} bytes");
        }
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, MaxCharactersInDocument = MaxBytes, IgnoreWhitespace = true };
        string? signature = null;
        string signatureType = AsicE.SignatureMimeType;
        var files = new List<DataObjectReference>();
        try
        {
            using var reader = XmlReader.Create(new MemoryStream(xml), settings);
            if (reader.MoveToContent() != XmlNodeType.Element || reader.LocalName != "ASiCManifest" || reader.NamespaceURI != AsicE.ManifestNamespace)
            {
                throw new FormatException("the manifest's root is not asic:ASiCManifest");
            }
            while (reader.Read())
            {
                if (reader.NodeType != XmlNodeType.Element || reader.NamespaceURI != AsicE.ManifestNamespace)
                {
                    continue;
                }
                if (reader.LocalName == "SigReference")
                {
                    signature = signature is null ? reader.GetAttribute("URI") : throw new FormatException("the manifest references more than one signature");
                    signatureType = reader.GetAttribute("MimeType") ?? signatureType;
                }
                else if (reader.LocalName == "DataObjectReference")
                {
                    files.Add(ReadReference(reader));
                }
            }
        }
        catch (XmlException e)
        {
            throw new FormatException("the manifest is not well-formed XML: " + e.Message, e);
        }
        return new AsicManifest(signature ?? throw new FormatException("the manifest references no signature"), files, signatureType);
    }

    private static DataObjectReference ReadReference(XmlReader reader)
    {
        string uri = reader.GetAttribute("URI") ?? throw new FormatException("a DataObjectReference has no URI");
        string media = reader.GetAttribute("MimeType") ?? "application/octet-stream";
        string? algorithm = null;
        byte[]? digest = null;
        using XmlReader inner = reader.ReadSubtree();
        while (inner.Read())
        {
            if (inner.NodeType == XmlNodeType.Element && inner.NamespaceURI == AsicE.DigitalSignatureNamespace && inner.LocalName == "DigestMethod")
            {
                algorithm = inner.GetAttribute("Algorithm");
            }
            else if (inner.NodeType == XmlNodeType.Element && inner.NamespaceURI == AsicE.DigitalSignatureNamespace && inner.LocalName == "DigestValue")
            {
                digest = Convert.FromBase64String(inner.ReadElementContentAsString().Trim());
            }
        }
        if (algorithm != AsicE.Sha256 || digest is not { Length: 32 })
        {
            throw new FormatException($"{uri} is not referenced with a SHA-256 digest");
        }
        return new DataObjectReference(Uri.UnescapeDataString(uri), media, digest);
    }
}

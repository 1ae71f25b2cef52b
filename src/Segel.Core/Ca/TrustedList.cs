using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Xml;

namespace Segel.Core.Ca;

/// <summary>A trusted list that cannot be used: unreadable, not signed by its pinned signer, past its next update.</summary>
public sealed class TrustedListException : Exception
{
    public TrustedListException()
    {
    }

    public TrustedListException(string message) : base(message)
    {
    }

    public TrustedListException(string message, Exception inner) : base(message, inner)
    {
    }
}

/// <summary>
/// An ETSI TS 119 612 trusted list (the form national supervisory bodies publish their trusted CAs in), read for the CA
/// certificates of its services in force — CA/QC and CA/PKC services whose status is granted (or the older
/// undersupervision/accredited). It is believed only when its XML signature, enveloped in the list and covering the
/// whole of it, was made by the signer certificate the installation pinned, and when it is not past its next update.
/// </summary>
public static class TrustedList
{
    public const int MaxBytes = 8 * 1024 * 1024;
    private const string Tsl = "http://uri.etsi.org/02231/v2#";
    private static readonly HashSet<string> CaServices = ["http://uri.etsi.org/TrstSvc/Svctype/CA/QC", "http://uri.etsi.org/TrstSvc/Svctype/CA/PKC"];
    private static readonly HashSet<string> InForce =
    [
        "http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/granted",
        "http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/recognisedatnationallevel",
        "http://uri.etsi.org/TrstSvc/Svcstatus/undersupervision",
        "http://uri.etsi.org/TrstSvc/Svcstatus/accredited",
    ];

    public static IReadOnlyList<X509Certificate2> Read(byte[] xml, X509Certificate2 signer, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(xml);
        ArgumentNullException.ThrowIfNull(signer);
        if (xml.Length > MaxBytes)
        {
            throw new TrustedListException($"The trusted list is larger than {MaxBytes / (1024 * 1024)} MiB.");
        }
        var document = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        try
        {
            using var reader = XmlReader.Create(new MemoryStream(xml), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            document.Load(reader);
        }
        catch (XmlException e)
        {
            throw new TrustedListException("The trusted list is not well-formed XML.", e);
        }
        XmlElement root = document.DocumentElement is { LocalName: "TrustServiceStatusList", NamespaceURI: Tsl } element
            ? element
            : throw new TrustedListException("The document is not an ETSI TS 119 612 trusted list (TrustServiceStatusList).");
        Verify(document, root, signer);
        var names = new XmlNamespaceManager(document.NameTable);
        names.AddNamespace("t", Tsl);
        string? next = root.SelectSingleNode("t:SchemeInformation/t:NextUpdate/t:dateTime", names)?.InnerText.Trim();
        if (next is null || !DateTimeOffset.TryParse(next, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset nextUpdate))
        {
            throw new TrustedListException("The trusted list has no next update; a list that never expires cannot be kept current.");
        }
        if (now > nextUpdate)
        {
            throw new TrustedListException($"The trusted list was due to be replaced on {nextUpdate:yyyy-MM-dd}; it is out of date.");
        }
        var anchors = new List<X509Certificate2>();
        foreach (XmlNode service in root.SelectNodes("t:TrustServiceProviderList/t:TrustServiceProvider/t:TSPServices/t:TSPService/t:ServiceInformation", names)!)
        {
            string type = service.SelectSingleNode("t:ServiceTypeIdentifier", names)?.InnerText.Trim() ?? "";
            string status = service.SelectSingleNode("t:ServiceStatus", names)?.InnerText.Trim() ?? "";
            if (!CaServices.Contains(type) || !InForce.Contains(status))
            {
                continue;
            }
            foreach (XmlNode value in service.SelectNodes("t:ServiceDigitalIdentity/t:DigitalId/t:X509Certificate", names)!)
            {
                try
                {
                    X509Certificate2 certificate = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(value.InnerText.Trim()));
                    if (certificate.Extensions["2.5.29.19"] is X509BasicConstraintsExtension { CertificateAuthority: true })
                    {
                        anchors.Add(certificate);
                    }
                }
                catch (Exception e) when (e is FormatException or System.Security.Cryptography.CryptographicException)
                {
                    // One unreadable entry does not spoil the others.
                }
            }
        }
        return anchors;
    }

    /// <summary>
    /// Exactly one signature, a child of the list's root, with one reference to the whole document: a signature over a
    /// part of it, or a second one beside it, is how a wrapped list would smuggle in an entry nobody signed.
    /// </summary>
    private static void Verify(XmlDocument document, XmlElement root, X509Certificate2 signer)
    {
        XmlNodeList signatures = document.GetElementsByTagName("Signature", SignedXml.XmlDsigNamespaceUrl);
        if (signatures.Count != 1 || signatures[0]!.ParentNode != root)
        {
            throw new TrustedListException("The trusted list must carry exactly one signature, enveloped in the list itself.");
        }
        var signed = new SignedXml(document);
        try
        {
            signed.LoadXml((XmlElement)signatures[0]!);
        }
        catch (System.Security.Cryptography.CryptographicException e)
        {
            throw new TrustedListException("The trusted list's signature cannot be read.", e);
        }
        string id = root.GetAttribute("Id");
        if (signed.SignedInfo?.References is not { Count: 1 } references || references[0] is not Reference { Uri: { } uri } || !(uri.Length == 0 || (id.Length > 0 && uri == "#" + id)))
        {
            throw new TrustedListException("The trusted list's signature does not cover the whole list.");
        }
        bool valid;
        try
        {
            valid = signed.CheckSignature(signer, verifySignatureOnly: true);
        }
        catch (System.Security.Cryptography.CryptographicException e)
        {
            throw new TrustedListException("The trusted list's signature cannot be checked.", e);
        }
        if (!valid)
        {
            throw new TrustedListException($"The trusted list is not signed by {signer.Subject}, or it was changed after signing.");
        }
    }
}

namespace Segel.Pki.Certificates;

/// <summary>Object identifiers Segel writes; the .NET and BouncyCastle names for these are scattered.</summary>
public static class Oids
{
    public const string EmailProtection = "1.3.6.1.5.5.7.3.4";
    public const string ServerAuth = "1.3.6.1.5.5.7.3.1";
    public const string ClientAuth = "1.3.6.1.5.5.7.3.2";
    public const string TimeStamping = "1.3.6.1.5.5.7.3.8";
    public const string OcspSigning = "1.3.6.1.5.5.7.3.9";
    /// <summary>id-kp-documentSigning, RFC 9336.</summary>
    public const string DocumentSigning = "1.3.6.1.5.5.7.3.36";
    /// <summary>Microsoft's document-signing EKU, which Office checks for.</summary>
    public const string MicrosoftDocumentSigning = "1.3.6.1.4.1.311.10.3.12";
    public const string OcspNoCheck = "1.3.6.1.5.5.7.48.1.5";
    public const string CertificatePolicies = "2.5.29.32";
    public const string CpsQualifier = "1.3.6.1.5.5.7.2.1";
    public const string SubjectAltName = "2.5.29.17";
    public const string CommonName = "2.5.4.3";
    public const string SerialNumber = "2.5.4.5";
    public const string Country = "2.5.4.6";
    public const string Organization = "2.5.4.10";
    public const string OrganizationalUnit = "2.5.4.11";
    public const string EmailAddressAttribute = "1.2.840.113549.1.9.1";
}

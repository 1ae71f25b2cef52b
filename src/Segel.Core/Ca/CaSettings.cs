using Segel.Core.Configuration;
using Segel.Core.Errors;
using Segel.Pki.Certificates;
using Segel.Pki.Keys;
using Segel.Texts;

namespace Segel.Core.Ca;

/// <summary><see cref="CaOptions"/> checked and parsed once, at start-up, so a typo fails loudly before any certificate is made.</summary>
public sealed class CaSettings
{
    /// <summary>Pasal 18: a certificate is valid for two years from issuance.</summary>
    public const int HolderValidityYears = 2;

    /// <summary>A TLS server certificate's longest life: what browsers accept (CA/Browser Forum, 398 days), less a day.</summary>
    public const int TlsServerValidityDays = 397;

    public CaSettings(SegelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        CaOptions ca = options.Ca;
        try
        {
            Urls = new CaUrls(options.PublicBaseUrl, ca.RelyingPartyBaseUrl);
        }
        catch (ArgumentException e)
        {
            // One line for the operator: without ArgumentException's "(Parameter '…')" tail.
            string setting = e.ParamName == "relyingPartyBaseUrl" ? "Ca:RelyingPartyBaseUrl" : "PublicBaseUrl";
            throw SegelException.Invalid(setting, Localized.Of("Error.BaseUrlNotUsable", setting, e.Message.Split(" (Parameter", 2)[0]));
        }
        Policy = new IssuancePolicy(Urls, ValidOid(ca.PolicyOid, "Ca:PolicyOid"));
        TsaPolicyOid = ValidOid(ca.TsaPolicyOid, "Ca:TsaPolicyOid");
        Organization = Required(ca.Organization, "Ca:Organization");
        Country = ca.Country?.Trim().Length == 2 ? ca.Country.Trim().ToUpperInvariant() : throw SegelException.Invalid("Ca:Country", Localized.Of("Error.CaCountryTwoLetterIso"));
        RootName = Required(ca.RootName, "Ca:RootName");
        IssuingName = Required(ca.IssuingName, "Ca:IssuingName");
        RootAlgorithm = Algorithm(ca.RootAlgorithm, "Ca:RootAlgorithm");
        IssuingAlgorithm = Algorithm(ca.IssuingAlgorithm, "Ca:IssuingAlgorithm");
        OcspAlgorithm = Algorithm(ca.OcspAlgorithm, "Ca:OcspAlgorithm");
        TsaAlgorithm = Algorithm(ca.TsaAlgorithm, "Ca:TsaAlgorithm");
        SubscriberAlgorithm = Algorithm(ca.SubscriberAlgorithm, "Ca:SubscriberAlgorithm");
        RootValidityYears = Positive(ca.RootValidityYears, "Ca:RootValidityYears");
        IssuingValidityYears = Positive(ca.IssuingValidityYears, "Ca:IssuingValidityYears");
        if (IssuingValidityYears <= HolderValidityYears)
        {
            throw SegelException.Invalid("Ca:IssuingValidityYears", Localized.Of("Error.IssuingCaValidMoreHolders", HolderValidityYears));
        }
        OcspResponderValidity = TimeSpan.FromDays(Positive(ca.OcspResponderValidityDays, "Ca:OcspResponderValidityDays"));
        IssuingRolloverMargin = TimeSpan.FromDays(Positive(ca.IssuingRolloverMarginDays, "Ca:IssuingRolloverMarginDays"));
        TsaValidityYears = Positive(ca.TsaValidityYears, "Ca:TsaValidityYears");
        CrlValidity = TimeSpan.FromHours(Positive(ca.CrlValidityHours, "Ca:CrlValidityHours"));
        CrlRefresh = TimeSpan.FromHours(Positive(ca.CrlRefreshHours, "Ca:CrlRefreshHours"));
        if (CrlRefresh >= CrlValidity)
        {
            throw SegelException.Invalid("Ca:CrlRefreshHours", Localized.Of("Error.CaCrlRefreshHoursShorterCaCrlValidityHours"));
        }
        OcspResponseValidity = TimeSpan.FromHours(Positive(ca.OcspResponseValidityHours, "Ca:OcspResponseValidityHours"));
    }

    public CaUrls Urls { get; }

    public IssuancePolicy Policy { get; }

    public string Organization { get; }

    public string Country { get; }

    public string RootName { get; }

    public string IssuingName { get; }

    public KeyAlgorithm RootAlgorithm { get; }

    public KeyAlgorithm IssuingAlgorithm { get; }

    public KeyAlgorithm OcspAlgorithm { get; }

    public KeyAlgorithm TsaAlgorithm { get; }

    public KeyAlgorithm SubscriberAlgorithm { get; }

    public int RootValidityYears { get; }

    public int IssuingValidityYears { get; }

    /// <summary>How long before the holders' two years no longer fit that the issuing CA is rolled over.</summary>
    public TimeSpan IssuingRolloverMargin { get; }

    public TimeSpan OcspResponderValidity { get; }

    public int TsaValidityYears { get; }

    public TimeSpan CrlValidity { get; }

    public TimeSpan CrlRefresh { get; }

    public TimeSpan OcspResponseValidity { get; }

    public SubjectInfo Subject(string commonName, string? unit = null, string? email = null, string? nip = null) =>
        new(commonName, Organization, Country, unit, email, nip);

    private static string Required(string? value, string field) =>
        string.IsNullOrWhiteSpace(value) ? throw SegelException.Invalid(field, Localized.Of("Error.MustNotBeEmpty", field)) : value.Trim();

    private static int Positive(int value, string field) =>
        value > 0 ? value : throw SegelException.Invalid(field, Localized.Of("Error.NotPositive", field));

    private static KeyAlgorithm Algorithm(string? value, string field) =>
        KeyAlgorithms.TryParse(value, out KeyAlgorithm algorithm)
            ? algorithm
            : throw SegelException.Invalid(field, Localized.Of("Error.NotRsa2048Rsa3072Rsa4096Ecdsa", field, value));

    /// <summary>The policy under which the time-stamping authority answers (RFC 3161 TSTInfo.policy).</summary>
    public string TsaPolicyOid { get; }

    private static string ValidOid(string? oid, string field)
    {
        try
        {
            var writer = new System.Formats.Asn1.AsnWriter(System.Formats.Asn1.AsnEncodingRules.DER);
            writer.WriteObjectIdentifier(oid ?? "");
            return oid!;
        }
        catch (ArgumentException)
        {
            throw SegelException.Invalid(field, Localized.Of("Error.NotValidObjectIdentifier", field, oid));
        }
    }
}

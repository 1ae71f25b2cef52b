using System.Text.Json.Serialization;

namespace Segel.Pdf.Verification;

/// <summary>
/// What the revisions after a signature did, in the classes reference validators draw (pyHanko's modification
/// levels, EU DSS's object-modification categories), from least to most: the order matters, a report carries the
/// highest class any change reached. The wire names are stable; reports and the JSON API carry them.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<ChangeClass>))]
public enum ChangeClass
{
    /// <summary>Nothing after the signature, or only bookkeeping (the XMP metadata stream, /Version, the /Info dictionary).</summary>
    [JsonStringEnumMemberName("none")] None,

    /// <summary>Only validation data: a /DSS (certificates, CRLs, OCSP answers, /VRI) and document time-stamps.</summary>
    [JsonStringEnumMemberName("validation-data")] ValidationData,

    /// <summary>Form filling: field values, new signature fields and their widgets, those fields' appearances, AcroForm bookkeeping.</summary>
    [JsonStringEnumMemberName("form-filling")] FormFilling,

    /// <summary>Annotations (comments, markings) added, changed or removed, none of them covering signed text.</summary>
    [JsonStringEnumMemberName("annotations")] Annotations,

    /// <summary>Anything else: what a reader sees may differ from what was signed.</summary>
    [JsonStringEnumMemberName("other")] Other,
}

using System.Collections.Frozen;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Segel.Pki.Validation;

/// <summary>What a verification found: the vocabulary of every report (PDF signatures, time-stamps, S/MIME, chains).</summary>
public enum FindingCode
{
    ByteRangeMalformed,
    ByteRangeGapNotContents,
    CoversWholeFile,
    LaterRevisionsPresent,
    SignedRevisionUnreadable,
    ChangesAfter,
    DisallowedChange,
    CmsUnreadable,
    SignerCertificateMissing,
    SignatureIntact,
    SignatureOrDigestMismatch,
    TimestampValid,
    TimestampInvalid,
    WeakAlgorithm,
    NoTrustAnchors,
    ChainTrusted,
    ChainNotTrusted,
    RevocationGood,
    RevocationUnknown,
    CertificateRevoked,
    RevokedAfterSigning,
    RevokedTimeUnproven,
    CertificateNonconforming,
    TimestampExpiredUnproven,
    SignerExpiredUnproven,
    // An ASiC-E container (ETSI EN 319 162-1): its structure, and the files its signature's manifest covers.
    ContainerMalformed,
    ContainerFilesIntact,
    ContainerFileChanged,
    ContainerFileMissing,
    ContainerFileUnsigned,
}

/// <summary>Whose check a finding reports: the signer's, or the time-stamping authority's that vouches for the signature's time.</summary>
public enum FindingSource
{
    Signer,
    TimeStampAuthority,
}

/// <summary>
/// One finding: a code, what it concerns (a certificate's name and time, the change seen, the algorithm) and whose
/// check it comes from. Code reads the fields; reports render them in the reader's language. Its wire form — JSON
/// and the command line — stays the stable string <c>[tsa-]code[:detail]</c> (kebab-case codes), which
/// <see cref="ToString"/> writes and <see cref="Parse"/> reads.
/// </summary>
[JsonConverter(typeof(FindingJsonConverter))]
public sealed record Finding(FindingCode Code, string? Detail = null, FindingSource Source = FindingSource.Signer)
{
    private const string TsaPrefix = "tsa-";

    private static readonly FrozenDictionary<FindingCode, string> Names = Enum.GetValues<FindingCode>().ToFrozenDictionary(c => c, Kebab);
    private static readonly FrozenDictionary<string, FindingCode> Codes = Names.ToFrozenDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);

    /// <summary>The code's stable name, e.g. <c>chain-not-trusted</c>.</summary>
    public string Name => Names[Code];

    public override string ToString() => (Source == FindingSource.TimeStampAuthority ? TsaPrefix : "") + Name + (Detail is null ? "" : ":" + Detail);

    /// <summary>Reads the wire form; null for a string that is not one.</summary>
    public static Finding? Parse(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }
        FindingSource source = text.StartsWith(TsaPrefix, StringComparison.Ordinal) ? FindingSource.TimeStampAuthority : FindingSource.Signer;
        string rest = source == FindingSource.TimeStampAuthority ? text[TsaPrefix.Length..] : text;
        int colon = rest.IndexOf(':', StringComparison.Ordinal);
        string name = colon < 0 ? rest : rest[..colon];
        return Codes.TryGetValue(name, out FindingCode code) ? new Finding(code, colon < 0 ? null : rest[(colon + 1)..], source) : null;
    }

    private static string Kebab(FindingCode code)
    {
        string name = code.ToString();
        var text = new StringBuilder(name.Length + 8);
        for (int i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                text.Append('-');
            }
            text.Append(char.ToLowerInvariant(name[i]));
        }
        return text.ToString();
    }
}

/// <summary>Findings travel as their stable string (see <see cref="Finding"/>), as they always have.</summary>
public sealed class FindingJsonConverter : JsonConverter<Finding>
{
    public override Finding? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        Finding.Parse(reader.GetString()) ?? throw new JsonException("Not a finding: " + reader.GetString());

    public override void Write(Utf8JsonWriter writer, Finding value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStringValue(value.ToString());
    }
}

using System.Text.Json;
using System.Text.Json.Serialization;
using Segel.Pdf.Verification;

namespace Segel.Pdf.Commands;

/// <summary>The verification report as JSON, generated at build time (the AOT build has no reflection to do it at run time).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true, Converters = [typeof(ConclusionConverter)])]
[JsonSerializable(typeof(IReadOnlyList<SignatureReport>))]
internal sealed partial class ReportJson : JsonSerializerContext
{
    /// <summary>VALID, INDETERMINATE, INVALID: the words of the text report.</summary>
    internal sealed class ConclusionConverter() : JsonStringEnumConverter<SignatureConclusion>(JsonNamingPolicy.SnakeCaseUpper);
}

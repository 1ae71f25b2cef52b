using System.Formats.Asn1;
using Org.BouncyCastle.Cms;
using Org.BouncyCastle.Tsp;
using Segel.Pdf.Model;
using Segel.Pdf.Parsing;
using Segel.Pdf.Verification;
using Segel.Pki.Validation;

namespace Segel.Pdf.Signing;

/// <summary>How to extend a signed PDF: where its missing validation data and the new document time-stamp come from.</summary>
public sealed record PdfExtensionOptions(ITimeStampClient TimeStamps, IRevocationSource Revocation)
{
    /// <summary>The user or owner password of an encrypted PDF.</summary>
    public string? Password { get; init; }

    /// <summary>The time of a signature that states none (no time-stamp, no /M).</summary>
    public DateTimeOffset Now { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>How far the file may expand when decompressed while its signatures are read.</summary>
    public PdfReadLimits Limits { get; init; } = PdfReadLimits.Default;
}

/// <summary>What an extension added: the signatures and time-stamps it found, and the certificates, OCSP responses and CRLs it put in the DSS.</summary>
public sealed record PdfExtensionResult(int Signatures, int Certificates, int OcspResponses, int Crls);

/// <summary>
/// Extends a signed PDF to PAdES B-LTA (ETSI EN 319 142-1 §5.4–5.5), as pyHanko's <c>ltvfix</c> and DSS's extension
/// do: one revision adding to the DSS whatever validation data its signatures and time-stamps still lack — each
/// certificate of their chains and an OCSP response or CRL for each that the file does not already settle — with a
/// VRI entry per signature, then one revision with a document time-stamp over all of it. Run again before the last
/// time-stamp's authority expires, it renews the proof: the new time-stamp covers the old one and the data that
/// shows the old one was valid. Signatures are never touched; only revisions are appended.
/// </summary>
public static class PdfExtension
{
    public static async Task<PdfExtensionResult> ExtendAsync(ReadOnlyMemory<byte> input, Stream output, PdfExtensionOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(options);
        if (!output.CanSeek || !output.CanRead || !output.CanWrite)
        {
            throw new ArgumentException("The output must be seekable and readable (the time-stamp's byte ranges are hashed from it).", nameof(output));
        }
        PdfDocument document = PdfDocument.Open(input, options.Password, InflateBudget.For(input.Length, options.Limits));
        List<(string Name, PdfDictionary Signature)> signatures = [.. PdfVerifier.SignedFields(document)];
        if (signatures.Count == 0)
        {
            throw new PdfFormatException("The PDF has no signature to extend.");
        }
        RevocationEvidence held = DssEvidence.Read(document, null);
        var all = new ValidationData();
        all.AlreadyHeld([.. held.Certificates.Select(c => c.RawData), .. held.Ocsps, .. held.Crls]);
        var vri = new List<(byte[] Contents, ValidationData Data)>();
        foreach ((string name, PdfDictionary signature) in signatures)
        {
            if (signature["Contents"] is not PdfString { Bytes: { } contents })
            {
                throw new PdfFormatException($"The signature {name} has no /Contents.");
            }
            byte[] cms;
            DateTimeOffset at;
            try
            {
                cms = new AsnReader(contents, AsnEncodingRules.BER).PeekEncodedValue().ToArray();
                at = SignedAt(cms, signature, options.Now);
            }
            catch (Exception e) when (e is AsnContentException or CmsException or TspException or ArgumentException or IOException)
            {
                throw new PdfFormatException($"The signature {name} cannot be read, so there is nothing to extend it with: {e.Message}");
            }
            ValidationData own = await LongTermValidation.CollectAsync(cms, [], options.Revocation, at, held, cancellationToken);
            all.AddAll(own);
            vri.Add((contents, own));
        }
        output.SetLength(0);
        output.Write(input.Span);
        LongTermValidation.AddDss(output, all, options.Password, vri);
        await LongTermValidation.AddDocumentTimeStampAsync(output, options.TimeStamps, options.Password, cancellationToken: cancellationToken);
        return new PdfExtensionResult(signatures.Count, all.Certificates.Count, all.OcspResponses.Count, all.Crls.Count);
    }

    /// <summary>When the signature (or document time-stamp) says it was made: its time-stamp's, else its /M, else now.</summary>
    private static DateTimeOffset SignedAt(byte[] cms, PdfDictionary signature, DateTimeOffset now)
    {
        var signed = new CmsSignedData(cms);
        if (SignatureTimeStamps.IsToken(signed))
        {
            return SignatureTimeStamps.GenTime(new TimeStampToken(signed));
        }
        if (signed.GetSignerInfos().GetSigners().FirstOrDefault() is { } info && SignatureTimeStamps.Of(info) is { } token)
        {
            return SignatureTimeStamps.GenTime(token);
        }
        return PdfVerifier.ParseDate((signature["M"] as PdfString)?.AsText()) ?? now;
    }
}

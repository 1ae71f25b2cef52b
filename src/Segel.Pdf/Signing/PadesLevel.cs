namespace Segel.Pdf.Signing;

/// <summary>PAdES baseline levels (ETSI EN 319 142-1 §6): each adds to the one before it.</summary>
public enum PadesLevel
{
    /// <summary>B-B: the CAdES signature alone.</summary>
    BaselineB,

    /// <summary>B-T: plus a signature time-stamp from a TSA.</summary>
    BaselineT,

    /// <summary>B-LT: plus a DSS with the certificates and OCSP responses or CRLs needed to validate it later.</summary>
    BaselineLT,

    /// <summary>B-LTA: plus a document time-stamp over all of it, which later time-stamps can renew.</summary>
    BaselineLTA,
}

/// <summary>What a certification signature (DocMDP, ISO 32000-2 §12.8.2.2) still allows after it.</summary>
public enum DocMdpPermissions
{
    /// <summary>P=1: no changes at all; not even another signature.</summary>
    NoChanges = 1,

    /// <summary>P=2: filling in forms, instantiating page templates and signing.</summary>
    FormFillingAndSigning = 2,

    /// <summary>P=3: as P=2, plus annotations.</summary>
    FormFillingSigningAndAnnotations = 3,
}

/// <summary>The levels' names as ETSI writes them (B-B, B-T, B-LT, B-LTA).</summary>
public static class PadesLevels
{
    public static string ToName(this PadesLevel level) => level switch
    {
        PadesLevel.BaselineB => "B-B",
        PadesLevel.BaselineT => "B-T",
        PadesLevel.BaselineLT => "B-LT",
        PadesLevel.BaselineLTA => "B-LTA",
        _ => level.ToString(),
    };

    /// <summary>Reads B-B, B-T, B-LT or B-LTA (any case, with or without "PAdES-" or "BASELINE-").</summary>
    public static bool TryParse(string? text, out PadesLevel level)
    {
        string name = (text ?? "").Trim().ToUpperInvariant().Replace("PADES-", "", StringComparison.Ordinal).Replace("BASELINE-", "B-", StringComparison.Ordinal);
        (bool ok, level) = name switch
        {
            "B-B" => (true, PadesLevel.BaselineB),
            "B-T" => (true, PadesLevel.BaselineT),
            "B-LT" => (true, PadesLevel.BaselineLT),
            "B-LTA" => (true, PadesLevel.BaselineLTA),
            _ => (false, PadesLevel.BaselineB),
        };
        return ok;
    }
}

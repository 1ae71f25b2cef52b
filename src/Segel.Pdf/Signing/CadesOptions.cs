using Segel.Pki.Validation;

namespace Segel.Pdf.Signing;

/// <summary>
/// How a CAdES signature of its own (a file, an ASiC-E container) is made: its baseline level (ETSI EN 319 122-1 has
/// the same ladder as PAdES, <see cref="PadesLevel"/>), the time it claims, and what the level needs — a
/// time-stamping authority from B-T, a source of OCSP responses and CRLs from B-LT.
/// </summary>
public sealed record CadesOptions(PadesLevel Level, DateTimeOffset SigningTime)
{
    public ITimeStampClient? TimeStamps { get; init; }

    public IRevocationSource? Revocation { get; init; }

    /// <summary>The level a signer without a time-stamping authority gets (B-B), or with one (B-T).</summary>
    public static CadesOptions Basic(ITimeStampClient? timeStamps, DateTimeOffset signingTime) =>
        new(timeStamps is null ? PadesLevel.BaselineB : PadesLevel.BaselineT, signingTime) { TimeStamps = timeStamps };

    /// <summary>Refuses a level whose parts are missing, before anything is signed.</summary>
    public void Check()
    {
        if (Level is < PadesLevel.BaselineB or > PadesLevel.BaselineLTA)
        {
            throw new ArgumentOutOfRangeException(nameof(Level), Level, "Not a baseline level.");
        }
        if (Level >= PadesLevel.BaselineT && TimeStamps is null)
        {
            throw new ArgumentException($"CAdES {Level.ToName()} needs a time-stamping authority.", nameof(TimeStamps));
        }
        if (Level >= PadesLevel.BaselineLT && Revocation is null)
        {
            throw new ArgumentException($"CAdES {Level.ToName()} needs a source of OCSP responses or CRLs.", nameof(Revocation));
        }
    }
}

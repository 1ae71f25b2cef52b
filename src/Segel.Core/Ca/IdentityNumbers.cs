using System.Globalization;
using Segel.Texts;

namespace Segel.Core.Ca;

/// <summary>
/// Structural checks of the two identity numbers the regulation uses. They catch typos and swapped columns
/// in an import, not forgeries: the RA still checks the KTP and SK scans.
/// </summary>
public static class IdentityNumbers
{
    /// <summary>
    /// NIP (civil-servant number), 18 digits: birth date yyyyMMdd, appointment yyyyMM, sex (1 man, 2 woman),
    /// and a three-digit sequence.
    /// </summary>
    public static bool TryValidateNip(string? text, out string nip, out Localized? problem)
    {
        nip = (text ?? "").Replace(" ", "", StringComparison.Ordinal).Trim();
        problem = null;
        if (nip.Length != 18 || !nip.All(char.IsAsciiDigit))
        {
            problem = Localized.Of("Error.NipNot18Digits");
            return false;
        }
        if (!DateTime.TryParseExact(nip[..8], "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateTime birth))
        {
            problem = Localized.Of("Error.NipBirthDate");
            return false;
        }
        if (!DateTime.TryParseExact(nip[8..14] + "01", "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateTime appointed) || appointed <= birth)
        {
            problem = Localized.Of("Error.NipAppointmentMonth");
            return false;
        }
        if (nip[14] is not ('1' or '2'))
        {
            problem = Localized.Of("Error.NipSexDigit");
            return false;
        }
        return true;
    }

    /// <summary>
    /// NIK (national identity number on the KTP), 16 digits: province, regency, district (2 digits each),
    /// birth date ddMMyy with 40 added to the day for women, and a four-digit sequence.
    /// </summary>
    public static bool TryValidateNik(string? text, out string nik, out Localized? problem)
    {
        nik = (text ?? "").Replace(" ", "", StringComparison.Ordinal).Trim();
        problem = null;
        if (nik.Length != 16 || !nik.All(char.IsAsciiDigit))
        {
            problem = Localized.Of("Error.NikNot16Digits");
            return false;
        }
        if (nik[..2] is "00" || nik[2..4] is "00")
        {
            problem = Localized.Of("Error.NikRegionCodes");
            return false;
        }
        int day = int.Parse(nik[6..8], CultureInfo.InvariantCulture);
        if (day > 40)
        {
            day -= 40;
        }
        int month = int.Parse(nik[8..10], CultureInfo.InvariantCulture);
        if (day is < 1 or > 31 || month is < 1 or > 12)
        {
            problem = Localized.Of("Error.NikBirthDate");
            return false;
        }
        if (nik[12..] == "0000")
        {
            problem = Localized.Of("Error.NikSequence");
            return false;
        }
        return true;
    }
}

using System.Globalization;

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
    public static bool TryValidateNip(string? text, out string nip, out string? problem)
    {
        nip = (text ?? "").Replace(" ", "", StringComparison.Ordinal).Trim();
        problem = null;
        if (nip.Length != 18 || !nip.All(char.IsAsciiDigit))
        {
            problem = "a NIP has exactly 18 digits";
            return false;
        }
        if (!DateTime.TryParseExact(nip[..8], "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateTime birth))
        {
            problem = "the NIP's first 8 digits are not a birth date (yyyyMMdd)";
            return false;
        }
        if (!DateTime.TryParseExact(nip[8..14] + "01", "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateTime appointed) || appointed <= birth)
        {
            problem = "the NIP's digits 9–14 are not an appointment month (yyyyMM) after the birth date";
            return false;
        }
        if (nip[14] is not ('1' or '2'))
        {
            problem = "the NIP's 15th digit (sex) must be 1 or 2";
            return false;
        }
        return true;
    }

    /// <summary>
    /// NIK (national identity number on the KTP), 16 digits: province, regency, district (2 digits each),
    /// birth date ddMMyy with 40 added to the day for women, and a four-digit sequence.
    /// </summary>
    public static bool TryValidateNik(string? text, out string nik, out string? problem)
    {
        nik = (text ?? "").Replace(" ", "", StringComparison.Ordinal).Trim();
        problem = null;
        if (nik.Length != 16 || !nik.All(char.IsAsciiDigit))
        {
            problem = "a NIK has exactly 16 digits";
            return false;
        }
        if (nik[..2] is "00" || nik[2..4] is "00")
        {
            problem = "the NIK's province and regency codes cannot be 00";
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
            problem = "the NIK's digits 7–12 are not a birth date (ddMMyy, day + 40 for women)";
            return false;
        }
        if (nik[12..] == "0000")
        {
            problem = "the NIK's last four digits cannot be 0000";
            return false;
        }
        return true;
    }
}

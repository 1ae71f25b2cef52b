using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Segel.Testing;

/// <summary>
/// People on the employee register for tests that issue certificates at the doors (<c>segel cert issue</c>,
/// <c>POST /api/v1/certificates</c>), which only certify employees on file. Each person's NIP and NIK follow
/// from their e-mail, so a test names people by address and finds their NIP again without keeping a table.
/// </summary>
public static class Staff
{
    public const string Agency = "Dinas Komunikasi dan Informatika";

    /// <summary>The written reason a door's issuance outside the RA flow needs.</summary>
    public const string Reason = "Uji otomatis: penerbitan langsung oleh operator";

    public static string Csv(params (string Name, string Email)[] people) =>
        "nip,nik,name,position,agency_code,agency_name,work_unit,email\n" +
        string.Concat(people.Select(p => $"{Nip(p.Email)},{Nik(p.Email)},{p.Name},Pelaksana,DISKOMINFO,{Agency},,{p.Email}\n"));

    /// <summary>A valid NIP: born 1990-02-02, appointed in a month of 2000–2023, male, a sequence number.</summary>
    public static string Nip(string email)
    {
        uint h = Hash(email);
        int month = (int)(h % 288);
        return string.Create(CultureInfo.InvariantCulture, $"19900202{2000 + (month / 12)}{(month % 12) + 1:00}1{(h / 288 % 999) + 1:000}");
    }

    /// <summary>The arguments <c>segel cert issue</c> needs for this person besides the key: NIP and reason.</summary>
    public static string[] IssueArguments(string email) => ["--nip", Nip(email), "--reason", Reason];

    private static string Nik(string email)
    {
        uint h = Hash("nik:" + email);
        return string.Create(CultureInfo.InvariantCulture, $"6310{(h % 99) + 1:00}020290{(h / 99 % 9999) + 1:0000}");
    }

    private static uint Hash(string email) => BitConverter.ToUInt32(SHA256.HashData(Encoding.UTF8.GetBytes(email.ToLowerInvariant())));
}

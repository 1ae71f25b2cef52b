using System.Globalization;
using Segel.Core.Errors;
using Segel.Core.Lifecycle;

namespace Segel.Server.Bsre;

/// <summary>The national status words explained for the person at the other application's screen.</summary>
internal static class BsreText
{
    public static string Status(string status, CultureInfo language)
    {
        bool id = ErrorTexts.IsIndonesian(language);
        return status switch
        {
            NationalStatus.Issue => id ? "Sertifikat aktif" : "The certificate is valid",
            NationalStatus.Renew => id ? "Sertifikat aktif; pembaruan sedang diproses" : "The certificate is valid; a renewal is in progress",
            NationalStatus.Expired => id ? "Sertifikat sudah kedaluwarsa" : "The certificate has expired",
            NationalStatus.Revoke => id ? "Sertifikat sudah dicabut" : "The certificate was revoked",
            NationalStatus.Suspend => id ? "Kunci terkunci setelah passphrase salah berulang kali; hubungi Otoritas Pendaftaran" : "The key is locked after repeated wrong passphrases; contact the registration authority",
            NationalStatus.WaitingForVerification => id ? "Permohonan menunggu verifikasi" : "The application awaits verification",
            NationalStatus.New => id ? "Permohonan sedang disiapkan" : "The application is being prepared",
            NationalStatus.NoCertificate => id ? "Belum memiliki sertifikat" : "No certificate yet",
            NationalStatus.NotRegistered => id ? "Pengguna tidak terdaftar" : "The user is not registered",
            _ => status,
        };
    }
}

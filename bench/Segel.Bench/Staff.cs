using System.Globalization;
using System.Text;

/// <summary>A personnel file of N valid employees across 40 agencies, as the import benchmarks read it.</summary>
internal static class Staff
{
    public static string Csv(int count)
    {
        var csv = new StringBuilder("nip,nik,name,position,agency_code,agency_name,work_unit,email\n");
        for (int i = 0; i < count; i++)
        {
            // Valid NIP (born 1970-01-01 + i days, appointed 2000-01) and NIK (regency 6310, same birth date).
            DateTime birth = new DateTime(1970, 1, 1).AddDays(i % 10_000);
            csv.Append(CultureInfo.InvariantCulture, $"{birth:yyyyMMdd}200001{1 + i % 2}{i / 10_000 % 1000:000},6310{i % 100:00}{birth:ddMMyy}{1 + i / 100 % 9999:0000},Pegawai {i},Staf,PD{i % 40:00},Perangkat Daerah {i % 40},Unit {i % 7},pegawai{i}@tanahbumbukab.go.id\n");
        }
        return csv.ToString();
    }
}

using System.Globalization;

namespace Segel.Cli.Demo;

internal sealed record DemoAgency(string Code, string Name, string[] Units);

internal sealed record DemoPerson(string Nip, string Nik, string Name, string Position, DemoAgency Agency, string Unit, string Email);

/// <summary>A believable regency's staff, the same every run (a fixed seed): agencies, names, NIP and NIK that pass validation.</summary>
internal static class DemoPeople
{
    public static readonly DemoAgency[] Agencies =
    [
        new("DISKOMINFO", "Dinas Komunikasi dan Informatika", ["Sekretariat", "Bidang Persandian dan Statistik", "Bidang Aplikasi Informatika"]),
        new("DINKES", "Dinas Kesehatan", ["Sekretariat", "Bidang Pelayanan Kesehatan", "Bidang Pencegahan Penyakit"]),
        new("DISDIK", "Dinas Pendidikan", ["Sekretariat", "Bidang Pendidikan Dasar", "Bidang Tenaga Pendidik"]),
        new("BAPPEDA", "Badan Perencanaan Pembangunan Daerah", ["Sekretariat", "Bidang Perencanaan Ekonomi"]),
        new("BKPSDM", "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", ["Sekretariat", "Bidang Mutasi dan Promosi"]),
        new("DPMPTSP", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", ["Sekretariat", "Bidang Perizinan"]),
        new("DISDUKCAPIL", "Dinas Kependudukan dan Pencatatan Sipil", ["Sekretariat", "Bidang Pelayanan Pendaftaran Penduduk"]),
        new("SETDA", "Sekretariat Daerah", ["Bagian Umum", "Bagian Hukum", "Bagian Organisasi"]),
    ];

    private static readonly string[] MenFirst = ["Ahmad", "Muhammad", "Rahmat", "Budi", "Andi", "Rizky", "Fajar", "Hendra", "Syahrani", "Gusti", "Akhmad", "Yusuf", "Arief", "Taufik", "Agus", "Rudi", "Bambang", "Hairil", "Fauzan", "Irwan"];
    private static readonly string[] WomenFirst = ["Siti", "Nurul", "Sari", "Dewi", "Rina", "Fitri", "Rahmah", "Noor", "Aulia", "Wulan", "Lestari", "Hj. Aminah", "Intan", "Mariana", "Yuliani", "Raudah", "Kartika", "Nadia", "Putri", "Ratna"];
    private static readonly string[] Family = ["Hidayat", "Santoso", "Pratama", "Wulandari", "Rahman", "Hasanah", "Saputra", "Maulana", "Noor", "Fitriani", "Firdaus", "Ramadhani", "Kurniawan", "Aminah", "Syahputra", "Anwar", "Rusdiansyah", "Fadillah", "Hakim", "Yunita"];
    private static readonly string[] Positions = ["Analis Kebijakan", "Pranata Komputer", "Pengelola Data", "Arsiparis", "Analis Kepegawaian", "Perencana", "Bendahara", "Pengadministrasi Umum", "Sandiman", "Analis Keuangan", "Kepala Seksi", "Kepala Subbagian"];

    /// <summary><paramref name="count"/> employees spread over the agencies, with official addresses at <paramref name="domain"/>.</summary>
    public static List<DemoPerson> Create(int count, string domain)
    {
        var random = new Random(2026);
        var people = new List<DemoPerson>(count);
        var emails = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < count; i++)
        {
            bool woman = random.Next(2) == 1;
            string first = woman ? WomenFirst[random.Next(WomenFirst.Length)] : MenFirst[random.Next(MenFirst.Length)];
            string last = Family[random.Next(Family.Length)];
            // The two RA officers (DISKOMINFO's cryptography unit) have the names their sign-ins are printed with.
            (woman, first, last) = i switch { 0 => (false, "Rahmat", "Hidayat"), 8 => (true, "Sari", "Wulandari"), _ => (woman, first, last) };
            var birth = new DateTime(1966 + random.Next(34), 1 + random.Next(12), 1 + random.Next(28), 0, 0, 0, DateTimeKind.Unspecified);
            var appointed = birth.AddYears(22 + random.Next(12)).AddMonths(random.Next(12));
            if (appointed.Year > 2025)
            {
                appointed = new DateTime(2025, 3, 1, 0, 0, 0, DateTimeKind.Unspecified);
            }
            string nip = string.Create(CultureInfo.InvariantCulture, $"{birth:yyyyMMdd}{appointed:yyyyMM}{(woman ? 2 : 1)}{i + 1:000}");
            int day = birth.Day + (woman ? 40 : 0);
            string nik = string.Create(CultureInfo.InvariantCulture, $"6310{1 + random.Next(10):00}{day:00}{birth:MMyy}{i + 1:0000}");
            DemoAgency agency = Agencies[i % Agencies.Length];
            string name = $"{first} {last}";
            string local = $"{first.Replace("Hj. ", "", StringComparison.Ordinal)}.{last}".ToLowerInvariant().Replace(' ', '.');
            string email = $"{local}@{domain}";
            for (int n = 2; !emails.Add(email); n++)
            {
                email = $"{local}{n}@{domain}";
            }
            bool officer = i is 0 or 8;
            people.Add(new DemoPerson(nip, nik, name, officer ? "Sandiman" : Positions[random.Next(Positions.Length)], agency,
                officer ? agency.Units[1] : agency.Units[random.Next(agency.Units.Length)], email));
        }
        return people;
    }

    public static string Csv(IEnumerable<DemoPerson> people) =>
        "nip;nik;nama;jabatan;kode_perangkat_daerah;nama_perangkat_daerah;unit_kerja;email\n" +
        string.Concat(people.Select(p => $"{p.Nip};{p.Nik};{p.Name};{p.Position};{p.Agency.Code};{p.Agency.Name};{p.Unit};{p.Email}\n"));
}

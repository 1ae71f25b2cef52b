using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Segel.Testing;

namespace Segel.EndToEnd.Tests;

/// <summary><c>segel demo</c> as a newcomer runs it: a regency in a new folder, the sign-ins printed, and everything in it real.</summary>
public sealed partial class DemoTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    private string Data => _dir.File("demo");

    [Fact]
    public async Task Demo_fills_a_new_folder_with_a_regency_whose_letters_certificates_and_record_are_real()
    {
        string output = Segel.Slow(_dir.Path, TimeSpan.FromMinutes(10), "demo", "--data", Data, "--employees", "120").Stdout;
        foreach (string expected in new[] { "demo-segel-2026", "kepala.diskominfo", "rahmat", "auditor", "admin", "segel demo code" })
        {
            Assert.Contains(expected, output, StringComparison.Ordinal);
        }

        // The signed letters: poppler and qpdf accept them.
        MatchCollection letters = Letter().Matches(output);
        Assert.Equal(3, letters.Count);
        foreach (Match letter in letters)
        {
            Tool.Run("qpdf", "--check", letter.Groups[1].Value).Check();
            Assert.Contains("Signature Validation: Signature is Valid.", Tool.Run("pdfsig", letter.Groups[1].Value).Output, StringComparison.Ordinal);
        }

        // History lived through: expired, revoked and valid certificates; the audit chain intact.
        Assert.Equal(10, Holders(Segel.Ok(_dir.Path, "cert", "list", "--data", Data, "--status", "expired").Stdout));
        Assert.Equal(3, Holders(Segel.Ok(_dir.Path, "cert", "list", "--data", Data, "--status", "revoked").Stdout));
        Segel.Ok(_dir.Path, "audit", "verify", "--data", Data);
        YearlyReportIsSignedAndSaysWhatTheDatabaseSays();

        // A folder that is not empty is refused, and codes come only from a demonstration folder's secrets.
        Tool.Result again = Segel.Run(_dir.Path, "demo", "--data", Data);
        Assert.NotEqual(0, again.ExitCode);
        Assert.Contains("not empty", again.Stderr, StringComparison.Ordinal);
        string code = Segel.Ok(_dir.Path, "demo", "code", "--data", Data, "--user", "rahmat").Stdout.Trim();
        Assert.Matches("^[0-9]{6}$", code);
        Assert.NotEqual(0, Segel.Run(_dir.Path, "demo", "code", "--data", Data, "--user", "budi").ExitCode);

        // Served, an RA officer signs in with the printed password and that code and finds the queue waiting.
        await using ServerProcess server = Segel.Serve(_dir.Path, null, "--data", Data);
        await server.WaitUntilReadyAsync();
        using HttpClient client = server.Client();
        HttpResponseMessage session = await client.PostAsJsonAsync("/api/v1/sessions", new { username = "rahmat", password = "demo-segel-2026", totp = code });
        Assert.True(session.IsSuccessStatusCode, await session.Content.ReadAsStringAsync());
        string token = JsonDocument.Parse(await session.Content.ReadAsStringAsync()).RootElement.GetProperty("token").GetString()!;
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        JsonElement queue = JsonDocument.Parse(await client.GetStringAsync("/api/v1/enrollments?state=submitted")).RootElement;
        Assert.Equal(17, queue.GetProperty("total").GetInt32());
        string page = await client.GetStringAsync(new Uri(letters[0].Groups[2].Value).AbsolutePath);
        Assert.Contains("masih berlaku", page, StringComparison.Ordinal);
    }

    /// <summary>
    /// The year's Pasal 25 report, signed by the head of the persandian unit with their custody key: pdfsig accepts the
    /// signature, and the coverage table says what the database says, as counted here by Python's sqlite3.
    /// </summary>
    private void YearlyReportIsSignedAndSaysWhatTheDatabaseSays()
    {
        string passphrase = _dir.Write("kkse.txt", "passphrase pemilik demo\n");
        string year = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).Year.ToString(System.Globalization.CultureInfo.InvariantCulture);
        string pdf = _dir.File("laporan.pdf");
        Assert.Contains("signed by kkse", Segel.Ok(_dir.Path, "report", "--data", Data, "--period", year, "--format", "pdf", "--signer", "kkse",
            "--passphrase-file", passphrase, "--out", pdf).Stdout, StringComparison.Ordinal);
        Tool.Run("qpdf", "--check", pdf).Check();
        string signature = Tool.Run("pdfsig", pdf).Output;
        Assert.Contains("Signature Validation: Signature is Valid.", signature, StringComparison.Ordinal);
        Assert.Contains("Signature Type: ETSI.CAdES.detached", signature, StringComparison.Ordinal);
        string text = Tool.Run("pdftotext", "-layout", pdf, "-").Check().Stdout;
        Assert.Contains("Laporan Pengawasan dan Evaluasi Sertifikat Elektronik", text, StringComparison.Ordinal);
        Assert.DoesNotContain("DRAF", text, StringComparison.Ordinal);
        // Stored times are EF Core's DateTimeOffset binary form: (ticks / 1000) << 11, the offset (UTC, 0) in the low bits.
        string counted = Tool.Run("/usr/bin/python3", "-c", """
            import sqlite3, sys, time
            db = sqlite3.connect(sys.argv[1])
            now = (int(time.time() * 10_000_000) + 621_355_968_000_000_000) // 1000 << 11
            query = ("select a.Code, (select count(*) from employees e where e.AgencyId = a.Id),"
                     " (select count(distinct c.EmployeeId) from certificates c join employees e on e.Id = c.EmployeeId"
                     "  where e.AgencyId = a.Id and c.Profile in ('subscriber', 'ra-officer') and c.NotBefore <= ? and c.NotAfter > ?"
                     "  and (c.RevokedAt is null or c.RevokedAt > ?)) from agencies a order by a.Code")
            for code, employees, holders in db.execute(query, (now, now, now)):
                print(code, employees, holders)
            """, Path.Combine(Data, "segel.db")).Check().Stdout;
        string[] agencies = counted.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(8, agencies.Length);
        foreach (string agency in agencies)
        {
            string[] figures = agency.Split(' ');
            Assert.Matches(new Regex($@"(?m)^{figures[0]} - .*?\s{figures[1]}\s+{figures[2]}\s+[0-9]+,[0-9]\s*$"), text);
        }
    }

    private static int Holders(string list) => list.Split('\n').Count(l => l.Contains(" subscriber ", StringComparison.Ordinal));

    [GeneratedRegex(@"(\S+\.pdf)\s+→\s+(\S+)")]
    private static partial Regex Letter();

    public void Dispose() => _dir.Dispose();
}

using Segel.Testing;

namespace Segel.EndToEnd.Tests;

/// <summary>
/// `segel-pdf`, the Native AOT build of the `pdf` commands, published here as a user would and run as a native
/// program: what trimming and ahead-of-time compilation could break (JSON, BouncyCastle, resources) is exercised
/// for real, and poppler's pdfsig checks what it signs.
/// </summary>
// In the release build's collection: its scripts/release.sh publishes the same project into the same obj folder, and
// two NativeAOT links there at once failed one of them ("ld returned 1 exit status") — the two tests must not overlap.
[Collection(ReleaseBuild.Collection)]
public sealed class PdfToolTests : IAsyncLifetime, IDisposable
{
    private static readonly Lazy<string> Program = new(Publish);
    private readonly TempDirectory _dir = new();
    private ServerProcess _server = null!;

    private string Data => _dir.File("ca");

    public async Task InitializeAsync()
    {
        _server = Segel.Serve(_dir.Path, null, "--data", Data);
        await _server.WaitUntilReadyAsync();
        Segel.Ok(_dir.Path, "ca", "chain", "--data", Data, "--out", _dir.File("chain.pem"));
        _dir.Write("pw.txt", "kata-sandi-rahasia\n");
        Segel.Register(_dir.Path, Data, null, ("Rina Wati", "rina@tanahbumbukab.go.id"));
        Segel.Ok(_dir.Path, ["cert", "issue", "--data", Data, .. Staff.IssueArguments("rina@tanahbumbukab.go.id"),
            "--p12", _dir.File("rina.p12"), "--password-file", _dir.File("pw.txt")]);
        File.WriteAllBytes(_dir.File("surat.pdf"), SamplePdf.Letter());
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _dir.Dispose();

    private Tool.Result Run(params string[] arguments) => Tool.Run(Program.Value, arguments, _dir.Path);

    [Fact]
    public void The_native_program_signs_what_pdfsig_accepts_and_verifies_online_and_offline()
    {
        // Invisible B-B: pdfsig (NSS trusting Segel's root) and qpdf accept it.
        Tool.Result signed = Run("sign", "--in", _dir.File("surat.pdf"), "--out", _dir.File("bb.pdf"), "--p12", _dir.File("rina.p12"),
            "--password-file", _dir.File("pw.txt"), "--reason", "Menyetujui", "--location", "Batulicin");
        Assert.True(signed.ExitCode == 0, signed.Output);
        Assert.Contains("Rina Wati", signed.Stdout, StringComparison.Ordinal);
        Tool.Run("qpdf", "--check", _dir.File("bb.pdf")).Check();
        string chain = File.ReadAllText(_dir.File("chain.pem"));
        _dir.Write("root.pem", chain[chain.LastIndexOf("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal)..]);
        Directory.CreateDirectory(_dir.File("nss"));
        Tool.Run("certutil", "-N", "-d", _dir.File("nss"), "--empty-password").Check();
        Tool.Run("certutil", "-A", "-n", "Segel Root", "-t", "CT,C,C", "-i", _dir.File("root.pem"), "-d", _dir.File("nss")).Check();
        Tool.Result pdfsig = Tool.Run("pdfsig", "-nssdir", _dir.File("nss"), _dir.File("bb.pdf"));
        Assert.True(pdfsig.Stdout.Contains("Signature is Valid", StringComparison.Ordinal), pdfsig.Output);
        Assert.Contains("Total document signed", pdfsig.Stdout, StringComparison.Ordinal);

        // Online, the OCSP answer comes from the server: valid, in Bahasa Indonesia unless asked otherwise.
        Tool.Result online = Run("verify", _dir.File("bb.pdf"), "--trust", _dir.File("chain.pem"));
        Assert.True(online.ExitCode == 0, online.Output);
        Assert.Contains("SAH (VALID)", online.Stdout, StringComparison.Ordinal);
        // Offline there is nothing to say whether the certificate was revoked.
        Tool.Result offline = Run("verify", _dir.File("bb.pdf"), "--trust", _dir.File("chain.pem"), "--offline", "--json");
        Assert.Equal(8, offline.ExitCode);
        Assert.Contains("\"conclusion\": \"INDETERMINATE\"", offline.Stdout, StringComparison.Ordinal);

        // Visible B-LT with Segel's TSA: the file carries its revocation data, so it is valid offline, where the
        // program reads none of the system's TLS roots.
        Tool.Result lt = Run("sign", "--in", _dir.File("bb.pdf"), "--out", _dir.File("lt.pdf"), "--p12", _dir.File("rina.p12"),
            "--password-file", _dir.File("pw.txt"), "--tsa", _server.Url + "/tsa", "--level", "B-LT", "--box", "330,80,230,80",
            "--qr", "https://segel.tanahbumbukab.go.id/verify/1", "--position", "Analis Kebijakan");
        Assert.True(lt.ExitCode == 0, lt.Output);
        Tool.Run("qpdf", "--check", _dir.File("lt.pdf")).Check();
        Tool.Result both = Run("verify", _dir.File("lt.pdf"), "--trust", _dir.File("chain.pem"), "--offline", "--lang", "en");
        Assert.Contains("Signature 2 (", both.Stdout, StringComparison.Ordinal);
        Assert.Contains("a time-stamping authority vouches for the time", both.Stdout, StringComparison.Ordinal);
        Assert.Contains("VALID", both.Stdout.Split('\n').Last(l => l.StartsWith("Signature 2", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.True(Tool.Run("pdfsig", "-nssdir", _dir.File("nss"), "-no-ocsp", _dir.File("lt.pdf")).Stdout.Split("Signature #2")[0].Contains("Signature is Valid", StringComparison.Ordinal));

        // `extend` adds a document time-stamp from the server's TSA (B-LTA); online, all three verify.
        Tool.Result extended = Run("extend", _dir.File("lt.pdf"), "--out", _dir.File("lta.pdf"), "--tsa", _server.Url + "/tsa");
        Assert.True(extended.ExitCode == 0, extended.Output);
        Tool.Run("qpdf", "--check", _dir.File("lta.pdf")).Check();
        Tool.Result lta = Run("verify", _dir.File("lta.pdf"), "--trust", _dir.File("chain.pem"), "--lang", "en");
        Assert.True(lta.ExitCode == 0, lta.Output);
        Assert.Contains("Document time-stamp 3", lta.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Mistakes_are_one_plain_line_and_an_exit_code()
    {
        AssertOneLineError(Run("sign", "--in", _dir.File("pw.txt"), "--out", _dir.File("x.pdf"), "--p12", _dir.File("rina.p12"), "--password-file", _dir.File("pw.txt")),
            2, "not a PDF");
        _dir.Write("wrong.txt", "salah\n");
        AssertOneLineError(Run("sign", "--in", _dir.File("surat.pdf"), "--out", _dir.File("x.pdf"), "--p12", _dir.File("rina.p12"), "--password-file", _dir.File("wrong.txt")),
            2, "wrong password");
        AssertOneLineError(Run("sign", "--in", _dir.File("surat.pdf"), "--out", _dir.File("x.pdf"), "--password-file", _dir.File("pw.txt")), 2, "Give --p12");
        AssertOneLineError(Run("sign", "--in", _dir.File("surat.pdf")), 2, "--out");
        AssertOneLineError(Run("verify", _dir.File("nothing.pdf")), 2, "does not exist");
        AssertOneLineError(Run("extend", _dir.File("surat.pdf"), "--out", _dir.File("x.pdf")), 2, "Give --tsa");
        AssertOneLineError(Run("extend", _dir.File("surat.pdf"), "--out", _dir.File("x.pdf"), "--tsa", _server.Url + "/tsa"), 2, "no signature");
        AssertOneLineError(Run("verify", _dir.File("surat.pdf"), "--trust", _dir.File("pw.txt")), 2, "no readable PEM");
        Assert.False(File.Exists(_dir.File("x.pdf")));
        Assert.Equal(8, Run("verify", _dir.File("surat.pdf")).ExitCode);
        Tool.Result help = Run("--help");
        Assert.Equal(0, help.ExitCode);
        Assert.Contains("verify", help.Stdout, StringComparison.Ordinal);
    }

    private static void AssertOneLineError(Tool.Result result, int exitCode, string expected)
    {
        Assert.Equal(exitCode, result.ExitCode);
        string[] lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, $"expected one line on stderr, got:\n{result.Output}");
        Assert.StartsWith("segel-pdf: ", lines[0], StringComparison.Ordinal);
        Assert.Contains(expected, lines[0], StringComparison.Ordinal);
    }

    /// <summary>Publishes segel-pdf once for the run, as the README tells users to, into the checkout's artifacts folder.</summary>
    private static string Publish()
    {
        string output = Path.Combine(Segel.RepositoryRoot, "artifacts", "segel-pdf");
        Tool.Result published = Tool.Run("dotnet", ["publish", Path.Combine(Segel.RepositoryRoot, "src", "Segel.Pdf.Tool"), "-c", Segel.Configuration, "-o", output, "-nologo", "-v", "quiet"],
            Segel.RepositoryRoot, timeout: TimeSpan.FromMinutes(10));
        Assert.True(published.ExitCode == 0, published.Output);
        string program = Path.Combine(output, "segel-pdf");
        // Native code, not a .NET assembly started by the runtime host.
        Assert.Equal("\u007fELF"u8.ToArray(), File.ReadAllBytes(program)[..4]);
        Assert.False(File.Exists(Path.Combine(output, "segel-pdf.dll")));
        return program;
    }
}

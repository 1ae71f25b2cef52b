using Segel.Testing;

namespace Segel.EndToEnd.Tests;

/// <summary>The command-line contract that scripts and later work rely on.</summary>
public sealed class CliTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    private string Data => _dir.File("ca");

    [Fact]
    public void Init_then_issue_from_csr_and_with_generated_key_then_revoke_and_read_the_crl()
    {
        Segel.Ok(_dir.Path, "init", "--data", Data, "--base-url", "http://segel.tanahbumbukab.go.id");
        Segel.Ok(_dir.Path, "ca", "chain", "--data", Data, "--out", _dir.File("chain.pem"));

        Tool.OpenSslOk("req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", _dir.File("k.pem"), "-out", _dir.File("r.csr"),
            "-subj", "/CN=Rahmat Hidayat/emailAddress=rahmat@tanahbumbukab.go.id");
        AssertOneLineError(Segel.Run(_dir.Path, "cert", "issue", "--data", Data, "--csr", _dir.File("r.csr"), "--out", _dir.File("c.pem"),
            "--nip", "198003122005011002", "--reason", Staff.Reason), "No employee with NIP 198003122005011002 is on file", exitCode: 6);
        Segel.Register(_dir.Path, Data, null, ("Rahmat Hidayat", "rahmat@tanahbumbukab.go.id"), ("Siti Aminah", "siti@tanahbumbukab.go.id"));
        AssertOneLineError(Segel.Run(_dir.Path, ["cert", "issue", "--data", Data, "--csr", _dir.File("r.csr"), "--out", _dir.File("c.pem"),
            .. Staff.IssueArguments("rahmat@tanahbumbukab.go.id"), "--email", "rahmat@gmail.com"]), "not the official e-mail on file", exitCode: 6);
        AssertOneLineError(Segel.Run(_dir.Path, "cert", "issue", "--data", Data, "--csr", _dir.File("r.csr"), "--out", _dir.File("c.pem"),
            "--nip", Staff.Nip("rahmat@tanahbumbukab.go.id")), "written reason", exitCode: 2);
        Assert.False(File.Exists(_dir.File("c.pem")));
        string issued = Segel.Ok(_dir.Path, ["cert", "issue", "--data", Data, "--csr", _dir.File("r.csr"), "--out", _dir.File("c.pem"),
            "--unit", Staff.Agency, .. Staff.IssueArguments("rahmat@tanahbumbukab.go.id")]).Stdout;
        Assert.Contains("c.pem: OK", Tool.OpenSslOk("verify", "-CAfile", _dir.File("chain.pem"), _dir.File("c.pem")), StringComparison.Ordinal);
        string text = Tool.OpenSslOk("x509", "-in", _dir.File("c.pem"), "-noout", "-text");
        Assert.Contains("URI:http://segel.tanahbumbukab.go.id/crl/issuing-ca.crl", text, StringComparison.Ordinal);
        Assert.Contains("E-mail Protection", text, StringComparison.Ordinal);
        Assert.Contains("1.3.6.1.5.5.7.3.36", text, StringComparison.Ordinal);
        string notBefore = Tool.OpenSslOk("x509", "-in", _dir.File("c.pem"), "-noout", "-startdate").Trim().Split('=')[1];
        string notAfter = Tool.OpenSslOk("x509", "-in", _dir.File("c.pem"), "-noout", "-enddate").Trim().Split('=')[1];
        Assert.Equal(notBefore.Replace(notBefore[^8..^4], (int.Parse(notBefore[^8..^4], System.Globalization.CultureInfo.InvariantCulture) + 2).ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal), notAfter);

        _dir.Write("pw.txt", "kata-sandi-rahasia\n");
        Segel.Ok(_dir.Path, ["cert", "issue", "--data", Data, .. Staff.IssueArguments("siti@tanahbumbukab.go.id"), "--name", "Siti Aminah",
            "--p12", _dir.File("siti.p12"), "--password-file", _dir.File("pw.txt")]);
        Assert.Contains("BEGIN PRIVATE KEY", Tool.OpenSslOk("pkcs12", "-in", _dir.File("siti.p12"), "-passin", "pass:kata-sandi-rahasia", "-nodes"), StringComparison.Ordinal);

        string serial = Tool.OpenSslOk("x509", "-in", _dir.File("c.pem"), "-noout", "-serial").Trim().Split('=')[1];
        Assert.Contains(serial, issued, StringComparison.Ordinal);
        Segel.Ok(_dir.Path, "cert", "revoke", "--data", Data, "--serial", serial, "--reason", "cessationOfOperation");
        Segel.Ok(_dir.Path, "crl", "--data", Data, "--out", _dir.File("crl.der"));
        string crl = Tool.OpenSslOk("crl", "-inform", "DER", "-in", _dir.File("crl.der"), "-noout", "-text");
        Assert.Contains(serial, crl, StringComparison.Ordinal);
        Assert.Contains("Cessation Of Operation", crl, StringComparison.Ordinal);

        Assert.Contains("revoked", Segel.Ok(_dir.Path, "cert", "list", "--data", Data, "--status", "revoked").Stdout, StringComparison.Ordinal);
        Assert.Contains("Rahmat Hidayat", Segel.Ok(_dir.Path, "cert", "show", "--data", Data, "--serial", serial).Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void User_errors_print_one_plain_line_and_exit_non_zero()
    {
        Segel.Ok(_dir.Path, "init", "--data", Data);
        AssertOneLineError(Segel.Run(_dir.Path, "init", "--data", Data), "never overwrites");
        AssertOneLineError(Segel.Run(_dir.Path, "cert", "revoke", "--data", Data, "--serial", "ABCD", "--reason", "certificateHold"), "Unknown reason");
        AssertOneLineError(Segel.Run(_dir.Path, "cert", "revoke", "--data", Data, "--serial", "ABCD", "--reason", "keyCompromise"), "No certificate with serial ABCD");
        AssertOneLineError(Segel.Run(_dir.Path, "cert", "issue", "--data", Data, "--csr", _dir.File("missing.csr"), "--out", _dir.File("x.pem")), "does not exist");
        _dir.Write("bad.csr", "this is not a CSR");
        AssertOneLineError(Segel.Run(_dir.Path, "cert", "issue", "--data", Data, "--csr", _dir.File("bad.csr"), "--out", _dir.File("x.pem")), "PKCS#10");
        Segel.Register(_dir.Path, Data, null, ("Xaverius", "x@tanahbumbukab.go.id"));
        AssertOneLineError(Segel.Run(_dir.Path, ["cert", "issue", "--data", Data, .. Staff.IssueArguments("x@tanahbumbukab.go.id"), "--p12", _dir.File("x.p12"),
            "--password-file", _dir.Write("short.txt", "abc")]), "at least 8");
        AssertOneLineError(Segel.Run(_dir.Path, "cert", "list", "--data", _dir.File("nowhere")), "segel init");
        AssertOneLineError(Segel.Run(_dir.Path, "cert", "frobnicate"), "frobnicate");
        AssertOneLineError(Segel.Run(_dir.Path, "crl", "--data", Data), "--out");
    }

    [Fact]
    public void Audit_verify_passes_on_an_intact_record_and_names_the_first_altered_entry()
    {
        Segel.Ok(_dir.Path, "init", "--data", Data);
        _dir.Write("pw.txt", "kata-sandi-rahasia");
        Segel.Register(_dir.Path, Data, null, ("Siti Aminah", "siti@tanahbumbukab.go.id"));
        Segel.Ok(_dir.Path, ["cert", "issue", "--data", Data, .. Staff.IssueArguments("siti@tanahbumbukab.go.id"),
            "--p12", _dir.File("siti.p12"), "--password-file", _dir.File("pw.txt")]);
        Assert.Matches("intact: [3-9] entries", Segel.Ok(_dir.Path, "audit", "verify", "--data", Data).Stdout);
        Assert.Contains("certificate.issued", Segel.Ok(_dir.Path, "audit", "list", "--data", Data).Stdout, StringComparison.Ordinal);

        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(Data, "segel.db")};Pooling=false"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE audit_records SET \"Subject\" = 'someone else' WHERE \"Sequence\" = 2";
            Assert.Equal(1, command.ExecuteNonQuery());
        }
        Tool.Result broken = Segel.Run(_dir.Path, "audit", "verify", "--data", Data);
        Assert.Equal(8, broken.ExitCode);
        Assert.Contains("broken at entry #2", broken.Stderr, StringComparison.Ordinal);
        Assert.Single(broken.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void An_undone_revocation_is_caught_by_log_verify_against_a_saved_head_and_never_leaves_the_crl()
    {
        Segel.Ok(_dir.Path, "init", "--data", Data);
        IssueHolder("siti", "Siti Aminah");
        string serial = Tool.OpenSslOk("x509", "-in", _dir.File("siti.pem"), "-noout", "-serial").Trim().Split('=')[1];
        Segel.Ok(_dir.Path, "cert", "revoke", "--data", Data, "--serial", serial, "--reason", "keyCompromise");
        Assert.Contains("\"treeSize\"", Segel.Ok(_dir.Path, "log", "head", "--data", Data, "--out", _dir.File("saved-sth.json")).Stdout, StringComparison.Ordinal);
        Assert.Contains("The transparency log is intact", Segel.Ok(_dir.Path, "log", "verify", "--data", Data, "--sth", _dir.File("saved-sth.json")).Stdout,
            StringComparison.Ordinal);

        // The insider clears the revocation in the database.
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(Data, "segel.db")};Pooling=false"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"UPDATE certificates SET \"RevokedAt\" = NULL, \"RevocationReason\" = NULL WHERE \"SerialHex\" = '{serial}'";
            Assert.Equal(1, command.ExecuteNonQuery());
        }
        Tool.Result caught = Segel.Run(_dir.Path, "log", "verify", "--data", Data, "--sth", _dir.File("saved-sth.json"));
        Assert.Equal(8, caught.ExitCode);
        Assert.Contains($"certificate {serial} as revoked", caught.Stderr, StringComparison.Ordinal);
        Assert.Contains("revocation was undone", caught.Stderr, StringComparison.Ordinal);
        // The next CRL is refused rather than published without the serial.
        Tool.Result crl = Segel.Run(_dir.Path, "crl", "--data", Data, "--out", _dir.File("after.crl"), "--publish");
        Assert.True(crl.ExitCode != 0 || Tool.OpenSslOk("crl", "-inform", "DER", "-in", _dir.File("after.crl"), "-noout", "-text").Contains(serial, StringComparison.Ordinal),
            crl.Output);
        AssertOneLineError(Segel.Run(_dir.Path, "log", "verify", "--data", Data, "--sth", _dir.Write("junk.json", "{\"treeSize\": 3")), "not a signed tree head");
    }

    [Fact]
    public void The_supervision_report_counts_an_issuance_outside_the_ra_and_refuses_a_period_that_is_none()
    {
        Segel.Ok(_dir.Path, "init", "--data", Data);
        IssueHolder("siti", "Siti Aminah");
        string year = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).Year.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains(" is in ", Segel.Ok(_dir.Path, "report", "--data", Data, "--period", year, "--out", _dir.File("laporan.csv")).Stdout, StringComparison.Ordinal);
        string[] rows = File.ReadAllLines(_dir.File("laporan.csv"));
        Assert.Contains("certificates,issued-outside-ra,1", rows);
        Assert.Contains("report,audit-intact,yes", rows);
        AssertOneLineError(Segel.Run(_dir.Path, "report", "--data", Data, "--period", "semester-3"), "half-year", 2);
        Segel.Ok(_dir.Path, "report", "--data", Data, "--period", year, "--format", "xlsx", "--out", _dir.File("laporan.xlsx"));
        Assert.Equal("PK"u8.ToArray(), File.ReadAllBytes(_dir.File("laporan.xlsx"))[..2]);
        AssertOneLineError(Segel.Run(_dir.Path, "report", "--data", Data, "--period", year, "--format", "xlsx"), "--out", 2);
    }

    [Fact]
    public void Failed_init_leaves_nothing_that_blocks_a_retry()
    {
        Tool.Result failed = Segel.Run(_dir.Path, "init", "--data", Data, "--db-provider", "postgres", "--db", "Host=127.0.0.1;Port=1;Database=nothing;Timeout=2");
        AssertOneLineError(failed, "database");
        Assert.False(File.Exists(Path.Combine(Data, "segel.json")));
        Segel.Ok(_dir.Path, "init", "--data", Data);
    }

    [Fact]
    public void Employees_import_reports_bad_rows_and_imports_nothing_then_imports_a_clean_file()
    {
        Segel.Ok(_dir.Path, "init", "--data", Data);
        const string header = "nip;nik;nama;jabatan;kode_pd;nama_pd;unit_kerja;surel\n";
        const string good = "198507152010011003;6310011507850001;Budi Santoso;Pranata Komputer;DISKOMINFO;Dinas Kominfo;;budi@tanahbumbukab.go.id\n";
        _dir.Write("bad.csv", header + good + "1985;6310011507850002;Siti;;DISKOMINFO;;;siti@tanahbumbukab.go.id\n");
        Tool.Result rejected = Segel.Run(_dir.Path, "employees", "import", "--data", Data, "--file", _dir.File("bad.csv"));
        Assert.Equal(2, rejected.ExitCode);
        Assert.Contains("line 3 (1985): a NIP has exactly 18 digits", rejected.Stderr, StringComparison.Ordinal);
        Assert.Contains("nothing was imported", rejected.Stderr, StringComparison.Ordinal);

        _dir.Write("good.csv", header + good);
        Assert.Contains("Imported 1 rows: 1 new", Segel.Ok(_dir.Path, "employees", "import", "--data", Data, "--file", _dir.File("good.csv")).Stdout, StringComparison.Ordinal);
        string listed = Segel.Ok(_dir.Path, "employees", "list", "--data", Data, "--agency", "diskominfo").Stdout;
        Assert.Contains("Budi Santoso", listed, StringComparison.Ordinal);
        Assert.DoesNotContain("6310011507850001", listed, StringComparison.Ordinal);
        Assert.Contains("DISKOMINFO", Segel.Ok(_dir.Path, "agencies", "list", "--data", Data).Stdout, StringComparison.Ordinal);

        // Agencies and the settings changed while Segel runs, from the console: the core's rules and refusals.
        Assert.Equal(2, Segel.Run(_dir.Path, "agencies", "add", "--data", Data, "--code", "B P", "--name", "Badan").ExitCode);
        Assert.Contains("Added BPBD", Segel.Ok(_dir.Path, "agencies", "add", "--data", Data, "--code", "bpbd", "--name", "Badan Penanggulangan Bencana Daerah").Stdout, StringComparison.Ordinal);
        Assert.Equal(5, Segel.Run(_dir.Path, "agencies", "add", "--data", Data, "--code", "BPBD", "--name", "Lagi").ExitCode);
        Tool.Result badDays = Segel.Run(_dir.Path, "settings", "set", "--data", Data, "--reminder-days", "60,tujuh");
        Assert.Equal(2, badDays.ExitCode);
        Assert.Contains("tujuh is not a number of days from 1 to 365.", badDays.Stderr, StringComparison.Ordinal);
        Segel.Ok(_dir.Path, "settings", "set", "--data", Data, "--reminder-days", "60, 30");
        string settings = Segel.Ok(_dir.Path, "settings", "show", "--data", Data).Stdout;
        Assert.Contains("reminder-days  60, 30  (changed by cli:", settings, StringComparison.Ordinal);
        Assert.Contains("email-domains  tanahbumbukab.go.id  (segel.json or default)", settings, StringComparison.Ordinal);
        Assert.Contains("intact", Segel.Ok(_dir.Path, "audit", "verify", "--data", Data).Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Users_and_api_tokens_are_managed_from_the_console()
    {
        Segel.Ok(_dir.Path, "init", "--data", Data);
        _dir.Write("pw.txt", "kuda-laut-berlari-7\n");
        string officer = Segel.Ok(_dir.Path, "users", "add", "--data", Data, "--username", "petugas", "--name", "Petugas RA",
            "--role", "ra-officer", "--password-file", _dir.File("pw.txt")).Stdout;
        Assert.Contains("otpauth://totp/", officer, StringComparison.Ordinal);
        AssertOneLineError(Segel.Run(_dir.Path, "users", "add", "--data", Data, "--username", "kepala", "--name", "Kepala",
            "--role", "agency-head", "--password-file", _dir.File("pw.txt")), "agency");
        AssertOneLineError(Segel.Run(_dir.Path, "users", "add", "--data", Data, "--username", "x", "--name", "X",
            "--role", "root", "--password-file", _dir.File("pw.txt")), "Unknown role");
        Assert.Contains("petugas", Segel.Ok(_dir.Path, "users", "list", "--data", Data).Stdout, StringComparison.Ordinal);

        string issued = Segel.Ok(_dir.Path, "tokens", "issue", "--data", Data, "--name", "SRIKANDI", "--scope", "sign:pdf", "--scope", "certificates:read", "--days", "30").Stdout;
        Assert.Contains("sgl_", issued, StringComparison.Ordinal);
        AssertOneLineError(Segel.Run(_dir.Path, "tokens", "issue", "--data", Data, "--name", "X", "--scope", "sign"), "There is no scope 'sign'");
        Segel.Ok(_dir.Path, "tokens", "revoke", "--data", Data, "--id", "1");
        string listed = Segel.Ok(_dir.Path, "tokens", "list", "--data", Data).Stdout;
        Assert.Contains("revoked", listed, StringComparison.Ordinal);
        Assert.DoesNotContain("sgl_", listed, StringComparison.Ordinal);
        AssertOneLineError(Segel.Run(_dir.Path, "tokens", "revoke", "--data", Data, "--id", "1"), "already revoked");
        Assert.Contains("intact", Segel.Ok(_dir.Path, "audit", "verify", "--data", Data).Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void The_first_ra_officer_is_certified_at_the_console_and_exported_checkpoints_catch_a_cut_back_record()
    {
        Segel.Ok(_dir.Path, "init", "--data", Data);
        _dir.Write("staff.csv", "nip;nik;nama;kode_pd;nama_pd;surel\n198203102006041002;6310011003820003;Rahmat Hidayat;DISKOMINFO;Dinas Kominfo;rahmat@tanahbumbukab.go.id\n");
        Segel.Ok(_dir.Path, "employees", "import", "--data", Data, "--file", _dir.File("staff.csv"), "--no-accounts");
        _dir.Write("pw.txt", "kuda-laut-berlari-7\n");
        Segel.Ok(_dir.Path, "users", "add", "--data", Data, "--username", "rahmat", "--name", "Rahmat Hidayat", "--role", "ra-officer",
            "--employee", "198203102006041002", "--password-file", _dir.File("pw.txt"));
        _dir.Write("weak.txt", "rahmat");
        AssertOneLineError(Segel.Run(_dir.Path, "users", "certify", "--data", Data, "--username", "rahmat", "--passphrase-file", _dir.File("weak.txt")), "passphrase");
        _dir.Write("passphrase.txt", "kunci rahasia petugas RA\n");
        string certified = Segel.Ok(_dir.Path, "users", "certify", "--data", Data, "--username", "rahmat", "--passphrase-file", _dir.File("passphrase.txt")).Stdout;
        Assert.Contains("Rahmat Hidayat", certified, StringComparison.Ordinal);
        AssertOneLineError(Segel.Run(_dir.Path, "users", "certify", "--data", Data, "--username", "rahmat", "--passphrase-file", _dir.File("passphrase.txt")), "already holds");

        // Auditors take the signed checkpoints away; the record is later cut back together with its checkpoints.
        Segel.Ok(_dir.Path, "audit", "checkpoint", "--data", Data);
        Segel.Ok(_dir.Path, "audit", "export", "--data", Data, "--out", _dir.File("checkpoints.json"));
        Assert.Contains("intact", Segel.Ok(_dir.Path, "audit", "verify", "--data", Data, "--checkpoints", _dir.File("checkpoints.json")).Stdout, StringComparison.Ordinal);
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(Data, "segel.db")};Pooling=false"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "DELETE FROM audit_checkpoints; DELETE FROM audit_records WHERE \"Sequence\" > 3";
            command.ExecuteNonQuery();
        }
        // The chain alone still links up, but the RA officer's certificate is now in the table with no issuance on record.
        Tool.Result alone = Segel.Run(_dir.Path, "audit", "verify", "--data", Data);
        Assert.Equal(8, alone.ExitCode);
        Assert.Contains("no issuance", alone.Stderr, StringComparison.Ordinal);
        Tool.Result cut = Segel.Run(_dir.Path, "audit", "verify", "--data", Data, "--checkpoints", _dir.File("checkpoints.json"));
        Assert.Equal(8, cut.ExitCode);
        Assert.Contains("cut back", cut.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_document_encrypted_to_a_holder_opens_with_openssl_and_with_segel_decrypt_and_no_one_else()
    {
        Segel.Ok(_dir.Path, "init", "--data", Data);
        IssueHolder("siti", "siti");
        IssueHolder("budi", "budi");
        _dir.Write("nota.txt", "Nota dinas rahasia untuk Siti\n");
        Assert.Contains("siti", Segel.Ok(_dir.Path, "encrypt", "--in", _dir.File("nota.txt"), "--out", _dir.File("nota.p7m"), "--to", _dir.File("siti.pem")).Stdout, StringComparison.Ordinal);
        Tool.OpenSslOk("cms", "-decrypt", "-binary", "-inform", "DER", "-in", _dir.File("nota.p7m"), "-recip", _dir.File("siti.pem"), "-inkey", _dir.File("siti.key"), "-out", _dir.File("nota.openssl.txt"));
        Assert.Equal("Nota dinas rahasia untuk Siti\n", File.ReadAllText(_dir.File("nota.openssl.txt")));
        Segel.Ok(_dir.Path, "decrypt", "--in", _dir.File("nota.p7m"), "--out", _dir.File("nota.segel.txt"), "--p12", _dir.File("siti.p12"), "--password-file", _dir.File("pw.txt"));
        Assert.Equal("Nota dinas rahasia untuk Siti\n", File.ReadAllText(_dir.File("nota.segel.txt")));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_dir.File("nota.segel.txt"))); // an opened document is its owner's
        }
        AssertOneLineError(Segel.Run(_dir.Path, "decrypt", "--in", _dir.File("nota.p7m"), "--out", _dir.File("x.txt"), "--p12", _dir.File("budi.p12"),
            "--password-file", _dir.File("pw.txt")), "not encrypted to budi");
        Assert.False(File.Exists(_dir.File("x.txt")));
        Assert.Empty(Directory.GetFiles(_dir.Path, "*.part")); // nor half of one
    }

    [Fact]
    public void Mail_signed_and_encrypted_with_segel_smime_round_trips_with_openssl()
    {
        Segel.Ok(_dir.Path, "init", "--data", Data);
        Segel.Ok(_dir.Path, "ca", "chain", "--data", Data, "--out", _dir.File("chain.pem"));
        IssueHolder("rina", "Rina Wati");
        _dir.Write("surat.eml", "From: Rina Wati <rina@tanahbumbukab.go.id>\r\nTo: Kepala Dinas <kadis@tanahbumbukab.go.id>\r\nSubject: Laporan\r\n" +
            "Content-Type: text/plain; charset=utf-8\r\n\r\nLaporan bulanan terlampir.\r\n");

        Segel.Ok(_dir.Path, "smime", "sign", "--in", _dir.File("surat.eml"), "--out", _dir.File("signed.eml"), "--p12", _dir.File("rina.p12"), "--password-file", _dir.File("pw.txt"));
        Assert.Contains("Verification successful", Tool.OpenSsl("smime", "-verify", "-in", _dir.File("signed.eml"), "-CAfile", _dir.File("chain.pem"), "-purpose", "any", "-out", "/dev/null").Stderr, StringComparison.Ordinal);
        Assert.Contains("VALID: ", Segel.Ok(_dir.Path, "smime", "verify", _dir.File("signed.eml"), "--trust", _dir.File("chain.pem"), "--data", Data).Stdout, StringComparison.Ordinal);
        _dir.Write("forged.eml", File.ReadAllText(_dir.File("signed.eml")).Replace("Laporan bulanan", "Laporan palsu", StringComparison.Ordinal));
        Tool.Result forged = Segel.Run(_dir.Path, "smime", "verify", _dir.File("forged.eml"), "--trust", _dir.File("chain.pem"), "--data", Data);
        Assert.Equal(8, forged.ExitCode);
        Assert.Contains("INVALID", forged.Stdout, StringComparison.Ordinal);

        Segel.Ok(_dir.Path, "smime", "encrypt", "--in", _dir.File("surat.eml"), "--out", _dir.File("encrypted.eml"), "--to", _dir.File("rina.pem"));
        Tool.OpenSslOk("cms", "-decrypt", "-in", _dir.File("encrypted.eml"), "-recip", _dir.File("rina.pem"), "-inkey", _dir.File("rina.key"), "-out", _dir.File("opened.txt"));
        Assert.Contains("Laporan bulanan", File.ReadAllText(_dir.File("opened.txt")), StringComparison.Ordinal);
        Segel.Ok(_dir.Path, "smime", "decrypt", "--in", _dir.File("encrypted.eml"), "--out", _dir.File("decrypted.eml"), "--p12", _dir.File("rina.p12"), "--password-file", _dir.File("pw.txt"));
        Assert.Contains("Laporan bulanan", File.ReadAllText(_dir.File("decrypted.eml")), StringComparison.Ordinal);
        AssertOneLineError(Segel.Run(_dir.Path, "smime", "encrypt", "--in", _dir.File("surat.eml"), "--out", _dir.File("x.eml"), "--to", _dir.File("pw.txt")), "no readable certificate");
    }

    [Fact]
    public void A_pdf_signed_with_a_p12_from_segel_verifies_and_tampering_fails_verification()
    {
        Segel.Ok(_dir.Path, "init", "--data", Data);
        Segel.Ok(_dir.Path, "ca", "chain", "--data", Data, "--out", _dir.File("chain.pem"));
        IssueHolder("siti", "Siti Aminah");
        File.WriteAllBytes(_dir.File("surat.pdf"), SamplePdf.Letter());

        Assert.Contains("Siti Aminah", Segel.Ok(_dir.Path, "pdf", "sign", "--in", _dir.File("surat.pdf"), "--out", _dir.File("surat-ttd.pdf"),
            "--p12", _dir.File("siti.p12"), "--password-file", _dir.File("pw.txt"), "--reason", "Menyetujui", "--location", "Batulicin").Stdout, StringComparison.Ordinal);
        Tool.Run("qpdf", "--check", _dir.File("surat-ttd.pdf")).Check();
        Assert.Contains("SAH (VALID)", Segel.Ok(_dir.Path, "pdf", "verify", _dir.File("surat-ttd.pdf"), "--trust", _dir.File("chain.pem"), "--data", Data).Stdout, StringComparison.Ordinal);
        Segel.Ok(_dir.Path, "pdf", "sign", "--in", _dir.File("surat.pdf"), "--out", _dir.File("surat-qr.pdf"), "--p12", _dir.File("siti.p12"),
            "--password-file", _dir.File("pw.txt"), "--box", "330,80,230,80", "--qr", "https://segel.tanahbumbukab.go.id/verify/1", "--position", "Analis Kebijakan");
        AssertOneLineError(Segel.Run(_dir.Path, "pdf", "sign", "--in", _dir.File("surat.pdf"), "--out", _dir.File("x.pdf"), "--p12", _dir.File("siti.p12"),
            "--password-file", _dir.File("pw.txt"), "--box", "330,80,230,80", "--image", _dir.Write("ttd.jpg", "not an image")), "neither a PNG nor a JPEG");
        Assert.Contains("SAH (VALID)", Segel.Ok(_dir.Path, "pdf", "verify", _dir.File("surat-qr.pdf"), "--trust", _dir.File("chain.pem"), "--data", Data).Stdout, StringComparison.Ordinal);
        AssertOneLineError(Segel.Run(_dir.Path, "pdf", "sign", "--in", _dir.File("surat.pdf"), "--out", _dir.File("x.pdf"), "--p12", _dir.File("siti.p12"),
            "--password-file", _dir.File("pw.txt"), "--box", "330,80,230,80", "--page", "9"), "no page 9");
        Assert.Contains("\"conclusion\": \"VALID\"", Segel.Ok(_dir.Path, "pdf", "verify", _dir.File("surat-ttd.pdf"), "--trust", _dir.File("chain.pem"), "--data", Data, "--json").Stdout, StringComparison.Ordinal);

        byte[] bytes = File.ReadAllBytes(_dir.File("surat-ttd.pdf"));
        bytes[System.Text.Encoding.Latin1.GetString(bytes).IndexOf("Surat Dinas", StringComparison.Ordinal)] = (byte)'X';
        File.WriteAllBytes(_dir.File("palsu.pdf"), bytes);
        Tool.Result forged = Segel.Run(_dir.Path, "pdf", "verify", _dir.File("palsu.pdf"), "--trust", _dir.File("chain.pem"), "--lang", "en");
        Assert.Equal(8, forged.ExitCode);
        Assert.Contains("INVALID", forged.Stdout, StringComparison.Ordinal);
        Assert.Equal(8, Segel.Run(_dir.Path, "pdf", "verify", _dir.File("surat.pdf")).ExitCode);
        // Offline, nothing says whether the certificate was revoked: not valid, not invalid.
        Tool.Result offline = Segel.Run(_dir.Path, "pdf", "verify", _dir.File("surat-ttd.pdf"), "--trust", _dir.File("chain.pem"), "--offline", "--lang", "en");
        Assert.Equal(8, offline.ExitCode);
        Assert.Contains("INDETERMINATE", offline.Stdout, StringComparison.Ordinal);
        AssertOneLineError(Segel.Run(_dir.Path, "pdf", "sign", "--in", _dir.File("surat.pdf"), "--out", _dir.File("x.pdf"), "--p12", _dir.File("siti.p12"),
            "--password-file", _dir.File("pw.txt"), "--level", "B-LT"), "needs a time-stamping authority");

        // An encrypted letter: signed and verified with its password, refused without it.
        Tool.Run("qpdf", "--encrypt", "rahasia", "pemilik", "256", "--", _dir.File("surat.pdf"), _dir.File("surat-terkunci.pdf")).Check();
        _dir.Write("pdf-pw.txt", "rahasia\n");
        AssertOneLineError(Segel.Run(_dir.Path, "pdf", "sign", "--in", _dir.File("surat-terkunci.pdf"), "--out", _dir.File("x.pdf"), "--p12", _dir.File("siti.p12"),
            "--password-file", _dir.File("pw.txt")), "protected by a password");
        Segel.Ok(_dir.Path, "pdf", "sign", "--in", _dir.File("surat-terkunci.pdf"), "--out", _dir.File("surat-terkunci-ttd.pdf"), "--p12", _dir.File("siti.p12"),
            "--password-file", _dir.File("pw.txt"), "--pdf-password-file", _dir.File("pdf-pw.txt"));
        Assert.Contains("SAH (VALID)", Segel.Ok(_dir.Path, "pdf", "verify", _dir.File("surat-terkunci-ttd.pdf"), "--trust", _dir.File("chain.pem"), "--data", Data,
            "--pdf-password-file", _dir.File("pdf-pw.txt")).Stdout, StringComparison.Ordinal);

        // At a text marker, as e-government templates mark the spot.
        Segel.Ok(_dir.Path, "pdf", "sign", "--in", _dir.File("surat.pdf"), "--out", _dir.File("surat-marker.pdf"), "--p12", _dir.File("siti.p12"),
            "--password-file", _dir.File("pw.txt"), "--marker", "Nomor", "--box", "0,0,160,60");
        Assert.Contains("SAH (VALID)", Segel.Ok(_dir.Path, "pdf", "verify", _dir.File("surat-marker.pdf"), "--trust", _dir.File("chain.pem"), "--data", Data).Stdout, StringComparison.Ordinal);
        AssertOneLineError(Segel.Run(_dir.Path, "pdf", "sign", "--in", _dir.File("surat.pdf"), "--out", _dir.File("x.pdf"), "--p12", _dir.File("siti.p12"),
            "--password-file", _dir.File("pw.txt"), "--marker", "[qr_bsre]"), "is not on any page");

        AssertOneLineError(Segel.Run(_dir.Path, "pdf", "sign", "--in", _dir.File("pw.txt"), "--out", _dir.File("x.pdf"),
            "--p12", _dir.File("siti.p12"), "--password-file", _dir.File("pw.txt")), "not a PDF");
        _dir.Write("wrong.txt", "salah");
        AssertOneLineError(Segel.Run(_dir.Path, "pdf", "sign", "--in", _dir.File("surat.pdf"), "--out", _dir.File("x.pdf"),
            "--p12", _dir.File("siti.p12"), "--password-file", _dir.File("wrong.txt")), "wrong password");
        Assert.False(File.Exists(_dir.File("x.pdf")));
    }

    [Fact]
    public void Key_recovery_is_split_among_ra_officers_at_the_console()
    {
        Segel.Ok(_dir.Path, "init", "--data", Data);
        _dir.Write("staff.csv", "nip;nik;nama;kode_pd;nama_pd;surel\n" +
            "198203102006041002;6310011003820003;Rahmat Hidayat;DISKOMINFO;Dinas Kominfo;rahmat@tanahbumbukab.go.id\n" +
            "198507152010011003;6310011507850001;Budi Santoso;DISKOMINFO;Dinas Kominfo;budi@tanahbumbukab.go.id\n");
        Segel.Ok(_dir.Path, "employees", "import", "--data", Data, "--file", _dir.File("staff.csv"), "--no-accounts");
        _dir.Write("pw.txt", "kuda-laut-berlari-7\n");
        _dir.Write("passphrase.txt", "kunci rahasia petugas RA\n");
        foreach ((string user, string name, string nip) in new[] { ("rahmat", "Rahmat Hidayat", "198203102006041002"), ("budi", "Budi Santoso", "198507152010011003") })
        {
            Segel.Ok(_dir.Path, "users", "add", "--data", Data, "--username", user, "--name", name, "--role", "ra-officer", "--employee", nip, "--password-file", _dir.File("pw.txt"));
        }
        AssertOneLineError(Segel.Run(_dir.Path, "recovery", "show", "--data", Data), "not set up");
        Segel.Ok(_dir.Path, "users", "certify", "--data", Data, "--username", "rahmat", "--passphrase-file", _dir.File("passphrase.txt"));
        // Budi has no certificate yet: he cannot receive a share.
        AssertOneLineError(Segel.Run(_dir.Path, "recovery", "setup", "--data", Data, "--officers", "rahmat,budi", "--threshold", "2"), "no valid RA officer certificate");
        Segel.Ok(_dir.Path, "users", "certify", "--data", Data, "--username", "budi", "--passphrase-file", _dir.File("passphrase.txt"));
        AssertOneLineError(Segel.Run(_dir.Path, "recovery", "setup", "--data", Data, "--officers", "rahmat,budi", "--threshold", "3"), "not possible");
        AssertOneLineError(Segel.Run(_dir.Path, "recovery", "setup", "--data", Data, "--officers", "rahmat", "--officers", "siapa", "--threshold", "2"), "No user siapa");

        string made = Segel.Ok(_dir.Path, "recovery", "setup", "--data", Data, "--officers", "rahmat,budi", "--threshold", "2").Stdout;
        Assert.Contains("2 of 2 officers", made, StringComparison.Ordinal);
        string shown = Segel.Ok(_dir.Path, "recovery", "show", "--data", Data).Stdout;
        Assert.Contains("share   1  rahmat  Rahmat Hidayat", shown, StringComparison.Ordinal);
        Assert.Contains("share   2  budi  Budi Santoso", shown, StringComparison.Ordinal);
        Assert.Contains(made.Split('\n').Single(l => l.StartsWith("recovery key certificate SHA-256", StringComparison.Ordinal)), shown, StringComparison.Ordinal);
        Assert.Contains("intact", Segel.Ok(_dir.Path, "audit", "verify", "--data", Data).Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("recovery", "setup")]
    [InlineData("pdf", "sign")]
    [InlineData("pdf", "verify")]
    [InlineData("users", "add")]
    [InlineData("users", "certify")]
    [InlineData("audit", "export")]
    [InlineData("tokens", "issue")]
    [InlineData("employees", "import")]
    [InlineData("audit", "verify")]
    [InlineData("init")]
    [InlineData("serve")]
    [InlineData("ca", "chain")]
    [InlineData("cert", "issue")]
    [InlineData("cert", "revoke")]
    [InlineData("cert", "list")]
    [InlineData("cert", "show")]
    [InlineData("crl")]
    public void Every_command_has_help(params string[] command)
    {
        Tool.Result result = Segel.Run(_dir.Path, [.. command, "--help"]);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Usage:", result.Stdout, StringComparison.Ordinal);
    }

    /// <summary>A holder issued with a generated key: NAME.p12 (password in pw.txt), and NAME.pem / NAME.key split out by openssl.</summary>
    private void IssueHolder(string name, string displayName)
    {
        _dir.Write("pw.txt", "kata-sandi-rahasia\n");
        Segel.Register(_dir.Path, Data, null, (displayName, name + "@tanahbumbukab.go.id"));
        Segel.Ok(_dir.Path, ["cert", "issue", "--data", Data, .. Staff.IssueArguments(name + "@tanahbumbukab.go.id"),
            "--p12", _dir.File(name + ".p12"), "--password-file", _dir.File("pw.txt")]);
        Tool.OpenSslOk("pkcs12", "-in", _dir.File(name + ".p12"), "-passin", "pass:kata-sandi-rahasia", "-nokeys", "-clcerts", "-out", _dir.File(name + ".pem"));
        Tool.OpenSslOk("pkcs12", "-in", _dir.File(name + ".p12"), "-passin", "pass:kata-sandi-rahasia", "-nocerts", "-nodes", "-out", _dir.File(name + ".key"));
    }

    [Fact]
    public async Task Serve_warns_when_the_data_folder_is_readable_by_others()
    {
        Segel.Ok(_dir.Path, "init", "--data", Data, "--root-algorithm", "ecdsa-p384", "--issuing-algorithm", "ecdsa-p256");
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        File.SetUnixFileMode(Path.Combine(Data, "segel.json"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        await using ServerProcess server = Segel.Serve(_dir.Path, null, "--data", Data);
        await server.WaitUntilReadyAsync();
        Assert.Contains("segel.json is readable or writable by other accounts", server.Log, StringComparison.Ordinal);
        Assert.Contains("chmod 0600", server.Log, StringComparison.Ordinal);
    }

    [Fact]
    public void The_data_folder_is_private_and_a_broken_csr_is_one_line_not_a_crash()
    {
        Segel.Ok(_dir.Path, "init", "--data", Data, "--root-algorithm", "ecdsa-p384", "--issuing-algorithm", "ecdsa-p256");
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Data));
            foreach (string file in Directory.GetFiles(Data))
            {
                UnixFileMode mode = File.GetUnixFileMode(file);
                Assert.True(mode == (UnixFileMode.UserRead | UnixFileMode.UserWrite), $"{file}: {mode}");
            }
        }
        Tool.OpenSslOk("genpkey", "-algorithm", "ed25519", "-out", _dir.File("ed.pem"));
        Tool.OpenSslOk("req", "-new", "-key", _dir.File("ed.pem"), "-out", _dir.File("ed.csr"), "-subj", "/CN=Edwards");
        Tool.Result refused = Segel.Run(_dir.Path, "cert", "issue", "--data", Data, "--csr", _dir.File("ed.csr"), "--out", _dir.File("ed.pem.crt"), "--email", "ed@tanahbumbukab.go.id");
        Assert.Equal(2, refused.ExitCode);
        AssertOneLineError(refused, "Ed25519");
        AssertOneLineError(Segel.Run(_dir.Path, "tokens", "issue", "--data", Data, "--name", "X", "--scope", "everything"), "There is no scope");
    }

    private static void AssertOneLineError(Tool.Result result, string expected, int? exitCode = null)
    {
        Assert.NotEqual(0, result.ExitCode);
        if (exitCode is int code)
        {
            Assert.True(result.ExitCode == code, $"expected exit code {code}, got {result.ExitCode}:\n{result.Output}");
        }
        string[] lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, $"expected one line on stderr, got:\n{result.Output}");
        Assert.StartsWith("segel: ", lines[0], StringComparison.Ordinal);
        Assert.Contains(expected, lines[0], StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Dispose();
}

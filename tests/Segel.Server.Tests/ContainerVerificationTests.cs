using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Segel.Core.Ca;
using Segel.Core.Kernel;
using Segel.Core.Storage;
using Segel.Pdf.Containers;
using Segel.Pdf.Signing;
using Segel.Pki.Certificates;
using Segel.Pki.Keys;
using Segel.Testing;

namespace Segel.Server.Tests;

/// <summary>
/// The public page and the national API's verify call check an ASiC-E container of any files as they check a signed
/// PDF (issue 23): the verdict in words, the files it signs, and a changed file named.
/// </summary>
public sealed class ContainerVerificationTests
{
    [Fact]
    public async Task A_container_of_any_files_is_checked_on_the_public_page_and_through_the_national_api()
    {
        await using InProcessServer server = await InProcessServer.StartAsync("sqlite");
        SigningIdentity identity = await HolderAsync(server);
        byte[] container = await ContainerAsync(identity, server.Time.GetUtcNow(), "Catatan rapat: anggaran disetujui.\n");

        using HttpClient anonymous = server.Client();
        string page = await PostAsync(anonymous, "/verify", container);
        Assert.Contains("SAH (VALID)", page, StringComparison.Ordinal);
        Assert.Contains("Wadah berkas yang ditandatangani: laporan.xlsx, catatan.txt.", page, StringComparison.Ordinal);
        Assert.Contains("Dewi Lestari", page, StringComparison.Ordinal);

        using HttpClient app = await server.SigningApplicationAsync("arsip");
        using var verify = new MultipartFormDataContent { { new ByteArrayContent(container), "signed_file", "berkas.asice" } };
        JsonElement report = await HttpWorld.OkJsonAsync(await app.PostAsync("/api/sign/verify", verify));
        Assert.Equal("VALID", report.GetProperty("summary").GetString());
        Assert.Equal(1, report.GetProperty("jumlah_signature").GetInt32());

        // The same container with one file changed after signing: invalid, and the page names the file.
        byte[] changed = Replace(container, "catatan.txt", "Catatan rapat: anggaran DITOLAK.\n");
        page = await PostAsync(anonymous, "/verify?lang=en", changed);
        Assert.Contains("INVALID", page, StringComparison.Ordinal);
        Assert.Contains("A FILE WAS CHANGED after signing (catatan.txt)", page, StringComparison.Ordinal);

        // A ZIP that is not a container is a clear refusal in the reader's language, not an error page.
        byte[] zip = Replace(container, "META-INF/ASiCManifest001.xml", null);
        using var broken = new MultipartFormDataContent { { new ByteArrayContent(zip[..200]), "file", "rusak.asice" } };
        HttpResponseMessage refused = await anonymous.PostAsync("/verify", broken);
        Assert.NotEqual(HttpStatusCode.InternalServerError, refused.StatusCode);
        Assert.Contains("wadah ASiC-E", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_application_signs_files_as_a_container_with_the_holder_s_kept_key_and_the_public_page_finds_its_record()
    {
        await using InProcessServer server = await InProcessServer.StartAsync("sqlite");
        HttpWorld world = await HttpWorld.CreateAsync(server);
        await world.BudiHoldsCertificateAsync();
        using HttpClient app = await server.SigningApplicationAsync("arsip");
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(System.Security.Cryptography.RandomNumberGenerator.GetBytes(10_000)), "file", "anggaran.xlsx" },
            { new ByteArrayContent(Encoding.UTF8.GetBytes("Catatan rapat.\n")), "file", "catatan.txt" },
            { new StringContent(HttpWorld.BudiNik), "nik" },
            { new StringContent(HttpWorld.HolderPassphrase), "passphrase" },
        };
        HttpResponseMessage response = await app.PostAsync("/api/v1/documents/container", form);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(AsicE.MimeType, response.Content.Headers.ContentType?.MediaType);
        string id = response.Headers.GetValues("X-Segel-Signature-Id").Single();
        byte[] container = await response.Content.ReadAsByteArrayAsync();
        string path = server.Directory.File("api.asice");
        await File.WriteAllBytesAsync(path, container);
        Assert.Contains("No errors detected", Tool.Run("unzip", "-t", path).Check().Output, StringComparison.Ordinal);

        using HttpClient anonymous = server.Client();
        string page = await PostAsync(anonymous, "/verify", container);
        Assert.Contains("SAH (VALID)", page, StringComparison.Ordinal);
        Assert.Contains($"/verify/{id}", page, StringComparison.Ordinal);
        Assert.Contains("Budi Santoso", await anonymous.GetStringAsync($"/verify/{id}"), StringComparison.Ordinal);

        // Two files one system would store as one are refused before the key is opened: a 400 naming the files, and no attempt counted.
        using var escaping = new MultipartFormDataContent
        {
            { new ByteArrayContent("x"u8.ToArray()), "file", "Surat.txt" },
            { new ByteArrayContent("y"u8.ToArray()), "file", "surat.txt" },
            { new StringContent(HttpWorld.BudiNik), "nik" },
            { new StringContent("passphrase yang salah"), "passphrase" },
        };
        HttpResponseMessage refused = await app.PostAsync("/api/v1/documents/container", escaping);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Contains("surat.txt", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await app.PostAsync("/api/v1/documents/container", new MultipartFormDataContent
        {
            { new ByteArrayContent("z"u8.ToArray()), "file", "nota.txt" },
            { new StringContent(HttpWorld.BudiNik), "nik" },
            { new StringContent(HttpWorld.HolderPassphrase), "passphrase" },
        })).StatusCode);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task The_kept_key_signs_at_each_level_and_one_file_as_a_detached_signature(string database)
    {
        await using InProcessServer server = await InProcessServer.StartAsync(database);
        HttpWorld world = await HttpWorld.CreateAsync(server);
        await world.BudiHoldsCertificateAsync();
        using HttpClient app = await server.SigningApplicationAsync("arsip-" + database);
        using HttpClient anonymous = server.Client();
        string chain = server.Directory.File("chain.pem");
        await File.WriteAllTextAsync(chain, await anonymous.GetStringAsync("/ca/chain.pem"));
        MultipartFormDataContent Form(string? level, string? form = null, int files = 2)
        {
            var content = new MultipartFormDataContent
            {
                { new StringContent(HttpWorld.BudiNik), "nik" },
                { new StringContent(HttpWorld.HolderPassphrase), "passphrase" },
            };
            content.Add(new ByteArrayContent(Encoding.UTF8.GetBytes("Notulen rapat.\n")), "file", "notulen.txt");
            if (files > 1)
            {
                content.Add(new ByteArrayContent(System.Security.Cryptography.RandomNumberGenerator.GetBytes(5_000)), "file", "rekap.xlsx");
            }
            if (level is not null)
            {
                content.Add(new StringContent(level), "level");
            }
            if (form is not null)
            {
                content.Add(new StringContent(form), "form");
            }
            return content;
        }

        // B-LTA: the archive time-stamp over the whole container, which openssl checks against the archive manifest.
        HttpResponseMessage response = await app.PostAsync("/api/v1/documents/container", Form("B-LTA"));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        string lta = server.Directory.File("lta.asice");
        await File.WriteAllBytesAsync(lta, await response.Content.ReadAsByteArrayAsync());
        string unpacked = server.Directory.File("lta");
        Tool.Run("unzip", "-o", "-q", lta, "-d", unpacked).Check();
        Assert.Contains("Verification: OK", Tool.OpenSsl("ts", "-verify", "-data", Path.Combine(unpacked, "META-INF", "ASiCArchiveManifest.xml"),
            "-in", Path.Combine(unpacked, "META-INF", "timestamp001.tst"), "-token_in", "-CAfile", chain).Check().Stdout, StringComparison.Ordinal);
        string page = await PostAsync(anonymous, "/verify", await File.ReadAllBytesAsync(lta));
        Assert.Contains("SAH (VALID)", page, StringComparison.Ordinal);
        Assert.Contains("Cap waktu arsip", page, StringComparison.Ordinal);

        // Renewed through the extension call: the first archive manifest kept as ASiCArchiveManifest001.xml, a second token over all of it.
        using (var body = new ByteArrayContent(await File.ReadAllBytesAsync(lta)))
        {
            body.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(AsicE.MimeType);
            HttpResponseMessage extended = await app.PostAsync("/api/v1/documents/extension", body);
            Assert.True(extended.StatusCode == HttpStatusCode.OK, await extended.Content.ReadAsStringAsync());
            Assert.Equal(AsicE.MimeType, extended.Content.Headers.ContentType?.MediaType);
            byte[] renewed = await extended.Content.ReadAsByteArrayAsync();
            string renewedPath = server.Directory.File("renewed.asice");
            await File.WriteAllBytesAsync(renewedPath, renewed);
            string listing = Tool.Run("unzip", "-l", renewedPath).Check().Stdout;
            Assert.Contains("META-INF/ASiCArchiveManifest001.xml", listing, StringComparison.Ordinal);
            Assert.Contains("META-INF/timestamp002.tst", listing, StringComparison.Ordinal);
            Assert.Contains("SAH (VALID)", await PostAsync(anonymous, "/verify", renewed), StringComparison.Ordinal);
        }

        // The default, B-LT, and one file as a detached .p7s that openssl verifies over the file.
        Assert.Equal(HttpStatusCode.OK, (await app.PostAsync("/api/v1/documents/container", Form(null))).StatusCode);
        HttpResponseMessage detached = await app.PostAsync("/api/v1/documents/container", Form("B-LT", "detached", files: 1));
        Assert.True(detached.StatusCode == HttpStatusCode.OK, await detached.Content.ReadAsStringAsync());
        Assert.Equal("application/pkcs7-signature", detached.Content.Headers.ContentType?.MediaType);
        string p7s = server.Directory.File("notulen.txt.p7s"), note = server.Directory.File("notulen.txt");
        await File.WriteAllBytesAsync(p7s, await detached.Content.ReadAsByteArrayAsync());
        await File.WriteAllTextAsync(note, "Notulen rapat.\n");
        Assert.Contains("Verification successful", Tool.OpenSsl("cms", "-verify", "-binary", "-inform", "DER", "-in", p7s, "-content", note,
            "-CAfile", chain, "-purpose", "any", "-out", "/dev/null").Check().Output, StringComparison.Ordinal);

        // The public page checks the .p7s beside its file and finds its record; beside another file it is invalid; alone it
        // asks for the file.
        byte[] signature = await File.ReadAllBytesAsync(p7s);
        string detachedPage = await PostDetachedAsync(anonymous, "/verify", signature, "Notulen rapat.\n"u8.ToArray());
        Assert.Contains("SAH (VALID)", detachedPage, StringComparison.Ordinal);
        Assert.Contains("/verify/", detachedPage, StringComparison.Ordinal);
        Assert.Contains("INVALID", await PostDetachedAsync(anonymous, "/verify?lang=en", signature, "Notulen rapat yang lain.\n"u8.ToArray()), StringComparison.Ordinal);
        using (var alone = new MultipartFormDataContent { { new ByteArrayContent(signature), "file", "notulen.txt.p7s" } })
        {
            HttpResponseMessage asked = await anonymous.PostAsync("/verify?lang=en", alone);
            Assert.Equal(HttpStatusCode.BadRequest, asked.StatusCode);
            Assert.Contains("choose the file it signs as well", await asked.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // Each is recorded under its own level (the column holds the longest name on PostgreSQL too).
        Segel.Core.Kernel.Page<Segel.Core.Signing.SignatureListItem> records = await server.Ca.Signatures.ListAsync(null, null, null, null, null, Principal.Console);
        Assert.Equal(["asic-e-b-lt", "asic-e-b-lta", "cades-b-lt"], records.Items.Select(i => i.Level).Order(StringComparer.Ordinal));

        // Mistakes are refused before the key is opened: a level that is none, two files detached, B-LTA detached.
        foreach (MultipartFormDataContent wrong in new[] { Form("B-XL"), Form("B-LT", "detached"), Form("B-LTA", "detached", files: 1), Form("B-LT", "amplop") })
        {
            HttpResponseMessage refused = await app.PostAsync("/api/v1/documents/container", wrong);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        }
    }

    private static async Task<string> PostAsync(HttpClient client, string path, byte[] file)
    {
        using var upload = new MultipartFormDataContent { { new ByteArrayContent(file), "file", "berkas.asice" } };
        HttpResponseMessage response = await client.PostAsync(path, upload);
        return await response.Content.ReadAsStringAsync();
    }

    private static async Task<string> PostDetachedAsync(HttpClient client, string path, byte[] signature, byte[] signed)
    {
        using var upload = new MultipartFormDataContent { { new ByteArrayContent(signature), "file", "berkas.p7s" }, { new ByteArrayContent(signed), "signed", "berkas.txt" } };
        HttpResponseMessage response = await client.PostAsync(path, upload);
        return await response.Content.ReadAsStringAsync();
    }

    private static async Task<SigningIdentity> HolderAsync(InProcessServer server)
    {
        LoadedAuthority issuing = await server.Ca.Ring.GetActiveAsync(AuthorityRole.IssuingCa);
        LoadedAuthority root = await server.Ca.Ring.GetActiveAsync(AuthorityRole.RootCa);
        (IssuedCertificate _, byte[] pkcs12) = await server.Ca.Issuance.IssueWithGeneratedKeyAsync(
            new HolderDetails("Dewi Lestari", "dewi@tanahbumbukab.go.id", "Dinas Komunikasi dan Informatika", "199203142015032002"), CertificateProfile.Subscriber,
            "kata-sandi-p12", Actor.System);
        X509Certificate2 withKey = X509CertificateLoader.LoadPkcs12(pkcs12, "kata-sandi-p12");
        ISigningKey key = withKey.GetRSAPrivateKey() is { } rsa
            ? new SoftwareSigningKey("test:dewi", KeyAlgorithm.Rsa2048, rsa)
            : new SoftwareSigningKey("test:dewi", KeyAlgorithm.EcdsaP256, withKey.GetECDsaPrivateKey()!);
        return new SigningIdentity(X509CertificateLoader.LoadCertificate(withKey.RawData), [issuing.Certificate, root.Certificate], key);
    }

    private static async Task<byte[]> ContainerAsync(SigningIdentity identity, DateTimeOffset at, string note)
    {
        using var output = new MemoryStream();
        await AsicWriter.SignAsync(output,
            [new("laporan.xlsx", new MemoryStream(System.Security.Cryptography.RandomNumberGenerator.GetBytes(20_000))), new("catatan.txt", new MemoryStream(Encoding.UTF8.GetBytes(note)))],
            identity, null, at);
        return output.ToArray();
    }

    private static byte[] Replace(byte[] container, string name, string? content)
    {
        using var copy = new MemoryStream();
        copy.Write(container);
        using (var zip = new System.IO.Compression.ZipArchive(copy, System.IO.Compression.ZipArchiveMode.Update, leaveOpen: true))
        {
            zip.GetEntry(name)!.Delete();
            if (content is not null)
            {
                using Stream s = zip.CreateEntry(name).Open();
                s.Write(Encoding.UTF8.GetBytes(content));
            }
        }
        return copy.ToArray();
    }
}

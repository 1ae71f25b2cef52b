using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Segel.Core.Accounts;
using Segel.Core.Kernel;
using Segel.Testing;

namespace Segel.Server.Tests;

/// <summary>
/// Institutional e-seals over HTTP (issue 23.2): the agency head applies, the RA officer approves, an application seals a PDF
/// with its seal token alone — which poppler's pdfsig and qpdf accept, naming the seal — and files of any type as an ASiC-E
/// container that unzip and openssl read; the public page says the agency sealed them. The same token from a network it is not bound to is refused with an RFC 9457 problem.
/// </summary>
public sealed class SealApiTests
{
    private const string SealName = "Sistem e-Surat Diskominfo";

    [Fact]
    public async Task An_application_seals_a_letter_with_its_token_alone_and_the_public_page_says_the_agency_sealed_it()
    {
        await using InProcessServer server = await InProcessServer.StartAsync("sqlite");
        HttpWorld world = await HttpWorld.CreateAsync(server);

        using HttpClient head = world.As("agency-head");
        HttpResponseMessage applied = await head.PostAsJsonAsync("/api/v1/seals", new { name = SealName, purpose = "Surat keluar aplikasi e-Surat Diskominfo." });
        Assert.Equal(HttpStatusCode.Created, applied.StatusCode);
        long id = (await applied.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        using HttpClient officer = world.As("ra-officer");
        JsonElement approved = await HttpWorld.OkJsonAsync(await officer.PostAsJsonAsync($"/api/v1/seals/{id}/approval", new { passphrase = HttpWorld.OfficerPassphrase }));
        Assert.Equal("approved", approved.GetProperty("state").GetString());
        JsonElement listed = await HttpWorld.OkJsonAsync(await world.As("other-agency-head").GetAsync("/api/v1/seals"));
        Assert.Empty(listed.EnumerateArray()); // Dinkes's head does not see Diskominfo's seal

        // The application's token: bound to the seal and to where it runs (here, this machine).
        (_, string token) = await server.Ca.ApiTokens.IssueAsync("esurat", [ApiScopes.SealSign], null, new SealBinding(id, ["127.0.0.0/8", "::1"]), Principal.Console);
        using HttpClient app = server.BasicClient("esurat", token);
        using var form = new MultipartFormDataContent { { new ByteArrayContent(SamplePdf.Letter("Surat edaran")), "file", "edaran.pdf" }, { new StringContent("B-LT"), "level" } };
        HttpResponseMessage sealedResponse = await app.PostAsync("/api/v1/documents/seal", form);
        Assert.True(sealedResponse.IsSuccessStatusCode, await sealedResponse.Content.ReadAsStringAsync());
        string pdf = server.Directory.Write("edaran-disegel.pdf", await sealedResponse.Content.ReadAsByteArrayAsync());
        string nss = await Poppler.NssTrustingSegelAsync(server);
        Poppler.Accepts(pdf, nss);
        Assert.Contains($"Signer Certificate Common Name: {SealName}", Tool.Run("pdfsig", "-nssdir", nss, pdf).Output, StringComparison.Ordinal);

        // The public page behind its QR code: sealed by the agency, not signed by a person.
        string url = sealedResponse.Headers.GetValues("X-Segel-Verification-Url").Single();
        using HttpClient anonymous = server.Client();
        string page = await anonymous.GetStringAsync(new Uri(url).PathAndQuery);
        Assert.Contains("disegel secara elektronik oleh Dinas Komunikasi dan Informatika", page, StringComparison.Ordinal);
        Assert.Contains(SealName, page, StringComparison.Ordinal);
        using var upload = new MultipartFormDataContent { { new ByteArrayContent(File.ReadAllBytes(pdf)), "file", "edaran-disegel.pdf" } };
        string checkedPage = await (await anonymous.PostAsync("/verify", upload)).Content.ReadAsStringAsync();
        Assert.Contains("Disegel oleh Dinas Komunikasi dan Informatika", checkedPage, StringComparison.Ordinal);

        // Files of any type sealed as one ASiC-E container with the same token: unzip and openssl read it, the signer is the seal.
        string chain = server.Directory.Write("chain.pem", await anonymous.GetStringAsync("/ca/chain.pem"));
        using var files = new MultipartFormDataContent
        {
            { new ByteArrayContent(System.Security.Cryptography.RandomNumberGenerator.GetBytes(5_000)), "file", "rekap.xlsx" },
            { new ByteArrayContent("<surat><perihal>Edaran</perihal></surat>"u8.ToArray()), "file", "surat.xml" },
        };
        HttpResponseMessage containerResponse = await app.PostAsync("/api/v1/documents/container", files);
        Assert.True(containerResponse.IsSuccessStatusCode, await containerResponse.Content.ReadAsStringAsync());
        Assert.Equal(Segel.Pdf.Containers.AsicE.MimeType, containerResponse.Content.Headers.ContentType?.MediaType);
        string container = server.Directory.Write("disegel.asice", await containerResponse.Content.ReadAsByteArrayAsync());
        Assert.Contains("No errors detected", Tool.Run("unzip", "-t", container).Check().Output, StringComparison.Ordinal);
        string unpacked = server.Directory.File("disegel");
        Tool.Run("unzip", "-o", "-q", container, "-d", unpacked).Check();
        string signer = server.Directory.File("seal-signer.pem");
        Assert.Contains("Verification successful", Tool.OpenSsl("cms", "-verify", "-binary", "-inform", "DER", "-in", Path.Combine(unpacked, "META-INF", "signature001.p7s"),
            "-content", Path.Combine(unpacked, "META-INF", "ASiCManifest001.xml"), "-CAfile", chain, "-purpose", "any", "-signer", signer, "-out", "/dev/null").Check().Output,
            StringComparison.Ordinal);
        Assert.Contains($"CN={SealName}", Tool.OpenSslOk("x509", "-in", signer, "-noout", "-subject", "-nameopt", "compat"), StringComparison.Ordinal);
        using var containerUpload = new MultipartFormDataContent { { new ByteArrayContent(File.ReadAllBytes(container)), "file", "disegel.asice" } };
        Assert.Contains("Disegel oleh Dinas Komunikasi dan Informatika", await (await anonymous.PostAsync("/verify", containerUpload)).Content.ReadAsStringAsync(),
            StringComparison.Ordinal);
        using var withHolder = new MultipartFormDataContent { { new ByteArrayContent("x"u8.ToArray()), "file", "nota.txt" }, { new StringContent(HttpWorld.BudiNik), "nik" } };
        HttpResponseMessage namedHolder = await app.PostAsync("/api/v1/documents/container", withHolder);
        Assert.Equal(HttpStatusCode.BadRequest, namedHolder.StatusCode);

        // The same seal from a network the token is not bound to: refused; so is a holder's signing token.
        (_, string elsewhere) = await server.Ca.ApiTokens.IssueAsync("esurat-lain", [ApiScopes.SealSign], null, new SealBinding(id, ["10.99.0.0/16"]), Principal.Console);
        using HttpClient wrongPlace = server.BasicClient("esurat-lain", elsewhere);
        using var again = new MultipartFormDataContent { { new ByteArrayContent(SamplePdf.Letter("Surat lain")), "file", "lain.pdf" } };
        HttpResponseMessage refused = await wrongPlace.PostAsync("/api/v1/documents/seal", again);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
    }
}

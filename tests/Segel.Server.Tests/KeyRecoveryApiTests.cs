using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Segel.Core.Kernel;
using Segel.Testing;

namespace Segel.Server.Tests;

/// <summary>
/// Key recovery over the API (issue 23.5): Budi, whose encryption key is escrowed, forgets his passphrase; Rahmat and Sari each
/// open their share; Budi sets a new passphrase, opens what was encrypted to him, and exports the key, which openssl uses to
/// open the same letter. Refusals are RFC 9457 problems.
/// </summary>
public sealed class KeyRecoveryApiTests
{
    private const string NewPassphrase = "frasa baru setelah lupa 77";

    [Fact]
    public async Task Two_officers_approve_and_the_holder_recovers_his_encryption_key()
    {
        await using InProcessServer server = await InProcessServer.StartAsync("sqlite");
        HttpWorld world = await HttpWorld.CreateAsync(server);
        await server.Ca.KeyRecovery.SetUpAsync(["rahmat", "sari"], 2, Principal.Console);
        string signing = await world.BudiHoldsCertificateAsync();
        using var dir = new TempDirectory();

        // The directory offers Budi's encryption certificate, not the signing one; Rahmat encrypts a letter to it.
        using HttpClient rahmat = world.As("ra-officer");
        JsonElement found = await HttpWorld.OkJsonAsync(await rahmat.GetAsync("/api/v1/directory?q=Budi"));
        string encryption = found.EnumerateArray().Single().GetProperty("certificates").EnumerateArray().Single().GetProperty("serial").GetString()!;
        Assert.NotEqual(signing, encryption);
        byte[] letter = "Surat rahasia untuk Budi"u8.ToArray();
        HttpResponseMessage encrypted = await rahmat.PostAsync("/api/v1/documents/encryption",
            new MultipartFormDataContent { { new ByteArrayContent(letter), "file", "surat.txt" }, { new StringContent(encryption), "recipient" } });
        Assert.True(encrypted.IsSuccessStatusCode, await encrypted.Content.ReadAsStringAsync());
        byte[] envelope = await encrypted.Content.ReadAsByteArrayAsync();

        // Budi asks; he may not approve his own; Rahmat and Sari approve.
        using HttpClient budi = world.As("subscriber");
        HttpResponseMessage asked = await budi.PostAsJsonAsync("/api/v1/key-recovery/requests", new { statement = "Lupa frasa sandi setelah cuti" });
        Assert.Equal(HttpStatusCode.Created, asked.StatusCode);
        long id = (await asked.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        HttpResponseMessage own = await budi.PostAsJsonAsync($"/api/v1/key-recovery/requests/{id}/approve", new { passphrase = HttpWorld.HolderPassphrase });
        Assert.Equal(HttpStatusCode.Forbidden, own.StatusCode);
        HttpResponseMessage early = await budi.PostAsJsonAsync($"/api/v1/key-recovery/requests/{id}/complete", new { passphrase = NewPassphrase });
        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        Assert.Equal("application/problem+json", early.Content.Headers.ContentType?.MediaType);
        JsonElement half = await HttpWorld.OkJsonAsync(await rahmat.PostAsJsonAsync($"/api/v1/key-recovery/requests/{id}/approve", new { passphrase = HttpWorld.OfficerPassphrase }));
        Assert.Equal("pending", half.GetProperty("state").GetString());
        using HttpClient sari = world.As("second-officer");
        JsonElement queue = await HttpWorld.OkJsonAsync(await sari.GetAsync("/api/v1/key-recovery/requests"));
        Assert.Contains(queue.EnumerateArray(), r => r.GetProperty("id").GetInt64() == id);
        JsonElement approved = await HttpWorld.OkJsonAsync(await sari.PostAsJsonAsync($"/api/v1/key-recovery/requests/{id}/approve", new { passphrase = HttpWorld.OfficerPassphrase }));
        Assert.Equal("approved", approved.GetProperty("state").GetString());

        // Budi finishes with a new passphrase and opens the letter with it.
        JsonElement done = await HttpWorld.OkJsonAsync(await budi.PostAsJsonAsync($"/api/v1/key-recovery/requests/{id}/complete", new { passphrase = NewPassphrase }));
        Assert.Equal(1, done.GetProperty("recovered").GetInt32());
        HttpResponseMessage opened = await budi.PostAsync("/api/v1/documents/decryption",
            new MultipartFormDataContent { { new ByteArrayContent(envelope), "file", "surat.txt.p7m" }, { new StringContent(NewPassphrase), "passphrase" } });
        Assert.True(opened.IsSuccessStatusCode, await opened.Content.ReadAsStringAsync());
        Assert.Equal(letter, await opened.Content.ReadAsByteArrayAsync());

        // The recovered key as PKCS#12 opens it in openssl.
        HttpResponseMessage export = await budi.PostAsJsonAsync("/api/v1/me/key/pkcs12", new { serial = encryption, passphrase = NewPassphrase, exportPassword = "ekspor-rahasia" });
        Assert.True(export.IsSuccessStatusCode, await export.Content.ReadAsStringAsync());
        string p12 = dir.Write("budi.p12", await export.Content.ReadAsByteArrayAsync()), pem = dir.File("budi.pem"), p7m = dir.Write("surat.p7m", envelope);
        Tool.Run("openssl", "pkcs12", "-in", p12, "-passin", "pass:ekspor-rahasia", "-nodes", "-out", pem).Check();
        Tool.Run("openssl", "cms", "-decrypt", "-binary", "-inform", "DER", "-in", p7m, "-inkey", pem, "-recip", pem, "-out", dir.File("surat.txt")).Check();
        Assert.Equal(letter, File.ReadAllBytes(dir.File("surat.txt")));
    }
}

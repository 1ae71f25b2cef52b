using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Segel.Testing;

namespace Segel.Server.Tests;

/// <summary>
/// Bad input is the sender's mistake: a clear 4xx, never a 500. A fuzzer walks every endpoint the server maps (public,
/// national API, enrolment uploads, import, OCSP, TSA, portal) with garbage of every shape, anonymous and as the
/// operator, on both databases; and the inputs that once gave 500s are asked for by name.
/// </summary>
public sealed class HostileInputTests
{
    private static readonly string[] PathValues = ["1", "0", "-1", "99999999999999999999", "abc", "%00", "%09", "..%2F..%2Fetc", "%C3%BC", new string('a', 300), "%FF"];

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Every_endpoint_answers_garbage_without_a_server_error(string provider)
    {
        await using InProcessServer server = await InProcessServer.StartAsync(provider, o => o["Limits:SignInPerMinute"] = "10000000");
        var endpoints = server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => (Method: m, Pattern: e.RoutePattern)))
            .DistinctBy(e => (e.Method, e.Pattern.RawText))
            .ToList();
        Assert.True(endpoints.Count > 80, $"only {endpoints.Count} endpoints found");
        var random = new Random(20261202);
        var failures = new List<string>();
        int requests = 0;
        using HttpClient anonymous = server.Client();
        using HttpClient operatorClient = server.Client(server.OperatorToken);
        foreach ((string method, Microsoft.AspNetCore.Routing.Patterns.RoutePattern pattern) in endpoints)
        {
            for (int round = 0; round < 12; round++)
            {
                string path = "/" + string.Join('/', pattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
                {
                    Microsoft.AspNetCore.Routing.Patterns.RoutePatternLiteralPart literal => literal.Content,
                    Microsoft.AspNetCore.Routing.Patterns.RoutePatternSeparatorPart separator => separator.Content,
                    _ => PathValues[random.Next(PathValues.Length)],
                }))));
                string query = round % 3 == 0 ? "" : $"?lang={Garbage(random, 8)}&back=/%09/x&limit=-5&offset=99999999999&status={Garbage(random, 4)}&q=%00";
                using var request = new HttpRequestMessage(new HttpMethod(method), path + query) { Content = method is "GET" or "HEAD" ? null : Body(random, round) };
                HttpClient client = round % 2 == 0 ? operatorClient : anonymous;
                requests++;
                try
                {
                    using HttpResponseMessage response = await client.SendAsync(request);
                    if ((int)response.StatusCode >= 500)
                    {
                        failures.Add($"{method} {path}{query} [{request.Content?.Headers.ContentType}] → {(int)response.StatusCode} {Shorten(await response.Content.ReadAsStringAsync())}");
                    }
                }
                catch (HttpRequestException e)
                {
                    failures.Add($"{method} {path}{query} → connection failed: {e.Message}");
                }
            }
        }
        Assert.True(failures.Count == 0, $"{failures.Count} of {requests} requests got a server error:\n" + string.Join('\n', failures.Take(40))
            + "\n" + string.Join('\n', server.Logs.Lines.Where(l => l.StartsWith("Error", StringComparison.Ordinal)).Take(5)));
        Assert.DoesNotContain(server.Logs.Lines, l => l.Contains("Unhandled exception", StringComparison.OrdinalIgnoreCase) || l.StartsWith("Critical", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Truncated_multipart_bodies_are_a_clear_400_on_every_upload(string provider)
    {
        await using InProcessServer server = await InProcessServer.StartAsync(provider);
        using HttpClient app = await server.SigningApplicationAsync("truncated");
        byte[] pdf = SamplePdf.Letter();
        foreach (string path in new[] { "/verify", "/verify/0123456789abcdef0123456789abcdef", "/api/sign/pdf", "/api/sign/verify" })
        {
            // The multipart body stops inside the file part (no closing boundary), though all the declared bytes arrive.
            string boundary = "segelfuzz";
            byte[] body = [.. Encoding.ASCII.GetBytes($"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\nContent-Type: application/pdf\r\n\r\n"),
                .. pdf.AsSpan(0, pdf.Length / 2)];
            var content = new ByteArrayContent(body);
            content.Headers.TryAddWithoutValidation("Content-Type", $"multipart/form-data; boundary={boundary}");
            HttpResponseMessage response = await (path.StartsWith("/api/", StringComparison.Ordinal) ? app : server.Client()).PostAsync(path, content);
            // An unknown signature code is answered 404 before the form is read.
            HttpStatusCode expected = path.Contains("0123456789", StringComparison.Ordinal) ? HttpStatusCode.NotFound : HttpStatusCode.BadRequest;
            Assert.True(response.StatusCode == expected, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");

            // The connection closes before the declared length: the server gives up on the request without an unhandled exception.
            await SendCutShortAsync(server.Url, path, pdf, path.StartsWith("/api/", StringComparison.Ordinal) ? app.DefaultRequestHeaders.Authorization : null);
        }
        await Task.Delay(500);
        Assert.DoesNotContain(server.Logs.Lines, l => l.Contains("Unhandled exception", StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Csrs_signed_with_md5_sha1_or_ed25519_are_refused_by_name(string provider)
    {
        await using InProcessServer server = await InProcessServer.StartAsync(provider);
        using HttpClient client = server.Client(server.OperatorToken);
        foreach ((string how, string name) in new[] { ("-md5", "MD5"), ("-sha1", "SHA-1"), ("ed25519", "Ed25519") })
        {
            string csr = Csr(server.Directory, how);
            HttpResponseMessage response = await client.PostAsJsonAsync("/api/v1/certificates", new { csr, name = "Uji", email = "uji@tanahbumbukab.go.id" });
            string body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{name}: {(int)response.StatusCode} {body}");
            Assert.Contains("application/problem+json", response.Content.Headers.ContentType?.ToString() ?? "", StringComparison.Ordinal);
            Assert.Contains(name, body, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("/bahasa?to=en&back=/%09/evil.example")]
    [InlineData("/bahasa?to=en&back=/%0d%0aSet-Cookie:%20x=1")]
    [InlineData("/bahasa?to=id&back=%2F%5Cevil.example")]
    public async Task A_return_address_with_a_control_character_goes_home_instead(string path)
    {
        await using InProcessServer server = await InProcessServer.StartAsync("sqlite");
        using var handler = new HttpClientHandler { AllowAutoRedirect = false };
        using var client = new HttpClient(handler) { BaseAddress = new Uri(server.Url) };
        HttpResponseMessage response = await client.GetAsync(path);
        Assert.True((int)response.StatusCode is >= 300 and < 400, $"{(int)response.StatusCode}");
        Assert.Equal("/", response.Headers.Location?.OriginalString);
        HttpResponseMessage signIn = await client.GetAsync("/masuk?back=/%09/evil.example");
        Assert.True(signIn.StatusCode == HttpStatusCode.OK, $"{(int)signIn.StatusCode}");
    }

    private static string Csr(TempDirectory directory, string how)
    {
        string key = directory.File($"k{how}.pem"), csr = directory.File($"r{how}.csr");
        if (how == "ed25519")
        {
            Tool.OpenSslOk("genpkey", "-algorithm", "ed25519", "-out", key);
            Tool.OpenSslOk("req", "-new", "-key", key, "-out", csr, "-subj", "/CN=Uji");
        }
        else
        {
            Tool.OpenSslOk("req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", csr, "-subj", "/CN=Uji", how);
        }
        return File.ReadAllText(csr);
    }

    /// <summary>A multipart request whose body stops in the middle of the file part, the connection then closed.</summary>
    private static async Task SendCutShortAsync(string url, string path, byte[] pdf, AuthenticationHeaderValue? authorization)
    {
        var uri = new Uri(url);
        string boundary = "----segelfuzz";
        byte[] head = Encoding.ASCII.GetBytes($"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\nContent-Type: application/pdf\r\n\r\n");
        byte[] body = [.. head, .. pdf.AsSpan(0, pdf.Length / 2)];
        int declared = body.Length + pdf.Length; // more than will arrive
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(uri.Host, uri.Port);
        NetworkStream stream = tcp.GetStream();
        string auth = authorization is null ? "" : $"Authorization: {authorization}\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"POST {path} HTTP/1.1\r\nHost: {uri.Authority}\r\n{auth}Content-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {declared}\r\n\r\n"));
        await stream.WriteAsync(body);
        await stream.FlushAsync();
        tcp.Client.Shutdown(SocketShutdown.Send); // the body ends early
        try
        {
            using var reader = new StreamReader(stream, Encoding.ASCII);
            string? statusLine = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.True(statusLine is null || !statusLine.Contains(" 500 ", StringComparison.Ordinal), statusLine);
        }
        catch (IOException)
        {
            // Kestrel may reset a connection whose request it could not finish reading; that is its answer.
        }
    }

    private static HttpContent? Body(Random random, int round)
    {
        switch (round % 6)
        {
            case 0:
                return null;
            case 1:
                return new ByteArrayContent(RandomBytes(random, random.Next(0, 4096))) { Headers = { ContentType = new MediaTypeHeaderValue("application/octet-stream") } };
            case 2:
                string[] json = ["{", "[]", "\"x\"", "{\"nik\":[1,2],\"file\":{\"a\":null},\"passphrase\":7,\"totp\":true,\"level\":\"Z\"}", "{\"csr\":\"-----BEGIN CERTIFICATE REQUEST-----\\nAAAA\\n\"}",
                    new string('[', 5000) + new string(']', 5000), "{\"username\":\"\\u0000\",\"password\":\"" + new string('x', 100_000) + "\"}", "{\"file\":[\"!!notbase64\"],\"nik\":\"6310011507850001\",\"passphrase\":\"abcdefghijk\"}",
                    "{\"scopes\":[\"*\",\"nonsense\"],\"name\":\"\\u0001\",\"days\":-1}", "{\"reason\":\"nope\",\"serial\":\"zz\"}", "{\"roles\":[\"god\"],\"agency\":null}"];
                return new StringContent(json[random.Next(json.Length)], Encoding.UTF8, "application/json");
            case 3:
                var form = new MultipartFormDataContent("fuzz" + random.Next())
                {
                    { new ByteArrayContent(RandomBytes(random, random.Next(1, 2048))), "file", "a.pdf" },
                    { new ByteArrayContent(RandomBytes(random, 100)), "signed_file", "b.pdf" },
                    { new StringContent(Garbage(random, 40)), "nik" },
                    { new StringContent(new string('h', 3000)), "linkQR" },
                    { new StringContent("-1"), "page" },
                    { new StringContent("NaN"), "xAxis" },
                    { new ByteArrayContent(Encoding.UTF8.GetBytes("nip,nik,name,agency_code,email\n1\0,2,3,4,5\n")), "csv", "x.csv" },
                };
                return form;
            case 4:
                return new StringContent($"a={Garbage(random, 20)}&b=%00&__RequestVerificationToken=x", Encoding.ASCII, "application/x-www-form-urlencoded");
            default:
                var broken = new ByteArrayContent(Encoding.ASCII.GetBytes("--zz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\"\r\n\r\nabc"));
                broken.Headers.TryAddWithoutValidation("Content-Type", "multipart/form-data; boundary=zz");
                return broken;
        }
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        byte[] bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static string Garbage(Random random, int length) =>
        Uri.EscapeDataString(new string(Enumerable.Range(0, length).Select(_ => (char)random.Next(1, 0x2FF)).ToArray()));

    private static string Shorten(string text) => text.Length > 300 ? text[..300] : text;
}

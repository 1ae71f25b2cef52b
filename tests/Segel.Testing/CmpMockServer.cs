using System.Diagnostics;
using System.Net.Sockets;

namespace Segel.Testing;

/// <summary>
/// OpenSSL's own CMP mock server (<c>openssl cmp -port</c>), which nobody here wrote, as the upstream CA of issue 21.2:
/// it answers every enrollment with one fixed certificate (<c>-rsp_cert</c>) and protects its answers with the shared
/// secret. A test that needs a certificate for a key Segel makes starts one after the key exists.
/// </summary>
public sealed class CmpMockServer : IDisposable
{
    public const string Secret = "rahasia-bersama-1234";
    public const string Reference = "segel-ra";
    private readonly Process _process;
    private readonly List<string> _log = [];

    private CmpMockServer(Process process, Uri url)
    {
        _process = process;
        Url = url;
    }

    public Uri Url { get; }

    /// <summary>What the server said so far: at verbosity 7 it names each message, e.g. "received RR", "received CERTCONF".</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return string.Join('\n', _log);
            }
        }
    }

    /// <summary>
    /// Whether the server's log shows <paramref name="text"/> at least <paramref name="times"/> times within five seconds:
    /// its output arrives asynchronously, possibly after the answer it logged.
    /// </summary>
    public bool Saw(string text, int times = 1)
    {
        for (int i = 0; i < 100; i++)
        {
            string log = Log;
            int count = 0;
            for (int at = log.IndexOf(text, StringComparison.Ordinal); at >= 0; at = log.IndexOf(text, at + 1, StringComparison.Ordinal))
            {
                count++;
            }
            if (count >= times)
            {
                return true;
            }
            Thread.Sleep(50);
        }
        return false;
    }

    /// <summary>Starts a server answering with <paramref name="certificate"/> and <paramref name="extraCertificates"/> (PEM files).</summary>
    public static CmpMockServer Start(string certificate, string extraCertificates, params string[] extra) =>
        Launch(FreePort(), certificate, extraCertificates, ["-accept_raverified", .. extra]);

    /// <summary>A server on <paramref name="port"/>, where a configuration made before the certificate existed points.</summary>
    public static CmpMockServer StartOn(int port, string certificate, string extraCertificates) =>
        Launch(port, certificate, extraCertificates, ["-accept_raverified"]);

    /// <summary>A server that takes no RA's word for proof of possession (no <c>-accept_raverified</c>).</summary>
    public static CmpMockServer StartStrict(string certificate, string extraCertificates) => Launch(FreePort(), certificate, extraCertificates, []);

    public static int FreePort()
    {
        using var probe = new TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        return ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
    }

    private static CmpMockServer Launch(int port, string certificate, string extraCertificates, string[] extra)
    {
        var info = new ProcessStartInfo("openssl") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string argument in (string[])["cmp", "-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-srv_ref", Reference,
                     "-srv_secret", "pass:" + Secret, "-rsp_cert", certificate, "-rsp_extracerts", extraCertificates, "-verbosity", "7", .. extra])
        {
            info.ArgumentList.Add(argument);
        }
        Process process = Process.Start(info)!;
        var server = new CmpMockServer(process, new Uri($"http://127.0.0.1:{port}/"));
        process.OutputDataReceived += (_, e) => server.Add(e.Data);
        process.ErrorDataReceived += (_, e) => server.Add(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        for (int i = 0; i < 100; i++)
        {
            try
            {
                using var client = new TcpClient("127.0.0.1", port);
                return server;
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }
        server.Dispose();
        throw new InvalidOperationException("openssl cmp did not start listening");
    }

    private void Add(string? line)
    {
        if (line is not null)
        {
            lock (_log)
            {
                _log.Add(line);
            }
        }
    }

    public void Dispose()
    {
        try
        {
            _process.Kill();
            _process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
        _process.Dispose();
    }
}

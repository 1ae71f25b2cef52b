using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Segel.Testing;

namespace Segel.EndToEnd.Tests;

/// <summary>The real <c>segel</c> program, built beside the tests, run as a separate process.</summary>
internal static class Segel
{
    private static readonly string Dll = Locate();

    public static Tool.Result Run(string workingDirectory, params string[] arguments) => Run(workingDirectory, null, arguments);

    public static Tool.Result Run(string workingDirectory, IDictionary<string, string?>? environment, params string[] arguments) =>
        Tool.Run("dotnet", [Dll, .. arguments], workingDirectory, Clean(environment));

    /// <summary>A command that must end by itself within <paramref name="timeout"/>, whatever its exit code (a server that must refuse to start).</summary>
    public static Tool.Result Within(string workingDirectory, TimeSpan timeout, params string[] arguments) =>
        Tool.Run("dotnet", [Dll, .. arguments], workingDirectory, Clean(null), timeout);

    /// <summary>A long command (segel demo lives through two years of Argon2id-sealed keys) on a machine busy with the other suites.</summary>
    public static Tool.Result Slow(string workingDirectory, TimeSpan timeout, params string[] arguments)
    {
        Tool.Result result = Tool.Run("dotnet", [Dll, .. arguments], workingDirectory, Clean(null), timeout);
        Assert.True(result.ExitCode == 0, $"segel {string.Join(' ', arguments)} exited {result.ExitCode}:\n{result.Output}");
        return result;
    }

    public static Tool.Result Ok(string workingDirectory, params string[] arguments)
    {
        Tool.Result result = Run(workingDirectory, arguments);
        Assert.True(result.ExitCode == 0, $"segel {string.Join(' ', arguments)} exited {result.ExitCode}:\n{result.Output}");
        return result;
    }

    /// <summary>Puts people on the employee register (<see cref="Staff"/>), so <c>cert issue</c> may certify them.</summary>
    public static void Register(string workingDirectory, string data, IDictionary<string, string?>? environment, params (string Name, string Email)[] people)
    {
        string csv = Path.Combine(workingDirectory, $"staff-{Guid.NewGuid():N}.csv");
        File.WriteAllText(csv, Staff.Csv(people));
        Tool.Result result = Run(workingDirectory, environment, "employees", "import", "--data", data, "--file", csv, "--no-accounts");
        Assert.True(result.ExitCode == 0, result.Output);
    }

    public static ServerProcess Serve(string workingDirectory, IDictionary<string, string?>? environment, params string[] arguments) =>
        ServeOn($"http://127.0.0.1:{FreePort()}", workingDirectory, environment, arguments);

    /// <summary>A server on <paramref name="urls"/> (';' between several); the first is where it is asked whether it is ready.</summary>
    public static ServerProcess ServeOn(string urls, string workingDirectory, IDictionary<string, string?>? environment, params string[] arguments)
    {
        string url = urls.Split(';')[0];
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (string a in (string[])[Dll, "serve", "--urls", urls, .. arguments])
        {
            info.ArgumentList.Add(a);
        }
        foreach ((string key, string? value) in Clean(environment))
        {
            info.Environment[key] = value;
        }
        return new ServerProcess(Process.Start(info)!, url);
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    internal static Dictionary<string, string?> Clean(IDictionary<string, string?>? environment)
    {
        // A developer's own SEGEL_* settings must not leak into the program under test.
        var env = new Dictionary<string, string?>();
        foreach (string key in Environment.GetEnvironmentVariables().Keys.Cast<string>().Where(k => k.StartsWith("SEGEL_", StringComparison.Ordinal) && k != TestDatabase.Variable))
        {
            env[key] = null;
        }
        foreach ((string key, string? value) in environment ?? new Dictionary<string, string?>())
        {
            env[key] = value;
        }
        return env;
    }

    /// <summary>The build configuration the tests run in (Release under scripts/test.sh).</summary>
    public static string Configuration => new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;

    /// <summary>The checkout the tests were built from.</summary>
    public static string RepositoryRoot => Repository.Root;

    private static string Locate()
    {
        // tests/Segel.EndToEnd.Tests/bin/<Configuration>/net10.0 → src/Segel.Cli/bin/<Configuration>/net10.0/segel.dll
        string dll = Path.Combine(RepositoryRoot, "src", "Segel.Cli", "bin", Configuration, "net10.0", "segel.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException("Build the solution first; segel.dll not found", dll);
    }
}

internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly System.Text.StringBuilder _log = new();

    public ServerProcess(Process process, string url)
    {
        _process = process;
        Url = url;
        process.OutputDataReceived += (_, e) => { lock (_log) { _log.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (_log) { _log.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Url { get; }

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public HttpClient Client() => new() { BaseAddress = new Uri(Url), Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>
    /// Waits until /health answers (the first start creates a CA, which takes a few seconds). The deadline is generous:
    /// CI runs this suite beside the server suite's browser on two cores, where one cold start once took over 90 s.
    /// </summary>
    public async Task WaitUntilReadyAsync()
    {
        using HttpClient client = Client();
        var deadline = DateTime.UtcNow.AddSeconds(180);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new Xunit.Sdk.XunitException($"segel serve exited with {_process.ExitCode}:\n{Log}");
            }
            try
            {
                if ((await client.GetAsync("/health")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(200);
        }
        throw new Xunit.Sdk.XunitException($"segel serve did not become ready:\n{Log}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}

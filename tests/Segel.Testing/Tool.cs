using System.Diagnostics;

namespace Segel.Testing;

/// <summary>Runs an outside program (openssl, the segel CLI) and captures what it printed.</summary>
public static class Tool
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public string Output => Stdout + Stderr;

        /// <summary>Fails the test, showing the output, unless the program exited 0.</summary>
        public Result Check() => ExitCode == 0 ? this : throw new Xunit.Sdk.XunitException($"exit {ExitCode}:\n{Output}");
    }

    public static Result Run(string fileName, params string[] arguments) => Run(fileName, (IEnumerable<string>)arguments);

    public static Result Run(string fileName, IEnumerable<string> arguments, string? workingDirectory = null,
        IDictionary<string, string?>? environment = null, TimeSpan? timeout = null, string? stdin = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        foreach ((string key, string? value) in environment ?? new Dictionary<string, string?>())
        {
            info.Environment[key] = value;
        }
        using Process process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {fileName}");
        if (stdin is not null)
        {
            process.StandardInput.Write(stdin);
            process.StandardInput.Close();
        }
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout ?? TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} did not finish in time");
        }
        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }

    public static Result OpenSsl(params string[] arguments) => Run("openssl", arguments);

    /// <summary>Runs openssl and fails the test, showing its output, unless it exits 0.</summary>
    public static string OpenSslOk(params string[] arguments)
    {
        Result result = OpenSsl(arguments);
        if (result.ExitCode != 0)
        {
            throw new Xunit.Sdk.XunitException($"openssl {string.Join(' ', arguments)} exited {result.ExitCode}:\n{result.Output}");
        }
        return result.Output;
    }
}

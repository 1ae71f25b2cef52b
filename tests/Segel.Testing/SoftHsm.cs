using System.Runtime.InteropServices;
using Segel.Pki.Keys;

namespace Segel.Testing;

/// <summary>
/// SoftHSM2 tokens for tests (Debian's softhsm2, installed by scripts/test.sh). A PKCS#11 module sees the
/// tokens that exist when it is initialised, once per process, so the tokens are made on first use: one for
/// keys, one kept for the wrong-PIN test (a token already logged in accepts any PIN).
/// </summary>
public static partial class SoftHsm
{
    public const string Library = "/usr/lib/softhsm/libsofthsm2.so";
    public const string Pin = "1234-segel";
    private static readonly Lazy<(string Keys, string Locked, string Conf)> Tokens = new(Create);

    /// <summary>The shared token for keys (labels and ids are unique per key, so tests can share it).</summary>
    public static Pkcs11Options Token => new(Library, Tokens.Value.Keys, Pin);

    /// <summary>The SoftHSM configuration the tokens are in, for child processes (SOFTHSM2_CONF).</summary>
    public static string ConfigFile => Tokens.Value.Conf;

    /// <summary>A token nothing logs in to, for refused PINs.</summary>
    public static Pkcs11Options UntouchedToken => new(Library, Tokens.Value.Locked, Pin);

    private static (string, string, string) Create()
    {
        string folder = Path.Combine(Path.GetTempPath(), "segel-softhsm-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path.Combine(folder, "tokens"));
        string conf = Path.Combine(folder, "softhsm2.conf");
        File.WriteAllText(conf, $"directories.tokendir = {Path.Combine(folder, "tokens")}\nobjectstore.backend = file\nlog.level = ERROR\n");
        // The module reads SOFTHSM2_CONF with getenv(); .NET's SetEnvironmentVariable does not reach the C environment.
        if (SetEnv("SOFTHSM2_CONF", conf, 1) != 0)
        {
            throw new InvalidOperationException("setenv(SOFTHSM2_CONF) failed");
        }
        var environment = new Dictionary<string, string?> { ["SOFTHSM2_CONF"] = conf };
        string keys = "segel-" + Guid.NewGuid().ToString("N")[..8], locked = keys + "-pin";
        foreach (string label in new[] { keys, locked })
        {
            Tool.Run("softhsm2-util", ["--init-token", "--free", "--label", label, "--pin", Pin, "--so-pin", "5678-segel"], environment: environment).Check();
        }
        return (keys, locked, conf);
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);
}

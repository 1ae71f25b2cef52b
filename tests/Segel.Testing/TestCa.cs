using Microsoft.Extensions.Time.Testing;
using Segel.Core;
using Segel.Core.Ca;
using Segel.Core.Configuration;
using Segel.Core.Kernel;
using Segel.Pki.Keys;

namespace Segel.Testing;

/// <summary>A freshly initialised CA on a chosen database, in a temporary folder, on a clock the test controls.</summary>
public sealed class TestCa : IDisposable
{
    private readonly TempDirectory _directory;

    private TestCa(TempDirectory directory, SegelCa ca, FakeTimeProvider time, MasterKey masterKey, SegelOptions options)
    {
        _directory = directory;
        Ca = ca;
        Time = time;
        MasterKey = masterKey;
        Options = options;
    }

    public SegelCa Ca { get; }

    public FakeTimeProvider Time { get; }

    public MasterKey MasterKey { get; }

    public SegelOptions Options { get; }

    public TempDirectory Directory => _directory;

    /// <summary>
    /// Fast algorithms by default (ECDSA keys generate in microseconds); tests about RSA ask for it.
    /// </summary>
    public static async Task<TestCa> CreateAsync(string provider = "sqlite", Action<SegelOptions>? configure = null, DateTimeOffset? start = null,
        Func<MasterKey, IKeyStore>? keyStore = null)
    {
        // Starts at the real time by default, because openssl checks validity against its own clock.
        var time = new FakeTimeProvider(start ?? DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
        var directory = new TempDirectory();
        var options = new SegelOptions
        {
            PublicBaseUrl = "http://127.0.0.1:8080",
            Database = TestDatabase.Create(provider, directory.Path),
            Ca = new CaOptions
            {
                RootAlgorithm = "ecdsa-p384",
                IssuingAlgorithm = "ecdsa-p256",
                OcspAlgorithm = "ecdsa-p256",
                TsaAlgorithm = "ecdsa-p256",
                SubscriberAlgorithm = "ecdsa-p256",
            },
        };
        configure?.Invoke(options);
        MasterKey master = MasterKey.Generate();
        var ca = new SegelCa(options, directory.Path, keyStore?.Invoke(master) ?? new SoftwareKeyStore(master), SegelSecrets.FromMasterKey(master), time);
        await ca.PrepareAsync(initializeIfMissing: true, Actor.System);
        return new TestCa(directory, ca, time, master, options);
    }

    /// <summary>A second node on the same database (same master key, own caches) — what another server process would be.</summary>
    public SegelCa OpenSecondNode() => new(Options, _directory.Path, new SoftwareKeyStore(MasterKey), SegelSecrets.FromMasterKey(MasterKey), Time);

    public void Dispose()
    {
        Ca.Dispose();
        _directory.Dispose();
    }
}

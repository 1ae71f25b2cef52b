using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Segel.Core.Errors;
using Segel.Texts;

namespace Segel.Core.Ca;

/// <summary>
/// The roots a signature, a time-stamp or a certificate shown to Segel may chain to (issue 21.3): Segel's own, and the
/// outside roots the installation trusts (<c>TrustAnchors</c>: the national root, another regency's) — read once from
/// PEM files at start, each checked to be a CA certificate — and the CA services of signed trusted lists
/// (<c>TrustedLists</c>, see <see cref="TrustedList"/>), fetched when first needed and then by the server's
/// <c>TrustedListRefreshJob</c> — never again inside a request, so a slow publisher never slows a verification. The
/// report names the root a signature chains to, so a letter under the national root reads differently from one
/// under the regency's own.
/// </summary>
public sealed class TrustAnchors : IDisposable
{
    private const int MaxFileBytes = 1024 * 1024;
    private static readonly TimeSpan Refresh = TimeSpan.FromHours(1), RetryAfterFailure = TimeSpan.FromMinutes(5);
    private readonly AuthorityRing _ring;
    private readonly IReadOnlyList<X509Certificate2> _files;
    private readonly IReadOnlyList<(Uri Url, X509Certificate2 Signer)> _lists;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _refreshing = new(1, 1);
    private readonly Dictionary<Uri, IReadOnlyList<X509Certificate2>> _listed = [];
    private IReadOnlyList<X509Certificate2> _outside;
    private DateTimeOffset _due = DateTimeOffset.MinValue;

    internal TrustAnchors(AuthorityRing ring, IReadOnlyList<X509Certificate2> outside, IReadOnlyList<(Uri Url, X509Certificate2 Signer)>? lists = null, TimeProvider? time = null)
    {
        _ring = ring;
        _files = outside;
        _outside = outside;
        _lists = lists ?? [];
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The configured outside roots, without Segel's own: the files', and those of the trusted lists as last fetched.</summary>
    public IReadOnlyList<X509Certificate2> Outside => Volatile.Read(ref _outside);

    /// <summary>Why a trusted list could not be used the last time it was fetched, by URL; empty when all were.</summary>
    public IReadOnlyDictionary<string, string> ListProblems { get; private set; } = new Dictionary<string, string>();

    /// <summary>Segel's own roots, then the outside ones (the trusted lists fetched first if they never were).</summary>
    public async Task<IReadOnlyList<X509Certificate2>> AllAsync(CancellationToken cancellationToken = default)
    {
        if (_due == DateTimeOffset.MinValue)
        {
            await RefreshAsync(cancellationToken);
        }
        return [.. (await _ring.GetAllAsync(cancellationToken)).Where(a => a.Record.Role == Storage.AuthorityRole.RootCa).Select(a => a.Certificate), .. Outside];
    }

    /// <summary>
    /// Fetches every trusted list when the last fetch is an hour old (five minutes after a failure). A list that cannot be
    /// fetched or believed keeps what it gave before: an outage at the publisher does not untrust the national root.
    /// </summary>
    public async Task RefreshAsync(CancellationToken cancellationToken = default)
    {
        if (_lists.Count == 0 || _time.GetUtcNow() < _due || !await _refreshing.WaitAsync(0, cancellationToken))
        {
            return;
        }
        try
        {
            var problems = new Dictionary<string, string>();
            foreach ((Uri url, X509Certificate2 signer) in _lists)
            {
                try
                {
                    using HttpResponseMessage response = await LocalRevocation.OutsideHttp.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                    byte[] xml = response.IsSuccessStatusCode
                        ? await Pki.Validation.BoundedHttp.ReadAsync(response, TrustedList.MaxBytes, cancellationToken) ?? throw new TrustedListException("The trusted list is too large.")
                        : throw new TrustedListException($"HTTP {(int)response.StatusCode}");
                    _listed[url] = TrustedList.Read(xml, signer, _time.GetUtcNow());
                }
                catch (Exception e) when (e is TrustedListException or HttpRequestException or TaskCanceledException)
                {
                    problems[url.ToString()] = e.Message;
                }
            }
            Volatile.Write(ref _outside, [.. _files, .. _listed.Values.SelectMany(c => c)]);
            ListProblems = problems;
            _due = _time.GetUtcNow() + (problems.Count == 0 ? Refresh : RetryAfterFailure);
        }
        finally
        {
            _refreshing.Release();
        }
    }

    public void Dispose() => _refreshing.Dispose();

    /// <summary>The configured trusted lists: an http(s) URL each and its signer's certificate (a path from the data folder).</summary>
    internal static IReadOnlyList<(Uri Url, X509Certificate2 Signer)> LoadLists(IEnumerable<Configuration.TrustedListOptions>? lists, string folder)
    {
        var loaded = new List<(Uri, X509Certificate2)>();
        foreach (Configuration.TrustedListOptions list in lists ?? [])
        {
            if (!Uri.TryCreate(list.Url, UriKind.Absolute, out Uri? url) || url.Scheme is not ("http" or "https"))
            {
                throw SegelException.Invalid("TrustedLists", Localized.Of("Error.TrustedListNeedsHttpS", list.Url));
            }
            string path = string.IsNullOrWhiteSpace(list.Signer) ? throw SegelException.Invalid("TrustedLists", Localized.Of("Error.TrustedListNeedsSignerPem", url))
                : Path.IsPathRooted(list.Signer) ? list.Signer : Path.Combine(folder, list.Signer);
            if (!File.Exists(path) || new FileInfo(path).Length > MaxFileBytes)
            {
                throw SegelException.Invalid("TrustedLists", Localized.Of("Error.TrustAnchorFileNotExist", path));
            }
            try
            {
                loaded.Add((url, X509Certificate2.CreateFromPem(File.ReadAllText(path))));
            }
            catch (CryptographicException)
            {
                throw SegelException.Invalid("TrustedLists", Localized.Of("Error.TrustAnchorFileHoldsNo", path));
            }
        }
        return loaded;
    }

    /// <summary>Every certificate in the files (relative paths from the data folder); refused when one is missing, unreadable or not a CA's.</summary>
    internal static IReadOnlyList<X509Certificate2> Load(IEnumerable<string>? files, string folder)
    {
        var anchors = new List<X509Certificate2>();
        foreach (string file in (files ?? []).Where(f => !string.IsNullOrWhiteSpace(f)))
        {
            string path = Path.IsPathRooted(file) ? file : Path.Combine(folder, file);
            if (!File.Exists(path) || new FileInfo(path).Length > MaxFileBytes)
            {
                throw SegelException.Invalid("TrustAnchors", Localized.Of("Error.TrustAnchorFileNotExist", path));
            }
            var read = new X509Certificate2Collection();
            try
            {
                read.ImportFromPem(File.ReadAllText(path));
            }
            catch (CryptographicException)
            {
                read.Clear();
            }
            if (read.Count == 0)
            {
                throw SegelException.Invalid("TrustAnchors", Localized.Of("Error.TrustAnchorFileHoldsNo", path));
            }
            foreach (X509Certificate2 certificate in read)
            {
                if (certificate.Extensions["2.5.29.19"] is not X509BasicConstraintsExtension { CertificateAuthority: true })
                {
                    throw SegelException.Invalid("TrustAnchors", Localized.Of("Error.NotCaCertificateTrustAnchor", certificate.Subject, path));
                }
                anchors.Add(certificate);
            }
        }
        return anchors;
    }
}

using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Segel.Server.Tests.Portal;

/// <summary>
/// Debian's Chromium driven by Playwright (never a downloaded browser), with a screenshot of each step kept under
/// artifacts/screenshots/ and an axe-core check that a page has no serious or critical accessibility violation.
/// </summary>
internal sealed class Browser : IAsyncDisposable
{
    public const string Chromium = "/usr/bin/chromium";

    /// <summary>How long any wait for the page lasts before the test fails.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;
    private readonly string _shots;
    private int _step;

    private Browser(IPlaywright playwright, IBrowser browser, IPage page, string shots)
    {
        _playwright = playwright;
        _browser = browser;
        Page = page;
        _shots = shots;
    }

    public IPage Page { get; }

    /// <summary>Script errors and CSP refusals the pages caused; a page that works only by accident fails its check.</summary>
    public List<string> Problems { get; } = [];

    public static async Task<Browser> OpenAsync(string baseUrl, string test)
    {
        IPlaywright playwright = await Playwright.CreateAsync();
        IBrowser browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-dev-shm-usage"],
        });
        IBrowserContext context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseUrl, Locale = "id-ID" });
        // CI runs the browser tests beside the end-to-end suite on two cores, where one slow step can take most of
        // Playwright's default 30 s (seen once on a revocation approval); a wait is not a speed test (bench/ is).
        context.SetDefaultTimeout((float)Patience.TotalMilliseconds);
        context.SetDefaultNavigationTimeout((float)Patience.TotalMilliseconds);
        Assertions.SetDefaultExpectTimeout((float)Patience.TotalMilliseconds);
        IPage page = await context.NewPageAsync();
        string shots = Path.Combine(RepositoryRoot(), "artifacts", "screenshots", test);
        if (Directory.Exists(shots))
        {
            Directory.Delete(shots, recursive: true);
        }
        Directory.CreateDirectory(shots);
        var opened = new Browser(playwright, browser, page, shots);
        page.Console += (_, message) =>
        {
            // A refused form comes back with its 4xx status on purpose (the test reads the message); anything else that fails is a fault.
            bool refusedForm = message.Text.StartsWith("Failed to load resource: the server responded with a status of 4", StringComparison.Ordinal) &&
                (message.Location == page.Url || message.Location.StartsWith(page.Url + ":", StringComparison.Ordinal));
            if (message.Type == "error" && !refusedForm)
            {
                opened.Problems.Add($"{page.Url}: {message.Text}");
            }
        };
        page.PageError += (_, error) => opened.Problems.Add($"{page.Url}: {error}");
        return opened;
    }

    /// <summary>Keeps a full-page screenshot of what the page shows now, numbered in the order of the steps.</summary>
    public async Task ShotAsync(string name)
    {
        _step++;
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(_shots, $"{_step:00}-{name}.png"), FullPage = true });
    }

    /// <summary>Fails on any serious or critical axe-core violation of the page as it is now.</summary>
    public async Task AccessibleAsync()
    {
        Assert.True(Problems.Count == 0, string.Join("\n", Problems));
        AxeResult result = await Page.RunAxe();
        // axe-core itself sets inline styles while it measures (the page's CSP rightly refuses them): those reports are axe's, not the page's.
        await Page.WaitForTimeoutAsync(100);
        Problems.RemoveAll(p => p.Contains("Applying inline style violates", StringComparison.Ordinal));
        AxeResultItem[] bad = [.. result.Violations.Where(v => v.Impact is "serious" or "critical")];
        Assert.True(bad.Length == 0, $"{Page.Url}: " + string.Join("; ", bad.Select(v => $"{v.Id} ({v.Impact}): {v.Help} — {string.Join(", ", v.Nodes.Take(3).Select(n => n.Html))}")));
        // On a wide screen a list is a table whose headings stand over their columns (a grid rule for the dashboard's cards
        // once laid the lists' headings and rows side by side, which axe does not see).
        bool aligned = await Page.EvaluateAsync<bool>(@"() => window.innerWidth <= 640 || [...document.querySelectorAll('table')].every(t => {
            const h = t.querySelector('thead th'), d = t.querySelector('tbody td');
            return !h || !d || Math.abs(h.getBoundingClientRect().left - d.getBoundingClientRect().left) < 2; })");
        Assert.True(aligned, $"{Page.Url}: a table's headings are not over its columns");
    }

    /// <summary>
    /// Waits until the page is at a URL that <paramref name="at"/> accepts and has loaded, failing with the page it is on.
    /// The URL is polled rather than awaited with WaitForURLAsync: that checks the URL, then listens for the next
    /// navigation, and a redirect chain that ends between the two leaves it waiting for a navigation that already
    /// happened (seen once in CI, with the browser already on the page it waited for).
    /// </summary>
    public static async Task ArriveAsync(IPage page, Func<string, bool> at)
    {
        DateTime until = DateTime.UtcNow.Add(Patience);
        while (!at(page.Url))
        {
            if (DateTime.UtcNow > until)
            {
                Assert.Fail($"still at {page.Url}: {await page.ContentAsync()}");
            }
            await Task.Delay(50);
        }
        await page.WaitForLoadStateAsync(LoadState.Load);
    }

    /// <summary>
    /// The text of the page's confirmation (<c>[role=status]</c>) once it shows. If it never does, the failure names the
    /// refusal (<c>[role=alert]</c>) the page shows instead, or the page itself, rather than only a timeout.
    /// </summary>
    public static async Task<string> StatusAsync(IPage page)
    {
        try
        {
            return await page.Locator("[role=status]").InnerTextAsync();
        }
        catch (TimeoutException)
        {
            ILocator alert = page.Locator("[role=alert]");
            string shown = await alert.CountAsync() > 0 ? await alert.First.InnerTextAsync() : await page.Locator("body").InnerTextAsync();
            Assert.Fail($"no confirmation at {page.Url} within {Patience.TotalSeconds} s; the page shows: {shown}");
            throw;
        }
    }

    private static string RepositoryRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Segel.slnx")))
            {
                return dir.FullName;
            }
        }
        return AppContext.BaseDirectory;
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}

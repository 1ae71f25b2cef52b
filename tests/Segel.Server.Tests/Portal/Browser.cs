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
        IPage page = await context.NewPageAsync();
        string shots = Path.Combine(RepositoryRoot(), "artifacts", "screenshots", test);
        Directory.CreateDirectory(shots);
        return new Browser(playwright, browser, page, shots);
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
        AxeResult result = await Page.RunAxe();
        AxeResultItem[] bad = [.. result.Violations.Where(v => v.Impact is "serious" or "critical")];
        Assert.True(bad.Length == 0, $"{Page.Url}: " + string.Join("; ", bad.Select(v => $"{v.Id} ({v.Impact}): {v.Help} — {string.Join(", ", v.Nodes.Take(3).Select(n => n.Html))}")));
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

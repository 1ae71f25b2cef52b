using System.Text.RegularExpressions;
using Segel.Testing;

namespace Segel.Core.Tests.Architecture;

/// <summary>
/// Network I/O is asynchronous end to end: a thread held while a time-stamping authority or a responder across
/// the country answers is a thread no other request gets (issue 16, step 4). Read from the sources, so that a
/// new blocking call is caught where it is written, not when a busy server runs out of threads.
/// </summary>
public sealed partial class BlockingIoTests
{
    // Not network I/O, and not on a request's path: the CLI's PKCS#12 reader derives three keys at once on the
    // thread pool; EF Core's synchronous SaveChanges is routed to the one asynchronous body and never called.
    private static readonly string[] Allowed =
    [
        "Segel.Pki/Certificates/Pkcs12Import.cs",
        "Segel.Core/Storage/SegelDbContext.cs",
    ];

    [Fact]
    public void No_shipped_code_blocks_on_a_task_or_sends_http_synchronously()
    {
        SourceLine[] offenders = [.. Repository.Lines(Repository.Sources()).Where(l => !Allowed.Contains(l.File) && Blocking().IsMatch(l.Text))];
        Assert.True(offenders.Length == 0, "Blocking calls:\n" + string.Join("\n", offenders.Select(l => l.ToString())));
    }

    [GeneratedRegex(@"\.GetAwaiter\(\)\.GetResult\(\)|\.Wait\(\)|\b(_client|client|http|Http)\.Send\(|\.ReadAsStream\(\)|\.Result\.(Body|Der|Content)")]
    private static partial Regex Blocking();
}

using Segel.Core.Kernel;

namespace Segel.Core.Tests.Kernel;

public sealed class PagingTests
{
    // A plain in-memory query cannot be counted asynchronously: where the total comes back anyway, nothing was counted.
    private static readonly IQueryable<int> Uncountable = Enumerable.Range(0, 1000).AsQueryable();

    [Theory]
    [InlineData(0, 50, 3, 3)] // one short page: the total is what was read
    [InlineData(100, 50, 7, 107)] // the last, short page: the offset plus what was read
    [InlineData(0, 50, 0, 0)] // nothing matched
    public async Task A_short_page_gives_its_total_without_counting(int offset, int limit, int read, int total) =>
        Assert.Equal(total, await Paging.TotalAsync(Uncountable, offset, limit, read, CancellationToken.None));

    [Theory]
    [InlineData(0, 50, 50)] // a full page: more may follow
    [InlineData(2000, 50, 0)] // past the end: the page says nothing about how many there are
    public async Task A_full_page_or_one_past_the_end_is_counted(int offset, int limit, int read) =>
        await Assert.ThrowsAsync<InvalidOperationException>(() => Paging.TotalAsync(Uncountable, offset, limit, read, CancellationToken.None));
}

using Microsoft.EntityFrameworkCore;
using Segel.Core.Errors;
using Segel.Texts;

namespace Segel.Core.Kernel;

/// <summary>One page of a list, with the total so a client can show "1–50 of 10,000".</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, int Total, int Offset, int Limit);

public static class Paging
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;

    public static (int Offset, int Limit) Check(int? offset, int? limit)
    {
        int o = offset ?? 0;
        int l = limit ?? DefaultLimit;
        if (o < 0)
        {
            throw SegelException.Invalid("offset", Localized.Of("Error.OffsetNegative"));
        }
        if (l < 1 || l > MaxLimit)
        {
            throw SegelException.Invalid("limit", Localized.Of("Error.LimitOutOfRange", MaxLimit));
        }
        return (o, l);
    }

    /// <summary>
    /// The total for a page just read from <paramref name="filtered"/>: a short page that starts inside the results
    /// already says how many there are, so the count — a second pass over everything the filter matches — runs only when
    /// the page is full or lies past the end. A search for one person then reads the table once, not twice.
    /// </summary>
    public static async Task<int> TotalAsync<T>(IQueryable<T> filtered, int offset, int limit, int read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filtered);
        return read < limit && (read > 0 || offset == 0) ? offset + read : await filtered.CountAsync(cancellationToken);
    }

    /// <summary>
    /// The first <paramref name="take"/> items of a paged query, asked for a page of at most <see cref="MaxLimit"/>
    /// at a time (the console lists more than one page holds).
    /// </summary>
    public static async Task<IReadOnlyList<T>> FirstAsync<T>(int take, Func<int, int, Task<Page<T>>> page)
    {
        ArgumentNullException.ThrowIfNull(page);
        var items = new List<T>(Math.Min(take, MaxLimit));
        while (items.Count < take)
        {
            Page<T> next = await page(items.Count, Math.Min(MaxLimit, take - items.Count));
            items.AddRange(next.Items);
            if (next.Items.Count == 0 || items.Count >= next.Total)
            {
                break;
            }
        }
        return items;
    }
}

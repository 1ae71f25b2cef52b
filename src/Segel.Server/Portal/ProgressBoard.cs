using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Segel.Core.Organization;

namespace Segel.Server.Portal;

/// <summary>
/// How far a person's long operation has got, for their page to ask while it waits. It lives in this node's memory:
/// the operation runs in the request that started it, and the page asks the same node (behind a load balancer without
/// session affinity the page may ask another node, which does not know; the page then shows an indeterminate bar).
/// Keyed by the person and an id their page made up, so nobody reads another's progress; bounded in size and age.
/// </summary>
public sealed partial class ProgressBoard(TimeProvider time)
{
    private const int MaxEntries = 1000;
    private static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(15);
    private readonly ConcurrentDictionary<(string Owner, string Id), Entry> _entries = new();

    /// <summary>A reporter for the operation <paramref name="id"/> of <paramref name="owner"/>, or null when the id is not a well-formed one.</summary>
    public Reporter? Track(string owner, string? id)
    {
        if (id is null || !IdPattern().IsMatch(id))
        {
            return null;
        }
        Prune();
        if (_entries.Count >= MaxEntries)
        {
            return null; // the page falls back to an indeterminate bar
        }
        var entry = new Entry(time.GetUtcNow());
        _entries[(owner, id)] = entry;
        return new Reporter(this, (owner, id), entry);
    }

    public ImportProgress? Read(string owner, string? id) =>
        id is not null && _entries.TryGetValue((owner, id), out Entry? entry) ? entry.Latest : null;

    private void Prune()
    {
        DateTimeOffset limit = time.GetUtcNow() - MaxAge;
        foreach (var pair in _entries.Where(p => p.Value.Started < limit))
        {
            _entries.TryRemove(pair);
        }
    }

    internal sealed class Entry(DateTimeOffset started)
    {
        public DateTimeOffset Started { get; } = started;

        public ImportProgress? Latest { get; set; }
    }

    /// <summary>Receives the operation's progress; disposing it removes the entry (the page has its answer by then).</summary>
    public sealed class Reporter : IProgress<ImportProgress>, IDisposable
    {
        private readonly ProgressBoard _board;
        private readonly (string, string) _key;
        private readonly Entry _entry;

        internal Reporter(ProgressBoard board, (string, string) key, Entry entry)
        {
            _board = board;
            _key = key;
            _entry = entry;
        }

        public void Report(ImportProgress value) => _entry.Latest = value;

        public void Dispose() => _board._entries.TryRemove(new KeyValuePair<(string, string), Entry>(_key, _entry));
    }

    [GeneratedRegex("^[A-Za-z0-9-]{16,64}$")]
    private static partial Regex IdPattern();
}

namespace Segel.Core.Kernel;

/// <summary>
/// The id of the request (or job round) the core is working for, so the audit records it writes carry the id its log
/// lines carry (issue 25.4). Ambient, like <see cref="System.Diagnostics.Activity.Current"/>: a door sets it once for
/// the work it starts, and no service signature has to pass it along; work outside any door records none.
/// </summary>
public static class RequestCorrelation
{
    /// <summary>The longest id kept; the audit column is this wide.</summary>
    public const int MaxLength = 64;

    private static readonly AsyncLocal<string?> Ambient = new();

    public static string? Current => Ambient.Value;

    /// <summary>Makes <paramref name="id"/> current until the result is disposed; an id too long or not printable ASCII is cut or dropped, never trusted.</summary>
    public static IDisposable Begin(string? id)
    {
        string? previous = Ambient.Value;
        Ambient.Value = Clean(id);
        return new Restore(previous);
    }

    private static string? Clean(string? id)
    {
        if (string.IsNullOrEmpty(id) || !id.All(c => c is > ' ' and < (char)0x7f))
        {
            return null;
        }
        return id.Length > MaxLength ? id[..MaxLength] : id;
    }

    private sealed class Restore(string? previous) : IDisposable
    {
        public void Dispose() => Ambient.Value = previous;
    }
}

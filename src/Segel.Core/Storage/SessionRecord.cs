namespace Segel.Core.Storage;

/// <summary>A signed-in person's session token; only its SHA-256 is stored.</summary>
internal sealed class SessionRecord
{
    public long Id { get; set; }

    public long UserId { get; set; }

    public required byte[] TokenHash { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public DateTimeOffset LastSeenAt { get; set; }

    public DateTimeOffset? EndedAt { get; set; }

    public string? Origin { get; set; }
}

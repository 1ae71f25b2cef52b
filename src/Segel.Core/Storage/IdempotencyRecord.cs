using Segel.Core.Kernel;


namespace Segel.Core.Storage;

/// <summary>A create call's idempotency key: the same key from the same caller returns the first result.</summary>
internal sealed class IdempotencyRecord
{
    public long Id { get; set; }

    public required string Principal { get; set; }

    public required string Key { get; set; }

    public required byte[] RequestHash { get; set; }

    public required string Resource { get; set; }

    public long ResourceId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

namespace Segel.Core.Storage;

/// <summary>
/// One state change, written in the same transaction as the change itself. (The hash chain over these rows
/// that Pasal 21 asks for is added with the registration-authority work.)
/// </summary>
public sealed class AuditRecord
{
    public long Id { get; set; }

    public DateTimeOffset At { get; set; }

    public required string Actor { get; set; }

    public required string Action { get; set; }

    public required string Subject { get; set; }

    public string? Details { get; set; }
}

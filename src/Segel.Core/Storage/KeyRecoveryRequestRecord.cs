namespace Segel.Core.Storage;

/// <summary>Where a key-recovery request stands.</summary>
internal enum KeyRecoveryState
{
    /// <summary>Waiting for officers to open their shares.</summary>
    Pending = 0,
    /// <summary>Enough shares are opened: the holder may finish it with a new passphrase.</summary>
    Approved = 1,
    /// <summary>The holder's keys are sealed under their new passphrase; the opened shares are wiped.</summary>
    Completed = 2,
    /// <summary>Withdrawn by the holder or refused by an officer, or left too long; its opened shares are wiped.</summary>
    Closed = 3,
}

/// <summary>
/// A holder's request to recover the encryption keys Segel escrowed for them (issue 23.5), after a forgotten passphrase
/// or a locked key. Not sealed: what it unlocks is guarded by cryptography, not by its state — only officers' opened
/// shares (<see cref="KeyRecoveryApprovalRecord"/>), sealed under the master key, can open the recovery key, and they are
/// wiped when it ends.
/// </summary>
internal sealed class KeyRecoveryRequestRecord
{
    public long Id { get; set; }

    /// <summary>Whose keys.</summary>
    public long EmployeeId { get; set; }

    public required string RequestedBy { get; set; }

    public required string Statement { get; set; }

    public KeyRecoveryState State { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? EndedAt { get; set; }

    public string? EndedBy { get; set; }
}

/// <summary>
/// One officer's approval of a recovery request: the share of one recovery key they opened with their own key, sealed under
/// the master key and bound to the request and share, until the request ends. One row per share, so an officer counts once.
/// </summary>
internal sealed class KeyRecoveryApprovalRecord
{
    public long Id { get; set; }

    public long RequestId { get; set; }

    public long ShareId { get; set; }

    /// <summary>The approving officer's employee record.</summary>
    public long OfficerEmployeeId { get; set; }

    public required string OfficerName { get; set; }

    /// <summary>nonce ‖ tag ‖ AES-256-GCM(share values); empty once the request has ended.</summary>
    public required byte[] SealedShare { get; set; }

    public DateTimeOffset ApprovedAt { get; set; }
}

using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Storage;
using Segel.Texts;

namespace Segel.Core.Lifecycle;

/// <summary>
/// The life of an application, in one place: a draft is submitted (or withdrawn); the RA approves it (the certificate
/// is issued) or sends it back; a sent-back application is fixed and submitted again (or withdrawn). Approved and
/// withdrawn are final. Every change of state goes through <see cref="Move"/>.
/// </summary>
public static class ApplicationFlow
{
    private static readonly Dictionary<EnrollmentState, EnrollmentState[]> Next = new()
    {
        [EnrollmentState.Draft] = [EnrollmentState.Submitted, EnrollmentState.Cancelled],
        [EnrollmentState.Submitted] = [EnrollmentState.Approved, EnrollmentState.Rejected, EnrollmentState.Cancelled],
        [EnrollmentState.Rejected] = [EnrollmentState.Submitted, EnrollmentState.Cancelled],
        [EnrollmentState.Approved] = [],
        [EnrollmentState.Cancelled] = [],
    };

    public static bool CanMove(EnrollmentState from, EnrollmentState to) => Next.TryGetValue(from, out EnrollmentState[]? allowed) && allowed.Contains(to);

    /// <summary>The agency may still change documents and the holder may still confirm.</summary>
    public static bool IsOpen(EnrollmentState state) => state is EnrollmentState.Draft or EnrollmentState.Rejected;

    public static bool IsFinal(EnrollmentState state) => Next.TryGetValue(state, out EnrollmentState[]? allowed) && allowed.Length == 0;

    /// <summary>Moves the application to <paramref name="to"/>, or refuses (conflict) a move the flow does not have.</summary>
    internal static void Move(EnrollmentRecord enrollment, EnrollmentState to)
    {
        ArgumentNullException.ThrowIfNull(enrollment);
        if (!CanMove(enrollment.State, to))
        {
            throw SegelException.Conflict(Localized.Of("Error.ApplicationCannotBecome", enrollment.Id, enrollment.State.ToName(), to.ToName()));
        }
        enrollment.State = to;
    }
}

/// <summary>
/// The life of a revocation request, in one place: an agency's request waits (pending) for an RA officer, who approves
/// (the certificate is revoked) or rejects it; a holder's report of a compromised key, or an officer's own decision,
/// revokes at once — the holder's is effective at once and reviewed by the RA afterwards.
/// </summary>
public static class RevocationRequestFlow
{
    private static readonly Dictionary<RevocationRequestState, RevocationRequestState[]> Next = new()
    {
        [RevocationRequestState.Pending] = [RevocationRequestState.Approved, RevocationRequestState.Rejected],
        [RevocationRequestState.Proposed] = [RevocationRequestState.Pending, RevocationRequestState.Rejected],
        [RevocationRequestState.Effective] = [RevocationRequestState.Reviewed],
        [RevocationRequestState.Approved] = [],
        [RevocationRequestState.Rejected] = [],
        [RevocationRequestState.Reviewed] = [],
    };

    /// <summary>The states a request may start in: waiting, effective at once (a holder's report), approved at once (an officer's decision), proposed (by a personnel import).</summary>
    public static IReadOnlySet<RevocationRequestState> Starts { get; } = new HashSet<RevocationRequestState>
    {
        RevocationRequestState.Pending, RevocationRequestState.Effective, RevocationRequestState.Approved, RevocationRequestState.Proposed,
    };

    public static bool CanMove(RevocationRequestState from, RevocationRequestState to) =>
        Next.TryGetValue(from, out RevocationRequestState[]? allowed) && allowed.Contains(to);

    /// <summary>Waiting for an RA officer: a decision (pending) or a review (effective).</summary>
    public static bool AwaitsOfficer(RevocationRequestState state) => state is RevocationRequestState.Pending or RevocationRequestState.Effective;

    internal static void Start(RevocationRequestRecord request, RevocationRequestState state)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!Starts.Contains(state))
        {
            throw new InvalidOperationException($"A revocation request cannot start as {state}.");
        }
        request.State = state;
    }

    /// <summary>Moves the request to <paramref name="to"/>, or refuses (conflict) a move the flow does not have.</summary>
    internal static void Move(RevocationRequestRecord request, RevocationRequestState to)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!CanMove(request.State, to))
        {
            throw SegelException.Conflict(Localized.Of("Error.RevocationRequestCannotBecome", request.Id, request.State.ToName(), to.ToName()));
        }
        request.State = to;
    }
}

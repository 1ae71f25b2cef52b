using Microsoft.EntityFrameworkCore;
using Segel.Core.Kernel;
using Segel.Core.Notifications;
using Segel.Core.Storage;

namespace Segel.Core.Custody;

/// <summary>
/// The mail a key recovery sends, queued in the transaction of the step that causes it: the officers who hold a share hear
/// that a holder asked (so nobody has to watch the queue, and each can check with the holder before approving), and the
/// holder hears once that enough officers approved and until when to finish. No statement, share or key is in either.
/// </summary>
internal sealed class KeyRecoveryNotices(MailOutbox outbox, string baseUrl, string organization)
{
    private readonly string _baseUrl = baseUrl.TrimEnd('/');

    /// <summary>To every RA officer (other than the holder, still an officer and enabled) holding a share of these recovery keys.</summary>
    public async Task QueueRequestedAsync(SegelDbContext db, KeyRecoveryRequestRecord request, EmployeeRecord holder, IReadOnlyCollection<long> recoveryKeys,
        CancellationToken cancellationToken)
    {
        List<string> officers = await (from s in db.RecoveryShares.AsNoTracking()
                                       join u in db.Users.AsNoTracking() on s.EmployeeId equals u.EmployeeId
                                       join e in db.Employees.AsNoTracking() on s.EmployeeId equals e.Id
                                       where recoveryKeys.Contains(s.RecoveryKeyId) && s.EmployeeId != holder.Id && !u.Disabled &&
                                           (u.Roles & (int)Role.RaOfficer) != 0
                                       select e.Email).Distinct().ToListAsync(cancellationToken);
        foreach (string to in officers)
        {
            outbox.Enqueue(db, MailMessages.Compose("KeyRecoveryRequested", to, MailMessages.Indonesian, holder.Name, request.Id, holder.Nip,
                MailMessages.Date(request.CreatedAt, MailMessages.Indonesian), _baseUrl, organization));
        }
    }

    /// <summary>To the holder, when their request has just become approved.</summary>
    public void QueueApproved(SegelDbContext db, KeyRecoveryRequestView view, string holderEmail) =>
        outbox.Enqueue(db, MailMessages.Compose("KeyRecoveryApproved", holderEmail, MailMessages.Indonesian, view.Id, view.Holder,
            string.Join(", ", view.ApprovedBy), MailMessages.Date(view.ExpiresAt, MailMessages.Indonesian), _baseUrl, organization));

    public void Sent() => outbox.NotifyQueued();
}

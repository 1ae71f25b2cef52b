using Microsoft.EntityFrameworkCore;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Storage;
using Segel.Pki.Revocation;

namespace Segel.Core.Lifecycle;

public sealed record RevocationRequestView(long Id, string Serial, string Holder, string? Agency, string Reason, string State, string RequestedBy,
    string? ContactEmail, string? Statement, DateTimeOffset CreatedAt, DateTimeOffset? DecidedAt, string? DecidedBy, string? RejectionReason,
    IReadOnlyList<DecisionSummary> Decisions);

public sealed class RevocationRequestQueries
{
    private readonly LifecycleContext _context;

    internal RevocationRequestQueries(LifecycleContext context) => _context = context;

    public async Task<Page<RevocationRequestView>> ListAsync(string? state, int? offset, int? limit, Principal by, CancellationToken cancellationToken = default)
    {
        EnrollmentQueries.RequireReader(by);
        (int o, int l) = Paging.Check(offset, limit);
        await using SegelDbContext db = _context.Database.CreateContext();
        IQueryable<RevocationRequestRecord> query = db.RevocationRequests.AsNoTracking();
        if (by.Has(Role.AgencyHead) && !by.Has(Role.RaOfficer | Role.Admin | Role.Auditor))
        {
            query = query.Where(r => r.AgencyId == by.AgencyId);
        }
        if (!string.IsNullOrWhiteSpace(state))
        {
            RevocationRequestState wanted = LifecycleTerms.ParseRequestState(state);
            query = query.Where(r => r.State == wanted);
        }
        int total = await query.CountAsync(cancellationToken);
        List<RevocationRequestRecord> rows = await query.OrderBy(r => r.CreatedAt).ThenBy(r => r.Id).Skip(o).Take(l).ToListAsync(cancellationToken);
        var views = new List<RevocationRequestView>(rows.Count);
        foreach (RevocationRequestRecord row in rows)
        {
            views.Add(await ViewAsync(db, row, [], cancellationToken));
        }
        return new Page<RevocationRequestView>(views, total, o, l);
    }

    public async Task<RevocationRequestView> GetAsync(long id, Principal by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(by);
        await using SegelDbContext db = _context.Database.CreateContext();
        RevocationRequestRecord row = await db.RevocationRequests.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken)
            ?? throw SegelException.NotFound($"No revocation request {id}.");
        if (row.RequestedBy == by.Name)
        {
            // Whoever asked (a holder reporting a compromise, too) may follow their own request.
        }
        else if (row.AgencyId is int agency)
        {
            EnrollmentQueries.RequireReader(by);
            LifecycleContext.RequireOwnAgency(by, agency, "read revocation requests");
        }
        else if (!by.Has(Role.RaOfficer | Role.Admin | Role.Auditor))
        {
            throw SegelException.Forbidden($"{by.Name} may not read this revocation request.");
        }
        List<DecisionSummary> decisions = (await db.Decisions.AsNoTracking().Where(d => d.SubjectType == "revocation-request" && d.SubjectId == id)
            .OrderBy(d => d.Id).ToListAsync(cancellationToken)).Select(EnrollmentQueries.ToSummary).ToList();
        return await ViewAsync(db, row, decisions, cancellationToken);
    }

    private static async Task<RevocationRequestView> ViewAsync(SegelDbContext db, RevocationRequestRecord r, IReadOnlyList<DecisionSummary> decisions, CancellationToken cancellationToken)
    {
        var certificate = await db.Certificates.AsNoTracking().Where(c => c.Id == r.CertificateId).Select(c => new { c.SerialHex, c.CommonName }).SingleAsync(cancellationToken);
        string? agency = r.AgencyId is int a ? await db.Agencies.Where(x => x.Id == a).Select(x => x.Code).SingleAsync(cancellationToken) : null;
        return new RevocationRequestView(r.Id, certificate.SerialHex, certificate.CommonName, agency, ((RevocationReason)r.Reason).ToRfcName(),
            r.State.ToName(), r.RequestedBy, r.ContactEmail, r.Statement, r.CreatedAt, r.DecidedAt, r.DecidedBy, r.RejectionReason, decisions);
    }
}

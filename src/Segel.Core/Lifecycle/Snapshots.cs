using Segel.Core.Kernel;
using Segel.Core.Storage;

namespace Segel.Core.Lifecycle;

/// <summary>An application just changed: which one, of what kind, where it now stands, and its revision (for the next edit).</summary>
public sealed record EnrollmentSnapshot(long Id, EnrollmentKind Kind, EnrollmentState State, int Revision)
{
    internal static EnrollmentSnapshot Of(EnrollmentRecord e) => new(e.Id, e.Kind, e.State, e.Revision);
}

/// <summary>A revocation request just made or decided: which one and where it now stands.</summary>
public sealed record RevocationRequestSnapshot(long Id, RevocationRequestState State)
{
    internal static RevocationRequestSnapshot Of(RevocationRequestRecord r) => new(r.Id, r.State);
}

using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Lifecycle;
using Segel.Core.Storage;

namespace Segel.Core.Tests.Lifecycle;

/// <summary>The allowed moves of applications and revocation requests, each in one table; anything else is a conflict.</summary>
public sealed class FlowTests
{
    [Theory]
    [InlineData(EnrollmentState.Draft, EnrollmentState.Submitted, true)]
    [InlineData(EnrollmentState.Draft, EnrollmentState.Approved, false)]
    [InlineData(EnrollmentState.Submitted, EnrollmentState.Approved, true)]
    [InlineData(EnrollmentState.Submitted, EnrollmentState.Rejected, true)]
    [InlineData(EnrollmentState.Rejected, EnrollmentState.Submitted, true)]
    [InlineData(EnrollmentState.Rejected, EnrollmentState.Approved, false)]
    [InlineData(EnrollmentState.Approved, EnrollmentState.Cancelled, false)]
    [InlineData(EnrollmentState.Cancelled, EnrollmentState.Submitted, false)]
    public void An_application_moves_only_as_the_flow_allows(EnrollmentState from, EnrollmentState to, bool allowed)
    {
        var application = new EnrollmentRecord { Id = 7, State = from, Profile = "subscriber", ContactEmail = "a@b", HolderEmail = "c@d", CreatedBy = "t" };
        Assert.Equal(allowed, ApplicationFlow.CanMove(from, to));
        if (allowed)
        {
            ApplicationFlow.Move(application, to);
            Assert.Equal(to, application.State);
        }
        else
        {
            SegelException refused = Assert.Throws<SegelException>(() => ApplicationFlow.Move(application, to));
            Assert.Equal(ErrorKind.Conflict, refused.Kind);
            Assert.Equal(from, application.State);
        }
    }

    [Fact]
    public void A_revocation_request_is_decided_once_and_a_holders_report_is_only_reviewed()
    {
        var request = new RevocationRequestRecord { Id = 3, RequestedBy = "kepala", Reason = 1 };
        RevocationRequestFlow.Start(request, RevocationRequestState.Pending);
        RevocationRequestFlow.Move(request, RevocationRequestState.Approved);
        Assert.Equal(ErrorKind.Conflict, Assert.Throws<SegelException>(() => RevocationRequestFlow.Move(request, RevocationRequestState.Rejected)).Kind);

        var report = new RevocationRequestRecord { Id = 4, RequestedBy = "budi", Reason = 1 };
        RevocationRequestFlow.Start(report, RevocationRequestState.Effective);
        Assert.False(RevocationRequestFlow.CanMove(RevocationRequestState.Effective, RevocationRequestState.Rejected));
        RevocationRequestFlow.Move(report, RevocationRequestState.Reviewed);
        Assert.Throws<InvalidOperationException>(() => RevocationRequestFlow.Start(new RevocationRequestRecord { RequestedBy = "x" }, RevocationRequestState.Reviewed));
        Assert.All(Enum.GetValues<RevocationRequestState>(), s => Assert.Equal(s is RevocationRequestState.Pending or RevocationRequestState.Effective, RevocationRequestFlow.AwaitsOfficer(s)));
    }
}

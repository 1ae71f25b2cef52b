namespace Segel.Server.Status;

/// <summary>Checks, on the request path, whether another process changed certificate status since the last check.</summary>
public interface IStatusChangeProbe
{
    /// <summary>True when status may have changed elsewhere; cheap enough to call on every OCSP request.</summary>
    bool Changed();
}

namespace Segel.Pki.Cmp;

/// <summary>Whether the upstream has certified the entity before: an initialization request (ir) or a certification request (cr).</summary>
public enum CmpEntity
{
    /// <summary>First certificate for this entity: ir → ip.</summary>
    New,

    /// <summary>An additional certificate for an entity the upstream already certified: cr → cp.</summary>
    Known,
}

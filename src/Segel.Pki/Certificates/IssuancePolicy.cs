namespace Segel.Pki.Certificates;

/// <summary>The certificate policy every certificate asserts, and the URLs it carries.</summary>
public sealed record IssuancePolicy(CaUrls Urls, string PolicyOid);

using Segel.Pki.Certificates;

namespace Segel.Pki.Tests.Certificates;

/// <summary>The URLs written into certificates: what relying parties fetch stays on plain HTTP when the portal is https.</summary>
public sealed class CaUrlsTests
{
    [Fact]
    public void An_https_portal_on_the_default_port_sends_relying_parties_to_plain_http()
    {
        var urls = new CaUrls("https://pki.tanahbumbukab.go.id/");
        Assert.Equal("http://pki.tanahbumbukab.go.id/ocsp", urls.Ocsp);
        Assert.Equal("http://pki.tanahbumbukab.go.id/crl/issuing-ca.crl", urls.Crl("issuing-ca"));
        Assert.Equal("http://pki.tanahbumbukab.go.id/ca/issuing-ca.crt", urls.CaCertificate("issuing-ca"));
        Assert.Equal("https://pki.tanahbumbukab.go.id/cps", urls.Cps); // read by people, so where people go
        Assert.Equal("https://pki.tanahbumbukab.go.id", urls.BaseUrl);
    }

    [Fact]
    public void A_plain_base_or_an_unguessable_port_is_kept_and_an_explicit_base_wins()
    {
        Assert.Equal("http://127.0.0.1:8080/ocsp", new CaUrls("http://127.0.0.1:8080").Ocsp);
        Assert.Equal("https://pki.example.go.id:8443/ocsp", new CaUrls("https://pki.example.go.id:8443").Ocsp);
        Assert.Equal("http://pki.example.go.id:8080/ocsp", new CaUrls("https://pki.example.go.id:8443", "http://pki.example.go.id:8080/").Ocsp);
        Assert.Equal("relyingPartyBaseUrl", Assert.Throws<ArgumentException>(() => new CaUrls("https://pki.example.go.id", "ldap://x")).ParamName);
        Assert.Equal("publicBaseUrl", Assert.Throws<ArgumentException>(() => new CaUrls("pki.example.go.id")).ParamName);
    }
}

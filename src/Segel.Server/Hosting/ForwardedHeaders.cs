using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Segel.Core.Errors;
using Segel.Texts;

namespace Segel.Server.Hosting;

/// <summary>
/// Behind a reverse proxy (nginx, a load balancer), the client's address and the scheme arrive in <c>X-Forwarded-For</c> and
/// <c>X-Forwarded-Proto</c>. They are believed only from the proxies the operator lists in <c>Proxies</c>: otherwise anyone
/// could name any address and so step around the per-address rate limits or put a false origin in the audit record.
/// </summary>
public static class ForwardedHeaders
{
    public static WebApplication UseForwardedHeadersFrom(this WebApplication app, IReadOnlyList<string>? proxies)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (proxies is null || proxies.Count == 0)
        {
            return app;
        }
        var options = new ForwardedHeadersOptions
        {
            ForwardedHeaders = Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedFor | Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedProto,
            ForwardLimit = proxies.Count,
        };
        options.KnownIPNetworks.Clear();
        options.KnownProxies.Clear();
        (List<IPAddress> addresses, List<System.Net.IPNetwork> networks) = Parse(proxies);
        addresses.ForEach(options.KnownProxies.Add);
        networks.ForEach(options.KnownIPNetworks.Add);
        app.UseForwardedHeaders(options);
        return app;
    }

    /// <summary>The <c>Proxies</c> setting read: addresses and networks; anything else refused naming it.</summary>
    public static (List<IPAddress> Addresses, List<System.Net.IPNetwork> Networks) Parse(IEnumerable<string>? proxies)
    {
        var addresses = new List<IPAddress>();
        var networks = new List<System.Net.IPNetwork>();
        foreach (string entry in proxies ?? [])
        {
            string text = (entry ?? "").Trim();
            if (IPAddress.TryParse(text, out IPAddress? address))
            {
                addresses.Add(address);
            }
            else if (System.Net.IPNetwork.TryParse(text, out System.Net.IPNetwork network))
            {
                networks.Add(network);
            }
            else
            {
                throw SegelException.Invalid("Proxies", Localized.Of("Error.ProxiesNeitherIpAddressNor", text));
            }
        }
        return (addresses, networks);
    }
}

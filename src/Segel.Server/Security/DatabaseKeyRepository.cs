using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Segel.Core.Accounts;

namespace Segel.Server.Security;

/// <summary>
/// ASP.NET Core's data protection keys (anti-forgery tokens, sign-on cookies) in the core's <see cref="WebKeyRing"/>
/// instead of the default: a folder under the service user's home in clear, or memory when there is no home (in
/// containers) — one ring per node, so a form served by one node failed on the next, and every restart broke the
/// forms open in browsers.
/// </summary>
internal sealed class DatabaseKeyRepository(WebKeyRing ring) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements() => [.. ring.ReadAll().Select(XElement.Parse)];

    public void StoreElement(XElement element, string friendlyName) => ring.Add(friendlyName, element.ToString(SaveOptions.DisableFormatting));

    public static void AddTo(IServiceCollection services)
    {
        services.AddDataProtection().SetApplicationName("segel");
        services.AddOptions<KeyManagementOptions>().Configure<WebKeyRing>((options, ring) =>
        {
            options.XmlRepository = new DatabaseKeyRepository(ring);
            // The ring seals each whole key under the master key; the framework's own wrapping adds nothing, and
            // saying so keeps it from warning that keys are stored unencrypted.
            options.XmlEncryptor = new NullXmlEncryptor();
        });
    }
}

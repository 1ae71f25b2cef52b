using System.DirectoryServices.Protocols;
using System.Net;
using Segel.Core.Configuration;
using Segel.Core.Errors;
using Segel.Texts;

namespace Segel.Core.Recipients;

/// <summary>
/// One connection to the LDAP directory mail clients read (RFC 4511 through .NET's System.DirectoryServices.Protocols,
/// which uses the system's OpenLDAP library). Entries are inetOrgPerson under the configured branch, named
/// <c>uid=segel-N</c>, with <c>cn</c>, <c>sn</c>, <c>mail</c> and <c>userCertificate;binary</c> — the attributes Thunderbird
/// and Outlook search and read (RFC 4523 names the binary transfer of certificates). Failures of the directory are
/// one <see cref="SegelException"/> kind (unavailable), so the publisher retries later.
/// </summary>
internal sealed class LdapDirectory : IDisposable
{
    private const string CertificateAttribute = "userCertificate;binary";
    private static readonly string[] ReadAttributes = ["uid", "cn", "mail", CertificateAttribute];
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);
    private readonly LdapConnection _connection;
    private readonly string _base;

    private LdapDirectory(LdapConnection connection, string baseDn)
    {
        _connection = connection;
        _base = baseDn;
    }

    public static LdapDirectory Open(DirectoryOptions options)
    {
        Uri url = Check(options);
        int port = url.IsDefaultPort || url.Port <= 0 ? (url.Scheme == "ldaps" ? 636 : 389) : url.Port;
        var connection = new LdapConnection(new LdapDirectoryIdentifier(url.Host, port, fullyQualifiedDnsHostName: false, connectionless: false))
        {
            Timeout = Timeout,
        };
        try
        {
            connection.SessionOptions.ProtocolVersion = 3;
            if (url.Scheme == "ldaps")
            {
                connection.SessionOptions.SecureSocketLayer = true;
            }
            else if (options.StartTls)
            {
                connection.SessionOptions.StartTransportLayerSecurity(null);
            }
            if (string.IsNullOrEmpty(options.BindDn))
            {
                connection.AuthType = AuthType.Anonymous;
                connection.Bind();
            }
            else
            {
                connection.AuthType = AuthType.Basic;
                connection.Bind(new NetworkCredential(options.BindDn, options.BindPassword ?? ""));
            }
            return new LdapDirectory(connection, options.BaseDn!.Trim()); // Check refused an empty one
        }
        catch (Exception e) when (e is LdapException or DirectoryException or PlatformNotSupportedException or DllNotFoundException)
        {
            connection.Dispose();
            throw Unavailable(e);
        }
    }

    /// <summary>The directory's address, once the options name one Segel can publish to; a clear refusal otherwise.</summary>
    public static Uri Check(DirectoryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!Uri.TryCreate(options.Url, UriKind.Absolute, out Uri? url) || url.Scheme is not ("ldap" or "ldaps") || url.AbsolutePath.Length > 1)
        {
            throw SegelException.Invalid("Directory:Url", Localized.Of("Error.DirectoryUrlLdap", options.Url ?? ""));
        }
        if (string.IsNullOrWhiteSpace(options.BaseDn) || !options.BaseDn.Contains('=', StringComparison.Ordinal))
        {
            throw SegelException.Invalid("Directory:BaseDn", Localized.Of("Error.DirectoryBaseDnMissing"));
        }
        return url;
    }

    private static SegelException Unavailable(Exception e) =>
        new(ErrorKind.NotReady, Localized.Of("Error.DirectoryUnavailable", e.Message), e);

    private string DnOf(long employeeId) => $"uid={DirectoryEntry.UidOf(employeeId)},{_base}";

    /// <summary>Every entry of Segel's under the branch, read a page at a time.</summary>
    public IReadOnlyList<DirectoryEntry> ReadAll()
    {
        var entries = new List<DirectoryEntry>();
        var paging = new PageResultRequestControl(500);
        var request = new SearchRequest(_base, "(&(objectClass=inetOrgPerson)(uid=segel-*))", SearchScope.OneLevel, ReadAttributes);
        request.Controls.Add(paging);
        while (true)
        {
            var response = (SearchResponse)Send(request);
            foreach (SearchResultEntry found in response.Entries)
            {
                if (Read(found) is { } entry)
                {
                    entries.Add(entry);
                }
            }
            PageResultResponseControl? page = response.Controls.OfType<PageResultResponseControl>().FirstOrDefault();
            if (page is null || page.Cookie.Length == 0)
            {
                return entries;
            }
            paging.Cookie = page.Cookie;
        }
    }

    /// <summary>The entry of <paramref name="employeeId"/> as the directory holds it; null when there is none.</summary>
    public DirectoryEntry? Find(long employeeId)
    {
        try
        {
            var response = (SearchResponse)Send(new SearchRequest(DnOf(employeeId), "(objectClass=*)", SearchScope.Base, ReadAttributes));
            return response.Entries.Count == 0 ? null : Read(response.Entries[0]);
        }
        catch (DirectoryOperationException e) when (e.Response?.ResultCode == ResultCode.NoSuchObject)
        {
            return null;
        }
    }

    private static DirectoryEntry? Read(SearchResultEntry found)
    {
        string? uid = Strings(found, "uid").FirstOrDefault();
        if (uid is null || DirectoryEntry.EmployeeOf(uid) is not { } id)
        {
            return null;
        }
        List<byte[]> certificates = [];
        foreach (string name in found.Attributes.AttributeNames)
        {
            // Servers answer "userCertificate;binary" or "userCertificate"; both are the DER certificate.
            if (name.StartsWith("usercertificate", StringComparison.OrdinalIgnoreCase))
            {
                certificates.AddRange(found.Attributes[name].GetValues(typeof(byte[])).Cast<byte[]>());
            }
        }
        return new DirectoryEntry(id, Strings(found, "cn").FirstOrDefault() ?? "", Strings(found, "mail"), certificates);
    }

    private static string[] Strings(SearchResultEntry found, string attribute) =>
        found.Attributes.Contains(attribute) ? [.. found.Attributes[attribute].GetValues(typeof(string)).Cast<string>()] : [];

    /// <summary>Makes the directory hold <paramref name="wanted"/> for its employee: added, replaced, or (null) deleted.</summary>
    public void Put(long employeeId, DirectoryEntry? wanted)
    {
        string dn = DnOf(employeeId);
        if (wanted is null)
        {
            try
            {
                Send(new DeleteRequest(dn));
            }
            catch (DirectoryOperationException e) when (e.Response?.ResultCode == ResultCode.NoSuchObject)
            {
                // already gone
            }
            return;
        }
        DirectoryAttribute[] attributes =
        [
            new("cn", wanted.Name),
            new("sn", wanted.Surname),
            new("displayName", wanted.Name),
            new("mail", [.. wanted.Emails.Cast<object>()]),
            new(CertificateAttribute, [.. wanted.Certificates.Cast<object>()]),
        ];
        try
        {
            Send(new AddRequest(dn, [new DirectoryAttribute("objectClass", "top", "person", "organizationalPerson", "inetOrgPerson"),
                new DirectoryAttribute("uid", wanted.Uid), .. attributes]));
        }
        catch (DirectoryOperationException e) when (e.Response?.ResultCode == ResultCode.EntryAlreadyExists)
        {
            var modify = new ModifyRequest(dn);
            foreach (DirectoryAttribute attribute in attributes)
            {
                var change = new DirectoryAttributeModification { Name = attribute.Name, Operation = DirectoryAttributeOperation.Replace };
                foreach (object value in attribute.GetValues(attribute.Name == CertificateAttribute ? typeof(byte[]) : typeof(string)))
                {
                    if (value is byte[] bytes)
                    {
                        change.Add(bytes);
                    }
                    else
                    {
                        change.Add((string)value);
                    }
                }
                modify.Modifications.Add(change);
            }
            Send(modify);
        }
    }

    private DirectoryResponse Send(DirectoryRequest request)
    {
        try
        {
            return _connection.SendRequest(request, Timeout);
        }
        catch (DirectoryOperationException e) when (e.Response?.ResultCode is ResultCode.NoSuchObject or ResultCode.EntryAlreadyExists)
        {
            throw; // answers the caller handles
        }
        catch (Exception e) when (e is LdapException or DirectoryException)
        {
            throw Unavailable(e);
        }
    }

    public void Dispose() => _connection.Dispose();
}

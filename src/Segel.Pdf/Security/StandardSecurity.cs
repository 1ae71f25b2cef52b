using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Parameters;
using Segel.Pdf.Model;
using Segel.Pdf.Parsing;

namespace Segel.Pdf.Security;

/// <summary>
/// The standard security handler (ISO 32000-2 §7.6.4): the file key from the user or owner password (revisions
/// 2–4: MD5 and RC4; 5 and 6: SHA-2 and AES-256), and the per-object encryption of strings and streams (RC4,
/// AES-128 or AES-256 in CBC mode). RC4 comes from BouncyCastle, everything else from .NET; nothing is
/// hand-rolled beyond the standard's own key-derivation recipes.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5351", Justification = "ISO 32000 fixes MD5 and RC4 for revisions 2-4; Segel reads such files and keeps their encryption, it does not choose it.")]
public sealed class StandardSecurity
{
    private static readonly byte[] Padding =
    [
        0x28, 0xBF, 0x4E, 0x5E, 0x4E, 0x75, 0x8A, 0x41, 0x64, 0x00, 0x4E, 0x56, 0xFF, 0xFA, 0x01, 0x08,
        0x2E, 0x2E, 0x00, 0xB6, 0xD0, 0x68, 0x3E, 0x80, 0x2F, 0x0C, 0xA9, 0xFE, 0x64, 0x53, 0x69, 0x7A,
    ];

    private enum Method
    {
        Identity,
        Rc4,
        AesV2,
        AesV3,
    }

    private readonly byte[] _key;
    private readonly Method _strings;
    private readonly Method _streams;

    private StandardSecurity(byte[] key, Method strings, Method streams, int permissions, bool owner, bool encryptMetadata, int revision)
    {
        _key = key;
        _strings = strings;
        _streams = streams;
        Permissions = permissions;
        OwnerAccess = owner;
        EncryptMetadata = encryptMetadata;
        Revision = revision;
    }

    /// <summary>The /P flags (ISO 32000-2 Table 22).</summary>
    public int Permissions { get; }

    /// <summary>True when opened with the owner password: every permission applies.</summary>
    public bool OwnerAccess { get; }

    public bool EncryptMetadata { get; }

    public int Revision { get; }

    /// <summary>May a signature field be added (bit 6, annotations and forms) or an existing one filled (bit 9)?</summary>
    public bool MaySign => OwnerAccess || (Permissions & (1 << 5)) != 0 || (Revision >= 3 && (Permissions & (1 << 8)) != 0);

    public static StandardSecurity Open(PdfDictionary encrypt, byte[] firstId, string? password)
    {
        ArgumentNullException.ThrowIfNull(encrypt);
        ArgumentNullException.ThrowIfNull(firstId);
        if (encrypt.NameOf("Filter") != "Standard")
        {
            throw new PdfFormatException($"The PDF is encrypted with the '{encrypt.NameOf("Filter")}' security handler; Segel reads only password (Standard) encryption.");
        }
        int v = (int)((encrypt["V"] as PdfNumber)?.Value ?? 0);
        int r = (int)((encrypt["R"] as PdfNumber)?.Value ?? 0);
        int p = (int)(long)((encrypt["P"] as PdfNumber)?.Value ?? 0);
        byte[] o = (encrypt["O"] as PdfString)?.Bytes ?? [];
        byte[] u = (encrypt["U"] as PdfString)?.Bytes ?? [];
        bool encryptMetadata = encrypt["EncryptMetadata"] is not PdfBoolean { Value: false };
        (Method strings, Method streams) = Methods(encrypt, v);
        if (r is 5 or 6)
        {
            if (o.Length < 48 || u.Length < 48)
            {
                throw new PdfFormatException("The PDF's encryption dictionary is damaged (/O or /U too short).");
            }
            byte[] pw = Encoding.UTF8.GetBytes((password ?? "").Normalize(NormalizationForm.FormKC));
            pw = pw.Length > 127 ? pw[..127] : pw;
            byte[] oe = (encrypt["OE"] as PdfString)?.Bytes ?? [];
            byte[] ue = (encrypt["UE"] as PdfString)?.Bytes ?? [];
            if (Hash(r, pw, o.AsSpan(32, 8), u.AsSpan(0, 48)).AsSpan().SequenceEqual(o.AsSpan(0, 32)))
            {
                return new StandardSecurity(AesNoPadding(Hash(r, pw, o.AsSpan(40, 8), u.AsSpan(0, 48)), oe, encrypt: false), strings, streams, p, true, encryptMetadata, r);
            }
            if (Hash(r, pw, u.AsSpan(32, 8), []).AsSpan().SequenceEqual(u.AsSpan(0, 32)))
            {
                return new StandardSecurity(AesNoPadding(Hash(r, pw, u.AsSpan(40, 8), []), ue, encrypt: false), strings, streams, p, false, encryptMetadata, r);
            }
            throw Refused(password);
        }
        if (r is < 2 or > 4)
        {
            throw new PdfFormatException($"The PDF uses standard security revision {r}, which Segel does not know.");
        }
        int length = r == 2 ? 5 : (int)((encrypt["Length"] as PdfNumber)?.Value ?? 40) / 8;
        length = Math.Clamp(length, 5, 16);
        byte[] given = Latin1(password ?? "");
        byte[] userKey = FileKey(given, o, p, firstId, r, length, encryptMetadata);
        if (UserMatches(userKey, u, firstId, r))
        {
            return new StandardSecurity(userKey, strings, streams, p, false, encryptMetadata, r);
        }
        // Algorithm 7: the owner password decrypts /O to the user password.
        byte[] ownerKey = MD5.HashData(Pad(given));
        if (r >= 3)
        {
            for (int i = 0; i < 50; i++)
            {
                ownerKey = MD5.HashData(ownerKey);
            }
        }
        ownerKey = ownerKey[..length];
        byte[] user = (byte[])o.Clone();
        if (r == 2)
        {
            user = Rc4(ownerKey, user);
        }
        else
        {
            for (int i = 19; i >= 0; i--)
            {
                user = Rc4(ownerKey.Select(b => (byte)(b ^ i)).ToArray(), user);
            }
        }
        byte[] key = FileKey(user, o, p, firstId, r, length, encryptMetadata);
        return UserMatches(key, u, firstId, r) ? new StandardSecurity(key, strings, streams, p, true, encryptMetadata, r) : throw Refused(password);
    }

    private static PdfPasswordException Refused(string? password) => password is null
        ? new PdfPasswordException("The PDF is protected by a password; give it to open the PDF.")
        : new PdfPasswordException("The password does not open this PDF.");

    private static (Method Strings, Method Streams) Methods(PdfDictionary encrypt, int v)
    {
        if (v is 1 or 2)
        {
            return (Method.Rc4, Method.Rc4);
        }
        if (v is not (4 or 5))
        {
            throw new PdfFormatException($"The PDF uses encryption algorithm V={v}, which Segel does not know.");
        }
        var filters = encrypt["CF"] as PdfDictionary;
        Method Of(string? name)
        {
            if (name is null or "Identity")
            {
                return Method.Identity;
            }
            return (filters?[name] as PdfDictionary)?.NameOf("CFM") switch
            {
                "V2" => Method.Rc4,
                "AESV2" => Method.AesV2,
                "AESV3" => Method.AesV3,
                "None" => Method.Identity,
                var other => throw new PdfFormatException($"The PDF uses crypt filter method '{other}', which Segel does not know."),
            };
        }
        return (Of(encrypt.NameOf("StrF")), Of(encrypt.NameOf("StmF")));
    }

    private static byte[] Latin1(string text) => text.All(c => c <= 0xFF) ? Encoding.Latin1.GetBytes(text) : Encoding.UTF8.GetBytes(text);

    private static byte[] Pad(byte[] password) => [.. password.Take(32), .. Padding.Take(32 - Math.Min(32, password.Length))];

    /// <summary>Algorithm 2: the file key from a (padded) user password.</summary>
    private static byte[] FileKey(byte[] password, byte[] o, int p, byte[] id, int r, int length, bool encryptMetadata)
    {
        byte[] permissions = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(permissions, p);
        byte[] input = [.. Pad(password), .. o.Take(32), .. permissions, .. id, .. (r >= 4 && !encryptMetadata ? new byte[] { 0xFF, 0xFF, 0xFF, 0xFF } : [])];
        byte[] hash = MD5.HashData(input);
        if (r >= 3)
        {
            for (int i = 0; i < 50; i++)
            {
                hash = MD5.HashData(hash.AsSpan(0, length));
            }
        }
        return hash[..length];
    }

    /// <summary>Algorithms 4 and 5: does this key reproduce /U?</summary>
    private static bool UserMatches(byte[] key, byte[] u, byte[] id, int r)
    {
        if (r == 2)
        {
            return u.Length >= 32 && Rc4(key, Padding).AsSpan().SequenceEqual(u.AsSpan(0, 32));
        }
        byte[] x = Rc4(key, MD5.HashData([.. Padding, .. id]));
        for (int i = 1; i <= 19; i++)
        {
            x = Rc4(key.Select(b => (byte)(b ^ i)).ToArray(), x);
        }
        return u.Length >= 16 && x.AsSpan(0, 16).SequenceEqual(u.AsSpan(0, 16));
    }

    /// <summary>Algorithm 2.B (revision 6), or plain SHA-256 (revision 5).</summary>
    private static byte[] Hash(int r, byte[] password, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> userData)
    {
        byte[] k = SHA256.HashData([.. password, .. salt, .. userData]);
        if (r == 5)
        {
            return k;
        }
        byte[] extra = userData.ToArray();
        using var aes = Aes.Create();
        for (int round = 0; ; round++)
        {
            byte[] once = [.. password, .. k, .. extra];
            byte[] k1 = new byte[once.Length * 64];
            for (int i = 0; i < 64; i++)
            {
                once.CopyTo(k1, i * once.Length);
            }
            aes.Key = k[..16];
            byte[] e = aes.EncryptCbc(k1, k.AsSpan(16, 16), PaddingMode.None);
            int mod = 0;
            for (int i = 0; i < 16; i++)
            {
                mod += e[i];
            }
            k = (mod % 3) switch
            {
                0 => SHA256.HashData(e),
                1 => SHA384.HashData(e),
                _ => SHA512.HashData(e),
            };
            if (round >= 63 && e[^1] <= round - 31)
            {
                break;
            }
        }
        return k[..32];
    }

    private static byte[] AesNoPadding(byte[] key, byte[] data, bool encrypt)
    {
        if (data.Length != 32)
        {
            throw new PdfFormatException("The PDF's encryption dictionary is damaged (/OE or /UE is not 32 bytes).");
        }
        using var aes = Aes.Create();
        aes.Key = key;
        return encrypt ? aes.EncryptCbc(data, new byte[16], PaddingMode.None) : aes.DecryptCbc(data, new byte[16], PaddingMode.None);
    }

    private static byte[] Rc4(byte[] key, byte[] data)
    {
        var rc4 = new RC4Engine();
        rc4.Init(true, new KeyParameter(key));
        byte[] output = new byte[data.Length];
        rc4.ProcessBytes(data, 0, data.Length, output, 0);
        return output;
    }

    /// <summary>Algorithm 1: the key for one object (revision 5 and 6 use the file key itself).</summary>
    private byte[] ObjectKey(Method method, int number, int generation)
    {
        if (method == Method.AesV3)
        {
            return _key;
        }
        byte[] input = [.. _key, (byte)number, (byte)(number >> 8), (byte)(number >> 16), (byte)generation, (byte)(generation >> 8),
            .. (method == Method.AesV2 ? "sAlT"u8.ToArray() : [])];
        return MD5.HashData(input)[..Math.Min(_key.Length + 5, 16)];
    }

    private byte[] Crypt(Method method, byte[] data, int number, int generation, bool encrypt)
    {
        if (method == Method.Identity)
        {
            return data;
        }
        byte[] key = ObjectKey(method, number, generation);
        if (method == Method.Rc4)
        {
            return Rc4(key, data);
        }
        using var aes = Aes.Create();
        aes.Key = key;
        if (encrypt)
        {
            byte[] iv = RandomNumberGenerator.GetBytes(16);
            return [.. iv, .. aes.EncryptCbc(data, iv, PaddingMode.PKCS7)];
        }
        if (data.Length < 32 || data.Length % 16 != 0)
        {
            return data.Length == 16 ? [] : throw new PdfFormatException($"An encrypted string or stream in object {number} has a length AES cannot have.");
        }
        try
        {
            return aes.DecryptCbc(data.AsSpan(16), data.AsSpan(0, 16), PaddingMode.PKCS7);
        }
        catch (CryptographicException e)
        {
            throw new PdfFormatException($"An encrypted string or stream in object {number} does not decrypt.", e);
        }
    }

    public byte[] DecryptString(byte[] data, int number, int generation) => Crypt(_strings, data, number, generation, encrypt: false);

    public byte[] EncryptString(byte[] data, int number, int generation) => Crypt(_strings, data, number, generation, encrypt: true);

    public byte[] DecryptStream(byte[] data, int number, int generation) => Crypt(_streams, data, number, generation, encrypt: false);

    public byte[] EncryptStream(byte[] data, int number, int generation) => Crypt(_streams, data, number, generation, encrypt: true);

    /// <summary>
    /// A copy of <paramref name="value"/> with every string en- or decrypted for object <paramref name="number"/>,
    /// except a signature dictionary's /Contents, which the standard leaves in the clear (§7.6.2).
    /// </summary>
    internal PdfObject Transform(PdfObject value, int number, int generation, bool encrypt, int depth = 0)
    {
        if (depth > PdfLexer.MaxDepth)
        {
            return value;
        }
        switch (value)
        {
            case PdfString s:
                return new PdfString(encrypt ? EncryptString(s.Bytes, number, generation) : DecryptString(s.Bytes, number, generation), hex: encrypt || s.Hex);
            case PdfArray a:
                return new PdfArray(a.Items.Select(item => Transform(item, number, generation, encrypt, depth + 1)));
            case PdfDictionary d:
                bool signature = d["ByteRange"] is not null;
                var copy = new PdfDictionary();
                foreach ((string key, PdfObject item) in d.Entries)
                {
                    copy[key] = signature && key == "Contents" ? item : Transform(item, number, generation, encrypt, depth + 1);
                }
                return copy;
            case PdfStream stream:
                return new PdfStream((PdfDictionary)Transform(stream.Dictionary, number, generation, encrypt, depth + 1), stream.DataOffset, stream.DataLength)
                    { Number = stream.Number, Generation = stream.Generation };
            case PdfNewStream written when encrypt:
                return new PdfNewStream((PdfDictionary)Transform(written.Dictionary, number, generation, encrypt, depth + 1), EncryptStream(written.Data, number, generation));
            default:
                return value;
        }
    }
}

using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Segel.Core.Accounts;
using Segel.Core.Audit;
using Segel.Core.Ca;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Storage;
using Segel.Pki.Keys;
using Segel.Texts;

namespace Segel.Core.Custody;

/// <summary>
/// Holders' private keys kept by Segel, sealed so that neither the database nor the server alone can open
/// them: the sealing key is HKDF over Argon2id(passphrase) and the server's pepper (from the master key).
/// The passphrase is never stored. Five wrong passphrases lock the key until an RA officer unlocks it.
/// </summary>
public sealed class HolderKeyVault
{
    public const int MinPassphraseLength = 10;
    public const int MaxAttempts = 5;
    private const int MemoryKiB = 19_456;
    private const int Iterations = 2;
    private const int Parallelism = 1;
    private const int NonceLength = 12;
    private const int TagLength = 16;
    private readonly SegelDatabase _database;
    private readonly byte[] _pepper;
    private readonly byte[] _codeSeal;
    private readonly CaSettings _settings;
    private readonly TimeProvider _time;

    internal HolderKeyVault(SegelDatabase database, byte[] pepper, byte[] codeSeal, CaSettings settings, TimeProvider time)
    {
        _database = database;
        _pepper = pepper;
        _codeSeal = codeSeal;
        _settings = settings;
        _time = time;
    }

    public static void CheckPassphrase(string? passphrase, params string?[] mustNotContain)
    {
        if (string.IsNullOrEmpty(passphrase) || passphrase.Length < MinPassphraseLength)
        {
            throw SegelException.Invalid("passphrase", Localized.Of("Error.PassphraseLeastCharacters", MinPassphraseLength));
        }
        if (passphrase.Length > 1024)
        {
            throw SegelException.Invalid("passphrase", Localized.Of("Error.PassphraseMost1024Characters"));
        }
        if (passphrase.Distinct().Count() < 4)
        {
            throw SegelException.Invalid("passphrase", Localized.Of("Error.PassphraseTooSimpleUseLeast"));
        }
        foreach (string? value in mustNotContain)
        {
            if (!string.IsNullOrEmpty(value) && value.Length >= 4 && passphrase.Contains(value, StringComparison.OrdinalIgnoreCase))
            {
                throw SegelException.Invalid("passphrase", Localized.Of("Error.PassphraseNotContainYourNip"));
            }
        }
    }

    /// <summary>Generates a key pair for <paramref name="employeeId"/> and seals it; the caller adds the record to its unit of work.</summary>
    internal HolderKeyRecord Create(long employeeId, string passphrase) => Create(employeeId, passphrase, null);

    /// <summary>
    /// As <see cref="Create(long, string)"/>, for an encryption key (issue 23.5): also escrowed to the recovery key
    /// <paramref name="recovery"/>, so enough RA officers together can give it back to a holder who lost the passphrase.
    /// </summary>
    internal HolderKeyRecord CreateEscrowed(long employeeId, string passphrase, RecoveryKeyRecord recovery) =>
        Create(employeeId, passphrase, recovery ?? throw new ArgumentNullException(nameof(recovery)));

    private HolderKeyRecord Create(long employeeId, string passphrase, RecoveryKeyRecord? recovery)
    {
        KeyAlgorithm algorithm = _settings.SubscriberAlgorithm;
        using AsymmetricAlgorithm key = algorithm.Generate();
        byte[] pkcs8 = key.ExportPkcs8PrivateKey();
        try
        {
            byte[] spki = key.ExportSubjectPublicKeyInfo();
            (byte[] sealedKey, string kdf) = Seal(employeeId, spki, pkcs8, passphrase);
            byte[]? escrow = null;
            if (recovery is not null)
            {
                using X509Certificate2 recoveryCertificate = X509CertificateLoader.LoadCertificate(recovery.CertificateDer);
                escrow = KeyRecovery.Escrow(pkcs8, recoveryCertificate);
            }
            return new HolderKeyRecord
            {
                EmployeeId = employeeId,
                Algorithm = algorithm.ToConfigName(),
                PublicKey = spki,
                SealedPrivateKey = sealedKey,
                Kdf = kdf,
                CreatedAt = _time.GetUtcNow(),
                Escrow = escrow,
                RecoveryKeyId = recovery?.Id,
            };
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }
    }

    /// <summary>Seals a PKCS#8 key under a passphrase with a fresh salt and nonce; returns the blob and its KDF parameters.</summary>
    private (byte[] Sealed, string Kdf) Seal(long employeeId, byte[] spki, byte[] pkcs8, string passphrase)
    {
        byte[] salt = RandomNumberGenerator.GetBytes(16);
        string kdf = string.Create(CultureInfo.InvariantCulture, $"argon2id;m={MemoryKiB};t={Iterations};p={Parallelism};salt={Convert.ToBase64String(salt)}");
        byte[] key = SealingKey(passphrase, kdf);
        try
        {
            return (SealWith(key, employeeId, spki, pkcs8), kdf);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    private static byte[] SealWith(byte[] key, long employeeId, byte[] spki, byte[] pkcs8)
    {
        byte[] sealedKey = new byte[NonceLength + TagLength + pkcs8.Length];
        RandomNumberGenerator.Fill(sealedKey.AsSpan(0, NonceLength));
        using var aes = new AesGcm(key, TagLength);
        aes.Encrypt(sealedKey.AsSpan(0, NonceLength), pkcs8, sealedKey.AsSpan(NonceLength + TagLength), sealedKey.AsSpan(NonceLength, TagLength),
            AssociatedData(employeeId, spki));
        return sealedKey;
    }

    private static byte[]? TryOpenWith(byte[] key, byte[] blob, long employeeId, byte[] spki)
    {
        if (blob.Length < NonceLength + TagLength)
        {
            return null;
        }
        byte[] plaintext = new byte[blob.Length - NonceLength - TagLength];
        try
        {
            using var aes = new AesGcm(key, TagLength);
            aes.Decrypt(blob.AsSpan(0, NonceLength), blob.AsSpan(NonceLength + TagLength), blob.AsSpan(NonceLength, TagLength), plaintext,
                AssociatedData(employeeId, spki));
            return plaintext;
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }
    }

    /// <summary>
    /// Re-seals a key under a new passphrase (the holder's alone: the old one must open it, and a wrong one
    /// counts toward the lockout). The new passphrase follows the same policy as the first; recorded.
    /// </summary>
    internal async Task ChangePassphraseAsync(HolderKeyRecord record, string? oldPassphrase, string? newPassphrase, Actor actor, string?[] mustNotContain,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(mustNotContain);
        CheckPassphrase(newPassphrase, mustNotContain);
        if (newPassphrase == oldPassphrase)
        {
            throw SegelException.Invalid("passphrase", Localized.Of("Error.NewPassphraseDifferOld"));
        }
        byte[] pkcs8 = await OpenOrCountAsync(record, oldPassphrase, actor, cancellationToken);
        try
        {
            (byte[] sealedKey, string kdf) = Seal(record.EmployeeId, record.PublicKey, pkcs8, newPassphrase!);
            await using SegelDbContext db = _database.CreateContext();
            HolderKeyRecord current = await db.HolderKeys.SingleAsync(k => k.Id == record.Id, cancellationToken);
            current.SealedPrivateKey = sealedKey;
            current.Kdf = kdf;
            current.FailedAttempts = 0;
            AuditLog.Record(db, _time, actor, "holder-key.passphrase-changed", $"key:{record.Id}", new { employee = record.EmployeeId });
            await db.SaveChangesAsync(cancellationToken);
            record.SealedPrivateKey = sealedKey;
            record.Kdf = kdf;
            record.FailedAttempts = 0;
            record.Seal = current.Seal; // the caller's copy goes on being used
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }
    }

    /// <summary>
    /// Seals a recovered key (issue 23.5) under the holder's new passphrase into its tracked <paramref name="record"/>, unlocked and
    /// with any code-signing copy dropped. Refuses a key whose public half is not the record's: an escrow moved between rows in
    /// the database must not hand one holder another's key.
    /// </summary>
    internal void SealRecovered(HolderKeyRecord record, byte[] pkcs8, string passphrase)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(pkcs8);
        using (AsymmetricAlgorithm key = KeyAlgorithms.Parse(record.Algorithm).ImportPkcs8(pkcs8))
        {
            if (!key.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(record.PublicKey))
            {
                throw new CryptographicException($"The escrow of key {record.Id} holds another key.");
            }
        }
        (byte[] sealedKey, string kdf) = Seal(record.EmployeeId, record.PublicKey, pkcs8, passphrase);
        record.SealedPrivateKey = sealedKey;
        record.Kdf = kdf;
        record.FailedAttempts = 0;
        record.LockedAt = null;
        record.CodeSealedPrivateKey = null;
    }

    /// <summary>
    /// The holder's certificate and key as PKCS#12 for a desktop mail client (Thunderbird, Outlook), opened with
    /// their passphrase and protected by an export password of their choosing; recorded.
    /// </summary>
    internal async Task<byte[]> ExportPkcs12Async(HolderKeyRecord record, X509Certificate2 certificate, IEnumerable<X509Certificate2> chain, string? passphrase,
        string exportPassword, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (string.IsNullOrEmpty(exportPassword) || exportPassword.Length < 8)
        {
            throw SegelException.Invalid("password", Localized.Of("Error.Pkcs12PasswordLeast8"));
        }
        using X509Certificate2 withKey = await UnlockAsync(record, certificate, passphrase, actor, cancellationToken);
        byte[] pkcs12 = Pki.Certificates.Pkcs12Export.Export(withKey, chain, exportPassword, certificate.GetNameInfo(X509NameType.SimpleName, false));
        await using SegelDbContext db = _database.CreateContext();
        AuditLog.Record(db, _time, actor, "holder-key.exported", $"key:{record.Id}", new { employee = record.EmployeeId, format = "pkcs12" });
        await db.SaveChangesAsync(cancellationToken);
        return pkcs12;
    }

    internal static PublicKey PublicKeyOf(HolderKeyRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return PublicKey.CreateFromSubjectPublicKeyInfo(record.PublicKey, out _);
    }

    /// <summary>
    /// Opens the key sealed for <paramref name="certificate"/> with the holder's passphrase and returns the
    /// certificate with its private key. A wrong passphrase is counted (and committed) before the error.
    /// </summary>
    internal async Task<X509Certificate2> UnlockAsync(HolderKeyRecord record, X509Certificate2 certificate, string? passphrase, Actor actor,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(certificate);
        byte[] pkcs8 = await OpenOrCountAsync(record, passphrase, actor, cancellationToken);
        try
        {
            return Attach(record, certificate, pkcs8);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }
    }

    private static X509Certificate2 Attach(HolderKeyRecord record, X509Certificate2 certificate, byte[] pkcs8)
    {
        if (record.Algorithm.StartsWith("rsa", StringComparison.Ordinal))
        {
            using var rsa = RSA.Create();
            rsa.ImportPkcs8PrivateKey(pkcs8, out _);
            return certificate.CopyWithPrivateKey(rsa);
        }
        if (certificate.GetECDsaPublicKey() is { } signing)
        {
            signing.Dispose();
            using var ec = ECDsa.Create();
            ec.ImportPkcs8PrivateKey(pkcs8, out _);
            return certificate.CopyWithPrivateKey(ec);
        }
        // A separate encryption certificate's key usage is keyAgreement alone (issue 23.5): .NET pairs it only with ECDH.
        using var dh = ECDiffieHellman.Create();
        dh.ImportPkcs8PrivateKey(pkcs8, out _);
        return certificate.CopyWithPrivateKey(dh);
    }

    /// <summary>
    /// Turns on signing with an e-mailed one-time code (the national API's "TOTP" path): the holder proves it is
    /// them with the passphrase, and a second copy of the key is sealed under the server's code-signing key. Until
    /// then no code can unlock anything — Segel never makes that copy on anyone else's word. Recorded.
    /// </summary>
    internal async Task EnableCodeSigningAsync(HolderKeyRecord record, string? passphrase, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        byte[] pkcs8 = await OpenOrCountAsync(record, passphrase, actor, cancellationToken);
        try
        {
            byte[] copy = SealWith(_codeSeal, record.EmployeeId, record.PublicKey, pkcs8);
            await using SegelDbContext db = _database.CreateContext();
            HolderKeyRecord current = await db.HolderKeys.SingleAsync(k => k.Id == record.Id, cancellationToken);
            current.CodeSealedPrivateKey = copy;
            current.FailedAttempts = 0;
            AuditLog.Record(db, _time, actor, "holder-key.code-signing-enabled", $"key:{record.Id}", new { employee = record.EmployeeId });
            await db.SaveChangesAsync(cancellationToken);
            record.CodeSealedPrivateKey = copy;
            record.Seal = current.Seal;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }
    }

    /// <summary>Destroys the code-unlockable copy (the holder, or an RA officer after a report of a compromised mailbox); recorded.</summary>
    internal async Task DisableCodeSigningAsync(HolderKeyRecord record, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        await using SegelDbContext db = _database.CreateContext();
        HolderKeyRecord current = await db.HolderKeys.SingleAsync(k => k.Id == record.Id, cancellationToken);
        if (current.CodeSealedPrivateKey is null)
        {
            throw SegelException.Conflict(Localized.Of("Error.SigningTimeCodesNotTurned"));
        }
        current.CodeSealedPrivateKey = null;
        AuditLog.Record(db, _time, actor, "holder-key.code-signing-disabled", $"key:{record.Id}", new { employee = record.EmployeeId });
        await db.SaveChangesAsync(cancellationToken);
        record.CodeSealedPrivateKey = null;
        record.Seal = current.Seal;
    }

    /// <summary>
    /// Opens the key's code-unlockable copy when <paramref name="consumeCode"/> uses up a valid one-time code of this holder
    /// (<c>Signing.OneTimeCodes</c>). A wrong code counts like a wrong passphrase, claimed before it is checked;
    /// refused when the holder never turned code signing on or the key is locked.
    /// </summary>
    internal async Task<X509Certificate2> OpenWithCodeAsync(HolderKeyRecord record, X509Certificate2 certificate, Func<CancellationToken, Task<bool>> consumeCode,
        Actor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(consumeCode);
        if (record.CodeSealedPrivateKey is not { } copy)
        {
            throw SegelException.Refused(Localized.Of("Error.HolderNotTurnedSigningTime"));
        }
        await RequireIntactAsync(record, cancellationToken);
        await ClaimAttemptAsync(record.Id, cancellationToken);
        if (!await consumeCode(cancellationToken))
        {
            await FailAttemptAsync(record, actor, cancellationToken);
            throw new SegelException(ErrorKind.Invalid, Localized.Of("Error.TimeCodeWrongExpiredAlready"), "totp") { Code = SigningErrors.WrongPassphrase };
        }
        await SucceedAttemptAsync(record.Id, cancellationToken);
        byte[] pkcs8 = TryOpenWith(_codeSeal, copy, record.EmployeeId, record.PublicKey)
            ?? throw new CryptographicException("The code-signing copy of the key does not open with this server's key.");
        try
        {
            return Attach(record, certificate, pkcs8);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }
    }

    /// <summary>Refuses a locked key with the SUSPEND reason, wherever a key is about to be opened or a code sent for it.</summary>
    internal static void ThrowIfLocked(HolderKeyRecord record)
    {
        if (record.LockedAt is not null)
        {
            throw LockedError();
        }
    }

    private static SegelException LockedError() =>
        new(ErrorKind.Refused, Localized.Of("Error.KeyLockedAfterWrongPassphrases", MaxAttempts)) { Code = SigningErrors.Locked };

    private async Task<byte[]> OpenOrCountAsync(HolderKeyRecord record, string? passphrase, Actor actor, CancellationToken cancellationToken)
    {
        if (record.DestroyedAt is { } destroyed)
        {
            // Not a wrong passphrase: nothing is left to open, and no attempt is counted against the holder.
            throw SegelException.Refused(Localized.Of("Error.CertificatePrivateKeyDestroyedPasal", destroyed));
        }
        if (string.IsNullOrEmpty(passphrase))
        {
            throw new SegelException(ErrorKind.Invalid, Localized.Of("Error.GiveKeyPassphrase"), "passphrase") { Code = SigningErrors.WrongPassphrase }; // a blank field is no guess
        }
        if (passphrase.Length > 1024)
        {
            throw new SegelException(ErrorKind.Invalid, Localized.Of("Error.PassphraseWrong"), "passphrase") { Code = SigningErrors.WrongPassphrase }; // longer than any passphrase
        }
        await RequireIntactAsync(record, cancellationToken);
        await ClaimAttemptAsync(record.Id, cancellationToken);
        byte[]? pkcs8 = TryOpen(record, passphrase ?? "");
        if (pkcs8 is null)
        {
            await FailAttemptAsync(record, actor, cancellationToken);
            throw new SegelException(ErrorKind.Invalid, Localized.Of("Error.PassphraseWrong"), "passphrase") { Code = SigningErrors.WrongPassphrase };
        }
        try
        {
            await SucceedAttemptAsync(record.Id, cancellationToken);
        }
        catch
        {
            CryptographicOperations.ZeroMemory(pkcs8);
            throw;
        }
        return pkcs8;
    }

    /// <summary>
    /// A key whose record fails its seal is never opened: its owner, its lock or the sealed key itself may have been
    /// changed behind Segel's back (a lock lifted in the database would otherwise hand out more guesses).
    /// </summary>
    private async Task RequireIntactAsync(HolderKeyRecord record, CancellationToken cancellationToken)
    {
        await using SegelDbContext db = _database.CreateContext();
        await IntegrityAlarm.RequireIntactAsync(db, record, "open-the-key", _time.GetUtcNow(), cancellationToken);
    }

    // The lockout holds under parallel guesses and across nodes because an attempt is claimed by one conditional update
    // before the passphrase or code is checked: however many arrive at once, at most MaxAttempts are ever checked.

    /// <summary>Claims one attempt on the key; refused (as locked) when it is locked or every attempt left is being checked right now.</summary>
    private async Task ClaimAttemptAsync(long keyId, CancellationToken cancellationToken)
    {
        await using SegelDbContext db = _database.CreateContext();
        int claimed = await db.HolderKeys.Where(k => k.Id == keyId && k.LockedAt == null && k.FailedAttempts < MaxAttempts)
            .ExecuteUpdateAsync(s => s.SetProperty(k => k.FailedAttempts, k => k.FailedAttempts + 1), cancellationToken);
        if (claimed == 0)
        {
            throw LockedError();
        }
    }

    /// <summary>After a wrong passphrase or code: the claim stays counted, and the key locks when it was the last; recorded.</summary>
    private async Task FailAttemptAsync(HolderKeyRecord record, Actor actor, CancellationToken cancellationToken)
    {
        await using SegelDbContext db = _database.CreateContext();
        HolderKeyRecord current = await db.HolderKeys.SingleAsync(k => k.Id == record.Id, cancellationToken);
        int attempts = current.FailedAttempts;
        // The lock is sealed with the key, so it is set through a tracked change whose seal is its condition: of
        // several wrong guesses that reach the last attempt at once, one locks and the others find it locked.
        bool locking = current.LockedAt is null && attempts >= MaxAttempts;
        if (locking)
        {
            current.LockedAt = _time.GetUtcNow();
        }
        AuditLog.Record(db, _time, actor, locking ? "holder-key.locked" : "holder-key.wrong-passphrase", $"key:{record.Id}",
            new { employee = record.EmployeeId, attempts });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException) when (locking)
        {
            // Another guess locked it first; this one is a wrong passphrase on a key now locked.
            db.ChangeTracker.Clear();
            AuditLog.Record(db, _time, actor, "holder-key.wrong-passphrase", $"key:{record.Id}", new { employee = record.EmployeeId, attempts });
            await db.SaveChangesAsync(cancellationToken);
            return;
        }
        if (locking)
        {
            SegelMetrics.Locked("key");
        }
    }

    /// <summary>After the right passphrase or code: the count starts again, unless parallel wrong guesses locked the key meanwhile.</summary>
    private async Task SucceedAttemptAsync(long keyId, CancellationToken cancellationToken)
    {
        await using SegelDbContext db = _database.CreateContext();
        if (await db.HolderKeys.Where(k => k.Id == keyId && k.LockedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(k => k.FailedAttempts, 0), cancellationToken) == 0)
        {
            throw LockedError();
        }
    }

    /// <summary>
    /// Lifts the lockout of an employee's locked keys (RA officers only, and not their own); recorded. Returns
    /// how many keys were unlocked.
    /// </summary>
    public async Task<int> UnlockEmployeeAsync(string nip, Principal by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(by);
        by.Require(Role.RaOfficer, "unlock-a-holders-key");
        await using SegelDbContext db = _database.CreateContext();
        EmployeeRecord employee = await db.EmployeeByNipAsync(nip, cancellationToken);
        if (by.EmployeeId == employee.Id)
        {
            throw SegelException.Forbidden(Localized.Of("Error.RaOfficerNotUnlockTheir"));
        }
        List<HolderKeyRecord> locked = await db.HolderKeys.Where(k => k.EmployeeId == employee.Id && k.LockedAt != null).ToListAsync(cancellationToken);
        if (locked.Count == 0)
        {
            throw SegelException.Conflict(Localized.Of("Error.NoKeyEmployeeLocked", employee.Nip));
        }
        foreach (HolderKeyRecord record in locked)
        {
            record.LockedAt = null;
            record.FailedAttempts = 0;
            AuditLog.Record(db, _time, by.ToActor(), "holder-key.unlocked", $"key:{record.Id}", new { employee = employee.Nip });
        }
        await db.SaveChangesAsync(cancellationToken);
        return locked.Count;
    }

    private byte[]? TryOpen(HolderKeyRecord record, string passphrase)
    {
        byte[] key = SealingKey(passphrase, record.Kdf);
        try
        {
            return TryOpenWith(key, record.SealedPrivateKey, record.EmployeeId, record.PublicKey);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    private byte[] SealingKey(string passphrase, string kdf)
    {
        Dictionary<string, string> p = kdf.Split(';').Skip(1).Select(x => x.Split('=', 2)).ToDictionary(x => x[0], x => x[1], StringComparer.Ordinal);
        byte[] stretched = PasswordHasher.Compute(passphrase, Convert.FromBase64String(p["salt"]),
            int.Parse(p["m"], CultureInfo.InvariantCulture), int.Parse(p["t"], CultureInfo.InvariantCulture), int.Parse(p["p"], CultureInfo.InvariantCulture));
        byte[] ikm = [.. stretched, .. _pepper];
        try
        {
            return HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm, 32, salt: [], info: "segel/holder-key-seal/v1"u8.ToArray());
        }
        finally
        {
            CryptographicOperations.ZeroMemory(ikm);
            CryptographicOperations.ZeroMemory(stretched);
        }
    }

    // Binds the sealed blob to its owner and public key: moving it to another row makes it unopenable.
    private static byte[] AssociatedData(long employeeId, byte[] spki) =>
        [.. Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"segel-holder-key:{employeeId}:")), .. SHA256.HashData(spki)];
}

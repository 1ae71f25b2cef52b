using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Segel.Core;
using Segel.Core.Errors;
using Segel.Core.Lifecycle;
using Segel.Core.Storage;
using Segel.Server.Api;

namespace Segel.Server.Publication;

/// <summary>
/// The page the confirmation e-mail links to (Pasal 7, 14 f–g): the holder reads the subscriber agreement,
/// chooses the passphrase of the key Segel keeps, and accepts — with the code from the e-mail, no account.
/// Plain HTML and a form post, no script; the web portal may restyle it, the rule stays in the core.
/// </summary>
public static class ConfirmationPage
{
    public static IEndpointRouteBuilder MapConfirmationPage(this IEndpointRouteBuilder app)
    {
        app.MapGet("/confirm/{id:long}", Show).ExcludeFromDescription().RequireRateLimiting(RateLimits.Anonymous);
        app.MapPost("/confirm/{id:long}", Accept).ExcludeFromDescription().RequireRateLimiting(RateLimits.Anonymous).DisableAntiforgery();
        return app;
    }

    private static async Task<IResult> Show(long id, string? code, SegelCa ca, HttpContext context, CancellationToken cancellationToken)
    {
        AgreementRecord agreement = await ca.Agreements.CurrentAsync(cancellationToken);
        return Page(context, Form(id, code, agreement, null, null));
    }

    private static async Task<IResult> Accept(long id, HttpContext context, SegelCa ca, CancellationToken cancellationToken)
    {
        IFormCollection form = await context.Request.ReadFormAsync(cancellationToken);
        string code = form["code"].ToString();
        AgreementRecord agreement = await ca.Agreements.CurrentAsync(cancellationToken);
        if (form["accept"] != "yes")
        {
            return Page(context, Form(id, code, agreement, "accept", "Centang persetujuan setelah membaca perjanjian. / Tick the box after reading the agreement."), 400);
        }
        if (form["passphrase"] != form["repeat"])
        {
            return Page(context, Form(id, code, agreement, "passphrase", "Kedua passphrase tidak sama. / The two passphrases differ."), 400);
        }
        int.TryParse(form["version"], NumberStyles.None, CultureInfo.InvariantCulture, out int version);
        string? passphrase = form["passphrase"].ToString() is { Length: > 0 } p ? p : null;
        try
        {
            await ca.Enrollments.ConfirmAsync(id, new HolderConfirmation(code, version, passphrase), HttpCaller.Origin(context), cancellationToken);
        }
        catch (SegelException e)
        {
            string message = e.MessageIn(Problems.Indonesian) + " / " + e.Message;
            return Page(context, Form(id, code, agreement, e.Field ?? "code", message), ProblemMapping.StatusFor(e.Kind));
        }
        return Page(context, """
            <h1>Terima kasih</h1>
            <p>Alamat e-mail Anda sudah dikonfirmasi dan persetujuan Anda atas perjanjian pemilik sertifikat sudah dicatat.
            Permohonan akan diperiksa oleh Otoritas Pendaftaran; Anda akan menerima e-mail ketika sertifikat diterbitkan.
            Simpan passphrase Anda baik-baik: tidak ada yang dapat memulihkannya, termasuk petugas.</p>
            <p lang="en"><i>Thank you: your e-mail address is confirmed and your acceptance of the subscriber agreement recorded.
            Keep your passphrase safe; nobody, not even an officer, can recover it.</i></p>
            """);
    }

    private static string Form(long id, string? code, AgreementRecord agreement, string? errorField, string? error)
    {
        static string E(string? text) => HtmlPage.E(text);
        string Error(string field) => errorField == field && error is not null ? $"<p class=\"error\" role=\"alert\">{E(error)}</p>" : "";
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"""
            <h1>Konfirmasi permohonan sertifikat elektronik</h1>
            <p lang="en"><i>Confirm your application for an electronic certificate</i></p>
            <form method="post" action="/confirm/{id}">
            <h2>Perjanjian pemilik sertifikat, versi {agreement.Version}</h2>
            <pre>{E(agreement.Text)}</pre>
            <p><small>SHA-256: {Convert.ToHexString(agreement.Sha256)}</small></p>
            <input type="hidden" name="version" value="{agreement.Version}">
            {Error("accept")}
            <p><label><input type="checkbox" name="accept" value="yes"> Saya telah membaca, memahami dan menyetujui perjanjian ini (Pasal 7).</label></p>
            <p><label for="code">Kode dari e-mail</label><br><input id="code" name="code" value="{E(code)}" autocomplete="one-time-code" required></p>
            {Error("code")}
            <p><label for="passphrase">Passphrase untuk kunci Anda (paling sedikit 10 karakter; tidak boleh memuat NIP, NIK atau e-mail)</label><br>
            <input id="passphrase" name="passphrase" type="password" autocomplete="new-password"></p>
            <p><label for="repeat">Ulangi passphrase</label><br><input id="repeat" name="repeat" type="password" autocomplete="new-password"></p>
            {Error("passphrase")}{Error("agreementVersion")}
            <p><small>Bila permohonan Anda memuat CSR (kunci Anda sendiri), kosongkan passphrase.</small></p>
            <p><button type="submit">Konfirmasi dan setujui</button></p>
            </form>
            """);
        return html.ToString();
    }

    private static IResult Page(HttpContext context, string body, int status = 200) => HtmlPage.Render(context, "konfirmasi", body, status);
}

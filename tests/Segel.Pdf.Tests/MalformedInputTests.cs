using System.Diagnostics;
using Segel.Pdf.Parsing;
using Segel.Pdf.Signing;
using Segel.Pdf.Verification;
using Segel.Testing;

namespace Segel.Pdf.Tests;

/// <summary>Hostile and damaged files: a clear PdfFormatException or a result, never another exception, never a hang.</summary>
public sealed class MalformedInputTests(SigningFixture fixture) : IClassFixture<SigningFixture>
{
    [Fact]
    public async Task A_decompression_bomb_is_refused_within_its_budget_and_allocates_little()
    {
        byte[] bomb = SamplePdf.Bomb(streams: 10, megabytes: 60); // 600 MB of blanks in about 600 KB
        Assert.InRange(bomb.Length, 100_000, 2_000_000);
        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        PdfLimitException refused = await Assert.ThrowsAsync<PdfLimitException>(async () => await PdfVerifier.VerifyAsync(bomb, []));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        Assert.Equal(PdfReadLimits.Default.BudgetFor(bomb.Length), refused.Budget);
        Assert.Contains("MiB", refused.Message, StringComparison.Ordinal);
        // Counting before keeping: the refused streams were never held, so far less than the budget was allocated.
        Assert.True(allocated < refused.Budget, $"{allocated} bytes allocated for a budget of {refused.Budget}");

        // The budget is shared by every stream: a smaller one is reached sooner, and an honest file stays well inside the default.
        Assert.Throws<PdfLimitException>(() => PdfDocument.Open(bomb, null, new InflateBudget(1024)).Resolve(new Segel.Pdf.Model.PdfReference(100, 0)));
        byte[] honest = File.ReadAllBytes(await fixture.SignAsync(SamplePdf.Letter(pages: 3), "honest-budget.pdf"));
        Assert.Single(await PdfVerifier.VerifyAsync(honest, [], new PdfVerificationOptions { Limits = new PdfReadLimits { FloorBytes = 64 * 1024, Ratio = 2 } }));
    }

    [Fact]
    public async Task Thousands_of_mutated_pdfs_give_a_clear_error_or_a_result_in_bounded_time()
    {
        byte[] classic = File.ReadAllBytes(await fixture.SignAsync(SamplePdf.Letter(pages: 2), "fuzz-seed.pdf"));
        string compressedPath = fixture.Directory.File("fuzz-seed-objstm.pdf");
        Tool.Run("qpdf", "--object-streams=generate", fixture.Write(SamplePdf.Letter(pages: 2), "fuzz-plain.pdf"), compressedPath).Check();
        byte[][] seeds = [classic, File.ReadAllBytes(compressedPath)];
        var random = new Random(20261124);
        var watch = Stopwatch.StartNew();
        int outcomes = 0;
        // The seeds' signatures differ from run to run (fresh keys), so each run explores different mutations.
        for (int i = 0; i < 3000; i++)
        {
            byte[] seed = seeds[i % seeds.Length];
            byte[] mutated = Mutate(seed, random);
            var one = Stopwatch.StartNew();
            try
            {
                await PdfVerifier.VerifyAsync(mutated, []);
                using var output = new MemoryStream();
                await PdfSigner.SignAsync(mutated, output, fixture.Identity, new PdfSignatureOptions { ContentsCapacity = 8192 });
                outcomes++;
            }
            catch (PdfFormatException)
            {
                outcomes++;
            }
            catch (Exception e)
            {
                Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "artifacts"));
                File.WriteAllBytes(Path.Combine(AppContext.BaseDirectory, "artifacts", $"crash-{i}.pdf"), mutated);
                Assert.Fail($"mutation {i} threw {e.GetType().Name}: {e.Message}\n{e.StackTrace}");
            }
            Assert.True(one.Elapsed < TimeSpan.FromSeconds(2), $"mutation {i} took {one.Elapsed}");
        }
        Assert.Equal(3000, outcomes);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(120), $"took {watch.Elapsed}");
    }

    [Fact]
    public void Structural_attacks_are_refused()
    {
        // A /Prev chain that points at itself, an object nested thousands deep, an empty file, a lying /Length.
        byte[] letter = SamplePdf.Letter();
        string text = System.Text.Encoding.Latin1.GetString(letter);
        int startxref = int.Parse(text[(text.LastIndexOf("startxref", StringComparison.Ordinal) + 10)..].Split('\n')[0], System.Globalization.CultureInfo.InvariantCulture);
        string loop = text.Replace("/Root 1 0 R >>", $"/Root 1 0 R /Prev {startxref} >>", StringComparison.Ordinal);
        Assert.Throws<PdfFormatException>(() => PdfDocument.Open(System.Text.Encoding.Latin1.GetBytes(loop)));
        Assert.Throws<PdfFormatException>(() => PdfDocument.Open(Array.Empty<byte>()));
        string deep = text.Replace("<< /Type /Catalog", "<< /Deep " + new string('[', 5000) + new string(']', 5000) + " /Type /Catalog", StringComparison.Ordinal);
        Assert.Throws<PdfFormatException>(() => PdfDocument.Open(System.Text.Encoding.Latin1.GetBytes(deep)).Catalog);
    }

    private static byte[] Mutate(byte[] seed, Random random)
    {
        byte[] data = (byte[])seed.Clone();
        switch (random.Next(5))
        {
            case 0: // flip a few bytes
                for (int k = random.Next(1, 8); k > 0; k--)
                {
                    data[random.Next(data.Length)] = (byte)random.Next(256);
                }
                return data;
            case 1: // truncate
                return data[..random.Next(data.Length)];
            case 2: // overwrite a digit (offsets, lengths, object numbers)
                for (int k = 0; k < 20; k++)
                {
                    int at = random.Next(data.Length);
                    if (data[at] is >= (byte)'0' and <= (byte)'9')
                    {
                        data[at] = (byte)('0' + random.Next(10));
                        break;
                    }
                }
                return data;
            case 3: // duplicate a chunk
                int start = random.Next(data.Length), length = random.Next(1, Math.Min(200, data.Length - start + 1));
                return [.. data[..start], .. data.AsSpan(start, length), .. data[start..]];
            default: // delete a chunk
                int from = random.Next(data.Length), count = random.Next(1, Math.Min(100, data.Length - from + 1));
                return [.. data[..from], .. data[(from + count)..]];
        }
    }
}

using System.Buffers.Binary;
using System.IO.Compression;
using Segel.Pdf.Model;
using Segel.Pdf.Parsing;
using Segel.Texts;

namespace Segel.Pdf.Signing;

/// <summary>
/// A signature image (a scanned signature, a seal) as a PDF image XObject. JPEG goes in as it is (DCTDecode);
/// PNG's compressed data goes in as it is too (FlateDecode with the PNG predictor) unless it has transparency,
/// which becomes a soft mask. Width, height and colours come from the file's own headers.
/// </summary>
internal static class SignatureImage
{
    public const int MaxBytes = 4 * 1024 * 1024;

    public static (PdfNewStream Image, PdfNewStream? Mask, int Width, int Height) Read(byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Length > MaxBytes)
        {
            throw new ArgumentException($"The signature image is larger than {MaxBytes / 1024 / 1024} MiB.", nameof(data));
        }
        if (data.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
        {
            return Jpeg(data);
        }
        if (data.AsSpan().StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return Png(data);
        }
        throw new SignatureInputException(Localized.Of("Error.SignatureImageNotPngOrJpeg"), nameof(data));
    }

    private static (PdfNewStream, PdfNewStream?, int, int) Jpeg(byte[] data)
    {
        int i = 2;
        while (i + 9 < data.Length)
        {
            if (data[i] != 0xFF)
            {
                break;
            }
            byte marker = data[i + 1];
            int length = BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(i + 2));
            // SOF0–SOF15 except DHT (C4), JPG (C8) and DAC (CC) carry the frame size.
            if (marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC)
            {
                int height = BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(i + 5));
                int width = BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(i + 7));
                int components = data[i + 9];
                string space = components switch
                {
                    1 => "DeviceGray",
                    3 => "DeviceRGB",
                    _ => throw new SignatureInputException(Localized.Of("Error.SignatureImageJpegColours"), nameof(data)),
                };
                return (ImageStream(width, height, space, 8, "DCTDecode", null, data), null, width, height);
            }
            i += 2 + length;
        }
        throw new SignatureInputException(Localized.Of("Error.SignatureImageJpegNoFrame"), nameof(data));
    }

    private static (PdfNewStream, PdfNewStream?, int, int) Png(byte[] data)
    {
        int width = 0, height = 0, depth = 0, colorType = -1, interlace = 0;
        using var idat = new MemoryStream();
        for (int i = 8; i + 12 <= data.Length;)
        {
            int length = (int)BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(i));
            string type = System.Text.Encoding.ASCII.GetString(data, i + 4, 4);
            if (length < 0 || i + 12 + length > data.Length)
            {
                throw new SignatureInputException(Localized.Of("Error.SignatureImagePngTruncated"), nameof(data));
            }
            ReadOnlySpan<byte> body = data.AsSpan(i + 8, length);
            if (type == "IHDR")
            {
                width = (int)BinaryPrimitives.ReadUInt32BigEndian(body);
                height = (int)BinaryPrimitives.ReadUInt32BigEndian(body[4..]);
                depth = body[8];
                colorType = body[9];
                interlace = body[12];
            }
            else if (type == "IDAT")
            {
                idat.Write(body);
            }
            else if (type == "IEND")
            {
                break;
            }
            i += 12 + length;
        }
        if (width is <= 0 or > 10_000 || height is <= 0 or > 10_000 || depth != 8 || interlace != 0 || colorType is not (0 or 2 or 4 or 6))
        {
            throw new SignatureInputException(Localized.Of("Error.SignatureImagePngKind"), nameof(data));
        }
        int colors = colorType is 0 or 4 ? 1 : 3;
        string space = colors == 1 ? "DeviceGray" : "DeviceRGB";
        if (colorType is 0 or 2)
        {
            // The PNG's own compressed rows are valid FlateDecode data with the PNG predictor: no re-encoding.
            return (ImageStream(width, height, space, 8, "FlateDecode", Predictor(colors, width), idat.ToArray()), null, width, height);
        }
        // With alpha: undo the row filters, split colour and alpha, compress each.
        var parms = Predictor(colors + 1, width);
        var decodeDictionary = new PdfDictionary();
        decodeDictionary["Filter"] = new PdfName("FlateDecode");
        decodeDictionary["DecodeParms"] = parms;
        byte[] pixels = StreamDecoder.Decode(decodeDictionary, idat.ToArray(), o => o);
        if (pixels.Length < width * height * (colors + 1))
        {
            throw new SignatureInputException(Localized.Of("Error.SignatureImagePngTruncated"), nameof(data));
        }
        byte[] color = new byte[width * height * colors];
        byte[] alpha = new byte[width * height];
        for (int p = 0; p < width * height; p++)
        {
            pixels.AsSpan(p * (colors + 1), colors).CopyTo(color.AsSpan(p * colors));
            alpha[p] = pixels[p * (colors + 1) + colors];
        }
        PdfNewStream mask = ImageStream(width, height, "DeviceGray", 8, "FlateDecode", null, Deflate(alpha));
        return (ImageStream(width, height, space, 8, "FlateDecode", null, Deflate(color)), mask, width, height);
    }

    private static PdfDictionary Predictor(int colors, int width)
    {
        var parms = new PdfDictionary();
        parms["Predictor"] = new PdfNumber(15);
        parms["Colors"] = new PdfNumber(colors);
        parms["BitsPerComponent"] = new PdfNumber(8);
        parms["Columns"] = new PdfNumber(width);
        return parms;
    }

    private static byte[] Deflate(byte[] data)
    {
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            zlib.Write(data);
        }
        return output.ToArray();
    }

    private static PdfNewStream ImageStream(int width, int height, string space, int bits, string filter, PdfDictionary? parms, byte[] data)
    {
        var dictionary = new PdfDictionary();
        dictionary["Type"] = new PdfName("XObject");
        dictionary["Subtype"] = new PdfName("Image");
        dictionary["Width"] = new PdfNumber(width);
        dictionary["Height"] = new PdfNumber(height);
        dictionary["ColorSpace"] = new PdfName(space);
        dictionary["BitsPerComponent"] = new PdfNumber(bits);
        dictionary["Filter"] = new PdfName(filter);
        if (parms is not null)
        {
            dictionary["DecodeParms"] = parms;
        }
        return new PdfNewStream(dictionary, data);
    }
}

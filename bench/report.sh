#!/usr/bin/env bash
# The yearly Pasal 25 report over a large regency: N employees (default 10000) in 40 agencies, 5 certificates each
# (50,000) and 100 signature records each in the year (1,000,000), seeded into SQLite. Three rounds of the figures
# (the first also verifies the whole audit chain), the PDF and the workbook, and the process's peak memory; beside
# them the floor: the report's heaviest query (signatures per agency) by hand-written SQL on the same file.
# Target: under 5 s and 500 MB.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build bench/Segel.Bench -c Release -nologo -v quiet >/dev/null
dotnet bench/Segel.Bench/bin/Release/net10.0/Segel.Bench.dll report "${1:-10000}"

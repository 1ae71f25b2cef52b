#!/usr/bin/env bash
# Employee import: N rows (default 10000) of valid employees across 40 agencies from one CSV, through the
# same service as `segel employees import` (every row validated, NIK sealed, one audit record per employee,
# one transaction), then the same file again (all unchanged). Target: 10,000 rows in at most 10 s.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build bench/Segel.Bench -c Release -nologo -v quiet >/dev/null
dotnet bench/Segel.Bench/bin/Release/net10.0/Segel.Bench.dll import "${1:-10000}"

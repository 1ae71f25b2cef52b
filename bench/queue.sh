#!/usr/bin/env bash
# RA review queue: N (default 10000) submitted applications across 40 agencies; the first page, the last page,
# one agency's and a name search, each 300 times, over HTTP (Segel's own server in-process, operator token)
# and in the core service; the floor is the same first page by hand-written SQL on the same SQLite file.
# Target: p95 ≤ 50 ms over HTTP.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build bench/Segel.Bench -c Release -nologo -v quiet >/dev/null
dotnet bench/Segel.Bench/bin/Release/net10.0/Segel.Bench.dll queue "${1:-10000}"

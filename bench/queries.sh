#!/usr/bin/env bash
# Issue 22.4: the pages people open, on a data folder at scale — certificate list and search, the RA queue, staff search,
# the audit trail, an employee's signatures and the public /verify/{id} — each 300 times over HTTP (Segel's own server
# in-process on DIR, operator token), a different person each round. Target: p95 ≤ 50 ms for every case.
#   bench/queries.sh [DIR]   (DIR from bench/seed.sh; without it, a default-sized folder is seeded into a temporary one)
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${1:-}"
if [ -z "$dir" ]; then
    dir="$(mktemp -d)/seeded"
    trap 'rm -rf "$(dirname "$dir")"' EXIT
    bench/seed.sh "$dir"
fi
dotnet build bench/Segel.Bench -c Release -nologo -v quiet >/dev/null
dotnet bench/Segel.Bench/bin/Release/net10.0/Segel.Bench.dll queries "$dir" | grep -v -E '( info: |^      )'

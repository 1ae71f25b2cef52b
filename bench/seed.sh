#!/usr/bin/env bash
# A data folder at scale for the other benchmarks (issue 22.5): DIR gets a CA of its own and N employees (default
# 100,000) in 40 agencies, C certificates each (default 10: 1,000,000, the first of each revoked: 100,000) and S signature
# records each (default 10: 1,000,000), written with plain SQL into SQLite and sealed as Segel seals them. Run Segel on it
# with `segel serve --data DIR`. Certificate DERs and NIKs are stand-ins (see bench/Segel.Bench/SeedBench.cs).
#   bench/seed.sh DIR [N] [C] [S]
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 1 ] || { echo "usage: bench/seed.sh DIR [employees] [certificates-each] [signatures-each]" >&2; exit 2; }
dotnet build bench/Segel.Bench -c Release -nologo -v quiet >/dev/null
dotnet bench/Segel.Bench/bin/Release/net10.0/Segel.Bench.dll seed "$1" "${2:-100000}" "${3:-10}" "${4:-10}" | grep -v -E '( info: |^      )'
du -sh "$1" | awk '{print "size " $1}'

#!/usr/bin/env bash
# The yearly Pasal 25 report over a large regency: N employees (default 10000) in 40 agencies, 5 certificates each
# (50,000) and 100 signature records each in the year (1,000,000), seeded into SQLite. In process: three rounds of the
# figures (the first also verifies the whole audit chain; later ones reuse it), the PDF and the workbook; beside them
# the floor, the report's heaviest query (signatures per agency) by hand-written SQL on the same file. Then as an
# operator runs it: `segel report --format pdf` and `--format xlsx` in a fresh process each, time and peak memory by
# /usr/bin/time. Target: under 5 s and 500 MB.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
ensure_packages time
dotnet build bench/Segel.Bench -c Release -nologo -v quiet >/dev/null
dotnet build src/Segel.Cli -c Release -nologo -v quiet >/dev/null
out=$(dotnet bench/Segel.Bench/bin/Release/net10.0/Segel.Bench.dll report "${1:-10000}" keep | grep -v -E '^(info|      )')
echo "$out"
data=$(echo "$out" | sed -n 's/^data=//p')
trap 'rm -rf "$data"' EXIT
for format in pdf xlsx; do
  /usr/bin/time -f "segel-report format=$format wall-s=%e max-rss-mb=%M" dotnet src/Segel.Cli/bin/Release/net10.0/segel.dll report --data "$data" \
    --period 2026 --format $format --out "$data/laporan.$format" 2>&1 >/dev/null | awk '/^segel-report/ {split($0, a, "max-rss-mb="); printf "%s max-rss-mb=%d\n", a[1], a[2] / 1024}'
done

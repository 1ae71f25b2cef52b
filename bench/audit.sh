#!/usr/bin/env bash
# `segel audit verify` over N entries (default 1,000,000) in SQLite, as MB/s of MAC'd data and entries/s,
# beside openssl's raw SHA-256 rate (`openssl speed sha256`, 64- and 256-byte blocks, the size of an entry).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
ensure_packages openssl
n=${1:-1000000}
dotnet build bench/Segel.Bench -c Release -nologo -v quiet >/dev/null
dotnet bench/Segel.Bench/bin/Release/net10.0/Segel.Bench.dll audit "$n"
openssl speed -seconds 3 -bytes 256 sha256 2>/dev/null | awk '/^sha256/ {printf "openssl-speed-sha256 block=256 kb_per_s=%s\n", $2}'
openssl speed -seconds 3 -bytes 8192 sha256 2>/dev/null | awk '/^sha256/ {printf "openssl-speed-sha256 block=8192 kb_per_s=%s\n", $2}'

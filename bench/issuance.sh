#!/usr/bin/env bash
# Issuance: N certificates (default 10000) from CSRs through Segel's issuance service (CSR checked,
# certificate signed with the RSA-3072 issuing key, stored with its audit record in SQLite), beside the
# raw signing limit of that key as `openssl speed` measures it in the same run (one core, like Segel's loop).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
ensure_packages openssl
n=${1:-10000}
dotnet build bench/Segel.Bench -c Release -nologo -v quiet >/dev/null
dotnet bench/Segel.Bench/bin/Release/net10.0/Segel.Bench.dll issue "$n"
openssl speed -seconds 5 rsa3072 2>/dev/null | awk '/^rsa 3072 bits/ {printf "openssl-speed-rsa3072 sign_per_s=%s\n", $6}'

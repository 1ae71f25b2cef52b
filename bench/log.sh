#!/usr/bin/env bash
# The transparency log's Merkle tree (issue 17): append N leaves (default 1,000,000) and make 10,000 inclusion
# and 10,000 consistency proofs, beside raw SHA-256 of the same leaves in the same run (the floor is two hashes
# per leaf: the leaf and, amortised, one interior node).
# Usage: bench/log.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build bench/Segel.Bench -c Release -nologo -v quiet >/dev/null
dotnet bench/Segel.Bench/bin/Release/net10.0/Segel.Bench.dll log "${1:-1000000}"

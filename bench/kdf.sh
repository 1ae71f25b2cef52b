#!/usr/bin/env bash
# One unlock of a holder's sealed key (target ≤ 250 ms): Segel's Argon2id (Konscious, managed) beside the
# reference implementation's CLI (Debian's argon2) with the same parameters, in one run.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
ensure_packages argon2
n=${1:-20}
dotnet build bench/Segel.Bench -c Release -nologo -v quiet >/dev/null
dotnet bench/Segel.Bench/bin/Release/net10.0/Segel.Bench.dll kdf "$n"
for i in $(seq "$n"); do
  s=$(date +%s%N); echo -n "passphrase pemilik 2026" | argon2 saltsaltsaltsalt -id -t 2 -k 19456 -p 1 -l 32 -r >/dev/null; e=$(date +%s%N)
  echo $(( (e - s) / 1000 ))
done | sort -n | awk '{a[NR]=$1} END {printf "  argon2 CLI (reference C, whole process) same parameters: median %.1f ms over %d\n", a[int((NR+1)/2)]/1000, NR}'

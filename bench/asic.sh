#!/usr/bin/env bash
# Signing a large file of any type (issue 23): `segel sign` into an ASiC-E container and as a detached .p7s, beside
# `openssl cms -sign` (detached, DER) on the same file with the same key, in one run: wall time and peak memory
# (/usr/bin/time max RSS), median of N runs each, interleaved. Usage: bench/asic.sh [megabytes] [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
mb=${1:-100}
runs=${2:-5}
dotnet build src/Segel.Cli -c Release -nologo -v quiet >/dev/null
segel() { dotnet src/Segel.Cli/bin/Release/net10.0/segel.dll "$@"; }
work=$(mktemp -d /tmp/segel-asic-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT

. bench/holder.sh
bench_holder
head -c $((mb * 1024 * 1024)) /dev/urandom > "$work/big.bin"
cp "$work/big.bin" "$work/big.zip" # the same bytes named as an already compressed type, which the container stores
echo "file: $(stat -c %s "$work/big.bin") bytes"

measure() { /usr/bin/time -f "%e %M" -o "$work/time.txt" "$@" >/dev/null 2>&1; cat "$work/time.txt"; }
: > "$work/asice.txt"; : > "$work/stored.txt"; : > "$work/p7s.txt"; : > "$work/openssl.txt"
for _ in $(seq "$runs"); do
  rm -f "$work/big.asice" "$work/stored.asice" "$work/big.p7s" "$work/openssl.p7s"
  measure dotnet src/Segel.Cli/bin/Release/net10.0/segel.dll sign --in "$work/big.bin" --out "$work/big.asice" --p12 "$work/holder.p12" --password-file "$work/pw.txt" >> "$work/asice.txt"
  measure dotnet src/Segel.Cli/bin/Release/net10.0/segel.dll sign --in "$work/big.zip" --out "$work/stored.asice" --p12 "$work/holder.p12" --password-file "$work/pw.txt" >> "$work/stored.txt"
  measure dotnet src/Segel.Cli/bin/Release/net10.0/segel.dll sign --in "$work/big.bin" --out "$work/big.p7s" --p12 "$work/holder.p12" --password-file "$work/pw.txt" >> "$work/p7s.txt"
  measure openssl cms -sign -binary -in "$work/big.bin" -signer "$work/cert.pem" -inkey "$work/key.pem" -outform DER -out "$work/openssl.p7s" -md sha256 >> "$work/openssl.txt"
done
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
report() { printf "%-40s %6.2f s   max RSS %6d MB\n" "$1" "$(awk '{print $1}' "$2" | median)" "$(( $(awk '{print $2}' "$2" | median) / 1024 ))"; }
echo "median of $runs (wall time, peak memory); the signing process alone (start-up, PKCS#12): see the .p7s row"
report "segel sign → ASiC-E (.bin, deflated)" "$work/asice.txt"
report "segel sign → ASiC-E (.zip, stored)" "$work/stored.txt"
report "segel sign → detached .p7s" "$work/p7s.txt"
report "openssl cms -sign (detached, DER)" "$work/openssl.txt"
unzip -t "$work/big.asice" | tail -1
segel ca chain --data "$work/ca" --out "$work/chain.pem"
openssl cms -verify -binary -inform DER -in "$work/big.p7s" -content "$work/big.bin" -CAfile "$work/chain.pem" -purpose any -out /dev/null 2>&1 | tail -1

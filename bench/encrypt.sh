#!/usr/bin/env bash
# Encrypting and opening a large document (issue 23.3): `segel encrypt` / `segel decrypt` (the same streaming
# DocumentEncryption the portal and the API use) beside `openssl cms -encrypt` / `-decrypt` on the same file and
# certificate, in one run: wall time and peak memory (/usr/bin/time max RSS), median of N runs each, interleaved.
# Usage: bench/encrypt.sh [megabytes] [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
mb=${1:-100}
runs=${2:-5}
dotnet build src/Segel.Cli -c Release -nologo -v quiet >/dev/null
segel() { dotnet src/Segel.Cli/bin/Release/net10.0/segel.dll "$@"; }
work=$(mktemp -d /tmp/segel-encrypt-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT

. bench/holder.sh
bench_holder
head -c $((mb * 1024 * 1024)) /dev/urandom > "$work/big.bin"
echo "file: $(stat -c %s "$work/big.bin") bytes, key: $(openssl x509 -in "$work/cert.pem" -noout -text | grep -m1 'Public Key Algorithm' | sed 's/.*: //')"

measure() { /usr/bin/time -f "%e %M" -o "$work/time.txt" "$@" >/dev/null 2>&1; cat "$work/time.txt"; }
for name in encrypt decrypt openssl-encrypt openssl-decrypt; do : > "$work/$name.txt"; done
for _ in $(seq "$runs"); do
  rm -f "$work/segel.p7m" "$work/segel.out" "$work/openssl.p7m" "$work/openssl.out"
  measure dotnet src/Segel.Cli/bin/Release/net10.0/segel.dll encrypt --in "$work/big.bin" --out "$work/segel.p7m" --to "$work/cert.pem" >> "$work/encrypt.txt"
  measure dotnet src/Segel.Cli/bin/Release/net10.0/segel.dll decrypt --in "$work/segel.p7m" --out "$work/segel.out" --p12 "$work/holder.p12" --password-file "$work/pw.txt" >> "$work/decrypt.txt"
  measure openssl cms -encrypt -binary -aes256 -outform DER -in "$work/big.bin" -out "$work/openssl.p7m" -recip "$work/cert.pem" -keyopt rsa_padding_mode:oaep -keyopt rsa_oaep_md:sha256 >> "$work/openssl-encrypt.txt"
  measure openssl cms -decrypt -binary -inform DER -in "$work/openssl.p7m" -out "$work/openssl.out" -recip "$work/cert.pem" -inkey "$work/key.pem" >> "$work/openssl-decrypt.txt"
done
cmp "$work/big.bin" "$work/segel.out" && cmp "$work/big.bin" "$work/openssl.out"
openssl cms -decrypt -binary -inform DER -in "$work/segel.p7m" -recip "$work/cert.pem" -inkey "$work/key.pem" | cmp - "$work/big.bin" && echo "openssl opens what segel encrypted"
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
report() { printf "%-36s %6.2f s   max RSS %6d MB\n" "$1" "$(awk '{print $1}' "$2" | median)" "$(( $(awk '{print $2}' "$2" | median) / 1024 ))"; }
echo "median of $runs (wall time, peak memory of the whole process, .NET start-up included)"
report "segel encrypt (streamed)" "$work/encrypt.txt"
report "segel decrypt (streamed, RSA)" "$work/decrypt.txt"
report "openssl cms -encrypt (OAEP)" "$work/openssl-encrypt.txt"
report "openssl cms -decrypt" "$work/openssl-decrypt.txt"

#!/usr/bin/env bash
# PDF signing beside poppler's pdfsig (NSS), in one run, on the same 1 MB PDF and the same RSA-2048 key:
#   - whole processes, N=10 each, median: `segel pdf sign` vs `pdfsig -add-signature`; `segel pdf verify` vs `pdfsig`
#   - in process: 1,000 signatures of the 1 MB PDF against the raw limit (openssl RSA-2048 sign/s and SHA-256 MB/s)
#   - peak memory (max RSS) of `segel pdf sign` on a 100 MB PDF
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build src/Segel.Cli -c Release -nologo -v quiet >/dev/null
dotnet build bench/Segel.Bench -c Release -nologo -v quiet >/dev/null
segel() { dotnet src/Segel.Cli/bin/Release/net10.0/segel.dll "$@"; }
work=$(mktemp -d /tmp/segel-pdf-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT

segel init --data "$work/ca" >/dev/null
segel ca chain --data "$work/ca" --out "$work/chain.pem"
echo "kata-sandi-bench" > "$work/pw.txt"
segel cert issue --data "$work/ca" --name "Penanda Tangan" --email bench@tanahbumbukab.go.id --p12 "$work/signer.p12" --password-file "$work/pw.txt" >/dev/null
python3 bench/make-pdf.py "$work/one.pdf" 1048576

mkdir "$work/nss"
certutil -N -d "sql:$work/nss" --empty-password
pk12util -i "$work/signer.p12" -d "sql:$work/nss" -W kata-sandi-bench >/dev/null
awk '/BEGIN/{n++} {print > "'"$work"'/ca" n ".pem"}' "$work/chain.pem"
certutil -A -n "Segel Root" -t "CT,C,C" -i "$work/ca2.pem" -d "sql:$work/nss"
nick=$(certutil -L -d "sql:$work/nss" | awk '/u,u,u/{sub(/[ ]+u,u,u.*/, ""); print; exit}')

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# exit 8 is `segel pdf verify` saying INDETERMINATE: offline there is no revocation data, as pdfsig -no-ocsp has none
clock() { local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1 || [ $? -eq 8 ]; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }
runs=10
for i in $(seq $runs); do clock segel pdf sign --in "$work/one.pdf" --out "$work/segel-$i.pdf" --p12 "$work/signer.p12" --password-file "$work/pw.txt"; done | median > "$work/segel-sign"
for i in $(seq $runs); do clock pdfsig -add-signature -nssdir "sql:$work/nss" -nick "$nick" "$work/one.pdf" "$work/pdfsig-$i.pdf"; done | median > "$work/pdfsig-sign"
for i in $(seq $runs); do clock segel pdf verify "$work/segel-1.pdf" --trust "$work/chain.pem" --offline; done | median > "$work/segel-verify"
for i in $(seq $runs); do clock pdfsig -nssdir "sql:$work/nss" -no-ocsp "$work/segel-1.pdf"; done | median > "$work/pdfsig-verify"
pdfsig -nssdir "sql:$work/nss" -no-ocsp "$work/pdfsig-1.pdf" | grep -q "Signature is Valid" || echo "warning: pdfsig's own signature did not verify"
segel pdf verify "$work/pdfsig-1.pdf" --trust "$work/chain.pem" --offline --lang en | head -1 || true  # INDETERMINATE offline: no revocation data

echo "whole process, median of $runs (ms):"
echo "  sign    segel $(cat "$work/segel-sign")   pdfsig $(cat "$work/pdfsig-sign")"
echo "  verify  segel $(cat "$work/segel-verify")   pdfsig $(cat "$work/pdfsig-verify")"

echo "in process:"
dotnet bench/Segel.Bench/bin/Release/net10.0/Segel.Bench.dll pdf 1000 "$work/one.pdf" "$work/signer.p12" kata-sandi-bench
openssl speed -seconds 3 rsa2048 2>/dev/null | awk '/^rsa 2048/{print "  openssl rsa2048 sign/s " $6}'
openssl speed -seconds 3 -bytes 1048576 sha256 2>/dev/null | awk '/^sha256/{print "  openssl sha256 1 MiB blocks " $2}'

python3 bench/make-pdf.py "$work/big.pdf" 104857600
/usr/bin/time -f "  100 MB sign: %e s, max RSS %M KiB" dotnet src/Segel.Cli/bin/Release/net10.0/segel.dll pdf sign --in "$work/big.pdf" --out "$work/big-signed.pdf" \
  --p12 "$work/signer.p12" --password-file "$work/pw.txt" >/dev/null
ls -l "$work/big.pdf" | awk '{print "  100 MB input: " $5 " bytes"}'

#!/usr/bin/env bash
# PDF signing beside poppler's pdfsig (NSS), in one run, on the same 1 MB PDF and the same RSA-2048 key:
#   - whole processes, N=10 each, median: `segel-pdf sign` (the Native AOT build of `segel pdf`) and `segel pdf sign`
#     vs `pdfsig -add-signature` with the key in an NSS database without a password and under one; `segel-pdf
#     verify` and `segel pdf verify` vs `pdfsig`
#   - in process: 1,000 signatures of the 1 MB PDF against the raw limit (openssl RSA-2048 sign/s and SHA-256 MB/s)
#   - peak memory (max RSS) of `segel pdf sign` on a 100 MB PDF
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build src/Segel.Cli -c Release -nologo -v quiet >/dev/null
dotnet build bench/Segel.Bench -c Release -nologo -v quiet >/dev/null
segel() { dotnet src/Segel.Cli/bin/Release/net10.0/segel.dll "$@"; }
work=$(mktemp -d /tmp/segel-pdf-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
dotnet publish src/Segel.Pdf.Tool -c Release -o "$work/tool" -nologo -v quiet >/dev/null
tool="$work/tool/segel-pdf"

segel init --data "$work/ca" >/dev/null
segel ca chain --data "$work/ca" --out "$work/chain.pem"
echo "kata-sandi-bench" > "$work/pw.txt"
python3 bench/staff.py 1 > "$work/staff.csv"
segel employees import --data "$work/ca" --file "$work/staff.csv" >/dev/null
segel cert issue --data "$work/ca" --nip 199002022010011001 --reason "Benchmark: penanda tangan uji" --p12 "$work/signer.p12" --password-file "$work/pw.txt" >/dev/null
python3 bench/make-pdf.py "$work/one.pdf" 1048576

mkdir "$work/nss"
certutil -N -d "sql:$work/nss" --empty-password
pk12util -i "$work/signer.p12" -d "sql:$work/nss" -W kata-sandi-bench >/dev/null
awk '/BEGIN/{n++} {print > "'"$work"'/ca" n ".pem"}' "$work/chain.pem"
certutil -A -n "Segel Root" -t "CT,C,C" -i "$work/ca2.pem" -d "sql:$work/nss"
nick=$(certutil -L -d "sql:$work/nss" | awk '/u,u,u/{sub(/[ ]+u,u,u.*/, ""); print; exit}')
# The same key under a password, as the PKCS#12 has it (NSS derives its key-database key from the password).
mkdir "$work/nssp"
echo "kata-sandi-nss" > "$work/nss-pw.txt"
certutil -N -d "sql:$work/nssp" -f "$work/nss-pw.txt"
pk12util -i "$work/signer.p12" -d "sql:$work/nssp" -W kata-sandi-bench -K kata-sandi-nss >/dev/null

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# exit 8 is `segel pdf verify` saying INDETERMINATE: offline there is no revocation data, as pdfsig -no-ocsp has none
clock() { local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1 || [ $? -eq 8 ]; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }
runs=20
# Interleaved, so that a noisy minute on the machine falls on every program alike.
for i in $(seq $runs); do
  clock "$tool" sign --in "$work/one.pdf" --out "$work/tool-$i.pdf" --p12 "$work/signer.p12" --password-file "$work/pw.txt" >> "$work/tool-sign"
  clock segel pdf sign --in "$work/one.pdf" --out "$work/segel-$i.pdf" --p12 "$work/signer.p12" --password-file "$work/pw.txt" >> "$work/segel-sign"
  clock pdfsig -add-signature -nssdir "sql:$work/nss" -nick "$nick" "$work/one.pdf" "$work/pdfsig-$i.pdf" >> "$work/pdfsig-sign"
  clock pdfsig -add-signature -nssdir "sql:$work/nssp" -nss-pwd kata-sandi-nss -nick "$nick" "$work/one.pdf" "$work/pdfsigp-$i.pdf" >> "$work/pdfsigp-sign"
done
for i in $(seq $runs); do
  clock "$tool" verify "$work/segel-1.pdf" --trust "$work/chain.pem" --offline >> "$work/tool-verify"
  clock segel pdf verify "$work/segel-1.pdf" --trust "$work/chain.pem" --offline >> "$work/segel-verify"
  clock pdfsig -nssdir "sql:$work/nss" -no-ocsp "$work/segel-1.pdf" >> "$work/pdfsig-verify"
done
pdfsig -nssdir "sql:$work/nss" -no-ocsp "$work/tool-1.pdf" | grep -q "Signature is Valid" || echo "warning: pdfsig did not accept segel-pdf's signature"
pdfsig -nssdir "sql:$work/nss" -no-ocsp "$work/pdfsig-1.pdf" | grep -q "Signature is Valid" || echo "warning: pdfsig's own signature did not verify"
segel pdf verify "$work/pdfsig-1.pdf" --trust "$work/chain.pem" --offline --lang en | head -1 || true  # INDETERMINATE offline: no revocation data

m() { median < "$work/$1"; }
echo "whole process, median of $runs (ms):"
echo "  sign    segel-pdf $(m tool-sign)   segel $(m segel-sign)   pdfsig $(m pdfsig-sign) (key without password)   pdfsig $(m pdfsigp-sign) (key under a password)"
echo "  verify  segel-pdf $(m tool-verify)   segel $(m segel-verify)   pdfsig $(m pdfsig-verify)"

echo "in process:"
dotnet bench/Segel.Bench/bin/Release/net10.0/Segel.Bench.dll pdf 1000 "$work/one.pdf" "$work/signer.p12" kata-sandi-bench
openssl speed -seconds 3 rsa2048 2>/dev/null | awk '/^rsa 2048/{print "  openssl rsa2048 sign/s " $6}'
openssl speed -seconds 3 -bytes 1048576 sha256 2>/dev/null | awk '/^sha256/{print "  openssl sha256 1 MiB blocks " $2}'

python3 bench/make-pdf.py "$work/big.pdf" 104857600
/usr/bin/time -f "  100 MB sign: %e s, max RSS %M KiB" dotnet src/Segel.Cli/bin/Release/net10.0/segel.dll pdf sign --in "$work/big.pdf" --out "$work/big-signed.pdf" \
  --p12 "$work/signer.p12" --password-file "$work/pw.txt" >/dev/null
/usr/bin/time -f "  100 MB sign with segel-pdf: %e s, max RSS %M KiB" "$tool" sign --in "$work/big.pdf" --out "$work/big-signed-tool.pdf" \
  --p12 "$work/signer.p12" --password-file "$work/pw.txt" >/dev/null
ls -l "$work/big.pdf" | awk '{print "  100 MB input: " $5 " bytes"}'

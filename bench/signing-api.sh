#!/usr/bin/env bash
# The remote signing API (the national API's v1 call) under load, beside the same work in process and poppler's
# pdfsig, in one run, on the same 100 KB PDF and RSA-2048 keys:
#   - the API with CLIENTS concurrent clients for SECONDS: B-B (as the in-process figure), then B-LT (the default)
#   - in process with as many workers: PdfSigner alone, and the KDF of an unlock plus PdfSigner
#   - `pdfsig -add-signature` in a loop, whole processes, for SECONDS
#   - the KDF of one unlock on its own
# Usage: bench/signing-api.sh [CLIENTS=8] [SECONDS=20]
set -euo pipefail
cd "$(dirname "$0")/.."
clients=${1:-8}
seconds=${2:-20}
dotnet build src/Segel.Cli -c Release -nologo -v quiet >/dev/null
dotnet build bench/Segel.Bench -c Release -nologo -v quiet >/dev/null
segel() { dotnet src/Segel.Cli/bin/Release/net10.0/segel.dll "$@"; }
bench() { dotnet bench/Segel.Bench/bin/Release/net10.0/Segel.Bench.dll "$@"; }
work=$(mktemp -d /tmp/segel-api-bench.XXXXXX)
server=
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
data="$work/ca"
segel init --data "$data" --base-url "http://127.0.0.1:$port" >/dev/null
nik=6310011507850001
# Budi signs through the API with the key Segel keeps; Penanda Tangan holds a PKCS#12 for the pdfsig comparison.
printf 'nip,nik,name,position,agency_code,agency_name,work_unit,email\n198507152010011003,%s,Budi Santoso,Kepala Bidang,DISKOMINFO,Dinas Komunikasi dan Informatika,,budi@tanahbumbukab.go.id\n199002022010011001,6310010202900001,Penanda Tangan,Pelaksana,DISKOMINFO,Dinas Komunikasi dan Informatika,,penanda@tanahbumbukab.go.id\n' "$nik" > "$work/staff.csv"
segel employees import --data "$data" --file "$work/staff.csv" >/dev/null
echo "sandi-yang-cukup-panjang" > "$work/pw.txt"
passphrase="passphrase pemilik 2026"
echo "$passphrase" > "$work/passphrase.txt"
segel users add --data "$data" --username budi --name "Budi Santoso" --role ra-officer --employee 198507152010011003 --password-file "$work/pw.txt" >/dev/null
segel users certify --data "$data" --username budi --passphrase-file "$work/passphrase.txt" >/dev/null
token=$(segel tokens issue --data "$data" --name bench --scope sign:pdf | tail -n 1)
# dotnet itself in the background (not the shell function), so $! is the server and the trap stops it.
SEGEL_Limits__SigningPerMinute=100000000 dotnet src/Segel.Cli/bin/Release/net10.0/segel.dll serve --data "$data" --urls "http://127.0.0.1:$port" >"$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break; sleep 0.2; done

python3 bench/make-pdf.py "$work/letter.pdf" 102400
echo "kata-sandi-bench" > "$work/p12pw.txt"
segel cert issue --data "$data" --nip 199002022010011001 --reason "Benchmark: kunci pembanding di NSS" --p12 "$work/signer.p12" --password-file "$work/p12pw.txt" >/dev/null
mkdir "$work/nss"
certutil -N -d "sql:$work/nss" --empty-password
pk12util -i "$work/signer.p12" -d "sql:$work/nss" -W kata-sandi-bench >/dev/null
nick=$(certutil -L -d "sql:$work/nss" | awk '/u,u,u/{sub(/[ ]+u,u,u.*/, ""); print; exit}')

echo "$(nproc) cores; $(stat -c %s "$work/letter.pdf")-byte PDF; $clients clients, $seconds s each"
bench api "http://127.0.0.1:$port" "$token" "$nik" "$passphrase" "$work/letter.pdf" "$clients" "$seconds" B-B
bench api "http://127.0.0.1:$port" "$token" "$nik" "$passphrase" "$work/letter.pdf" "$clients" "$seconds" B-LT
bench in-process "$work/letter.pdf" "$work/signer.p12" kata-sandi-bench "$clients" "$seconds"
count=0
end=$(( $(date +%s) + seconds ))
start=$(date +%s%N)
while [ "$(date +%s)" -lt "$end" ]; do
  pdfsig -add-signature -nssdir "sql:$work/nss" -nick "$nick" "$work/letter.pdf" "$work/pdfsig.pdf" >/dev/null 2>&1
  count=$((count + 1))
done
elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
awk -v n="$count" -v ms="$elapsed" 'BEGIN { printf "  pdfsig -add-signature loop (1 process at a time): %.1f signatures/s (%d in %.1f s)\n", n * 1000 / ms, n, ms / 1000 }'
bench kdf 30

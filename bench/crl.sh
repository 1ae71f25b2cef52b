#!/usr/bin/env bash
# CRL of N revoked entries (default 100000): Segel (read from its database, sign, store) beside
# `openssl ca -gencrl` over the same number of entries in an index.txt, same key type (RSA 3072).
# Prints one line per side; medians of 5 runs.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
ensure_packages openssl time bc
n=${1:-100000}
w=$(mktemp -d); trap 'rm -rf "$w"' EXIT

dotnet build bench/Segel.Bench -c Release -nologo -v quiet >/dev/null
# Peak memory of the whole bench process (seeding the database included, so an upper bound for publication).
/usr/bin/time -f "segel-crl max_rss_kib=%M" dotnet bench/Segel.Bench/bin/Release/net10.0/Segel.Bench.dll crl "$n"

( cd "$w"
  openssl req -x509 -newkey rsa:3072 -nodes -keyout ca.key -out ca.crt -days 3650 -subj "/CN=Peer CA" 2>/dev/null
  cat > ca.cnf <<CNF
[ca]
default_ca=d
[d]
database=index.txt
crlnumber=crlnumber
certificate=ca.crt
private_key=ca.key
default_md=sha256
default_crl_days=7
CNF
  echo 01 > crlnumber
  python3 - "$n" > index.txt <<'PY'
import secrets, sys
for i in range(int(sys.argv[1])):
    print("R\t281124000000Z\t261124000000Z,keyCompromise\t%s\tunknown\t/CN=x%d" % (secrets.token_hex(16).upper(), i))
PY
  times=()
  for run in 1 2 3 4 5 6; do
    s=$(date +%s.%N); openssl ca -gencrl -config ca.cnf -out crl.pem 2>/dev/null; e=$(date +%s.%N)
    [ "$run" = 1 ] || times+=("$(echo "$e - $s" | bc)")   # first run warms the page cache, as Segel's warm-up does
  done
  /usr/bin/time -f "openssl-ca-gencrl max_rss_kib=%M" openssl ca -gencrl -config ca.cnf -out crl.pem 2>&1 >/dev/null | grep max_rss
  entries=$(openssl crl -in crl.pem -noout -text | grep -c "Serial Number")
  median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 3p)
  printf 'openssl-ca-gencrl entries=%s median_s=%.3f\n' "$entries" "$median"
)

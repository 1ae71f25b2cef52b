#!/usr/bin/env bash
# OCSP load: Segel's responder beside openssl's and cfssl's (../shared/bench/ocsp-peers.sh), all loaded by
# wrk in the same run with the same parameters (-t2 -c32, POST of one nonce-free request). Segel serves a CA
# with 200 issued and 20 revoked certificates, like the peers. Before and after the load a real client
# (openssl ocsp) must read the right status and "Response verify OK". Also prints Segel's peak RSS.
# Usage: bench/ocsp.sh [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
. scripts/lib.sh
ensure_packages openssl wrk golang-cfssl curl python3
secs=${1:-10}
peers="$repo/../shared/bench/ocsp-peers.sh"
[ -x "$peers" ] || peers=$(readlink -f "$repo/../shared/bench/ocsp-peers.sh")

dotnet build src/Segel.Cli -c Release -nologo -v quiet >/dev/null
w=$(mktemp -d); pid=
stop() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$w"; }
trap stop EXIT
port=$(free_port); url="http://127.0.0.1:$port"
export SEGEL_ADMIN_TOKEN=bench-token
dotnet src/Segel.Cli/bin/Release/net10.0/segel.dll serve --data "$w/ca" --urls "$url" >"$w/serve.log" 2>&1 &
pid=$!
for _ in $(seq 1 120); do curl -sf "$url/health" >/dev/null && break; sleep 0.5; done
curl -sf "$url/ca/issuing-ca.pem" > "$w/issuing.pem"; curl -sf "$url/ca/chain.pem" > "$w/chain.pem"

# 200 certificates through the operator API for 200 employees on file, 20 of them revoked.
python3 bench/staff.py 200 > "$w/staff.csv"
dotnet src/Segel.Cli/bin/Release/net10.0/segel.dll employees import --data "$w/ca" --file "$w/staff.csv" >/dev/null
openssl ecparam -name prime256v1 -genkey -noout -out "$w/leaf.key"
for i in $(seq 1 200); do
  openssl req -new -key "$w/leaf.key" -subj "/CN=leaf $i" -out "$w/l.csr" 2>/dev/null
  python3 -c 'import json,sys; print(json.dumps({"csr": open(sys.argv[1]).read(), "nip": "199002022010011%03d" % int(sys.argv[2]), "reason": "Benchmark OCSP: sertifikat uji"}))' "$w/l.csr" "$i" |
    curl -sf -H "Authorization: Bearer bench-token" -H "Content-Type: application/json" --data-binary @- "$url/api/v1/certificates" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["pem"], end="")' > "$w/leaf$i.pem"
done
for i in $(seq 1 20); do
  serial=$(openssl x509 -in "$w/leaf$i.pem" -noout -serial | cut -d= -f2)
  curl -sf -H "Authorization: Bearer bench-token" -H "Content-Type: application/json" -d '{"reason":"keyCompromise"}' "$url/api/v1/certificates/$serial/revocation" >/dev/null
done

check() { # a real client must read the right status and verify the response
  local o; o=$(openssl ocsp -issuer "$w/issuing.pem" -cert "$w/leaf$1.pem" -url "$url/ocsp" -CAfile "$w/chain.pem" -no_nonce 2>&1 || true)
  grep -q "Response verify OK" <<<"$o" && grep -q "leaf$1.pem: $2" <<<"$o" || { echo "segel failed the client check: $o" >&2; exit 1; }
}
check 1 revoked; check 100 good

openssl ocsp -issuer "$w/issuing.pem" -cert "$w/leaf100.pem" -no_nonce -reqout "$w/req.der" 2>/dev/null
cat > "$w/post.lua" <<LUA
local f = io.open("$w/req.der", "rb"); wrk.body = f:read("*a"); f:close()
wrk.method = "POST"; wrk.headers["Content-Type"] = "application/ocsp-request"
LUA
run() { # name url
  out=$(wrk -t2 -c32 -d"${secs}s" --latency -s "$w/post.lua" "$2" 2>&1)
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out"); p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
  echo "$1 rps=$rps p99=$p99 non2xx=${non2xx:-0}"
}
wrk -t2 -c32 -d3s -s "$w/post.lua" "$url/ocsp" >/dev/null 2>&1   # warm-up: the JIT compiles the hot path
run segel-ocsp "$url/ocsp"
check 1 revoked; check 100 good
echo "segel-ocsp peak_rss_mb=$(awk '/VmHWM/ {printf "%.0f", $2/1024}' /proc/$pid/status)"
"$peers" "$secs"

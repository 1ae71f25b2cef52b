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
run() { # name url [wrk script]
  out=$(wrk -t2 -c32 -d"${secs}s" --latency -s "${3:-$w/post.lua}" "$2" 2>&1)
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out"); p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
  echo "$1 rps=$rps p99=$p99 non2xx=${non2xx:-0}"
}
wrk -t2 -c32 -d3s -s "$w/post.lua" "$url/ocsp" >/dev/null 2>&1   # warm-up: the JIT compiles the hot path
run segel-ocsp "$url/ocsp"
check 1 revoked; check 100 good
echo "segel-ocsp peak_rss_mb=$(awk '/VmHWM/ {printf "%.0f", $2/1024}' /proc/$pid/status)"

# Fresh answers (issue 22.1): a new nonce in every request, as `openssl ocsp` sends by default, so no answer can be
# reused and each costs a signature. wrk rewrites the request's 16 nonce octets per request (a counter per thread).
openssl ocsp -issuer "$w/issuing.pem" -cert "$w/leaf100.pem" -reqout "$w/nonce.der" 2>/dev/null
offset=$(python3 - "$w/nonce.der" <<'PY'
import sys
der = open(sys.argv[1], "rb").read()
oid = bytes.fromhex("06092b0601050507300102")          # id-pkix-ocsp-nonce
at = der.index(oid) + len(oid)
assert der[at:at + 4] == bytes.fromhex("04120410"), "expected a 16-octet nonce"
print(at + 4)
PY
)
cat > "$w/fresh.lua" <<LUA
local f = io.open("$w/nonce.der", "rb"); local body = f:read("*a"); f:close()
local head, tail = body:sub(1, $offset), body:sub($offset + 17)
local counter, salt = 0, ""
function setup(thread) thread:set("id", math.random(0, 255)) end
function init(args)
  for i = 1, 7 do salt = salt .. string.char(math.random(0, 255)) end
  salt = salt .. string.char(id or 0)
end
function request()
  counter = counter + 1
  local c, n = counter, ""
  for i = 1, 8 do n = n .. string.char(c % 256); c = math.floor(c / 256) end
  return wrk.format("POST", nil, { ["Content-Type"] = "application/ocsp-request" }, head .. n .. salt .. tail)
end
LUA
check_nonce() { # a real client sending a nonce must get it back in a verified answer
  local o; o=$(openssl ocsp -issuer "$w/issuing.pem" -cert "$w/leaf$1.pem" -url "$url/ocsp" -CAfile "$w/chain.pem" 2>&1 || true)
  grep -q "Response verify OK" <<<"$o" && grep -q "leaf$1.pem: $2" <<<"$o" && ! grep -qi "nonce" <<<"$o" ||
    { echo "segel failed the nonce check: $o" >&2; exit 1; }
}
check_nonce 1 revoked; check_nonce 100 good
wrk -t2 -c32 -d3s -s "$w/fresh.lua" "$url/ocsp" >/dev/null 2>&1
run segel-ocsp-fresh "$url/ocsp" "$w/fresh.lua"
check_nonce 1 revoked; check_nonce 100 good
# The raw limit beside it: this machine's ECDSA P-256 signatures per second on both cores, same run.
echo "ecdsa-p256-limit sign_per_s=$(openssl speed -seconds 5 -multi 2 ecdsap256 2>/dev/null | awk '/256 bits ecdsa \(nistp256\)/ {print $(NF-1)}')"
"$peers" "$secs"

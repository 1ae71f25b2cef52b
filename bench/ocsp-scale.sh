#!/usr/bin/env bash
# Issue 22.2: OCSP over many serials. Segel serves a seeded folder (bench/seed.sh: 1,000,000 certificates under the
# issuing CA, the first of each employee's 10 revoked); wrk asks for serials spread uniformly over all of them, without
# nonces (a POST whose serial octets a Lua script rewrites per request). Reports answers/s, p99, the server's peak
# memory and the pre-signed cache's hit rate (from /metrics). Before and after the load `openssl ocsp` must read the
# right status for a revoked and a good serial and "Response verify OK".
#   bench/ocsp-scale.sh DIR [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
ensure_packages openssl wrk curl python3
[ $# -ge 1 ] && [ -f "$1/segel.db" ] || { echo "usage: bench/ocsp-scale.sh DIR [seconds]   (DIR from bench/seed.sh)" >&2; exit 2; }
dir=$(readlink -f "$1"); secs=${2:-20}
employees=$(python3 -c 'import sqlite3,sys; print(sqlite3.connect("file:%s?mode=ro" % sys.argv[1], uri=True).execute("SELECT COUNT(*) FROM employees WHERE Nip >= \"198001012005011000\"").fetchone()[0])' "$dir/segel.db")
dotnet build src/Segel.Cli -c Release -nologo -v quiet >/dev/null
w=$(mktemp -d); pid=
stop() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$w"; }
trap stop EXIT
port=$(free_port); url="http://127.0.0.1:$port"
token=$(cat "$dir/admin.token")
dotnet src/Segel.Cli/bin/Release/net10.0/segel.dll serve --data "$dir" --urls "$url" >"$w/serve.log" 2>&1 &
pid=$!
for _ in $(seq 1 240); do curl -sf "$url/health" >/dev/null && break; sleep 0.5; done
curl -sf "$url/ca/issuing-ca.pem" > "$w/issuing.pem"; curl -sf "$url/ca/chain.pem" > "$w/chain.pem"

serial() { printf '5E%08X%02X' "$1" "$2"; } # bench/Segel.Bench ReportBench.SeededSerial
check() { # a real client must read the right status and verify the answer: serial k=0 is revoked, k=9 good
  local o; o=$(openssl ocsp -issuer "$w/issuing.pem" -serial "0x$(serial "$1" "$2")" -url "$url/ocsp" -CAfile "$w/chain.pem" -no_nonce 2>&1 || true)
  grep -q "Response verify OK" <<<"$o" && grep -q ": $3" <<<"$o" || { echo "segel failed the client check: $o" >&2; exit 1; }
}
check 4242 0 revoked; check 4242 9 good; check $((employees - 1)) 9 good
rss() { awk -v k="$1:" '$1==k {printf "%.0f", $2/1024}' /proc/$pid/status; }
started_mb=$(rss VmRSS)

openssl ocsp -issuer "$w/issuing.pem" -serial "0x$(serial 0 0)" -no_nonce -reqout "$w/req.der" 2>/dev/null
offset=$(python3 - "$w/req.der" <<'PY'
import sys
der = open(sys.argv[1], "rb").read()
at = der.index(bytes.fromhex("02065E0000000000"))    # INTEGER, 6 octets: the serial of employee 0, certificate 0
print(at + 2)
PY
)
cat > "$w/spread.lua" <<LUA
local f = io.open("$w/req.der", "rb"); local body = f:read("*a"); f:close()
local head, tail = body:sub(1, $offset + 1), body:sub($offset + 7)
local threads = 0
function setup(thread) threads = threads + 1; thread:set("seed", threads * 7919 + os.time()) end
function init(args) math.randomseed(seed) end
function request()
  local e, k = math.random(0, $employees - 1), math.random(0, 9)
  local s = string.char(math.floor(e / 16777216) % 256, math.floor(e / 65536) % 256, math.floor(e / 256) % 256, e % 256, k)
  return wrk.format("POST", nil, { ["Content-Type"] = "application/ocsp-request" }, head .. s .. tail)
end
LUA
metric() { curl -sf -H "Authorization: Bearer $token" "$url/metrics" | awk -v m="segel_ocsp_responses_total{source=\"$1\"}" '$1==m {print $2}'; }
run() { # name
  local c0 s0 c1 s1 out
  c0=$(metric cache); s0=$(metric signed)
  out=$(wrk -t2 -c32 -d"${secs}s" --latency -s "$w/spread.lua" "$url/ocsp" 2>&1)
  c1=$(metric cache); s1=$(metric signed)
  python3 - "$1" "$(awk '/Requests\/sec/ {print $2}' <<<"$out")" "$(awk '$1=="99%" {print $2}' <<<"$out")" "$(awk '/Non-2xx/ {print $NF}' <<<"$out")" \
    "${c0:-0}" "${s0:-0}" "${c1:-0}" "${s1:-0}" <<'PY'
import sys
name, rps, p99, non2xx, c0, s0, c1, s1 = sys.argv[1:]
cache, signed = float(c1) - float(c0), float(s1) - float(s0)
print(f"{name} rps={rps} p99={p99} non2xx={non2xx or 0} cache_hit_rate={cache / max(1.0, cache + signed):.3f}")
PY
}
run segel-ocsp-spread-warmup
run segel-ocsp-spread
check 4242 0 revoked; check 4242 9 good
echo "segel-ocsp-spread employees=$employees serials=$((employees * 10)) rss_started_mb=$started_mb rss_after_mb=$(rss VmRSS) peak_rss_mb=$(rss VmHWM)"
echo "ecdsa-p256-limit sign_per_s=$(openssl speed -seconds 5 -multi 2 ecdsap256 2>/dev/null | awk '/256 bits ecdsa \(nistp256\)/ {print $(NF-1)}')"

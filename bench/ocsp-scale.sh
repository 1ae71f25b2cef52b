#!/usr/bin/env bash
# Issue 22.2: OCSP over many serials. wrk asks for serials spread uniformly over 1,000,000 certificates (the first of each
# employee's 10 revoked), without nonces (a POST whose serial octets a Lua script rewrites per request). Reports answers/s,
# p99, the server's peak memory, the pre-signed cache's hit rate and where statuses came from (from /metrics). Before and
# after the load `openssl ocsp` must read the right status for a revoked and a good serial and "Response verify OK".
#   bench/ocsp-scale.sh DIR [seconds]                       one node on a SQLite folder from bench/seed.sh
#   bench/ocsp-scale.sh --postgres [employees] [seconds]    two nodes on one PostgreSQL database, seeded here with SQL
#                                                           (a throwaway server, fsync off, as the tests run it)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
ensure_packages openssl wrk curl python3
if [ "${1:-}" = --postgres ]; then
  mode=postgres; employees=${2:-100000}; secs=${3:-20}
else
  [ $# -ge 1 ] && [ -f "$1/segel.db" ] || { echo "usage: bench/ocsp-scale.sh DIR [seconds] | --postgres [employees] [seconds]" >&2; exit 2; }
  mode=sqlite; dir=$(readlink -f "$1"); secs=${2:-20}
  employees=$(python3 -c 'import sqlite3,sys; print(sqlite3.connect("file:%s?mode=ro" % sys.argv[1], uri=True).execute("SELECT COUNT(*) FROM employees WHERE Nip >= \"198001012005011000\"").fetchone()[0])' "$dir/segel.db")
fi
dotnet build src/Segel.Cli -c Release -nologo -v quiet >/dev/null
segel=(dotnet src/Segel.Cli/bin/Release/net10.0/segel.dll)
w=$(mktemp -d); pids=()
stop() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; [ "$mode" = postgres ] && postgres_stop; rm -rf "$w"; }
trap stop EXIT

serial() { printf '5E%08X%02X' "$1" "$2"; } # bench/Segel.Bench ReportBench.SeededSerial
if [ "$mode" = postgres ]; then
  . scripts/postgres.sh
  postgres_start 2>/dev/null
  port=$(sed -E 's/.*Port=([0-9]+).*/\1/' <<<"$SEGEL_TEST_POSTGRES")
  psql() { "$SEGEL_PG_BIN/psql" -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U segel "$@"; }
  psql -d postgres -c "CREATE DATABASE segel_bench"
  connection="${SEGEL_TEST_POSTGRES/Database=postgres/Database=segel_bench}"
  SEGEL_ADMIN_TOKEN=$(openssl rand -hex 24); export SEGEL_ADMIN_TOKEN # one operator token for both nodes
  "${segel[@]}" init --data "$w/a" --db-provider postgres --db "$connection" --root-algorithm ecdsa-p384 --issuing-algorithm ecdsa-p256 >/dev/null
  mkdir -m 700 "$w/b"; cp -p "$w/a/segel.json" "$w/a/master.key" "$w/b/"
  # The same rows bench/seed.sh writes into SQLite (stand-in DER, no employee), by generate_series: a minute, not an hour.
  started=$(date +%s)
  psql -d segel_bench <<SQL
INSERT INTO certificates ("IssuerId", "SerialHex", "Profile", "SubjectDn", "CommonName", "NotBefore", "NotAfter", "IssuedAt", "Der",
                          "RevokedAt", "RevocationReason", "SearchText")
SELECT a."Id", '5E' || upper(lpad(to_hex(e), 8, '0')) || upper(lpad(to_hex(k), 2, '0')), 'subscriber', 'CN=Pegawai ' || e, 'Pegawai ' || e,
       timestamptz '2025-01-01' + (k * 73 + e % 100) * interval '1 day', timestamptz '2027-01-01' + (k * 73 + e % 100) * interval '1 day',
       timestamptz '2025-01-01' + (k * 73 + e % 100) * interval '1 day', decode(repeat('00', 600), 'hex'),
       CASE WHEN k = 0 THEN timestamptz '2025-05-18' + (e % 100) * interval '1 day' END, CASE WHEN k = 0 THEN 4 END,
       'pegawai ' || e || ' 5e' || lower(lpad(to_hex(e), 8, '0')) || lower(lpad(to_hex(k), 2, '0'))
FROM authorities a, generate_series(0, $employees - 1) e, generate_series(0, 9) k WHERE a."Slug" = 'issuing-ca';
ANALYZE certificates;
SQL
  echo "seeded-postgres certificates=$((employees * 10)) revoked=$employees seconds=$(( $(date +%s) - started ))"
  nodes=("$w/a" "$w/b")
else
  nodes=("$dir")
fi

urls=()
for data in "${nodes[@]}"; do
  p=$(free_port); url="http://127.0.0.1:$p"
  "${segel[@]}" serve --data "$data" --urls "$url" >"$w/serve-$p.log" 2>&1 &
  pids+=($!); urls+=("$url")
done
for url in "${urls[@]}"; do for _ in $(seq 1 240); do curl -sf "$url/health" >/dev/null && break; sleep 0.5; done; done
token=${SEGEL_ADMIN_TOKEN:-$(cat "${nodes[0]}/admin.token")}
curl -sf "${urls[0]}/ca/issuing-ca.pem" > "$w/issuing.pem"; curl -sf "${urls[0]}/ca/chain.pem" > "$w/chain.pem"

check() { # a real client must read the right status and verify the answer, at every node: serial k=0 is revoked, k=9 good
  local o url
  for url in "${urls[@]}"; do
    o=$(openssl ocsp -issuer "$w/issuing.pem" -serial "0x$(serial "$1" "$2")" -url "$url/ocsp" -CAfile "$w/chain.pem" -no_nonce 2>&1 || true)
    grep -q "Response verify OK" <<<"$o" && grep -q ": $3" <<<"$o" || { echo "segel ($url) failed the client check: $o" >&2; exit 1; }
  done
}
check 4242 0 revoked; check 4242 9 good; check $((employees - 1)) 9 good
rss() { awk -v k="$2:" '$1==k {printf "%.0f", $2/1024}' "/proc/$1/status"; }
started_mb=(); for p in "${pids[@]}"; do started_mb+=("$(rss "$p" VmRSS)"); done

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
function init(args) math.randomseed(seed + os.clock() * 1000000) end
function request()
  local e, k = math.random(0, $employees - 1), math.random(0, 9)
  local s = string.char(math.floor(e / 16777216) % 256, math.floor(e / 65536) % 256, math.floor(e / 256) % 256, e % 256, k)
  return wrk.format("POST", nil, { ["Content-Type"] = "application/ocsp-request" }, head .. s .. tail)
end
LUA
metric() { curl -sf -H "Authorization: Bearer $token" "$1/metrics" | awk -v m="$2" '$1==m {print $2}'; }
counts() { # url: cache signed memory-statuses database-statuses
  local m
  for m in 'segel_ocsp_responses_total{source="cache"}' 'segel_ocsp_responses_total{source="signed"}' \
           'segel_ocsp_status_reads_total{source="memory"}' 'segel_ocsp_status_reads_total{source="database"}'; do
    local v; v=$(metric "$1" "$m"); printf '%s ' "${v:-0}"
  done
}
run() { # name: every node under load at once, one wrk each, their connections split
  local i before=() n=${#urls[@]}
  for i in "${!urls[@]}"; do before+=("$(counts "${urls[$i]}")"); done
  for i in "${!urls[@]}"; do
    wrk -t$((2 / n)) -c$((32 / n)) -d"${secs}s" --latency -s "$w/spread.lua" "${urls[$i]}/ocsp" >"$w/wrk-$i.txt" 2>&1 &
  done
  wait $(jobs -p | grep -v -F -x -f <(printf '%s\n' "${pids[@]}")) 2>/dev/null || true
  for i in "${!urls[@]}"; do
    python3 - "$1" "node$i" "$(awk '/Requests\/sec/ {print $2}' "$w/wrk-$i.txt")" "$(awk '$1=="99%" {print $2}' "$w/wrk-$i.txt")" \
      "$(awk '/Non-2xx/ {print $NF}' "$w/wrk-$i.txt")" ${before[$i]} $(counts "${urls[$i]}") <<'PY'
import sys
name, node, rps, p99, non2xx = sys.argv[1:6]
b, a = [float(x or 0) for x in sys.argv[6:10]], [float(x or 0) for x in sys.argv[10:14]]
cache, signed, memory, database = (a[i] - b[i] for i in range(4))
print(f"{name} {node} rps={rps} p99={p99} non2xx={non2xx or 0} cache_hit_rate={cache / max(1.0, cache + signed):.3f} "
      f"status_from_memory={memory / max(1.0, memory + database):.3f}")
PY
  done
}
run segel-ocsp-spread-warmup
run segel-ocsp-spread
check 4242 0 revoked; check 4242 9 good
for i in "${!pids[@]}"; do
  echo "segel-ocsp-spread-$mode node$i serials=$((employees * 10)) rss_started_mb=${started_mb[$i]} rss_after_mb=$(rss "${pids[$i]}" VmRSS) peak_rss_mb=$(rss "${pids[$i]}" VmHWM)"
done
echo "ecdsa-p256-limit sign_per_s=$(openssl speed -seconds 5 -multi 2 ecdsap256 2>/dev/null | awk '/256 bits ecdsa \(nistp256\)/ {print $(NF-1)}')"

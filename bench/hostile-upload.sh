#!/usr/bin/env bash
# Memory under hostile uploads to the public verification page: UPLOADS parallel uploads of a 1.8 MB decompression
# bomb (30 object streams of 60 MB each; bench/make-bomb.py), beside the same number of honest PDFs of the same size,
# against one `segel serve`. Prints the answers' status codes, the server's resident memory before, its peak during
# (VmHWM, reset before each round) and after each round, and the wall time of the round.
# Usage: bench/hostile-upload.sh [UPLOADS=100]
set -euo pipefail
cd "$(dirname "$0")/.."
uploads=${1:-100}
dotnet build src/Segel.Cli -c Release -nologo -v quiet >/dev/null
segel() { dotnet src/Segel.Cli/bin/Release/net10.0/segel.dll "$@"; }
work=$(mktemp -d /tmp/segel-hostile-bench.XXXXXX)
server=
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
data="$work/ca"
segel init --data "$data" --base-url "http://127.0.0.1:$port" >/dev/null
# The per-address limit would answer most of one machine's uploads with 429 before they cost anything: lift it.
SEGEL_Limits__SignInPerMinute=1000000 dotnet src/Segel.Cli/bin/Release/net10.0/segel.dll serve --data "$data" --urls "http://127.0.0.1:$port" >"$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break; sleep 0.2; done

python3 bench/make-bomb.py "$work/bomb.pdf"
python3 bench/make-pdf.py "$work/honest.pdf" "$(stat -c %s "$work/bomb.pdf")"
rss() { awk -v f="$1" '$1 == f":" { printf "%d", $2 / 1024 }' "/proc/$server/status"; }

echo "$(nproc) cores; $uploads parallel uploads to /verify of each file; resident memory of the server in MB"
printf '%-12s %10s %14s %8s %8s %8s %8s\n' file bytes statuses before peak after seconds
for kind in honest bomb; do
  file="$work/$kind.pdf"
  curl -s -o /dev/null -F "file=@$file;type=application/pdf" "http://127.0.0.1:$port/verify" # warm the path
  sleep 1
  before=$(rss VmRSS)
  echo 5 > "/proc/$server/clear_refs" # resets VmHWM to the current RSS
  start=$(date +%s%N)
  seq "$uploads" | xargs -P "$uploads" -I{} curl -s -o /dev/null -w '%{http_code}\n' -F "file=@$file;type=application/pdf" \
    "http://127.0.0.1:$port/verify" > "$work/codes-$kind.txt"
  elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
  peak=$(rss VmHWM)
  sleep 5
  after=$(rss VmRSS)
  codes=$(sort "$work/codes-$kind.txt" | uniq -c | awk '{ printf "%s%s×%s", sep, $2, $1; sep=" " }')
  printf '%-12s %10d %14s %8d %8d %8d %8.1f\n' "$kind" "$(stat -c %s "$file")" "$codes" "$before" "$peak" "$after" "$(echo "$elapsed / 1000" | bc -l)"
done

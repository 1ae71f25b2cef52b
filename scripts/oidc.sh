# Starts the regency's identity provider for the tests — node's certified oidc-provider package from the npm registry
# (tests/oidc-provider) — on loopback, and stops it. Source it, then:
#   oidc_start   exports SEGEL_TEST_OIDC (the issuer URL); tests register their own client there (RFC 7591)
#   oidc_stop
# Node.js comes with the machine; Debian's is installed only where there is none. The package is installed once, from
# the lock file.

oidc_start() {
  local dir=tests/oidc-provider port log
  command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || ensure_packages nodejs npm
  if [ ! -f "$dir/node_modules/oidc-provider/package.json" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    echo "segel: installing oidc-provider (npm ci)" >&2
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  fi
  port=$(free_port)
  log=$(mktemp /tmp/segel-oidc.XXXXXX)
  node "$dir/provider.mjs" "$port" >"$log" 2>&1 &
  SEGEL_OIDC_PID=$!
  for _ in $(seq 1 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
    sleep 0.1
  done
  kill -0 "$SEGEL_OIDC_PID" 2>/dev/null || { cat "$log" >&2; return 1; }
  export SEGEL_TEST_OIDC="http://127.0.0.1:$port" SEGEL_OIDC_PID SEGEL_OIDC_LOG="$log"
  echo "segel: identity provider on 127.0.0.1:$port" >&2
}

oidc_stop() {
  [ -n "${SEGEL_OIDC_PID:-}" ] && kill "$SEGEL_OIDC_PID" 2>/dev/null
  [ -n "${SEGEL_OIDC_LOG:-}" ] && rm -f "$SEGEL_OIDC_LOG"
  unset SEGEL_OIDC_PID SEGEL_OIDC_LOG
}

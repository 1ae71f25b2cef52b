# Starts a throwaway PostgreSQL server on loopback for the tests, and stops it. Source it, then:
#   postgres_start   exports SEGEL_TEST_POSTGRES (a superuser connection string) and SEGEL_PG_DIR
#   postgres_stop    stops the server and removes its folder
# The server trusts local connections only and runs with fsync off: it holds nothing worth keeping.

postgres_start() {
  local bin port dir
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -x "$bin/initdb" ] || { echo "segel: PostgreSQL server binaries not found under /usr/lib/postgresql" >&2; return 1; }
  dir=$(mktemp -d /tmp/segel-pg.XXXXXX)
  port=$(free_port)
  local run=()
  if [ "$(id -u)" = 0 ]; then
    # initdb refuses to run as root; the Debian package provides the postgres account.
    chown postgres: "$dir"
    run=(runuser -u postgres --)
  fi
  "${run[@]}" "$bin/initdb" -D "$dir/data" -U segel --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; return 1; }
  "${run[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400" \
    start >/dev/null || { cat "$dir/server.log" >&2; return 1; }
  export SEGEL_PG_DIR="$dir" SEGEL_PG_BIN="$bin"
  export SEGEL_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=segel;Database=postgres;Maximum Pool Size=20"
  echo "segel: PostgreSQL running on 127.0.0.1:$port" >&2
}

postgres_stop() {
  [ -n "${SEGEL_PG_DIR:-}" ] || return 0
  local run=()
  [ "$(id -u)" = 0 ] && run=(runuser -u postgres --)
  "${run[@]}" "$SEGEL_PG_BIN/pg_ctl" -D "$SEGEL_PG_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$SEGEL_PG_DIR"
  unset SEGEL_PG_DIR
}

# Starts a real SMTP server (Debian's aiosmtpd) on loopback that stores what it receives in a Maildir, for
# the tests, and stops it. Source it, then:
#   smtp_start   exports SEGEL_TEST_SMTP (host:port) and SEGEL_TEST_MAILDIR
#   smtp_stop
# Debian's module is only importable by Debian's interpreter, hence /usr/bin/python3 rather than PATH's.

smtp_start() {
  local port dir
  port=$(free_port)
  dir=$(mktemp -d /tmp/segel-smtp.XXXXXX)
  /usr/bin/python3 -m aiosmtpd -n -l "127.0.0.1:$port" -c aiosmtpd.handlers.Mailbox "$dir/maildir" >"$dir/smtp.log" 2>&1 &
  SEGEL_SMTP_PID=$!
  for _ in $(seq 1 50); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
    sleep 0.1
  done
  kill -0 "$SEGEL_SMTP_PID" 2>/dev/null || { cat "$dir/smtp.log" >&2; return 1; }
  export SEGEL_TEST_SMTP="127.0.0.1:$port" SEGEL_TEST_MAILDIR="$dir/maildir" SEGEL_SMTP_DIR="$dir" SEGEL_SMTP_PID
  echo "segel: SMTP sink on 127.0.0.1:$port, mail in $dir/maildir" >&2
}

smtp_stop() {
  [ -n "${SEGEL_SMTP_PID:-}" ] && kill "$SEGEL_SMTP_PID" 2>/dev/null
  [ -n "${SEGEL_SMTP_DIR:-}" ] && rm -rf "$SEGEL_SMTP_DIR"
  unset SEGEL_SMTP_PID SEGEL_SMTP_DIR
}

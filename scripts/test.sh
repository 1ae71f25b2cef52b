#!/usr/bin/env bash
# Runs every Segel test, on a fresh machine as on a developer's: installs what the tests need (Debian
# packages, the npm package of the test identity provider), starts a throwaway PostgreSQL, an SMTP sink, an
# OpenID Connect provider and an OpenLDAP directory on loopback, runs all test projects on SQLite and
# PostgreSQL, stops the servers, and ends with one line "N passed, N failed, N skipped".
# Usage: scripts/test.sh [extra dotnet test arguments, e.g. --filter Ocsp]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
. scripts/postgres.sh
. scripts/smtp.sh
. scripts/oidc.sh
. scripts/ldap.sh

ensure_packages openssl postgresql ca-certificates python3 python3-aiosmtpd python3-openpyxl qpdf poppler-utils libnss3-tools python3-cryptography-vectors softhsm2 gpgsm chromium prometheus xmlsec1 nginx podman debootstrap docker-compose slapd ldap-utils libgfshare-bin

trap 'ldap_stop; oidc_stop; smtp_stop; postgres_stop' EXIT
postgres_start
smtp_start
oidc_start
ldap_start

log=$(mktemp)
set +e
dotnet build Segel.slnx -c Release -nologo -v quiet 2>&1 | tail -n 3 && \
dotnet test Segel.slnx -c Release --no-build -nologo "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# dotnet test prints one summary per test assembly; add them up into the one line CI reads.
awk '
  /^(Passed|Failed)!/ {
    for (i = 1; i <= NF; i++) {
      if ($i == "Failed:")  { f += $(i+1) + 0 }
      if ($i == "Passed:")  { p += $(i+1) + 0 }
      if ($i == "Skipped:") { s += $(i+1) + 0 }
    }
    n++
  }
  END { if (n == 0) { print "0 passed, 1 failed"; exit } printf "%d passed, %d failed, %d skipped\n", p, f, s }
' "$log"
rm -f "$log"
exit "$status"

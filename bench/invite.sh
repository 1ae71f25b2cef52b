#!/usr/bin/env bash
# Accounts from the personnel file (issue 20.1): N employees (default 5000) imported with their accounts made, then every
# invitation e-mail delivered to a real SMTP server (Debian's aiosmtpd, writing a Maildir), beside the same server's raw
# limit in the same run (N messages over one MailKit connection, no database). Target: 5,000 in under 30 s.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
. scripts/smtp.sh
ensure_packages python3-aiosmtpd
smtp_start
trap smtp_stop EXIT
dotnet build bench/Segel.Bench -c Release -nologo -v quiet >/dev/null
dotnet bench/Segel.Bench/bin/Release/net10.0/Segel.Bench.dll invite "${1:-5000}" "$SEGEL_TEST_SMTP"
echo "maildir_messages=$(find "$SEGEL_TEST_MAILDIR" -type f | wc -l) (Segel's invitations and the raw run's messages)"

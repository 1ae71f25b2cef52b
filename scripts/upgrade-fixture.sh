#!/usr/bin/env bash
# Makes the data folder UpgradeTests upgrades: a demonstration regency (`segel demo`: agencies, employees, accounts,
# two years of applications, certificates valid, expired and revoked, custody keys, signed letters) created by an
# earlier release, with what that release itself said of it (certificates, employees, audit and log checks) beside it.
# Usage: scripts/upgrade-fixture.sh TAG   (e.g. v1.0.0) → tests/fixtures/upgrade/segel-TAG.tar.gz
# The folder's master key seals only this throwaway demonstration CA; it protects nothing real.
set -euo pipefail
cd "$(dirname "$0")/.."
tag=${1:?usage: scripts/upgrade-fixture.sh TAG}
out="tests/fixtures/upgrade/segel-$tag.tar.gz"
work=$(mktemp -d)
trap 'git worktree remove --force "$work/source" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
git worktree add --detach "$work/source" "$tag" >/dev/null
dotnet build "$work/source/src/Segel.Cli" -c Release -nologo -v quiet >/dev/null
segel() { dotnet "$work/source/src/Segel.Cli/bin/Release/net10.0/segel.dll" "$@"; }
mkdir -p "$work/fixture/manifest"
segel demo --data "$work/fixture/data" --employees 110 >/dev/null
rm -rf "$work/fixture/data/demo-letters"        # PDFs: the records of their signatures stay in the database
segel --version > "$work/fixture/manifest/version.txt"
segel cert list --data "$work/fixture/data" --json --limit 500 > "$work/fixture/manifest/certificates.json"
segel employees list --data "$work/fixture/data" --limit 500 > "$work/fixture/manifest/employees.txt"
segel audit verify --data "$work/fixture/data" > "$work/fixture/manifest/audit-verify.txt"
segel log verify --data "$work/fixture/data" > "$work/fixture/manifest/log-verify.txt"
mkdir -p "$(dirname "$out")"
tar -C "$work/fixture" --owner=0 --group=0 --numeric-owner -czf "$out" data manifest
echo "$out"

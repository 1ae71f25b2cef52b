#!/usr/bin/env bash
# A local stand-in for .NET's runtime-deps image, for building deploy/container/Containerfile where no container
# registry is reachable: a minimal Debian root (debootstrap --variant=minbase) with what self-contained .NET needs —
# glibc, OpenSSL, ICU, time zones, CA certificates, and OpenLDAP's client library (for publishing to a certificate
# directory) — of the same Debian release as this machine, imported into podman.
# Idempotent: an existing image is kept. Prints the image's name. Needs root, podman and debootstrap.
# Usage: scripts/container-base.sh [MIRROR]   (default http://deb.debian.org/debian)
set -euo pipefail
. /etc/os-release
image="localhost/segel-base:${VERSION_CODENAME:?no Debian release name in /etc/os-release}"
if podman image exists "$image"; then
  echo "$image"
  exit 0
fi
mirror=${1:-http://deb.debian.org/debian}
# The library packages' names carry their ABI (libicu72, libssl3 or libssl3t64): take the ones this machine has.
icu=$(dpkg-query -W -f '${Package}\n' 'libicu[0-9]*' | head -n 1)
ssl=$(dpkg-query -W -f '${Package}\n' 'libssl3*' | grep -v -- '-dev' | head -n 1)
ldap=$(dpkg-query -W -f '${Package} ${Status}\n' 'libldap-2*' 'libldap2' 2>/dev/null | awk '/install ok installed/ { print $1; exit }')
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
debootstrap --variant=minbase --include="ca-certificates,tzdata,$icu,$ssl${ldap:+,$ldap}" "$VERSION_CODENAME" "$root" "$mirror" > "$root.log" 2>&1 \
  || { tail -n 20 "$root.log" >&2; rm -f "$root.log"; exit 1; }
rm -f "$root.log"
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
tar -C "$root" -c . | podman import --quiet - "$image" > /dev/null
echo "$image"

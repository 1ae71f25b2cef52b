#!/bin/sh
# Installs Segel from the release tarball as the Debian package would: the programs under /usr/lib/segel with
# /usr/bin links, the systemd unit, the `segel` user and its private /var/lib/segel. Run as root from the
# unpacked folder; running it again upgrades the programs in place. It does not start Segel (see README).
# ROOT=/some/dir installs into another root instead (no user, no systemctl): for tests and image builds.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=${ROOT:-}
[ -x "$here/bin/segel" ] || { echo "install.sh: run it from the unpacked release folder" >&2; exit 1; }
if [ -z "$root" ] && [ "$(id -u)" -ne 0 ]; then
    echo "install.sh: run as root (or set ROOT=DIR to install into a folder)" >&2
    exit 1
fi
mkdir -p "$root/usr/lib/segel.new" "$root/usr/bin" "$root/usr/lib/systemd/system" "$root/usr/share/doc/segel"
cp -a "$here/bin/." "$root/usr/lib/segel.new/"
rm -rf "$root/usr/lib/segel.old"
[ ! -d "$root/usr/lib/segel" ] || mv "$root/usr/lib/segel" "$root/usr/lib/segel.old"
mv "$root/usr/lib/segel.new" "$root/usr/lib/segel"
rm -rf "$root/usr/lib/segel.old"
ln -sfn ../lib/segel/segel "$root/usr/bin/segel"
ln -sfn ../lib/segel/segel-pdf "$root/usr/bin/segel-pdf"
install -m 0644 "$here/segel.service" "$root/usr/lib/systemd/system/segel.service"
install -m 0644 "$here/segel.json.example" "$here/README.md" "$root/usr/share/doc/segel/"
if [ -z "$root" ]; then
    getent passwd segel > /dev/null || useradd --system --user-group --home-dir /var/lib/segel --no-create-home --shell /usr/sbin/nologin segel
    install -d -o segel -g segel -m 0700 /var/lib/segel
    if [ -d /run/systemd/system ]; then
        systemctl daemon-reload
        systemctl enable segel.service
    fi
    echo "Installed. Make the CA once: sudo -u segel segel init --data /var/lib/segel --base-url https://YOUR-HOST; then: systemctl start segel"
fi

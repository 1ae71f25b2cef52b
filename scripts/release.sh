#!/usr/bin/env bash
# Builds a release of Segel for linux-x64 (issue 25.1):
#   segel-<version>-linux-x64.tar.gz  the self-contained `segel` and native `segel-pdf`, the systemd unit, an example
#                                     segel.json and install.sh, under one folder;
#   segel_<version>_amd64.deb         the same programs under /usr/lib/segel with /usr/bin links, the unit, the docs;
#                                     its scripts create the `segel` user and /var/lib/segel and enable the unit.
# Usage: scripts/release.sh [OUTPUT-DIR]   (default: artifacts/release)
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(realpath -m "${1:-artifacts/release}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"

bin="$work/bin"
dotnet publish src/Segel.Cli -c Release -r linux-x64 --self-contained -p:UseAppHost=true -o "$bin" -nologo -v quiet
dotnet publish src/Segel.Pdf.Tool -c Release -r linux-x64 -o "$work/pdf" -nologo -v quiet
cp "$work/pdf/segel-pdf" "$bin/"
rm -f "$bin"/*.pdb
version=$("$bin/segel" --version | cut -d+ -f1)
[[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+ ]] || { echo "release: cannot read the version ($version)" >&2; exit 1; }

# The tarball: one folder, installable with its own script.
name="segel-$version-linux-x64"
tree="$work/$name"
mkdir -p "$tree"
cp -a "$bin" "$tree/bin"
cp deploy/segel.service deploy/segel.json.example deploy/install.sh README.md "$tree/"
cp -r deploy/nginx "$tree/nginx"
# The container files, and the empty folder the image's data folder is made from (tar keeps empty folders, git does not).
mkdir -p "$tree/container/data"
cp deploy/container/Containerfile deploy/container/compose.yaml "$tree/container/"
chmod 0755 "$tree/install.sh"
tar -C "$work" --owner=0 --group=0 --numeric-owner -czf "$out/$name.tar.gz" "$name"

# The Debian package, from the same programs.
deb="$work/deb"
mkdir -p "$deb/DEBIAN" "$deb/usr/lib/segel" "$deb/usr/bin" "$deb/usr/lib/systemd/system" "$deb/usr/share/doc/segel"
cp -a "$bin/." "$deb/usr/lib/segel/"
ln -s ../lib/segel/segel "$deb/usr/bin/segel"
ln -s ../lib/segel/segel-pdf "$deb/usr/bin/segel-pdf"
install -m 0644 deploy/segel.service "$deb/usr/lib/systemd/system/segel.service"
install -m 0644 deploy/segel.json.example README.md "$deb/usr/share/doc/segel/"
install -D -m 0644 deploy/nginx/segel.conf "$deb/usr/share/doc/segel/nginx/segel.conf"
cp -r docs "$deb/usr/share/doc/segel/docs"
install -m 0755 deploy/debian/postinst deploy/debian/prerm deploy/debian/postrm "$deb/DEBIAN/"
size=$(du -sk "$deb/usr" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@SIZE@/$size/" deploy/debian/control > "$deb/DEBIAN/control"
find "$deb" -type d -exec chmod 0755 {} +
dpkg-deb --root-owner-group -Zgzip --build "$deb" "$out/segel_${version}_amd64.deb" > /dev/null

echo "$out/$name.tar.gz"
echo "$out/segel_${version}_amd64.deb"

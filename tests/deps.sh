#!/bin/sh
# Installs the Debian packages libhgq needs to build and test, when missing.
# A no-op when everything is present. Runs as root (or with sudo available).
set -e
pkgs="build-essential pkg-config liblua5.4-dev lua5.4 libxlsxwriter-dev libexpat1-dev
libminizip-dev zlib1g-dev lua-busted unzip binutils valgrind libreoffice-calc-nogui poppler-utils fonts-noto-cjk"
missing=""
for p in $pkgs; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "installing:$missing"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends $missing

#!/bin/sh
# Install every Debian package shiptrace needs to build, test and benchmark.
# Idempotent: packages already present are left alone, and apt is only
# called when something is missing, so running it before every build is cheap.
set -eu

PKGS="
build-essential cmake pkg-config clang libclang-rt-14-dev
libsqlite3-dev libpq-dev libcjson-dev zlib1g-dev libzstd-dev
libcmocka-dev libssl-dev
gzip zstd sqlite3 tzdata
gdal-bin
postgresql-15 postgresql-15-postgis-3 postgresql-client-15
gpsd-clients python3 python3-ais python3-geopandas python3-rtree
hyperfine
chromium fonts-dejavu-core poppler-utils python3-pil bc
"

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done

[ -z "$missing" ] && exit 0

SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
echo "install-deps: installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >&2

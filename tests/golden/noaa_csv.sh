#!/bin/sh
# The NOAA MarineCadastre reader against its own input: no other decoder
# reads these exports, so noaa_check.py parses the shared sample with
# Python's csv module and compares every row with the objects
# `shiptrace decode` writes for it (position and static, member by member,
# "not available" conventions included). Prints rows and members compared.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
BIN=${ST_BIN:?ST_BIN not set}
F=${ST_SHARED:?ST_SHARED not set}/ais/noaa-marinecadastre-2023-01-11-sample.csv
[ -f "$F" ] || { echo "no NOAA sample at $F" >&2; exit 1; }
TMP=$(mktemp "${TMPDIR:-/tmp}/st-noaa.XXXXXX")
trap 'rm -f "$TMP"' EXIT INT TERM
"$BIN" decode "$F" > "$TMP"
/usr/bin/python3 "$HERE/noaa_check.py" "$F" "$TMP"

#!/bin/sh
# Differential test against gpsd: every shared NMEA corpus is decoded by
# `gpsdecode -u -j` and by `shiptrace decode`, and again scaled (`gpsdecode
# -j` against `shiptrace decode --scaled`). aiscompare.py matches the
# messages one to one and asserts that every field both emit agrees; the
# only differences allowed are the rules in allow.json, each explained under
# its heading in docs/formats.md ("Differences from gpsd"). Prints how many
# messages and fields were compared. Skipped only when gpsdecode is absent
# (scripts/install-deps.sh installs it).
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
BIN=${ST_BIN:?ST_BIN not set}
SRC=${ST_SRC:-$(cd "$HERE/../.." && pwd)}
AIS=${ST_SHARED:?ST_SHARED not set}/ais
PY=/usr/bin/python3
. "$HERE/cases.inc"

command -v gpsdecode > /dev/null 2>&1 || { echo "gpsdecode not installed: skipped"; exit 77; }
[ -x "$PY" ] || { echo "no $PY: skipped"; exit 77; }
[ -d "$AIS" ] || { echo "no shared data at $AIS" >&2; exit 1; }
TMP=$(mktemp -d "${TMPDIR:-/tmp}/st-gpsd.XXXXXX")
trap 'rm -rf "$TMP"' EXIT INT TERM

plain="" scaled=""
for f in $(golden_inputs "$AIS"); do
	case "$f" in *.csv) continue ;; esac
	gpsdecode -u -j < "$AIS/$f" > "$TMP/$f.gpsd" 2> /dev/null || true
	gpsdecode -j < "$AIS/$f" > "$TMP/$f.gpsd-scaled" 2> /dev/null || true
	"$BIN" decode "$AIS/$f" > "$TMP/$f.st" 2> "$TMP/$f.err" ||
		{ echo "shiptrace decode $f failed:"; cat "$TMP/$f.err"; exit 1; }
	"$BIN" decode --scaled "$AIS/$f" > "$TMP/$f.st-scaled" 2> "$TMP/$f.err" ||
		{ echo "shiptrace decode --scaled $f failed:"; cat "$TMP/$f.err"; exit 1; }
	plain="$plain $f=$TMP/$f.gpsd:$TMP/$f.st:$AIS/$f"
	scaled="$scaled $f=$TMP/$f.gpsd-scaled:$TMP/$f.st-scaled:$AIS/$f"
done
[ -n "$plain" ] || { echo "no NMEA corpus found in $AIS" >&2; exit 1; }

rc=0
# shellcheck disable=SC2086
"$PY" "$HERE/aiscompare.py" gpsdecode --allow "$HERE/allow.json" \
	--docs "$SRC/docs/formats.md" --mode unscaled $plain || rc=1
# shellcheck disable=SC2086
"$PY" "$HERE/aiscompare.py" gpsdecode --allow "$HERE/allow.json" \
	--docs "$SRC/docs/formats.md" --mode scaled $scaled || rc=1
exit $rc

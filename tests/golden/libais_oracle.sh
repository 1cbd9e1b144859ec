#!/bin/sh
# libais as a second oracle, end to end through the command line:
#  - libais's own expected decodes (../shared/data/ais/libais-typeexamples.json,
#    one real USCG sentence per message type; libais-tagblock.json, ORBCOMM
#    sentences whose tag blocks carry the receive time, station and groups)
#    against `shiptrace decode --scaled` of the matching .nmea, field by field,
#    receive time and source included;
#  - libais itself (python3-ais, its gpsd compatibility layer) over every
#    shared NMEA corpus against `shiptrace decode --scaled`.
# Allowed differences are the "libais" rules in allow.json, each explained in
# docs/formats.md. Skipped only when python3-ais is absent.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
BIN=${ST_BIN:?ST_BIN not set}
SRC=${ST_SRC:-$(cd "$HERE/../.." && pwd)}
AIS=${ST_SHARED:?ST_SHARED not set}/ais
PY=/usr/bin/python3
. "$HERE/cases.inc"

[ -d "$AIS" ] || { echo "no shared data at $AIS" >&2; exit 1; }
TMP=$(mktemp -d "${TMPDIR:-/tmp}/st-libais.XXXXXX")
trap 'rm -rf "$TMP"' EXIT INT TERM

decode() {
	"$BIN" decode --scaled "$AIS/$1" > "$TMP/$1.st" 2> "$TMP/$1.err" ||
		{ echo "shiptrace decode --scaled $1 failed:"; cat "$TMP/$1.err"; exit 1; }
}

rc=0
decode libais-typeexamples.nmea
decode libais-tagblock.nmea
"$PY" "$HERE/aiscompare.py" libais --allow "$HERE/allow.json" \
	--docs "$SRC/docs/formats.md" --mode scaled \
	"libais-typeexamples.json=$AIS/libais-typeexamples.json:$TMP/libais-typeexamples.nmea.st" \
	"libais-tagblock.json=$AIS/libais-tagblock.json:$TMP/libais-tagblock.nmea.st" || rc=1

if "$PY" -c 'import ais' 2> /dev/null; then
	live=""
	for f in $(golden_inputs "$AIS"); do
		case "$f" in *.csv) continue ;; esac
		[ -f "$TMP/$f.st" ] || decode "$f"
		live="$live $f=$AIS/$f:$TMP/$f.st"
	done
	# shellcheck disable=SC2086
	"$PY" "$HERE/aiscompare.py" libais-live --allow "$HERE/allow.json" \
		--docs "$SRC/docs/formats.md" --mode scaled $live || rc=1
else
	echo "python3-ais not installed: live libais comparison skipped"
	exit 77
fi
exit $rc

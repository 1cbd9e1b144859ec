#!/bin/sh
# Regenerates the golden files: for every AIS input in the shared data
# (../shared/data/ais) the JSONL that `shiptrace decode --stats` writes and
# its statistics, plus the variants listed in cases.inc (--scaled, CSV).
# `make golden` runs it. Review the diff before committing: the expected
# files are the project's statement of what a correct decode is, and each
# change must be explained (spot-check against `gpsdecode -u -j`).
#   usage: tests/golden/regen.sh [path/to/shiptrace]
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
BIN=${1:-$ROOT/build/shiptrace}
case "$BIN" in /*) ;; *) BIN=$(pwd)/$BIN ;; esac
AIS=${ST_SHARED:-$ROOT/../shared/data}/ais
OUT=$HERE/expected
. "$HERE/cases.inc"

[ -x "$BIN" ] || { echo "regen: no shiptrace at $BIN (make build)" >&2; exit 1; }
[ -d "$AIS" ] || { echo "regen: no shared data at $AIS" >&2; exit 1; }
rm -f "$OUT"/*.jsonl "$OUT"/*.csv "$OUT"/*.stats
mkdir -p "$OUT"
n=0
for f in $(golden_inputs "$AIS"); do
	golden_run "$BIN" "$AIS" "$f" "$OUT" ""
	n=$((n + 1))
done
echo "$GOLDEN_VARIANTS" | while read -r suf f opts; do
	[ -n "$suf" ] || continue
	# shellcheck disable=SC2086
	golden_run "$BIN" "$AIS" "$f" "$OUT" "$suf" $opts
done
echo "regen: $n inputs and $(echo "$GOLDEN_VARIANTS" | grep -c .) variants written to tests/golden/expected/"
(cd "$ROOT" && git status --short -- tests/golden/expected) || true

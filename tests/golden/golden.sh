#!/bin/sh
# Golden test: decodes every AIS input in the shared data, and each variant
# in cases.inc, and compares output and statistics with the committed files
# in tests/golden/expected/ (diff -u; any difference fails). An input with
# no expected file fails too, so new shared data cannot slip by untested.
# Regenerate with `make golden` after an intended change, and review.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
BIN=${ST_BIN:?ST_BIN not set}
AIS=${ST_SHARED:?ST_SHARED not set}/ais
EXP=$HERE/expected
. "$HERE/cases.inc"

[ -d "$AIS" ] || { echo "golden: no shared data at $AIS" >&2; exit 1; }
TMP=$(mktemp -d "${TMPDIR:-/tmp}/st-golden.XXXXXX")
trap 'rm -rf "$TMP"' EXIT INT TERM
GOT=$TMP/got
mkdir "$GOT"

for f in $(golden_inputs "$AIS"); do
	golden_run "$BIN" "$AIS" "$f" "$GOT" ""
done
echo "$GOLDEN_VARIANTS" | while read -r suf f opts; do
	[ -n "$suf" ] || continue
	# shellcheck disable=SC2086
	golden_run "$BIN" "$AIS" "$f" "$GOT" "$suf" $opts
done

fail=0 nFile=0 nLine=0
for g in "$GOT"/*; do
	b=$(basename "$g")
	nFile=$((nFile + 1))
	nLine=$((nLine + $(wc -l < "$g")))
	if [ ! -f "$EXP/$b" ]; then
		echo "golden: no expected file tests/golden/expected/$b (run make golden and review)"
		fail=1
	elif ! diff -u "$EXP/$b" "$g" > "$TMP/diff" 2>&1; then
		echo "golden: $b differs from the expected output:"
		head -60 "$TMP/diff"
		fail=1
	fi
done
for e in "$EXP"/*; do
	[ -f "$GOT/$(basename "$e")" ] || { echo "golden: expected file $(basename "$e") was not produced"; fail=1; }
done
[ "$nFile" -gt 0 ] || { echo "golden: nothing compared" >&2; exit 1; }
echo "golden: compared $nFile files, $nLine lines"
exit $fail

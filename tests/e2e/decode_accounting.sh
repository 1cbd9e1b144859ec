#!/bin/sh
# shiptrace decode on every shared AIS file: exit 0, one JSON line per
# message, and every line accounted for in the statistics:
#   lines read == lines in decoded messages + meta + blank + rejected
set -eu
: "${ST_BIN:?}" "${ST_SHARED:?}"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

stat_of() { # label file
	awk -v k="$1" '{ line = $0; sub(/^ +/, "", line); n = $NF; sub(/ +[0-9]+$/, "", line)
		if (line == k) { print n; exit } }' "$2"
}

n=0
for f in "$ST_SHARED"/ais/*.txt "$ST_SHARED"/ais/*.nm4 "$ST_SHARED"/ais/*.nmea "$ST_SHARED"/ais/*.csv; do
	"$ST_BIN" decode --stats --quiet-rejects "$f" > "$T/out" 2> "$T/err" ||
		fail "$f: exit $?"
	lines=$(stat_of "lines read" "$T/err")
	inmsg=$(stat_of "in decoded messages/rows" "$T/err")
	meta=$(stat_of "meta (time, header)" "$T/err")
	blank=$(stat_of "blank or comment" "$T/err")
	rej=$(stat_of "rejected" "$T/err")
	msgs=$(stat_of "messages" "$T/err")
	recs=$(stat_of "records" "$T/err")
	[ -n "$lines" ] && [ -n "$inmsg" ] && [ -n "$rej" ] || fail "$f: no statistics: $(cat "$T/err")"
	[ "$lines" -eq $((inmsg + meta + blank + rej)) ] ||
		fail "$f: $lines lines != $inmsg + $meta + $blank + $rej"
	# The file's own line count (a last line without newline counts too).
	wcl=$(awk 'END { print NR }' "$f")
	[ "$lines" -eq "$wcl" ] || fail "$f: read $lines lines, the file has $wcl"
	# One JSON object per record, each a complete line.
	out=$(wc -l < "$T/out")
	[ "$out" -eq "$recs" ] || fail "$f: $out output lines for $recs records"
	if [ "$out" -gt 0 ]; then
		grep -vc '^{"class":"AIS",.*}$' "$T/out" > "$T/bad" || true
		[ "$(cat "$T/bad")" -eq 0 ] || fail "$f: output lines that are not AIS JSON objects"
	fi
	# The summary line agrees with the table.
	untimed=$(sed -n 's/^ *without a receive time *\([0-9]*\)$/\1/p' "$T/err")
	tail=""
	[ "${untimed:-0}" -gt 0 ] && tail=", $untimed records without a receive time"
	grep -q "^shiptrace decode: $lines lines, $msgs messages, $rej rejected$tail\$" "$T/err" ||
		fail "$f: summary line missing or wrong"
	# A message without a receive time says so, one by one.
	[ "$(grep -c '"rxtime":null' "$T/out" || true)" -eq "${untimed:-0}" ] ||
		fail "$f: $untimed untimed records counted, not as many marked"
	n=$((n + 1))
done
[ "$n" -ge 10 ] || fail "only $n files found under $ST_SHARED/ais"

# The DMA receiver stream (the demo): 4,051 messages from 8,551 lines, with
# every $PGHP line counted as metadata (figures from the data set's notes:
# 4,500 sentences each behind a $PGHP line).
"$ST_BIN" decode --stats "$ST_SHARED/ais/dma-aislib-stream_example.txt" > /dev/null 2> "$T/err"
[ "$(stat_of "sentences (valid AIS)" "$T/err")" -eq 4500 ] || fail "DMA stream: sentences"
[ "$(stat_of "rejected" "$T/err")" -eq 0 ] || fail "DMA stream: rejected lines"
echo "ok: $n files"

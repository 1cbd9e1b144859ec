#!/bin/sh
# Inputs: gzip and zstd detected by content (not by name), stdin, several
# files in one run with summed statistics, CSV exports and mappings.
set -eu
: "${ST_BIN:?}" "${ST_SHARED:?}" "${ST_SRC:?}"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
command -v gzip > /dev/null && command -v zstd > /dev/null || { echo "gzip/zstd missing"; exit 77; }

K="$ST_SHARED/ais/kystverket-2019-08-07-1000lines.nm4"
N="$ST_SHARED/ais/noaa-marinecadastre-2023-01-11-sample.csv"
"$ST_BIN" decode "$K" > "$T/plain.jsonl" 2> /dev/null
gzip -c "$K" > "$T/k.gz"
zstd -q -c "$K" > "$T/k.zst"
cp "$T/k.gz" "$T/misnamed.txt"
for f in "$T/k.gz" "$T/k.zst" "$T/misnamed.txt"; do
	"$ST_BIN" decode "$f" > "$T/out" 2> /dev/null || fail "$f: exit $?"
	cmp -s "$T/plain.jsonl" "$T/out" || fail "$f: output differs from the plain file's"
done
"$ST_BIN" decode --stats "$T/k.zst" 2>&1 > /dev/null | grep -q "(nmea, zstd)" ||
	fail "zstd not reported in the statistics"
"$ST_BIN" decode - < "$T/k.gz" > "$T/out" 2> /dev/null || fail "stdin: exit $?"
cmp -s "$T/plain.jsonl" "$T/out" || fail "stdin output differs"
cat "$K" | "$ST_BIN" decode > "$T/out" 2> /dev/null || fail "pipe: exit $?"
cmp -s "$T/plain.jsonl" "$T/out" || fail "pipe output differs"

zstd -q -c "$N" | "$ST_BIN" decode --format csv - > "$T/out" 2> /dev/null || fail "CSV on stdin: exit $?"
[ "$(wc -l < "$T/out")" -eq 1001 ] || fail "CSV on stdin: rows"

# Two files: outputs in order, statistics summed.
"$ST_BIN" decode --stats "$K" "$T/k.zst" > "$T/two" 2> "$T/err" || fail "two files: exit $?"
cat "$T/plain.jsonl" "$T/plain.jsonl" | cmp -s - "$T/two" || fail "two files: output"
grep -q "^== total" "$T/err" || fail "two files: no total table"
grep -q "^shiptrace decode: 2000 lines, .* (2 files)\$" "$T/err" || fail "two files: summary"

# NOAA CSV: JSON lines (position + static per row) and CSV rows.
"$ST_BIN" decode "$N" > "$T/noaa.jsonl" 2> "$T/err" || fail "NOAA: exit $?"
grep -q "^shiptrace decode: 1001 lines, 1000 messages, 0 rejected\$" "$T/err" || fail "NOAA: summary"
grep -q '"type":1,"mmsi":636021061,"scaled":true,"status":8,"speed":8.8,"lon":-80.04806,"lat":26.09241,"course":272.7,"heading":270,"rxtime":"2023-01-11T00:00:00Z"' \
	"$T/noaa.jsonl" || fail "NOAA: MSC NAISHA III position"
grep -q '"mmsi":636021061,.*"imo":9307839,"callsign":"5LCB4","shipname":"MSC NAISHA III","shiptype":70' \
	"$T/noaa.jsonl" || fail "NOAA: MSC NAISHA III static"
"$ST_BIN" decode --format csv "$N" > "$T/noaa.csv" 2> /dev/null
[ "$(head -1 "$T/noaa.csv")" = "mmsi,time,lat,lon,sog,cog,heading,nav_status,msg_type,source" ] ||
	fail "CSV header"
[ "$(wc -l < "$T/noaa.csv")" -eq 1001 ] || fail "CSV: one row per position"
grep -q '^636021061,2023-01-11T00:00:00Z,26.09241,-80.04806,8.8,272.7,270,8,0,$' "$T/noaa.csv" ||
	fail "CSV: MSC NAISHA III row"
# A position with heading 511 and COG 360 leaves those cells empty.
grep -q '^338926283,2023-01-11T00:00:00Z,42.93588,-78.90928,,,,15,0,$' "$T/noaa.csv" ||
	fail "CSV: not-available values"

# NMEA to CSV: the sixth Kystverket line is a type 1 report.
"$ST_BIN" decode --format csv "$K" > "$T/k.csv" 2> /dev/null
rows=$(($(wc -l < "$T/k.csv") - 1))
[ "$rows" -gt 500 ] || fail "NMEA CSV: only $rows rows"

# A mapped layout (made-up fixture) and --input-format.
M="mmsi=ShipId,time=ts,lat=y,lon=x,sog=speed,cog=course,heading=hdg,name=Name,imo=IMO,time_format=%d/%m/%Y %H:%M:%S,delimiter=;"
"$ST_BIN" decode --map "$M" "$ST_SRC/tests/data/mapped-layout-made-up.csv" > "$T/m" 2> "$T/err" ||
	fail "mapped: exit $?"
[ "$(wc -l < "$T/m")" -eq 5 ] || fail "mapped: 5 records expected"
grep -q "mapped-layout-made-up.csv:6: malformed (latitude out of range): " "$T/err" ||
	fail "mapped: reject line"
"$ST_BIN" decode --input-format dma "$ST_SRC/tests/data/dma-layout-made-up.csv" > /dev/null 2>&1 ||
	fail "--input-format dma"
echo ok

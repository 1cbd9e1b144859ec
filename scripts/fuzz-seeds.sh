#!/bin/sh
# Rebuilds the fuzz seed corpora in tests/fuzz/corpus/ from the shared data
# (../shared/data/ais): small slices of every NMEA corpus for the line
# decoder, slices of the NOAA CSV (plain and gzip) for the readers, and bare
# payloads for the AIS bit decoder. The few made-up seeds (a DMA-layout CSV
# and hand-written edge cases) live in tests/fuzz/seeds-made-up/ and are
# copied in as they are. Run it after the shared data changes; commit the
# result so the test suite replays it.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
AIS=${ST_SHARED:-$ROOT/../shared/data}/ais
C=$ROOT/tests/fuzz/corpus
rm -rf "$C/nmea" "$C/csv" "$C/ais" "$C/lines"
mkdir -p "$C/nmea" "$C/csv" "$C/ais" "$C/lines"

# NMEA: from each file a few slices of 12 lines at spread-out offsets, so
# tag blocks, $PGHP, USCG trailers and multi-sentence messages all appear.
for f in "$AIS"/*.txt "$AIS"/*.nm4 "$AIS"/*.nmea; do
	b=$(basename "$f" | sed 's/\.[^.]*$//')
	n=$(wc -l < "$f")
	k=0
	for start in 1 $((n / 3)) $((2 * n / 3)); do
		[ "$start" -ge 1 ] || continue
		sed -n "${start},$((start + 11))p" "$f" > "$C/nmea/$b-$k"
		k=$((k + 1))
	done
done

# CSV: header plus a slice, from several offsets; one gzip and one zstd.
f="$AIS/noaa-marinecadastre-2023-01-11-sample.csv"
for start in 2 300 700 990; do
	{ head -1 "$f"; sed -n "${start},$((start + 9))p" "$f"; } > "$C/csv/noaa-$start"
done
{ head -1 "$f"; sed -n '10,19p' "$f"; } | gzip -9n > "$C/csv/noaa-gzip"
if command -v zstd >/dev/null 2>&1; then
	{ head -1 "$f"; sed -n '20,29p' "$f"; } | zstd -q -19 > "$C/csv/noaa-zstd"
fi
# The CSV fuzzer's first byte picks the format: 0 detect, 1 NOAA, 2 DMA,
# 3 mapped. Prefix every seed with "detect", plus one forced per layout.
for s in "$C"/csv/*; do
	{ printf '\000'; cat "$s"; } > "$s.tmp" && mv "$s.tmp" "$s"
done
{ printf '\001'; head -6 "$f"; } > "$C/csv/noaa-forced"
cp "$ROOT"/tests/fuzz/seeds-made-up/csv-* "$C/csv/" 2>/dev/null || true
cp "$ROOT"/tests/fuzz/seeds-made-up/nmea-* "$C/nmea/" 2>/dev/null || true

# AIS payloads: field 6 of single- and first-of-many sentences, prefixed
# with the fill-bit byte the fuzzer reads; one of each message type present.
grep -ho '!..VD[MO],[^*]*' "$AIS"/*.txt "$AIS"/*.nm4 "$AIS"/*.nmea |
	awk -F, '
	$6 == "" { next }
	$2 == 1 { emit($6, $7); next }
	$3 == 1 { part = $6; next }
	$3 == $2 && part != "" { emit(part $6, $7); part = "" }
	function emit(p, fill,   t) {
		t = substr(p, 1, 1)
		if (!(t in seen)) { seen[t] = 1; print fill "," p }
	}' |
	while IFS=, read -r fill payload; do
		name=$(printf '%s' "$payload" | cksum | cut -d' ' -f1)
		{ printf "\\$(printf '%03o' "$fill")"; printf '%s' "$payload"; } > "$C/ais/p-$name"
	done
# Line source: the first byte picks the refill buffer and line bound (see
# fuzz_lines.c); the same bytes plain, gzip and zstd.
T=$(mktemp)
for src in dma-aislib-stream_example.txt:1500:nmea \
           noaa-marinecadastre-2023-01-11-sample.csv:1200:csv \
           kystverket-2019-08-07-1000lines.nm4:800:tag; do
	file=${src%%:*} rest=${src#*:}
	n=${rest%%:*} name=${rest#*:}
	head -c "$n" "$AIS/$file" > "$T"
	for sel in 000 011 077; do
		{ printf "\\$sel"; cat "$T"; } > "$C/lines/$name-$sel"
	done
	{ printf '\022'; gzip -9n < "$T"; } > "$C/lines/$name-gzip"
	if command -v zstd >/dev/null 2>&1; then
		{ printf '\033'; zstd -q -c < "$T"; } > "$C/lines/$name-zstd"
	fi
done
rm -f "$T"
printf '\010a\r\nb\n\r\n\rc\r\r\nlast-without-newline' > "$C/lines/crlf-mixed"
echo "seeds: $(ls "$C/lines" | wc -l) lines, $(ls "$C/nmea" | wc -l) nmea, $(ls "$C/csv" | wc -l) csv, $(ls "$C/ais" | wc -l) ais"

#!/bin/sh
# bench/screen: screening speed beside the way analysts match lists today.
# screen_bench (bench/screen_bench.c, linked against the built library)
# loads the real OFAC SDN list, tops it up to BENCH_ENTRIES (default 20,000)
# entries with made-up vessels, makes BENCH_VESSELS (default 100,000)
# made-up identities, and times the index build and st_screen (IMO, MMSI,
# call sign and name matching, with the in-use and namesake rules) on one
# core, best of BENCH_RUNS (default 5). The same identities and entries are
# written as CSV and matched by IMO, MMSI and normalised name with an SQL
# join in sqlite3 (indexed tables, import not timed), the usual spreadsheet
# or database way. Prints times and the ratio. Never asserted in a test.
#   usage: bench/screen.sh [path/to/shiptrace]
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
ST=${1:-$ROOT/build/shiptrace}
BUILD=$(cd "$(dirname "$ST")" && pwd)
OFAC=${ST_SHARED:-$ROOT/../shared/data}/sanctions/ofac_sdn_2024-05-03.csv
N=${BENCH_VESSELS:-100000}
M=${BENCH_ENTRIES:-20000}
RUNS=${BENCH_RUNS:-5}
WORK=$HERE/work/screen
mkdir -p "$WORK"

cc -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -I"$ROOT/include" \
	"$HERE/screen_bench.c" "$BUILD/libshiptrace.a" \
	$(pkg-config --libs sqlite3 libpq libcjson zlib libzstd) -lm -o "$WORK/screen_bench"

"$WORK/screen_bench" "$OFAC" "$N" "$M" "$RUNS" "$WORK" > "$WORK/result.txt"
cat "$WORK/result.txt"
ours=$(sed -n 's/^screen_s=//p' "$WORK/result.txt")

if command -v sqlite3 >/dev/null; then
	rm -f "$WORK/peer.db"
	sqlite3 -batch "$WORK/peer.db" <<SQL
.mode csv
.import $WORK/entries.csv entries
.import $WORK/vessels.csv vessels
CREATE INDEX e_imo ON entries(imo);
CREATE INDEX e_mmsi ON entries(mmsi);
CREATE INDEX e_name ON entries(name);
SQL
	best=""
	i=0
	while [ $i -lt "$RUNS" ]; do
		s=$(date +%s.%N)
		n=$(sqlite3 -batch "$WORK/peer.db" "SELECT count(*) FROM (
			SELECT v.id, e.entry FROM vessels v JOIN entries e ON e.imo = v.imo AND v.imo <> '0'
			UNION SELECT v.id, e.entry FROM vessels v JOIN entries e ON e.mmsi = v.mmsi AND v.mmsi <> '0'
			UNION SELECT v.id, e.entry FROM vessels v JOIN entries e ON e.name = v.name)")
		e=$(date +%s.%N)
		t=$(echo "$e - $s" | bc -l)
		if [ -z "$best" ] || [ "$(echo "$t < $best" | bc -l)" = 1 ]; then best=$t; fi
		i=$((i + 1))
	done
	printf 'sqlite3_join_s=%.4f (pairs %s)\n' "$best" "$n"
	printf 'ratio sqlite3/shiptrace=%.1f\n' "$(echo "$best / $ours" | bc -l)"
else
	echo "sqlite3 not installed: peer skipped"
fi

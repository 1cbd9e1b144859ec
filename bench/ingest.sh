#!/bin/sh
# bench/ingest: loading AIS positions into a case beside the way analysts
# do it today, on the same file in one run.
# Builds bench/work/ingest-positions.csv: every real position of the shared
# corpora (NMEA streams decoded by shiptrace, NOAA MarineCadastre rows, AMSA
# tracks) replicated with shifted MMSIs and times (bench/make_positions.py)
# to BENCH_ROWS rows (default 5,000,000), as NOAA MarineCadastre CSV, which
# every tool here reads as it is. Then times:
#   shiptrace ingest CASE.gpkg         GeoPackage with R-tree, vessels, reports
#   ogr2ogr -f GPKG                    GDAL, CSV -> GeoPackage (with its R-tree)
#   shiptrace ingest postgresql://     PostGIS: binary COPY, geometry in the COPY,
#                                      GiST index
#   psql \copy + UPDATE geometry       the usual PostGIS load: \copy the CSV into a
#                                      table, add the geometry with an UPDATE, and
#                                      (third line) the GiST index
# against a throwaway PostgreSQL 15 server (tests/lib/pg.sh). Prints seconds,
# rows/s, ratios and the peak memory of the client process (/usr/bin/time;
# the PostgreSQL server's own memory is not counted for either). Each load
# runs BENCH_RUNS times (default 1) into a fresh target and the best wall
# time is kept. Speed is only measured here, never asserted in a test.
#   usage: bench/ingest.sh [path/to/shiptrace]
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
ST=${1:-$ROOT/build/shiptrace}
case "$ST" in /*) ;; *) ST=$(pwd)/$ST ;; esac
SHARED=${ST_SHARED:-$ROOT/../shared/data}
WANT=${BENCH_ROWS:-5000000}
RUNS=${BENCH_RUNS:-1}
WORK=$HERE/work
DATA=$WORK/ingest-positions.csv
mkdir -p "$WORK"

# The base: every real position, then the replicated file (cached).
for f in "$SHARED"/ais/*.txt "$SHARED"/ais/*.nm4 "$SHARED"/ais/*.nmea; do
	"$ST" decode --quiet-rejects --format csv "$f" 2>/dev/null | tail -n +2
done | sed '1i mmsi,time,lat,lon,sog,cog,heading,nav_status,msg_type,source' > "$WORK/ingest-base.csv"
set -- "$WORK/ingest-base.csv" "$SHARED/ais/noaa-marinecadastre-2023-01-11-sample.csv" "$SHARED"/tracks/*.csv
stamp="$WANT:$(cat "$@" "$HERE/make_positions.py" | cksum)"
if [ ! -f "$DATA" ] || [ "$(cat "$DATA.stamp" 2>/dev/null)" != "$stamp" ]; then
	python3 "$HERE/make_positions.py" "$@" --rows "$WANT" > "$DATA"
	echo "$stamp" > "$DATA.stamp"
fi
nRow=$(($(wc -l < "$DATA") - 1))
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
echo "bench/ingest: $nRow positions, $(($(wc -c < "$DATA") / 1048576)) MiB of NOAA CSV"
echo "machine: $(nproc) cores, $cpu, load average $(cut -d' ' -f1-3 /proc/loadavg); best of $RUNS run(s)"

RESULTS=$WORK/ingest-results.txt
: > "$RESULTS"
# timed NAME PREP CMD...: runs PREP (untimed, e.g. removing the last
# target) then CMD, RUNS times; records the best wall time and the largest
# peak RSS.
timed() {
	name=$1 prep=$2
	shift 2
	best="" rss=0 i=0
	while [ $i -lt "$RUNS" ]; do
		sh -c "$prep"
		t0=$(date +%s%N)
		if ! /usr/bin/time -f "%M %U %S" -o "$WORK/time.out" "$@" > "$WORK/stdout.out" 2> "$WORK/stderr.out"; then
			echo "  $name: failed:"; tail -5 "$WORK/stderr.out"; return 1
		fi
		t1=$(date +%s%N)
		ns=$((t1 - t0))
		if [ -z "$best" ] || [ "$ns" -lt "$best" ]; then
			best=$ns
			cpu=$(tail -1 "$WORK/time.out" | awk '{ print $2 + $3 }')
		fi
		kb=$(tail -1 "$WORK/time.out" | cut -d' ' -f1)
		[ "$kb" -gt "$rss" ] && rss=$kb
		i=$((i + 1))
	done
	printf '%s|%s|%s|%s\n' "$name" "$best" "$rss" "$cpu" >> "$RESULTS"
}

G1=$WORK/ingest-shiptrace.gpkg G2=$WORK/ingest-ogr2ogr.gpkg
timed "shiptrace -> GeoPackage" "rm -f '$G1'" "$ST" ingest --quiet-rejects "$G1" "$DATA"
n1=$(sqlite3 "$G1" "SELECT count(*) FROM positions")
timed "ogr2ogr -> GeoPackage" "rm -f '$G2'" ogr2ogr -f GPKG "$G2" "$DATA" \
	-oo X_POSSIBLE_NAMES=LON -oo Y_POSSIBLE_NAMES=LAT -oo AUTODETECT_TYPE=YES \
	-a_srs EPSG:4326 -nln positions
n2=$(sqlite3 "$G2" "SELECT count(*) FROM positions")
echo "  rows: shiptrace $n1, ogr2ogr $n2"

PGT=$(mktemp -d)
. "$ROOT/tests/lib/pg.sh"
trap 'pg_stop; rm -rf "$PGT"' EXIT
if pg_start "$PGT"; then
	PSQL="$PG_BINDIR/psql -X -q -v ON_ERROR_STOP=1"
	$PSQL -c "CREATE DATABASE peer"
	$PSQL -d peer -c "CREATE EXTENSION postgis"
	URL="postgresql://postgres:$PG_PASSWORD@127.0.0.1:$PG_PORT/st"
	timed "shiptrace -> PostGIS" \
		"$PSQL -c 'DROP DATABASE IF EXISTS st' -c 'CREATE DATABASE st' && $PSQL -d st -c 'CREATE EXTENSION postgis'" \
		"$ST" ingest --quiet-rejects "$URL" "$DATA"
	n3=$($PSQL -d st -A -t -c "SELECT count(*) FROM positions")
	cat > "$WORK/peer-copy.sql" <<SQL
DROP TABLE IF EXISTS positions;
CREATE TABLE positions (mmsi bigint, basedatetime timestamp, lat double precision,
  lon double precision, sog real, cog real, heading real, vesselname text, imo text,
  callsign text, vesseltype real, status real, length real, width real, draft real,
  cargo real, transceiverclass text);
\\copy positions FROM '$DATA' WITH (FORMAT csv, HEADER true)
SQL
	# each step can run BENCH_RUNS times: the geometry column and the
	# index are dropped first when an earlier run made them
	cat > "$WORK/peer-update.sql" <<SQL
ALTER TABLE positions DROP COLUMN IF EXISTS geom;
ALTER TABLE positions ADD COLUMN geom geometry(Point, 4326);
UPDATE positions SET geom = ST_SetSRID(ST_MakePoint(lon, lat), 4326);
SQL
	timed "psql copy" "true" $PSQL -d peer -f "$WORK/peer-copy.sql"
	timed "  + UPDATE geometry" "true" $PSQL -d peer -f "$WORK/peer-update.sql"
	timed "  + CREATE INDEX gist" "$PSQL -d peer -c 'DROP INDEX IF EXISTS positions_geom'" \
		$PSQL -d peer -c "CREATE INDEX positions_geom ON positions USING gist (geom)"
	n4=$($PSQL -d peer -A -t -c "SELECT count(*) FROM positions")
	echo "  rows: shiptrace $n3, psql $n4"
	pg_stop
else
	echo "  PostgreSQL 15 + PostGIS not available: PostGIS loads skipped"
fi

awk -F'|' -v n="$nRow" '
{ name[NR] = $1; ns[NR] = $2; rss[NR] = $3; cpu[NR] = $4 }
END {
	for (i = 1; i <= NR; i++) {
		t = ns[i]
		if (name[i] == "psql copy") { copy = t; name[i] = "psql \\copy" }
		if (name[i] == "  + UPDATE geometry") { upd = t; t += copy }
		if (name[i] == "  + CREATE INDEX gist") { t += copy + upd }
		if (name[i] == "shiptrace -> GeoPackage") st_g = t
		if (name[i] == "shiptrace -> PostGIS") st_p = t
		tot[i] = t
	}
	printf "  %-26s %9s %11s %9s %9s  %s\n", "load (cumulative for psql)", "seconds", "rows/s", "client s", "peak MiB", "time / shiptrace"
	for (i = 1; i <= NR; i++) {
		r = ""
		if (name[i] ~ /ogr2ogr/ && st_g) r = sprintf("%.1fx", tot[i] / st_g)
		if (name[i] ~ /copy|UPDATE|INDEX/ && st_p) r = sprintf("%.1fx", tot[i] / st_p)
		printf "  %-26s %9.2f %11.0f %9.2f %9.1f  %s\n", name[i], tot[i] / 1e9, n / (tot[i] / 1e9), cpu[i], rss[i] / 1024, r
	}
}' "$RESULTS"
echo "client s: CPU seconds (user + system) of the client process; the PostgreSQL"
echo "server's own CPU is not in it. time / shiptrace: the load's wall time over"
echo "shiptrace's into the same kind of store (GeoPackage, PostGIS)."
echo "command: bench/ingest.sh $ST (BENCH_ROWS=$WANT BENCH_RUNS=$RUNS)"

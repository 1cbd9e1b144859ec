#!/bin/sh
# PostGIS for real: starts a throwaway PostgreSQL 15 server (tests/lib/pg.sh),
# ingests the same real AIS files into a PostGIS case and a GeoPackage case,
# and compares them: row counts of every core table and a checksum over the
# sorted positions (mmsi|time|lat|lon), vessels and vessel reports. Also
# checks the PostGIS types and indexes, that a second ingest of the same
# file is skipped, and the two connection errors: a wrong password and a
# server that is down.
set -eu
: "${ST_BIN:?}" "${ST_SHARED:?}" "${ST_SRC:?}"
command -v sqlite3 >/dev/null || { echo "sqlite3 is not installed"; exit 77; }
T=$(mktemp -d)
. "$ST_SRC/tests/lib/pg.sh"
cleanup() { pg_stop; rm -rf "$T"; }
trap cleanup EXIT
pg_start "$T" || { echo "no PostgreSQL 15 + PostGIS here: skipped"; exit 77; }
PSQL="$PG_BINDIR/psql -X -q -A -t -v ON_ERROR_STOP=1"
AIS=$ST_SHARED/ais
# The third file is large enough (8 MB) for the bulk path: table locked,
# ids numbered by shiptrace, primary key and GiST index rebuilt at the end;
# the small file after it goes through the ordinary path again.
i=0
while [ $i -lt 20 ]; do cat "$AIS/dma-aislib-stream_example.txt"; i=$((i + 1)); done > "$T/big.nmea"
FILES="$AIS/dma-aislib-stream_example.txt $AIS/noaa-marinecadastre-2023-01-11-sample.csv $T/big.nmea $AIS/pyais-nmea_data_sample.txt"
URL=$(pg_createdb stcase)

# shellcheck disable=SC2086
"$ST_BIN" ingest --quiet-rejects "$URL" $FILES
# shellcheck disable=SC2086
"$ST_BIN" ingest --quiet-rejects "$T/case.gpkg" $FILES 2>/dev/null
"$ST_BIN" info "$URL" > "$T/info.txt"
cat "$T/info.txt"
if grep -q "$PG_PASSWORD" "$T/info.txt"; then echo "info shows the password"; exit 1; fi

pq() { $PSQL -d stcase -c "$1"; }
sq() { sqlite3 -batch "$T/case.gpkg" "$1"; }

for t in sources positions vessel_reports vessels meta runs; do
	a=$(pq "SELECT count(*) FROM $t"); b=$(sq "SELECT count(*) FROM $t")
	[ "$a" = "$b" ] || { echo "$t: PostGIS has $a rows, GeoPackage $b"; exit 1; }
	echo "$t: $a rows in both"
done
[ "$(pq "SELECT count(*) FROM positions")" -gt 4000 ] || { echo "too few positions"; exit 1; }

# Positions: the same rows, to 1e-7 degree and the millisecond.
pq "SELECT mmsi || '|' || coalesce(to_char(time AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), '') || '|' || coalesce(floor(lat * 1e7)::bigint::text, '') || '|' || coalesce(floor(lon * 1e7)::bigint::text, '') || '|' || coalesce(round(sog::numeric, 1)::text, '') || '|' || coalesce(heading::text, '') || '|' || source_id FROM positions" | LC_ALL=C sort > "$T/pg.txt"
sq "SELECT mmsi || '|' || coalesce(time, '') || '|' || coalesce(CAST(floor(lat * 1e7) AS INTEGER), '') || '|' || coalesce(CAST(floor(lon * 1e7) AS INTEGER), '') || '|' || CASE WHEN sog IS NULL THEN '' ELSE printf('%.1f', sog) END || '|' || coalesce(heading, '') || '|' || source_id FROM positions" | LC_ALL=C sort > "$T/gpkg.txt"
a=$(md5sum < "$T/pg.txt" | cut -d' ' -f1); b=$(md5sum < "$T/gpkg.txt" | cut -d' ' -f1)
if [ "$a" != "$b" ]; then
	echo "positions differ:"; diff "$T/pg.txt" "$T/gpkg.txt" | head; exit 1
fi
echo "positions checksum $a in both"

# The geometry is the point of lon/lat, in EPSG:4326, wherever there is one.
n=$(pq "SELECT count(*) FROM positions WHERE geom IS NOT NULL AND (ST_SRID(geom) <> 4326 OR ST_X(geom) <> lon OR ST_Y(geom) <> lat)")
[ "$n" = 0 ] || { echo "$n geometries do not match lon/lat"; exit 1; }
a=$(pq "SELECT count(*) FROM positions WHERE geom IS NOT NULL"); b=$(sq "SELECT count(*) FROM positions WHERE geom IS NOT NULL")
[ "$a" = "$b" ] || { echo "geometries: PostGIS $a, GeoPackage $b"; exit 1; }
[ "$(pq "SELECT type || srid FROM geometry_columns WHERE f_table_name = 'positions'")" = POINT4326 ] || { echo "positions.geom is not geometry(Point,4326)"; exit 1; }
[ "$(pq "SELECT count(*) FROM pg_indexes WHERE tablename = 'positions' AND indexdef LIKE '%USING gist (geom)%'")" = 1 ] || { echo "no GiST index on positions"; exit 1; }
for ix in positions_pkey vessels_pkey vessels_mmsi; do
	[ "$(pq "SELECT count(*) FROM pg_indexes WHERE indexname = '$ix'")" = 1 ] || { echo "index $ix is missing"; exit 1; }
done
[ "$(pq "SELECT count(*) = count(DISTINCT id) AND max(id) <= (SELECT last_value FROM positions_id_seq) FROM positions")" = t ] || { echo "position ids or their sequence are wrong"; exit 1; }
[ "$(pq "SELECT count(*) FROM positions WHERE source_id = 3")" -gt 60000 ] || { echo "the large file is missing"; exit 1; }
# the index answers a window query like a scan does
a=$(pq "SET enable_seqscan = off; SELECT count(*) FROM positions WHERE geom && ST_MakeEnvelope(9, 54, 13, 58, 4326)")
b=$(sq "SELECT count(*) FROM positions WHERE lon BETWEEN 9 AND 13 AND lat BETWEEN 54 AND 58")
[ "$a" = "$b" ] || { echo "window query: PostGIS $a, GeoPackage $b"; exit 1; }

# Vessels and reports: the same merge in both backends.
pq "SELECT mmsi || '|' || coalesce(imo::text, '') || '|' || coalesce(name, '') || '|' || coalesce(callsign, '') || '|' || coalesce(ship_type::text, '') || '|' || coalesce(length::text, '') || '|' || n_positions || '|' || n_reports || '|' || coalesce(to_char(first_seen AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), '') FROM vessels" | LC_ALL=C sort > "$T/pgv.txt"
sq "SELECT mmsi || '|' || coalesce(imo, '') || '|' || coalesce(name, '') || '|' || coalesce(callsign, '') || '|' || coalesce(ship_type, '') || '|' || coalesce(length, '') || '|' || n_positions || '|' || n_reports || '|' || coalesce(first_seen, '') FROM vessels" | LC_ALL=C sort > "$T/gpv.txt"
cmp -s "$T/pgv.txt" "$T/gpv.txt" || { echo "vessels differ:"; diff "$T/pgv.txt" "$T/gpv.txt" | head; exit 1; }
pq "SELECT mmsi || '|' || coalesce(name, '') || '|' || coalesce(destination, '') || '|' || coalesce(eta, '') || '|' || coalesce(draught::text, '') FROM vessel_reports" | LC_ALL=C sort > "$T/pgr.txt"
sq "SELECT mmsi || '|' || coalesce(name, '') || '|' || coalesce(destination, '') || '|' || coalesce(eta, '') || '|' || coalesce(CASE WHEN draught = CAST(draught AS INTEGER) THEN CAST(CAST(draught AS INTEGER) AS TEXT) ELSE draught END, '') FROM vessel_reports" | LC_ALL=C sort > "$T/gpr.txt"
cmp -s "$T/pgr.txt" "$T/gpr.txt" || { echo "vessel reports differ:"; diff "$T/pgr.txt" "$T/gpr.txt" | head; exit 1; }
echo "vessels and reports match"

# Each source's SHA-256 (computed while the file went in, written at the
# end of its transaction) is the file's, in both backends.
for f in $FILES; do
	h=$(sha256sum < "$f" | cut -d' ' -f1)
	[ "$(pq "SELECT count(*) FROM sources WHERE sha256 = '$h'")" = 1 ] || { echo "$f: SHA-256 not recorded in PostGIS"; exit 1; }
	[ "$(sq "SELECT count(*) FROM sources WHERE sha256 = '$h'")" = 1 ] || { echo "$f: SHA-256 not recorded in the GeoPackage"; exit 1; }
done

# The same file again is skipped.
"$ST_BIN" ingest "$URL" "$AIS/noaa-marinecadastre-2023-01-11-sample.csv" 2>"$T/again.txt"
grep -q "already in the case" "$T/again.txt" || { echo "a second ingest was not skipped"; cat "$T/again.txt"; exit 1; }
[ "$(pq "SELECT count(*) FROM sources")" = 4 ] || { echo "sources changed"; exit 1; }

# Login refused and server down: clear errors, exit 2.
set +e
"$ST_BIN" ingest "$ST_PG_BADPW_URL" "$AIS/pyais-mixed.txt" 2>"$T/err1.txt"; rc1=$?
"$ST_BIN" info "$ST_PG_DOWN_URL" 2>"$T/err2.txt"; rc2=$?
set -e
cat "$T/err1.txt" "$T/err2.txt"
[ "$rc1" = 2 ] && grep -q "cannot connect" "$T/err1.txt" && grep -q "password authentication failed" "$T/err1.txt" || { echo "wrong password: exit $rc1"; exit 1; }
[ "$rc2" = 2 ] && grep -q "cannot connect" "$T/err2.txt" || { echo "server down: exit $rc2"; exit 1; }
if grep -q "wrong-$PG_PASSWORD" "$T/err1.txt"; then echo "the error shows the password"; exit 1; fi
echo "store_postgis: ok"

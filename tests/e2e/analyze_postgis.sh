#!/bin/sh
# analyze on PostGIS gives what it gives on a GeoPackage: the real AMSA
# tracks and the Danish NMEA sample are ingested into both backends (a
# throwaway PostgreSQL 15 + PostGIS server, tests/lib/pg.sh), analysed, and
# every output table compared by row count, then port calls, voyages and
# gaps row by row (times as epoch seconds). A re-run on PostGIS replaces the
# results.
set -eu
: "${ST_BIN:?}" "${ST_SHARED:?}" "${ST_SRC:?}"
command -v sqlite3 >/dev/null || { echo "sqlite3 is not installed"; exit 77; }
T=$(mktemp -d)
. "$ST_SRC/tests/lib/pg.sh"
cleanup() { pg_stop; rm -rf "$T"; }
trap cleanup EXIT
pg_start "$T" || { echo "no PostgreSQL 15 + PostGIS here: skipped"; exit 77; }
PSQL="$PG_BINDIR/psql -X -q -A -t -v ON_ERROR_STOP=1"
URL=$(pg_createdb stan)
FILES="$ST_SHARED/tracks/amsa-503000720-2014.csv $ST_SHARED/tracks/amsa-503000530-2014.csv $ST_SHARED/ais/dma-aislib-stream_example.txt"
# shellcheck disable=SC2086
"$ST_BIN" ingest --quiet-rejects "$URL" $FILES >/dev/null 2>&1
# shellcheck disable=SC2086
"$ST_BIN" ingest --quiet-rejects "$T/case.gpkg" $FILES >/dev/null 2>&1
"$ST_BIN" analyze "$URL"
"$ST_BIN" analyze --quiet "$T/case.gpkg"
pq() { $PSQL -d stan -c "$1"; }
sq() { sqlite3 -batch "$T/case.gpkg" "$1"; }
fail() { echo "FAIL: $*" >&2; exit 1; }

for t in segments port_calls voyages gaps encounters loitering vessel_identities runs; do
	a=$(pq "SELECT count(*) FROM $t"); b=$(sq "SELECT count(*) FROM $t")
	[ "$a" = "$b" ] || fail "$t: PostGIS has $a rows, GeoPackage $b"
	echo "$t: $a rows in both"
done
[ "$(pq "SELECT count(*) FROM port_calls")" -gt 10 ] || fail "too few port calls"

pq "SELECT mmsi, port_id, floor(extract(epoch FROM arrival))::bigint, floor(extract(epoch FROM departure))::bigint, how, arrival_seen, departure_seen FROM port_calls ORDER BY 1, 3, 2" >"$T/pc.pg"
sq "SELECT mmsi, port_id, CAST(strftime('%s', arrival) AS INTEGER), CAST(strftime('%s', departure) AS INTEGER), how, arrival_seen, departure_seen FROM port_calls ORDER BY 1, 3, 2" >"$T/pc.gp"
cmp -s "$T/pc.pg" "$T/pc.gp" || { diff "$T/pc.pg" "$T/pc.gp" | head; fail "port calls differ"; }
pq "SELECT mmsi, from_port, to_port, floor(extract(epoch FROM departure))::bigint, floor(extract(epoch FROM arrival))::bigint, last_port_country FROM voyages ORDER BY 1, 4" >"$T/v.pg"
sq "SELECT mmsi, from_port, to_port, CAST(strftime('%s', departure) AS INTEGER), CAST(strftime('%s', arrival) AS INTEGER), last_port_country FROM voyages ORDER BY 1, 4" >"$T/v.gp"
cmp -s "$T/v.pg" "$T/v.gp" || fail "voyages differ"
grep -q "^503000720|Brisbane|Gladstone|" "$T/v.pg" || fail "Brisbane to Gladstone voyage missing"
pq "SELECT mmsi, floor(extract(epoch FROM start_time))::bigint, round(hours::numeric, 3), flagged, coalesce(possible_ports, '') FROM gaps ORDER BY 1, 2" >"$T/g.pg"
sq "SELECT mmsi, CAST(strftime('%s', start_time) AS INTEGER), printf('%.3f', hours), flagged, coalesce(possible_ports, '') FROM gaps ORDER BY 1, 2" >"$T/g.gp"
cmp -s "$T/g.pg" "$T/g.gp" || { diff "$T/g.pg" "$T/g.gp" | head; fail "gaps differ"; }

# PostGIS types, flags, and a re-run that replaces
[ "$(pq "SELECT type FROM geometry_columns WHERE f_table_name = 'port_calls'")" = "POINT" ] || fail "port_calls geometry type"
[ "$(pq "SELECT flag FROM vessels WHERE mmsi = 503000720")" = "AU" ] || fail "flag"
n=$(pq "SELECT count(*) FROM port_calls")
"$ST_BIN" analyze --quiet "$URL"
[ "$(pq "SELECT count(*) FROM port_calls")" = "$n" ] || fail "re-run did not replace"
[ "$(pq "SELECT count(*) FROM runs WHERE stage = 'analyze'")" = "2" ] || fail "runs"
echo "analyze on PostGIS: same results as GeoPackage"

#!/bin/sh
# Screening on PostGIS gives what it gives on a GeoPackage: a throwaway
# PostgreSQL 15 server (tests/lib/pg.sh), the simulated Rajin case (AIS
# SIMULATED, the four shuttles with their real IMOs) and the real OFAC list
# loaded into both backends, `screen` run on both, and the list tables,
# screening matches with their time ranges, links and ranked summary
# compared row for row.
set -eu
: "${ST_BIN:?}" "${ST_SHARED:?}" "${ST_SRC:?}"
command -v sqlite3 >/dev/null || { echo "sqlite3 is not installed"; exit 77; }
T=$(mktemp -d)
. "$ST_SRC/tests/lib/pg.sh"
cleanup() { pg_stop; rm -rf "$T"; }
trap cleanup EXIT
pg_start "$T" || { echo "no PostgreSQL 15 + PostGIS here: skipped"; exit 77; }
PSQL="$PG_BINDIR/psql -X -q -A -t -v ON_ERROR_STOP=1"
URL=$(pg_createdb stscreen)
OFAC=$ST_SHARED/sanctions/ofac_sdn_2024-05-03.csv
pq() { $PSQL -d stscreen -c "$1"; }
sq() { sqlite3 -batch "$T/case.gpkg" "$1"; }
fail() { echo "FAIL: $*" >&2; exit 1; }

"$ST_BIN" simulate "$ST_SRC/data/scenarios/rajin-2023.json" -o "$T/sim" >/dev/null 2>&1
for C in "$URL" "$T/case.gpkg"; do
	"$ST_BIN" ingest --quiet-rejects "$C" "$T/sim/ais.nmea" 2>/dev/null
	"$ST_BIN" ingest "$C" --kind list "$OFAC" 2>/dev/null
	"$ST_BIN" screen "$C" 2>/dev/null
done

for t in list_entries entities entity_links screening links vessel_risk vessel_risk_summary; do
	a=$(pq "SELECT count(*) FROM $t"); b=$(sq "SELECT count(*) FROM $t")
	[ "$a" = "$b" ] || fail "$t: PostGIS $a rows, GeoPackage $b"
	echo "$t: $a rows in both"
done
[ "$(pq "SELECT count(*) FROM screening WHERE match_kind = 'imo'")" -ge 4 ] || fail "too few IMO matches"

pq "SELECT mmsi || '|' || entry_id || '|' || match_kind || '|' || score || '|' || to_char(valid_from AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS') || '|' || to_char(valid_to AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS') FROM screening" | LC_ALL=C sort > "$T/pg.txt"
sq "SELECT mmsi || '|' || entry_id || '|' || match_kind || '|' || printf('%g', score) || '|' || substr(valid_from, 1, 19) || '|' || substr(valid_to, 1, 19) FROM screening" | LC_ALL=C sort > "$T/gp.txt"
cmp -s "$T/pg.txt" "$T/gp.txt" || { diff "$T/pg.txt" "$T/gp.txt" | head; fail "screening differs"; }
pq "SELECT mmsi || '|' || target_entry_id || '|' || hops FROM links" | LC_ALL=C sort > "$T/pgl.txt"
sq "SELECT mmsi || '|' || target_entry_id || '|' || hops FROM links" | LC_ALL=C sort > "$T/gpl.txt"
cmp -s "$T/pgl.txt" "$T/gpl.txt" || { diff "$T/pgl.txt" "$T/gpl.txt" | head; fail "links differ"; }
pq "SELECT rank || '|' || mmsi || '|' || tier || '|' || indicators FROM vessel_risk_summary" | LC_ALL=C sort > "$T/pgs.txt"
sq "SELECT rank || '|' || mmsi || '|' || tier || '|' || indicators FROM vessel_risk_summary" | LC_ALL=C sort > "$T/gps.txt"
cmp -s "$T/pgs.txt" "$T/gps.txt" || { diff "$T/pgs.txt" "$T/gps.txt" | head; fail "summary differs"; }
[ "$(pq "SELECT count(*) FROM runs WHERE stage = 'screen'")" = 1 ] || fail "run not recorded"
echo "ok"

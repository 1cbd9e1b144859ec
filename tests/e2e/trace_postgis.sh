#!/bin/sh
# The provenance stage and the report on PostGIS: the same SIMULATED case
# ingested into a real PostgreSQL server (started by the test) and into a
# GeoPackage gives the same attributions, flows, monthly rows and findings;
# the report is written from the server; no password reaches the output.
set -eu
: "${ST_BIN:?}" "${ST_SRC:?}"
command -v sqlite3 >/dev/null || { echo "sqlite3 missing"; exit 77; }
T=$(mktemp -d)
chmod 755 "$T"
. "$ST_SRC/tests/lib/pg.sh"
pg_start "$T" || exit 77
trap 'pg_stop; rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
S="$T/sim"
G="$T/case.gpkg"
"$ST_BIN" simulate "$ST_SRC/data/scenarios/rajin-2023.json" -o "$S" >/dev/null 2>&1 || fail simulate
for C in "$G" "$ST_PG_URL"; do
	"$ST_BIN" ingest "$C" "$S/ais.nmea" >/dev/null 2>&1 || fail "ingest ais $C"
	"$ST_BIN" ingest "$C" --kind records "$S/records.csv" >/dev/null 2>&1 || fail "ingest records"
	"$ST_BIN" ingest "$C" --kind places "$S/places.csv" >/dev/null 2>&1 || fail "ingest places"
	"$ST_BIN" ingest "$C" --kind facilities "$S/facilities.csv" >/dev/null 2>&1 || fail "ingest facilities"
	"$ST_BIN" analyze "$C" >/dev/null 2>&1 || fail "analyze $C"
done
"$ST_BIN" trace "$G" >"$T/g.txt" || fail "trace gpkg"
"$ST_BIN" trace "$ST_PG_URL" >"$T/p.txt" || fail "trace postgis"
pw=$(printf '%s' "$ST_PG_URL" | sed 's|.*://[^:]*:\([^@]*\)@.*|\1|')
if grep -q -- "$pw" "$T/p.txt"; then fail "the password was printed"; fi
# the same findings, word for word, after the first line (the case name)
tail -n +2 "$T/g.txt" >"$T/g2.txt"
tail -n +2 "$T/p.txt" >"$T/p2.txt"
diff -u "$T/g2.txt" "$T/p2.txt" || fail "GeoPackage and PostGIS traces differ"
qg() { sqlite3 -batch -noheader "$G" "$1"; }
qp() { psql -X -A -t -q -c "$1"; }
same() { # same "what" sqlite-sql postgres-sql
	a=$(qg "$2" | tr '|' ' ')
	b=$(qp "$3" | tr '|' ' ')
	[ -n "$a" ] && [ "$a" = "$b" ] || fail "$1 differs: gpkg '$a', postgis '$b'"
}
same attributions "SELECT count(*), round(sum(tonnes), 1) FROM attributions" \
	"SELECT count(*), round(sum(tonnes)::numeric, 1) FROM attributions"
same flows "SELECT count(*), round(sum(tonnes), 1) FROM flows" \
	"SELECT count(*), round(sum(tonnes)::numeric, 1) FROM flows"
same monthly "SELECT group_concat(x, ',') FROM (SELECT month||':'||origin||':'||qualifying_arrivals||':'||selected_records AS x FROM monthly ORDER BY month, origin)" \
	"SELECT string_agg(month||':'||origin||':'||qualifying_arrivals||':'||selected_records, ',' ORDER BY month, origin) FROM monthly"
"$ST_BIN" report "$ST_PG_URL" -o "$T/r.html" 2>"$T/r.log" || { cat "$T/r.log"; fail "report from postgis"; }
if grep -q -- "$pw" "$T/r.html" "$T/r.log"; then fail "the password reached the report"; fi
grep -q "postgis backend" "$T/r.html" || fail "report does not name its backend"
echo "trace_postgis: ok"

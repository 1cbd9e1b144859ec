#!/bin/sh
# End to end: ingest the real AMSA tracks, the NOAA sample and the Danish
# NMEA stream into a fresh GeoPackage, run `shiptrace analyze`, and check
# the behaviour tables with SQL: the Brisbane/Gladstone vessel's calls and
# its one voyage, no voyage out of Sydney for the Sydney Harbour vessel,
# evidence ids that point at real positions, flags from the MID, the run
# recorded, a re-run that replaces rather than appends, --set taking effect,
# and a bad setting refused without touching the case.
set -eu
: "${ST_BIN:?}" "${ST_SHARED:?}"
command -v sqlite3 >/dev/null || { echo "sqlite3 missing"; exit 77; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
C="$T/case.gpkg"
fail() { echo "FAIL: $*" >&2; exit 1; }
q() { sqlite3 -batch -noheader "$C" "$1"; }
eq() { # eq "what" actual expected
	[ "$2" = "$3" ] || fail "$1: got '$2', expected '$3'"
}

"$ST_BIN" ingest "$C" "$ST_SHARED/tracks/amsa-503000720-2014.csv" \
	"$ST_SHARED/tracks/amsa-503000530-2014.csv" \
	"$ST_SHARED/ais/noaa-marinecadastre-2023-01-11-sample.csv" \
	"$ST_SHARED/ais/dma-aislib-stream_example.txt" >"$T/ingest.log" 2>&1 ||
	{ cat "$T/ingest.log"; fail "ingest"; }
"$ST_BIN" analyze "$C" >"$T/a1.log" || fail "analyze"
cat "$T/a1.log"

# 503000720: Brisbane and Gladstone only, first call before the data,
# Gladstone still there at the end, one voyage Brisbane -> Gladstone
eq "ports of 503000720" "$(q "SELECT group_concat(DISTINCT port_name) FROM (SELECT port_name FROM port_calls WHERE mmsi=503000720 ORDER BY port_name)")" "Brisbane,Gladstone"
eq "first call" "$(q "SELECT port_name||'|'||arrival_seen||'|'||arrival FROM port_calls WHERE mmsi=503000720 ORDER BY arrival LIMIT 1")" "Brisbane|0|2014-01-17T09:18:22.000Z"
eq "last call" "$(q "SELECT port_name||'|'||departure_seen||'|'||departure FROM port_calls WHERE mmsi=503000720 ORDER BY arrival DESC LIMIT 1")" "Gladstone|0|2014-12-29T00:54:34.000Z"
eq "voyage" "$(q "SELECT from_port||'>'||to_port||'|'||departure||'|'||arrival||'|'||last_port_country FROM voyages WHERE mmsi=503000720")" \
	"Brisbane>Gladstone|2014-12-02T23:49:29.000Z|2014-12-25T22:29:23.000Z|AU"
# the voyage's evidence is its two port calls
eq "voyage evidence" "$(q "SELECT count(*) FROM voyages v JOIN port_calls a ON a.id=v.from_call JOIN port_calls b ON b.id=v.to_call WHERE v.evidence='port_calls:'||a.id||','||b.id")" "1"

# 503000530 never leaves Sydney on a voyage
eq "Sydney voyages" "$(q "SELECT count(*) FROM voyages WHERE mmsi=503000530")" "0"
eq "Sydney calls" "$(q "SELECT count(*) FROM port_calls WHERE mmsi=503000530 AND port_name NOT IN ('Sydney','Botany Bay')")" "0"

# evidence ids are positions of the same vessel, first one at the arrival
eq "call evidence" "$(q "SELECT count(*) FROM port_calls c JOIN positions p ON p.id = CAST(substr(c.evidence, 11, instr(c.evidence, ',') - 11) AS INTEGER) WHERE p.mmsi = c.mmsi AND p.time = c.arrival")" \
	"$(q "SELECT count(*) FROM port_calls")"
eq "gap evidence" "$(q "SELECT count(*) FROM gaps g JOIN positions p ON p.id = CAST(substr(g.evidence, 11, instr(g.evidence, ',') - 11) AS INTEGER) WHERE p.mmsi = g.mmsi AND p.time = g.start_time")" \
	"$(q "SELECT count(*) FROM gaps")"
# every segment's points add up to the positions analysed
eq "segment points" "$(q "SELECT sum(points) FROM segments")" "$(q "SELECT count(*) FROM positions WHERE lat BETWEEN -90 AND 90 AND lon BETWEEN -180 AND 180")"

# flags from the MID; gaps flagged at 12 h
eq "flag" "$(q "SELECT flag||'|'||flag_mid||'|'||mmsi_kind FROM vessels WHERE mmsi=503000720")" "AU|503|ship"
eq "flag name" "$(q "SELECT flag_name FROM vessel_flags WHERE mmsi=503000720")" "Australia"
eq "every vessel flagged or explained" "$(q "SELECT count(*) FROM vessels v LEFT JOIN vessel_flags f ON f.mmsi=v.mmsi WHERE f.mmsi_kind IS NULL")" "0"
eq "gap flags" "$(q "SELECT count(*) FROM gaps WHERE flagged != (hours >= 12) OR hours < 6")" "0"
eq "identities" "$(q "SELECT count(*) > 0 FROM vessel_identities WHERE field='name'")" "1"

# the run is recorded; a re-run replaces the results, --set takes effect
eq "runs" "$(q "SELECT count(*) FROM runs WHERE stage='analyze' AND parameters LIKE '%\"port_anchorage_km\":10%' AND inputs LIKE '%amsa-503000720-2014.csv%' AND inputs LIKE '%ports.csv%'")" "1"
n1=$(q "SELECT count(*) FROM port_calls")
anch=$(q "SELECT count(*) FROM port_calls WHERE how='anchored_outside'")
[ "$anch" -gt 0 ] || fail "expected anchored_outside calls in the real data"
"$ST_BIN" analyze "$C" --set port_anchorage_km=0 --quiet || fail "re-run"
eq "runs after re-run" "$(q "SELECT count(*) FROM runs WHERE stage='analyze'")" "2"
eq "anchored with no anchorage" "$(q "SELECT count(*) FROM port_calls WHERE how='anchored_outside'")" "0"
"$ST_BIN" analyze "$C" --quiet || fail "third run"
eq "same results again" "$(q "SELECT count(*) FROM port_calls")" "$n1"

# a config file, and --set overriding it
printf 'gap_min_h = 48  # only long silences\n' >"$T/a.conf"
"$ST_BIN" analyze "$C" --config "$T/a.conf" --quiet || fail "config run"
eq "config" "$(q "SELECT count(*) FROM gaps WHERE hours < 48")" "0"
"$ST_BIN" analyze "$C" --set gap_min_h=6 --config "$T/a.conf" --quiet || fail "config + set"
eq "set over config" "$(q "SELECT count(*) > 0 FROM gaps WHERE hours < 48")" "1"
# one file for every stage: [analyze] is read, [provenance] left to trace
printf '[provenance]\nwindow_days = 3\n[analyze]\ngap_min_h = 48\n' >"$T/all.conf"
"$ST_BIN" analyze "$C" --config "$T/all.conf" --quiet || fail "sectioned config"
eq "sectioned config" "$(q "SELECT count(*) FROM gaps WHERE hours < 48")" "0"
if "$ST_BIN" analyze "$C" --config "$T" --quiet 2>/dev/null; then fail "a directory taken as config"; fi

# a bad setting: exit 2, case untouched
runs=$(q "SELECT count(*) FROM runs")
if "$ST_BIN" analyze "$C" --set gap_min_h=soon 2>"$T/err"; then fail "bad --set accepted"; fi
grep -q "gap_min_h" "$T/err" || fail "error does not name the parameter"
eq "runs unchanged" "$(q "SELECT count(*) FROM runs")" "$runs"

# user ports: a CSV point (made up: the mooring at the Brisbane river mouth
# where 503000720 lies, 14.8 km from the WPI point) and a GeoJSON polygon
# (made up: a box around Sydney Cove), without the shipped gazetteer
printf 'name,country,lat,lon,radius\nRiver Mouth Mooring,AU,-27.4015,153.1637,1\n' >"$T/ports.csv"
cat >"$T/cove.geojson" <<'JSON'
{"type": "FeatureCollection", "features": [{"type": "Feature",
 "properties": {"name": "Sydney Cove", "country": "AU"},
 "geometry": {"type": "Polygon", "coordinates": [[[151.16, -33.87], [151.22, -33.87],
   [151.22, -33.83], [151.16, -33.83], [151.16, -33.87]]]}}]}
JSON
"$ST_BIN" analyze "$C" --no-default-ports --ports "$T/ports.csv" --ports "$T/cove.geojson" --quiet || fail "user ports"
eq "user ports only" "$(q "SELECT group_concat(DISTINCT port_name) FROM (SELECT port_name FROM port_calls ORDER BY 1)")" "River Mouth Mooring,Sydney Cove"
eq "mooring calls" "$(q "SELECT count(*) > 10 FROM port_calls WHERE mmsi=503000720 AND port_name='River Mouth Mooring' AND how='stopped'")" "1"
eq "cove calls" "$(q "SELECT count(*) > 0 FROM port_calls WHERE mmsi=503000530 AND port_name='Sydney Cove'")" "1"
if "$ST_BIN" analyze "$C" --ports "$T/missing.csv" 2>"$T/err"; then fail "missing ports file accepted"; fi
grep -q "missing.csv" "$T/err" || fail "error does not name the ports file"
"$ST_BIN" analyze "$C" --quiet || fail "back to the shipped ports"

# GIS tools see the layers
if command -v ogrinfo >/dev/null; then
	ogrinfo -so "$C" port_calls | grep -q "Feature Count: $(q "SELECT count(*) FROM port_calls")" ||
		fail "ogrinfo port_calls"
	ogrinfo -so "$C" segments | grep -q "Geometry: Line String" || fail "ogrinfo segments"
fi
echo "analyze e2e: ok"

#!/bin/sh
# End to end on the SIMULATED Rajin case: simulate, ingest AIS, records,
# places and facilities, analyze, trace; then check the provenance tables
# with SQL and score the attributions against the simulator's ground truth
# (precision and recall at 0.9 or better). Also: an unknown parameter is
# refused, --set changes the result as documented, a re-run replaces the
# previous results, and a case without records says what to do.
set -eu
: "${ST_BIN:?}" "${ST_SRC:?}"
command -v sqlite3 >/dev/null || { echo "sqlite3 missing"; exit 77; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
C="$T/case.gpkg"
S="$T/sim"
fail() { echo "FAIL: $*" >&2; exit 1; }
q() { sqlite3 -batch -noheader "$C" "$1"; }
eq() { [ "$2" = "$3" ] || fail "$1: got '$2', expected '$3'"; }

"$ST_BIN" simulate "$ST_SRC/data/scenarios/rajin-2023.json" -o "$S" >"$T/sim.log" 2>&1 ||
	{ cat "$T/sim.log"; fail "simulate"; }
"$ST_BIN" ingest "$C" "$S/ais.nmea" >"$T/i.log" 2>&1 || { cat "$T/i.log"; fail "ingest ais"; }

# before records: a clear message and a non-zero exit
"$ST_BIN" analyze "$C" >/dev/null 2>&1 || fail "analyze"
if "$ST_BIN" trace "$C" >"$T/t0.log" 2>&1; then fail "trace without records succeeded"; fi
grep -q -- "--kind records" "$T/t0.log" || { cat "$T/t0.log"; fail "no hint to ingest records"; }

"$ST_BIN" ingest "$C" --kind records "$S/records.csv" >"$T/i.log" 2>&1 || { cat "$T/i.log"; fail "ingest records"; }
"$ST_BIN" ingest "$C" --kind places "$S/places.csv" >"$T/i.log" 2>&1 || { cat "$T/i.log"; fail "ingest places"; }
"$ST_BIN" ingest "$C" --kind facilities "$S/facilities.csv" >"$T/i.log" 2>&1 || { cat "$T/i.log"; fail "ingest facilities"; }
"$ST_BIN" trace "$C" >"$T/t1.log" || fail "trace"
cat "$T/t1.log"

# every record read, every explosives record at an origin port accounted
eq "records" "$(q "SELECT count(*) FROM records")" \
	"$(grep -c '' "$S/records.csv" | awk '{print $1-1}')"
total=$(q "SELECT round(sum(tonnes_attributed)+sum(tonnes_unattributed),1) FROM monthly")
eq "monthly total vs explosives" "$total" \
	"$(q "SELECT round(sum(tonnes),1) FROM records WHERE cargo_text LIKE '%зрывчат%'")"
eq "attributed in monthly" "$(q "SELECT round(sum(tonnes_attributed),1) FROM monthly")" \
	"$(q "SELECT round(sum(tonnes),1) FROM attributions")"
# lags within the window, evidence pointing at real rows
eq "lags in window" "$(q "SELECT count(*) FROM attributions WHERE lag_days < 0 OR lag_days > 7")" "0"
eq "evidence port calls exist" "$(q "SELECT count(*) FROM attributions a LEFT JOIN port_calls p ON p.id = a.port_call_id WHERE p.id IS NULL")" "0"
eq "high means a port-of-concern call" "$(q "SELECT count(*) FROM attributions a JOIN port_calls p ON p.id = a.port_of_concern_call_id WHERE a.confidence = 'high' AND p.port_of_concern = 1")" \
	"$(q "SELECT count(*) FROM attributions WHERE confidence = 'high'")"
# no decoys: no tanker, no arrival from the excluded countries
eq "no decoys" "$(q "SELECT count(*) FROM attributions a JOIN vessels v ON v.mmsi = a.mmsi WHERE v.ship_type BETWEEN 80 AND 89 OR v.ship_type BETWEEN 30 AND 39 OR v.ship_type BETWEEN 60 AND 69")" "0"
eq "no arrivals from CN/JP/KR/TW" "$(q "SELECT count(*) FROM attributions a JOIN port_calls p ON p.id = a.port_call_id WHERE p.prev_country IN ('CN','JP','KR','TW')")" "0"
# the empty December at Vostochny is visible
eq "December" "$(q "SELECT qualifying_arrivals||'|'||selected_records FROM monthly WHERE month='2023-12' AND origin='Vostochny'")" "0|0"
# sites, flows with geometry, findings with confidence
eq "sites" "$(q "SELECT count(*) FROM site_summary")" "16"
[ "$(q "SELECT count(*) FROM flows WHERE geom IS NOT NULL")" -ge 16 ] || fail "flows"
[ "$(q "SELECT count(*) FROM findings WHERE confidence IN ('high','medium','low')")" -ge 5 ] || fail "findings"
grep -q "p < 0.001" "$T/t1.log" || fail "permutation test not significant"
eq "run recorded" "$(q "SELECT count(*) FROM runs WHERE stage='trace'")" "1"

/usr/bin/python3 "$ST_SRC/scripts/evaluate.py" "$C" "$S/ground_truth.json" \
	--min-precision 0.9 --min-recall 0.9 || fail "precision/recall below 0.9"

# parameters change results as documented; re-runs replace
n7=$(q "SELECT count(*) FROM attributions")
"$ST_BIN" trace "$C" --set window_days=2 >/dev/null || fail "trace --set"
n2=$(q "SELECT count(*) FROM attributions")
[ "$n2" -lt "$n7" ] || fail "a 2-day window should attribute fewer records ($n2 vs $n7)"
eq "window recorded" "$(q "SELECT count(*) FROM runs WHERE stage='trace' AND parameters LIKE '%\"window_days\":2%'")" "1"
"$ST_BIN" trace "$C" --set require_port_of_concern=false --set exclude_last_port_countries= >/dev/null || fail "trace loose"
[ "$(q "SELECT count(*) FROM attributions WHERE confidence='low'")" -gt 0 ] || fail "loose rules should give low-confidence attributions"
if "$ST_BIN" trace "$C" --set windw_days=3 2>"$T/e.log"; then fail "unknown key accepted"; fi
grep -q "windw_days" "$T/e.log" || fail "unknown key not named"
# a typo in origin_ports is an error, not an empty result
if "$ST_BIN" trace "$C" --set origin_ports=Vostochny,Dunia 2>"$T/e.log"; then fail "unknown origin port accepted"; fi
grep -q "Dunia" "$T/e.log" || fail "unknown origin port not named"
# a config file: the [provenance] section is this stage's, others are skipped
printf '# made up\n[analyze]\ngap_min_h = 3\n[provenance]\nwindow_days = 2\n' >"$T/case.conf"
"$ST_BIN" trace "$C" --config "$T/case.conf" >/dev/null || fail "trace --config"
eq "config window" "$(q "SELECT count(*) FROM attributions")" "$n2"
if "$ST_BIN" trace "$C" --config "$T" 2>/dev/null; then fail "a directory taken as config"; fi
echo "trace_sim: ok"

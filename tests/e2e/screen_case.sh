#!/bin/sh
# Screening end to end on the real OFAC SDN list: a simulated Rajin case
# (SIMULATED AIS whose four shuttles carry the real IMOs of ANGARA, LADY R,
# MAIA-1 and MARIA) goes in, the real list goes in, `screen` runs, and the
# case must say, by SQL: each of the four matched by IMO to its own entry,
# never to LADY RANIA or SASCO ANGARA; their owners reached through the
# list's links; all four ranked in the first tier; the run recorded. Also:
# a malformed list names its bad lines and counts them, a mapping naming a
# missing column changes nothing, and screening a case without lists fails.
set -eu
: "${ST_BIN:?}" "${ST_SHARED:?}" "${ST_SRC:?}"
command -v sqlite3 >/dev/null || { echo "sqlite3 is not installed"; exit 77; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
C=$T/case.gpkg
OFAC=$ST_SHARED/sanctions/ofac_sdn_2024-05-03.csv
FIX=$ST_SRC/tests/fixtures
q() { sqlite3 -batch "$C" "$1"; }
fail() { echo "FAIL: $*" >&2; exit 1; }
expect() { # expect "what" "sql" "value"
	got=$(q "$2")
	[ "$got" = "$3" ] || fail "$1: expected '$3', got '$got'"
}

"$ST_BIN" simulate "$ST_SRC/data/scenarios/rajin-2023.json" -o "$T/sim" >/dev/null 2>&1
"$ST_BIN" ingest --quiet-rejects "$C" "$T/sim/ais.nmea" 2>/dev/null

# Screening a case without any list is an error that says what to do.
if "$ST_BIN" screen "$C" 2>"$T/nolist.err"; then fail "screen without lists succeeded"; fi
grep -q "kind list" "$T/nolist.err" || fail "no hint in: $(cat "$T/nolist.err")"

"$ST_BIN" ingest "$C" --kind list "$OFAC" 2>"$T/list.err"
grep -q "851 vessels" "$T/list.err" || fail "list summary: $(cat "$T/list.err")"
expect "list entries" "SELECT count(*) FROM list_entries WHERE list = 'OFAC SDN'" 14965
expect "list vessels" "SELECT count(*) FROM list_entries WHERE kind = 'vessel'" 851
expect "source row" "SELECT kind || ' ' || format || ' ' || messages FROM sources WHERE name LIKE '%ofac%'" "list ofac_sdn_csv 14965"

"$ST_BIN" screen "$C" 2>"$T/screen.err"

for pair in 9179842:ANGARA "9161003:LADY R" 9358010:MAIA-1 8517839:MARIA; do
	imo=${pair%%:*}
	name=${pair#*:}
	expect "IMO match $name" \
		"SELECT entry_name || '|' || score || '|' || decisive FROM screening WHERE imo = $imo AND match_kind = 'imo'" \
		"$name|1.0|1"
	expect "valid range $name" \
		"SELECT count(*) FROM screening WHERE imo = $imo AND match_kind = 'imo' AND valid_from IS NOT NULL AND valid_to > valid_from" 1
	expect "tier 1 $name" \
		"SELECT tier FROM vessel_risk_summary s JOIN screening c ON c.mmsi = s.mmsi WHERE c.imo = $imo AND c.match_kind = 'imo'" 1
done
# The namesakes are in the list but never matched.
expect "no LADY RANIA" "SELECT count(*) FROM screening WHERE entry_id IN ('36400', '44245')" 0
# Owners reached through "Linked To".
expect "ANGARA owner" \
	"SELECT hops FROM links WHERE entry_name = 'ANGARA' AND target_name = 'M LEASING LLC'" 1
expect "LADY R owner" \
	"SELECT count(*) FROM links WHERE entry_name = 'LADY R' AND target_name = 'TRANSMORFLOT LLC' AND hops = 1" 1
expect "links within depth" "SELECT count(*) FROM links WHERE hops > 2" 0
expect "indicators carry evidence" \
	"SELECT count(*) FROM vessel_risk WHERE indicator = 'listed' AND evidence LIKE 'screening:%'" \
	"$(q "SELECT count(DISTINCT mmsi) FROM screening WHERE decisive = 1 AND entry_listed = 1")"
expect "run recorded" "SELECT count(*) FROM runs WHERE stage = 'screen' AND parameters LIKE '%\"link_depth\":2%'" 1

# With the behaviour tables of `analyze`, the ships' calls at Rajin and
# their dark gaps appear as indicators whose evidence ids are real rows.
"$ST_BIN" analyze "$C" >/dev/null 2>&1
"$ST_BIN" screen "$C" 2>/dev/null
ladyr=$(q "SELECT mmsi FROM screening WHERE imo = 9161003 AND match_kind = 'imo'")
ev=$(q "SELECT evidence FROM vessel_risk WHERE mmsi = $ladyr AND indicator = 'port_of_concern_call'")
case "$ev" in port_calls:*) ;; *) fail "LADY R port call evidence: '$ev'" ;; esac
ids=${ev#port_calls:}
n=$(echo "$ids" | tr ',' '\n' | wc -l)
expect "evidence rows are calls in North Korea" \
	"SELECT count(*) FROM port_calls WHERE id IN ($ids) AND mmsi = $ladyr AND country = 'KP'" "$n"
expect "dark gaps" \
	"SELECT count(*) FROM vessel_risk WHERE mmsi = $ladyr AND indicator = 'dark_gap_possible_port_call' AND evidence LIKE 'gaps:%'" 1
expect "listed still first" "SELECT tier FROM vessel_risk_summary WHERE rank = 1" 1

# link_depth changes the walk; a re-run replaces the results.
"$ST_BIN" screen "$C" --set link_depth=1 2>/dev/null
expect "depth 1" "SELECT count(*) FROM links WHERE hops > 1" 0
expect "depth 1 still finds owners" "SELECT count(*) FROM links WHERE target_name = 'M LEASING LLC'" 1
expect "three runs" "SELECT count(*) FROM runs WHERE stage = 'screen'" 3
if "$ST_BIN" screen "$C" --set link_depth=0 2>/dev/null; then fail "link_depth=0 accepted"; fi
if "$ST_BIN" screen "$C" --set no_such=1 2>/dev/null; then fail "unknown setting accepted"; fi

# A malformed list: bad rows named by line and counted, the rest loaded.
"$ST_BIN" ingest "$C" --kind list --list-name "OFAC excerpt" \
	"$FIX/ofac-sdn-excerpt-malformed.csv" 2>"$T/bad.err"
for line in 11 12 13 14 16; do
	grep -q "ofac-sdn-excerpt-malformed.csv:$line:" "$T/bad.err" || fail "line $line not reported"
done
expect "rejected counted" \
	"SELECT rejected || ' ' || messages FROM sources WHERE name LIKE '%malformed%'" "5 12"
expect "excerpt entries" "SELECT count(*) FROM list_entries WHERE list = 'OFAC excerpt'" 12

# The same bytes again: skipped.
"$ST_BIN" ingest "$C" --kind list "$OFAC" 2>"$T/again.err"
grep -q "already in the case" "$T/again.err" || fail "re-ingest not skipped"

# A mapping naming a column the file lacks: nothing created.
if "$ST_BIN" ingest "$T/new.gpkg" --kind list --map "name=Nope,delimiter=;" \
	"$FIX/uk-style-list-made-up.csv" 2>"$T/map.err"; then fail "bad mapping accepted"; fi
[ ! -e "$T/new.gpkg" ] || fail "a case was created for a bad mapping"
grep -q "Nope" "$T/map.err" || fail "mapping error does not name the column"

# The made-up UK-style list and FtM lines load beside OFAC.
"$ST_BIN" ingest "$C" --kind list --map "$FIX/uk-style-list.map" \
	"$FIX/uk-style-list-made-up.csv" 2>/dev/null
"$ST_BIN" ingest "$C" --kind list "$FIX/ftm-made-up.jsonl" 2>/dev/null
expect "UK-style" "SELECT count(*) FROM list_entries WHERE list = 'EXAMPLE UK-STYLE LIST'" 5
expect "FtM unlisted vessel kept as entity" \
	"SELECT count(*) FROM entities WHERE list = 'OpenSanctions' AND kind = 'vessel' AND listed = 0" 2
"$ST_BIN" screen "$C" 2>/dev/null
# ANGARA is now on three lists: OFAC SDN, the excerpt and the UK-style one.
expect "three lists" "SELECT count(DISTINCT list) FROM screening WHERE imo = 9179842 AND match_kind = 'imo'" 3
echo "ok"

#!/bin/sh
# The main job: the Rajin case end to end on SIMULATED data. Simulates the
# bundled scenario, ingests it (AIS, shipment records, places, facilities,
# the real OFAC SDN list) into a fresh GeoPackage, runs every stage, writes
# the report, and prints the findings beside the published figures and the
# simulator's ground truth.
#   usage: [SEED=N] scripts/demo.sh [path/to/shiptrace] [output dir]
# SEED draws another simulated case from the same scenario.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
ST=${1:-$ROOT/build/shiptrace}
OUT=${2:-$ROOT/out/rajin-2023}
SHARED=$ROOT/../shared/data
case "$ST" in /*) ;; *) ST=$(pwd)/$ST ;; esac

start=$(date +%s.%N)
rm -rf "$OUT"
mkdir -p "$OUT"
CASE=$OUT/case.gpkg
LOG=$OUT/demo.log
: >"$LOG"
step() {
	printf '%-44s' "$1" >&2
	shift
	if "$@" >>"$LOG" 2>&1; then
		echo "ok" >&2
	else
		echo "FAILED (see $LOG)" >&2
		tail -20 "$LOG" >&2
		exit 1
	fi
}

echo "shiptrace demo: the Rajin case on SIMULATED data" >&2
step "simulate data/scenarios/rajin-2023.json" "$ST" simulate "$ROOT/data/scenarios/rajin-2023.json" -o "$OUT/sim" ${SEED:+--seed "$SEED"}
step "ingest AIS (NMEA with tag blocks)" "$ST" ingest "$CASE" "$OUT/sim/ais.nmea"
step "ingest shipment records (Windows-1251)" "$ST" ingest "$CASE" --kind records "$OUT/sim/records.csv"
step "ingest places" "$ST" ingest "$CASE" --kind places "$OUT/sim/places.csv"
step "ingest facilities" "$ST" ingest "$CASE" --kind facilities "$OUT/sim/facilities.csv"
if [ -f "$SHARED/sanctions/ofac_sdn_2024-05-03.csv" ]; then
	step "ingest the OFAC SDN list (real, 2024-05-03)" "$ST" ingest "$CASE" --kind list "$SHARED/sanctions/ofac_sdn_2024-05-03.csv"
fi
step "analyze (tracks, port calls, gaps, ...)" "$ST" analyze "$CASE"
if "$ST" --help | grep -q '^  screen'; then
	step "screen (sanctions lists, risk indicators)" "$ST" screen "$CASE"
fi
step "trace (cargo provenance)" sh -c '"$1" trace "$2" >"$3"' sh "$ST" "$CASE" "$OUT/trace.txt"
step "report" "$ST" report "$CASE" -o "$OUT/report.html"
end=$(date +%s.%N)

echo
sed -n '/^findings/,$p' "$OUT/trace.txt"
echo
/usr/bin/python3 "$ROOT/scripts/evaluate.py" "$CASE" "$OUT/sim/ground_truth.json"
echo
printf 'done in %.1f s\n' "$(echo "$end - $start" | bc)"
echo "case file: $CASE   (open in QGIS: Layer > Add Layer > Add Vector Layer; or sqlite3)"
echo "report:    $OUT/report.html   (open in a browser; prints to PDF)"

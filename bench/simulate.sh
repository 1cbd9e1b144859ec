#!/bin/sh
# bench/simulate: how fast `shiptrace simulate` makes AIS, and that its
# memory stays flat as the traffic grows. Runs the bundled Rajin scenario
# with the true ITU-R M.1371 intervals at --scale BENCH_SIM_SCALE (default
# 1: about 8 million position reports, 0.8 GB) and prints reports per
# second of wall and CPU time, bytes written and peak memory. For the
# 100-million-position data set: BENCH_SIM_SCALE=12 (about 10 GB of disk).
# The output goes to bench/work/sim and is removed afterwards unless
# BENCH_SIM_KEEP=1. Speed is only ever measured here, never asserted.
#   usage: bench/simulate.sh [path/to/shiptrace]
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
ST=${1:-$ROOT/build/shiptrace}
SCALE=${BENCH_SIM_SCALE:-1}
OUT=$HERE/work/sim
mkdir -p "$HERE/work"
rm -rf "$OUT"
TIME=""
[ -x /usr/bin/time ] && TIME="/usr/bin/time -f %e|%U|%M -o $HERE/work/sim.time"
start=$(date +%s.%N)
$TIME "$ST" simulate "$ROOT/data/scenarios/rajin-2023.json" -o "$OUT" --itu --scale "$SCALE" \
	--no-background-truth > "$HERE/work/sim.out"
end=$(date +%s.%N)
cat "$HERE/work/sim.out"
pos=$(sed -n 's/^  position reports *\([0-9]*\).*/\1/p' "$HERE/work/sim.out")
bytes=$(wc -c < "$OUT/ais.nmea")
wall=$(echo "$end - $start" | bc -l 2>/dev/null || awk "BEGIN{print $end - $start}")
printf 'scale %s: %s position reports, %s bytes of NMEA in %.1f s wall\n' "$SCALE" "$pos" "$bytes" "$wall"
awk -v p="$pos" -v w="$wall" 'BEGIN{printf "  %.0f position reports/s (wall)\n", p / w}'
if [ -f "$HERE/work/sim.time" ]; then
	IFS='|' read -r e u m < "$HERE/work/sim.time"
	awk -v p="$pos" -v u="$u" -v m="$m" 'BEGIN{printf "  %.0f position reports/s of CPU (user %.1f s), peak memory %.1f MB\n", p / u, u, m / 1024}'
fi
[ "${BENCH_SIM_KEEP:-0}" = 1 ] || rm -rf "$OUT"

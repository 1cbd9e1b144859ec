#!/bin/sh
# bench/decode: decoding speed beside the peers, on one corpus in one run.
# Builds bench/work/decode-corpus.nmea, the shared NMEA corpora repeated
# until it holds at least BENCH_SENTENCES (default 2,000,000) AIS sentences
# (tag blocks, $PGHP lines, USCG trailers, multi-sentence messages and the
# odd broken line included, as received), then times on that file:
#   wc -l                          the physical limit: reading the bytes
#   lines_bench                    shiptrace's line source alone, no decoding
#   shiptrace decode --format none decoding to records, no output
#   shiptrace decode               writing gpsd-style JSON lines
#   gpsdecode -u -j                gpsd's decoder (Debian gpsd-clients)
#   libais                         python3-ais's C++ decoder via /usr/bin/python3
# Each is run BENCH_RUNS times (default 3) and the best time is kept. Rates
# are computed on CPU time (user + system, from the kernel's rusage via
# bench/measure.py), which is
# what "per core" means and which other jobs on a shared machine disturb
# much less than wall time; the best wall time is printed beside it. Peak
# memory is the largest RSS seen. Prints sentences/s and ratios.
# Speed is only ever measured here, never asserted in a test.
#   usage: bench/decode.sh [path/to/shiptrace]
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
ST=${1:-$ROOT/build/shiptrace}
AIS=${ST_SHARED:-$ROOT/../shared/data}/ais
WANT=${BENCH_SENTENCES:-2000000}
RUNS=${BENCH_RUNS:-3}
WORK=$HERE/work
CORPUS=$WORK/decode-corpus.nmea
mkdir -p "$WORK"

# One pass over the shared corpora, in a fixed order.
set -- "$AIS"/*.txt "$AIS"/*.nm4 "$AIS"/*.nmea
cat "$@" > "$WORK/decode-one.nmea"
per=$(grep -c 'VD[MO],' "$WORK/decode-one.nmea")
reps=$(( (WANT + per - 1) / per ))
if [ ! -f "$CORPUS" ] || [ "$(cat "$CORPUS.reps" 2>/dev/null)" != "$reps:$(cksum < "$WORK/decode-one.nmea")" ]; then
	: > "$CORPUS"
	i=0
	while [ $i -lt "$reps" ]; do
		cat "$WORK/decode-one.nmea"
		i=$((i + 1))
	done > "$CORPUS"
	echo "$reps:$(cksum < "$WORK/decode-one.nmea")" > "$CORPUS.reps"
fi
nLine=$(wc -l < "$CORPUS")
nSent=$((per * reps))
nByte=$(wc -c < "$CORPUS")
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
echo "bench/decode: $nSent AIS sentences, $nLine lines, $((nByte / 1048576)) MiB ($reps x the shared NMEA corpora)"
echo "machine: $(nproc) cores, $cpu; best of $RUNS runs"

# best_of NAME CMD...: runs CMD RUNS times (stdout to /dev/null), keeps the
# best CPU and wall times (ns) and the largest peak RSS (KiB).
RESULTS=$WORK/decode-results.txt
: > "$RESULTS"
best_of() {
	name=$1
	shift
	best="" wall="" rss=0 i=0 rc=0
	while [ $i -lt "$RUNS" ]; do
		/usr/bin/python3 "$HERE/measure.py" "$@" > "$WORK/time.out" 2> "$WORK/stderr.out" || rc=$?
		[ "$rc" -eq 0 ] || { echo "  $name: failed (exit $rc):"; tail -3 "$WORK/stderr.out"; return 0; }
		read -r cpu ns kb < "$WORK/time.out"
		[ -z "$best" ] || [ "$cpu" -lt "$best" ] && best=$cpu
		[ -z "$wall" ] || [ "$ns" -lt "$wall" ] && wall=$ns
		[ "$kb" -gt "$rss" ] && rss=$kb
		i=$((i + 1))
	done
	echo "$name|$best|$wall|$rss" >> "$RESULTS"
}

best_of "wc -l" wc -l "$CORPUS"
# shiptrace's own floor: the line source every reader uses, lines found
# and handed out, nothing decoded (bench/lines_bench.c)
LB=$(dirname "$ST")/lines_bench
if [ -x "$LB" ]; then
	best_of "line source only" "$LB" "$CORPUS"
fi
if "$ST" decode --format none "$AIS/libais-tagblock.nmea" > /dev/null 2>&1; then
	best_of "shiptrace --format none" "$ST" decode --format none "$CORPUS"
else
	echo "  shiptrace --format none: not supported by this build; skipped"
fi
best_of "shiptrace JSONL" "$ST" decode "$CORPUS"
if command -v gpsdecode > /dev/null; then
	best_of "gpsdecode -u -j" sh -c 'gpsdecode -u -j < "$1"' gpsdecode "$CORPUS"
fi
if /usr/bin/python3 -c 'import ais' 2> /dev/null; then
	best_of "libais (python3-ais)" /usr/bin/python3 "$HERE/libais_decode.py" "$CORPUS"
fi

gpsd=$(awk -F'|' '$1 ~ /^gpsdecode/ { print $2 }' "$RESULTS")
printf '  %-24s %9s %9s %14s %9s  %s\n' "" "cpu s" "wall s" "sentences/s" "peak MiB" "vs gpsdecode"
awk -F'|' -v n="$nSent" -v gpsd="${gpsd:-0}" '
{
	cpu = $2 > 0 ? $2 : 1
	ratio = gpsd > 0 ? sprintf("%8.1fx", gpsd / cpu) : ""
	printf "  %-24s %9.3f %9.3f %14.0f %9.1f  %s\n", $1, $2 / 1e9, $3 / 1e9, n / (cpu / 1e9), $4 / 1024, ratio
}' "$RESULTS"
echo "  (sentences/s on CPU time: AIS sentences in the corpus / (user + system) seconds)"
echo "command: bench/decode.sh $ST (BENCH_SENTENCES=$WANT BENCH_RUNS=$RUNS)"

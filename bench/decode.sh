#!/bin/sh
# bench/decode: decoding speed beside the peers, on one corpus in one run.
# Builds bench/work/decode-corpus.nmea, the shared NMEA corpora repeated
# until it holds at least BENCH_SENTENCES (default 2,000,000) AIS sentences
# (tag blocks, $PGHP lines, USCG trailers, multi-sentence messages and the
# odd broken line included, as received), then times on that file:
#   wc -l                          the physical limit: reading the bytes
#   shiptrace decode --format none decoding to records, no output
#   shiptrace decode               writing gpsd-style JSON lines
#   gpsdecode -u -j                gpsd's decoder (Debian gpsd-clients)
#   libais                         python3-ais's C++ decoder via /usr/bin/python3
# Each is run BENCH_RUNS times (default 3) and the best wall time is kept;
# peak memory comes from /usr/bin/time. Prints sentences/s and ratios.
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
# best wall time in seconds and the largest peak RSS in MiB.
RESULTS=$WORK/decode-results.txt
: > "$RESULTS"
best_of() {
	name=$1
	shift
	best="" rss=0 i=0 rc=0
	while [ $i -lt "$RUNS" ]; do
		t0=$(date +%s%N)
		/usr/bin/time -f %M -o "$WORK/time.out" "$@" > /dev/null 2> "$WORK/stderr.out" || rc=$?
		t1=$(date +%s%N)
		[ "$rc" -eq 0 ] || { echo "  $name: failed (exit $rc):"; tail -3 "$WORK/stderr.out"; return 0; }
		ns=$((t1 - t0))
		[ -z "$best" ] || [ "$ns" -lt "$best" ] && best=$ns
		kb=$(tail -1 "$WORK/time.out")
		[ "$kb" -gt "$rss" ] && rss=$kb
		i=$((i + 1))
	done
	echo "$name $best $rss" >> "$RESULTS"
}

best_of "wc -l" wc -l "$CORPUS"
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

gpsd=$(awk '$1 == "gpsdecode" { print $(NF-1) }' "$RESULTS")
awk -v n="$nSent" -v gpsd="${gpsd:-0}" '
{
	rss = $NF; ns = $(NF-1); $NF = ""; $(NF-1) = ""; sub(/ +$/, "")
	rate = n / (ns / 1e9)
	ratio = gpsd > 0 ? sprintf("%7.1fx gpsdecode", gpsd / ns) : ""
	printf "  %-26s %8.3f s %12.0f sentences/s %7.1f MiB  %s\n", $0, ns / 1e9, rate, rss / 1024, ratio
}' "$RESULTS"
echo "command: bench/decode.sh $ST (BENCH_SENTENCES=$WANT BENCH_RUNS=$RUNS)"

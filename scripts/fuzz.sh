#!/bin/sh
# Runs every libFuzzer target built in BUILD_DIR (fuzz_<name>) for SECONDS
# each, starting from the committed seeds in tests/fuzz/corpus/<name>/ and
# every crasher already found. New corpus entries go to a scratch copy, so
# the committed seeds only change when scripts/fuzz-seeds.sh is run. Any
# crash, leak or timeout file is copied into tests/fuzz/crashers/<name>/
# (the test suite replays those forever after) and the run fails.
#   usage: scripts/fuzz.sh BUILD_DIR SECONDS
set -u
BUILD=${1:?usage: fuzz.sh BUILD_DIR SECONDS}
SECONDS_EACH=${2:-60}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
MAX_LEN=${FUZZ_MAX_LEN:-4096}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/st-fuzz.XXXXXX")
trap 'rm -rf "$WORK"' EXIT INT TERM

found=0
ran=0
for bin in "$BUILD"/fuzz_*; do
	[ -x "$bin" ] || continue
	name=$(basename "$bin" | sed 's/^fuzz_//')
	seeds="$ROOT/tests/fuzz/corpus/$name"
	crashers="$ROOT/tests/fuzz/crashers/$name"
	corpus="$WORK/corpus-$name"
	art="$WORK/artifacts-$name"
	mkdir -p "$corpus" "$art"
	[ -d "$seeds" ] && cp "$seeds"/* "$corpus"/ 2>/dev/null
	[ -d "$crashers" ] && cp "$crashers"/* "$corpus"/ 2>/dev/null
	echo "fuzz: $name for ${SECONDS_EACH}s (max_len $MAX_LEN, $(ls "$corpus" | wc -l) seeds)"
	ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} \
	UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
	"$bin" -max_total_time="$SECONDS_EACH" -max_len="$MAX_LEN" -timeout=10 \
		-rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$art/" "$corpus" > "$WORK/log-$name" 2>&1
	rc=$?
	ran=$((ran + 1))
	grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|#[0-9]+ +DONE)' \
		"$WORK/log-$name" | sed "s/^/fuzz: $name: /"
	n=$(ls "$art" | wc -l)
	if [ "$rc" -ne 0 ] || [ "$n" -ne 0 ]; then
		found=1
		mkdir -p "$crashers"
		for a in "$art"/*; do
			[ -e "$a" ] || continue
			cp "$a" "$crashers/"
			echo "fuzz: $name: FOUND $(basename "$a") -> tests/fuzz/crashers/$name/"
		done
		echo "fuzz: $name: exit $rc; last lines of its log:"
		tail -40 "$WORK/log-$name"
	fi
done

if [ "$ran" -eq 0 ]; then
	echo "fuzz: no fuzz_* binaries in $BUILD (configure with -DST_FUZZ=ON and clang)" >&2
	exit 1
fi
[ "$found" -eq 0 ] || { echo "fuzz: FAILED: commit the crashers and fix them" >&2; exit 1; }
echo "fuzz: $ran targets, no crash"

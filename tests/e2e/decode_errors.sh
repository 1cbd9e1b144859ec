#!/bin/sh
# Exit codes and messages: --strict, rejected lines on stderr as
# FILE:LINE: reason: text, --quiet-rejects, unreadable and unknown inputs,
# bad options. Exit 0 ok, 1 rejected lines under --strict, 2 errors.
set -eu
: "${ST_BIN:?}" "${ST_SHARED:?}"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
run() { # expected-exit args...
	want=$1
	shift
	set +e
	"$ST_BIN" decode "$@" > "$T/out" 2> "$T/err"
	got=$?
	set -e
	[ "$got" -eq "$want" ] || fail "decode $*: exit $got, expected $want: $(head -3 "$T/err")"
}
MIXED="$ST_SHARED/ais/pyais-mixed.txt"
CLEAN="$ST_SHARED/ais/dma-aislib-stream_example.txt"

run 0 "$MIXED"
grep -q "pyais-mixed.txt:7: non_ais_nmea: \$GPGGA,184353.07" "$T/err" || fail "reject line for \$GPGGA"
grep -q "pyais-mixed.txt:14: unparseable: foobar\$" "$T/err" || fail "reject line for foobar"
nshown=$(grep -c "^$MIXED:[0-9]*: " "$T/err")
nrej=$(sed -n 's/^shiptrace decode: .* \([0-9]*\) rejected.*$/\1/p' "$T/err")
[ "$nshown" -eq "$nrej" ] || fail "$nshown rejects shown, $nrej counted"
run 1 --strict "$MIXED"
run 1 --strict --quiet-rejects "$MIXED"
[ "$(grep -c "^$MIXED:" "$T/err" || true)" -eq 0 ] || fail "--quiet-rejects still printed"
grep -q " $nrej rejected" "$T/err" || fail "--quiet-rejects: not counted"
run 0 --strict "$CLEAN"

# Rejected text is cut at 80 characters and control bytes are escaped.
printf '!AIVDM,1,1,,A,13HOI:0P0000VOHLCnHQKwvL05Ip,0*23\n\001junk%0100d\n' 0 > "$T/ctl.nmea"
run 1 --strict "$T/ctl.nmea"
grep -q "ctl.nmea:2: unparseable: \\\\x01junk0000" "$T/err" || fail "control byte not escaped"
len=$(grep "ctl.nmea:2:" "$T/err" | sed 's/.*unparseable: //' | awk '{ print length($0) }')
[ "$len" -eq 83 ] || fail "shown text is $len characters, expected 80 (+3 for the escape)"

# Unreadable and unknown inputs: exit 2, the file named; other files are
# still decoded.
run 2 "$T/no-such-file.nm4"
grep -q "no-such-file.nm4: cannot open" "$T/err" || fail "missing file not named"
run 2 "$ST_SHARED/ais/libais-typeexamples.json"
grep -q "libais-typeexamples.json: unknown format" "$T/err" || fail "unknown format not named"
# binary data with a stray '$' at a line start is not NMEA (made up)
{ printf '\211PNG\000\001\n$\001\002\003\004\005\006\007\010\n'; head -c 20000 /dev/urandom | tr -d '\n'; } >"$T/binary.bin"
run 2 "$T/binary.bin"
grep -q "binary.bin: unknown format" "$T/err" || fail "binary input taken for NMEA"
run 2 "$T/no-such-file.nm4" "$CLEAN"
[ "$(wc -l < "$T/out")" -eq 4051 ] || fail "the readable file was not decoded"
mkdir "$T/dir"
run 2 "$T/dir"
grep -q "is a directory" "$T/err" || fail "directory"
# A truncated gzip file: what precedes the cut is decoded, then exit 2.
gzip -c "$CLEAN" | head -c 20000 > "$T/cut.gz"
run 2 "$T/cut.gz"
grep -q "cut.gz: truncated gzip stream" "$T/err" || fail "truncated gzip: $(cat "$T/err")"
[ "$(wc -l < "$T/out")" -gt 100 ] || fail "truncated gzip: nothing decoded before the cut"

# Output that cannot be written is an error, not a silent loss.
if [ -w /dev/full ]; then
	set +e
	"$ST_BIN" decode "$CLEAN" > /dev/full 2> "$T/err"
	got=$?
	set -e
	[ "$got" -eq 2 ] || fail "writing to /dev/full: exit $got"
	grep -q "cannot write output" "$T/err" || fail "writing to /dev/full: no message"
fi

# Usage errors.
run 2 --format xml "$CLEAN"
run 2 --input-format xml "$CLEAN"
run 2 --input-format csv "$CLEAN"
run 2 --bogus "$CLEAN"
run 2 --map "mmsi=a,time=b" "$CLEAN"
grep -q "required" "$T/err" || fail "incomplete mapping not explained"
run 0 --help
grep -q "usage: shiptrace decode" "$T/out" || fail "--help"
echo ok

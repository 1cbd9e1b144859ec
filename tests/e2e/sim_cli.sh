#!/bin/sh
# `shiptrace simulate` from the command line: usage errors exit 2, a bad
# scenario exits 1 with a message naming the file and writes nothing, the
# same --seed gives the same bytes and another seed other bytes, --scale
# multiplies the background vessels, and every output says SIMULATED.
set -eu
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
SC="$ST_SRC/tests/data/sim-small.json"
fail() { echo "FAIL: $*"; exit 1; }

set +e
"$ST_BIN" simulate > /dev/null 2>&1; [ $? -eq 2 ] || fail "no arguments: exit $?"
"$ST_BIN" simulate "$SC" > /dev/null 2>&1; [ $? -eq 2 ] || fail "no -o"
"$ST_BIN" simulate "$SC" -o "$T/x" --seed abc > /dev/null 2>&1; [ $? -eq 2 ] || fail "bad seed"
"$ST_BIN" simulate "$SC" -o "$T/x" --scale 0 > /dev/null 2>&1; [ $? -eq 2 ] || fail "zero scale"
"$ST_BIN" simulate "$SC" -o "$T/x" --bogus > /dev/null 2>&1; [ $? -eq 2 ] || fail "unknown option"
printf '{"start": "2023-01-01",\n "end": 5,\n' > "$T/bad.json"
"$ST_BIN" simulate "$T/bad.json" -o "$T/bad" > /dev/null 2> "$T/err"; rc=$?
set -e
[ $rc -eq 1 ] || fail "bad scenario: exit $rc"
grep -q "bad.json: line" "$T/err" || { cat "$T/err"; fail "message does not name the file and line"; }
[ ! -e "$T/bad" ] || fail "a bad scenario left output behind"

"$ST_BIN" simulate "$SC" -o "$T/a" --seed 5 > "$T/a.out"
"$ST_BIN" simulate "$SC" -o "$T/b" --seed 5 > /dev/null
"$ST_BIN" simulate "$SC" -o "$T/c" --seed 6 > /dev/null
for f in ais.nmea records.csv records.map.json places.csv facilities.csv ground_truth.json; do
	cmp -s "$T/a/$f" "$T/b/$f" || fail "$f differs for the same seed"
done
! cmp -s "$T/a/ais.nmea" "$T/c/ais.nmea" || fail "ais.nmea identical for another seed"
! cmp -s "$T/a/records.csv" "$T/c/records.csv" || fail "records.csv identical for another seed"

# labelled
head -1 "$T/a/ais.nmea" | grep -q '^# SIMULATED' || fail "ais.nmea not labelled"
grep -q '"simulated": *true' "$T/a/ground_truth.json" || fail "ground truth not labelled"
grep -q '"simulated":[[:space:]]*true' "$T/a/records.map.json" || fail "map not labelled"
n=$(tail -n +2 "$T/a/places.csv" | grep -vc 'SIMULATED' || true)
[ "$n" -eq 0 ] || fail "$n places rows not labelled"
n=$(tail -n +2 "$T/a/facilities.csv" | grep -vc 'SIMULATED' || true)
[ "$n" -eq 0 ] || fail "$n facilities rows not labelled"
if command -v iconv > /dev/null 2>&1; then
	iconv -f WINDOWS-1251 -t UTF-8 "$T/a/records.csv" > "$T/r.utf8" || fail "records.csv is not Windows-1251"
	n=$(tail -n +2 "$T/r.utf8" | grep -vc 'СМОДЕЛИРОВАНО' || true)
	[ "$n" -eq 0 ] || fail "$n records not labelled"
	head -1 "$T/r.utf8" | grep -q '^Номер документа;Дата отправления;' || fail "records header"
fi

# --scale multiplies the background (5 vessels in the fixture, 1 named)
"$ST_BIN" simulate "$SC" -o "$T/s" --scale 3 > "$T/s.out"
grep -q 'vessels  *6$' "$T/a.out" || { cat "$T/a.out"; fail "vessel count at scale 1"; }
grep -q 'vessels  *16$' "$T/s.out" || { cat "$T/s.out"; fail "vessel count at scale 3"; }
echo "simulate CLI: ok"

#!/bin/sh
# Nothing half-written: a large AIS file (a real receiver stream repeated
# into the temporary directory) is being ingested into a case that already
# holds one file when the ingest is killed with SIGKILL in the middle of
# its transaction. The case must then open, `info` must work, the killed
# file must have left no trace (no source row, no position, no report), the
# file and its R-tree must pass SQLite's checks, and ingesting the file
# again must complete it with every position.
set -eu
: "${ST_BIN:?}" "${ST_SHARED:?}"
command -v sqlite3 >/dev/null || { echo "sqlite3 is not installed"; exit 77; }
T=$(mktemp -d)
PID=
cleanup() { [ -n "$PID" ] && kill -9 "$PID" 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT
AIS=$ST_SHARED/ais
C=$T/case.gpkg
q() { sqlite3 -batch "$C" "$1"; }

"$ST_BIN" ingest "$C" "$AIS/noaa-marinecadastre-2023-01-11-sample.csv"
nSmall=$(q "SELECT count(*) FROM positions")

# About 45 MB: long enough an ingest to be caught in the middle; one
# broken line first, which a later run must not show for a skipped file.
i=0
{
	echo '!AIVDM,1,1,,A,13aEOK?P00PD2wVMdLDRhgvL289?,0*00'
	while [ $i -lt 100 ]; do cat "$AIS/dma-aislib-stream_example.txt"; i=$((i + 1)); done
} > "$T/big.nmea"

"$ST_BIN" ingest --quiet-rejects "$C" "$T/big.nmea" 2>"$T/ingest1.err" &
PID=$!
# Wait until the file's transaction is writing (the rollback journal is
# there and the database has grown), then kill.
size0=$(stat -c %s "$C")
n=0
while :; do
	if [ -f "$C-journal" ] && [ "$(stat -c %s "$C")" -gt $((size0 + 4000000)) ]; then
		break
	fi
	if ! kill -0 "$PID" 2>/dev/null; then
		echo "the ingest ended before it could be killed:"; cat "$T/ingest1.err"; exit 1
	fi
	n=$((n + 1))
	[ $n -lt 6000 ] || { echo "the ingest never got going"; exit 1; }
	sleep 0.01
done
kill -9 "$PID"
wait "$PID" 2>/dev/null || true
PID=
[ -f "$C-journal" ] || { echo "no hot journal after the kill: was it mid-transaction?"; exit 1; }
echo "killed mid-ingest with the case at $(stat -c %s "$C") bytes and a hot journal"

# The case opens and is exactly what it was before the killed file.
"$ST_BIN" info "$C" > "$T/info.txt"
cat "$T/info.txt"
grep -q "^sources     1$" "$T/info.txt" || { echo "info: not one source"; exit 1; }
grep -q "^positions   $nSmall$" "$T/info.txt" || { echo "info: positions changed"; exit 1; }
[ ! -f "$C-journal" ] || [ ! -s "$C-journal" ] || { echo "the journal was not rolled back"; exit 1; }
[ "$(q "PRAGMA integrity_check")" = ok ] || { echo "integrity check failed"; exit 1; }
[ "$(q "SELECT rtreecheck('rtree_positions_geom')")" = ok ] || { echo "R-tree check failed"; exit 1; }
[ "$(q "SELECT count(*) FROM positions WHERE source_id NOT IN (SELECT id FROM sources)")" = 0 ] || { echo "positions without their source"; exit 1; }
[ "$(q "SELECT count(*) FROM vessel_reports WHERE source_id NOT IN (SELECT id FROM sources)")" = 0 ] || { echo "reports without their source"; exit 1; }
[ "$(q "SELECT count(*) FROM sources s WHERE NOT EXISTS (SELECT 1 FROM positions p WHERE p.source_id = s.id)")" = 0 ] || { echo "a source without its positions"; exit 1; }
[ "$(q "SELECT sum(n_positions) FROM vessels")" = "$nSmall" ] || { echo "vessels counts do not add up"; exit 1; }
[ "$(q "SELECT count(*) FROM rtree_positions_geom")" = "$(q "SELECT count(*) FROM positions WHERE geom IS NOT NULL")" ] || { echo "R-tree and positions disagree"; exit 1; }
[ "$(q "SELECT count(*) FROM sqlite_master WHERE name = 'rtree_positions_geom_insert'")" = 1 ] || { echo "the R-tree trigger is missing"; exit 1; }

# Ingesting again completes it.
"$ST_BIN" ingest --quiet-rejects "$C" "$T/big.nmea" 2>"$T/ingest2.err"
cat "$T/ingest2.err"
nBig=$(sed -n 's/.* messages, \([0-9]*\) positions,.*/\1/p' "$T/ingest2.err")
[ -n "$nBig" ] && [ "$nBig" -gt 250000 ] || { echo "the second ingest did not report its positions"; exit 1; }
[ "$(q "SELECT count(*) FROM sources")" = 2 ] || { echo "not two sources"; exit 1; }
[ "$(q "SELECT count(*) FROM positions WHERE source_id = 2")" = "$nBig" ] || { echo "positions of the big file missing"; exit 1; }
[ "$(q "SELECT count(*) FROM positions")" = $((nSmall + nBig)) ] || { echo "positions total wrong"; exit 1; }
[ "$(q "SELECT sum(n_positions) FROM vessels")" = $((nSmall + nBig)) ] || { echo "vessels counts do not add up"; exit 1; }
[ "$(q "SELECT rtreecheck('rtree_positions_geom')")" = ok ] || { echo "R-tree check failed"; exit 1; }
[ "$(q "SELECT count(*) FROM rtree_positions_geom")" = "$(q "SELECT count(*) FROM positions WHERE geom IS NOT NULL")" ] || { echo "R-tree and positions disagree"; exit 1; }
# The big file's SHA-256 was computed while it went in and recorded at the
# end; its bytes under another name are found as soon as that hash is done
# and go back out: the case is unchanged, and the run is not a failure.
[ "$(q "SELECT sha256 FROM sources WHERE id = 2")" = "$(sha256sum < "$T/big.nmea" | cut -d' ' -f1)" ] || { echo "the recorded SHA-256 is wrong"; exit 1; }
cp "$T/big.nmea" "$T/again.nmea"
"$ST_BIN" ingest "$C" "$T/again.nmea" 2>"$T/ingest3.err" || { echo "a skipped file made the ingest fail"; cat "$T/ingest3.err"; exit 1; }
cat "$T/ingest3.err"
grep -q "again.nmea: already in the case (source 2," "$T/ingest3.err" || { echo "the copy was not skipped"; exit 1; }
! grep -q "again.nmea:[0-9]" "$T/ingest3.err" || { echo "rejected lines of a skipped file were shown"; exit 1; }
[ "$(q "SELECT count(*) FROM sources")" = 2 ] || { echo "the copy added a source"; exit 1; }
[ "$(q "SELECT count(*) FROM positions")" = $((nSmall + nBig)) ] || { echo "the copy added positions"; exit 1; }
[ "$(q "SELECT count(*) FROM sources WHERE sha256 IS NULL")" = 0 ] || { echo "a source without its SHA-256"; exit 1; }
echo "store_atomic: ok ($nBig positions after the retry)"

#!/bin/sh
# Clear errors, a non-zero exit and no partial case for: an unwritable
# path, an SQLite file that is not a case, a bad URL, a server that is down,
# a file in no known format, an unknown --kind. (A server refusing the
# login needs a running server: tests/e2e/store_postgis.sh checks it.)
set -eu
: "${ST_BIN:?}" "${ST_SHARED:?}"
command -v sqlite3 >/dev/null || { echo "sqlite3 is not installed"; exit 77; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
AIS=$ST_SHARED/ais
GOOD=$AIS/pyais-mixed.txt

# expect CODE PATTERN COMMAND...: runs the command, wants that exit status
# and the pattern in its stderr.
expect() {
	code=$1; pat=$2; shift 2
	set +e
	"$@" >"$T/out" 2>"$T/err"
	rc=$?
	set -e
	if [ "$rc" != "$code" ] || ! grep -q -- "$pat" "$T/err"; then
		echo "FAILED: $* -> exit $rc (wanted $code), stderr:"; cat "$T/err"
		exit 1
	fi
	echo "ok: $* -> $(head -n 1 "$T/err")"
}
no_file() { [ ! -e "$1" ] || { echo "FAILED: $1 was left behind"; exit 1; }; }
no_strays() {
	n=$(find "$T" -maxdepth 3 -name '*.tmp-*' -o -maxdepth 3 -name '*-journal' | wc -l)
	[ "$n" = 0 ] || { echo "FAILED: temporary files left:"; find "$T"; exit 1; }
}

# Unwritable paths: a directory that is not there, a file used as a
# directory, and a place nobody may write (even root).
expect 2 "cannot create" "$ST_BIN" ingest "$T/nodir/case.gpkg" "$GOOD"
no_file "$T/nodir"
touch "$T/plainfile"
expect 2 "cannot create" "$ST_BIN" ingest "$T/plainfile/case.gpkg" "$GOOD"
expect 2 "cannot create" "$ST_BIN" ingest /proc/shiptrace-case.gpkg "$GOOD"
no_strays

# An SQLite file that is not a case is left exactly as it was.
sqlite3 "$T/other.sqlite" "CREATE TABLE t(x); INSERT INTO t VALUES (42);"
sum0=$(md5sum < "$T/other.sqlite")
expect 2 "not a shiptrace case" "$ST_BIN" ingest "$T/other.sqlite" "$GOOD"
expect 2 "not a shiptrace case" "$ST_BIN" info "$T/other.sqlite"
[ "$(md5sum < "$T/other.sqlite")" = "$sum0" ] || { echo "FAILED: the SQLite file was changed"; exit 1; }
# nor is a text file, nor a GeoPackage of someone else's
cp "$GOOD" "$T/text.gpkg"
expect 2 "not a shiptrace case" "$ST_BIN" ingest "$T/text.gpkg" "$GOOD"
cmp -s "$GOOD" "$T/text.gpkg" || { echo "FAILED: the text file was changed"; exit 1; }
sqlite3 "$T/theirs.gpkg" "PRAGMA application_id = 1196444487; CREATE TABLE gpkg_contents(table_name TEXT);"
expect 2 "not a shiptrace case" "$ST_BIN" ingest "$T/theirs.gpkg" "$GOOD"

# Bad URLs.
expect 2 "bad URL" "$ST_BIN" ingest "postgresql://u@localhost:5432/db?nosuchoption=1" "$GOOD"
expect 2 "bad URL" "$ST_BIN" info "postgresql://[::1"
expect 2 "unsupported URL" "$ST_BIN" ingest "http://example.org/case" "$GOOD"

# A server that is down: a loopback port nothing listens on.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
expect 2 "cannot connect" "$ST_BIN" ingest "postgresql://u:secret@127.0.0.1:$port/db" "$GOOD"
grep -q secret "$T/err" && { echo "FAILED: the password is in the message"; exit 1; }

# An empty file: nothing to ingest, nothing created.
: >"$T/empty.nmea"
expect 2 "empty file" "$ST_BIN" ingest "$T/new.gpkg" "$T/empty.nmea"
no_file "$T/new.gpkg"

# A file in no known format: nothing is created...
expect 2 "unknown format" "$ST_BIN" ingest "$T/new.gpkg" "$AIS/libais-typeexamples.json"
no_file "$T/new.gpkg"
# ...even after good files on the same command line...
expect 2 "unknown format" "$ST_BIN" ingest "$T/new.gpkg" "$GOOD" "$AIS/libais-typeexamples.json"
no_file "$T/new.gpkg"
# ...and an existing case is not touched.
"$ST_BIN" ingest --quiet-rejects "$T/case.gpkg" "$GOOD" 2>/dev/null
sum0=$(md5sum < "$T/case.gpkg")
expect 2 "unknown format" "$ST_BIN" ingest "$T/case.gpkg" "$AIS/libais-tagblock.json"
[ "$(md5sum < "$T/case.gpkg")" = "$sum0" ] || { echo "FAILED: the case was changed"; exit 1; }
# a file that is not there
expect 2 "No such file" "$ST_BIN" ingest "$T/case.gpkg" "$T/missing.nmea"

# Kinds: unknown, and known but not in this build.
expect 2 "unknown --kind 'ships'" "$ST_BIN" ingest --kind ships "$T/case.gpkg" "$GOOD"
# info on a case that does not exist does not create it
expect 2 "no such case" "$ST_BIN" info "$T/absent.gpkg"
no_file "$T/absent.gpkg"
no_strays
echo "store_errors: ok"

# Start and stop a throwaway PostgreSQL 15 + PostGIS server for a test or a
# benchmark. Source this file, then:
#
#   pg_start "$TMPDIR_OF_THE_TEST" || exit 77   # 77: no PostgreSQL here
#   trap pg_stop EXIT
#   "$ST_BIN" ingest "$ST_PG_URL" file.nmea
#
# pg_start makes a cluster in DIR/pg (initdb), starts it on a free loopback
# port with its unix socket in DIR/pg, and exports ST_PG_URL (a
# postgresql:// URL with password), ST_PG_BADPW_URL (same, wrong password),
# ST_PG_DOWN_URL (a port nothing listens on) and PGHOST/PGPORT/PGUSER/
# PGPASSWORD/PGDATABASE for psql. PostgreSQL refuses to run as root, so as
# root the cluster runs as the `postgres` system user. Durability is off
# (fsync=off): these clusters are thrown away.

PG_BINDIR=${PG_BINDIR:-/usr/lib/postgresql/15/bin}

# Runs a command as the cluster's owner.
pg__as_owner() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

pg__free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

pg_start() {
	_pgroot=$1/pg
	if [ ! -x "$PG_BINDIR/initdb" ] || [ ! -x "$PG_BINDIR/pg_ctl" ]; then
		echo "pg.sh: PostgreSQL 15 is not installed (scripts/install-deps.sh)" >&2
		return 1
	fi
	if [ ! -f /usr/share/postgresql/15/extension/postgis.control ]; then
		echo "pg.sh: PostGIS for PostgreSQL 15 is not installed" >&2
		return 1
	fi
	if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
		echo "pg.sh: running as root and there is no postgres user" >&2
		return 1
	fi
	mkdir -p "$_pgroot" || return 1
	chmod 755 "$1"
	[ "$(id -u)" -eq 0 ] && chown postgres "$_pgroot"
	PG_PASSWORD=st-test-$$
	printf '%s\n' "$PG_PASSWORD" > "$_pgroot/pwfile"
	[ "$(id -u)" -eq 0 ] && chown postgres "$_pgroot/pwfile"
	if ! pg__as_owner "$PG_BINDIR/initdb" -D "$_pgroot/data" -U postgres \
		--pwfile="$_pgroot/pwfile" --auth-local=trust \
		--auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 \
		>"$_pgroot/initdb.log" 2>&1; then
		echo "pg.sh: initdb failed:" >&2
		cat "$_pgroot/initdb.log" >&2
		return 1
	fi
	PG_PORT=$(pg__free_port)
	if ! pg__as_owner "$PG_BINDIR/pg_ctl" -D "$_pgroot/data" -w -t 60 \
		-l "$_pgroot/server.log" \
		-o "-p $PG_PORT -k $_pgroot -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
		start >/dev/null; then
		echo "pg.sh: the server did not start:" >&2
		cat "$_pgroot/server.log" >&2
		return 1
	fi
	PG_DATADIR=$_pgroot/data
	export PGHOST=127.0.0.1 PGPORT=$PG_PORT PGUSER=postgres \
		PGPASSWORD=$PG_PASSWORD PGDATABASE=postgres
	export ST_PG_URL="postgresql://postgres:$PG_PASSWORD@127.0.0.1:$PG_PORT/postgres"
	export ST_PG_BADPW_URL="postgresql://postgres:wrong-$PG_PASSWORD@127.0.0.1:$PG_PORT/postgres"
	export ST_PG_DOWN_URL="postgresql://postgres:$PG_PASSWORD@127.0.0.1:$(pg__free_port)/postgres?connect_timeout=5"
	return 0
}

# Makes an empty database NAME and prints its URL.
pg_createdb() {
	"$PG_BINDIR/psql" -q -X -v ON_ERROR_STOP=1 -c "CREATE DATABASE \"$1\"" >/dev/null || return 1
	echo "postgresql://postgres:$PG_PASSWORD@127.0.0.1:$PG_PORT/$1"
}

pg_stop() {
	if [ -n "${PG_DATADIR:-}" ] && [ -f "$PG_DATADIR/postmaster.pid" ]; then
		pg__as_owner "$PG_BINDIR/pg_ctl" -D "$PG_DATADIR" -m immediate -w stop >/dev/null 2>&1
	fi
	PG_DATADIR=
}

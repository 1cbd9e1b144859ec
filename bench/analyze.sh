#!/bin/sh
# Behaviour stages side by side: shiptrace on N positions replicated from the
# real AMSA tracks (default 50 million), and the port-call step done the way
# analysts do it today, on the first M of those same positions: a PostGIS
# query (ST_DWithin join of positions to ports on geography, nearest port
# within its radius, then gaps-and-islands grouping into calls) and geopandas (nearest-port join, then grouping).
# Prints a report; figures are kept in docs/benchmarks.md.
#
# usage: bench/analyze.sh [SHIPTRACE_BIN]   env: N, M (PostGIS subset),
#        MG (geopandas subset), ST_PG_URL (use this server, else a
#        throw-away cluster is started on a free loopback port)
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
if [ $# -ge 1 ]; then BUILD=${BUILD:-$(cd "$(dirname "$1")" && pwd)}; fi
BUILD=${BUILD:-$ROOT/build}
SHARED=${SHARED:-$ROOT/../shared/data}
N=${N:-50000000}
M=${M:-1000000}
MG=${MG:-200000}
PY=/usr/bin/python3
W=$(mktemp -d)
PGDIR=""
cleanup() {
	if [ -n "$PGDIR" ]; then
		runpg "$PGBIN/pg_ctl" -D "$PGDIR/data" -m immediate stop >/dev/null 2>&1 || true
	fi
	rm -rf "$W"
}
trap cleanup EXIT

[ -f "$BUILD/libshiptrace.a" ] || { echo "build first: make build" >&2; exit 1; }
cc -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -I"$ROOT/include" \
	"$ROOT/bench/analyze_bench.c" "$BUILD/libshiptrace.a" -lcjson -lm -o "$W/analyze_bench"

echo "== shiptrace: $N positions, then the port-call step on the first $M" >&2
/usr/bin/time -v "$W/analyze_bench" "$SHARED" "$ROOT/data/ports.csv" "$N" \
	--csv "$W/sub.csv" "$M" >"$W/st.txt" 2>"$W/time.txt"
grep "Maximum resident" "$W/time.txt" | sed 's/.*: /max_rss_kb=/' >>"$W/st.txt"
head -n $((MG + 1)) "$W/sub.csv" >"$W/subg.csv"
# our port-call step on the geopandas subset too
"$W/analyze_bench" "$SHARED" "$ROOT/data/ports.csv" 1 --csv "$W/tmp.csv" "$MG" |
	sed -n 's/^subset_/g_subset_/p' >>"$W/st.txt"

# ---- PostGIS -------------------------------------------------------------
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | tail -1)
runpg() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi; }
if [ -n "${ST_PG_URL:-}" ]; then
	URL=$ST_PG_URL
elif [ -n "$PGBIN" ]; then
	PGDIR=$(mktemp -d)
	[ "$(id -u)" = 0 ] && chown postgres "$PGDIR" && chmod 755 "$W" && chmod 644 "$W"/*.csv
	PORT=$((20000 + $$ % 20000))
	runpg "$PGBIN/initdb -D $PGDIR/data -A trust -U postgres" >/dev/null
	runpg "$PGBIN/pg_ctl -D $PGDIR/data -o '-p $PORT -k $PGDIR -c listen_addresses=127.0.0.1 -c shared_buffers=512MB -c work_mem=256MB -c max_parallel_workers_per_gather=0' -l $PGDIR/log start" >/dev/null
	URL="postgresql://postgres@127.0.0.1:$PORT/postgres"
else
	URL=""
fi
if [ -n "$URL" ]; then
	echo "== PostGIS: port calls on $M positions" >&2
	psql -q -X -v ON_ERROR_STOP=1 "$URL" >/dev/null <<SQL
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS postgis;
DROP TABLE IF EXISTS bench_pos, bench_ports_raw, bench_ports, bench_calls;
CREATE TABLE bench_ports_raw (id text, name text, alt_names text, country text,
  locode text, lat float8, lon float8, radius_km float8, harbor_size text, source text);
\copy bench_ports_raw FROM '$ROOT/data/ports.csv' CSV HEADER
CREATE TABLE bench_ports AS SELECT id, name, radius_km * 1000 AS radius_m,
  ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography AS geog FROM bench_ports_raw;
CREATE INDEX ON bench_ports USING gist (geog);
CREATE TABLE bench_pos (id bigint, mmsi bigint, t float8, lat float8, lon float8, sog real);
\copy bench_pos FROM '$W/sub.csv' CSV HEADER
ALTER TABLE bench_pos ADD COLUMN geog geography;
UPDATE bench_pos SET geog = ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography;
VACUUM ANALYZE bench_pos;
ANALYZE bench_ports;
SQL
	t0=$(date +%s.%N)
	psql -q -X -v ON_ERROR_STOP=1 "$URL" >/dev/null <<'SQL'
CREATE TABLE bench_calls AS
WITH cand AS (           -- ports within the largest radius (index), then each port's own
  SELECT p.id, po.id AS port, ST_Distance(p.geog, po.geog) AS d, po.radius_m
  FROM bench_pos p JOIN bench_ports po ON ST_DWithin(p.geog, po.geog, 10000)
), nearest AS (
  SELECT DISTINCT ON (id) id, port FROM cand WHERE d < radius_m ORDER BY id, d
), near AS (
  SELECT p.mmsi, p.t, n.port FROM bench_pos p LEFT JOIN nearest n ON n.id = p.id
), isl AS (
  SELECT mmsi, t, port,
         row_number() OVER (PARTITION BY mmsi ORDER BY t)
       - row_number() OVER (PARTITION BY mmsi, port ORDER BY t) AS grp
  FROM near
)
SELECT mmsi, port, min(t) AS arrival, max(t) AS departure, count(*) AS n
FROM isl WHERE port IS NOT NULL GROUP BY mmsi, port, grp;
SQL
	t1=$(date +%s.%N)
	echo "postgis_s=$(echo "$t1 - $t0" | bc -l)" >>"$W/st.txt"
	echo "postgis_port_calls=$(psql -X -At "$URL" -c 'SELECT count(*) FROM bench_calls')" >>"$W/st.txt"
	echo "postgis_version=$(psql -X -At "$URL" -c 'SELECT postgis_lib_version()')" >>"$W/st.txt"
	psql -q -X "$URL" -c 'DROP TABLE bench_pos, bench_ports_raw, bench_ports, bench_calls' >/dev/null 2>&1
else
	echo "postgis_s=" >>"$W/st.txt"
fi

# ---- geopandas -------------------------------------------------------------
if $PY -c 'import geopandas' 2>/dev/null; then
	echo "== geopandas: port calls on $MG positions" >&2
	$PY "$ROOT/bench/analyze_geopandas.py" "$W/subg.csv" "$ROOT/data/ports.csv" >>"$W/st.txt"
fi

# ---- report ----------------------------------------------------------------
$PY - "$W/st.txt" <<'PY'
import sys
v = {}
for line in open(sys.argv[1]):
    if "=" in line:
        k, x = line.strip().split("=", 1)
        v[k] = x
def f(k):
    """A figure; times of 0 (below the clock's resolution) become 1 us."""
    if not v.get(k):
        return None
    x = float(v[k])
    return max(x, 1e-6) if k.endswith("_s") else x
n = f("positions")
print("shiptrace behaviour stages, one core (CPU time; the machine is shared)")
print("  positions                %12.0f  (%s vessels)" % (n, v["vessels"]))
for s in ("segments", "port_calls", "gaps", "encounters", "loitering", "voyages"):
    print("  %-24s %8.3f s  %8.1f M positions/s" % (s, f(s + "_s"), n / f(s + "_s") / 1e6))
print("  segments+calls+gaps+enc  %8.3f s  %8.1f M positions/s" % (
    f("seg_calls_gaps_enc_s"), f("seg_calls_gaps_enc_pos_per_s") / 1e6))
print("  all stages wall          %8.3f s" % f("all_stages_wall_s"))
print("  events: %s segments, %s port calls, %s voyages, %s gaps, %s encounters (%s grid samples), %s loitering" % (
    v["n_segments"], v["n_port_calls"], v["n_voyages"], v["n_gaps"], v["n_encounters"],
    v["n_encounter_samples"], v["n_loitering"]))
print("  memory: model %.1f B/position + 4 B segment; peak RSS %.0f MB = %.1f B/position" % (
    f("model_bytes_per_position"), f("max_rss_kb") / 1024, f("max_rss_kb") * 1024 / n))
m = f("subset_positions")
ours = f("subset_port_calls_s")
print("port-call step on the same %.0f positions:" % m)
print("  shiptrace  %9.4f s CPU (%.4f s wall) %10.0f positions/s  %s calls (+ segments first: %.4f s)" % (
    ours, f("subset_port_calls_wall_s"), m / ours, v["subset_port_calls"], f("subset_segments_s")))
if f("postgis_s"):
    print("  PostGIS    %9.3f s wall %10.0f positions/s  %s calls  -> shiptrace %.0fx faster (%.0fx on wall time)" % (
        f("postgis_s"), m / f("postgis_s"), v["postgis_port_calls"], f("postgis_s") / ours,
        f("postgis_s") / f("subset_port_calls_wall_s")))
if f("geopandas_cpu_s"):
    mg = f("geopandas_positions")
    og = f("g_subset_port_calls_s")
    print("port-call step on %.0f positions (geopandas, %s):" % (mg, v["geopandas_method"]))
    print("  shiptrace  %9.4f s CPU %10.0f positions/s" % (og, mg / og))
    print("  geopandas  %9.3f s CPU (%.3f s wall) %10.0f positions/s  %s calls  -> shiptrace %.0fx faster" % (
        f("geopandas_cpu_s"), f("geopandas_wall_s"), mg / f("geopandas_cpu_s"),
        v["geopandas_port_calls"], f("geopandas_cpu_s") / og))
PY

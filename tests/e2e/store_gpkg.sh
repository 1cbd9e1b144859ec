#!/bin/sh
# The GeoPackage case checked with GDAL, the reference reader: real AIS
# files are ingested, then ogrinfo must list every layer with the feature
# count SQLite counts and the positions layer with the extent of the data,
# and ogr2ogr must convert positions to GeoJSON whose features are the rows
# (id, mmsi, time, coordinates). SQLite's rtreecheck() and integrity_check
# vouch for the R-tree and the file.
set -eu
: "${ST_BIN:?}" "${ST_SHARED:?}"
command -v ogrinfo >/dev/null && command -v ogr2ogr >/dev/null || {
	echo "gdal-bin is not installed (scripts/install-deps.sh)"; exit 77; }
command -v sqlite3 >/dev/null || { echo "sqlite3 is not installed"; exit 77; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
AIS=$ST_SHARED/ais
C=$T/case.gpkg

"$ST_BIN" ingest --quiet-rejects "$C" "$AIS/dma-aislib-stream_example.txt" \
	"$AIS/noaa-marinecadastre-2023-01-11-sample.csv" \
	"$AIS/kystverket-2019-08-07-1000lines.nm4" 2>"$T/ingest.err"
cat "$T/ingest.err"
q() { sqlite3 -batch "$C" "$1"; }

[ "$(q "SELECT rtreecheck('rtree_positions_geom')")" = ok ] || { echo "R-tree check failed"; exit 1; }
[ "$(q "PRAGMA integrity_check")" = ok ] || { echo "integrity check failed"; exit 1; }
[ "$(q "PRAGMA application_id")" = 1196444487 ] || { echo "application_id is not GPKG"; exit 1; }
[ "$(q "PRAGMA user_version")" = 10300 ] || { echo "user_version is not 10300"; exit 1; }
npos=$(q "SELECT count(*) FROM positions")
[ "$npos" -gt 4000 ] || { echo "too few positions: $npos"; exit 1; }

# Every layer, with the count SQLite gives.
ogrinfo -ro -so -al "$C" > "$T/ogrinfo.txt" 2>&1
for t in positions sources vessels vessel_reports runs meta; do
	want=$(q "SELECT count(*) FROM $t")
	got=$(awk -v t="$t" '/^Layer name: /{l=$3} /^Feature Count: /{if (l==t) print $3}' "$T/ogrinfo.txt")
	if [ "$got" != "$want" ]; then
		echo "layer $t: ogrinfo counts '$got', the table has $want"
		cat "$T/ogrinfo.txt"; exit 1
	fi
done
# The extent of positions, to the 6 decimals ogrinfo prints.
ext=$(awk '/^Layer name: /{l=$3} /^Extent: /{if (l=="positions") print}' "$T/ogrinfo.txt")
want=$(q "SELECT printf('Extent: (%.6f, %.6f) - (%.6f, %.6f)', min(lon), min(lat), max(lon), max(lat)) FROM positions WHERE geom IS NOT NULL")
python3 - "$ext" "$want" <<'PY'
import re, sys
a = [float(x) for x in re.findall(r'-?\d+\.\d+', sys.argv[1])]
b = [float(x) for x in re.findall(r'-?\d+\.\d+', sys.argv[2])]
if len(a) != 4 or any(abs(x - y) > 2e-5 for x, y in zip(a, b)):
    sys.exit("extent: ogrinfo says %s, the data %s" % (sys.argv[1], sys.argv[2]))
PY
grep -q "Geometry: Point" "$T/ogrinfo.txt" || { echo "positions is not a Point layer"; exit 1; }

# A spatial filter goes through the R-tree: same count as a plain scan.
got=$(ogrinfo -ro -so "$C" positions -spat 9 54 13 58 | awk '/^Feature Count: /{print $3}')
want=$(q "SELECT count(*) FROM positions WHERE lon BETWEEN 9 AND 13 AND lat BETWEEN 54 AND 58")
[ "$got" = "$want" ] && [ "$want" -gt 0 ] || { echo "spatial filter: ogrinfo $got, scan $want"; exit 1; }

# positions -> GeoJSON, compared row by row with the table.
ogr2ogr -preserve_fid -f GeoJSON "$T/positions.geojson" "$C" positions
q "SELECT id, mmsi, coalesce(time, ''), CASE WHEN geom IS NULL THEN '' ELSE printf('%.7f', lon) END, CASE WHEN geom IS NULL THEN '' ELSE printf('%.7f', lat) END FROM positions ORDER BY id" > "$T/rows.txt"
python3 - "$T/positions.geojson" "$T/rows.txt" <<'PY'
import json, sys
fc = json.load(open(sys.argv[1]))
rows = [l.rstrip('\n').split('|') for l in open(sys.argv[2])]
feats = sorted(fc["features"], key=lambda f: f["id"])
if len(feats) != len(rows):
    sys.exit("GeoJSON has %d features, the table %d rows" % (len(feats), len(rows)))
for f, (rid, mmsi, t, lon, lat) in zip(feats, rows):
    p = f['properties']
    fid = f.get('id', p.get('id'))
    if str(fid) != rid or str(p['mmsi']) != mmsi:
        sys.exit("row %s: GeoJSON id/mmsi %s/%s" % (rid, fid, p['mmsi']))
    if (p.get('time') or '').replace('+00:00', 'Z') [:19] != t[:19]:
        sys.exit("row %s: time %s vs %s" % (rid, p.get('time'), t))
    g = f['geometry']
    if lon == '':
        if g is not None:
            sys.exit("row %s: a geometry where the row has none" % rid)
        continue
    x, y = g['coordinates']
    if abs(x - float(lon)) > 1e-7 or abs(y - float(lat)) > 1e-7:
        sys.exit("row %s: point %s,%s vs %s,%s" % (rid, x, y, lon, lat))
print("GeoJSON: %d features match the table" % len(feats))
PY
echo "store_gpkg: ok ($npos positions)"

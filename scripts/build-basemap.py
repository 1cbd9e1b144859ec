#!/usr/bin/python3
"""Build data/basemap/countries-50m.geojson from Natural Earth 4.1.0 as
redistributed by the world-atlas npm package (countries-50m.json, TopoJSON).

Usage: build-basemap.py countries-50m.json OUT.geojson [west south east north]

TopoJSON arcs are quantised and delta-encoded; this decodes them, rebuilds
each country's (multi)polygon, keeps those that touch the bounding box,
and rounds coordinates to 0.01 degree (about 1 km, finer than the report's
maps ever draw) to keep the shipped file small."""
import json
import sys


def decode_arcs(topo):
    sx, sy = topo["transform"]["scale"]
    tx, ty = topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x += dx
            y += dy
            pts.append((round(x * sx + tx, 2), round(y * sy + ty, 2)))
        arcs.append(pts)
    return arcs


def ring(arcs, idxs):
    out = []
    for i in idxs:
        pts = arcs[i] if i >= 0 else list(reversed(arcs[~i]))
        if out:
            pts = pts[1:]
        out.extend(pts)
    # drop consecutive duplicates created by rounding
    clean = [out[0]]
    for p in out[1:]:
        if p != clean[-1]:
            clean.append(p)
    return [list(p) for p in clean]


def main():
    src, dst = sys.argv[1], sys.argv[2]
    bbox = [float(v) for v in sys.argv[3:7]] if len(sys.argv) >= 7 else [-180, -90, 180, 90]
    topo = json.load(open(src))
    arcs = decode_arcs(topo)
    feats = []
    for g in topo["objects"]["countries"]["geometries"]:
        if g["type"] == "Polygon":
            polys = [g["arcs"]]
        elif g["type"] == "MultiPolygon":
            polys = g["arcs"]
        else:
            continue
        out = []
        for poly in polys:
            rings = [ring(arcs, r) for r in poly]
            xs = [p[0] for p in rings[0]]
            ys = [p[1] for p in rings[0]]
            if max(xs) < bbox[0] or min(xs) > bbox[2] or max(ys) < bbox[1] or min(ys) > bbox[3]:
                continue
            if len(rings[0]) >= 4:
                out.append(rings)
        if out:
            feats.append({"type": "Feature",
                          "properties": {"name": g.get("properties", {}).get("name", "")},
                          "geometry": {"type": "MultiPolygon", "coordinates": out}})
    fc = {"type": "FeatureCollection",
          "source": "Natural Earth 1:50m Admin 0 countries, v4.1.0 (public domain), "
                    "via the world-atlas 2.0.2 TopoJSON redistribution",
          "features": feats}
    with open(dst, "w") as f:
        json.dump(fc, f, separators=(",", ":"))


if __name__ == "__main__":
    main()

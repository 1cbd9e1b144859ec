#!/usr/bin/python3
"""The port-call step as analysts do it in Python today: geopandas
sjoin_nearest of positions to ports, then grouping consecutive positions at
the same port into calls. Run by bench/analyze.sh on the same positions as
shiptrace and PostGIS. Prints key=value lines (CPU and wall seconds of the
step, CSV reading excluded).

usage: analyze_geopandas.py POSITIONS.csv PORTS.csv
"""
import sys
import time

import geopandas as gpd
import numpy as np
import pandas as pd


def main():
    pos = pd.read_csv(sys.argv[1])
    ports = pd.read_csv(sys.argv[2], dtype={"id": str}, keep_default_na=False)
    c0, w0 = time.process_time(), time.perf_counter()
    gpos = gpd.GeoDataFrame(pos, geometry=gpd.points_from_xy(pos.lon, pos.lat),
                            crs="EPSG:4326").to_crs("EPSG:3857")
    gports = gpd.GeoDataFrame(
        ports[["id", "lat", "lon", "radius_km"]].rename(
            columns={"id": "port_id", "lat": "plat", "lon": "plon"}),
        geometry=gpd.points_from_xy(ports.lon, ports.lat),
        crs="EPSG:4326").to_crs("EPSG:3857")
    # Web Mercator stretches distances by 1/cos(lat): search wide, then
    # keep the ports within their radius by great-circle distance
    try:
        j = gpd.sjoin_nearest(gpos, gports, how="left", max_distance=40000)
        method = "sjoin_nearest"
    except NotImplementedError:
        # geopandas 0.12 with Shapely 1.8 (Debian 12) has no nearest
        # query without PyGEOS: join to 40 km buffers and keep the nearest
        buf = gports.copy()
        buf["geometry"] = gports.buffer(40000)
        j = gpd.sjoin(gpos, buf, how="left", predicate="intersects")
        px = gports.geometry.x.reindex(j.index_right.fillna(-1).astype(int)).values
        py = gports.geometry.y.reindex(j.index_right.fillna(-1).astype(int)).values
        j["_d"] = np.hypot(j.geometry.x.values - px, j.geometry.y.values - py)
        j = j.sort_values("_d")
        method = "sjoin(buffer)+nearest"
    j = j[~j.index.duplicated(keep="first")].sort_index()
    la1, lo1 = np.radians(j.lat.values), np.radians(j.lon.values)
    la2, lo2 = np.radians(j.plat.values), np.radians(j.plon.values)
    h = np.sin((la2 - la1) / 2) ** 2 + np.cos(la1) * np.cos(la2) * np.sin((lo2 - lo1) / 2) ** 2
    km = 2 * 6371.0088 * np.arcsin(np.sqrt(np.clip(h, 0, 1)))
    port = np.where(km < j.radius_km.values, j["port_id"].values, None)
    df = pd.DataFrame({"mmsi": j.mmsi.values, "t": j.t.values, "port": port})
    df = df.sort_values(["mmsi", "t"])
    key = df.port.fillna("")
    grp = ((key != key.shift()) | (df.mmsi != df.mmsi.shift())).cumsum()
    calls = (df[df.port.notna()].groupby(grp[df.port.notna()])
             .agg(mmsi=("mmsi", "first"), port=("port", "first"),
                  arrival=("t", "min"), departure=("t", "max"), n=("t", "size")))
    cpu, wall = time.process_time() - c0, time.perf_counter() - w0
    print("geopandas_method=%s" % method)
    print("geopandas_positions=%d" % len(pos))
    print("geopandas_port_calls=%d" % len(calls))
    print("geopandas_cpu_s=%.3f" % cpu)
    print("geopandas_wall_s=%.3f" % wall)


if __name__ == "__main__":
    main()

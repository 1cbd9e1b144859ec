#!/usr/bin/env python3
"""Writes a large, real-derived AIS position file for bench/ingest.sh.

The base is every real position in the shared corpora: the NMEA streams as
shiptrace decodes them (Danish Maritime Authority, Kystverket, pyais,
libais), the NOAA MarineCadastre rows (with their vessel names and
dimensions) and the AMSA class-B tracks. Copy k of the base gets its times
moved k hours later and its MMSIs shifted by one of FLEETS fixed offsets
(k mod FLEETS), so the file holds FLEETS times the real fleet (about 200,000
vessels, a realistic count for a large region over months) instead of a new
fleet per copy; positions stay where the real ships were. The
output is NOAA MarineCadastre CSV, which shiptrace, ogr2ogr and psql \\copy
all read as it is.

usage: make_positions.py BASE_CSV... --rows N > out.csv
  BASE_CSV: `shiptrace decode --format csv` output, NOAA CSV or AMSA CSV.
"""
import csv
import sys
from datetime import datetime, timedelta

FLEETS = 64
HEADER = ("MMSI,BaseDateTime,LAT,LON,SOG,COG,Heading,VesselName,IMO,"
          "CallSign,VesselType,Status,Length,Width,Draft,Cargo,"
          "TransceiverClass")


def base_rows(paths):
    rows = []
    for path in paths:
        with open(path, newline="") as f:
            r = csv.DictReader(f)
            for d in r:
                if "mmsi" in d:      # shiptrace decode --format csv
                    mmsi, t = d["mmsi"], d["time"]
                    lat, lon = d["lat"], d["lon"]
                    rest = [d["sog"], d["cog"], d["heading"], "", "", "", "",
                            d["nav_status"], "", "", "", "", ""]
                else:                # NOAA or AMSA
                    mmsi, t = d["MMSI"], d["BaseDateTime"]
                    lat, lon = d["LAT"], d["LON"]
                    rest = [d.get(k, "") for k in (
                        "SOG", "COG", "Heading", "VesselName", "IMO",
                        "CallSign", "VesselType", "Status", "Length",
                        "Width", "Draft", "Cargo", "TransceiverClass")]
                if not t or not lat or not lon:
                    continue
                t = t.rstrip("Z")
                try:
                    when = datetime.fromisoformat(t[:19])
                    if abs(float(lat)) > 90 or abs(float(lon)) > 180:
                        continue
                except ValueError:
                    continue
                rows.append((int(mmsi), when, lat, lon, rest))
    rows.sort(key=lambda x: x[1])
    return rows


def main():
    args = sys.argv[1:]
    want = 5000000
    if "--rows" in args:
        i = args.index("--rows")
        want = int(args[i + 1])
        del args[i:i + 2]
    base = base_rows(args)
    out = sys.stdout
    out.write(HEADER + "\n")
    n, k = 0, 0
    while n < want:
        shift = timedelta(hours=k)
        for mmsi, when, lat, lon, rest in base:
            if n >= want:
                break
            m = 100000000 + (mmsi * 7 + (k % FLEETS) * 1000003) % 800000000
            t = (when + shift).strftime("%Y-%m-%dT%H:%M:%S")
            out.write("%d,%s,%s,%s,%s\n" % (m, t, lat, lon, ",".join(rest)))
            n += 1
        k += 1
    sys.stderr.write("make_positions: %d rows from %d real positions x %d\n"
                     % (n, len(base), k))


main()

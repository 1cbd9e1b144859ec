#!/usr/bin/env python3
"""Build data/ports.csv, the port gazetteer shiptrace ships, from the NGA
World Port Index (Pub. 150) CSV, plus the ports the index lacks (Dunai).

The index names countries in words (GENC); the gazetteer wants ISO 3166-1
alpha-2. The code of each country name is taken from the UN/LOCODEs of that
country's own ports (their first two letters, by majority), with a short
table for the few names that carry no UN/LOCODE at all. A port's entry radius
follows its harbour size (see docs/analysis.md for why these values).

usage: scripts/build-ports.py WPI.csv > data/ports.csv
"""
import collections
import csv
import sys

RADIUS_KM = {"Large": 10.0, "Medium": 6.0, "Small": 4.0, "Very Small": 3.0}
DEFAULT_RADIUS_KM = 3.0

# Country names of the index whose ports carry no usable UN/LOCODE.
NAME_ISO2 = {
    "British Virgin Islands": "VG",
    "Gibraltar": "GI",
    "Johnson Atoll": "UM",
    "Midway Islands": "UM",
    "Wake Island": "UM",
    "Norfolk Island": "NF",
    "Palau": "PW",
    "Western Sahara": "EH",
}

# Names the index lacks that investigators use (appended to the alternate
# names): the spellings of the C4ADS/RUSI reporting on the case.
ALIASES = {
    "60510": "Rajin; Rason",      # Najin, alternate Rashin
    "60725": "Vostochny",         # Vostochnyy
}

# Ports absent from the index, from public mapping.
EXTRA = [
    # id (not a WPI number), name, alternate names, ISO2, UN/LOCODE, lat, lon, radius, size, source
    ("X1", "Dunai", "Dunay", "RU", "", 42.8803, 132.3375, 3.0, "",
     "public mapping (settlement of Dunay, Primorsky Krai)"),
]


def locode(raw):
    return "".join(raw.split()).upper()


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    with open(sys.argv[1], encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    votes = collections.defaultdict(collections.Counter)
    for r in rows:
        lc = locode(r["UN/LOCODE"])
        if len(lc) == 5 and lc[:2].isalpha():
            votes[r["Country Code"].strip()][lc[:2]] += 1
    iso = {name: c.most_common(1)[0][0] for name, c in votes.items() if name}
    iso.update(NAME_ISO2)

    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["id", "name", "alt_names", "country", "locode", "lat", "lon",
                  "radius_km", "harbor_size", "source"])
    for r in sorted(rows, key=lambda r: float(r["World Port Index Number"])):
        lc = locode(r["UN/LOCODE"])
        if len(lc) != 5:
            lc = ""
        name = r["Country Code"].strip()
        cc = iso.get(name, "")
        if not cc and lc:
            cc = lc[:2]
        size = r["Harbor Size"].strip()
        alt = r["Alternate Port Name"].strip()
        extra = ALIASES.get(r["World Port Index Number"].strip())
        if extra:
            alt = alt + "; " + extra if alt else extra
        out.writerow([
            r["World Port Index Number"], r["Main Port Name"].strip(),
            alt, cc, lc,
            "%.6f" % float(r["Latitude"]), "%.6f" % float(r["Longitude"]),
            "%g" % RADIUS_KM.get(size, DEFAULT_RADIUS_KM), size,
            "NGA World Port Index Pub. 150"])
    for e in EXTRA:
        out.writerow([e[0], e[1], e[2], e[3], e[4], "%.6f" % e[5],
                      "%.6f" % e[6], "%g" % e[7], e[8], e[9]])


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""Score a traced case against the simulator's ground truth.

Usage: evaluate.py CASE.gpkg ground_truth.json [--min-precision P] [--min-recall R]

Prints attribution precision and recall (an attribution is right when it
names the vessel that truly carried the record's cargo and an arrival
within 12 hours of the true one: AIS sees an arrival when the ship stops,
not when it crosses the port limit), how many dark port-of-concern visits
the gap stage found, and the case's computed figures beside the published
ones. Exits 1 when a --min threshold is not met. SIMULATED data only."""
import json
import sqlite3
import sys
from datetime import datetime

PUBLISHED = [
    ("explosives leaving the ports", "74,000 t", "C4ADS / Washington Post 2024"),
    ("destination sites", "16", "C4ADS / Washington Post 2024"),
    ("sites near ammunition depots", "12", "C4ADS / Washington Post 2024"),
    ("shuttle deliveries Rajin -> Vostochny/Dunai", "about 27", "RUSI"),
    ("artillery shells", "about 1.6 million", "C4ADS / Washington Post 2024"),
    ("Vostochny in December", "no arrival, no explosives", "C4ADS / Washington Post 2024"),
]


def t(z):
    return datetime.fromisoformat(z.replace("Z", "+00:00")).timestamp()


def main():
    args = sys.argv[1:]
    min_p = min_r = None
    if "--min-precision" in args:
        i = args.index("--min-precision")
        min_p = float(args[i + 1])
        del args[i:i + 2]
    if "--min-recall" in args:
        i = args.index("--min-recall")
        min_r = float(args[i + 1])
        del args[i:i + 2]
    case, truth_path = args
    truth = json.load(open(truth_path))
    db = sqlite3.connect(case)

    true_arr = {}
    for r in truth["records"]:
        if r["explosives"] and r["arrival"]:
            true_arr[r["record_id"]] = (r["arrival"]["mmsi"], t(r["arrival"]["arrive"]))
    got = {}
    for rid, mmsi, arrival in db.execute("SELECT record_id, mmsi, arrival FROM attributions"):
        got[rid] = (mmsi, t(arrival))
    right = sum(1 for rid, (m, a) in got.items()
                if rid in true_arr and true_arr[rid][0] == m and abs(true_arr[rid][1] - a) <= 12 * 3600)
    precision = right / len(got) if got else 0.0
    recall = right / len(true_arr) if true_arr else 0.0

    # dark port-of-concern visits: a flagged gap of the same vessel that
    # covers the true dark visit and lists a possible port of concern
    dark = [v for v in truth["dark_periods"] if v.get("reason") == "port of concern"]
    gaps = db.execute("SELECT mmsi, start_time, end_time FROM gaps WHERE n_possible > 0").fetchall()
    found = 0
    for v in dark:
        s, e = t(v["start"]), t(v["end"])
        if any(g[0] == v["mmsi"] and t(g[1]) <= s + 6 * 3600 and t(g[2]) >= e - 6 * 3600 for g in gaps):
            found += 1

    q = lambda sql: db.execute(sql).fetchone()[0]
    tonnes = q("SELECT coalesce(sum(tonnes),0) FROM attributions")
    sites = q("SELECT count(*) FROM site_summary")
    near = q("SELECT count(*) FROM site_summary WHERE near_facility = 1 AND facility_kind LIKE '%ammunition%'")
    arrivals = q("SELECT count(DISTINCT port_call_id) FROM attributions")
    dec = db.execute("SELECT qualifying_arrivals, selected_records FROM monthly "
                     "WHERE month = '2023-12' AND origin = 'Vostochny'").fetchone()
    shells = tonnes * 1000 / 46.25
    ours = [f"{tonnes:,.0f} t attributed", str(sites), str(near), f"{arrivals} arrivals",
            f"{shells / 1e6:.2f} million",
            "no arrival, no explosives" if dec and dec == (0, 0) else f"{dec}"]

    print("SIMULATED case: figures computed by shiptrace beside the published ones")
    print(f"  {'figure':44} {'published':28} {'shiptrace (simulated)':28}")
    for (name, pub, src), mine in zip(PUBLISHED, ours):
        print(f"  {name:44} {pub:28} {mine:28}")
    print(f"ground truth: attribution precision {precision:.3f}, recall {recall:.3f} "
          f"({right} right of {len(got)} attributed, {len(true_arr)} true)")
    print(f"ground truth: dark port-of-concern visits found {found} of {len(dark)}")
    ok = (min_p is None or precision >= min_p) and (min_r is None or recall >= min_r)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

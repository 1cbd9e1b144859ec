#!/usr/bin/python3
"""Oracle for the NOAA MarineCadastre reader: the CSV itself. No other
decoder reads these exports, so each row, parsed here with Python's csv
module, is compared with what `shiptrace decode` wrote for it: one
position object (class A rows type 1, class B type 18) and, when the row has
any static value, one static object right after it (type 5, or 24 for
class B), member by member, with the reader's documented conventions
(docs/formats.md, "NOAA MarineCadastre CSV"): a speed of 102.3, a course
of 360, a heading of 511, an IMO of IMO0000000 and a draught of 0 mean
"not available" and must be absent; length and beam must be what the
dimensions add up to. Prints how
many rows and members were compared; exit status 1 on any difference.
usage: noaa_check.py EXPORT.csv SHIPTRACE.jsonl"""
import csv
import json
import sys


def num(s):
    return float(s) if s.strip() != '' else None


def main(zCsv, zJson):
    with open(zCsv, newline='', encoding='utf-8') as f:
        rows = list(csv.DictReader(f))
    with open(zJson, encoding='utf-8') as f:
        out = [json.loads(line) for line in f if line.strip()]
    errs = []
    nField = 0
    k = 0

    def check(what, got, want, row):
        nonlocal nField
        nField += 1
        if isinstance(want, float) and isinstance(got, (int, float)):
            ok = abs(got - want) <= 1e-9 + 1e-9 * abs(want)
        else:
            ok = got == want
        if not ok:
            errs.append('row %d (MMSI %s): %s: CSV %r, shiptrace %r'
                        % (row, rows[row - 2]['MMSI'], what, want, got))

    for n, r in enumerate(rows, 2):
        if k >= len(out):
            errs.append('row %d: no output left' % n)
            break
        p = out[k]
        k += 1
        cls_b = r['TransceiverClass'].strip() == 'B'
        check('type', p.get('type'), 18 if cls_b else 1, n)
        check('mmsi', p.get('mmsi'), int(r['MMSI']), n)
        check('rxtime', p.get('rxtime'), r['BaseDateTime'] + 'Z', n)
        check('lat', p.get('lat'), num(r['LAT']), n)
        check('lon', p.get('lon'), num(r['LON']), n)
        sog = num(r['SOG'])
        check('speed', p.get('speed'), None if sog is None or sog >= 102.25 else sog, n)
        cog = num(r['COG'])
        check('course', p.get('course'), None if cog is None or cog >= 360 else cog, n)
        hdg = num(r['Heading'])
        check('heading', p.get('heading'), None if hdg is None or hdg >= 360 else int(hdg), n)
        st = num(r['Status'])
        if not cls_b:
            check('status', p.get('status'), None if st is None else int(st), n)
        # The static object, when the row has static values.
        if k < len(out) and out[k].get('mmsi') == p.get('mmsi') and \
                out[k].get('type') in (5, 24) and out[k].get('rxtime') == p.get('rxtime'):
            s = out[k]
            k += 1
            check('static type', s.get('type'), 24 if cls_b else 5, n)
            check('shipname', s.get('shipname'), r['VesselName'].strip() or None, n)
            check('callsign', s.get('callsign'), r['CallSign'].strip() or None, n)
            imo = r['IMO'].strip()
            check('imo', s.get('imo'),
                  int(imo[3:]) if imo.startswith('IMO') and int(imo[3:]) else None, n)
            vt = num(r['VesselType'])
            check('shiptype', s.get('shiptype'),
                  int(vt) if vt is not None and vt <= 99 else None, n)
            dr = num(r['Draft'])
            check('draught', s.get('draught'), dr if dr else None, n)
            ln, wd = num(r['Length']), num(r['Width'])
            if ln:
                check('length', s.get('to_bow', 0) + s.get('to_stern', 0), ln, n)
            if wd:
                check('width', s.get('to_port', 0) + s.get('to_starboard', 0), wd, n)
        elif (r['VesselName'].strip() or r['CallSign'].strip() or
              r['IMO'].strip() not in ('', 'IMO0000000') or
              any((num(r[c]) or 0) > 0 for c in ('VesselType', 'Length', 'Width', 'Draft'))):
            errs.append('row %d (MMSI %s): static values but no static object'
                        % (n, r['MMSI']))
    if k != len(out):
        errs.append('%d objects left after the last row' % (len(out) - k))
    print('noaa: %d rows, %d objects, %d members compared, %d differences'
          % (len(rows), len(out), nField, len(errs)))
    for e in errs[:30]:
        print('  ' + e)
    return 1 if errs else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1], sys.argv[2]))

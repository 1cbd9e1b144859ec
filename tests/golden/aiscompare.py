#!/usr/bin/python3
"""Differential comparison of shiptrace's AIS JSON with another decoder's.

Used by gpsdecode_diff.sh (oracle: `gpsdecode -j`, gpsd-clients) and by
libais_oracle.sh (oracles: libais's expected JSON files, and libais itself
through python3-ais). Both sides are lists of gpsd-style JSON objects in
input order. Messages are matched one to one by aligning the two sequences
on (type, mmsi), the longest common subsequence, so one side dropping a
message does not shift every pair after it. Then every field both sides
emit must agree. A difference is allowed only by a rule in allow.json, and
every rule must name a heading of docs/formats.md that explains it; rules
that no longer match anything fail the run too, so the list stays honest.

usage: aiscompare.py ORACLE --allow allow.json --mode unscaled|scaled
                     [--docs docs/formats.md] CASE...
  a CASE is NAME=ORACLE_OUTPUT:SHIPTRACE_OUTPUT (JSON lines, or for libais
  expected files the JSON file itself), or for --oracle libais-live
  NAME=INPUT_NMEA:SHIPTRACE_OUTPUT (libais decodes INPUT_NMEA here).
Exit status 0 when everything agrees or is allowed, 1 otherwise.
"""

import argparse
import collections
import datetime
import difflib
import fnmatch
import json
import math
import re
import sys


class Num(float):
    """A float that remembers how many decimals its JSON text had, so a
    value the oracle rounded to 0.1 is compared to within 0.05."""

    def __new__(cls, text):
        v = float.__new__(cls, text)
        m = re.match(r'^-?\d*\.(\d+)$', text)
        v.decimals = len(m.group(1)) if m else None
        return v


def load_jsonl(path):
    out = []
    with open(path, encoding='utf-8', errors='replace') as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line:
                continue
            try:
                out.append(json.loads(line, parse_float=Num))
            except ValueError as e:
                raise SystemExit('%s:%d: not JSON: %s' % (path, n, e))
    return out


def libais_live(path):
    """Decodes an NMEA file with libais (python3-ais) and converts each
    message to gpsd names with libais's own gpsd compatibility layer."""
    import logging
    import warnings
    warnings.simplefilter('ignore')
    logging.disable(logging.CRITICAL)
    import ais.nmea_queue
    from ais.compatibility import gpsd
    mangle = gpsd.Mangler()
    q = ais.nmea_queue.NmeaQueue()
    with open(path, encoding='ascii', errors='replace') as f:
        for line in f:
            q.put(line)
    out = []
    while not q.empty():
        m = q.get()
        if 'decoded' not in m:
            continue
        d = m['decoded']
        try:
            g = mangle(d)
        except Exception:  # the compat layer chokes on a few types
            g = {'type': d.get('id'), 'mmsi': d.get('mmsi')}
        # tag-block receive time and station, as libais's own JSON names them
        if 'tagblock_timestamp' in d:
            g['tagblock_timestamp'] = d['tagblock_timestamp']
        if 'tagblock_station' in d:
            g['tagblock_station'] = d['tagblock_station']
        g.pop('md5', None)
        out.append(g)
    return out


def to_epoch_ms(v):
    """Seconds since the epoch, or an ISO 8601 / libais timestamp string."""
    if isinstance(v, (int, float)):
        return round(float(v) * 1000)
    s = str(v).strip().replace(' ', 'T')
    if s.endswith('Z'):
        s = s[:-1]
    m = re.match(r'^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d+))?$', s)
    if not m:
        return None
    frac = m.group(7) or '0'
    dt = datetime.datetime(*map(int, m.groups()[:6]),
                           tzinfo=datetime.timezone.utc)
    return round(dt.timestamp() * 1000 + float('0.' + frac) * 1000)


class Rules:
    def __init__(self, path, oracle, mode, docs):
        with open(path) as f:
            allow = json.load(f)
        if oracle not in allow:
            raise SystemExit('%s has no section "%s"' % (path, oracle))
        section = allow[oracle]
        self.rename = section.get('rename', {})
        self.time_fields = set(section.get('time_fields', []))
        self.float_rel = section.get('float_relative_tolerance', 0.0)
        self.rules = [r for r in section.get('rules', [])
                      if mode in r.get('modes', ['scaled', 'unscaled'])]
        self.used = collections.Counter()
        headings = set()
        if docs:
            with open(docs, encoding='utf-8') as f:
                for line in f:
                    if line.startswith('#'):
                        headings.add(line.lstrip('#').strip().lower())
        bad = []
        for r in self.rules:
            for k in ('id', 'kind', 'reason', 'doc'):
                if k not in r:
                    bad.append('rule %r lacks "%s"' % (r.get('id'), k))
            if docs and r.get('doc', '').lower() not in headings:
                bad.append('rule %s: docs/formats.md has no heading "%s"'
                           % (r.get('id'), r.get('doc')))
        if bad:
            raise SystemExit('allow.json: ' + '; '.join(bad))

    def _applies(self, r, name, msg, field=None):
        if 'cases' in r and not any(fnmatch.fnmatch(name, c) for c in r['cases']):
            return False
        if 'types' in r and msg.get('type') not in r['types']:
            return False
        if field is not None and 'field' in r and not fnmatch.fnmatch(field, r['field']):
            return False
        return True

    def field_allowed(self, name, msg, field, oval, sval):
        for r in self.rules:
            kind = r['kind']
            if kind not in ('ignore_field', 'values', 'tolerance', 'strip',
                            'oracle_values'):
                continue
            if 'field' not in r or not self._applies(r, name, msg, field):
                continue
            ok = False
            if kind == 'ignore_field':
                ok = True
            elif kind == 'values':
                ok = any(same(oval, p[0]) and same(sval, p[1])
                         for p in r['pairs'])
            elif kind == 'oracle_values':
                ok = any(same(oval, v) for v in r['values'])
            elif kind == 'tolerance':
                ok = (isinstance(oval, (int, float)) and
                      isinstance(sval, (int, float)) and
                      abs(oval - sval) <= r['abs'])
            elif kind == 'strip':
                chars = r.get('chars', ' @')
                ok = (isinstance(oval, str) and isinstance(sval, str) and
                      oval.rstrip(chars) == sval.rstrip(chars))
            if ok:
                self.used[r['id']] += 1
                return r['id']
        return None

    def unmatched_allowed(self, side, name, msg):
        kind = side + '_only'
        for r in self.rules:
            if r['kind'] == kind and self._applies(r, name, msg):
                if 'mmsi' in r and msg.get('mmsi') not in r['mmsi']:
                    continue
                self.used[r['id']] += 1
                return r['id']
        return None

    def unused(self):
        return [r['id'] for r in self.rules if not self.used[r['id']]]


def same(a, b):
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b or (type(a) is type(b) and a == b)
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        if isinstance(a, float) and isinstance(b, float) and \
                math.isnan(a) and math.isnan(b):
            return True
        return a == b
    return a == b


def values_agree(oval, sval, rules, field):
    """Exact equality, except that a float the oracle printed with N
    decimals only has to agree to within half a unit of the Nth decimal,
    and a float32 oracle (libais) only to its precision."""
    if field in rules.time_fields:
        a, b = to_epoch_ms(oval), to_epoch_ms(sval)
        return a is not None and a == b
    if isinstance(oval, bool) or isinstance(sval, bool):
        return same(oval, sval)
    if isinstance(oval, float) and isinstance(sval, (int, float)):
        if math.isnan(oval) or (isinstance(sval, float) and math.isnan(sval)):
            return same(oval, sval)
        tol = 1e-9
        dec = getattr(oval, 'decimals', None)
        if dec is not None:
            tol = max(tol, 0.5 * 10 ** -dec + 1e-9)
        tol = max(tol, rules.float_rel * max(1.0, abs(oval)))
        return abs(oval - sval) <= tol
    if isinstance(oval, list) and isinstance(sval, list):
        return len(oval) == len(sval) and all(
            values_agree(a, b, rules, field) for a, b in zip(oval, sval))
    if isinstance(oval, dict) and isinstance(sval, dict):
        return oval.keys() == sval.keys() and all(
            values_agree(oval[k], sval[k], rules, field) for k in oval)
    return same(oval, sval)


def key(m):
    return (m.get('type'), m.get('mmsi'))


def compare_case(name, oracle, ours, rules, tally, report):
    a = [key(m) for m in oracle]
    b = [key(m) for m in ours]
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    pairs, only_o, only_s = [], [], []
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == 'equal':
            pairs.extend(zip(range(i1, i2), range(j1, j2)))
        else:
            only_o.extend(range(i1, i2))
            only_s.extend(range(j1, j2))
    nField = 0
    for i, j in pairs:
        o, s = oracle[i], ours[j]
        for of, oval in o.items():
            sf = rules.rename.get(of, of)
            if sf not in s:
                tally.missing[(o.get('type'), of)] += 1
                continue
            nField += 1
            sval = s[sf]
            if values_agree(oval, sval, rules, of):
                tally['fields_equal'] += 1
                continue
            rid = rules.field_allowed(name, o, of, oval, sval)
            if rid:
                tally['allowed:' + rid] += 1
                continue
            tally['field_diffs'] += 1
            report.append('%s: message %d (type %s, mmsi %s), field "%s": '
                          'oracle %s, shiptrace %s'
                          % (name, j + 1, o.get('type'), o.get('mmsi'), of,
                             json.dumps(oval), json.dumps(sval)))
    for side, idx, msgs in (('oracle', only_o, oracle), ('shiptrace', only_s, ours)):
        for i in idx:
            rid = rules.unmatched_allowed(side, name, msgs[i])
            if rid:
                tally['allowed:' + rid] += 1
                continue
            tally[side + '_only'] += 1
            report.append('%s: message only in %s output (#%d): %s'
                          % (name, side, i + 1, json.dumps(msgs[i])[:300]))
    tally['messages'] += len(pairs)
    tally['fields'] += nField
    return len(pairs), nField, len(only_o), len(only_s)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('oracle', choices=['gpsdecode', 'libais', 'libais-live'])
    ap.add_argument('--allow', required=True)
    ap.add_argument('--mode', choices=['scaled', 'unscaled'], required=True)
    ap.add_argument('--docs')
    ap.add_argument('cases', nargs='+')
    args = ap.parse_args()
    rules = Rules(args.allow, args.oracle, args.mode, args.docs)
    tally = collections.Counter()
    tally.missing = collections.Counter()
    report = []
    for case in args.cases:
        name, _, rest = case.partition('=')
        opath, _, spath = rest.rpartition(':')
        if args.oracle == 'libais-live':
            oracle = libais_live(opath)
        else:
            oracle = load_jsonl(opath)
        ours = load_jsonl(spath)
        nMsg, nField, nO, nS = compare_case(name, oracle, ours, rules, tally, report)
        print('%-44s %6d messages matched, %7d fields compared; '
              'unmatched: %d oracle, %d shiptrace'
              % (name, nMsg, nField, nO, nS))
    print('%s (%s): %d messages matched, %d fields compared, %d equal'
          % (args.oracle, args.mode, tally['messages'], tally['fields'],
             tally['fields_equal']))
    for k in sorted(k for k in tally if k.startswith('allowed:')):
        print('  allowed by %-40s %6d' % (k[8:], tally[k]))
    if tally.missing:
        print('  fields only the oracle emits (not compared): ' + ', '.join(
            'type %s %s (%d)' % (t, f, n)
            for (t, f), n in sorted(tally.missing.items(),
                                    key=lambda x: (str(x[0][0]), x[0][1]))))
    fail = False
    if report:
        fail = True
        print('%d differences not in the allowlist (first 40):' % len(report))
        for line in report[:40]:
            print('  ' + line)
    unused = rules.unused()
    if unused:
        fail = True
        print('allowlist rules that matched nothing (remove them): '
              + ', '.join(unused))
    if tally['messages'] == 0:
        fail = True
        print('nothing was compared')
    print('FAIL' if fail else 'OK')
    return 1 if fail else 0


if __name__ == '__main__':
    sys.exit(main())

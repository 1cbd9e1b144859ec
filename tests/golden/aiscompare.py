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
import os
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
        if 'decoded' not in m or 'id' not in m['decoded']:
            continue  # not AIS (libais also parses $GPGGA and the like)
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


def head_bits(payload):
    """(type, mmsi) from the first 38 bits of an armoured payload."""
    bits = 0
    for c in payload[:7]:
        v = ord(c) - 48
        if v > 40:
            v -= 8
        if v < 0 or v > 63:
            return None
        bits = bits << 6 | v
    if len(payload) < 7:
        return None
    return (bits >> 36, (bits >> 4) & 0x3fffffff)


def xor(text):
    c = 0
    for ch in text:
        c ^= ord(ch)
    return c


def read_sources(path):
    """Every first (or only) fragment of an AIS sentence in an input file,
    keyed by the (type, mmsi) its payload starts with, with the facts the
    allowlist may ask about: talker, channel, NMEA and tag-block checksum,
    and whether it sits on an unterminated last line."""
    with open(path, 'rb') as f:
        data = f.read().decode('latin-1')
    lines = data.split('\n')
    unterminated = not data.endswith('\n')
    if not unterminated:
        lines.pop()
    out = collections.defaultdict(list)
    for n, line in enumerate(lines, 1):
        line = line.rstrip('\r')
        m = re.search(r'!([A-Z-]{2})(VD[MO]),(\d*),(\d*),(\d*),([^,]*),([^,]*),(\d?)(\*[0-9A-Fa-f]{2})?', line)
        if not m:
            continue
        talker, _, total, num, _, chan, payload, _, star = m.groups()
        if num not in ('', '1') and total != '1':
            continue
        key = head_bits(payload)
        if key is None:
            continue
        body = line[m.start() + 1:m.end() - (len(star) if star else 0)]
        nmea_sum = 'none' if not star else (
            'ok' if xor(body) == int(star[1:], 16) else 'bad')
        tag_sum = 'none'
        t = re.match(r'^\\([^\\]*)\\', line)
        if t:
            tb = t.group(1)
            tm = re.match(r'^(.*)\*([0-9A-Fa-f]{2})$', tb)
            tag_sum = 'bad'
            if tm and xor(tm.group(1)) == int(tm.group(2), 16):
                tag_sum = 'ok'
            elif tm and re.match(r'^g:[^,]*,', tm.group(1)) and xor(
                    tm.group(1).split(',', 1)[1]) == int(tm.group(2), 16):
                # a g: field put in front of a block whose checksum was
                # computed without it (the Kystverket feed does this)
                tag_sum = 'ok-after-g'
        out[key].append({
            'line': n, 'talker': talker, 'channel': chan,
            'nmea_checksum': nmea_sum, 'tagblock_checksum': tag_sum,
            'unterminated_last_line': unterminated and n == len(lines),
            'used': False})
    return out


def source_matches(src, pred):
    for k, want in pred.items():
        if k == 'talker_not_in':
            if src['talker'] in want:
                return False
        elif k.endswith('_in'):
            if src[k[:-3]] not in want:
                return False
        elif src[k] != want:
            return False
    return True


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
        if field is not None:
            pats = r.get('fields') or [r.get('field')]
            if not any(p and fnmatch.fnmatch(field, p) for p in pats):
                return False
        return True

    def field_allowed(self, name, msg, field, oval, sval):
        for r in self.rules:
            kind = r['kind']
            if kind not in ('ignore_field', 'values', 'tolerance', 'strip',
                            'oracle_values', 'bitdata', 'stringified',
                            'boolint', 'charmap', 'ratio', 'abs_tolerance'):
                continue
            if ('field' not in r and 'fields' not in r) or \
                    not self._applies(r, name, msg, field):
                continue
            ok = False
            if kind == 'ignore_field':
                ok = True
            elif kind == 'values':
                ok = any(close(oval, p[0]) and close(sval, p[1])
                         for p in r['pairs'])
            elif kind == 'oracle_values':
                ok = any(same(oval, v) for v in r['values'])
            elif kind == 'tolerance':
                ok = num(oval) and num(sval) and abs(oval - sval) <= r['abs']
            elif kind == 'bitdata':
                ok = bitdata_equal(oval, sval)
            elif kind == 'stringified':
                ok = stringified_equal(oval, sval)
            elif kind == 'boolint':
                ok = (isinstance(sval, bool) and not isinstance(oval, bool)
                      and oval in (0, 1) and bool(oval) == sval)
            elif kind == 'charmap':
                ok = (isinstance(oval, str) and isinstance(sval, str) and
                      sval.translate(str.maketrans(r['map'])) == oval)
            elif kind == 'ratio':
                ok = (num(oval) and num(sval) and
                      abs(oval * r['ratio'] - sval) <= r.get('abs', 1e-6))
            elif kind == 'abs_tolerance':
                ok = (num(oval) and num(sval) and
                      abs(abs(oval) - sval) <= r['abs'])
            elif kind == 'strip':
                chars = r.get('chars', ' @')
                cut = str.strip if r.get('both') else str.rstrip
                ok = (isinstance(oval, str) and isinstance(sval, str) and
                      cut(oval, chars) == cut(sval, chars))
            if ok:
                self.used[r['id']] += 1
                return r['id']
        return None

    def unmatched_allowed(self, side, name, msg, sources):
        """A message only one side decoded is allowed when a rule says why
        and, if the rule names a property of the input sentence ("source"),
        an input sentence with that (type, mmsi) and that property exists
        and has not already excused another message."""
        kind = side + '_only'
        for r in self.rules:
            if r['kind'] != kind or not self._applies(r, name, msg):
                continue
            if 'source' in r:
                if sources is None:
                    continue
                cands = [c for c in sources.get((msg.get('type'), msg.get('mmsi')), [])
                         if not c['used'] and source_matches(c, r['source'])]
                if not cands:
                    continue
                cands[0]['used'] = True
            self.used[r['id']] += 1
            return r['id']
        return None

    def transform(self, name, msgs):
        """Rules of kind "gpsd_type24_merge": gpsd holds a type 24 part A
        (name) and prints nothing; a part B with a held name for its MMSI
        is printed merged with the latest one, and without one is not
        printed at all. (gpsd's store is bounded; names are held here
        without a bound, which reproduces gpsd on every shared corpus.) Applied to shiptrace's output so that the
        merged messages can be compared field by field."""
        for r in self.rules:
            if r['kind'] != 'gpsd_type24_merge':
                continue
            ring, out = [], []
            for m in msgs:
                if m.get('type') != 24 or not self._applies(r, name, m):
                    out.append(m)
                    continue
                self.used[r['id']] += 1
                if m.get('part') in ('A', 0):
                    ring.append((m.get('mmsi'), m.get('shipname', '')))
                    continue
                for i, (mmsi, shipname) in reversed(list(enumerate(ring))):
                    if mmsi == m.get('mmsi'):
                        merged = dict(m)
                        merged.pop('part', None)
                        merged['shipname'] = shipname
                        out.append(merged)
                        del ring[i]
                        break
            msgs = out
        return msgs

    def unused(self):
        return [r['id'] for r in self.rules if not self.used[r['id']]]


def num(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def stringified_equal(oval, sval):
    """One side writes a number as a JSON string ("177.391667" or "0"):
    equal when the string's number agrees with the other side's number to
    the string's own precision."""
    if isinstance(oval, str) and num(sval):
        oval, sval = sval, oval
    if not (num(oval) and isinstance(sval, str)):
        return False
    try:
        v = Num(sval)
    except ValueError:
        return False
    dec = v.decimals if v.decimals is not None else 0
    # to the string's precision, or to float32's when the number is libais's
    tol = max(0.5 * 10 ** -dec + 1e-9, 1e-6 * max(1.0, abs(oval)))
    return abs(float(v) - oval) <= tol


def bitdata_equal(a, b):
    """gpsd's "data" member is "<bit count>:<hex>"; the hex is padded to a
    whole byte. Equal when the counts agree and the first <count> bits do,
    whatever the padding bits hold."""
    try:
        na, ha = a.split(':')
        nb, hb = b.split(':')
        n = int(na)
        if n != int(nb) or len(ha) != len(hb):
            return False
        if n == 0:
            return True
        va, vb = int(ha, 16), int(hb, 16)
    except (AttributeError, ValueError):
        return False
    shift = len(ha) * 4 - n
    return (va >> shift) == (vb >> shift)


def close(a, b):
    if num(a) and num(b) and isinstance(a, float) != isinstance(b, float):
        return abs(a - b) <= 1e-6 * max(1.0, abs(b))
    if isinstance(a, float) and isinstance(b, float):
        return abs(a - b) <= 1e-6 * max(1.0, abs(b))
    return same(a, b)


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


def compare_case(name, oracle, ours, rules, tally, report, sources):
    before = collections.Counter(rules.used)
    ours = rules.transform(name, ours)
    for k, v in (rules.used - before).items():
        tally['allowed:' + k] += v
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
            rid = rules.unmatched_allowed(side, name, msgs[i], sources)
            if rid:
                tally['allowed:' + rid] += 1
                continue
            tally[side + '_only'] += 1
            where = ''
            if sources is not None:
                lines = [str(c['line']) for c in
                         sources.get((msgs[i].get('type'), msgs[i].get('mmsi')), [])]
                where = ' (input line %s)' % ' or '.join(lines[:6]) if lines else ''
            report.append('%s: message only in %s output (#%d%s): %s'
                          % (name, side, i + 1, where, json.dumps(msgs[i])[:300]))
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
        parts = rest.split(':')
        opath, spath = parts[0], parts[1]
        ipath = parts[2] if len(parts) > 2 else None
        if args.oracle == 'libais-live':
            ipath = opath
            oracle = libais_live(opath)
        else:
            oracle = load_jsonl(opath)
        ours = load_jsonl(spath)
        sources = read_sources(ipath) if ipath else None
        nMsg, nField, nO, nS = compare_case(name, oracle, ours, rules, tally,
                                            report, sources)
        print('%-44s %6d messages matched, %7d fields compared; '
              'unmatched: %d oracle, %d shiptrace'
              % (name, nMsg, nField, nO, nS))
    print('%s (%s): %d messages matched, %d fields compared, %d equal'
          % (args.oracle, args.mode, tally['messages'], tally['fields'],
             tally['fields_equal']))
    for k in sorted(k for k in tally if k.startswith('allowed:')):
        print('  allowed by %-40s %6d' % (k[8:], tally[k]))
    if tally.missing:
        byfield = collections.defaultdict(set)
        for (t, f), n in tally.missing.items():
            byfield[f].add(t)
        print('  members only the oracle writes (not compared): ' + '; '.join(
            '%s (types %s)' % (f, ','.join(str(t) for t in sorted(ts, key=str)))
            for f, ts in sorted(byfield.items())))
    fail = False
    if report:
        fail = True
        print('%d differences not in the allowlist (first 40):' % len(report))
        for line in sorted(report, key=lambda r: "only in" in r)[:int(os.environ.get("AISCOMPARE_SHOW", "40"))]:
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

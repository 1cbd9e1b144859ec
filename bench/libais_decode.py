#!/usr/bin/python3
"""libais (python3-ais) side of bench/decode.sh: decodes every AIS sentence
of an NMEA file with ais.decode, libais's C++ decoder, the fastest way to
use it from Python. Framing is kept simple, as a user of libais would write
it: find the sentence after any tag block or leading timestamp, take the
payload and fill bits, join multi-sentence messages per (channel, sequence
id). Checksums are not verified. Prints sentences, messages and errors."""
import sys

import ais


def main(path):
    nSentence = nMsg = nErr = 0
    pending = {}
    decode = ais.decode
    with open(path, 'rb') as f:
        for raw in f:
            i = raw.find(b'!')
            if i < 0:
                continue
            parts = raw[i:].split(b',', 7)
            if len(parts) < 7 or parts[0][3:6] not in (b'VDM', b'VDO'):
                continue
            nSentence += 1
            try:
                total, num = int(parts[1]), int(parts[2])
                fill = int(parts[6][:1])
            except ValueError:
                nErr += 1
                continue
            body = parts[5]
            if total > 1:
                k = (parts[4], parts[3])
                if num == 1:
                    pending[k] = [body]
                    continue
                frags = pending.get(k)
                if frags is None or len(frags) != num - 1:
                    nErr += 1
                    pending.pop(k, None)
                    continue
                frags.append(body)
                if num < total:
                    continue
                body = b''.join(pending.pop(k))
            try:
                decode(body.decode('ascii'), fill)
                nMsg += 1
            except Exception:
                nErr += 1
    print('libais: %d sentences, %d messages, %d errors'
          % (nSentence, nMsg, nErr))


if __name__ == '__main__':
    main(sys.argv[1])

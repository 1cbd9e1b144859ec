#!/usr/bin/env python3
"""Writes ais-edge.nmea: synthetic AIS sentences that sit on the edges the
decoder must get right (6-bit boundaries, signed fields, "not available"
codes, '@' padding, text that needs JSON escaping, optional and alternate
layouts). Each message is built field by field from ITU-R M.1371 layouts.
These sentences are simulated test input, not received data.

Regenerate the expected outputs with gpsd's reference decoder:
  python3 ais-edge-gen.py > ais-edge.nmea
  gpsdecode -u -j -s < ais-edge.nmea | tr -d '\\r' > ais-edge.gpsdecode-u.jsonl
  gpsdecode -j -s < ais-edge.nmea | tr -d '\\r' > ais-edge.gpsdecode-s.jsonl
"""

SIXBIT = "@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_ !\"#$%&'()*+,-./0123456789:;<=>?"


class Bits:
    def __init__(self):
        self.s = ""

    def u(self, width, value):
        assert 0 <= value < (1 << width), (width, value)
        self.s += format(value, "0%db" % width)
        return self

    def i(self, width, value):
        assert -(1 << (width - 1)) <= value < (1 << (width - 1)), (width, value)
        return self.u(width, value & ((1 << width) - 1))

    def t(self, nchar, text):
        text = text.ljust(nchar, "@")
        assert len(text) == nchar
        for c in text:
            self.u(6, SIXBIT.index(c))
        return self


def armour(bits):
    fill = (-len(bits)) % 6
    bits += "0" * fill
    out = ""
    for k in range(0, len(bits), 6):
        v = int(bits[k:k + 6], 2)
        out += chr(v + 48 if v < 40 else v + 56)
    return out, fill


def checksum(body):
    c = 0
    for ch in body:
        c ^= ord(ch)
    return "%02X" % c


SEQ = [0]


def emit(b):
    payload, fill = armour(b.s)
    chunks = [payload[k:k + 60] for k in range(0, len(payload), 60)]
    seq = ""
    if len(chunks) > 1:
        SEQ[0] = SEQ[0] % 9 + 1
        seq = str(SEQ[0])
    for n, c in enumerate(chunks):
        f = fill if n == len(chunks) - 1 else 0
        body = "AIVDM,%d,%d,%s,A,%s,%d" % (len(chunks), n + 1, seq, c, f)
        print("!%s*%s" % (body, checksum(body)))


def head(t, mmsi, repeat=0):
    return Bits().u(6, t).u(2, repeat).u(30, mmsi)


def type1(t, mmsi, status, turn, speed, acc, lon, lat, course, heading,
          second, maneuver=0, raim=0, radio=0):
    b = head(t, mmsi).u(4, status).i(8, turn).u(10, speed).u(1, acc)
    b.i(28, lon).i(27, lat).u(12, course).u(9, heading).u(6, second)
    b.u(2, maneuver).u(3, 0).u(1, raim).u(19, radio)
    return b


def type5(mmsi, callsign, shipname, shiptype, destination, draught=0,
          epfd=1, nbits=424):
    b = head(5, mmsi).u(2, 0).u(30, 9123456).t(7, callsign).t(20, shipname)
    b.u(8, shiptype).u(9, 100).u(9, 20).u(6, 5).u(6, 7).u(4, epfd)
    b.u(4, 12).u(5, 31).u(5, 23).u(6, 59).u(8, draught).t(20, destination)
    b.u(1, 1).u(1, 0)
    b.s = b.s[:nbits]
    return b


# Class A positions: extremes of every signed and coded field.
emit(type1(1, 123456789, 15, -127, 1022, 1, -108000000, -54000000, 3599, 359, 60, 1, 1, 524287))
emit(type1(1, 1, 8, 127, 1023, 0, 0x6791AC0, 0x3412140, 3600, 511, 63, 2, 0, 0))
emit(type1(2, 999999999, 0, -128, 0, 0, -1, -1, 0, 0, 0))
emit(type1(3, 211000001, 5, 5, 1, 1, 1, 1, 1, 1, 1))
emit(type1(3, 211000002, 7, -5, 101, 0, 108000000, 54000000, 1800, 180, 30))
emit(type1(1, 211000003, 1, -126, 999, 0, -30, 30, 2705, 90, 59))
# Base station report with a real date.
b = head(4, 2190047).u(14, 2024).u(4, 2).u(5, 29).u(5, 23).u(6, 59).u(6, 58)
b.u(1, 1).i(28, -3600000).i(27, 33000000).u(4, 7).u(10, 0).u(1, 1).u(19, 81921)
emit(b)
# Static data: '@' padding, embedded '@', trailing spaces, text needing
# JSON escapes, unknown codes; then the short 420-bit form.
emit(type5(211000010, "AB1 ", "SHIP@NAME", 99, "PORT \"X\" \\ Y  ", 255, 15))
emit(type5(211000011, "@@@@@@@", "  LEADING", 100, "", 0, 0))
emit(type5(211000012, "CALLSGN", "TWENTY CHARACTERS XY", 70, "DESTINATION 20 CHARS", 125, 1, 420))
# SAR aircraft: ceiling and not-available codes.
for alt, spd in ((4094, 1022), (4095, 1023), (120, 140)):
    b = head(9, 111232506).u(12, alt).u(10, spd).u(1, 1).i(28, -3000000).i(27, 25000000)
    b.u(12, 900).u(6, 12).u(8, 0).u(1, 1).u(3, 0).u(1, 1).u(1, 1).u(20, 12345)
    emit(b)
# Safety text with characters JSON must escape.
b = head(12, 211000020).u(2, 3).u(30, 211000021).u(1, 1).u(1, 0).t(12, 'SAY "HI" \\ ')
emit(b)
b = head(14, 211000022).u(2, 0).t(16, 'BACK\\SLASH "Q"  ')
emit(b)
# Class B position with everything unavailable, and an extended class B.
b = head(18, 211000030).u(8, 0).u(10, 1023).u(1, 0).i(28, 0x6791AC0).i(27, 0x3412140)
b.u(12, 3600).u(9, 511).u(6, 60).u(2, 0).u(1, 1).u(1, 0).u(1, 1).u(1, 1).u(1, 1).u(1, 1).u(1, 0).u(20, 393222)
emit(b)
b = head(19, 211000031).u(8, 0).u(10, 55).u(1, 1).i(28, -1234567).i(27, -7654321)
b.u(12, 2250).u(9, 225).u(6, 15).u(4, 0).t(20, "EXTENDED B").u(8, 37).u(9, 10).u(9, 3)
b.u(6, 2).u(6, 2).u(4, 1).u(1, 1).u(1, 0).u(1, 1).u(4, 0)
emit(b)
# Aid to navigation with a name extension, and one without.
b = head(21, 992111000).u(5, 19).t(20, "TWENTY CHAR BUOY NAM").u(1, 1).i(28, 6000000).i(27, -3000000)
b.u(9, 0).u(9, 0).u(6, 0).u(6, 0).u(4, 7).u(6, 61).u(1, 0).u(8, 0).u(1, 0).u(1, 1).u(1, 0).u(1, 0)
b.t(4, "EXT ")
emit(b)
b = head(21, 992111001).u(5, 1).t(20, "SHORT  ").u(1, 0).i(28, -6000000).i(27, 3000000)
b.u(9, 5).u(9, 5).u(6, 1).u(6, 1).u(4, 0).u(6, 60).u(1, 1).u(8, 0).u(1, 1).u(1, 0).u(1, 1).u(1, 0)
emit(b)
# Channel management: addressed form, then broadcast with negative corners.
b = head(22, 2190000).u(2, 0).u(12, 2087).u(12, 2088).u(4, 1).u(1, 1)
b.u(30, 211000040).u(5, 0).u(30, 211000041).u(5, 0).u(1, 1).u(1, 0).u(1, 1).u(3, 2).u(23, 0)
emit(b)
b = head(22, 2190001).u(2, 0).u(12, 2087).u(12, 2088).u(4, 2).u(1, 0)
b.i(18, -30).i(17, -90).i(18, 45).i(17, 15).u(1, 0).u(1, 1).u(1, 0).u(3, 4).u(23, 0)
emit(b)
# Group assignment with negative corners.
b = head(23, 2190002).u(2, 0).i(18, -108000).i(17, -54000).i(18, 107999).i(17, 53999)
b.u(4, 6).u(8, 52).u(22, 0).u(2, 1).u(4, 9).u(4, 15).u(6, 0)
emit(b)
# Class B static data: part B of an auxiliary craft (mothership MMSI), and
# an ordinary part B.
b = head(24, 981234567).u(2, 1).u(8, 31).t(3, "ABC").u(4, 2).u(20, 1000).t(7, "AUX1").u(30, 211000050).u(6, 0)
emit(b)
b = head(24, 211000051).u(2, 1).u(8, 36).t(7, "VENDOR1").t(7, "CS@@@@@").u(9, 12).u(9, 3).u(6, 2).u(6, 1).u(6, 0)
emit(b)
# Long-range broadcast with negative position and unknown status.
b = head(27, 211000060, 3).u(1, 1).u(1, 0).u(4, 15).i(18, -30).i(17, -90).u(6, 63).u(9, 511).u(1, 0).u(1, 0)
emit(b)
b = head(27, 211000061).u(1, 0).u(1, 1).u(4, 5).i(18, 90).i(17, 150).u(6, 12).u(9, 359).u(1, 1).u(1, 0)
emit(b)
# DGNSS broadcast, half-tenth positions.
b = head(17, 2190003).u(2, 0).i(18, -30).i(17, 90).u(5, 0).u(30, 123456789).u(10, 5)
emit(b)
# Binary: addressed (unregistered DAC), broadcast, single and multi slot.
b = head(6, 211000070).u(2, 1).u(30, 211000071).u(1, 1).u(1, 0).u(10, 366).u(6, 1).u(40, 0xDEADBEEF01)
emit(b)
b = head(8, 211000072).u(2, 0).u(10, 366).u(6, 2).u(20, 0xABCDE)
emit(b)
b = head(25, 211000073).u(1, 0).u(1, 1).u(16, 0x1234).u(24, 0x00FF00)
emit(b)
b = head(26, 211000074).u(1, 0).u(1, 0).u(30, 0x3FFFFFFF).u(2, 0).u(20, 0)
emit(b)
# Acknowledgements with two destinations, interrogation with one request,
# assigned mode for one station, one data-link reservation.
b = head(7, 211000080).u(2, 0).u(30, 211000081).u(2, 1).u(30, 211000082).u(2, 3)
emit(b)
b = head(15, 2190004).u(2, 0).u(30, 211000083).u(6, 5).u(12, 0)
emit(b)
b = head(16, 2190005).u(2, 0).u(30, 211000084).u(12, 100).u(10, 20).u(4, 0)
emit(b)
b = head(20, 2190006).u(2, 0).u(12, 2000).u(4, 5).u(3, 7).u(11, 1125).u(2, 0)
emit(b)
b = head(10, 211000085).u(2, 0).u(30, 211000086).u(2, 0)
emit(b)
b = head(11, 211000087).u(14, 0).u(4, 0).u(5, 0).u(5, 24).u(6, 60).u(6, 60)
b.u(1, 0).i(28, 0x6791AC0).i(27, 0x3412140).u(4, 0).u(10, 0).u(1, 0).u(19, 0)
emit(b)
b = head(13, 211000088).u(2, 0).u(30, 211000089).u(2, 2)
emit(b)
# Application payloads gpsd decodes in place of "data". IMO236 met/hydro
# (type 8, DAC 1, FID 11): temperatures and levels below their offsets,
# positions whose 4-decimal rounding is a tie, and a short one.
def met11(lat, lon, airtemp, dew, level, watertemp, nbits=352):
    b = head(8, 2190010).u(2, 0).u(10, 1).u(6, 11).i(24, lat).i(25, lon)
    b.u(5, 31).u(5, 23).u(6, 59).u(7, 12).u(7, 20).u(9, 359).u(9, 0)
    b.u(11, airtemp).u(7, 100).u(10, dew).u(9, 213).u(2, 2).u(8, 125)
    b.u(9, level).u(2, 1).u(8, 0).u(9, 90).u(8, 1).u(9, 180).u(5, 1)
    b.u(8, 2).u(9, 270).u(5, 30).u(8, 31).u(6, 5).u(9, 45).u(8, 40)
    b.u(6, 9).u(9, 300).u(4, 6).u(10, watertemp).u(3, 2).u(9, 350).u(2, 1).u(6, 0)
    b.s = b.s[:nbits]
    return b
emit(met11(-3, 3, 400, 150, 55, 50))
emit(met11(-9, -27, 600, 200, 100, 100))
emit(met11(3300420, -309562, 2047, 1023, 511, 1023, 200))
# Inland static data (type 8, DAC 200, FID 10): an ERI code, an ITU code,
# an unknown code; a hazard code out of range is not this message.
def inland10(vin, shiptype, hazard, loaded):
    b = head(8, 211000090).u(2, 0).u(10, 200).u(6, 10).t(8, vin).u(13, 1100).u(10, 95)
    b.u(14, shiptype).u(3, hazard).u(11, 250).u(2, loaded).u(1, 1).u(1, 0).u(1, 1).u(8, 0)
    return b
emit(inland10("04812345", 8021, 2, 2))
emit(inland10("VIN 1", 79, 0, 1))
emit(inland10("", 1234, 5, 3))
emit(inland10("04812345", 8010, 6, 0))
# AtoN monitoring (type 6, DAC 235 and 250, FID 10): zero and non-zero
# voltages; the wrong length is not this message.
def aton10(dac, ana_int, ana1, ana2, nbits=136):
    b = head(6, 992351000).u(2, 0).u(30, 2350000).u(1, 0).u(1, 0).u(10, dac).u(6, 10)
    b.u(10, ana_int).u(10, ana1).u(10, ana2).u(2, 2).u(2, 1).u(1, 1).u(8, 7).u(1, 1).u(4, 0)
    b.s = b.s[:nbits]
    return b
emit(aton10(235, 0, 1, 1023))
emit(aton10(250, 275, 0, 20))
emit(aton10(235, 275, 0, 20, 134))

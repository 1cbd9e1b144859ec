/* AIS messages as JSON in gpsd's conventions, the format `gpsdecode -j`
 * (scaled) and `gpsdecode -u -j` (unscaled) print: the same member names,
 * order and value representation, so their output can be diffed field by
 * field. This is the hot path of JSON lines output, so it writes straight
 * into the caller's buffer with hand-rolled integer and fixed-point
 * formatting; only the rare scaled floats whose rounding depends on binary
 * representation go through snprintf. The fixed part of any message has a
 * known worst-case size (BODY_MAX); the caller's strings are measured. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "shiptrace/ais.h"
#include "shiptrace/time.h"

/* Worst case for everything but device and source: the longest text (192
 * characters, each escaped to 2 bytes) or hex payload (149 bytes, 2 digits
 * each) plus the longest member list (type 5 scaled, ~700 bytes). */
#define BODY_MAX (ST_AIS_JSON_MAX - 100)

static const char *const azNavStatus[16] = {
	"Under way using engine",
	"At anchor",
	"Not under command",
	"Restricted manoeuverability",
	"Constrained by her draught",
	"Moored",
	"Aground",
	"Engaged in fishing",
	"Under way sailing",
	"Reserved for HSC",
	"Reserved for WIG",
	"Reserved",
	"Reserved",
	"Reserved",
	"Reserved",
	"Not defined",
};

static const char *const azEpfd[9] = {
	"Undefined",
	"GPS",
	"GLONASS",
	"Combined GPS/GLONASS",
	"Loran-C",
	"Chayka",
	"Integrated navigation system",
	"Surveyed",
	"Galileo",
};

#define RFU "Reserved for future use"
static const char *const azShipType[100] = {
	"Not available", RFU, RFU, RFU, RFU, RFU, RFU, RFU, RFU, RFU,
	RFU, RFU, RFU, RFU, RFU, RFU, RFU, RFU, RFU, RFU,
	"Wing in ground (WIG) - all ships of this type",
	"Wing in ground (WIG) - Hazardous category A",
	"Wing in ground (WIG) - Hazardous category B",
	"Wing in ground (WIG) - Hazardous category C",
	"Wing in ground (WIG) - Hazardous category D",
	"Wing in ground (WIG) - " RFU,
	"Wing in ground (WIG) - " RFU,
	"Wing in ground (WIG) - " RFU,
	"Wing in ground (WIG) - " RFU,
	"Wing in ground (WIG) - " RFU,
	"Fishing",
	"Towing",
	"Towing: length exceeds 200m or breadth exceeds 25m",
	"Dredging or underwater ops",
	"Diving ops",
	"Military ops",
	"Sailing",
	"Pleasure Craft",
	"Reserved",
	"Reserved",
	"High speed craft (HSC) - all ships of this type",
	"High speed craft (HSC) - Hazardous category A",
	"High speed craft (HSC) - Hazardous category B",
	"High speed craft (HSC) - Hazardous category C",
	"High speed craft (HSC) - Hazardous category D",
	"High speed craft (HSC) - " RFU,
	"High speed craft (HSC) - " RFU,
	"High speed craft (HSC) - " RFU,
	"High speed craft (HSC) - " RFU,
	"High speed craft (HSC) - No additional information",
	"Pilot Vessel",
	"Search and Rescue vessel",
	"Tug",
	"Port Tender",
	"Anti-pollution equipment",
	"Law Enforcement",
	"Spare - Local Vessel",
	"Spare - Local Vessel",
	"Medical Transport",
	"Ship according to RR Resolution No. 18",
	"Passenger - all ships of this type",
	"Passenger - Hazardous category A",
	"Passenger - Hazardous category B",
	"Passenger - Hazardous category C",
	"Passenger - Hazardous category D",
	"Passenger - " RFU,
	"Passenger - " RFU,
	"Passenger - " RFU,
	"Passenger - " RFU,
	"Passenger - No additional information",
	"Cargo - all ships of this type",
	"Cargo - Hazardous category A",
	"Cargo - Hazardous category B",
	"Cargo - Hazardous category C",
	"Cargo - Hazardous category D",
	"Cargo - " RFU,
	"Cargo - " RFU,
	"Cargo - " RFU,
	"Cargo - " RFU,
	"Cargo - No additional information",
	"Tanker - all ships of this type",
	"Tanker - Hazardous category A",
	"Tanker - Hazardous category B",
	"Tanker - Hazardous category C",
	"Tanker - Hazardous category D",
	"Tanker - " RFU,
	"Tanker - " RFU,
	"Tanker - " RFU,
	"Tanker - " RFU,
	"Tanker - No additional information",
	"Other Type - all ships of this type",
	"Other Type - Hazardous category A",
	"Other Type - Hazardous category B",
	"Other Type - Hazardous category C",
	"Other Type - Hazardous category D",
	"Other Type - " RFU,
	"Other Type - " RFU,
	"Other Type - " RFU,
	"Other Type - " RFU,
	"Other Type - no additional information",
};

static const char *const azStationType[16] = {
	"All types of mobiles",
	RFU,
	"All types of Class B mobile stations",
	"SAR airborne mobile station",
	"Aid to Navigation station",
	"Class B shipborne mobile station",
	"Regional use and inland waterways",
	"Regional use and inland waterways",
	"Regional use and inland waterways",
	"Regional use and inland waterways",
	RFU, RFU, RFU, RFU, RFU, RFU,
};

static const char *const azAidType[32] = {
	"Unspecified",
	"Reference point",
	"RACON",
	"Fixed offshore structure",
	"Spare, Reserved for future use.",
	"Light, without sectors",
	"Light, with sectors",
	"Leading Light Front",
	"Leading Light Rear",
	"Beacon, Cardinal N",
	"Beacon, Cardinal E",
	"Beacon, Cardinal S",
	"Beacon, Cardinal W",
	"Beacon, Port hand",
	"Beacon, Starboard hand",
	"Beacon, Preferred Channel port hand",
	"Beacon, Preferred Channel starboard hand",
	"Beacon, Isolated danger",
	"Beacon, Safe water",
	"Beacon, Special mark",
	"Cardinal Mark N",
	"Cardinal Mark E",
	"Cardinal Mark S",
	"Cardinal Mark W",
	"Port hand Mark",
	"Starboard hand Mark",
	"Preferred Channel Port hand",
	"Preferred Channel Starboard hand",
	"Isolated danger",
	"Safe Water",
	"Special Mark",
	"Light Vessel / LANBY / Rigs",
};
#undef RFU

static const char *epfd_text(unsigned n)
{
	return n < 9 ? azEpfd[n] : "INVALID EPFD";
}

static const char *shiptype_text(unsigned n)
{
	return n < 100 ? azShipType[n] : "INVALID SHIP TYPE";
}

static const char aDigit2[201] =
	"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
	"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899";

static int digit_count(uint32_t v)
{
	if (v < 10000)
		return 1 + (v >= 10) + (v >= 100) + (v >= 1000);
	if (v < 100000000)
		return 5 + (v >= 100000) + (v >= 1000000) + (v >= 10000000);
	return 9 + (v >= 1000000000);
}

/* Decimal digits written in place, two at a time from the right. Every
 * AIS field fits 32 bits; wider values (bit counts) take the slow path. */
static char *put_u(char *p, uint64_t v64)
{
	uint32_t v;
	int n;
	char *q;
	if (v64 < 10) {
		*p = (char)('0' + v64);
		return p + 1;
	}
	/* Most members are small codes: no digit count, no loop. */
	if (v64 < 100) {
		memcpy(p, aDigit2 + 2 * v64, 2);
		return p + 2;
	}
	if (v64 < 1000) {
		p[0] = (char)('0' + v64 / 100);
		memcpy(p + 1, aDigit2 + 2 * (v64 % 100), 2);
		return p + 3;
	}
	if (v64 > UINT32_MAX) {
		char aTmp[24];
		int k = snprintf(aTmp, sizeof aTmp, "%llu", (unsigned long long)v64);
		memcpy(p, aTmp, (size_t)k);
		return p + k;
	}
	v = (uint32_t)v64;
	n = digit_count(v);
	q = p + n;
	if (v >= 10000) {
		/* The low four digits apart from the rest: two short division
		 * chains the processor can run side by side instead of one
		 * long one (MMSIs and positions have eight or nine digits). */
		unsigned lo = v % 10000, lo1 = lo / 100, lo2 = lo % 100;
		v /= 10000;
		memcpy(q - 4, aDigit2 + 2 * lo1, 2);
		memcpy(q - 2, aDigit2 + 2 * lo2, 2);
		q -= 4;
	}
	while (v >= 100) {
		unsigned r = v % 100;
		v /= 100;
		q -= 2;
		q[0] = aDigit2[2 * r];
		q[1] = aDigit2[2 * r + 1];
	}
	if (v >= 10) {
		q[-2] = aDigit2[2 * v];
		q[-1] = aDigit2[2 * v + 1];
	} else {
		q[-1] = (char)('0' + v);
	}
	return p + n;
}

static char *put_i(char *p, int64_t v)
{
	if (v < 0) {
		*p++ = '-';
		return put_u(p, (uint64_t)0 - (uint64_t)v);
	}
	return put_u(p, (uint64_t)v);
}

/* At least nWidth digits, zero-padded, like "%0*u". */
static char *put_upad(char *p, unsigned v, int nWidth)
{
	int n = digit_count(v);
	while (n < nWidth--)
		*p++ = '0';
	return put_u(p, v);
}

/* The date part of the last time written ("YYYY-MM-DDT"), per thread so
 * that the library stays safe to call from several: messages come in
 * time order, so the calendar arithmetic is done about once a day. */
static _Thread_local int64_t tlDay = INT64_MIN;
static _Thread_local char tlDate[11];

/* ISO 8601 UTC like st_time_format ("...SSZ", or ".mmmZ" when the
 * milliseconds are not zero), without going through printf. */
static char *put_time(char *p, st_time_ms t)
{
	int64_t secs = t / 1000, ms = t % 1000;
	if (ms < 0) {
		ms += 1000;
		secs--;
	}
	int64_t day = secs / 86400, sod = secs % 86400;
	if (sod < 0) {
		sod += 86400;
		day--;
	}
	if (day != tlDay) {
		int y, mo, d, h, mi, sec, msec;
		st_time_to_civil(t, &y, &mo, &d, &h, &mi, &sec, &msec);
		if (y < 0 || y > 9999) {
			char z[40];
			size_t n = strlen(st_time_format(t, z, sizeof z));
			memcpy(p, z, n);
			return p + n;
		}
		char *q = put_upad(tlDate, (unsigned)y, 4);
		*q++ = '-';
		q = put_upad(q, (unsigned)mo, 2);
		*q++ = '-';
		q = put_upad(q, (unsigned)d, 2);
		*q = 'T';
		tlDay = day;
	}
	unsigned h = (unsigned)sod / 3600, mi = (unsigned)sod / 60 % 60, sec = (unsigned)sod % 60;
	memcpy(p, tlDate, sizeof tlDate);
	p += sizeof tlDate;
	memcpy(p, aDigit2 + 2 * h, 2);
	p[2] = ':';
	memcpy(p + 3, aDigit2 + 2 * mi, 2);
	p[5] = ':';
	memcpy(p + 6, aDigit2 + 2 * sec, 2);
	p += 8;
	if (ms) {
		p[0] = '.';
		p[1] = (char)('0' + ms / 100);
		memcpy(p + 2, aDigit2 + 2 * (ms % 100), 2);
		p += 4;
	}
	*p++ = 'Z';
	return p;
}

/* v / 10 with one decimal, exactly what "%.1f" prints for v / 10.0 (the
 * nearest double to d.d always rounds back to d.d). */
static char *put_tenths(char *p, unsigned v)
{
	p = put_u(p, v / 10);
	*p++ = '.';
	*p++ = (char)('0' + v % 10);
	return p;
}

/* 1/10000-minute units as degrees with "%.6f": micro-degrees are raw*5/3,
 * whose fraction is 0, 1/3 or 2/3, so rounding to nearest can never meet a
 * tie and integer arithmetic agrees with printf exactly. */
static char *put_deg6(char *p, int32_t raw)
{
	uint64_t a, micro;
	if (raw < 0) {
		*p++ = '-';
		a = (uint64_t)0 - (uint64_t)(int64_t)raw;
	} else {
		a = (uint64_t)raw;
	}
	micro = (a * 10 + 3) / 6;
	p = put_u(p, micro / 1000000);
	*p++ = '.';
	return put_upad(p, (unsigned)(micro % 1000000), 6);
}

/* Bytes that need no escaping in a JSON string (printable ASCII other than
 * '"' and '\\'); everything else goes through escape_char. */
static const uint8_t aPlain[256] = {
	['!'] = 1, ['#'] = 1, ['$'] = 1, ['%'] = 1, ['&'] = 1, ['\''] = 1,
	['('] = 1, [')'] = 1, ['*'] = 1, ['+'] = 1, [','] = 1, ['-'] = 1,
	['.'] = 1, ['/'] = 1, ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1,
	['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1,
	[':'] = 1, [';'] = 1, ['<'] = 1, ['='] = 1, ['>'] = 1, ['?'] = 1,
	['@'] = 1, ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1,
	['F'] = 1, ['G'] = 1, ['H'] = 1, ['I'] = 1, ['J'] = 1, ['K'] = 1,
	['L'] = 1, ['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1, ['Q'] = 1,
	['R'] = 1, ['S'] = 1, ['T'] = 1, ['U'] = 1, ['V'] = 1, ['W'] = 1,
	['X'] = 1, ['Y'] = 1, ['Z'] = 1, ['['] = 1, [']'] = 1, ['^'] = 1,
	['_'] = 1, ['`'] = 1, ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1,
	['e'] = 1, ['f'] = 1, ['g'] = 1, ['h'] = 1, ['i'] = 1, ['j'] = 1,
	['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1,
	['q'] = 1, ['r'] = 1, ['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1,
	['w'] = 1, ['x'] = 1, ['y'] = 1, ['z'] = 1, ['{'] = 1, ['|'] = 1,
	['}'] = 1, ['~'] = 1, [' '] = 1,
};

static const char azHex[] = "0123456789abcdef";

static const char azSixbitJson[65] =
	"@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_ !\"#$%&'()*+,-./0123456789:;<=>?";

/* Length of a valid UTF-8 sequence starting at z (at most nMax bytes
 * available), or 0. */
static size_t utf8_len(const unsigned char *z, size_t nMax)
{
	unsigned c = z[0];
	if (c >= 0xC2 && c <= 0xDF)
		return nMax >= 2 && (z[1] & 0xC0) == 0x80 ? 2 : 0;
	if (c >= 0xE0 && c <= 0xEF) {
		if (nMax < 3 || (z[1] & 0xC0) != 0x80 || (z[2] & 0xC0) != 0x80)
			return 0;
		if ((c == 0xE0 && z[1] < 0xA0) || (c == 0xED && z[1] > 0x9F))
			return 0; /* overlong, or a UTF-16 surrogate */
		return 3;
	}
	if (c >= 0xF0 && c <= 0xF4) {
		if (nMax < 4 || (z[1] & 0xC0) != 0x80 || (z[2] & 0xC0) != 0x80 ||
		    (z[3] & 0xC0) != 0x80)
			return 0;
		if ((c == 0xF0 && z[1] < 0x90) || (c == 0xF4 && z[1] > 0x8F))
			return 0;
		return 4;
	}
	return 0;
}

/* Escapes a NUL-terminated string: '"' and '\\' backslashed, control
 * characters as gpsd writes them (\b \f \n \r \t, else \u00XX), valid UTF-8
 * passed through, and any other byte as \u00XX (its Latin-1 reading, as
 * gpsd does), so the output is valid JSON whatever the input bytes. At most
 * 6 output bytes per input byte. Stops at a NUL or after nMax bytes, so a
 * caller-built message whose text lacks its terminator cannot overrun. */
static char *put_strn(char *p, const char *zIn, size_t nMax)
{
	const unsigned char *z = (const unsigned char *)zIn;
	size_t nLeft = nMax;
	for (;;) {
		unsigned c = nLeft ? *z : 0;
		if (aPlain[c]) {
			*p++ = (char)c;
			z++;
			nLeft--;
			continue;
		}
		if (c == 0)
			return p;
		if (c == '"' || c == '\\') {
			*p++ = '\\';
			*p++ = (char)c;
			z++;
			nLeft--;
			continue;
		}
		if (c >= 0x80) {
			size_t n = utf8_len(z, nLeft);
			if (n) {
				memcpy(p, z, n);
				p += n;
				z += n;
				nLeft -= n;
				continue;
			}
		}
		*p++ = '\\';
		switch (c) {
		case '\b': *p++ = 'b'; break;
		case '\f': *p++ = 'f'; break;
		case '\n': *p++ = 'n'; break;
		case '\r': *p++ = 'r'; break;
		case '\t': *p++ = 't'; break;
		default:
			*p++ = 'u';
			*p++ = '0';
			*p++ = '0';
			*p++ = azHex[c >> 4];
			*p++ = azHex[c & 15];
		}
		z++;
		nLeft--;
	}
}

static char *put_str(char *p, const char *z)
{
	return put_strn(p, z, SIZE_MAX);
}

/* One of this file's own legends (status, ship type, ...): plain ASCII
 * with nothing to escape, so copied whole rather than byte by byte. */
static char *put_legend(char *p, const char *z)
{
	size_t n = strlen(z);
	memcpy(p, z, n);
	return p + n;
}

/* gpsd's "data" member: "<bitcount>:<hex of the whole bytes>". */
static char *put_data(char *p, size_t nBit, const uint8_t *a)
{
	size_t i, nByte;
	if (nBit > ST_AIS_MAX_BITS)
		nBit = ST_AIS_MAX_BITS; /* a caller-built message can claim more */
	nByte = (nBit + 7) / 8;
	p = put_u(p, nBit);
	*p++ = ':';
	for (i = 0; i < nByte; i++) {
		*p++ = azHex[a[i] >> 4];
		*p++ = azHex[a[i] & 15];
	}
	return p;
}

/* printf for the rare scaled values; the caller guarantees the room. */
static char *put_fmt(char *p, const char *zFmt, double v)
{
	int n = snprintf(p, 64, zFmt, v);
	return p + (n > 0 && n < 64 ? n : 0);
}

#define LIT(s) (memcpy(p, s, sizeof(s) - 1), p += sizeof(s) - 1)
#define FU(k, v) (LIT(",\"" k "\":"), p = put_u(p, (v)))
#define FI(k, v) (LIT(",\"" k "\":"), p = put_i(p, (v)))
#define FB(k, v) ((v) ? LIT(",\"" k "\":true") : LIT(",\"" k "\":false"))
#define FS(k, z) (LIT(",\"" k "\":\""), p = put_str(p, (z)), *p++ = '"')
#define FL(k, z) (LIT(",\"" k "\":\""), p = put_legend(p, (z)), *p++ = '"')
/* A text member of the message: bounded by its array. */
#define FT(k, a) (LIT(",\"" k "\":\""), p = put_strn(p, (a), sizeof(a)), *p++ = '"')
#define FDEG(k, v) (LIT(",\"" k "\":"), p = put_deg6(p, (v)))
#define FTENTHS(k, v) (LIT(",\"" k "\":"), p = put_tenths(p, (v)))
#define FDATA(k, n, a) (LIT(",\"" k "\":\""), p = put_data(p, (n), (a)), *p++ = '"')

/* Latitude/longitude pair in 1/10000 minute, in gpsd's order lon, lat. */
#define FLONLAT(lon, lat)                                                      \
	do {                                                                   \
		if (bScaled) {                                                 \
			FDEG("lon", lon);                                      \
			FDEG("lat", lat);                                      \
		} else {                                                       \
			FI("lon", lon);                                        \
			FI("lat", lat);                                        \
		}                                                              \
	} while (0)

/* 1/10-minute corners (types 22 and 23), quoted "%f" strings when scaled
 * as gpsd prints them. */
static char *put_corner(char *p, const char *zKey, int v, bool bScaled)
{
	size_t n = strlen(zKey);
	*p++ = ',';
	*p++ = '"';
	memcpy(p, zKey, n);
	p += n;
	*p++ = '"';
	*p++ = ':';
	if (!bScaled)
		return put_i(p, v);
	*p++ = '"';
	p = put_fmt(p, "%f", v / 600.0);
	*p++ = '"';
	return p;
}

/* Application-specific payloads (DAC/FID) that gpsd decodes in place of
 * "data", so that our output matches it on those real messages: IMO236
 * meteorological and hydrological data (type 8, DAC 1, FID 11), inland
 * ship static data (type 8, DAC 200, FID 10) and AtoN monitoring data (type
 * 6, DAC 235/250, FID 10). They are read from bitdata here, so the decoded
 * message keeps one raw form. Offsets below are from the start of the
 * message, as in the published layouts. */

/* nBit bits at iStart of a message whose payload (bitdata) starts at bit
 * iBase; bits outside the payload read as 0. */
static uint32_t app_bits(const uint8_t *aData, size_t nData, unsigned iBase,
                         unsigned iStart, unsigned nBit)
{
	uint32_t v = 0;
	unsigned i;
	for (i = 0; i < nBit; i++) {
		size_t k = (size_t)(iStart - iBase + i);
		unsigned bit = k < nData ? (aData[k >> 3] >> (7 - (k & 7))) & 1 : 0;
		v = v << 1 | bit;
	}
	return v;
}

static int32_t app_sbits(const uint8_t *aData, size_t nData, unsigned iBase,
                         unsigned iStart, unsigned nBit)
{
	uint32_t v = app_bits(aData, nData, iBase, iStart, nBit);
	if (v >> (nBit - 1))
		return (int32_t)(v - (1u << (nBit - 1)) - (1u << (nBit - 1)));
	return (int32_t)v;
}

/* A signed count of tenths with one decimal, as "%.1f" prints n / 10.0. */
static char *put_tenths_signed(char *p, int32_t n)
{
	if (n < 0) {
		*p++ = '-';
		return put_tenths(p, (unsigned)(-(int64_t)n));
	}
	return put_tenths(p, (unsigned)n);
}

static const char *const azTrend[4] = {"steady", "increasing", "decreasing", "N/A"};
static const char *const azPrecip[8] = {
	"reserved", "rain", "thunderstorm", "freezing rain", "mixed/ice",
	"snow", "reserved", "N/A",
};
static const char *const azIce[4] = {"no", "yes", "reserved", "N/A"};

static char *put_dac1_fid11(char *p, const uint8_t *a, size_t n, bool bScaled)
{
#define B(start, width) app_bits(a, n, 56, start, width)
	static const struct {
		const char *zKey;
		unsigned iStart, nBit;
		int iOffset;       /* scaled value is (raw - iOffset) ... */
		bool bTenths;      /* ... in tenths */
	} aField[] = {
		{"wspeed", 121, 7, 0, false}, {"wgust", 128, 7, 0, false},
		{"wdir", 135, 9, 0, false}, {"wgustdir", 144, 9, 0, false},
		{"humidity", 164, 7, 0, false}, {"airtemp", 153, 11, 600, true},
		{"dewpoint", 171, 10, 200, true}, {"pressure", 181, 9, -800, false},
		{"pressuretend", 190, 2, 0, false}, {"visibility", 192, 8, 0, true},
		{"waterlevel", 200, 9, 100, true}, {"leveltrend", 209, 2, 0, false},
		{"cspeed", 211, 8, 0, true}, {"cdir", 219, 9, 0, false},
		{"cspeed2", 228, 8, 0, true}, {"cdir2", 236, 9, 0, false},
		{"cdepth2", 245, 5, 0, false}, {"cspeed3", 250, 8, 0, true},
		{"cdir3", 258, 9, 0, false}, {"cdepth3", 267, 5, 0, false},
		{"waveheight", 272, 8, 0, true}, {"waveperiod", 280, 6, 0, false},
		{"wavedir", 286, 9, 0, false}, {"swellheight", 295, 8, 0, true},
		{"swellperiod", 303, 6, 0, false}, {"swelldir", 309, 9, 0, false},
		{"seastate", 318, 4, 0, false}, {"watertemp", 322, 10, 100, true},
		{"preciptype", 332, 3, 0, false}, {"salinity", 335, 9, 0, true},
		{"ice", 344, 2, 0, false},
	};
	size_t i;
	int32_t lat = app_sbits(a, n, 56, 56, 24), lon = app_sbits(a, n, 56, 80, 25);
	if (bScaled) {
		/* 1/1000 minute to 4 decimals: ties exist, so printf. */
		LIT(",\"lat\":");
		p = put_fmt(p, "%.4f", lat / 60000.0);
		LIT(",\"lon\":");
		p = put_fmt(p, "%.4f", lon / 60000.0);
	} else {
		FI("lat", lat);
		FI("lon", lon);
	}
	LIT(",\"timestamp\":\"");
	p = put_upad(p, B(105, 5), 2);
	*p++ = 'T';
	p = put_upad(p, B(110, 5), 2);
	*p++ = ':';
	p = put_upad(p, B(115, 6), 2);
	LIT("Z\"");
	for (i = 0; i < sizeof aField / sizeof aField[0]; i++) {
		uint32_t v = B(aField[i].iStart, aField[i].nBit);
		size_t nKey = strlen(aField[i].zKey);
		*p++ = ',';
		*p++ = '"';
		memcpy(p, aField[i].zKey, nKey);
		p += nKey;
		LIT("\":");
		if (bScaled && aField[i].nBit == 2 && aField[i].iStart < 300) {
			/* pressure and water level trends as words */
			*p++ = '"';
			p = put_legend(p, azTrend[v & 3]);
			*p++ = '"';
		} else if (bScaled && aField[i].bTenths)
			p = put_tenths_signed(p, (int32_t)v - aField[i].iOffset);
		else if (bScaled)
			p = put_i(p, (int64_t)v - aField[i].iOffset);
		else
			p = put_u(p, v);
		if (aField[i].iStart == 332)
			FL("preciptype_text", azPrecip[v & 7]);
		else if (aField[i].iStart == 344)
			FL("ice_text", azIce[v & 3]);
	}
	return p;
#undef B
}

/* Inland (ERI) ship types: the code, the ITU type it maps to, the legend;
 * gpsd matches either number, first match wins, the last entry otherwise. */
static const struct {
	unsigned code, ais;
	const char *zLegend;
} aEriType[] = {
	{8000, 99, "Vessel, type unknown"},
	{8010, 79, "Motor freighter"},
	{8020, 89, "Motor tanker"},
	{8021, 80, "Motor tanker, liquid cargo, type N"},
	{8022, 80, "Motor tanker, liquid cargo, type C"},
	{8023, 89, "Motor tanker, dry cargo as if liquid (e.g. cement)"},
	{8030, 79, "Container vessel"},
	{8040, 80, "Gas tanker"},
	{8050, 79, "Motor freighter, tug"},
	{8060, 89, "Motor tanker, tug"},
	{8070, 79, "Motor freighter with one or more ships alongside"},
	{8080, 89, "Motor freighter with tanker"},
	{8090, 79, "Motor freighter pushing one or more freighters"},
	{8100, 89, "Motor freighter pushing at least one tank-ship"},
	{8110, 79, "Tug, freighter"},
	{8120, 89, "Tug, tanker"},
	{8130, 31, "Tug freighter, coupled"},
	{8140, 31, "Tug, freighter/tanker, coupled"},
	{8150, 99, "Freightbarge"},
	{8160, 99, "Tankbarge"},
	{8161, 90, "Tankbarge, liquid cargo, type N"},
	{8162, 90, "Tankbarge, liquid cargo, type C"},
	{8163, 99, "Tankbarge, dry cargo as if liquid (e.g. cement)"},
	{8170, 99, "Freightbarge with containers"},
	{8180, 90, "Tankbarge, gas"},
	{8210, 79, "Pushtow, one cargo barge"},
	{8220, 79, "Pushtow, two cargo barges"},
	{8230, 79, "Pushtow, three cargo barges"},
	{8240, 79, "Pushtow, four cargo barges"},
	{8250, 79, "Pushtow, five cargo barges"},
	{8260, 79, "Pushtow, six cargo barges"},
	{8270, 79, "Pushtow, seven cargo barges"},
	{8280, 79, "Pushtow, eigth cargo barges"},
	{8290, 79, "Pushtow, nine or more barges"},
	{8310, 80, "Pushtow, one tank/gas barge"},
	{8320, 80, "Pushtow, two barges at least one tanker or gas barge"},
	{8330, 80, "Pushtow, three barges at least one tanker or gas barge"},
	{8340, 80, "Pushtow, four barges at least one tanker or gas barge"},
	{8350, 80, "Pushtow, five barges at least one tanker or gas barge"},
	{8360, 80, "Pushtow, six barges at least one tanker or gas barge"},
	{8370, 80, "Pushtow, seven barges at least one tanker or gas barg"},
	{0, 0, "Illegal ship type value."},
};

static const char *const azHazard[6] = {
	"0 blue cones/lights", "1 blue cone/light", "2 blue cones/lights",
	"3 blue cones/lights", "4 B-Flag", "Unknown",
};
static const char *const azLoaded[3] = {"N/A (default)", "Unloaded", "Loaded"};

static char *put_dac200_fid10(char *p, const uint8_t *a, size_t n)
{
#define B(start, width) app_bits(a, n, 56, start, width)
	char zVin[9];
	unsigned i, type = B(127, 14), loaded = B(155, 2);
	for (i = 0; i < 8; i++) {
		char c = azSixbitJson[B(56 + 6 * i, 6)];
		if (c == '@')
			break;
		zVin[i] = c;
	}
	while (i > 0 && zVin[i - 1] == ' ')
		i--;
	zVin[i] = 0;
	FS("vin", zVin);
	FU("length", B(104, 13));
	FU("beam", B(117, 10));
	FU("shiptype", type);
	for (i = 0; aEriType[i].code; i++)
		if (aEriType[i].code == type || aEriType[i].ais == type)
			break;
	FL("shiptype_text", aEriType[i].zLegend);
	FU("hazard", B(141, 3));
	FL("hazard_text", azHazard[B(141, 3)]);
	FU("draught", B(144, 11));
	FU("loaded", loaded);
	FL("loaded_text", loaded < 3 ? azLoaded[loaded] : "INVALID LOAD STATUS");
	FB("speed_q", B(157, 1));
	FB("course_q", B(158, 1));
	FB("heading_q", B(159, 1));
	return p;
#undef B
}

static const char *const azRacon[4] = {
	"No RACON installed", "RACON not monitored", "RACON operational", "RACON ERROR",
};
static const char *const azLight[4] = {
	"No light or no monitoring", "Light ON", "Light OFF", "Light ERROR",
};

/* 0.05 V units: "%.2f" when scaled and not zero, as gpsd. */
static char *put_volts(char *p, const char *zKey, unsigned v, bool bScaled)
{
	size_t nKey = strlen(zKey);
	*p++ = ',';
	*p++ = '"';
	memcpy(p, zKey, nKey);
	p += nKey;
	*p++ = '"';
	*p++ = ':';
	if (!bScaled || v == 0)
		return put_u(p, v);
	p = put_u(p, v * 5 / 100);
	*p++ = '.';
	return put_upad(p, v * 5 % 100, 2);
}

static char *put_dac235_fid10(char *p, const uint8_t *a, size_t n, bool bScaled)
{
#define B(start, width) app_bits(a, n, 88, start, width)
	FB("off_pos", B(131, 1));
	FB("alarm", B(122, 1));
	FU("stat_ext", B(123, 8));
	p = put_volts(p, "ana_int", B(88, 10), bScaled);
	p = put_volts(p, "ana_ext1", B(98, 10), bScaled);
	p = put_volts(p, "ana_ext2", B(108, 10), bScaled);
	FU("racon", B(118, 2));
	FL("racon_text", azRacon[B(118, 2)]);
	FU("light", B(120, 2));
	FL("light_text", azLight[B(120, 2)]);
	return p;
#undef B
}

/* The decoded members for a known application payload, or NULL to print
 * "data". The length and sanity conditions are gpsd's, so that we decode
 * exactly the messages it does. */
static char *put_app(char *p, const st_ais_msg *m, bool bScaled)
{
	if (m->type == 8) {
		const uint8_t *a = m->type8.bitdata;
		size_t n = m->type8.bitcount;
		/* Real senders leave out trailing bits (288 payload bits
		 * seen for 290 defined); gpsd decodes whatever is there with
		 * the rest as 0, and so do we. */
		if (m->type8.dac == 1 && m->type8.fid == 11)
			return put_dac1_fid11(p, a, n, bScaled);
		/* Exactly one slot, and a hazard code in range: otherwise
		 * gpsd takes it for some other DAC 200 use. */
		if (m->type8.dac == 200 && m->type8.fid == 10 && n == 168 - 56 &&
		    app_bits(a, n, 56, 141, 3) < 6)
			return put_dac200_fid10(p, a, n);
	} else if (m->type == 6) {
		if ((m->type6.dac == 235 || m->type6.dac == 250) &&
		    m->type6.fid == 10 && m->type6.bitcount == 136 - 88)
			return put_dac235_fid10(p, m->type6.bitdata,
			                        m->type6.bitcount, bScaled);
	}
	return NULL;
}

static char *put_body(char *p, const st_ais_msg *m, bool bScaled)
{
	switch (m->type) {
	case 1:
	case 2:
	case 3:
		FU("status", m->type1.status);
		FL("status_text", azNavStatus[m->type1.status & 15]);
		if (!bScaled) {
			FI("turn", m->type1.turn);
			FU("speed", m->type1.speed);
		} else {
			/* gpsd squares the rate so the sign is lost; copied
			 * as is, since matching gpsdecode is the point. */
			LIT(",\"turn\":");
			if (m->type1.turn == -128)
				LIT("\"nan\"");
			else if (m->type1.turn == -127)
				LIT("\"fastleft\"");
			else if (m->type1.turn == 127)
				LIT("\"fastright\"");
			else {
				double r = m->type1.turn / 4.733;
				p = put_fmt(p, "%.0f", r * r);
			}
			LIT(",\"speed\":");
			if (m->type1.speed == ST_AIS_SPEED_NA)
				LIT("\"nan\"");
			else if (m->type1.speed == ST_AIS_SPEED_NA - 1)
				LIT("\"fast\"");
			else
				p = put_tenths(p, m->type1.speed);
		}
		FB("accuracy", m->type1.accuracy);
		FLONLAT(m->type1.lon, m->type1.lat);
		if (bScaled)
			FTENTHS("course", m->type1.course);
		else
			FU("course", m->type1.course);
		FU("heading", m->type1.heading);
		FU("second", m->type1.second);
		FU("maneuver", m->type1.maneuver);
		FB("raim", m->type1.raim);
		FU("radio", m->type1.radio);
		break;
	case 4:
	case 11:
		LIT(",\"timestamp\":\"");
		p = put_upad(p, m->type4.year, 4);
		*p++ = '-';
		p = put_upad(p, m->type4.month, 2);
		*p++ = '-';
		p = put_upad(p, m->type4.day, 2);
		*p++ = 'T';
		p = put_upad(p, m->type4.hour, 2);
		*p++ = ':';
		p = put_upad(p, m->type4.minute, 2);
		*p++ = ':';
		p = put_upad(p, m->type4.second, 2);
		LIT("Z\"");
		FB("accuracy", m->type4.accuracy);
		FLONLAT(m->type4.lon, m->type4.lat);
		FU("epfd", m->type4.epfd);
		FL("epfd_text", epfd_text(m->type4.epfd));
		FB("raim", m->type4.raim);
		FU("radio", m->type4.radio);
		break;
	case 5:
		FU("imo", m->type5.imo);
		FU("ais_version", m->type5.ais_version);
		FT("callsign", m->type5.callsign);
		FT("shipname", m->type5.shipname);
		FU("shiptype", m->type5.shiptype);
		FL("shiptype_text", shiptype_text(m->type5.shiptype));
		FU("to_bow", m->type5.to_bow);
		FU("to_stern", m->type5.to_stern);
		FU("to_port", m->type5.to_port);
		FU("to_starboard", m->type5.to_starboard);
		FU("epfd", m->type5.epfd);
		FL("epfd_text", epfd_text(m->type5.epfd));
		LIT(",\"eta\":\"");
		p = put_upad(p, m->type5.month, 2);
		*p++ = '-';
		p = put_upad(p, m->type5.day, 2);
		*p++ = 'T';
		p = put_upad(p, m->type5.hour, 2);
		*p++ = ':';
		p = put_upad(p, m->type5.minute, 2);
		LIT("Z\"");
		if (bScaled)
			FTENTHS("draught", m->type5.draught);
		else
			FU("draught", m->type5.draught);
		FT("destination", m->type5.destination);
		FU("dte", m->type5.dte);
		break;
	case 6:
		FU("seqno", m->type6.seqno);
		FU("dest_mmsi", m->type6.dest_mmsi);
		FB("retransmit", m->type6.retransmit);
		FU("dac", m->type6.dac);
		FU("fid", m->type6.fid);
		{
			char *pApp = put_app(p, m, bScaled);
			if (pApp)
				p = pApp;
			else
				FDATA("data", m->type6.bitcount, m->type6.bitdata);
		}
		break;
	case 7:
	case 13:
		FU("mmsi1", m->type7.mmsi1);
		FU("mmsi2", m->type7.mmsi2);
		FU("mmsi3", m->type7.mmsi3);
		FU("mmsi4", m->type7.mmsi4);
		break;
	case 8:
		FU("dac", m->type8.dac);
		FU("fid", m->type8.fid);
		{
			char *pApp = put_app(p, m, bScaled);
			if (pApp)
				p = pApp;
			else
				FDATA("data", m->type8.bitcount, m->type8.bitdata);
		}
		break;
	case 9:
		if (!bScaled) {
			FU("alt", m->type9.alt);
			FU("speed", m->type9.speed);
		} else {
			LIT(",\"alt\":");
			if (m->type9.alt == ST_AIS_ALT_NA)
				LIT("\"nan\"");
			else if (m->type9.alt == ST_AIS_ALT_NA - 1)
				LIT("\"high\"");
			else
				p = put_u(p, m->type9.alt);
			LIT(",\"speed\":");
			if (m->type9.speed == ST_AIS_SPEED9_NA)
				LIT("\"nan\"");
			else if (m->type9.speed == ST_AIS_SPEED9_NA - 1)
				LIT("\"fast\"");
			else
				p = put_u(p, m->type9.speed);
		}
		FB("accuracy", m->type9.accuracy);
		FLONLAT(m->type9.lon, m->type9.lat);
		if (bScaled)
			FTENTHS("course", m->type9.course);
		else
			FU("course", m->type9.course);
		FU("second", m->type9.second);
		FU("regional", m->type9.regional);
		FU("dte", m->type9.dte);
		FB("assigned", m->type9.assigned);
		FB("raim", m->type9.raim);
		FU("radio", m->type9.radio);
		break;
	case 10:
		FU("dest_mmsi", m->type10.dest_mmsi);
		break;
	case 12:
		FU("seqno", m->type12.seqno);
		FU("dest_mmsi", m->type12.dest_mmsi);
		FB("retransmit", m->type12.retransmit);
		FT("text", m->type12.text);
		break;
	case 14:
		FT("text", m->type14.text);
		break;
	case 15:
		FU("mmsi1", m->type15.mmsi1);
		FU("type1_1", m->type15.type1_1);
		FU("offset1_1", m->type15.offset1_1);
		FU("type1_2", m->type15.type1_2);
		FU("offset1_2", m->type15.offset1_2);
		FU("mmsi2", m->type15.mmsi2);
		FU("type2_1", m->type15.type2_1);
		FU("offset2_1", m->type15.offset2_1);
		break;
	case 16:
		FU("mmsi1", m->type16.mmsi1);
		FU("offset1", m->type16.offset1);
		FU("increment1", m->type16.increment1);
		FU("mmsi2", m->type16.mmsi2);
		FU("offset2", m->type16.offset2);
		FU("increment2", m->type16.increment2);
		break;
	case 17:
		if (bScaled) {
			LIT(",\"lon\":");
			p = put_fmt(p, "%.1f", m->type17.lon / 600.0);
			LIT(",\"lat\":");
			p = put_fmt(p, "%.1f", m->type17.lat / 600.0);
		} else {
			FI("lon", m->type17.lon);
			FI("lat", m->type17.lat);
		}
		FDATA("data", m->type17.bitcount, m->type17.bitdata);
		break;
	case 18:
		FU("reserved", m->type18.reserved);
		if (bScaled)
			FTENTHS("speed", m->type18.speed);
		else
			FU("speed", m->type18.speed);
		FB("accuracy", m->type18.accuracy);
		FLONLAT(m->type18.lon, m->type18.lat);
		if (bScaled)
			FTENTHS("course", m->type18.course);
		else
			FU("course", m->type18.course);
		FU("heading", m->type18.heading);
		FU("second", m->type18.second);
		FU("regional", m->type18.regional);
		FB("cs", m->type18.cs);
		FB("display", m->type18.display);
		FB("dsc", m->type18.dsc);
		FB("band", m->type18.band);
		FB("msg22", m->type18.msg22);
		FB("assigned", m->type18.assigned);
		FB("raim", m->type18.raim);
		FU("radio", m->type18.radio);
		break;
	case 19:
		FU("reserved", m->type19.reserved);
		if (bScaled)
			FTENTHS("speed", m->type19.speed);
		else
			FU("speed", m->type19.speed);
		FB("accuracy", m->type19.accuracy);
		FLONLAT(m->type19.lon, m->type19.lat);
		if (bScaled)
			FTENTHS("course", m->type19.course);
		else
			FU("course", m->type19.course);
		FU("heading", m->type19.heading);
		FU("second", m->type19.second);
		FU("regional", m->type19.regional);
		FT("shipname", m->type19.shipname);
		FU("shiptype", m->type19.shiptype);
		FL("shiptype_text", shiptype_text(m->type19.shiptype));
		FU("to_bow", m->type19.to_bow);
		FU("to_stern", m->type19.to_stern);
		FU("to_port", m->type19.to_port);
		FU("to_starboard", m->type19.to_starboard);
		FU("epfd", m->type19.epfd);
		FL("epfd_text", epfd_text(m->type19.epfd));
		FB("raim", m->type19.raim);
		FU("dte", m->type19.dte);
		FB("assigned", m->type19.assigned);
		break;
	case 20:
		FU("offset1", m->type20.offset1);
		FU("number1", m->type20.number1);
		FU("timeout1", m->type20.timeout1);
		FU("increment1", m->type20.increment1);
		FU("offset2", m->type20.offset2);
		FU("number2", m->type20.number2);
		FU("timeout2", m->type20.timeout2);
		FU("increment2", m->type20.increment2);
		FU("offset3", m->type20.offset3);
		FU("number3", m->type20.number3);
		FU("timeout3", m->type20.timeout3);
		FU("increment3", m->type20.increment3);
		FU("offset4", m->type20.offset4);
		FU("number4", m->type20.number4);
		FU("timeout4", m->type20.timeout4);
		FU("increment4", m->type20.increment4);
		break;
	case 21:
		FU("aid_type", m->type21.aid_type);
		FL("aid_type_text", azAidType[m->type21.aid_type & 31]);
		FT("name", m->type21.name);
		/* gpsd moves accuracy after the position when scaled. */
		if (bScaled) {
			FLONLAT(m->type21.lon, m->type21.lat);
			FB("accuracy", m->type21.accuracy);
		} else {
			FB("accuracy", m->type21.accuracy);
			FLONLAT(m->type21.lon, m->type21.lat);
		}
		FU("to_bow", m->type21.to_bow);
		FU("to_stern", m->type21.to_stern);
		FU("to_port", m->type21.to_port);
		FU("to_starboard", m->type21.to_starboard);
		FU("epfd", m->type21.epfd);
		FL("epfd_text", epfd_text(m->type21.epfd));
		FU("second", m->type21.second);
		FU("regional", m->type21.regional);
		FB("off_position", m->type21.off_position);
		FB("raim", m->type21.raim);
		FB("virtual_aid", m->type21.virtual_aid);
		FB("assigned", m->type21.assigned);
		break;
	case 22:
		FU("channel_a", m->type22.channel_a);
		FU("channel_b", m->type22.channel_b);
		FU("txrx", m->type22.txrx);
		FB("power", m->type22.power);
		if (m->type22.addressed) {
			FU("dest1", m->type22.dest1);
			FU("dest2", m->type22.dest2);
		} else {
			p = put_corner(p, "ne_lon", m->type22.ne_lon, bScaled);
			p = put_corner(p, "ne_lat", m->type22.ne_lat, bScaled);
			p = put_corner(p, "sw_lon", m->type22.sw_lon, bScaled);
			p = put_corner(p, "sw_lat", m->type22.sw_lat, bScaled);
		}
		FB("addressed", m->type22.addressed);
		FB("band_a", m->type22.band_a);
		FB("band_b", m->type22.band_b);
		FU("zonesize", m->type22.zonesize);
		break;
	case 23:
		p = put_corner(p, "ne_lon", m->type23.ne_lon, bScaled);
		p = put_corner(p, "ne_lat", m->type23.ne_lat, bScaled);
		p = put_corner(p, "sw_lon", m->type23.sw_lon, bScaled);
		p = put_corner(p, "sw_lat", m->type23.sw_lat, bScaled);
		FU("stationtype", m->type23.stationtype);
		FL("stationtype_text", azStationType[m->type23.stationtype & 15]);
		FU("shiptype", m->type23.shiptype);
		FL("shiptype_text", shiptype_text(m->type23.shiptype));
		FU("txrx", m->type23.txrx);
		FU("interval", m->type23.interval);
		FU("quiet", m->type23.quiet);
		break;
	case 24: {
		/* A part B whose caller filled in the shipname from the
		 * matching part A prints as gpsd's merged report, without
		 * "part". */
		bool bMerged = m->type24.part == 1 && m->type24.shipname[0];
		if (!bMerged && m->type24.part == 0)
			LIT(",\"part\":\"A\"");
		else if (!bMerged)
			LIT(",\"part\":\"B\"");
		if (m->type24.part == 0 || bMerged)
			FT("shipname", m->type24.shipname);
		if (m->type24.part == 1) {
			FU("shiptype", m->type24.shiptype);
			FL("shiptype_text", shiptype_text(m->type24.shiptype));
			FT("vendorid", m->type24.vendorid);
			FU("model", m->type24.model);
			FU("serial", m->type24.serial);
			FT("callsign", m->type24.callsign);
			if (m->mmsi / 10000000 == 98) {
				FU("mothership_mmsi", m->type24.mothership_mmsi);
			} else {
				FU("to_bow", m->type24.to_bow);
				FU("to_stern", m->type24.to_stern);
				FU("to_port", m->type24.to_port);
				FU("to_starboard", m->type24.to_starboard);
			}
		}
		break;
	}
	case 25:
	case 26:
		FB("addressed", m->type25.addressed);
		FB("structured", m->type25.structured);
		FU("dest_mmsi", m->type25.dest_mmsi);
		FU("app_id", m->type25.app_id);
		FDATA("data", m->type25.bitcount, m->type25.bitdata);
		if (m->type == 26)
			FU("radio", m->type25.radio);
		break;
	case 27:
		if (bScaled)
			FL("status", azNavStatus[m->type27.status & 15]);
		else
			FU("status", m->type27.status);
		FB("accuracy", m->type27.accuracy);
		if (bScaled) {
			LIT(",\"lon\":");
			p = put_fmt(p, "%.1f", m->type27.lon / 600.0);
			LIT(",\"lat\":");
			p = put_fmt(p, "%.1f", m->type27.lat / 600.0);
		} else {
			FI("lon", m->type27.lon);
			FI("lat", m->type27.lat);
		}
		FU("speed", m->type27.speed);
		FU("course", m->type27.course);
		FB("raim", m->type27.raim);
		FB("gnss", m->type27.gnss);
		break;
	default:
		break;
	}
	return p;
}

/* Upper bound of put_str's output for z. */
static size_t escaped_max(const char *z)
{
	return z ? 6 * strlen(z) : 0;
}

static char *put_all(char *p, const st_ais_msg *m, const st_ais_json_opts *o)
{
	bool bScaled = o && o->scaled;
	LIT("{\"class\":\"AIS\"");
	if (o && o->device && o->device[0])
		FS("device", o->device);
	FU("type", m->type);
	FU("repeat", m->repeat);
	FU("mmsi", m->mmsi);
	FB("scaled", bScaled);
	p = put_body(p, m, bScaled);
	if (o && o->rxtime != ST_TIME_NONE) {
		LIT(",\"rxtime\":\"");
		p = put_time(p, o->rxtime);
		*p++ = '"';
	} else if (o && o->mark_untimed) {
		/* the input gave no receive time: say so rather than leave the
		 * reader to guess from an absent member */
		LIT(",\"rxtime\":null");
	}
	if (o && o->source && o->source[0])
		FS("source", o->source);
	*p++ = '}';
	return p;
}

int st_ais_json(const st_ais_msg *m, const st_ais_json_opts *opts, char *buf,
                size_t n)
{
	size_t nNeed = BODY_MAX + 64;
	char *pEnd;
	if (opts)
		nNeed += escaped_max(opts->device) + escaped_max(opts->source);
	if (n > nNeed) {
		pEnd = put_all(buf, m, opts);
		*pEnd = 0;
		return (int)(pEnd - buf);
	}
	/* A small buffer: build in scratch space, then copy if it fits. */
	if (nNeed <= 8192) {
		char aTmp[8192];
		size_t nOut;
		pEnd = put_all(aTmp, m, opts);
		nOut = (size_t)(pEnd - aTmp);
		if (nOut < n) {
			memcpy(buf, aTmp, nOut);
			buf[nOut] = 0;
			return (int)nOut;
		}
	}
	return -1;
}

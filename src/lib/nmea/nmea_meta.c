/* Receive metadata around an NMEA sentence: IEC 61162-1 tag blocks
 * (\s:source,c:epoch,g:1-2-id*hh\), Gatehouse $PGHP time records, USCG
 * trailer fields after the checksum and bare epochs in front of a line.
 * Each parser reads its bytes once, never allocates and never writes into
 * the line; what it finds points back into the caller's buffer. $PGHP has
 * a second reader for its usual shape that reuses the previous record's
 * minute and day (st__nmea_pghp_fast in nmea_int.h; st__nmea_pghp_minute
 * here reads a new minute). */
#include <string.h>
#include "shiptrace/time.h"
#include "nmea/nmea_int.h"

#define X16 0x100, 0x100, 0x100, 0x100, 0x100, 0x100, 0x100, 0x100, \
            0x100, 0x100, 0x100, 0x100, 0x100, 0x100, 0x100, 0x100
const uint16_t st__nmea_aHex[256] = {
	X16, X16, X16,
	0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0x100, 0x100, 0x100, 0x100, 0x100, 0x100,
	0x100, 10, 11, 12, 13, 14, 15, 0x100, 0x100, 0x100, 0x100, 0x100, 0x100, 0x100, 0x100, 0x100,
	X16,
	0x100, 10, 11, 12, 13, 14, 15, 0x100, 0x100, 0x100, 0x100, 0x100, 0x100, 0x100, 0x100, 0x100,
	X16, X16, X16, X16, X16, X16, X16, X16, X16,
};
#undef X16

/* Seconds below this, milliseconds from it: 1e11 s is the year 5138, 1e11
 * ms is 1973, so the two ranges real feeds use never meet. */
#define MS_THRESHOLD 100000000000LL

st_time_ms st__nmea_epoch(const char *z, const char *end, const char **pzEnd)
{
	const char *p = z;
	int64_t v = 0;
	int nDigit = 0;
	/* Epochs have ten digits (thirteen in milliseconds): take the first
	 * eight in one step when they are there. */
	if (end - p >= 8) {
		int64_t e = st__nmea_digits8(p);
		if (e >= 0) {
			v = e;
			nDigit = 8;
			p += 8;
		}
	}
	while (p < end && *p >= '0' && *p <= '9') {
		/* Twenty digits would overflow: no epoch is that long. */
		if (++nDigit > 16)
			return ST_TIME_NONE;
		v = v * 10 + (*p - '0');
		p++;
	}
	if (nDigit == 0)
		return ST_TIME_NONE;
	int64_t frac = 0;
	if (p < end && *p == '.') {
		int nFrac = 0;
		p++;
		while (p < end && *p >= '0' && *p <= '9') {
			if (nFrac < 3) {
				frac = frac * 10 + (*p - '0');
				nFrac++;
			}
			p++;
		}
		while (nFrac < 3) {
			frac *= 10;
			nFrac++;
		}
	}
	*pzEnd = p;
	if (v >= MS_THRESHOLD)
		return v;
	return v * 1000 + frac;
}

/* Reads an unsigned decimal field ending at ',' or at lim, advancing *pz
 * past the comma. Returns -1 for an empty or non-numeric field. */
static long read_uint(const char **pz, const char *lim)
{
	const char *p = *pz;
	long v = 0;
	int n = 0;
	while (p < lim && *p != ',') {
		if (*p < '0' || *p > '9' || ++n > 9)
			return -1;
		v = v * 10 + (*p - '0');
		p++;
	}
	if (p < lim)
		p++;
	*pz = p;
	return n ? v : -1;
}

static void tag_group(const char *v, const char *fe, st__nmea_tag *tag)
{
	const char *p;
	long a, b, id;
	/* The field is "n-m-id": read_uint stops at each '-' as its limit. */
	const char *dash = memchr(v, '-', (size_t)(fe - v));
	if (!dash)
		return;
	p = v;
	a = read_uint(&p, dash);
	p = dash + 1;
	dash = memchr(p, '-', (size_t)(fe - p));
	if (!dash)
		return;
	b = read_uint(&p, dash);
	p = dash + 1;
	id = read_uint(&p, fe);
	if (a < 1 || b < 1 || a > b || id < 0)
		return;
	tag->hasGroup = true;
	tag->gNum = (unsigned)a;
	tag->gTotal = (unsigned)b;
	tag->gId = (uint32_t)id;
}

/* One "key:value" field of a tag block, [f, fe), colon at its ':'. */
static void tag_field(const char *f, const char *colon, const char *fe,
                      st__nmea_tag *tag)
{
	const char *v = colon + 1;
	size_t nKey = (size_t)(colon - f);
	if (nKey == 1 && f[0] == 'c') {
		const char *ve;
		st_time_ms t = st__nmea_epoch(v, fe, &ve);
		if (t != ST_TIME_NONE && ve == fe)
			tag->t = t;
	} else if (nKey == 1 && f[0] == 's') {
		tag->zSrc = v;
		tag->nSrc = (size_t)(fe - v);
	} else if (nKey == 1 && f[0] == 'g') {
		tag_group(v, fe, tag);
	} else if (nKey >= 3 && f[0] >= '1' && f[0] <= '9') {
		/* The 2008 edition's grouping, "1G2:0125": sentence 1 of 2
		 * of group 125. */
		const char *g = memchr(f, 'G', nKey);
		if (!g)
			return;
		const char *p = f;
		long a = read_uint(&p, g);
		p = g + 1;
		long n = read_uint(&p, colon);
		p = v;
		long id = read_uint(&p, fe);
		if (a >= 1 && n >= a && id >= 0) {
			tag->hasGroup = true;
			tag->gNum = (unsigned)a;
			tag->gTotal = (unsigned)n;
			tag->gId = (uint32_t)id;
		}
	}
	/* n: (line count), d:, t:, r:, q:, T: and unknown keys carry nothing
	 * the decoder needs. */
}

int st__nmea_tagblock(const char *z, const char *end, st__nmea_tag *tag,
                      const char **pzNext)
{
	const char *b = z + 1;
	/* The block ends at the first '\\' ('\\' and '*' are reserved
	 * characters) and should end in "*hh\\"; delimiters are found eight
	 * bytes at a time and the checksum is a word XOR. */
	const char *close = st__nmea_find(b, end, '\\');
	if (close == end)
		return ST_REJ_UNPARSEABLE; /* never closed */
	if (close - b < 3 || close[-3] != '*') {
		/* A checksum that is not two characters is a bad checksum;
		 * none at all is malformed, since the standard mandates it. */
		return st__nmea_find(b, close, '*') < close ? ST_REJ_BADSUM
		                                             : ST_REJ_MALFORMED;
	}
	const char *star = close - 3;
	int want = st__nmea_hex2(star + 1);
	if (want < 0)
		return ST_REJ_BADSUM;
	tag->tolerated = false;
	if ((int)st__nmea_xor(b, (size_t)(star - b)) != want) {
		/* The Norwegian Coastal Administration feed as recorded by
		 * Ais.Net (kystverket-*.nm4) prefixes a g: field to the tag
		 * block but keeps the checksum of the rest; accept that exact
		 * pattern, count it, and verify everything after g:. */
		const char *comma = st__nmea_find(b, star, ',');
		if (!(star - b > 2 && b[0] == 'g' && b[1] == ':' && comma < star &&
		      (int)st__nmea_xor(comma + 1, (size_t)(star - comma - 1)) == want))
			return ST_REJ_BADSUM;
		tag->tolerated = true;
	}
	tag->t = ST_TIME_NONE;
	tag->zSrc = NULL;
	tag->nSrc = 0;
	tag->hasGroup = false;
	for (const char *f = b; f < star;) {
		const char *fe = st__nmea_find(f, star, ',');
		/* Keys are one letter but for the 2008 grouping ("1G2:"). */
		const char *colon = fe - f >= 2 && f[1] == ':' ? f + 1 : memchr(f, ':', (size_t)(fe - f));
		if (colon)
			tag_field(f, colon, fe, tag);
		f = fe + 1;
	}
	*pzNext = close + 1;
	return -1;
}

int st__nmea_pghp(const char *z, const char *star, st_time_ms *pT)
{
	const char *p = z;
	long type = read_uint(&p, star);
	if (type != 1)
		return 0;
	long a[7];
	for (int i = 0; i < 7; i++)
		a[i] = read_uint(&p, star);
	if (a[0] < 1970 || a[0] > 9999 || a[1] < 1 || a[1] > 12 || a[2] < 1 ||
	    a[2] > 31 || a[3] < 0 || a[3] > 23 || a[4] < 0 || a[4] > 59 ||
	    a[5] < 0 || a[5] > 60 || a[6] < 0 || a[6] > 999)
		return -1;
	*pT = st_time_from_civil((int)a[0], (int)a[1], (int)a[2], (int)a[3],
	                         (int)a[4], 0) + a[5] * 1000 + a[6];
	return 1;
}

st_time_ms st__nmea_pghp_minute(const char **pz, st__nmea_clock *pClk)
{
	const unsigned char *u = (const unsigned char *)*pz;
	/* The year: four digits and a comma (shorter or longer years are
	 * out of range or zero-padded: the general parser's). */
	unsigned y0 = u[0] - (unsigned)'0', y1 = u[1] - (unsigned)'0';
	unsigned y2 = u[2] - (unsigned)'0', y3 = u[3] - (unsigned)'0';
	if (y0 > 9 || y1 > 9 || y2 > 9 || y3 > 9 || u[4] != ',')
		return -1;
	int y = (int)(y0 * 1000 + y1 * 100 + y2 * 10 + y3);
	const char *p = *pz + 5;
	int mo = st__nmea_field12(&p);
	if (mo < 1 || mo > 12 || y < 1970)
		return -1;
	int d = st__nmea_field12(&p);
	if (d < 1 || d > 31)
		return -1;
	int h = st__nmea_field12(&p);
	if (h < 0 || h > 23)
		return -1;
	int mi = st__nmea_field12(&p);
	if (mi < 0 || mi > 59)
		return -1;
	int32_t key = y * 512 + mo * 32 + d;
	if (pClk->dayKey != key) {
		pClk->dayKey = key;
		pClk->days = st_days_from_civil(y, mo, d);
	}
	*pz = p;
	/* What st_time_from_civil(y, mo, d, h, mi, 0) gives, with the day
	 * number from the cache. */
	return (pClk->days * 86400 + (int64_t)h * 3600 + (int64_t)mi * 60) * 1000;
}

void st__nmea_trailer(const char *z, const char *end, st_time_ms *pT,
                      const char **pzSrc, size_t *pnSrc)
{
	const char *f = z;
	while (f < end && !(*pzSrc && *pT != ST_TIME_NONE)) {
		f++; /* past the ',' */
		const char *fe = st__nmea_find(f, end, ',');
		if (fe - f > 1 && f[0] == 'r' && !*pzSrc) {
			*pzSrc = f + 1;
			*pnSrc = (size_t)(fe - f - 1);
		} else if (*pT == ST_TIME_NONE && fe > f && f[0] >= '0' && f[0] <= '9') {
			/* The extended format has a second epoch; the first,
			 * right after the station, is the receive time stamp
			 * in every variant, so that is the one taken. */
			const char *ve;
			st_time_ms t = st__nmea_epoch(f, fe, &ve);
			if (ve == fe)
				*pT = t;
		}
		f = fe;
	}
}

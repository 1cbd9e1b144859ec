/* Shared internals of the NMEA decoder: the checksum, payload-armour and
 * digit helpers the fast paths inline (SSE2 or 64-bit words, with byte
 * loops elsewhere), the parsers for the receive metadata that travels
 * around a sentence (IEC 61162-1 tag blocks, Gatehouse $PGHP, USCG
 * trailers, leading epochs), kept apart from the framing and reassembly in
 * nmea.c, and the test hook that turns the fast paths off. */
#ifndef SHIPTRACE_NMEA_INT_H
#define SHIPTRACE_NMEA_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "shiptrace/nmea.h"
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#define ST__ONES 0x0101010101010101ULL
#define ST__HIGH 0x8080808080808080ULL

/* XOR of n bytes. XOR is position-free, so wide words are folded into one
 * byte at the end; a tail shorter than a word is read as the last word of
 * the range with the bytes before it shifted out (little-endian) or masked
 * off (SSE2), so no byte loop runs once n reaches a word. */
static inline unsigned st__nmea_xor(const char *z, size_t n)
{
	uint64_t acc = 0;
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#if defined(__SSE2__)
	if (n >= 16) {
		/* The 16-byte window at aMask + k is 0xff in its last k
		 * bytes: it keeps the k bytes of the last load not yet
		 * counted. */
		static const unsigned char aMask[32] = {
			0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
			0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
			0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		};
		__m128i v = _mm_setzero_si128();
		size_t i = 0;
		for (; i + 16 <= n; i += 16)
			v = _mm_xor_si128(v, _mm_loadu_si128((const __m128i *)(const void *)(z + i)));
		size_t k = n - i;
		if (k) {
			__m128i t = _mm_loadu_si128((const __m128i *)(const void *)(z + n - 16));
			__m128i m = _mm_loadu_si128((const __m128i *)(const void *)(aMask + k));
			v = _mm_xor_si128(v, _mm_and_si128(t, m));
		}
		v = _mm_xor_si128(v, _mm_srli_si128(v, 8));
		acc = (uint64_t)_mm_cvtsi128_si64(v);
		n = 0;
	}
#endif
	if (n >= 8) {
		uint64_t w;
		size_t i = 0;
		for (; i + 8 <= n; i += 8) {
			memcpy(&w, z + i, 8);
			acc ^= w;
		}
		if (i < n) {
			memcpy(&w, z + n - 8, 8);
			acc ^= w >> (8 * (8 - (n - i)));
		}
		n = 0;
	}
#endif
	while (n >= 8) {
		uint64_t w;
		memcpy(&w, z, 8);
		acc ^= w;
		z += 8;
		n -= 8;
	}
	if (n & 4) {
		uint32_t w;
		memcpy(&w, z, 4);
		acc ^= w;
		z += 4;
	}
	if (n & 2) {
		uint16_t w;
		memcpy(&w, z, 2);
		acc ^= w;
		z += 2;
	}
	if (n & 1)
		acc ^= (uint8_t)*z;
	acc ^= acc >> 32;
	acc ^= acc >> 16;
	acc ^= acc >> 8;
	return (unsigned)(acc & 0xff);
}

/* Nonzero (a high bit per offending byte) when some byte of w is not a
 * 6-bit armour character, i.e. outside '0'..'W' (48..87) and '`'..'w'
 * (96..119). Each test works on 7-bit lanes so no carry crosses a byte. */
static inline uint64_t st__nmea_armour_bad(uint64_t w)
{
	uint64_t hi = w & ST__HIGH;
	uint64_t x = w & ~ST__HIGH;
	uint64_t lt48 = ~(x + ST__ONES * (128 - 48)) & ST__HIGH;
	uint64_t ge120 = (x + ST__ONES * (128 - 120)) & ST__HIGH;
	uint64_t y = (x & (ST__ONES * 0x78)) ^ (ST__ONES * 0x58); /* 88..95 -> 0 */
	uint64_t gap = ~(y + ST__ONES * 0x7f) & ST__HIGH;
	return hi | lt48 | ge120 | gap;
}

static inline bool st__nmea_armour_char(unsigned char c)
{
	return (c >= 48 && c <= 87) || (c >= 96 && c <= 119);
}

/* True when all n bytes are armour characters. The last word overlaps the
 * one before it instead of falling back to a byte loop. */
static inline bool st__nmea_armour_ok(const char *z, size_t n)
{
#if defined(__SSE2__)
	if (n >= 16) {
		/* Signed compares: bytes from 128 up are negative, so below
		 * '0' like the control characters. */
		const __m128i lo1 = _mm_set1_epi8(47), hi1 = _mm_set1_epi8(88);
		const __m128i lo2 = _mm_set1_epi8(95), hi2 = _mm_set1_epi8(120);
		__m128i bad = _mm_setzero_si128();
		for (size_t i = 0;; i += 16) {
			if (i + 16 > n)
				i = n - 16;
			__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(z + i));
			__m128i in1 = _mm_and_si128(_mm_cmpgt_epi8(v, lo1), _mm_cmplt_epi8(v, hi1));
			__m128i in2 = _mm_and_si128(_mm_cmpgt_epi8(v, lo2), _mm_cmplt_epi8(v, hi2));
			bad = _mm_or_si128(bad, _mm_andnot_si128(_mm_or_si128(in1, in2),
			                                         _mm_set1_epi8(-1)));
			if (i + 16 == n)
				break;
		}
		return _mm_movemask_epi8(bad) == 0;
	}
#endif
	if (n < 8) {
		unsigned char bad = 0;
		for (size_t i = 0; i < n; i++)
			bad |= !st__nmea_armour_char((unsigned char)z[i]);
		return !bad;
	}
	uint64_t bad = 0, w;
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		memcpy(&w, z + i, 8);
		bad |= st__nmea_armour_bad(w);
	}
	if (i < n) {
		memcpy(&w, z + n - 8, 8);
		bad |= st__nmea_armour_bad(w);
	}
	return bad == 0;
}

/* The first byte c in [z, end), or end. Eight bytes at a time on
 * little-endian GCC/clang builds: the lowest zero byte of w ^ c...c is
 * exact with the borrow trick (false hits only ever sit above a true one). */
static inline const char *st__nmea_find(const char *z, const char *end, char c)
{
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	const uint64_t pat = ST__ONES * (unsigned char)c;
	while (end - z >= 8) {
		uint64_t w;
		memcpy(&w, z, 8);
		uint64_t x = w ^ pat;
		uint64_t m = (x - ST__ONES) & ~x & ST__HIGH;
		if (m)
			return z + (__builtin_ctzll(m) >> 3);
		z += 8;
	}
#endif
	while (z < end && *z != c)
		z++;
	return z;
}

/* The value of each hex digit (either case: some feeds write lowercase
 * checksums, which carry the same information) plus 0x100 for every other
 * byte. */
extern const uint16_t st__nmea_aHex[256];

/* Two hex digits as 0..255, or -1. */
static inline int st__nmea_hex2(const char *z)
{
	unsigned v = (unsigned)st__nmea_aHex[(unsigned char)z[0]] << 4 |
	             st__nmea_aHex[(unsigned char)z[1]];
	return v > 0xff ? -1 : (int)v;
}

/* Eight ASCII digits at z as a number, or -1 if any is not a digit.
 * Little-endian word arithmetic: pairs, then quads, then the two halves
 * (the usual SWAR digit folding); a byte loop elsewhere. */
static inline int64_t st__nmea_digits8(const char *z)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	uint64_t w;
	memcpy(&w, z, 8);
	if ((w & 0xF0F0F0F0F0F0F0F0ULL) != 0x3030303030303030ULL ||
	    ((w + 0x0606060606060606ULL) & 0xF0F0F0F0F0F0F0F0ULL) != 0x3030303030303030ULL)
		return -1;
	w -= 0x3030303030303030ULL;
	w = (w * 10 + (w >> 8)) & 0x00FF00FF00FF00FFULL;
	w = (w * 100 + (w >> 16)) & 0x0000FFFF0000FFFFULL;
	w = (w * 10000 + (w >> 32)) & 0xFFFFFFFFULL;
	return (int64_t)w;
#else
	int64_t v = 0;
	for (int i = 0; i < 8; i++) {
		if (z[i] < '0' || z[i] > '9')
			return -1;
		v = v * 10 + (z[i] - '0');
	}
	return v;
#endif
}

/* What a tag block said. Pointers point into the line. */
typedef struct st__nmea_tag {
	st_time_ms t;           /* c:, ST_TIME_NONE when absent */
	const char *zSrc;       /* s:, NULL when absent */
	size_t nSrc;
	bool hasGroup;          /* g:n-m-id or the older nGm:id */
	unsigned gNum, gTotal;
	uint32_t gId;
	bool tolerated;         /* checksum only verified without its g: field */
} st__nmea_tag;

/* Epoch seconds (or milliseconds when the integer part has more than 11
 * digits: no receive time is 3,000 years ahead) with an optional fraction,
 * from [z, end). Returns ST_TIME_NONE unless at least one digit was read;
 * *pzEnd gets the first byte after the number. */
st_time_ms st__nmea_epoch(const char *z, const char *end, const char **pzEnd);

/* Parses one tag block starting at the '\' at z. Returns -1 and sets
 * *pzNext after the closing '\' on success, or the st_reject bucket for
 * the line (bad checksum, malformed, unparseable). */
int st__nmea_tagblock(const char *z, const char *end, st__nmea_tag *tag,
                      const char **pzNext);

/* Parses the fields of a $PGHP sentence between its first ',' and its '*'.
 * Returns 1 with *pT set for a type 1 (time) record, 0 for another type,
 * -1 when a type 1 record has a malformed date. */
int st__nmea_pghp(const char *z, const char *star, st_time_ms *pT);

/* What the $PGHP fast path remembers of the records before: a feed's
 * time records share their date for a day and their minute for many lines
 * in a row, so the fields up to the minute ("yyyy,m,d,h,mi,", nPre bytes
 * kept in aPre, 0 while there is none) are compared as two words instead
 * of being read again, and st_days_from_civil runs once a day (dayKey
 * packs year, month and day; 0 matches no date). */
typedef struct st__nmea_clock {
	uint64_t aPre[2];
	uint64_t mask1;         /* the bytes of aPre[1] that are in it */
	size_t nPre;
	st_time_ms tMinute;     /* the time at the start of that minute */
	int32_t dayKey;
	int64_t days;
} st__nmea_clock;

/* The fields of a $PGHP record up to the minute ("yyyy,m,d,h,mi,") read
 * in full, in the shape and ranges st__nmea_pghp_fast accepts: *pz is
 * moved past the minute's comma and the minute's time returned (the day
 * number from pClk's cache), or -1. */
st_time_ms st__nmea_pghp_minute(const char **pz, st__nmea_clock *pClk);

/* One or two digits at *pz ended by ',': the value, *pz moved past the
 * comma; -1 for anything else (then the general parser decides the line).
 * The caller guarantees a non-digit, non-comma byte ahead (the '*'), and
 * no byte is read past the first non-digit, so no read passes it. */
static inline int st__nmea_field12(const char **pz)
{
	const unsigned char *p = (const unsigned char *)*pz;
	unsigned a = p[0] - (unsigned)'0';
	if (a > 9)
		return -1;
	unsigned b = p[1] - (unsigned)'0';
	unsigned two = b <= 9;
	unsigned v = two ? a * 10 + b : a;
	p += 1 + two;
	if (*p != ',')
		return -1;
	*pz = (const char *)p + 1;
	return (int)v;
}

/* Whether a '*' is in [z, star). The 8 bytes before star are readable
 * and hold no '*' before z (the caller read them as digits and commas), so
 * the last word is read ending at star, overlapping the one before it,
 * instead of byte by byte. */
static inline bool st__nmea_has_star(const char *z, const char *star)
{
#if defined(__GNUC__)
	const uint64_t pat = ST__ONES * '*';
	uint64_t w, x, m = 0;
	for (; star - z > 8; z += 8) {
		memcpy(&w, z, 8);
		x = w ^ pat;
		m |= (x - ST__ONES) & ~x & ST__HIGH;
	}
	memcpy(&w, star - 8, 8);
	x = w ^ pat;
	m |= (x - ST__ONES) & ~x & ST__HIGH;
	return m != 0;
#else
	return st__nmea_find(z, star, '*') != star;
#endif
}

/* The fields of a type 1 $PGHP record in their usual shape, after
 * "$PGHP,1,": yyyy,m,d,h,m,s,ms with 1..2 digit fields and a 1..3 digit
 * ms, then ',' and more fields or the '*' at star (star must point at a
 * '*' at least 17 bytes after z). Returns true with *pT set to exactly
 * what st__nmea_pghp gives; false for any other shape or any value out of
 * range, which the caller leaves to the general parser. Inlined for the
 * records that repeat the minute before; a new minute is read out of
 * line. */
static inline bool st__nmea_pghp_fast(const char *z, const char *star,
                                      st__nmea_clock *pClk, st_time_ms *pT)
{
	const char *p = z;
	st_time_ms tMinute;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	uint64_t w0, w1;
	memcpy(&w0, z, 8);
	memcpy(&w1, z + 8, 8);
	if (pClk->nPre &&
	    ((w0 ^ pClk->aPre[0]) | ((w1 ^ pClk->aPre[1]) & pClk->mask1)) == 0) {
		/* The same bytes as a record already read in full. */
		p += pClk->nPre;
		tMinute = pClk->tMinute;
	} else {
		tMinute = st__nmea_pghp_minute(&p, pClk);
		if (tMinute < 0)
			return false;
		size_t nPre = (size_t)(p - z);
		pClk->nPre = 0;
		if (nPre <= 16) {
			pClk->mask1 = nPre == 16 ? ~0ULL : (1ULL << (8 * (nPre - 8))) - 1;
			pClk->aPre[0] = w0;
			pClk->aPre[1] = w1 & pClk->mask1;
			pClk->nPre = nPre;
			pClk->tMinute = tMinute;
		}
	}
#else
	tMinute = st__nmea_pghp_minute(&p, pClk);
	if (tMinute < 0)
		return false;
#endif
	int s = st__nmea_field12(&p);
	if (s < 0 || s > 60)
		return false;
	/* The milliseconds: one to three digits, which may end the
	 * sentence. */
	const unsigned char *u = (const unsigned char *)p;
	unsigned ms = u[0] - (unsigned)'0';
	if (ms > 9)
		return false;
	unsigned m1 = u[1] - (unsigned)'0';
	if (m1 <= 9) {
		ms = ms * 10 + m1;
		unsigned m2 = u[2] - (unsigned)'0';
		if (m2 <= 9) {
			ms = ms * 10 + m2;
			p++;
		}
		p++;
	}
	p++;
	/* Anything but a comma or the '*' after it is for the general parser;
	 * so is a '*' before the last one, which would move the checksum. */
	if (p != star && (*p != ',' || st__nmea_has_star(p, star)))
		return false;
	*pT = tMinute + (int64_t)s * 1000 + ms;
	return true;
}


/* Test hook: with on, every line takes the general parser and none of the
 * fast paths, so tests can prove that both give the same answers. */
void st__nmea_reference(st_nmea *dec, bool on);

/* Reads USCG-style fields after a sentence's checksum (z at the first
 * ','): r<station> gives the source, the first all-digit field the receive
 * time; the rest (s, d, t, T, x, unknown) is ignored. */
void st__nmea_trailer(const char *z, const char *end, st_time_ms *pT,
                      const char **pzSrc, size_t *pnSrc);

#endif

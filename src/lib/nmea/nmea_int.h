/* Shared internals of the NMEA decoder: the word-at-a-time checksum and
 * payload-armour checks the hot path inlines, and the parsers for the
 * receive metadata that travels around a sentence (IEC 61162-1 tag blocks,
 * Gatehouse $PGHP, USCG trailers, leading epochs), kept apart from the
 * framing and reassembly in nmea.c. */
#ifndef SHIPTRACE_NMEA_INT_H
#define SHIPTRACE_NMEA_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "shiptrace/nmea.h"

#define ST__ONES 0x0101010101010101ULL
#define ST__HIGH 0x8080808080808080ULL

/* XOR of n bytes, eight at a time: XOR is position-free, so the words are
 * folded into one byte at the end and the tail can land anywhere. */
static inline unsigned st__nmea_xor(const char *z, size_t n)
{
	uint64_t acc = 0;
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

/* Two hex digits (either case: some feeds write lowercase checksums, which
 * carry the same information) as 0..255, or -1. */
static inline int st__nmea_hex2(const char *z)
{
	int v = 0;
	for (int i = 0; i < 2; i++) {
		unsigned char c = (unsigned char)z[i];
		int d;
		if (c >= '0' && c <= '9')
			d = c - '0';
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			d = (c | 0x20) - 'a' + 10;
		else
			return -1;
		v = v * 16 + d;
	}
	return v;
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

/* The day number of the last date a $PGHP fast path saw: a feed's time
 * records change date once a day, so st_days_from_civil rarely runs. key
 * packs (year, month, day); 0 matches no date. */
typedef struct st__nmea_day {
	int32_t key;
	int64_t days;
} st__nmea_day;

/* The fields of a type 1 $PGHP record in their usual shape, after
 * "$PGHP,1,": yyyy,m,d,h,m,s,ms with 1..2 digit fields and a 1..3 digit
 * ms, then ',' and more fields or the '*' at star (star must point at a
 * '*'). Returns true with *pT set to exactly what st__nmea_pghp gives;
 * false for any other shape or any value out of range, which the caller
 * leaves to the general parser. */
bool st__nmea_pghp_fast(const char *z, const char *star, st__nmea_day *pDay,
                        st_time_ms *pT);

/* Test hook: with on, every line takes the general parser and none of the
 * fast paths, so tests can prove that both give the same answers. */
void st__nmea_reference(st_nmea *dec, bool on);

/* Reads USCG-style fields after a sentence's checksum (z at the first
 * ','): r<station> gives the source, the first all-digit field the receive
 * time; the rest (s, d, t, T, x, unknown) is ignored. */
void st__nmea_trailer(const char *z, const char *end, st_time_ms *pT,
                      const char **pzSrc, size_t *pnSrc);

#endif

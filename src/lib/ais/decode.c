/* AIS payload decoder (ITU-R M.1371-5): turns the 6-bit armoured payload of
 * one complete message into an st_ais_msg in raw wire units. The payload is
 * de-armoured once into a byte-aligned bit buffer on the stack, and every
 * field is then one unaligned 64-bit big-endian load, a shift and a mask, so
 * decoding never allocates and costs a few nanoseconds per field. Length
 * tolerances follow what real transmitters send (as gpsd does) and each one
 * says why; anything too short for a type's mandatory fields is rejected. */
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include "shiptrace/ais.h"
#include "ais/ais_int.h"

/* Room for the longest payload plus slack, so that a field read near the
 * end (or a tolerated short message's missing tail) sees zeros and the
 * 8-byte loads never leave the buffer. No accepted message has a field
 * more than a few bits past its end (type 5 at 420 bits is the worst), so
 * 16 zero bytes after the data, plus the width of one load, are enough. */
#define BUF_SLACK 16
#define BUF_BYTES (ST_AIS_MAX_BYTES + BUF_SLACK + 8)
_Static_assert(BUF_BYTES >= ST__AIS_DEARMOUR_BYTES((ST_AIS_MAX_BITS + 5) / 6),
               "the de-armouring writes past the data");

/* '0'..'W' -> 0..39, '`'..'w' -> 40..63, anything else 0x80 (invalid). */
static const uint8_t aDearmour[256] = {
#define R8(x) x, x, x, x, x, x, x, x
	R8(0x80), R8(0x80), R8(0x80), R8(0x80), R8(0x80), R8(0x80),
	0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
	16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31,
	32, 33, 34, 35, 36, 37, 38, 39, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
	40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55,
	56, 57, 58, 59, 60, 61, 62, 63, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
	R8(0x80), R8(0x80), R8(0x80), R8(0x80), R8(0x80), R8(0x80), R8(0x80), R8(0x80),
	R8(0x80), R8(0x80), R8(0x80), R8(0x80), R8(0x80), R8(0x80), R8(0x80), R8(0x80),
#undef R8
};

static inline uint64_t load_be64(const uint8_t *p)
{
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	uint64_t v;
	memcpy(&v, p, 8);
	return __builtin_bswap64(v);
#else
	return (uint64_t)p[0] << 56 | (uint64_t)p[1] << 48 |
	       (uint64_t)p[2] << 40 | (uint64_t)p[3] << 32 |
	       (uint64_t)p[4] << 24 | (uint64_t)p[5] << 16 |
	       (uint64_t)p[6] << 8 | (uint64_t)p[7];
#endif
}

static inline void store_be64(uint8_t *p, uint64_t v)
{
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	v = __builtin_bswap64(v);
	memcpy(p, &v, 8);
#else
	int i;
	for (i = 7; i >= 0; i--, v >>= 8)
		p[i] = (uint8_t)v;
#endif
}

/* Unsigned field of 1..32 bits at bit offset iStart (MSB first). */
static inline uint32_t ubits(const uint8_t *a, unsigned iStart, unsigned nBit)
{
	uint64_t v = load_be64(a + (iStart >> 3)) << (iStart & 7);
	return (uint32_t)(v >> (64 - nBit));
}

/* Signed (two's complement) field: the arithmetic shift of the field moved
 * to the top of a signed 64-bit word sign-extends it. */
static inline int32_t sbits(const uint8_t *a, unsigned iStart, unsigned nBit)
{
	uint64_t v = load_be64(a + (iStart >> 3)) << (iStart & 7);
	return (int32_t)((int64_t)v >> (64 - nBit));
}

/* 6-bit text as gpsd reads it: stop at the first '@' (the padding
 * character), then drop trailing spaces. nChar is capped by the caller to
 * the destination's room. */
static void sixbit_text(const uint8_t *a, unsigned iStart, unsigned nChar,
                        char *zOut, bool bTrim)
{
	unsigned i = 0;
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	/* Eight characters at a time: their 48 bits spread to one 6-bit
	 * value per byte, mapped to ASCII (values below 32 are '@'..'_', the
	 * rest ' '..'?'), and the first '@' (value 0) found with the exact
	 * zero-byte test. */
	const uint64_t k7f = 0x7F7F7F7F7F7F7F7Full;
	for (; i < nChar; i += 8) {
		unsigned iBit = iStart + 6 * i, nTake = nChar - i < 8 ? nChar - i : 8;
		uint64_t x = load_be64(a + (iBit >> 3)) << (iBit & 7) >> 16;
		x = x >> 24 | (x & 0xFFFFFF) << 32;
		x = (x >> 12 & 0x00000FFF00000FFFull) | (x & 0x00000FFF00000FFFull) << 16;
		x = (x >> 6 & 0x003F003F003F003Full) | (x & 0x003F003F003F003Full) << 8;
		uint64_t zero = ~(((x & k7f) + k7f) | x | k7f);
		uint64_t asc = x + ((~x & 0x2020202020202020ull) << 1);
		if (nTake < 8)
			zero &= ((uint64_t)1 << (8 * nTake)) - 1;
		if (zero)
			nTake = (unsigned)__builtin_ctzll(zero) / 8;
		if (nTake == 8) {
			memcpy(zOut + i, &asc, 8);
		} else {
			unsigned k;
			for (k = 0; k < nTake; k++, asc >>= 8)
				zOut[i + k] = (char)asc;
			i += nTake;
			break;
		}
	}
	if (i > nChar)
		i = nChar;
#else
	/* 6-bit ASCII as ITU-R M.1371 Table 47 defines it. */
	static const char azSixbit[65] =
		"@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_ !\"#$%&'()*+,-./0123456789:;<=>?";
	for (; i < nChar; i++) {
		char c = azSixbit[ubits(a, iStart + 6 * i, 6)];
		if (c == '@')
			break;
		zOut[i] = c;
	}
#endif
	zOut[i] = 0;
	if (bTrim)
		while (i > 0 && zOut[i - 1] == ' ')
			zOut[--i] = 0;
}

/* Text running to the end of the message, bounded by the buffer size. */
static void sixbit_tail(const uint8_t *a, unsigned iStart, size_t nBit,
                        char *zOut, size_t nOut)
{
	size_t nChar = nBit > iStart ? (nBit - iStart) / 6 : 0;
	if (nChar > nOut - 1)
		nChar = nOut - 1;
	sixbit_text(a, iStart, (unsigned)nChar, zOut, true);
}

/* Copies nBit bits starting at iStart into aOut, left-aligned, the unused
 * low bits of the last byte cleared. */
static size_t copy_bits(const uint8_t *a, unsigned iStart, size_t nBit,
                        uint8_t *aOut, size_t nOut)
{
	size_t nByte = (nBit + 7) / 8, i;
	if (nByte > nOut) {
		nByte = nOut;
		nBit = nOut * 8;
	}
	if ((iStart & 7) == 0) {
		memcpy(aOut, a + (iStart >> 3), nByte);
	} else {
		for (i = 0; i < nByte; i++)
			aOut[i] = (uint8_t)ubits(a, iStart + 8 * (unsigned)i, 8);
	}
	if (nBit & 7)
		aOut[nByte - 1] &= (uint8_t)(0xFF << (8 - (nBit & 7)));
	return nBit;
}

static bool is_auxiliary_mmsi(uint32_t mmsi)
{
	return mmsi / 10000000 == 98;
}

/* Eight characters make six bytes: gather their 48 bits and store them
 * with one 8-byte write (the 2 extra bytes are overwritten by the next
 * group, or are scratch). *pBad collects the table's invalid mark. */
static inline uint64_t gather8(const unsigned char *q, unsigned *pBad)
{
	unsigned c0 = aDearmour[q[0]], c1 = aDearmour[q[1]];
	unsigned c2 = aDearmour[q[2]], c3 = aDearmour[q[3]];
	unsigned c4 = aDearmour[q[4]], c5 = aDearmour[q[5]];
	unsigned c6 = aDearmour[q[6]], c7 = aDearmour[q[7]];
	*pBad |= c0 | c1 | c2 | c3 | c4 | c5 | c6 | c7;
	return (uint64_t)(c0 << 18 | c1 << 12 | c2 << 6 | c3) << 24 |
	       (c4 << 18 | c5 << 12 | c6 << 6 | c7);
}

static inline unsigned dearmour_portable(const char *zPayload, size_t nChar, uint8_t *a)
{
	const unsigned char *z = (const unsigned char *)zPayload;
	size_t i, j;
	unsigned bad = 0;
	for (i = 0, j = 0; i + 8 <= nChar; i += 8, j += 6)
		store_be64(a + j, gather8(z + i, &bad) << 16);
	if (i < nChar && nChar >= 8) {
		/* The last eight characters again, of which the ones already
		 * stored fall off the top of the shift: no per-character loop
		 * and no read past the payload. */
		unsigned nRest = (unsigned)(nChar - i);
		uint64_t v = gather8(z + nChar - 8, &bad);
		store_be64(a + j, v << (16 + 6 * (8 - nRest)));
	} else if (i < nChar) {
		uint64_t v = 0;
		unsigned k, nRest = (unsigned)(nChar - i);
		for (k = 0; k < 8; k++) {
			unsigned c = k < nRest ? aDearmour[z[i + k]] : 0;
			bad |= c;
			v = v << 6 | c;
		}
		store_be64(a + j, v << 16);
	}
	return bad & 0x80;
}

static inline unsigned words28_portable(const char *zPayload, uint64_t w[3])
{
	const unsigned char *z = (const unsigned char *)zPayload;
	unsigned bad = 0;
	uint64_t g0 = gather8(z, &bad);      /* bits 0..47 */
	uint64_t g1 = gather8(z + 8, &bad);  /* bits 48..95 */
	uint64_t g2 = gather8(z + 16, &bad); /* bits 96..143 */
	uint64_t g3 = gather8(z + 20, &bad); /* bits 120..167 */
	w[0] = g0 << 16 | g1 >> 32;
	w[1] = g1 << 32 | g2 >> 16;
	w[2] = (g2 & 0xFFFF) << 48 | (g3 & 0xFFFFFF) << 24;
	return bad & 0x80;
}

#if defined(__SSE2__)
/* Sixteen characters at a time: range checks and the '`'..'w' offset on
 * all sixteen at once, then the 6-bit values merged pairwise (16-bit lanes
 * of 12 bits, 32-bit lanes of 24, 64-bit lanes of 48), which leaves the
 * two 48-bit halves of the 96 bits in the two 64-bit lanes. *pOk keeps
 * 0xFF in every byte that was inside the armour. */
static inline void gather16(const unsigned char *q, __m128i *pOk, uint64_t aHalf[2])
{
	__m128i c = _mm_loadu_si128((const __m128i *)(const void *)q);
	__m128i x = _mm_sub_epi8(c, _mm_set1_epi8('0'));
	__m128i lo = _mm_cmpeq_epi8(_mm_min_epu8(x, _mm_set1_epi8(39)), x);
	__m128i y = _mm_sub_epi8(x, _mm_set1_epi8('`' - '0'));
	__m128i hi = _mm_cmpeq_epi8(_mm_min_epu8(y, _mm_set1_epi8(23)), y);
	__m128i v = _mm_sub_epi8(x, _mm_and_si128(hi, _mm_set1_epi8(8)));
	*pOk = _mm_and_si128(*pOk, _mm_or_si128(lo, hi));
	v = _mm_or_si128(_mm_slli_epi16(_mm_and_si128(v, _mm_set1_epi16(0xFF)), 6),
	                 _mm_srli_epi16(v, 8));
	v = _mm_or_si128(_mm_slli_epi32(_mm_and_si128(v, _mm_set1_epi32(0xFFFF)), 12),
	                 _mm_srli_epi32(v, 16));
	v = _mm_or_si128(_mm_slli_epi64(_mm_and_si128(v, _mm_set_epi32(0, -1, 0, -1)), 24),
	                 _mm_srli_epi64(v, 32));
#if defined(__x86_64__)
	aHalf[0] = (uint64_t)_mm_cvtsi128_si64(v);
	aHalf[1] = (uint64_t)_mm_cvtsi128_si64(_mm_unpackhi_epi64(v, v));
#else
	_mm_storeu_si128((__m128i *)(void *)aHalf, v);
#endif
}

static inline unsigned dearmour(const char *zPayload, size_t nChar, uint8_t *a)
{
	const unsigned char *z = (const unsigned char *)zPayload;
	__m128i ok = _mm_set1_epi8(-1);
	uint64_t aHalf[2];
	size_t i, j;
	if (nChar < 16)
		return dearmour_portable(zPayload, nChar, a);
	for (i = 0, j = 0; i + 16 <= nChar; i += 16, j += 12) {
		gather16(z + i, &ok, aHalf);
		store_be64(a + j, aHalf[0] << 16);
		store_be64(a + j + 6, aHalf[1] << 16);
	}
	if (i < nChar) {
		/* The last sixteen characters again, as 96 bits left-aligned in
		 * 128; shifting out the ones already stored leaves the rest
		 * left-aligned with zeros after it. */
		unsigned nSkip = (unsigned)(16 - (nChar - i)) * 6;
		uint64_t hi, lo;
		gather16(z + nChar - 16, &ok, aHalf);
		hi = aHalf[0] << 16 | aHalf[1] >> 32;
		lo = aHalf[1] << 32;
		if (nSkip < 64) {
			hi = hi << nSkip | lo >> (64 - nSkip);
			lo <<= nSkip;
		} else {
			hi = lo << (nSkip - 64);
			lo = 0;
		}
		store_be64(a + j, hi);
		store_be64(a + j + 8, lo);
	}
	return _mm_movemask_epi8(ok) != 0xFFFF;
}

static inline unsigned words28(const char *zPayload, uint64_t w[3])
{
	const unsigned char *z = (const unsigned char *)zPayload;
	__m128i ok = _mm_set1_epi8(-1);
	uint64_t a0[2], a1[2];
	gather16(z, &ok, a0);      /* characters 0..15: bits 0..95 */
	gather16(z + 12, &ok, a1); /* characters 12..27: bits 72..167 */
	w[0] = a0[0] << 16 | a0[1] >> 32;
	w[1] = a0[1] << 32 | (a1[0] & 0xFFFFFF) << 8 | a1[1] >> 40;
	w[2] = a1[1] << 24;
	return _mm_movemask_epi8(ok) != 0xFFFF;
}
#else
static inline unsigned dearmour(const char *zPayload, size_t nChar, uint8_t *a)
{
	return dearmour_portable(zPayload, nChar, a);
}

static inline unsigned words28(const char *zPayload, uint64_t w[3])
{
	return words28_portable(zPayload, w);
}
#endif

/* The same, callable from the tests. */
unsigned st__ais_dearmour(const char *z, size_t nChar, uint8_t *a)
{
	return dearmour(z, nChar, a);
}

unsigned st__ais_dearmour_portable(const char *z, size_t nChar, uint8_t *a)
{
	return dearmour_portable(z, nChar, a);
}

unsigned st__ais_words28(const char *z, uint64_t w[3])
{
	return words28(z, w);
}

unsigned st__ais_words28_portable(const char *z, uint64_t w[3])
{
	return words28_portable(z, w);
}

/* The types decode_168() reads. */
#define MASK_168 ((uint64_t)1 << 1 | (uint64_t)1 << 2 | (uint64_t)1 << 3 | \
                  (uint64_t)1 << 4 | (uint64_t)1 << 9 | (uint64_t)1 << 11 | \
                  (uint64_t)1 << 18)

/* Field readers over the first 192 bits held as three 64-bit words, MSB
 * first: with constant arguments each is a shift or two on a register. */
static inline uint32_t wbits(const uint64_t *w, unsigned iStart, unsigned nBit)
{
	unsigned k = iStart >> 6, o = iStart & 63;
	uint64_t v = w[k] << o;
	if (o + nBit > 64)
		v |= w[k + 1] >> (64 - o);
	return (uint32_t)(v >> (64 - nBit));
}

static inline int32_t swbits(const uint64_t *w, unsigned iStart, unsigned nBit)
{
	unsigned k = iStart >> 6, o = iStart & 63;
	uint64_t v = w[k] << o;
	if (o + nBit > 64)
		v |= w[k + 1] >> (64 - o);
	return (int32_t)((int64_t)v >> (64 - nBit));
}

/* The 168-bit position reports (types 1, 2, 3, 4, 9, 11, 18: nearly every
 * message on the air) from their first 192 bits in w, the bits past nBit
 * clear. */
#if defined(__GNUC__)
__attribute__((always_inline))
#endif
static inline st_status decode_168(const uint64_t *w, size_t nBit, st_ais_msg *out)
{
	out->type = wbits(w, 0, 6);
	out->repeat = wbits(w, 6, 2);
	out->mmsi = wbits(w, 8, 30);
	switch (out->type) {
	case 1:
	case 2:
	case 3:
		/* 168 bits by the standard; USCG sees some senders at 163 with
		 * a truncated radio field, so keep what radio bits there are. */
		if (nBit < 163)
			return ST_EMALFORMED;
		out->type1.status = wbits(w, 38, 4);
		out->type1.turn = swbits(w, 42, 8);
		out->type1.speed = wbits(w, 50, 10);
		out->type1.accuracy = wbits(w, 60, 1);
		out->type1.lon = swbits(w, 61, 28);
		out->type1.lat = swbits(w, 89, 27);
		out->type1.course = wbits(w, 116, 12);
		out->type1.heading = wbits(w, 128, 9);
		out->type1.second = wbits(w, 137, 6);
		out->type1.maneuver = wbits(w, 143, 2);
		out->type1.spare = wbits(w, 145, 3);
		out->type1.raim = wbits(w, 148, 1);
		out->type1.radio = nBit >= 168 ? wbits(w, 149, 19)
		                               : wbits(w, 149, (unsigned)nBit - 149);
		return ST_OK;
	case 4:
	case 11:
		if (nBit < 168)
			return ST_EMALFORMED;
		out->type4.year = wbits(w, 38, 14);
		out->type4.month = wbits(w, 52, 4);
		out->type4.day = wbits(w, 56, 5);
		out->type4.hour = wbits(w, 61, 5);
		out->type4.minute = wbits(w, 66, 6);
		out->type4.second = wbits(w, 72, 6);
		out->type4.accuracy = wbits(w, 78, 1);
		out->type4.lon = swbits(w, 79, 28);
		out->type4.lat = swbits(w, 107, 27);
		out->type4.epfd = wbits(w, 134, 4);
		out->type4.raim = wbits(w, 148, 1);
		out->type4.radio = wbits(w, 149, 19);
		return ST_OK;
	case 9:
		if (nBit < 168)
			return ST_EMALFORMED;
		out->type9.alt = wbits(w, 38, 12);
		out->type9.speed = wbits(w, 50, 10);
		out->type9.accuracy = wbits(w, 60, 1);
		out->type9.lon = swbits(w, 61, 28);
		out->type9.lat = swbits(w, 89, 27);
		out->type9.course = wbits(w, 116, 12);
		out->type9.second = wbits(w, 128, 6);
		out->type9.regional = wbits(w, 134, 8);
		out->type9.dte = wbits(w, 142, 1);
		out->type9.assigned = wbits(w, 146, 1);
		out->type9.raim = wbits(w, 147, 1);
		out->type9.radio = wbits(w, 148, 20);
		return ST_OK;
	case 18:
		if (nBit < 168)
			return ST_EMALFORMED;
		out->type18.reserved = wbits(w, 38, 8);
		out->type18.speed = wbits(w, 46, 10);
		out->type18.accuracy = wbits(w, 56, 1);
		out->type18.lon = swbits(w, 57, 28);
		out->type18.lat = swbits(w, 85, 27);
		out->type18.course = wbits(w, 112, 12);
		out->type18.heading = wbits(w, 124, 9);
		out->type18.second = wbits(w, 133, 6);
		out->type18.regional = wbits(w, 139, 2);
		out->type18.cs = wbits(w, 141, 1);
		out->type18.display = wbits(w, 142, 1);
		out->type18.dsc = wbits(w, 143, 1);
		out->type18.band = wbits(w, 144, 1);
		out->type18.msg22 = wbits(w, 145, 1);
		out->type18.assigned = wbits(w, 146, 1);
		out->type18.raim = wbits(w, 147, 1);
		out->type18.radio = wbits(w, 148, 20);
		return ST_OK;
	default:
		return ST_EMALFORMED;
	}
}

/* The same from the bit buffer, for the rarer lengths: kept out of line
 * so the fast path's copy stays the only one inlined. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static st_status decode_168_mem(const uint8_t *a, size_t nBit, st_ais_msg *out)
{
	uint64_t w[3] = {load_be64(a), load_be64(a + 8), load_be64(a + 16)};
	return decode_168(w, nBit, out);
}

/* Every message but the 28-character position reports: out of line, so
 * that its bit buffer and registers cost the fast path nothing. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static st_status decode_general(const char *zPayload, size_t nChar, size_t nBit,
                                st_ais_msg *out)
{
	uint8_t a[BUF_BYTES];

	if (dearmour(zPayload, nChar, a))
		return ST_EMALFORMED;
	/* Fill bits carry no data: clear them, and zero the tail so that
	 * fields past the end of a tolerated short message read as 0. */
	if (nBit & 7)
		a[nBit >> 3] &= (uint8_t)(0xFF << (8 - (nBit & 7)));
	memset(a + (nBit + 7) / 8, 0, BUF_SLACK + 8);

	out->type = ubits(a, 0, 6);
	out->repeat = ubits(a, 6, 2);
	out->mmsi = ubits(a, 8, 30);

	switch (out->type) {
	case 1:
	case 2:
	case 3:
	case 4:
	case 9:
	case 11:
	case 18: {
		return decode_168_mem(a, nBit, out);
	}
	case 5:
		/* 424 bits by the standard, but many transmitters in the wild
		 * send 420 or 422 (the spare and sometimes dte cut off); those
		 * lose nothing that matters, so accept them with dte = 0 when
		 * it is missing. */
		if (nBit < 420)
			return ST_EMALFORMED;
		out->type5.ais_version = ubits(a, 38, 2);
		out->type5.imo = ubits(a, 40, 30);
		sixbit_text(a, 70, 7, out->type5.callsign, true);
		sixbit_text(a, 112, 20, out->type5.shipname, true);
		out->type5.shiptype = ubits(a, 232, 8);
		out->type5.to_bow = ubits(a, 240, 9);
		out->type5.to_stern = ubits(a, 249, 9);
		out->type5.to_port = ubits(a, 258, 6);
		out->type5.to_starboard = ubits(a, 264, 6);
		out->type5.epfd = ubits(a, 270, 4);
		out->type5.month = ubits(a, 274, 4);
		out->type5.day = ubits(a, 278, 5);
		out->type5.hour = ubits(a, 283, 5);
		out->type5.minute = ubits(a, 288, 6);
		out->type5.draught = ubits(a, 294, 8);
		sixbit_text(a, 302, 20, out->type5.destination, true);
		out->type5.dte = nBit >= 423 ? ubits(a, 422, 1) : 0;
		break;
	case 6:
		if (nBit < 88)
			return ST_EMALFORMED;
		out->type6.seqno = ubits(a, 38, 2);
		out->type6.dest_mmsi = ubits(a, 40, 30);
		out->type6.retransmit = ubits(a, 70, 1);
		out->type6.dac = ubits(a, 72, 10);
		out->type6.fid = ubits(a, 82, 6);
		out->type6.bitcount = copy_bits(a, 88, nBit - 88, out->type6.bitdata,
		                                sizeof out->type6.bitdata);
		break;
	case 7:
	case 13:
		/* One to four (MMSI, sequence number) pairs; a sender with
		 * fewer destinations sends a shorter message. */
		if (nBit < 72)
			return ST_EMALFORMED;
		memset(&out->type7, 0, sizeof out->type7);
		out->type7.count = (unsigned)((nBit - 40) / 32);
		if (out->type7.count > 4)
			out->type7.count = 4;
		out->type7.mmsi1 = ubits(a, 40, 30);
		out->type7.seqno1 = ubits(a, 70, 2);
		if (out->type7.count >= 2) {
			out->type7.mmsi2 = ubits(a, 72, 30);
			out->type7.seqno2 = ubits(a, 102, 2);
		}
		if (out->type7.count >= 3) {
			out->type7.mmsi3 = ubits(a, 104, 30);
			out->type7.seqno3 = ubits(a, 134, 2);
		}
		if (out->type7.count >= 4) {
			out->type7.mmsi4 = ubits(a, 136, 30);
			out->type7.seqno4 = ubits(a, 166, 2);
		}
		break;
	case 8:
		if (nBit < 56)
			return ST_EMALFORMED;
		out->type8.dac = ubits(a, 40, 10);
		out->type8.fid = ubits(a, 50, 6);
		out->type8.bitcount = copy_bits(a, 56, nBit - 56, out->type8.bitdata,
		                                sizeof out->type8.bitdata);
		break;
	case 10:
		if (nBit < 72)
			return ST_EMALFORMED;
		out->type10.dest_mmsi = ubits(a, 40, 30);
		break;
	case 12:
		if (nBit < 72)
			return ST_EMALFORMED;
		out->type12.seqno = ubits(a, 38, 2);
		out->type12.dest_mmsi = ubits(a, 40, 30);
		out->type12.retransmit = ubits(a, 70, 1);
		sixbit_tail(a, 72, nBit, out->type12.text, sizeof out->type12.text);
		break;
	case 14:
		if (nBit < 40)
			return ST_EMALFORMED;
		sixbit_tail(a, 40, nBit, out->type14.text, sizeof out->type14.text);
		break;
	case 15:
		/* 88 bits for one station and one request; the second request
		 * and the second station are optional. */
		if (nBit < 88)
			return ST_EMALFORMED;
		memset(&out->type15, 0, sizeof out->type15);
		out->type15.mmsi1 = ubits(a, 40, 30);
		out->type15.type1_1 = ubits(a, 70, 6);
		out->type15.offset1_1 = ubits(a, 76, 12);
		if (nBit > 90) {
			out->type15.type1_2 = ubits(a, 90, 6);
			out->type15.offset1_2 = ubits(a, 96, 12);
			if (nBit > 110) {
				out->type15.mmsi2 = ubits(a, 110, 30);
				out->type15.type2_1 = ubits(a, 140, 6);
				out->type15.offset2_1 = ubits(a, 146, 12);
			}
		}
		break;
	case 16:
		/* 96 bits for one station, 144 or more for two. */
		if (nBit < 92)
			return ST_EMALFORMED;
		out->type16.mmsi1 = ubits(a, 40, 30);
		out->type16.offset1 = ubits(a, 70, 12);
		out->type16.increment1 = ubits(a, 82, 10);
		if (nBit >= 144) {
			out->type16.mmsi2 = ubits(a, 92, 30);
			out->type16.offset2 = ubits(a, 122, 12);
			out->type16.increment2 = ubits(a, 134, 10);
		} else {
			out->type16.mmsi2 = 0;
			out->type16.offset2 = 0;
			out->type16.increment2 = 0;
		}
		break;
	case 17:
		if (nBit < 80)
			return ST_EMALFORMED;
		out->type17.lon = sbits(a, 40, 18);
		out->type17.lat = sbits(a, 58, 17);
		out->type17.bitcount = copy_bits(a, 80, nBit - 80,
		                                 out->type17.bitdata,
		                                 sizeof out->type17.bitdata);
		break;
	case 19:
		if (nBit < 312)
			return ST_EMALFORMED;
		out->type19.reserved = ubits(a, 38, 8);
		out->type19.speed = ubits(a, 46, 10);
		out->type19.accuracy = ubits(a, 56, 1);
		out->type19.lon = sbits(a, 57, 28);
		out->type19.lat = sbits(a, 85, 27);
		out->type19.course = ubits(a, 112, 12);
		out->type19.heading = ubits(a, 124, 9);
		out->type19.second = ubits(a, 133, 6);
		out->type19.regional = ubits(a, 139, 4);
		sixbit_text(a, 143, 20, out->type19.shipname, true);
		out->type19.shiptype = ubits(a, 263, 8);
		out->type19.to_bow = ubits(a, 271, 9);
		out->type19.to_stern = ubits(a, 280, 9);
		out->type19.to_port = ubits(a, 289, 6);
		out->type19.to_starboard = ubits(a, 295, 6);
		out->type19.epfd = ubits(a, 301, 4);
		out->type19.raim = ubits(a, 305, 1);
		out->type19.dte = ubits(a, 306, 1);
		out->type19.assigned = ubits(a, 307, 1);
		break;
	case 20:
		/* One to four reservation blocks of 30 bits; unused blocks
		 * are simply not sent. */
		if (nBit < 70)
			return ST_EMALFORMED;
		memset(&out->type20, 0, sizeof out->type20);
		out->type20.count = (unsigned)((nBit - 40) / 30);
		if (out->type20.count > 4)
			out->type20.count = 4;
		out->type20.offset1 = ubits(a, 40, 12);
		out->type20.number1 = ubits(a, 52, 4);
		out->type20.timeout1 = ubits(a, 56, 3);
		out->type20.increment1 = ubits(a, 59, 11);
		if (out->type20.count >= 2) {
			out->type20.offset2 = ubits(a, 70, 12);
			out->type20.number2 = ubits(a, 82, 4);
			out->type20.timeout2 = ubits(a, 86, 3);
			out->type20.increment2 = ubits(a, 89, 11);
		}
		if (out->type20.count >= 3) {
			out->type20.offset3 = ubits(a, 100, 12);
			out->type20.number3 = ubits(a, 112, 4);
			out->type20.timeout3 = ubits(a, 116, 3);
			out->type20.increment3 = ubits(a, 119, 11);
		}
		if (out->type20.count >= 4) {
			out->type20.offset4 = ubits(a, 130, 12);
			out->type20.number4 = ubits(a, 142, 4);
			out->type20.timeout4 = ubits(a, 146, 3);
			out->type20.increment4 = ubits(a, 149, 11);
		}
		break;
	case 21:
		if (nBit < 272)
			return ST_EMALFORMED;
		out->type21.aid_type = ubits(a, 38, 5);
		sixbit_text(a, 43, 20, out->type21.name, false);
		out->type21.accuracy = ubits(a, 163, 1);
		out->type21.lon = sbits(a, 164, 28);
		out->type21.lat = sbits(a, 192, 27);
		out->type21.to_bow = ubits(a, 219, 9);
		out->type21.to_stern = ubits(a, 228, 9);
		out->type21.to_port = ubits(a, 237, 6);
		out->type21.to_starboard = ubits(a, 243, 6);
		out->type21.epfd = ubits(a, 249, 4);
		out->type21.second = ubits(a, 253, 6);
		out->type21.off_position = ubits(a, 259, 1);
		out->type21.regional = ubits(a, 260, 8);
		out->type21.raim = ubits(a, 268, 1);
		out->type21.virtual_aid = ubits(a, 269, 1);
		out->type21.assigned = ubits(a, 270, 1);
		/* The name extension (up to 14 more characters) only
		 * continues a name that filled all 20 characters. */
		if (strlen(out->type21.name) == 20 && nBit > 272)
			sixbit_tail(a, 272, nBit, out->type21.name + 20,
			            sizeof out->type21.name - 20);
		{
			size_t n = strlen(out->type21.name);
			while (n > 0 && out->type21.name[n - 1] == ' ')
				out->type21.name[--n] = 0;
		}
		break;
	case 22:
		/* 168 bits by the standard; everything defined ends at 145. */
		if (nBit < 145)
			return ST_EMALFORMED;
		out->type22.channel_a = ubits(a, 40, 12);
		out->type22.channel_b = ubits(a, 52, 12);
		out->type22.txrx = ubits(a, 64, 4);
		out->type22.power = ubits(a, 68, 1);
		out->type22.addressed = ubits(a, 139, 1);
		if (out->type22.addressed) {
			out->type22.dest1 = ubits(a, 69, 30);
			out->type22.dest2 = ubits(a, 104, 30);
			out->type22.ne_lon = out->type22.ne_lat = 0;
			out->type22.sw_lon = out->type22.sw_lat = 0;
		} else {
			out->type22.ne_lon = sbits(a, 69, 18);
			out->type22.ne_lat = sbits(a, 87, 17);
			out->type22.sw_lon = sbits(a, 104, 18);
			out->type22.sw_lat = sbits(a, 122, 17);
			out->type22.dest1 = out->type22.dest2 = 0;
		}
		out->type22.band_a = ubits(a, 140, 1);
		out->type22.band_b = ubits(a, 141, 1);
		out->type22.zonesize = ubits(a, 142, 3);
		break;
	case 23:
		/* 160 bits by the standard; everything defined ends at 154. */
		if (nBit < 154)
			return ST_EMALFORMED;
		out->type23.ne_lon = sbits(a, 40, 18);
		out->type23.ne_lat = sbits(a, 58, 17);
		out->type23.sw_lon = sbits(a, 75, 18);
		out->type23.sw_lat = sbits(a, 93, 17);
		out->type23.stationtype = ubits(a, 110, 4);
		out->type23.shiptype = ubits(a, 114, 8);
		out->type23.txrx = ubits(a, 144, 2);
		out->type23.interval = ubits(a, 146, 4);
		out->type23.quiet = ubits(a, 150, 4);
		break;
	case 24:
		out->type24.part = ubits(a, 38, 2);
		if (out->type24.part == 0) {
			/* Part A is 168 bits but many class B units send 160,
			 * leaving out the 8 spare bits. */
			if (nBit < 160)
				return ST_EMALFORMED;
			sixbit_text(a, 40, 20, out->type24.shipname, true);
			out->type24.shiptype = 0;
			out->type24.vendorid[0] = 0;
			out->type24.model = 0;
			out->type24.serial = 0;
			out->type24.callsign[0] = 0;
			out->type24.to_bow = out->type24.to_stern = 0;
			out->type24.to_port = out->type24.to_starboard = 0;
			out->type24.mothership_mmsi = 0;
		} else if (out->type24.part == 1) {
			/* Everything defined in part B ends at bit 162; the
			 * last 6 are spare and some units leave them out. */
			if (nBit < 162)
				return ST_EMALFORMED;
			out->type24.shipname[0] = 0;
			out->type24.shiptype = ubits(a, 40, 8);
			/* Before M.1371-4 the vendor id was 7 characters;
			 * since, 3 characters + model + serial. Decode both
			 * ways, as gpsd does; the 7-character form is what
			 * older units and gpsd print. */
			sixbit_text(a, 48, 7, out->type24.vendorid, true);
			out->type24.model = ubits(a, 66, 4);
			out->type24.serial = ubits(a, 70, 20);
			sixbit_text(a, 90, 7, out->type24.callsign, true);
			if (is_auxiliary_mmsi(out->mmsi)) {
				out->type24.mothership_mmsi = ubits(a, 132, 30);
				out->type24.to_bow = out->type24.to_stern = 0;
				out->type24.to_port = out->type24.to_starboard = 0;
			} else {
				out->type24.mothership_mmsi = 0;
				out->type24.to_bow = ubits(a, 132, 9);
				out->type24.to_stern = ubits(a, 141, 9);
				out->type24.to_port = ubits(a, 150, 6);
				out->type24.to_starboard = ubits(a, 156, 6);
			}
		} else {
			return ST_EMALFORMED;
		}
		break;
	case 25:
	case 26: {
		unsigned iData;
		size_t nTail = out->type == 26 ? 20 : 0; /* radio status */
		out->type25.addressed = ubits(a, 38, 1);
		out->type25.structured = ubits(a, 39, 1);
		iData = 40 + 30 * out->type25.addressed + 16 * out->type25.structured;
		if (nBit < iData + nTail)
			return ST_EMALFORMED;
		out->type25.dest_mmsi = out->type25.addressed ? ubits(a, 40, 30) : 0;
		out->type25.app_id = out->type25.structured
		                         ? ubits(a, 40 + 30 * out->type25.addressed, 16)
		                         : 0;
		out->type25.bitcount = copy_bits(a, iData, nBit - iData - nTail,
		                                 out->type25.bitdata,
		                                 sizeof out->type25.bitdata);
		out->type25.radio = nTail ? ubits(a, (unsigned)(nBit - 20), 20) : 0;
		break;
	}
	case 27:
		/* 96 bits by the standard; some units send a full 168-bit
		 * slot, which is harmless. */
		if (nBit < 96)
			return ST_EMALFORMED;
		out->type27.accuracy = ubits(a, 38, 1);
		out->type27.raim = ubits(a, 39, 1);
		out->type27.status = ubits(a, 40, 4);
		out->type27.lon = sbits(a, 44, 18);
		out->type27.lat = sbits(a, 62, 17);
		out->type27.speed = ubits(a, 79, 6);
		out->type27.course = ubits(a, 85, 9);
		out->type27.gnss = ubits(a, 94, 1);
		break;
	default:
		return ST_EMALFORMED;
	}
	return ST_OK;
}

st_status st_ais_decode(const char *zPayload, size_t nChar, unsigned fill,
                        st_ais_msg *out)
{
	size_t nBit;

	if (nChar == 0 || fill > 5 || nChar * 6 > ST_AIS_MAX_BITS + 5)
		return ST_EMALFORMED;
	nBit = nChar * 6 - fill;
	if (nBit < 38 || nBit > ST_AIS_MAX_BITS)
		return ST_EMALFORMED;

	/* Most traffic is 28-character position reports: those go from
	 * the characters to three registers and out, never through the bit
	 * buffer (whose overlapping stores the field loads would wait on). */
	if (nChar == 28) {
		unsigned t = aDearmour[(unsigned char)zPayload[0]];
		if (t < 64 && (MASK_168 >> t & 1)) {
			uint64_t w[3];
			if (words28(zPayload, w))
				return ST_EMALFORMED;
			w[2] &= ~(uint64_t)0 << (192 - nBit);
			return decode_168(w, nBit, out);
		}
	}
	return decode_general(zPayload, nChar, nBit, out);
}

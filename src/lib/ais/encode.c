/* AIS encoder: the inverse of st_ais_decode for the message types a
 * simulator or a round-trip test needs (1, 2, 3, 5, 18, 19, 24 parts A and
 * B). Fields are taken in wire units exactly as the decoder leaves them and
 * packed MSB first into the bit layouts of ITU-R M.1371-5, then armoured
 * into 6-bit ASCII. Values wider than their field are truncated to the
 * field's width, as a transmitter would, rather than rejected: the struct
 * is wire units already, so a caller that wants range checks makes them
 * before filling it. Never allocates. */
#include <string.h>
#include "shiptrace/ais.h"

typedef struct bitbuf {
	uint8_t a[ST_AIS_MAX_BYTES];
	size_t nBit;
} bitbuf;

/* Appends the low nBit bits of v, most significant first. Signed fields
 * are passed as their two's complement, which the masking below yields. */
static void put(bitbuf *b, unsigned nBit, uint64_t v)
{
	for (unsigned i = nBit; i-- > 0;) {
		if (b->nBit >= ST_AIS_MAX_BITS)
			return;
		if ((v >> i) & 1u)
			b->a[b->nBit >> 3] |= (uint8_t)(0x80u >> (b->nBit & 7));
		b->nBit++;
	}
}

static void put_signed(bitbuf *b, unsigned nBit, int64_t v)
{
	put(b, nBit, (uint64_t)v & ((1ull << nBit) - 1));
}

/* Six-bit text: '@' (0) to '_' (31), then ' ' (32) to '?' (63). Lower case
 * is sent as upper case; anything else outside the table becomes '?', and
 * the field is padded with '@' as M.1371 prescribes. */
static void put_text(bitbuf *b, const char *z, unsigned nChar)
{
	size_t n = z ? strlen(z) : 0;
	for (unsigned i = 0; i < nChar; i++) {
		unsigned c = i < n ? (unsigned char)z[i] : '@';
		if (c >= 'a' && c <= 'z')
			c -= 32;
		if (c < 32 || c > 95)
			c = '?';
		put(b, 6, c >= 64 ? c - 64 : c);
	}
}

static void put_head(bitbuf *b, const st_ais_msg *m)
{
	put(b, 6, m->type);
	put(b, 2, m->repeat);
	put(b, 30, m->mmsi);
}

static st_status armour(const bitbuf *b, char *zOut, size_t nOut,
                        size_t *pnChar, unsigned *pFill)
{
	size_t nChar = (b->nBit + 5) / 6;
	if (nChar + 1 > nOut)
		return ST_EINVAL;
	for (size_t i = 0; i < nChar; i++) {
		unsigned v = 0;
		for (unsigned k = 0; k < 6; k++) {
			size_t bit = i * 6 + k;
			v <<= 1;
			if (bit < b->nBit && (b->a[bit >> 3] & (0x80u >> (bit & 7))))
				v |= 1;
		}
		zOut[i] = (char)(v < 40 ? v + 48 : v + 56);
	}
	zOut[nChar] = 0;
	*pnChar = nChar;
	*pFill = (unsigned)(nChar * 6 - b->nBit);
	return ST_OK;
}

/* Type 24 part B carries either the vessel's dimensions or, for an
 * auxiliary craft (MMSI 98xxxxxxx), its mother ship's MMSI in the same 30
 * bits; the decoder makes the same distinction. */
static int is_auxiliary(uint32_t mmsi)
{
	return mmsi / 10000000 == 98;
}

st_status st_ais_encode(const st_ais_msg *m, char *zOut, size_t nOut,
                        size_t *pnChar, unsigned *pFill)
{
	bitbuf b;
	if (!m || !zOut || !pnChar || !pFill)
		return ST_EINVAL;
	memset(&b, 0, sizeof b);
	put_head(&b, m);
	switch (m->type) {
	case 1:
	case 2:
	case 3:
		put(&b, 4, m->type1.status);
		put_signed(&b, 8, m->type1.turn);
		put(&b, 10, m->type1.speed);
		put(&b, 1, m->type1.accuracy);
		put_signed(&b, 28, m->type1.lon);
		put_signed(&b, 27, m->type1.lat);
		put(&b, 12, m->type1.course);
		put(&b, 9, m->type1.heading);
		put(&b, 6, m->type1.second);
		put(&b, 2, m->type1.maneuver);
		put(&b, 3, m->type1.spare);
		put(&b, 1, m->type1.raim);
		put(&b, 19, m->type1.radio);
		break;
	case 5:
		put(&b, 2, m->type5.ais_version);
		put(&b, 30, m->type5.imo);
		put_text(&b, m->type5.callsign, 7);
		put_text(&b, m->type5.shipname, 20);
		put(&b, 8, m->type5.shiptype);
		put(&b, 9, m->type5.to_bow);
		put(&b, 9, m->type5.to_stern);
		put(&b, 6, m->type5.to_port);
		put(&b, 6, m->type5.to_starboard);
		put(&b, 4, m->type5.epfd);
		put(&b, 4, m->type5.month);
		put(&b, 5, m->type5.day);
		put(&b, 5, m->type5.hour);
		put(&b, 6, m->type5.minute);
		put(&b, 8, m->type5.draught);
		put_text(&b, m->type5.destination, 20);
		put(&b, 1, m->type5.dte);
		put(&b, 1, 0); /* spare */
		break;
	case 18:
		put(&b, 8, m->type18.reserved);
		put(&b, 10, m->type18.speed);
		put(&b, 1, m->type18.accuracy);
		put_signed(&b, 28, m->type18.lon);
		put_signed(&b, 27, m->type18.lat);
		put(&b, 12, m->type18.course);
		put(&b, 9, m->type18.heading);
		put(&b, 6, m->type18.second);
		put(&b, 2, m->type18.regional);
		put(&b, 1, m->type18.cs);
		put(&b, 1, m->type18.display);
		put(&b, 1, m->type18.dsc);
		put(&b, 1, m->type18.band);
		put(&b, 1, m->type18.msg22);
		put(&b, 1, m->type18.assigned);
		put(&b, 1, m->type18.raim);
		put(&b, 20, m->type18.radio);
		break;
	case 19:
		put(&b, 8, m->type19.reserved);
		put(&b, 10, m->type19.speed);
		put(&b, 1, m->type19.accuracy);
		put_signed(&b, 28, m->type19.lon);
		put_signed(&b, 27, m->type19.lat);
		put(&b, 12, m->type19.course);
		put(&b, 9, m->type19.heading);
		put(&b, 6, m->type19.second);
		put(&b, 4, m->type19.regional);
		put_text(&b, m->type19.shipname, 20);
		put(&b, 8, m->type19.shiptype);
		put(&b, 9, m->type19.to_bow);
		put(&b, 9, m->type19.to_stern);
		put(&b, 6, m->type19.to_port);
		put(&b, 6, m->type19.to_starboard);
		put(&b, 4, m->type19.epfd);
		put(&b, 1, m->type19.raim);
		put(&b, 1, m->type19.dte);
		put(&b, 1, m->type19.assigned);
		put(&b, 4, 0); /* spare */
		break;
	case 24:
		put(&b, 2, m->type24.part);
		if (m->type24.part == 0) {
			put_text(&b, m->type24.shipname, 20);
			break; /* 160 bits, as M.1371-5 defines part A */
		}
		put(&b, 8, m->type24.shiptype);
		put_text(&b, m->type24.vendorid, 3);
		put(&b, 4, m->type24.model);
		put(&b, 20, m->type24.serial);
		put_text(&b, m->type24.callsign, 7);
		if (is_auxiliary(m->mmsi)) {
			put(&b, 30, m->type24.mothership_mmsi);
		} else {
			put(&b, 9, m->type24.to_bow);
			put(&b, 9, m->type24.to_stern);
			put(&b, 6, m->type24.to_port);
			put(&b, 6, m->type24.to_starboard);
		}
		put(&b, 6, 0); /* spare */
		break;
	default:
		return ST_EUNSUPPORTED;
	}
	return armour(&b, zOut, nOut, pnChar, pFill);
}

/* Identifier checks and name normalisation. IMO numbers carry a check digit
 * (IMO Resolution A.1117(30)); MMSIs carry their kind in their leading
 * digits (ITU-R M.585). Names are compared after a normalisation that makes
 * "m/v Ангара", "M.V. ANGARA" and "ANGARA" equal: lists write names in Latin
 * capitals with punctuation, AIS in six-bit ASCII, Russian registries in
 * Cyrillic. The transliteration itself is the project's shared one
 * (names.h, ICAO Doc 9303); what is added here is what only ship names
 * need, dropping the M/V-style prefixes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "shiptrace/names.h"
#include "shiptrace/registry.h"
#include "registry/csvrec.h"

int st_imo_valid(uint32_t imo)
{
	if (imo < 1000000 || imo > 9999999)
		return 0;
	unsigned d[7];
	uint32_t v = imo;
	for (int i = 6; i >= 0; i--) {
		d[i] = v % 10;
		v /= 10;
	}
	unsigned sum = 0;
	for (int i = 0; i < 6; i++)
		sum += d[i] * (unsigned)(7 - i);
	return sum % 10 == d[6];
}

int st_imo_parse(const char *z, size_t n, uint32_t *pImo)
{
	size_t i = 0;
	*pImo = 0;
	while (i < n && (z[i] == ' ' || z[i] == '\t'))
		i++;
	if (n - i >= 3 && st__field_is(z + i, 3, "IMO")) {
		i += 3;
		while (i < n && (z[i] == ' ' || z[i] == ':' || z[i] == '\t'))
			i++;
	}
	size_t j = i;
	uint32_t v = 0;
	while (j < n && z[j] >= '0' && z[j] <= '9' && j - i < 8)
		v = v * 10 + (uint32_t)(z[j++] - '0');
	size_t k = j;
	while (k < n && (z[k] == ' ' || z[k] == '\t' || z[k] == '\r' || z[k] == '.'))
		k++;
	if (j - i != 7 || k != n)
		return -1;
	*pImo = v;
	return st_imo_valid(v);
}

static int mid_ok(int mid)
{
	return mid >= 201 && mid <= 775;
}

st_mmsi_kind st_mmsi_classify(uint32_t mmsi, int *pMid)
{
	int mid = 0;
	st_mmsi_kind k = ST_MMSI_INVALID;
	if (mmsi > 999999999u)
		goto done;
	/* Nine digits with leading zeros: the value's digit count says which
	 * zero-prefixed kind it is. */
	unsigned d1 = mmsi / 100000000u;          /* first digit */
	unsigned d12 = mmsi / 10000000u;          /* first two */
	unsigned d123 = mmsi / 1000000u;          /* first three */
	if (mmsi < 1000000u) {
		goto done; /* 000XXXXXX: no ITU meaning */
	} else if (mmsi < 10000000u) {
		mid = (int)(mmsi / 10000u); /* 00MIDXXXX */
		k = ST_MMSI_COAST;
	} else if (mmsi < 100000000u) {
		mid = (int)(mmsi / 100000u); /* 0MIDXXXXX */
		k = ST_MMSI_GROUP;
	} else if (d123 == 111) {
		mid = (int)((mmsi / 1000u) % 1000u);
		k = ST_MMSI_SAR_AIRCRAFT;
	} else if (d123 == 970) {
		k = ST_MMSI_SART;
	} else if (d123 == 972) {
		k = ST_MMSI_MOB;
	} else if (d123 == 974) {
		k = ST_MMSI_EPIRB;
	} else if (d12 == 98) {
		mid = (int)((mmsi / 10000u) % 1000u);
		k = ST_MMSI_CRAFT_AUX;
	} else if (d12 == 99) {
		mid = (int)((mmsi / 10000u) % 1000u);
		k = ST_MMSI_ATON;
	} else if (d1 == 8) {
		mid = (int)((mmsi / 100000u) % 1000u);
		k = ST_MMSI_HANDHELD;
	} else if (d1 >= 2 && d1 <= 7) {
		mid = (int)d123;
		k = ST_MMSI_SHIP;
	}
	if (k != ST_MMSI_INVALID && k != ST_MMSI_SART && k != ST_MMSI_MOB &&
	    k != ST_MMSI_EPIRB && !mid_ok(mid)) {
		k = ST_MMSI_INVALID;
		mid = 0;
	}
done:
	if (k == ST_MMSI_INVALID)
		mid = 0;
	if (pMid)
		*pMid = mid;
	return k;
}

const char *st_mmsi_kind_name(st_mmsi_kind k)
{
	switch (k) {
	case ST_MMSI_SHIP: return "ship";
	case ST_MMSI_GROUP: return "group";
	case ST_MMSI_COAST: return "coast";
	case ST_MMSI_SAR_AIRCRAFT: return "sar_aircraft";
	case ST_MMSI_HANDHELD: return "handheld";
	case ST_MMSI_CRAFT_AUX: return "craft_associated";
	case ST_MMSI_ATON: return "aid_to_navigation";
	case ST_MMSI_SART: return "ais_sart";
	case ST_MMSI_MOB: return "man_overboard";
	case ST_MMSI_EPIRB: return "epirb";
	case ST_MMSI_INVALID: break;
	}
	return "invalid";
}

#ifndef ST_DATADIR
#define ST_DATADIR "data"
#endif

char *st_registry_data_file(const char *zFile, char *zOut, size_t nOut)
{
	const char *zDir = getenv("SHIPTRACE_DATA");
	snprintf(zOut, nOut, "%s/%s", zDir && *zDir ? zDir : ST_DATADIR, zFile);
	return zOut;
}

/* ---------------------------------------------------------- encodings */

size_t st_latin1_to_utf8(const char *zIn, size_t nIn, char *zOut, size_t nOut)
{
	size_t m = 0;
	if (nOut == 0)
		return 0;
	for (size_t i = 0; i < nIn; i++) {
		unsigned char ch = (unsigned char)zIn[i];
		size_t need = ch < 0x80 ? 1 : 2;
		if (m + need + 1 > nOut)
			break;
		if (ch < 0x80)
			zOut[m++] = (char)ch;
		else {
			zOut[m++] = (char)(0xC0 | (ch >> 6));
			zOut[m++] = (char)(0x80 | (ch & 0x3F));
		}
	}
	zOut[m] = '\0';
	return m;
}

/* Decodes one UTF-8 sequence at z[0..n); returns its length and the code
 * point in *pCp, or 0 for an invalid sequence (overlongs, surrogates and
 * values above U+10FFFF included). */
static size_t utf8_decode(const unsigned char *z, size_t n, unsigned *pCp)
{
	unsigned c = z[0];
	if (c < 0x80) {
		*pCp = c;
		return 1;
	}
	size_t len;
	unsigned cp, min;
	if ((c & 0xE0) == 0xC0)
		len = 2, cp = c & 0x1F, min = 0x80;
	else if ((c & 0xF0) == 0xE0)
		len = 3, cp = c & 0x0F, min = 0x800;
	else if ((c & 0xF8) == 0xF0)
		len = 4, cp = c & 0x07, min = 0x10000;
	else
		return 0;
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((z[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (z[i] & 0x3F);
	}
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	*pCp = cp;
	return len;
}

int st_utf8_valid(const char *z, size_t n)
{
	const unsigned char *p = (const unsigned char *)z;
	size_t i = 0;
	while (i < n) {
		unsigned cp;
		size_t len = utf8_decode(p + i, n - i, &cp);
		if (!len)
			return 0;
		i += len;
	}
	return 1;
}

/* ------------------------------------------------------ normalisation */

static const char *const azPrefix[] = {"M V ", "M T ", "M S ", "M Y ", "F V ",
                                       "S S ", "MV ", "MT ", "MS ", "MY ",
                                       "FV ", "SS ", NULL};

size_t st_vessel_name(const char *zIn, char *zOut, size_t nOut)
{
	if (nOut == 0)
		return 0;
	size_t m = st_name_normalize(zIn, zOut, nOut);
	/* A leading vessel prefix goes when something follows it. Every
	 * prefix is two letters ("MV ") or two spaced letters ("M V "). */
	if (m < 4 || (zOut[2] != ' ' && (zOut[1] != ' ' || zOut[3] != ' ')))
		return m;
	for (const char *const *a = azPrefix; *a; a++) {
		size_t np = strlen(*a);
		if (m > np && !memcmp(zOut, *a, np)) {
			memmove(zOut, zOut + np, m - np + 1);
			m -= np;
			break;
		}
	}
	return m;
}

/* Name normalisation and matching keys. A fixed Cyrillic table (ICAO Doc
 * 9303, the passport standard, which most Russian records and Western
 * lists follow) plus folding of the variants that other systems produce
 * (BGN/PCGN "yy", GOST "j"), so a port written in a Russian rail record
 * finds the gazetteer entry spelled by the World Port Index. */
#include <stdint.h>
#include <string.h>
#include "shiptrace/names.h"

/* U+0410..U+044F: А..Я then а..я; ICAO 9303 transliteration. */
static const char *const azCyr[32] = {
	"A", "B", "V", "G", "D", "E", "ZH", "Z", "I", "I", "K", "L", "M", "N", "O", "P",
	"R", "S", "T", "U", "F", "KH", "TS", "CH", "SH", "SHCH", "IE", "Y", "", "E", "IU", "IA"};

/* Latin-1 supplement letters U+00C0..U+00FF folded to ASCII. */
static const char *latin1(uint32_t c)
{
	static const char *const az[64] = {
		"A", "A", "A", "A", "A", "A", "AE", "C", "E", "E", "E", "E", "I", "I", "I", "I",
		"D", "N", "O", "O", "O", "O", "O", "", "O", "U", "U", "U", "U", "Y", "TH", "SS",
		"A", "A", "A", "A", "A", "A", "AE", "C", "E", "E", "E", "E", "I", "I", "I", "I",
		"D", "N", "O", "O", "O", "O", "O", "", "O", "U", "U", "U", "U", "Y", "TH", "Y"};
	return c >= 0xC0 && c <= 0xFF ? az[c - 0xC0] : NULL;
}

/* Decodes one UTF-8 sequence; invalid bytes come back as themselves so
 * Latin-1 input still normalises sensibly. */
static uint32_t next_cp(const unsigned char **pz)
{
	const unsigned char *z = *pz;
	uint32_t c = z[0];
	if (c < 0x80) {
		*pz = z + 1;
		return c;
	}
	if ((c & 0xE0) == 0xC0 && (z[1] & 0xC0) == 0x80) {
		*pz = z + 2;
		return ((c & 0x1F) << 6) | (z[1] & 0x3F);
	}
	if ((c & 0xF0) == 0xE0 && (z[1] & 0xC0) == 0x80 && (z[2] & 0xC0) == 0x80) {
		*pz = z + 3;
		return ((c & 0x0F) << 12) | ((uint32_t)(z[1] & 0x3F) << 6) | (z[2] & 0x3F);
	}
	if ((c & 0xF8) == 0xF0 && (z[1] & 0xC0) == 0x80 && (z[2] & 0xC0) == 0x80 &&
	    (z[3] & 0xC0) == 0x80) {
		*pz = z + 4;
		return ((c & 0x07) << 18) | ((uint32_t)(z[1] & 0x3F) << 12) |
		       ((uint32_t)(z[2] & 0x3F) << 6) | (z[3] & 0x3F);
	}
	*pz = z + 1;
	return c;
}

size_t st_name_normalize(const char *zIn, char *zOut, size_t n)
{
	size_t j = 0;
	int pendingSpace = 0;
	const unsigned char *z = (const unsigned char *)(zIn ? zIn : "");
	if (n == 0)
		return 0;
	while (*z) {
		uint32_t c = next_cp(&z);
		char one[2] = {0, 0};
		const char *zRep = NULL;
		if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
			one[0] = (char)c;
			zRep = one;
		} else if (c >= 'a' && c <= 'z') {
			one[0] = (char)(c - 32);
			zRep = one;
		} else if (c >= 0x410 && c <= 0x44F) {
			zRep = azCyr[(c - 0x410) % 32];
		} else if (c == 0x401 || c == 0x451) { /* Ё ё */
			zRep = "E";
		} else if (c == 0x406 || c == 0x456) { /* І і */
			zRep = "I";
		} else if (c == 0x404 || c == 0x454) { /* Є є */
			zRep = "IE";
		} else if (c == 0x407 || c == 0x457) { /* Ї ї */
			zRep = "I";
		} else if (c == '\'' || c == 0x2019) {
			zRep = ""; /* apostrophes join: O'BRIEN, soft-sign marks */
		} else if ((zRep = latin1(c)) == NULL) {
			pendingSpace = j > 0;
			continue;
		}
		if (!*zRep)
			continue;
		if (pendingSpace && j + 1 < n) {
			zOut[j++] = ' ';
		}
		pendingSpace = 0;
		for (; *zRep && j + 1 < n; zRep++)
			zOut[j++] = *zRep;
	}
	zOut[j] = 0;
	return j;
}

size_t st_name_key(const char *zIn, char *zOut, size_t n)
{
	char zNorm[512];
	size_t nNorm = st_name_normalize(zIn, zNorm, sizeof zNorm);
	size_t j = 0;
	if (n == 0)
		return 0;
	for (size_t i = 0; i < nNorm && j + 1 < n; i++) {
		char c = zNorm[i];
		if (c == ' ')
			continue;
		if (c == 'Y' || c == 'J')
			c = 'I';
		if (c == 'K' && zNorm[i + 1] == 'H') {
			c = 'H';
			i++;
		}
		if (j > 0 && zOut[j - 1] == c && !(c >= '0' && c <= '9'))
			continue;
		zOut[j++] = c;
	}
	zOut[j] = 0;
	return j;
}

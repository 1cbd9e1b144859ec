/* Helpers for the AIS unit tests: walk a file of !xxVDM/!xxVDO sentences,
 * join multi-sentence messages, and hand each complete payload to a
 * callback. Deliberately simple and independent of the NMEA framing module
 * (no tag blocks, checksum not verified) so the payload decoder can be
 * tested on its own; the test inputs are well-formed. */
#ifndef AIS_TEST_UTIL_H
#define AIS_TEST_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "shiptrace/ais.h"

typedef void (*ais_payload_fn)(const char *zPayload, size_t nChar,
                               unsigned fill, void *pArg);

/* Splits the sentence at *zSentence ('!' onwards) into fields; returns the
 * number of fields (at most nMax). Fields point into zBuf. */
static inline int ais_test_fields(char *zBuf, char **azField, int nMax)
{
	int n = 0;
	char *p = zBuf;
	azField[n++] = p;
	while (*p && n < nMax) {
		if (*p == ',' || *p == '*') {
			*p = 0;
			azField[n++] = p + 1;
		}
		p++;
	}
	return n;
}

/* Calls xPayload for every complete message in the file; returns the
 * number of messages. */
static inline int ais_test_each_payload(const char *zPath, ais_payload_fn xPayload,
                                 void *pArg)
{
	char zLine[1024], zJoined[4096];
	size_t nJoined = 0;
	int nMsg = 0, iExpect = 1;
	FILE *f = fopen(zPath, "r");
	if (!f) {
		fprintf(stderr, "cannot open %s\n", zPath);
		return -1;
	}
	while (fgets(zLine, sizeof zLine, f)) {
		char *azF[10];
		char *zBang = strchr(zLine, '!');
		int nF, nTotal, iPart;
		if (!zBang)
			continue;
		nF = ais_test_fields(zBang, azF, 10);
		if (nF < 8)
			continue;
		nTotal = atoi(azF[1]);
		iPart = atoi(azF[2]);
		if (iPart == 1)
			nJoined = 0;
		else if (iPart != iExpect)
			continue;
		if (nJoined + strlen(azF[5]) >= sizeof zJoined)
			continue;
		memcpy(zJoined + nJoined, azF[5], strlen(azF[5]));
		nJoined += strlen(azF[5]);
		iExpect = iPart + 1;
		if (iPart == nTotal) {
			zJoined[nJoined] = 0;
			xPayload(zJoined, nJoined, (unsigned)atoi(azF[6]), pArg);
			nMsg++;
			nJoined = 0;
			iExpect = 1;
		}
	}
	fclose(f);
	return nMsg;
}

/* Reads the whole file's lines into an array (for expected JSON lines). */
static inline char **ais_test_read_lines(const char *zPath, int *pnLine)
{
	char zLine[8192];
	char **az = NULL;
	int n = 0;
	FILE *f = fopen(zPath, "r");
	*pnLine = 0;
	if (!f)
		return NULL;
	while (fgets(zLine, sizeof zLine, f)) {
		size_t len = strlen(zLine);
		while (len && (zLine[len - 1] == '\n' || zLine[len - 1] == '\r'))
			zLine[--len] = 0;
		az = realloc(az, sizeof(char *) * (size_t)(n + 1));
		az[n++] = strdup(zLine);
	}
	fclose(f);
	*pnLine = n;
	return az;
}

static inline void ais_test_free_lines(char **az, int n)
{
	int i;
	for (i = 0; i < n; i++)
		free(az[i]);
	free(az);
}

/* A message built field by field (MSB first), then armoured with the
 * mapping written out independently of the decoder's table. */
typedef struct ais_test_bits {
	uint8_t aBit[1200];
	size_t nBit;
} ais_test_bits;

static inline void tb_u(ais_test_bits *b, unsigned nWidth, uint64_t v)
{
	unsigned i;
	for (i = 0; i < nWidth; i++)
		b->aBit[b->nBit++] = (uint8_t)((v >> (nWidth - 1 - i)) & 1);
}

static inline void tb_s(ais_test_bits *b, unsigned nWidth, int64_t v)
{
	tb_u(b, nWidth, (uint64_t)v & ((1ULL << nWidth) - 1));
}

/* nChar characters of 6-bit ASCII, padded with '@'. */
static inline void tb_text(ais_test_bits *b, unsigned nChar, const char *z)
{
	static const char azSix[] =
		"@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_ !\"#$%&'()*+,-./0123456789:;<=>?";
	unsigned i;
	size_t n = strlen(z);
	for (i = 0; i < nChar; i++) {
		char c = i < n ? z[i] : '@';
		const char *p = strchr(azSix, c);
		tb_u(b, 6, p ? (uint64_t)(p - azSix) : 0);
	}
}

static inline void tb_head(ais_test_bits *b, unsigned type, unsigned repeat,
                    uint32_t mmsi)
{
	b->nBit = 0;
	tb_u(b, 6, type);
	tb_u(b, 2, repeat);
	tb_u(b, 30, mmsi);
}

/* Armours the first nBit bits; returns the character count. */
static inline size_t tb_armour(const ais_test_bits *b, size_t nBit, char *zOut,
                        unsigned *pFill)
{
	size_t i, nChar = (nBit + 5) / 6;
	for (i = 0; i < nChar; i++) {
		unsigned v = 0, k;
		for (k = 0; k < 6; k++) {
			size_t iBit = i * 6 + k;
			v = v << 1 | (iBit < nBit ? b->aBit[iBit] : 0);
		}
		zOut[i] = (char)(v < 40 ? '0' + v : '`' + (v - 40));
	}
	zOut[nChar] = 0;
	*pFill = (unsigned)(nChar * 6 - nBit);
	return nChar;
}

static inline st_status tb_decode(const ais_test_bits *b, size_t nBit, st_ais_msg *m)
{
	char z[256];
	unsigned fill;
	size_t n = tb_armour(b, nBit, z, &fill);
	return st_ais_decode(z, n, fill, m);
}

#endif

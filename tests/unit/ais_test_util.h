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
static int ais_test_fields(char *zBuf, char **azField, int nMax)
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
static int ais_test_each_payload(const char *zPath, ais_payload_fn xPayload,
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
static char **ais_test_read_lines(const char *zPath, int *pnLine)
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

static void ais_test_free_lines(char **az, int n)
{
	int i;
	for (i = 0; i < n; i++)
		free(az[i]);
	free(az);
}

#endif

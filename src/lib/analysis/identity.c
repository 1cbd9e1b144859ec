/* What a vessel says it is, over time, and what its MMSI says about its
 * flag. Identity history turns static reports into periods per field (a
 * rename is two periods of the name), so screening can ask "which IMO did
 * this MMSI report in March". The flag comes from the MMSI's Maritime
 * Identification Digits (ITU-R M.585) and the ITU table in data/mid.csv. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

static const char *const azField[ST_ID_NFIELD] = {
	"name", "imo", "callsign", "ship_type", "dimensions"
};

const char *st_id_field_name(st_id_field f)
{
	return (unsigned)f < ST_ID_NFIELD ? azField[f] : "?";
}

typedef struct repref {
	uint32_t mmsi;
	st_time_ms t;
	size_t idx;
} repref;

static int cmp_ref(const void *x, const void *y)
{
	const repref *a = x, *b = y;
	if (a->mmsi != b->mmsi)
		return a->mmsi < b->mmsi ? -1 : 1;
	if (a->t != b->t)
		return a->t < b->t ? -1 : 1;
	return a->idx < b->idx ? -1 : a->idx > b->idx;
}

/* The value a report gives for a field, or 0 when it gives none. */
static int field_value(const st_static_report *r, st_id_field f, char *z, size_t n)
{
	switch (f) {
	case ST_ID_NAME:
		if (!r->name[0])
			return 0;
		snprintf(z, n, "%s", r->name);
		return 1;
	case ST_ID_IMO:
		if (!r->imo)
			return 0;
		snprintf(z, n, "%u", r->imo);
		return 1;
	case ST_ID_CALLSIGN:
		if (!r->callsign[0])
			return 0;
		snprintf(z, n, "%s", r->callsign);
		return 1;
	case ST_ID_TYPE:
		if (r->ship_type <= 0)
			return 0;
		snprintf(z, n, "%d", r->ship_type);
		return 1;
	case ST_ID_DIMENSIONS:
		if (r->to_bow < 0 || r->to_stern < 0 || r->to_port < 0 || r->to_starboard < 0 ||
		    r->to_bow + r->to_stern == 0)
			return 0;
		snprintf(z, n, "%dx%d", r->to_bow + r->to_stern, r->to_port + r->to_starboard);
		return 1;
	default:
		return 0;
	}
}

st_status st_identity_history(const st_static_report *aRep, const int64_t *aId,
                              size_t nRep, st_identity **paOut, size_t *pnOut)
{
	*paOut = NULL;
	*pnOut = 0;
	repref *aRef = malloc((nRep ? nRep : 1) * sizeof *aRef);
	if (!aRef)
		return ST_ENOMEM;
	for (size_t k = 0; k < nRep; k++)
		aRef[k] = (repref){aRep[k].mmsi, aRep[k].t, k};
	qsort(aRef, nRep, sizeof *aRef, cmp_ref);
	st_identity *aOut = NULL;
	size_t nOut = 0, nCap = 0;
	long aCur[ST_ID_NFIELD];
	char zVal[40];
	for (size_t k = 0; k < nRep; k++) {
		if (k == 0 || aRef[k].mmsi != aRef[k - 1].mmsi)
			for (int f = 0; f < ST_ID_NFIELD; f++)
				aCur[f] = -1;
		const st_static_report *r = &aRep[aRef[k].idx];
		int64_t id = aId ? aId[aRef[k].idx] : 0;
		for (int f = 0; f < ST_ID_NFIELD; f++) {
			if (!field_value(r, (st_id_field)f, zVal, sizeof zVal))
				continue;
			if (aCur[f] >= 0 && !strcmp(aOut[aCur[f]].zValue, zVal)) {
				st_identity *pI = &aOut[aCur[f]];
				pI->t1 = r->t;
				pI->id1 = id;
				pI->nReport++;
				continue;
			}
			st_identity *pI = st__push((void **)&aOut, &nOut, &nCap, sizeof *pI);
			if (!pI) {
				free(aOut);
				free(aRef);
				return ST_ENOMEM;
			}
			memset(pI, 0, sizeof *pI);
			pI->mmsi = r->mmsi;
			pI->field = (st_id_field)f;
			snprintf(pI->zValue, sizeof pI->zValue, "%s", zVal);
			pI->t0 = pI->t1 = r->t;
			pI->nReport = 1;
			pI->id0 = pI->id1 = id;
			aCur[f] = (long)(nOut - 1);
		}
	}
	free(aRef);
	*paOut = aOut;
	*pnOut = nOut;
	return ST_OK;
}

st_status st_mid_load(st_mid_table *t, const char *zPath, char *zErr, size_t nErr)
{
	memset(t, 0, sizeof *t);
	FILE *f = fopen(zPath, "r");
	if (!f) {
		snprintf(zErr, nErr, "%s: %s", zPath, strerror(errno));
		return ST_EIO;
	}
	char zLine[256];
	int iLine = 0;
	st_status rc = ST_OK;
	while (fgets(zLine, sizeof zLine, f)) {
		iLine++;
		zLine[strcspn(zLine, "\r\n")] = 0;
		if (iLine == 1 && !strncmp(zLine, "mid,", 4))
			continue;
		if (!zLine[0])
			continue;
		char *zEnd;
		long mid = strtol(zLine, &zEnd, 10);
		if (zEnd == zLine || *zEnd != ',' || mid < 200 || mid > 799 ||
		    !isupper((unsigned char)zEnd[1]) || !isupper((unsigned char)zEnd[2]) ||
		    (zEnd[3] != ',' && zEnd[3] != 0)) {
			snprintf(zErr, nErr, "%s:%d: expected mid,ISO2,name", zPath, iLine);
			rc = ST_EMALFORMED;
			break;
		}
		t->aIso[mid][0] = zEnd[1];
		t->aIso[mid][1] = zEnd[2];
		t->aIso[mid][2] = 0;
		free(t->azName[mid]);
		t->azName[mid] = strdup(zEnd[3] == ',' ? zEnd + 4 : "");
		if (!t->azName[mid]) {
			rc = ST_ENOMEM;
			break;
		}
	}
	fclose(f);
	if (rc != ST_OK)
		st_mid_free(t);
	return rc;
}

void st_mid_free(st_mid_table *t)
{
	for (int i = 0; i < 1000; i++)
		free(t->azName[i]);
	memset(t, 0, sizeof *t);
}

int st_mmsi_mid(uint32_t mmsi, const char **pzKind)
{
	const char *zKind = "invalid";
	int mid = -1;
	if (mmsi >= 1000000000u) {
		/* ten digits: not an MMSI */
	} else if (mmsi >= 200000000u && mmsi < 800000000u) {
		zKind = "ship";
		mid = (int)(mmsi / 1000000u);
	} else if (mmsi >= 800000000u && mmsi < 900000000u) {
		zKind = "handheld";
		mid = (int)(mmsi / 100000u % 1000u);
	} else if (mmsi >= 970000000u && mmsi < 980000000u) {
		zKind = "sart_mob_epirb";
	} else if (mmsi >= 980000000u && mmsi < 990000000u) {
		zKind = "auxiliary";
		mid = (int)(mmsi / 10000u % 1000u);
	} else if (mmsi >= 990000000u) {
		zKind = "aton";
		mid = (int)(mmsi / 10000u % 1000u);
	} else if (mmsi >= 111000000u && mmsi < 112000000u) {
		zKind = "sar_aircraft";
		mid = (int)(mmsi / 1000u % 1000u);
	} else if (mmsi < 10000000u && mmsi >= 2000000u) {
		zKind = "coast"; /* 00MIDxxxx */
		mid = (int)(mmsi / 10000u);
	} else if (mmsi < 100000000u && mmsi >= 20000000u) {
		zKind = "group"; /* 0MIDxxxxx */
		mid = (int)(mmsi / 100000u);
	}
	if (mid >= 0 && (mid < 200 || mid > 799)) {
		mid = -1;
		zKind = "invalid";
	}
	if (pzKind)
		*pzKind = zKind;
	return mid;
}

const char *st_mmsi_flag(const st_mid_table *t, uint32_t mmsi)
{
	int mid = st_mmsi_mid(mmsi, NULL);
	if (mid < 0 || !t->aIso[mid][0])
		return NULL;
	return t->aIso[mid];
}

/* Places and facilities: a growable array of places and an open-addressing
 * hash from name keys to places. Files come as CSV (columns found by their
 * header names) or GeoJSON points; both report bad rows with their line. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <cjson/cJSON.h>
#include "shiptrace/places.h"
#include "shiptrace/names.h"
#include "shiptrace/csv.h"

#define MAX_PLACES (1u << 22)

typedef struct slot {
	char *zKey;
	int idx;
} slot;

struct st_places {
	st_place *a;
	size_t n, nAlloc;
	slot *aSlot;
	size_t nSlot, nUsed;
};

st_places *st_places_new(void)
{
	return calloc(1, sizeof(st_places));
}

void st_places_free(st_places *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->nSlot; i++)
		free(p->aSlot[i].zKey);
	free(p->aSlot);
	free(p->a);
	free(p);
}

static uint64_t hash_str(const char *z)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *z; z++)
		h = (h ^ (unsigned char)*z) * 1099511628211ULL;
	return h;
}

static int grow_slots(st_places *p)
{
	size_t nNew = p->nSlot ? p->nSlot * 2 : 64;
	slot *aNew = calloc(nNew, sizeof *aNew);
	if (!aNew)
		return 0;
	for (size_t i = 0; i < p->nSlot; i++) {
		if (!p->aSlot[i].zKey)
			continue;
		size_t h = hash_str(p->aSlot[i].zKey) & (nNew - 1);
		while (aNew[h].zKey)
			h = (h + 1) & (nNew - 1);
		aNew[h] = p->aSlot[i];
	}
	free(p->aSlot);
	p->aSlot = aNew;
	p->nSlot = nNew;
	return 1;
}

static int add_key(st_places *p, const char *zName, int idx)
{
	char zKey[256];
	if (st_name_key(zName, zKey, sizeof zKey) == 0)
		return 1;
	if ((p->nUsed + 1) * 2 > p->nSlot && !grow_slots(p))
		return 0;
	size_t h = hash_str(zKey) & (p->nSlot - 1);
	while (p->aSlot[h].zKey) {
		if (!strcmp(p->aSlot[h].zKey, zKey))
			return 1; /* first added wins */
		h = (h + 1) & (p->nSlot - 1);
	}
	p->aSlot[h].zKey = strdup(zKey);
	if (!p->aSlot[h].zKey)
		return 0;
	p->aSlot[h].idx = idx;
	p->nUsed++;
	return 1;
}

int st_places_add(st_places *p, const st_place *pPlace, const char *zAliases)
{
	if (p->n == MAX_PLACES)
		return ST_EINVAL;
	if (p->n == p->nAlloc) {
		size_t nNew = p->nAlloc ? p->nAlloc * 2 : 64;
		st_place *aNew = realloc(p->a, nNew * sizeof *aNew);
		if (!aNew)
			return ST_ENOMEM;
		p->a = aNew;
		p->nAlloc = nNew;
	}
	int idx = (int)p->n++;
	p->a[idx] = *pPlace;
	snprintf(p->a[idx].zAliases, sizeof p->a[idx].zAliases, "%s", zAliases ? zAliases : "");
	if (!add_key(p, pPlace->zName, idx))
		return ST_ENOMEM;
	if (zAliases && *zAliases) {
		char zBuf[2048];
		snprintf(zBuf, sizeof zBuf, "%s", zAliases);
		char *zSave = NULL;
		for (char *z = strtok_r(zBuf, ";|", &zSave); z; z = strtok_r(NULL, ";|", &zSave))
			if (!add_key(p, z, idx))
				return ST_ENOMEM;
	}
	return idx;
}

int st_places_find(const st_places *p, const char *zName)
{
	char zKey[256];
	if (!p->nSlot || st_name_key(zName, zKey, sizeof zKey) == 0)
		return -1;
	size_t h = hash_str(zKey) & (p->nSlot - 1);
	while (p->aSlot[h].zKey) {
		if (!strcmp(p->aSlot[h].zKey, zKey))
			return p->aSlot[h].idx;
		h = (h + 1) & (p->nSlot - 1);
	}
	return -1;
}

size_t st_places_count(const st_places *p)
{
	return p->n;
}

const st_place *st_places_get(const st_places *p, size_t i)
{
	return i < p->n ? &p->a[i] : NULL;
}

double st_distance_m(double lat1, double lon1, double lat2, double lon2)
{
	const double r = 6371008.8, d2r = M_PI / 180.0;
	double dlat = (lat2 - lat1) * d2r, dlon = (lon2 - lon1) * d2r;
	double a = sin(dlat / 2) * sin(dlat / 2) +
	           cos(lat1 * d2r) * cos(lat2 * d2r) * sin(dlon / 2) * sin(dlon / 2);
	return 2 * r * asin(sqrt(a < 1 ? a : 1));
}

static bool is_facility(const st_place *pl)
{
	return strcasecmp(pl->zKind, "port") && strcasecmp(pl->zKind, "station") &&
	       strcasecmp(pl->zKind, "site") && strcasecmp(pl->zKind, "city");
}

int st_places_nearest(const st_places *p, double lat, double lon,
                      bool facilitiesOnly, double *pDist)
{
	int best = -1;
	double dBest = INFINITY;
	for (size_t i = 0; i < p->n; i++) {
		if (facilitiesOnly && !is_facility(&p->a[i]))
			continue;
		double d = st_distance_m(lat, lon, p->a[i].lat, p->a[i].lon);
		if (d < dBest) {
			dBest = d;
			best = (int)i;
		}
	}
	*pDist = dBest;
	return best;
}

static int parse_coord(const char *z, double lo, double hi, double *out)
{
	char *end;
	while (*z == ' ')
		z++;
	double v = strtod(z, &end);
	while (*end == ' ')
		end++;
	if (end == z || *end || !isfinite(v) || v < lo || v > hi)
		return 0;
	*out = v;
	return 1;
}

static bool parse_yes(const char *z)
{
	return !strcasecmp(z, "yes") || !strcasecmp(z, "true") || !strcmp(z, "1") ||
	       !strcasecmp(z, "y") || !strcasecmp(z, "да");
}

static st_status read_geojson(st_places *p, const char *zPath, const char *zText,
                              st_place_reject_fn xReject, void *ctx,
                              size_t *pnAdded, size_t *pnRejected, char *zErr, size_t nErr)
{
	cJSON *pRoot = cJSON_Parse(zText);
	const cJSON *aFeat = cJSON_GetObjectItemCaseSensitive(pRoot, "features");
	if (!cJSON_IsArray(aFeat)) {
		snprintf(zErr, nErr, "%s: not a GeoJSON FeatureCollection", zPath);
		cJSON_Delete(pRoot);
		return ST_EFORMAT;
	}
	const cJSON *f;
	uint64_t i = 0;
	cJSON_ArrayForEach(f, aFeat)
	{
		i++;
		const cJSON *g = cJSON_GetObjectItemCaseSensitive(f, "geometry");
		const cJSON *pr = cJSON_GetObjectItemCaseSensitive(f, "properties");
		const cJSON *c = cJSON_GetObjectItemCaseSensitive(g, "coordinates");
		const cJSON *t = cJSON_GetObjectItemCaseSensitive(g, "type");
		const cJSON *nm = cJSON_GetObjectItemCaseSensitive(pr, "name");
		st_place pl;
		memset(&pl, 0, sizeof pl);
		if (!cJSON_IsString(t) || strcmp(t->valuestring, "Point") || cJSON_GetArraySize(c) < 2 ||
		    !cJSON_IsNumber(cJSON_GetArrayItem(c, 0)) || !cJSON_IsNumber(cJSON_GetArrayItem(c, 1)) ||
		    !cJSON_IsString(nm) || !nm->valuestring[0]) {
			(*pnRejected)++;
			if (xReject)
				xReject(ctx, zPath, i, "feature is not a named Point (feature number given as line)");
			continue;
		}
		pl.lon = cJSON_GetArrayItem(c, 0)->valuedouble;
		pl.lat = cJSON_GetArrayItem(c, 1)->valuedouble;
		snprintf(pl.zName, sizeof pl.zName, "%s", nm->valuestring);
		const cJSON *v;
		if (cJSON_IsString(v = cJSON_GetObjectItemCaseSensitive(pr, "kind")))
			snprintf(pl.zKind, sizeof pl.zKind, "%s", v->valuestring);
		if (cJSON_IsString(v = cJSON_GetObjectItemCaseSensitive(pr, "country")))
			snprintf(pl.zCountry, sizeof pl.zCountry, "%s", v->valuestring);
		if (cJSON_IsString(v = cJSON_GetObjectItemCaseSensitive(pr, "list_entry")))
			snprintf(pl.zListEntry, sizeof pl.zListEntry, "%s", v->valuestring);
		v = cJSON_GetObjectItemCaseSensitive(pr, "sanctioned");
		pl.sanctioned = cJSON_IsTrue(v) || (cJSON_IsString(v) && parse_yes(v->valuestring));
		const cJSON *al = cJSON_GetObjectItemCaseSensitive(pr, "aliases");
		int rc = st_places_add(p, &pl, cJSON_IsString(al) ? al->valuestring : NULL);
		if (rc < 0) {
			cJSON_Delete(pRoot);
			return (st_status)rc;
		}
		(*pnAdded)++;
	}
	cJSON_Delete(pRoot);
	return ST_OK;
}

st_status st_places_read(st_places *p, const char *zPath, st_place_reject_fn xReject,
                         void *ctx, size_t *pnAdded, size_t *pnRejected,
                         char *zErr, size_t nErr)
{
	*pnAdded = *pnRejected = 0;
	FILE *f = fopen(zPath, "rb");
	if (!f) {
		snprintf(zErr, nErr, "%s: cannot open: %s", zPath, strerror(errno));
		return ST_EIO;
	}
	/* GeoJSON is read whole (facility lists are small); the first
	 * non-space byte tells which format this is. */
	int c;
	while ((c = fgetc(f)) == ' ' || c == '\n' || c == '\r' || c == '\t')
		;
	if (c == '{') {
		fseek(f, 0, SEEK_END);
		long n = ftell(f);
		fseek(f, 0, SEEK_SET);
		if (n > (64L << 20)) {
			fclose(f);
			snprintf(zErr, nErr, "%s: GeoJSON larger than 64 MiB", zPath);
			return ST_EINVAL;
		}
		char *z = malloc((size_t)n + 1);
		if (!z) {
			fclose(f);
			return ST_ENOMEM;
		}
		size_t got = fread(z, 1, (size_t)n, f);
		z[got] = 0;
		fclose(f);
		st_status rc = read_geojson(p, zPath, z, xReject, ctx, pnAdded, pnRejected, zErr, nErr);
		free(z);
		return rc;
	}
	ungetc(c, f);

	char zLine[8192];
	char *az[64];
	uint64_t line = 0;
	int iName = -1, iAlias = -1, iKind = -1, iCountry = -1, iLat = -1, iLon = -1;
	int iSanc = -1, iEntry = -1, nHead = 0;
	char cDelim = ',';
	while (fgets(zLine, sizeof zLine, f)) {
		line++;
		size_t nLine = strlen(zLine);
		if (nLine == sizeof zLine - 1 && zLine[nLine - 1] != '\n') {
			int ch;
			while ((ch = fgetc(f)) != EOF && ch != '\n')
				;
			(*pnRejected)++;
			if (xReject)
				xReject(ctx, zPath, line, "line too long");
			continue;
		}
		if (zLine[0] == '#' || zLine[strspn(zLine, " \t\r\n")] == 0)
			continue;
		if (iName < 0) {
			if (!strchr(zLine, ',') && strchr(zLine, ';'))
				cDelim = ';';
			nHead = st_csv_split(zLine, cDelim, az, 64);
			int nH = nHead < 64 ? nHead : 64;
			iName = st_csv_find(az, nH, "name");
			iAlias = st_csv_find(az, nH, "aliases");
			iKind = st_csv_find(az, nH, "kind");
			iCountry = st_csv_find(az, nH, "country");
			iLat = st_csv_find(az, nH, "lat");
			iLon = st_csv_find(az, nH, "lon");
			iSanc = st_csv_find(az, nH, "sanctioned");
			iEntry = st_csv_find(az, nH, "list_entry");
			if (iName < 0 || iLat < 0 || iLon < 0) {
				fclose(f);
				snprintf(zErr, nErr, "%s:%llu: header needs name, lat and lon columns",
				         zPath, (unsigned long long)line);
				return ST_EFORMAT;
			}
			continue;
		}
		int n = st_csv_split(zLine, cDelim, az, 64);
		st_place pl;
		memset(&pl, 0, sizeof pl);
		const char *zWhy = NULL;
		if (n != nHead)
			zWhy = "wrong number of fields";
		else if (!az[iName][0])
			zWhy = "empty name";
		else if (!parse_coord(az[iLat], -90, 90, &pl.lat) || !parse_coord(az[iLon], -180, 180, &pl.lon))
			zWhy = "latitude or longitude missing or out of range";
		if (zWhy) {
			(*pnRejected)++;
			if (xReject)
				xReject(ctx, zPath, line, zWhy);
			continue;
		}
		snprintf(pl.zName, sizeof pl.zName, "%s", az[iName]);
		if (iKind >= 0)
			snprintf(pl.zKind, sizeof pl.zKind, "%s", az[iKind]);
		if (iCountry >= 0)
			snprintf(pl.zCountry, sizeof pl.zCountry, "%s", az[iCountry]);
		if (iEntry >= 0)
			snprintf(pl.zListEntry, sizeof pl.zListEntry, "%s", az[iEntry]);
		pl.sanctioned = iSanc >= 0 && parse_yes(az[iSanc]);
		int rc = st_places_add(p, &pl, iAlias >= 0 ? az[iAlias] : NULL);
		if (rc < 0) {
			fclose(f);
			return (st_status)rc;
		}
		(*pnAdded)++;
	}
	fclose(f);
	if (iName < 0) {
		snprintf(zErr, nErr, "%s: empty file", zPath);
		return ST_EFORMAT;
	}
	return ST_OK;
}

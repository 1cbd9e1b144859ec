/* The port gazetteer: the shipped World Port Index extract, user ports (CSV
 * points with a radius, GeoJSON polygons), ports of concern, and a grid
 * index so that "which port is this position in" costs a cell lookup for the
 * vast majority of positions, which are far from any port. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <cJSON.h>
#include "internal.h"

#define KM_PER_DEG 111.195
#define MAX_FIELDS 16
#define MAX_LINE 4096
#define MAX_GEOJSON (256u << 20)

#ifndef ST_DATADIR
#define ST_DATADIR "data"
#endif

const char *st_data_dir(void)
{
	const char *z = getenv("SHIPTRACE_DATA");
	return z && *z ? z : ST_DATADIR;
}

void st_gazetteer_init(st_gazetteer *g)
{
	memset(g, 0, sizeof *g);
}

void st_gazetteer_free(st_gazetteer *g)
{
	for (int i = 0; i < g->nPort; i++)
		free(g->aPort[i].aPoly);
	free(g->aPort);
	free(g->aCellStart);
	free(g->aCellPort);
	st_gazetteer_init(g);
}

static void copy_text(char *zDst, size_t n, const char *zSrc)
{
	snprintf(zDst, n, "%s", zSrc ? zSrc : "");
}

st_status st_gazetteer_add(st_gazetteer *g, const st_port *p)
{
	if (g->nPort == g->nAlloc) {
		int n = g->nAlloc ? g->nAlloc * 2 : 1024;
		st_port *a = realloc(g->aPort, (size_t)n * sizeof *a);
		if (!a)
			return ST_ENOMEM;
		g->aPort = a;
		g->nAlloc = n;
	}
	st_port *pNew = &g->aPort[g->nPort];
	*pNew = *p;
	pNew->aPoly = NULL;
	if (p->nVert > 0) {
		pNew->aPoly = malloc((size_t)p->nVert * 2 * sizeof(double));
		if (!pNew->aPoly)
			return ST_ENOMEM;
		memcpy(pNew->aPoly, p->aPoly, (size_t)p->nVert * 2 * sizeof(double));
	}
	g->nPort++;
	return ST_OK;
}

/* Splits one CSV line in place (RFC 4180 quotes). Returns the field count,
 * or -1 for an unterminated quote. */
static int split_csv(char *z, char **az, int nMax)
{
	int n = 0;
	for (;;) {
		if (n == nMax)
			return n;
		char *zOut = z;
		az[n++] = z;
		if (*z == '"') {
			char *r = z + 1;
			for (;;) {
				if (!*r)
					return -1;
				if (*r == '"') {
					if (r[1] == '"') {
						*zOut++ = '"';
						r += 2;
						continue;
					}
					r++;
					break;
				}
				*zOut++ = *r++;
			}
			while (*r && *r != ',')
				r++;
			int more = *r == ',';
			*zOut = 0;
			if (!more)
				return n;
			z = r + 1;
		} else {
			while (*z && *z != ',')
				z++;
			if (!*z)
				return n;
			*z++ = 0;
		}
	}
}

static int parse_num(const char *z, double *pV)
{
	char *zEnd;
	while (isspace((unsigned char)*z))
		z++;
	if (!*z)
		return 0;
	*pV = strtod(z, &zEnd);
	while (isspace((unsigned char)*zEnd))
		zEnd++;
	return !*zEnd && isfinite(*pV);
}

st_status st_gazetteer_load_csv(st_gazetteer *g, const char *zPath, char *zErr,
                                size_t nErr)
{
	FILE *f = fopen(zPath, "r");
	if (!f) {
		snprintf(zErr, nErr, "%s: %s", zPath, strerror(errno));
		return ST_EIO;
	}
	char zLine[MAX_LINE];
	char *az[MAX_FIELDS];
	int iLine = 0, shipped = -1;
	st_status rc = ST_OK;
	while (fgets(zLine, sizeof zLine, f)) {
		iLine++;
		size_t n = strlen(zLine);
		if (n == sizeof zLine - 1 && zLine[n - 1] != '\n') {
			snprintf(zErr, nErr, "%s:%d: line too long", zPath, iLine);
			rc = ST_EMALFORMED;
			break;
		}
		while (n && (zLine[n - 1] == '\n' || zLine[n - 1] == '\r'))
			zLine[--n] = 0;
		if (iLine == 1 && n >= 3 && (unsigned char)zLine[0] == 0xEF)
			memmove(zLine, zLine + 3, n - 2);
		if (!zLine[0] || zLine[0] == '#')
			continue;
		int nf = split_csv(zLine, az, MAX_FIELDS);
		if (nf < 0) {
			snprintf(zErr, nErr, "%s:%d: unterminated quote", zPath, iLine);
			rc = ST_EMALFORMED;
			break;
		}
		if (shipped < 0) {
			shipped = nf >= 8 && !strcmp(az[0], "id") && !strcmp(az[1], "name");
			if (shipped || !strcasecmp(az[0], "name"))
				continue; /* header */
		}
		st_port p;
		memset(&p, 0, sizeof p);
		double lat, lon, r = 0;
		if (shipped) {
			if (nf < 8 || !parse_num(az[5], &lat) || !parse_num(az[6], &lon) ||
			    (az[7][0] && !parse_num(az[7], &r))) {
				snprintf(zErr, nErr, "%s:%d: expected id,name,alt_names,country,locode,lat,lon,radius_km",
				         zPath, iLine);
				rc = ST_EMALFORMED;
				break;
			}
			copy_text(p.zId, sizeof p.zId, az[0]);
			copy_text(p.zName, sizeof p.zName, az[1]);
			copy_text(p.zAlt, sizeof p.zAlt, az[2]);
			copy_text(p.zCountry, sizeof p.zCountry, az[3]);
			copy_text(p.zLocode, sizeof p.zLocode, az[4]);
		} else {
			if (nf < 4 || !parse_num(az[2], &lat) || !parse_num(az[3], &lon) ||
			    (nf > 4 && az[4][0] && !parse_num(az[4], &r))) {
				snprintf(zErr, nErr, "%s:%d: expected name,country,lat,lon[,radius_km]",
				         zPath, iLine);
				rc = ST_EMALFORMED;
				break;
			}
			snprintf(p.zId, sizeof p.zId, "U%d", iLine);
			copy_text(p.zName, sizeof p.zName, az[0]);
			copy_text(p.zCountry, sizeof p.zCountry, az[1]);
		}
		if (lat < -90 || lat > 90 || lon < -180 || lon > 180 || r < 0 || r > 500) {
			snprintf(zErr, nErr, "%s:%d: coordinates or radius out of range", zPath, iLine);
			rc = ST_EMALFORMED;
			break;
		}
		p.lat = lat;
		p.lon = lon;
		p.radius_km = r;
		if ((rc = st_gazetteer_add(g, &p)) != ST_OK) {
			snprintf(zErr, nErr, "%s:%d: %s", zPath, iLine, st_strerror(rc));
			break;
		}
	}
	if (rc == ST_OK && ferror(f)) {
		snprintf(zErr, nErr, "%s: read error", zPath);
		rc = ST_EIO;
	}
	fclose(f);
	return rc;
}

static const char *json_text(const cJSON *pProps, const char *zKey)
{
	const cJSON *p = cJSON_GetObjectItemCaseSensitive(pProps, zKey);
	return cJSON_IsString(p) ? p->valuestring : "";
}

st_status st_gazetteer_load_geojson(st_gazetteer *g, const char *zPath,
                                    char *zErr, size_t nErr)
{
	FILE *f = fopen(zPath, "rb");
	if (!f) {
		snprintf(zErr, nErr, "%s: %s", zPath, strerror(errno));
		return ST_EIO;
	}
	size_t nBuf = 0, nAlloc = 1 << 16;
	char *zBuf = malloc(nAlloc);
	st_status rc = ST_OK;
	while (zBuf) {
		if (nBuf + 1 >= nAlloc) {
			if (nAlloc >= MAX_GEOJSON) {
				snprintf(zErr, nErr, "%s: larger than %u MB", zPath, MAX_GEOJSON >> 20);
				rc = ST_ETOOLONG;
				break;
			}
			char *z = realloc(zBuf, nAlloc * 2);
			if (!z) {
				free(zBuf);
				zBuf = NULL;
				break;
			}
			zBuf = z;
			nAlloc *= 2;
		}
		size_t k = fread(zBuf + nBuf, 1, nAlloc - nBuf - 1, f);
		nBuf += k;
		if (k == 0)
			break;
	}
	fclose(f);
	if (!zBuf)
		return ST_ENOMEM;
	if (rc != ST_OK) {
		free(zBuf);
		return rc;
	}
	zBuf[nBuf] = 0;
	cJSON *pRoot = cJSON_ParseWithLength(zBuf, nBuf);
	free(zBuf);
	if (!pRoot) {
		snprintf(zErr, nErr, "%s: not valid JSON", zPath);
		return ST_EMALFORMED;
	}
	const cJSON *pFeats = cJSON_GetObjectItemCaseSensitive(pRoot, "features");
	if (!cJSON_IsArray(pFeats)) {
		snprintf(zErr, nErr, "%s: not a GeoJSON FeatureCollection", zPath);
		cJSON_Delete(pRoot);
		return ST_EMALFORMED;
	}
	int iFeat = 0;
	const cJSON *pF;
	cJSON_ArrayForEach(pF, pFeats) {
		iFeat++;
		const cJSON *pGeom = cJSON_GetObjectItemCaseSensitive(pF, "geometry");
		const cJSON *pType = cJSON_GetObjectItemCaseSensitive(pGeom, "type");
		const cJSON *pCoord = cJSON_GetObjectItemCaseSensitive(pGeom, "coordinates");
		const cJSON *pRing = NULL;
		if (cJSON_IsString(pType) && !strcmp(pType->valuestring, "Polygon"))
			pRing = cJSON_GetArrayItem(pCoord, 0);
		else if (cJSON_IsString(pType) && !strcmp(pType->valuestring, "MultiPolygon"))
			pRing = cJSON_GetArrayItem(cJSON_GetArrayItem(pCoord, 0), 0);
		int nV = cJSON_GetArraySize(pRing);
		if (!cJSON_IsArray(pRing) || nV < 4 || nV > 100000) {
			snprintf(zErr, nErr, "%s: feature %d: not a Polygon with a ring of 4 or more positions",
			         zPath, iFeat);
			rc = ST_EMALFORMED;
			break;
		}
		st_port p;
		memset(&p, 0, sizeof p);
		p.aPoly = malloc((size_t)nV * 2 * sizeof(double));
		if (!p.aPoly) {
			rc = ST_ENOMEM;
			break;
		}
		double sx = 0, sy = 0;
		int k = 0;
		const cJSON *pPt;
		cJSON_ArrayForEach(pPt, pRing) {
			const cJSON *pX = cJSON_GetArrayItem(pPt, 0), *pY = cJSON_GetArrayItem(pPt, 1);
			if (!cJSON_IsNumber(pX) || !cJSON_IsNumber(pY) || fabs(pY->valuedouble) > 90 ||
			    fabs(pX->valuedouble) > 180)
				break;
			p.aPoly[2 * k] = pX->valuedouble;
			p.aPoly[2 * k + 1] = pY->valuedouble;
			sx += pX->valuedouble;
			sy += pY->valuedouble;
			k++;
		}
		if (k != nV) {
			free(p.aPoly);
			snprintf(zErr, nErr, "%s: feature %d: bad coordinate", zPath, iFeat);
			rc = ST_EMALFORMED;
			break;
		}
		p.nVert = nV;
		p.lon = sx / nV;
		p.lat = sy / nV;
		/* the radius of a polygon port is the circle around its centre
		 * that holds it, so the grid index and distances still work */
		for (int v = 0; v < nV; v++) {
			double d = st_haversine_km(p.lat, p.lon, p.aPoly[2 * v + 1], p.aPoly[2 * v]);
			if (d > p.radius_km)
				p.radius_km = d;
		}
		const cJSON *pProps = cJSON_GetObjectItemCaseSensitive(pF, "properties");
		snprintf(p.zId, sizeof p.zId, "P%d", iFeat);
		copy_text(p.zName, sizeof p.zName, json_text(pProps, "name"));
		copy_text(p.zCountry, sizeof p.zCountry, json_text(pProps, "country"));
		copy_text(p.zLocode, sizeof p.zLocode, json_text(pProps, "locode"));
		rc = st_gazetteer_add(g, &p);
		free(p.aPoly);
		if (rc != ST_OK)
			break;
	}
	cJSON_Delete(pRoot);
	return rc;
}

static const char *find_nocase(const char *zHay, const char *zNeedle)
{
	size_t n = strlen(zNeedle);
	for (; *zHay; zHay++)
		if (!strncasecmp(zHay, zNeedle, n))
			return zHay;
	return NULL;
}

static int match_token(const st_port *p, const char *zTok)
{
	if (strlen(zTok) == 2 && !strcasecmp(zTok, p->zCountry))
		return 1;
	if (!strcasecmp(zTok, p->zName) || (p->zLocode[0] && !strcasecmp(zTok, p->zLocode)))
		return 1;
	/* alternate names are a space- or slash-separated list in the index */
	size_t n = strlen(zTok);
	const char *z = p->zAlt;
	while (n && (z = find_nocase(z, zTok)) != NULL) {
		int startOk = z == p->zAlt || z[-1] == ' ' || z[-1] == '/' || z[-1] == ';';
		char c = z[n];
		if (startOk && (c == 0 || c == ' ' || c == '/' || c == ';'))
			return 1;
		z += n;
	}
	return 0;
}

/* Next comma-separated token of *pz, trimmed, into zTok; 0 at the end.
 * A token too long for zTok comes back empty. */
static int next_token(const char **pz, char *zTok, size_t nTok)
{
	const char *z = *pz;
	if (!z || !*z)
		return 0;
	const char *zEnd = strchr(z, ',');
	size_t n = zEnd ? (size_t)(zEnd - z) : strlen(z);
	*pz = zEnd ? zEnd + 1 : NULL;
	while (n && isspace((unsigned char)*z)) {
		z++;
		n--;
	}
	while (n && isspace((unsigned char)z[n - 1]))
		n--;
	if (n >= nTok)
		n = 0;
	memcpy(zTok, z, n);
	zTok[n] = 0;
	return 1;
}

int st_gazetteer_mark_concern(st_gazetteer *g, const char *zList)
{
	char zTok[128];
	int nMarked = 0;
	for (int i = 0; i < g->nPort; i++)
		g->aPort[i].concern = 0;
	const char *z = zList;
	while (next_token(&z, zTok, sizeof zTok)) {
		if (!zTok[0])
			continue;
		for (int i = 0; i < g->nPort; i++)
			if (!g->aPort[i].concern && match_token(&g->aPort[i], zTok)) {
				g->aPort[i].concern = 1;
				nMarked++;
			}
	}
	return nMarked;
}

const char *st_gazetteer_concern_unknown(const st_gazetteer *g, const char *zList,
                                         char *zTok, size_t nTok)
{
	const char *z = zList;
	while (next_token(&z, zTok, nTok)) {
		if (!zTok[0])
			continue;
		int i;
		for (i = 0; i < g->nPort; i++)
			if (match_token(&g->aPort[i], zTok))
				break;
		if (i == g->nPort)
			return zTok;
	}
	return NULL;
}

static double port_radius(const st_port *p, const st_params *pP)
{
	return p->radius_km > 0 ? p->radius_km : pP->port_enter_km;
}

/* Cells are cellDeg square in degrees; a port is listed in every cell its
 * reach (radius + anchorage + exit margin) touches, so one cell lookup
 * answers the port-call question. Longitude wraps at the antimeridian. */
st_status st_gazetteer_index(st_gazetteer *g, const st_params *pP)
{
	free(g->aCellStart);
	free(g->aCellPort);
	g->aCellStart = NULL;
	g->aCellPort = NULL;
	g->cellDeg = 0.25;
	g->nLatCell = (int)lround(180.0 / g->cellDeg);
	g->nLonCell = (int)lround(360.0 / g->cellDeg);
	size_t nCell = (size_t)g->nLatCell * (size_t)g->nLonCell;
	g->reachKm = 0;
	for (int i = 0; i < g->nPort; i++) {
		double r = port_radius(&g->aPort[i], pP) + pP->port_anchorage_km + pP->port_exit_margin_km;
		if (r > g->reachKm)
			g->reachKm = r;
	}
	g->aCellStart = calloc(nCell + 1, sizeof *g->aCellStart);
	if (!g->aCellStart)
		return ST_ENOMEM;
	/* two passes: count, then fill */
	uint32_t *aFill = NULL;
	size_t nTotal = 0;
	for (int pass = 0; pass < 2; pass++) {
		for (int i = 0; i < g->nPort; i++) {
			const st_port *p = &g->aPort[i];
			double r = port_radius(p, pP) + pP->port_anchorage_km + pP->port_exit_margin_km;
			double dLat = r / KM_PER_DEG;
			double c = cos(p->lat * M_PI / 180.0);
			double dLon = c > 0.01 ? r / (KM_PER_DEG * c) : 180.0;
			if (dLon > 180.0)
				dLon = 180.0;
			int y0 = (int)floor((p->lat - dLat + 90.0) / g->cellDeg);
			int y1 = (int)floor((p->lat + dLat + 90.0) / g->cellDeg);
			int x0 = (int)floor((p->lon - dLon + 180.0) / g->cellDeg);
			int x1 = (int)floor((p->lon + dLon + 180.0) / g->cellDeg);
			if (x1 - x0 >= g->nLonCell)
				x1 = x0 + g->nLonCell - 1;
			for (int y = y0 < 0 ? 0 : y0; y <= y1 && y < g->nLatCell; y++)
				for (int x = x0; x <= x1; x++) {
					int xx = ((x % g->nLonCell) + g->nLonCell) % g->nLonCell;
					size_t cell = (size_t)y * g->nLonCell + xx;
					if (pass == 0)
						g->aCellStart[cell + 1]++;
					else
						g->aCellPort[aFill[cell]++] = (uint32_t)i;
				}
		}
		if (pass == 0) {
			for (size_t k = 0; k < nCell; k++)
				g->aCellStart[k + 1] += g->aCellStart[k];
			nTotal = g->aCellStart[nCell];
			g->aCellPort = malloc((nTotal ? nTotal : 1) * sizeof *g->aCellPort);
			aFill = malloc(nCell * sizeof *aFill);
			if (!g->aCellPort || !aFill) {
				free(aFill);
				return ST_ENOMEM;
			}
			memcpy(aFill, g->aCellStart, nCell * sizeof *aFill);
		}
	}
	free(aFill);
	return ST_OK;
}

/* Even-odd rule on the lon/lat ring; ports are small enough for planar. */
static int in_polygon(const st_port *p, double lat, double lon)
{
	int in = 0;
	for (int i = 0, j = p->nVert - 1; i < p->nVert; j = i++) {
		double xi = p->aPoly[2 * i], yi = p->aPoly[2 * i + 1];
		double xj = p->aPoly[2 * j], yj = p->aPoly[2 * j + 1];
		if ((yi > lat) != (yj > lat) &&
		    lon < (xj - xi) * (lat - yi) / (yj - yi) + xi)
			in = !in;
	}
	return in;
}

/* Distance in km from a port: for a polygon port, 0 inside it and the
 * distance to its nearest edge outside (local equirectangular projection,
 * fine at port scale); for a point port, the distance to its centre. */
double st__port_km(const st_port *p, double lat, double lon)
{
	if (!p->nVert)
		return st_haversine_km(lat, lon, p->lat, p->lon);
	if (in_polygon(p, lat, lon))
		return 0.0;
	double c = cos(lat * M_PI / 180.0), best = INFINITY;
	double ax = 0, ay = 0;
	for (int i = 0; i < p->nVert; i++) {
		double dLon = p->aPoly[2 * i] - lon;
		if (dLon > 180)
			dLon -= 360;
		else if (dLon < -180)
			dLon += 360;
		double bx = dLon * c * KM_PER_DEG, by = (p->aPoly[2 * i + 1] - lat) * KM_PER_DEG;
		if (i > 0) {
			double ex = bx - ax, ey = by - ay, l2 = ex * ex + ey * ey;
			double t = l2 > 0 ? -(ax * ex + ay * ey) / l2 : 0;
			t = t < 0 ? 0 : t > 1 ? 1 : t;
			double x = ax + t * ex, y = ay + t * ey, d = sqrt(x * x + y * y);
			if (d < best)
				best = d;
		}
		ax = bx;
		ay = by;
	}
	return best;
}

#define port_distance st__port_km

/* A port whose centre is farther in latitude alone than maxKm (plus its
 * own extent for a polygon) cannot qualify: skip its haversine. */
static int lat_excludes(const st_port *p, double lat, double maxKm)
{
	double dLat = fabs(lat - p->lat) * KM_PER_DEG;
	if (p->nVert)
		dLat -= p->radius_km;
	return dLat > maxKm;
}

/* Candidates are compared by the haversine term h = sin^2(dlat/2) +
 * cos(lat1) cos(lat2) sin^2(dlon/2), which grows with distance, so the
 * arcsine and square root are paid once for the winner, not per port. */
#define EARTH_KM 6371.0088
#define DEG (M_PI / 180.0)

static double h_of_km(double km)
{
	if (km >= M_PI * EARTH_KM)
		return 1.0;
	double s = sin(km / (2.0 * EARTH_KM));
	return s * s;
}

static double km_of_h(double h)
{
	return 2.0 * EARTH_KM * asin(sqrt(h > 1.0 ? 1.0 : h));
}

#define CONSIDER(i)                                                            \
	do {                                                                   \
		const st_port *pP_ = &g->aPort[i];                             \
		if (lat_excludes(pP_, lat, bestKm))                            \
			break;                                                 \
		if (pP_->nVert) {                                              \
			double d_ = st__port_km(pP_, lat, lon);                \
			if (d_ <= bestKm) {                                    \
				bestKm = d_;                                   \
				bestH = h_of_km(d_);                           \
				best = (i);                                    \
				if (any)                                       \
					goto found;                            \
			}                                                      \
			break;                                                 \
		}                                                              \
		double sLat_ = sin((pP_->lat - lat) * DEG * 0.5);              \
		double sLon_ = sin((pP_->lon - lon) * DEG * 0.5);              \
		double h_ = sLat_ * sLat_ + cosLat * cos(pP_->lat * DEG) * sLon_ * sLon_; \
		if (h_ <= bestH) {                                             \
			bestH = h_;                                            \
			bestKm = km_of_h(h_);                                  \
			best = (i);                                            \
			if (any)                                               \
				goto found;                                    \
		}                                                              \
	} while (0)

/* Nearest port within maxKm, or with `any` the first one found. */
static int search(const st_gazetteer *g, double lat, double lon, double maxKm,
                  double *pKm, int any)
{
	int best = -1;
	double bestKm = maxKm, bestH = h_of_km(maxKm), cosLat = cos(lat * DEG);
	if (!g->aCellStart || !g->nPort) {
		for (int i = 0; i < g->nPort; i++)
			CONSIDER(i);
		goto found;
	}
	int y = (int)floor((lat + 90.0) / g->cellDeg);
	int x = (int)floor((lon + 180.0) / g->cellDeg);
	if (y >= g->nLatCell)
		y = g->nLatCell - 1;
	if (y < 0)
		y = 0;
	if (maxKm <= g->reachKm) {
		/* every port within reach is listed in this very cell */
		size_t cell = (size_t)y * g->nLonCell + ((x % g->nLonCell) + g->nLonCell) % g->nLonCell;
		for (uint32_t k = g->aCellStart[cell]; k < g->aCellStart[cell + 1]; k++)
			CONSIDER((int)g->aCellPort[k]);
	} else {
		double extra = maxKm - g->reachKm;
		int dy = (int)ceil(extra / KM_PER_DEG / g->cellDeg);
		double c = cos(lat * M_PI / 180.0);
		int dx = c > 0.01 ? (int)ceil(extra / (KM_PER_DEG * c) / g->cellDeg) : g->nLonCell;
		if (2 * dx + 1 > g->nLonCell)
			dx = g->nLonCell / 2;
		for (int yy = y - dy; yy <= y + dy; yy++) {
			if (yy < 0 || yy >= g->nLatCell)
				continue;
			for (int xx = x - dx; xx <= x + dx; xx++) {
				int xw = ((xx % g->nLonCell) + g->nLonCell) % g->nLonCell;
				size_t cell = (size_t)yy * g->nLonCell + xw;
				for (uint32_t k = g->aCellStart[cell]; k < g->aCellStart[cell + 1]; k++)
					CONSIDER((int)g->aCellPort[k]);
			}
		}
	}
found:
	if (pKm)
		*pKm = best >= 0 ? bestKm : maxKm;
	return best;
}

int st_gazetteer_nearest(const st_gazetteer *g, double lat, double lon,
                         double maxKm, double *pKm)
{
	return search(g, lat, lon, maxKm, pKm, 0);
}

int st__gazetteer_any(const st_gazetteer *g, double lat, double lon, double maxKm)
{
	return search(g, lat, lon, maxKm, NULL, 1) >= 0;
}

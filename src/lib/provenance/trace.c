/* The provenance stage over a case. It gathers what the engine needs from
 * the store (records and where they left from and went to; arrivals at the
 * origin ports with what each voyage saw: a call at a port of concern, or a
 * dark gap that could hide one; the vessels' identity), runs the engine,
 * and writes every output table in one transaction with the run. Names are
 * resolved through places (user files first) and the port gazetteer; a name
 * that resolves nowhere is listed, never guessed. */
#include <math.h>
#include <stdarg.h>
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <cjson/cJSON.h>
#include "shiptrace/trace.h"
#include "shiptrace/config.h"
#include "shiptrace/analysis.h"
#include "shiptrace/names.h"
#include "shiptrace/places.h"
#include "shiptrace/prov_store.h"
#include "shiptrace/time.h"

#define MAX_ORIGIN 16
#define MAX_TERMS 32

/* ---- growable arrays ---------------------------------------------------- */

#define VEC(T) struct { T *a; size_t n, nAlloc; }
#define VEC_PUSH(v, x)                                                          \
	((v).n < (v).nAlloc || vec_grow((void **)&(v).a, &(v).nAlloc, sizeof *(v).a) \
	     ? ((v).a[(v).n++] = (x), 1)                                         \
	     : 0)

static int vec_grow(void **pa, size_t *pnAlloc, size_t sz)
{
	size_t n = *pnAlloc ? *pnAlloc * 2 : 256;
	void *a = realloc(*pa, n * sz);
	if (!a)
		return 0;
	*pa = a;
	*pnAlloc = n;
	return 1;
}

/* ---- parameters as JSON and from a file ------------------------------- */

char *st_prov_params_json(const st_prov_params *p)
{
	cJSON *o = cJSON_CreateObject();
	if (!o)
		return NULL;
	cJSON_AddStringToObject(o, "origin_ports", p->zOriginPorts);
	cJSON_AddStringToObject(o, "cargo_match", p->zCargoMatch);
	cJSON_AddStringToObject(o, "cargo_label", p->zCargoLabel);
	cJSON_AddNumberToObject(o, "window_days", p->window_days);
	cJSON_AddBoolToObject(o, "require_cargo_capable", p->require_cargo_capable);
	cJSON_AddBoolToObject(o, "require_port_of_concern", p->require_poc);
	char zC[ST_PROV_MAX_COUNTRIES * 3 + 1] = "";
	for (int i = 0; i < p->nExclude; i++) {
		if (i)
			strcat(zC, ",");
		strcat(zC, p->aExclude[i]);
	}
	cJSON_AddStringToObject(o, "exclude_last_port_countries", zC);
	cJSON_AddNumberToObject(o, "permutations", p->permutations);
	cJSON_AddNumberToObject(o, "seed", (double)p->seed);
	cJSON_AddNumberToObject(o, "shell_kg", p->shell_kg);
	cJSON_AddNumberToObject(o, "container_t", p->container_t);
	cJSON_AddNumberToObject(o, "facility_radius_km", p->facility_radius_km);
	char *z = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	return z;
}

static st_status prov_line(void *ctx, char *zLine, char *zMsg, size_t nMsg)
{
	char *zEq = strchr(zLine, '=');
	if (!zEq) {
		snprintf(zMsg, nMsg, "expected key = value");
		return ST_ECONFIG;
	}
	*zEq = 0;
	return st_prov_params_set(ctx, st_trim(zLine), st_trim(zEq + 1), zMsg, nMsg);
}

st_status st_prov_params_load(st_prov_params *p, const char *zPath, char *zErr,
                              size_t nErr)
{
	return st_config_read(zPath, "provenance", 0, prov_line, p, zErr, nErr);
}

/* ---- what is read from the store ---------------------------------------- */

typedef struct vessel_info {
	uint32_t mmsi;
	uint32_t imo;
	int ship_type;
	char zName[64];
} vessel_info;

typedef struct call_row {
	int64_t id;
	uint32_t mmsi;
	char zPort[64];
	char zCountry[4];
	char zPrevCountry[4];
	int concern;
	int passed;
	st_time_ms arrival, departure;
	int origin;       /* index into origins, or -1 */
} call_row;

typedef struct gap_row {
	int64_t id;
	uint32_t mmsi;
	st_time_ms start, end;
	char zPossible[256];
} gap_row;

typedef struct rec_row {
	int64_t id;
	char zRecordId[64];
	st_time_ms t;
	char zOrigin[128], zDest[128];
	char zCode[32], zText[256];
	double tonnes;
} rec_row;

typedef struct origin {
	char zName[128];
	double lat, lon;
	int hasCoord;
} origin;

typedef struct site {
	int place;        /* index in places */
	char zName[128];
	double lat, lon;
	double tonnes;
	int nRecord;
	st_time_ms first, last;
	double tonnesByOrigin[MAX_ORIGIN];
	int nByOrigin[MAX_ORIGIN];
	st_time_ms firstBy[MAX_ORIGIN], lastBy[MAX_ORIGIN];
} site;

typedef struct trace_ctx {
	st_store *s;
	const st_prov_params *p;
	st_trace_result *res;
	st_places *pPlaces;     /* places table, then facilities */
	st_places *pOrigins;    /* origin ports under their names and aliases */
	origin aOrigin[MAX_ORIGIN];
	int nOrigin;
	VEC(vessel_info) vessels;
	VEC(call_row) calls;
	VEC(gap_row) gaps;
	VEC(rec_row) recs;
	VEC(site) sites;
	VEC(int64_t) voyages;   /* (to_call, voyage id) pairs, sorted */
	char azTerm[MAX_TERMS][128];
	int nTerm;
	char *zErr;
	size_t nErr;
} trace_ctx;

static st_time_ms tcol(const char *z)
{
	return z ? st_time_parse(z) : ST_TIME_NONE;
}

/* Copies with truncation: store text longer than a field is cut. */
static void scopy(char *zDst, size_t n, const char *z)
{
	size_t i = 0;
	for (; z && z[i] && i + 1 < n; i++)
		zDst[i] = z[i];
	zDst[i] = 0;
}

static int place_row(void *ctx, int nCol, const char *const *az, const char *const *azCol)
{
	st_places *pl = ctx;
	(void)azCol;
	st_place p;
	memset(&p, 0, sizeof p);
	scopy(p.zName, sizeof p.zName, az[0]);
	scopy(p.zKind, sizeof p.zKind, az[2]);
	scopy(p.zCountry, sizeof p.zCountry, az[3]);
	p.lat = az[4] ? atof(az[4]) : 0;
	p.lon = az[5] ? atof(az[5]) : 0;
	if (nCol > 7) {
		p.sanctioned = az[6] && atoi(az[6]) != 0;
		scopy(p.zListEntry, sizeof p.zListEntry, az[7]);
	}
	return st_places_add(pl, &p, az[1]) < 0;
}

static int vessel_row(void *ctx, int nCol, const char *const *az, const char *const *azCol)
{
	trace_ctx *c = ctx;
	(void)nCol;
	(void)azCol;
	vessel_info v;
	memset(&v, 0, sizeof v);
	v.mmsi = (uint32_t)strtoul(az[0] ? az[0] : "0", NULL, 10);
	v.imo = (uint32_t)strtoul(az[1] ? az[1] : "0", NULL, 10);
	v.ship_type = az[3] ? atoi(az[3]) : -1;
	scopy(v.zName, sizeof v.zName, az[2]);
	return !VEC_PUSH(c->vessels, v);
}

static int call_row_cb(void *ctx, int nCol, const char *const *az, const char *const *azCol)
{
	trace_ctx *c = ctx;
	(void)nCol;
	(void)azCol;
	call_row r;
	memset(&r, 0, sizeof r);
	r.id = strtoll(az[0], NULL, 10);
	r.mmsi = (uint32_t)strtoul(az[1], NULL, 10);
	scopy(r.zPort, sizeof r.zPort, az[2]);
	scopy(r.zCountry, sizeof r.zCountry, az[3]);
	r.concern = az[4] && atoi(az[4]) != 0;
	r.arrival = tcol(az[5]);
	r.departure = tcol(az[6]);
	r.passed = az[7] && strstr(az[7], "passed") != NULL;
	scopy(r.zPrevCountry, sizeof r.zPrevCountry, az[8]);
	r.origin = st_places_find(c->pOrigins, r.zPort);
	return !VEC_PUSH(c->calls, r);
}

static int gap_row_cb(void *ctx, int nCol, const char *const *az, const char *const *azCol)
{
	trace_ctx *c = ctx;
	(void)nCol;
	(void)azCol;
	gap_row g;
	memset(&g, 0, sizeof g);
	g.id = strtoll(az[0], NULL, 10);
	g.mmsi = (uint32_t)strtoul(az[1], NULL, 10);
	g.start = tcol(az[2]);
	g.end = tcol(az[3]);
	scopy(g.zPossible, sizeof g.zPossible, az[4]);
	return !VEC_PUSH(c->gaps, g);
}

static int voyage_row_cb(void *ctx, int nCol, const char *const *az, const char *const *azCol)
{
	trace_ctx *c = ctx;
	(void)nCol;
	(void)azCol;
	if (!az[0] || !az[1])
		return 0;
	return !VEC_PUSH(c->voyages, strtoll(az[1], NULL, 10)) ||
	       !VEC_PUSH(c->voyages, strtoll(az[0], NULL, 10));
}

static int cmp_pair(const void *pa, const void *pb)
{
	const int64_t *a = pa, *b = pb;
	return (a[0] > b[0]) - (a[0] < b[0]);
}

/* The voyage that ended with this port call, or -1. */
static int64_t voyage_to(const trace_ctx *c, int64_t callId)
{
	size_t lo = 0, hi = c->voyages.n / 2;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (c->voyages.a[2 * mid] < callId)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < c->voyages.n / 2 && c->voyages.a[2 * lo] == callId ? c->voyages.a[2 * lo + 1] : -1;
}

static int rec_row_cb(void *ctx, int nCol, const char *const *az, const char *const *azCol)
{
	trace_ctx *c = ctx;
	(void)nCol;
	(void)azCol;
	rec_row r;
	memset(&r, 0, sizeof r);
	r.id = strtoll(az[0], NULL, 10);
	scopy(r.zRecordId, sizeof r.zRecordId, az[1]);
	r.t = tcol(az[2]);
	scopy(r.zOrigin, sizeof r.zOrigin, az[3]);
	scopy(r.zDest, sizeof r.zDest, az[4]);
	scopy(r.zCode, sizeof r.zCode, az[5]);
	scopy(r.zText, sizeof r.zText, az[6]);
	r.tonnes = az[7] ? atof(az[7]) : 0;
	return !VEC_PUSH(c->recs, r);
}

static st_status query(trace_ctx *c, const char *zSql, st_row_fn x)
{
	char zMsg[512];
	st_status rc = st_store_query(c->s, zSql, x, c, zMsg, sizeof zMsg);
	if (rc != ST_OK)
		snprintf(c->zErr, c->nErr, "%s", zMsg);
	return rc;
}

static void note_unresolved(st_trace_result *res, const char *zName)
{
	for (int i = 0; i < res->nUnresolved; i++)
		if (!strcmp(res->azUnresolved[i], zName))
			return;
	res->nUnresolvedTotal++;
	if (res->nUnresolved < ST_TRACE_MAX_UNRESOLVED)
		scopy(res->azUnresolved[res->nUnresolved++], 128, zName);
}

/* The cargo pattern: '|'-separated terms, each matched as a substring of
 * the normalised code + text, so case, punctuation and script differences
 * do not matter. */
static void build_terms(trace_ctx *c)
{
	char zBuf[sizeof c->p->zCargoMatch];
	scopy(zBuf, sizeof zBuf, c->p->zCargoMatch);
	char *zSave = NULL;
	for (char *z = strtok_r(zBuf, "|", &zSave); z && c->nTerm < MAX_TERMS;
	     z = strtok_r(NULL, "|", &zSave))
		if (st_name_normalize(z, c->azTerm[c->nTerm], sizeof c->azTerm[0]) > 0)
			c->nTerm++;
}

static int cargo_selected(const trace_ctx *c, const rec_row *r)
{
	char zRaw[300], zNorm[600];
	snprintf(zRaw, sizeof zRaw, "%s %s", r->zCode, r->zText);
	st_name_normalize(zRaw, zNorm, sizeof zNorm);
	for (int i = 0; i < c->nTerm; i++)
		if (strstr(zNorm, c->azTerm[i]))
			return 1;
	return 0;
}

static const vessel_info *find_vessel(const trace_ctx *c, uint32_t mmsi)
{
	size_t lo = 0, hi = c->vessels.n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (c->vessels.a[mid].mmsi < mmsi)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < c->vessels.n && c->vessels.a[lo].mmsi == mmsi ? &c->vessels.a[lo] : NULL;
}

/* Origins from the parameter: each name with the aliases its place has
 * (places table first, then the port gazetteer) and its coordinates. */
static st_status build_origins(trace_ctx *c, const st_gazetteer *g)
{
	char zBuf[sizeof c->p->zOriginPorts];
	scopy(zBuf, sizeof zBuf, c->p->zOriginPorts);
	char *zSave = NULL;
	for (char *z = strtok_r(zBuf, ",", &zSave); z; z = strtok_r(NULL, ",", &zSave)) {
		z = st_trim(z);
		if (!*z)
			continue;
		if (c->nOrigin == MAX_ORIGIN) {
			snprintf(c->zErr, c->nErr, "at most %d origin ports", MAX_ORIGIN);
			return ST_ECONFIG;
		}
		origin *o = &c->aOrigin[c->nOrigin];
		scopy(o->zName, sizeof o->zName, z);
		st_place pl;
		memset(&pl, 0, sizeof pl);
		scopy(pl.zName, sizeof pl.zName, z);
		char zAlias[1024] = "";
		int ip = st_places_find(c->pPlaces, z);
		if (ip >= 0) {
			const st_place *pp = st_places_get(c->pPlaces, (size_t)ip);
			o->lat = pp->lat;
			o->lon = pp->lon;
			o->hasCoord = 1;
			snprintf(zAlias, sizeof zAlias, "%s|%s", pp->zName, pp->zAliases);
		}
		char zKey[128], zK2[128];
		st_name_key(z, zKey, sizeof zKey);
		for (int i = 0; g && i < g->nPort; i++) {
			const st_port *pt = &g->aPort[i];
			st_name_key(pt->zName, zK2, sizeof zK2);
			int hit = !strcmp(zKey, zK2);
			if (!hit && ip >= 0) {
				/* the place's own aliases may name the gazetteer entry */
				st_places *tmp = st_places_new();
				if (tmp) {
					st_places_add(tmp, &pl, zAlias);
					hit = st_places_find(tmp, pt->zName) >= 0;
					st_places_free(tmp);
				}
			}
			if (!hit)
				continue;
			if (!o->hasCoord) {
				o->lat = pt->lat;
				o->lon = pt->lon;
				o->hasCoord = 1;
			}
			size_t k = strlen(zAlias);
			snprintf(zAlias + k, sizeof zAlias - k, "|%s|%s", pt->zName, pt->zAlt);
			break;
		}
		if (!o->hasCoord) {
			/* a typo here would silently drop every record: say so */
			snprintf(c->zErr, c->nErr, "origin port '%s' is neither in the case's places nor "
			         "in the port gazetteer (add it with ingest --kind places, or fix "
			         "origin_ports)", z);
			return ST_ECONFIG;
		}
		for (char *zc = zAlias; *zc; zc++)
			if (*zc == ';')
				*zc = '|';
		if (st_places_add(c->pOrigins, &pl, zAlias) < 0)
			return ST_ENOMEM;
		c->nOrigin++;
	}
	if (c->nOrigin == 0) {
		snprintf(c->zErr, c->nErr, "origin_ports names no port");
		return ST_ECONFIG;
	}
	return ST_OK;
}

static int cmp_call(const void *pa, const void *pb)
{
	const call_row *a = pa, *b = pb;
	if (a->mmsi != b->mmsi)
		return a->mmsi < b->mmsi ? -1 : 1;
	return (a->arrival > b->arrival) - (a->arrival < b->arrival);
}

static int cmp_vessel(const void *pa, const void *pb)
{
	const vessel_info *a = pa, *b = pb;
	return (a->mmsi > b->mmsi) - (a->mmsi < b->mmsi);
}

/* ---- output tables ------------------------------------------------------ */

static const st_column aAttrCol[] = {
	{"record_row", ST_COL_INT}, {"record_id", ST_COL_TEXT}, {"record_time", ST_COL_TIME},
	{"origin", ST_COL_TEXT}, {"destination", ST_COL_TEXT}, {"tonnes", ST_COL_REAL},
	{"mmsi", ST_COL_INT}, {"imo", ST_COL_INT}, {"vessel_name", ST_COL_TEXT},
	{"port_call_id", ST_COL_INT}, {"arrival", ST_COL_TIME}, {"lag_days", ST_COL_REAL},
	{"confidence", ST_COL_TEXT}, {"candidates", ST_COL_INT},
	{"port_of_concern_call_id", ST_COL_INT}, {"gap_id", ST_COL_INT},
	{"evidence", ST_COL_TEXT},
};
static const st_table_def tabAttr = {"attributions",
	"Suspected: each selected record tied to the qualifying arrival before it",
	aAttrCol, (int)(sizeof aAttrCol / sizeof aAttrCol[0]), ST_GEOM_NONE};

static const st_column aFlowCol[] = {
	{"origin", ST_COL_TEXT}, {"site", ST_COL_TEXT}, {"tonnes", ST_COL_REAL},
	{"records", ST_COL_INT}, {"first_date", ST_COL_TIME}, {"last_date", ST_COL_TIME},
};
static const st_table_def tabFlow = {"flows",
	"Selected cargo from origin ports to destination sites",
	aFlowCol, (int)(sizeof aFlowCol / sizeof aFlowCol[0]), ST_GEOM_LINESTRING};

static const st_column aSiteCol[] = {
	{"site", ST_COL_TEXT}, {"lat", ST_COL_REAL}, {"lon", ST_COL_REAL},
	{"tonnes", ST_COL_REAL}, {"records", ST_COL_INT},
	{"first_date", ST_COL_TIME}, {"last_date", ST_COL_TIME},
	{"nearest_facility", ST_COL_TEXT}, {"facility_kind", ST_COL_TEXT},
	{"facility_km", ST_COL_REAL}, {"near_facility", ST_COL_INT},
	{"facility_sanctioned", ST_COL_INT}, {"facility_list_entry", ST_COL_TEXT},
};
static const st_table_def tabSite = {"site_summary",
	"Destination sites of the selected cargo and the facilities near them",
	aSiteCol, (int)(sizeof aSiteCol / sizeof aSiteCol[0]), ST_GEOM_POINT};

static const st_column aMonCol[] = {
	{"month", ST_COL_TEXT}, {"origin", ST_COL_TEXT}, {"qualifying_arrivals", ST_COL_INT},
	{"selected_records", ST_COL_INT}, {"tonnes_attributed", ST_COL_REAL},
	{"tonnes_unattributed", ST_COL_REAL},
};
static const st_table_def tabMon = {"monthly",
	"Per month and origin port: arrivals, records, tonnage attributed or not",
	aMonCol, (int)(sizeof aMonCol / sizeof aMonCol[0]), ST_GEOM_NONE};

static const st_column aLagCol[] = {
	{"lag_day", ST_COL_INT}, {"records", ST_COL_INT},
};
static const st_table_def tabLag = {"lags",
	"Days from each selected record back to the latest qualifying arrival",
	aLagCol, (int)(sizeof aLagCol / sizeof aLagCol[0]), ST_GEOM_NONE};

static const st_column aFindCol[] = {
	{"finding", ST_COL_TEXT}, {"confidence", ST_COL_TEXT}, {"evidence", ST_COL_TEXT},
};
static const st_table_def tabFind = {"findings",
	"Suspected findings in plain words, with confidence and evidence",
	aFindCol, (int)(sizeof aFindCol / sizeof aFindCol[0]), ST_GEOM_NONE};

static const st_column aArrCol[] = {
	{"port_call_id", ST_COL_INT}, {"mmsi", ST_COL_INT}, {"imo", ST_COL_INT},
	{"vessel_name", ST_COL_TEXT}, {"ship_type", ST_COL_INT}, {"origin", ST_COL_TEXT},
	{"arrival", ST_COL_TIME}, {"prev_country", ST_COL_TEXT}, {"qualifies", ST_COL_INT},
	{"reason", ST_COL_TEXT}, {"confidence", ST_COL_TEXT},
	{"port_of_concern_call_id", ST_COL_INT}, {"gap_id", ST_COL_INT},
};
static const st_table_def tabArr = {"arrivals",
	"Every arrival at an origin port: whether it qualifies, and why not",
	aArrCol, (int)(sizeof aArrCol / sizeof aArrCol[0]), ST_GEOM_NONE};

static const st_column aSelCol[] = {
	{"record_row", ST_COL_INT}, {"record_id", ST_COL_TEXT}, {"time", ST_COL_TIME},
	{"origin", ST_COL_TEXT}, {"destination", ST_COL_TEXT}, {"tonnes", ST_COL_REAL},
	{"attributed", ST_COL_INT},
};
static const st_table_def tabSel = {"selected_records",
	"Records that matched the cargo pattern at an origin port",
	aSelCol, (int)(sizeof aSelCol / sizeof aSelCol[0]), ST_GEOM_NONE};

static const st_column aSigCol[] = {
	{"test", ST_COL_TEXT}, {"real_tonnes", ST_COL_REAL}, {"mean_shifted_tonnes", ST_COL_REAL},
	{"shifts", ST_COL_INT}, {"at_least_as_good", ST_COL_INT}, {"p_value", ST_COL_REAL},
};
static const st_table_def tabSig = {"significance",
	"Permutation test: could the timing of records after arrivals be chance?",
	aSigCol, (int)(sizeof aSigCol / sizeof aSigCol[0]), ST_GEOM_NONE};

static void add_finding(st_trace_result *res, st_confidence conf, const char *zEvidence,
                        const char *zFmt, ...) __attribute__((format(printf, 4, 5)));

static void add_finding(st_trace_result *res, st_confidence conf, const char *zEvidence,
                        const char *zFmt, ...)
{
	if (res->nFinding == ST_TRACE_MAX_FINDINGS)
		return;
	st_trace_finding *f = &res->aFinding[res->nFinding++];
	va_list ap;
	va_start(ap, zFmt);
	vsnprintf(f->zText, sizeof f->zText, zFmt, ap);
	va_end(ap);
	f->conf = conf;
	scopy(f->zEvidence, sizeof f->zEvidence, zEvidence);
}

static const char *p_text(const st_prov_perm *pm, char *z, size_t n)
{
	double floorP = 1.0 / (1.0 + pm->nShift);
	if (pm->nAtLeast == 0)
		snprintf(z, n, "p < %.3g", floorP * 1.0000001 > 0.001 ? floorP * 1.0000001 : 0.001);
	else
		snprintf(z, n, "p = %.3f", pm->p_value);
	return z;
}

/* Evidence list "kind:1,2,3" trimmed to fit. */
static void evidence_add(char *z, size_t n, const char *zKind, int64_t id)
{
	size_t k = strlen(z);
	if (k + 32 >= n)
		return;
	const char *zPrev = strrchr(z, ';');
	const char *zLast = zPrev ? zPrev + 1 : z;
	if (k && !strncmp(zLast, zKind, strlen(zKind)) && zLast[strlen(zKind)] == ':')
		snprintf(z + k, n - k, ",%lld", (long long)id);
	else
		snprintf(z + k, n - k, "%s%s:%lld", k ? ";" : "", zKind, (long long)id);
}

static st_status write_outputs(trace_ctx *c, const st_prov_arrival *aArr, size_t nArr,
                               const st_prov_record *aRec, size_t nRec,
                               const st_prov_attr *aAttr, size_t nAttr,
                               const st_prov_month *aMon, size_t nMon,
                               const int *aLag, int nLag, int nBeyond)
{
	st_store *s = c->s;
	st_status rc = ST_OK;
	const st_table_def *aDef[] = {&tabAttr, &tabFlow, &tabSite, &tabMon, &tabLag, &tabFind,
	                              &tabArr, &tabSel, &tabSig};
	for (size_t i = 0; i < sizeof aDef / sizeof aDef[0] && rc == ST_OK; i++)
		rc = st_store_create_table(s, aDef[i]);

	for (size_t k = 0; k < nAttr && rc == ST_OK; k++) {
		const st_prov_attr *at = &aAttr[k];
		const rec_row *r = &c->recs.a[aRec[at->iRecord].id];
		const st_prov_arrival *a = &aArr[at->iArrival];
		const vessel_info *v = find_vessel(c, a->mmsi);
		st_value val[17];
		memset(val, 0, sizeof val);
		char zEv[256] = "";
		evidence_add(zEv, sizeof zEv, "records", r->id);
		evidence_add(zEv, sizeof zEv, "port_calls", a->id);
		if (a->poc_call_id >= 0)
			evidence_add(zEv, sizeof zEv, "port_calls", a->poc_call_id);
		if (a->voyage_id >= 0)
			evidence_add(zEv, sizeof zEv, "voyages", a->voyage_id);
		if (a->poc_gap_id >= 0)
			evidence_add(zEv, sizeof zEv, "gaps", a->poc_gap_id);
		val[0].i = r->id;
		val[1].z = r->zRecordId;
		val[2].t = r->t;
		val[3].z = c->aOrigin[a->port].zName;
		val[4].z = r->zDest;
		val[5].r = r->tonnes;
		val[6].i = a->mmsi;
		val[7].i = a->imo;
		val[7].isNull = a->imo == 0;
		val[8].z = v ? v->zName : "";
		val[9].i = a->id;
		val[10].t = a->t;
		val[11].r = at->lag_days;
		val[12].z = st_confidence_name(at->conf);
		val[13].i = at->nCandidate;
		val[14].i = a->poc_call_id;
		val[14].isNull = a->poc_call_id < 0;
		val[15].i = a->poc_gap_id;
		val[15].isNull = a->poc_gap_id < 0;
		val[16].z = zEv;
		rc = st_store_insert(s, &tabAttr, val, NULL, NULL);
	}

	/* flows and sites */
	size_t nNear = 0;
	for (size_t i = 0; i < c->sites.n && rc == ST_OK; i++) {
		site *st = &c->sites.a[i];
		for (int o = 0; o < c->nOrigin && rc == ST_OK; o++) {
			if (!st->nByOrigin[o])
				continue;
			st_value val[6];
			memset(val, 0, sizeof val);
			val[0].z = c->aOrigin[o].zName;
			val[1].z = st->zName;
			val[2].r = st->tonnesByOrigin[o];
			val[3].i = st->nByOrigin[o];
			val[4].t = st->firstBy[o];
			val[5].t = st->lastBy[o];
			double xy[4] = {c->aOrigin[o].lon, c->aOrigin[o].lat, st->lon, st->lat};
			st_geom g = {ST_GEOM_LINESTRING, 2, xy};
			rc = st_store_insert(s, &tabFlow, val, c->aOrigin[o].hasCoord ? &g : NULL, NULL);
		}
		double d = INFINITY;
		int iF = st_places_nearest(c->pPlaces, st->lat, st->lon, true, &d);
		const st_place *f = iF >= 0 ? st_places_get(c->pPlaces, (size_t)iF) : NULL;
		int near = f && d <= c->p->facility_radius_km * 1000.0;
		nNear += near;
		st_value val[13];
		memset(val, 0, sizeof val);
		val[0].z = st->zName;
		val[1].r = st->lat;
		val[2].r = st->lon;
		val[3].r = st->tonnes;
		val[4].i = st->nRecord;
		val[5].t = st->first;
		val[6].t = st->last;
		val[7].z = f ? f->zName : NULL;
		val[7].isNull = !f;
		val[8].z = f ? f->zKind : NULL;
		val[8].isNull = !f;
		val[9].r = f ? d / 1000.0 : 0;
		val[9].isNull = !f;
		val[10].i = near;
		val[11].i = f && f->sanctioned;
		val[12].z = f ? f->zListEntry : NULL;
		val[12].isNull = !f || !f->zListEntry[0];
		double xy[2] = {st->lon, st->lat};
		st_geom g = {ST_GEOM_POINT, 1, xy};
		rc = st_store_insert(s, &tabSite, val, &g, NULL);
	}
	c->res->nSite = c->sites.n;
	c->res->nSiteNearFacility = nNear;

	for (size_t k = 0; k < nMon && rc == ST_OK; k++) {
		char zMonth[16];
		snprintf(zMonth, sizeof zMonth, "%04d-%02d", aMon[k].year, aMon[k].month);
		st_value val[6];
		memset(val, 0, sizeof val);
		val[0].z = zMonth;
		val[1].z = c->aOrigin[aMon[k].port].zName;
		val[2].i = aMon[k].nArrival;
		val[3].i = aMon[k].nRecord;
		val[4].r = aMon[k].tonnes_attributed;
		val[5].r = aMon[k].tonnes_unattributed;
		rc = st_store_insert(s, &tabMon, val, NULL, NULL);
	}
	for (int k = 0; k <= nLag && rc == ST_OK; k++) {
		st_value val[2];
		memset(val, 0, sizeof val);
		val[0].i = k < nLag ? k : -1; /* -1: beyond, or no arrival before */
		val[1].i = k < nLag ? aLag[k] : nBeyond;
		rc = st_store_insert(s, &tabLag, val, NULL, NULL);
	}
	for (size_t i = 0; i < nArr && rc == ST_OK; i++) {
		const st_prov_arrival *a = &aArr[i];
		const vessel_info *v = find_vessel(c, a->mmsi);
		const char *zWhy = st_prov_disqualify(a, c->p);
		st_value val[13];
		memset(val, 0, sizeof val);
		val[0].i = a->id;
		val[1].i = a->mmsi;
		val[2].i = a->imo;
		val[2].isNull = a->imo == 0;
		val[3].z = v ? v->zName : "";
		val[4].i = a->ship_type;
		val[4].isNull = a->ship_type < 0;
		val[5].z = c->aOrigin[a->port].zName;
		val[6].t = a->t;
		val[7].z = a->last_country;
		val[8].i = zWhy == NULL;
		val[9].z = zWhy ? zWhy : "";
		val[10].z = zWhy ? "" : st_confidence_name(st_prov_confidence(a));
		val[11].i = a->poc_call_id;
		val[11].isNull = a->poc_call_id < 0;
		val[12].i = a->poc_gap_id;
		val[12].isNull = a->poc_gap_id < 0;
		rc = st_store_insert(s, &tabArr, val, NULL, NULL);
	}
	{
		unsigned char *aDone = calloc(nRec ? nRec : 1, 1);
		if (!aDone)
			rc = ST_ENOMEM;
		for (size_t k = 0; aDone && k < nAttr; k++)
			aDone[aAttr[k].iRecord] = 1;
		for (size_t i = 0; aDone && i < nRec && rc == ST_OK; i++) {
			if (!aRec[i].selected || aRec[i].port < 0)
				continue;
			const rec_row *r = &c->recs.a[aRec[i].id];
			st_value val[7];
			memset(val, 0, sizeof val);
			val[0].i = r->id;
			val[1].z = r->zRecordId;
			val[2].t = r->t;
			val[3].z = c->aOrigin[aRec[i].port].zName;
			val[4].z = r->zDest;
			val[5].r = r->tonnes;
			val[6].i = aDone[i];
			rc = st_store_insert(s, &tabSel, val, NULL, NULL);
		}
		free(aDone);
	}
	if (rc == ST_OK) {
		const st_prov_perm *pm = &c->res->perm;
		st_value val[6];
		memset(val, 0, sizeof val);
		val[0].z = "circular time shift of the qualifying arrivals";
		val[1].r = pm->real_tonnes;
		val[2].r = pm->mean_tonnes;
		val[3].i = pm->nShift;
		val[4].i = pm->nAtLeast;
		val[5].r = pm->p_value;
		rc = st_store_insert(s, &tabSig, val, NULL, NULL);
	}
	for (int k = 0; k < c->res->nFinding && rc == ST_OK; k++) {
		st_value val[3];
		memset(val, 0, sizeof val);
		val[0].z = c->res->aFinding[k].zText;
		val[1].z = st_confidence_name(c->res->aFinding[k].conf);
		val[2].z = c->res->aFinding[k].zEvidence;
		rc = st_store_insert(s, &tabFind, val, NULL, NULL);
	}
	if (rc == ST_OK)
		rc = st_store_update_extent(s, "flows");
	if (rc == ST_OK)
		rc = st_store_update_extent(s, "site_summary");
	if (rc != ST_OK)
		snprintf(c->zErr, c->nErr, "%s", st_store_errmsg(s));
	return rc;
}

/* ---- findings ----------------------------------------------------------- */

static int cmp_u32(const void *pa, const void *pb)
{
	uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;
	return (a > b) - (a < b);
}

static int cmp_call_id(const void *pa, const void *pb)
{
	const call_row *a = *(const call_row *const *)pa, *b = *(const call_row *const *)pb;
	return (a->id > b->id) - (a->id < b->id);
}

/* The port call with this id, by binary search over calls sorted by id. */
static const call_row *call_by_id(call_row *const *apById, size_t n, int64_t id)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (apById[mid]->id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && apById[lo]->id == id ? apById[lo] : NULL;
}

typedef struct ves_sum {
	size_t iVessel;
	double tonnes;
	int n, nSeen, nDark;
	char zEvidence[256];
} ves_sum;

static int cmp_ves_sum(const void *pa, const void *pb)
{
	const ves_sum *a = pa, *b = pb;
	return (a->tonnes < b->tonnes) - (a->tonnes > b->tonnes);
}

#define MAX_VESSEL_FINDINGS 20

/* Findings in plain words. Every loop is over arrivals or attributions
 * once (per origin port at most), so a global case costs no more than the
 * attribution itself. */
static void make_findings(trace_ctx *c, const st_prov_arrival *aArr, size_t nArr,
                          const st_prov_record *aRec, size_t nRec,
                          const st_prov_attr *aAttr, size_t nAttr,
                          const st_prov_month *aMon, size_t nMon)
{
	st_trace_result *res = c->res;
	const st_prov_params *p = c->p;
	char zT[32], zP[32], zE[256];
	p_text(&res->perm, zP, sizeof zP);
	double *aTon = calloc(nArr ? nArr : 1, sizeof *aTon);
	double *aHigh = calloc(nArr ? nArr : 1, sizeof *aHigh);
	unsigned char *aDone = calloc(nRec ? nRec : 1, 1);
	uint32_t *aMmsi = malloc((nArr ? nArr : 1) * sizeof *aMmsi);
	call_row **apById = malloc((c->calls.n ? c->calls.n : 1) * sizeof *apById);
	ves_sum *aVes = calloc(c->vessels.n ? c->vessels.n : 1, sizeof *aVes);
	if (!aTon || !aHigh || !aDone || !aMmsi || !apById || !aVes)
		goto out;
	for (size_t k = 0; k < nAttr; k++) {
		double t = aRec[aAttr[k].iRecord].tonnes;
		aTon[aAttr[k].iArrival] += t;
		if (aAttr[k].conf == ST_CONF_HIGH)
			aHigh[aAttr[k].iArrival] += t;
		aDone[aAttr[k].iRecord] = 1;
	}
	for (size_t i = 0; i < c->calls.n; i++)
		apById[i] = &c->calls.a[i];
	qsort(apById, c->calls.n, sizeof *apById, cmp_call_id);

	/* per origin port */
	for (int o = 0; o < c->nOrigin; o++) {
		double tAttr = 0, tHigh = 0;
		size_t nUsed = 0, nVes = 0;
		int nSeen = 0, nDark = 0;
		char zPoc[256] = "";
		zE[0] = 0;
		for (size_t i = 0; i < nArr; i++) {
			const st_prov_arrival *a = &aArr[i];
			if (a->port != o || aTon[i] <= 0)
				continue;
			tAttr += aTon[i];
			tHigh += aHigh[i];
			aMmsi[nUsed++] = a->mmsi;
			evidence_add(zE, sizeof zE, "port_calls", a->id);
			nSeen += a->poc_call_id >= 0;
			nDark += a->poc_call_id < 0 && a->poc_gap_id >= 0;
			const call_row *cr = a->poc_call_id >= 0 ? call_by_id(apById, c->calls.n, a->poc_call_id) : NULL;
			if (cr && !strstr(zPoc, cr->zPort)) {
				size_t len = strlen(zPoc);
				snprintf(zPoc + len, sizeof zPoc - len, "%s%s", len ? ", " : "", cr->zPort);
			}
		}
		if (tAttr <= 0)
			continue;
		qsort(aMmsi, nUsed, sizeof *aMmsi, cmp_u32);
		for (size_t i = 0; i < nUsed; i++)
			nVes += i == 0 || aMmsi[i] != aMmsi[i - 1];
		st_confidence conf = ST_CONF_LOW;
		if (res->perm.p_value < 0.05)
			conf = tHigh >= 0.5 * tAttr && res->perm.p_value < 0.01 ? ST_CONF_HIGH : ST_CONF_MEDIUM;
		add_finding(res, conf, zE,
		            "Suspected: %s t of %s left %s within %g days of %zu arrivals by %zu vessels "
		            "after a port-of-concern call (seen on AIS%s%s for %d arrivals, possible within "
		            "a dark gap for %d); %s",
		            st_thousands(tAttr, zT, sizeof zT), p->zCargoLabel, c->aOrigin[o].zName,
		            p->window_days, nUsed, nVes, zPoc[0] ? " at " : "", zPoc, nSeen, nDark, zP);
	}

	/* per vessel, the largest first */
	for (size_t iv = 0; iv < c->vessels.n; iv++)
		aVes[iv].iVessel = iv;
	for (size_t i = 0; i < nArr; i++) {
		if (aTon[i] <= 0)
			continue;
		const vessel_info *v = find_vessel(c, aArr[i].mmsi);
		if (!v)
			continue;
		ves_sum *vs = &aVes[(size_t)(v - c->vessels.a)];
		vs->tonnes += aTon[i];
		vs->n++;
		vs->nSeen += aArr[i].poc_call_id >= 0;
		vs->nDark += aArr[i].poc_call_id < 0 && aArr[i].poc_gap_id >= 0;
		evidence_add(vs->zEvidence, sizeof vs->zEvidence, "port_calls", aArr[i].id);
	}
	qsort(aVes, c->vessels.n, sizeof *aVes, cmp_ves_sum);
	for (size_t k = 0; k < c->vessels.n && k < MAX_VESSEL_FINDINGS && aVes[k].n; k++) {
		const ves_sum *vs = &aVes[k];
		const vessel_info *v = &c->vessels.a[vs->iVessel];
		char zImo[32] = "";
		if (v->imo)
			snprintf(zImo, sizeof zImo, ", IMO %u", v->imo);
		add_finding(res, vs->nSeen ? ST_CONF_HIGH : ST_CONF_MEDIUM, vs->zEvidence,
		            "Suspected: %s (MMSI %u%s) delivered before %s t of %s: %d arrivals, "
		            "%d after a port-of-concern call seen on AIS, %d after a dark gap that could hide one",
		            v->zName[0] ? v->zName : "unnamed vessel", v->mmsi, zImo,
		            st_thousands(vs->tonnes, zT, sizeof zT), p->zCargoLabel, vs->n, vs->nSeen, vs->nDark);
	}
	/* months with nothing at an origin port between active months */
	for (size_t k = 0; k < nMon; k++) {
		const st_prov_month *m = &aMon[k];
		if (m->nArrival || m->nRecord)
			continue;
		int before = 0, after = 0;
		for (size_t q = 0; q < nMon; q++) {
			if (aMon[q].port != m->port || (!aMon[q].nArrival && !aMon[q].nRecord))
				continue;
			int dq = (aMon[q].year * 12 + aMon[q].month) - (m->year * 12 + m->month);
			before |= dq < 0;
			after |= dq > 0;
		}
		if (before && after)
			add_finding(res, ST_CONF_MEDIUM, "monthly",
			            "%04d-%02d: no qualifying arrival at %s and no %s left it (a counter-check: "
			            "no ship, no cargo)",
			            m->year, m->month, c->aOrigin[m->port].zName, p->zCargoLabel);
	}
	/* unexplained cargo */
	double tUn = 0;
	int nUn = 0;
	zE[0] = 0;
	for (size_t i = 0; i < nRec; i++) {
		if (!aRec[i].selected || aRec[i].port < 0 || aDone[i])
			continue;
		tUn += aRec[i].tonnes;
		nUn++;
		evidence_add(zE, sizeof zE, "records", c->recs.a[aRec[i].id].id);
	}
	if (nUn)
		add_finding(res, ST_CONF_LOW, zE,
		            "%s t of %s in %d records left the origin ports with no qualifying arrival "
		            "in the %g days before them: unexplained by the vessels in the data",
		            st_thousands(tUn, zT, sizeof zT), p->zCargoLabel, nUn, p->window_days);
	/* quantities */
	if (res->tonnes_attributed > 0) {
		char zS[32], zC[32];
		add_finding(res, ST_CONF_LOW, "parameters:shell_kg,container_t",
		            "Estimate: %s t is about %s rounds at %.2f kg each with packaging, or about %s "
		            "containers at %.2f t each",
		            st_thousands(res->tonnes_attributed, zT, sizeof zT),
		            st_thousands(st_prov_shells(p, res->tonnes_attributed), zS, sizeof zS),
		            p->shell_kg, st_thousands(st_prov_containers(p, res->tonnes_attributed), zC, sizeof zC),
		            p->container_t);
	}
	/* sites near facilities */
	if (c->sites.n) {
		int nNear = 0, nSanc = 0;
		zE[0] = 0;
		for (size_t i = 0; i < c->sites.n; i++) {
			double d;
			int iF = st_places_nearest(c->pPlaces, c->sites.a[i].lat, c->sites.a[i].lon, true, &d);
			if (iF >= 0 && d <= p->facility_radius_km * 1000) {
				nNear++;
				const st_place *f = st_places_get(c->pPlaces, (size_t)iF);
				if (f->sanctioned) {
					nSanc++;
					add_finding(res, ST_CONF_MEDIUM, "site_summary",
					            "%s received %s t of %s in %d records; %.1f km from %s, a sanctioned %s (%s)",
					            c->sites.a[i].zName, st_thousands(c->sites.a[i].tonnes, zT, sizeof zT),
					            p->zCargoLabel, c->sites.a[i].nRecord, d / 1000, f->zName,
					            f->zKind, f->zListEntry[0] ? f->zListEntry : "listed");
				}
			}
		}
		add_finding(res, ST_CONF_MEDIUM, "site_summary",
		            "%s went to %zu destination sites; %d lie within %g km of a facility of interest"
		            "%s",
		            p->zCargoLabel, c->sites.n, nNear, p->facility_radius_km,
		            nSanc ? ", including a sanctioned one" : "");
	}
out:
	free(aTon);
	free(aHigh);
	free(aDone);
	free(aMmsi);
	free(apById);
	free(aVes);
}

/* ---- the stage ---------------------------------------------------------- */

st_status st_trace_run(st_store *s, const st_prov_params *p,
                       const char *zParamsJson, st_trace_result *pRes,
                       char *zErr, size_t nErr)
{
	memset(pRes, 0, sizeof *pRes);
	st_time_ms tStart = 0;
	{
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		tStart = (st_time_ms)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	}
	trace_ctx c;
	memset(&c, 0, sizeof c);
	c.s = s;
	c.p = p;
	c.res = pRes;
	c.zErr = zErr;
	c.nErr = nErr;
	c.pPlaces = st_places_new();
	c.pOrigins = st_places_new();
	st_prov_arrival *aArr = NULL;
	st_prov_record *aRec = NULL;
	st_prov_attr *aAttr = NULL;
	st_prov_month *aMon = NULL;
	int *aSiteOf = NULL;
	size_t nMon = 0;
	st_gazetteer g;
	st_gazetteer_init(&g);
	st_status rc = ST_OK;
	if (!c.pPlaces || !c.pOrigins) {
		rc = ST_ENOMEM;
		goto done;
	}
	if (!st_store_has_table(s, "records")) {
		snprintf(zErr, nErr, "the case has no shipment records: ingest them first "
		         "(shiptrace ingest CASE --kind records FILE --map MAP.json)");
		rc = ST_ENOTFOUND;
		goto done;
	}
	if (!st_store_has_table(s, "port_calls")) {
		snprintf(zErr, nErr, "the case has no port calls: run shiptrace analyze first");
		rc = ST_ENOTFOUND;
		goto done;
	}
	if (st_store_has_table(s, "places") &&
	    (rc = st_store_query(s, "SELECT name, aliases, kind, country, lat, lon FROM places ORDER BY id",
	                         place_row, c.pPlaces, zErr, nErr)) != ST_OK)
		goto done;
	if (st_store_has_table(s, "facilities") &&
	    (rc = st_store_query(s, "SELECT name, aliases, kind, country, lat, lon, sanctioned, list_entry "
	                         "FROM facilities ORDER BY id",
	                         place_row, c.pPlaces, zErr, nErr)) != ST_OK)
		goto done;
	{
		char zPath[1024], zMsg[256];
		snprintf(zPath, sizeof zPath, "%s/ports.csv", st_data_dir());
		if (st_gazetteer_load_csv(&g, zPath, zMsg, sizeof zMsg) != ST_OK)
			st_gazetteer_free(&g); /* places alone may do */
	}
	if ((rc = build_origins(&c, &g)) != ST_OK)
		goto done;
	build_terms(&c);

	if ((rc = query(&c, "SELECT mmsi, imo, name, ship_type FROM vessels", vessel_row)) != ST_OK ||
	    (rc = query(&c, "SELECT id, mmsi, port_name, country, port_of_concern, arrival, departure, "
	                    "how, prev_country FROM port_calls", call_row_cb)) != ST_OK ||
	    (st_store_has_table(s, "gaps") &&
	     (rc = query(&c, "SELECT id, mmsi, start_time, end_time, possible_ports FROM gaps "
	                     "WHERE n_possible > 0 ORDER BY mmsi, start_time", gap_row_cb)) != ST_OK) ||
	    (rc = query(&c, "SELECT id, record_id, time, origin, destination, cargo_code, cargo_text, "
	                    "tonnes FROM records ORDER BY id", rec_row_cb)) != ST_OK)
		goto done;
	if (st_store_has_table(s, "voyages") &&
	    (rc = query(&c, "SELECT id, to_call FROM voyages", voyage_row_cb)) != ST_OK)
		goto done;
	qsort(c.voyages.a, c.voyages.n / 2, 2 * sizeof *c.voyages.a, cmp_pair);
	qsort(c.vessels.a, c.vessels.n, sizeof *c.vessels.a, cmp_vessel);
	qsort(c.calls.a, c.calls.n, sizeof *c.calls.a, cmp_call);

	/* Arrivals: calls at an origin port (not passing through). The voyage
	 * behind one runs from the vessel's previous departure from an origin
	 * port; a port-of-concern call in between makes it "seen", a gap in
	 * between with possible port-of-concern calls makes it "possible". */
	aArr = calloc(c.calls.n ? c.calls.n : 1, sizeof *aArr);
	if (!aArr) {
		rc = ST_ENOMEM;
		goto done;
	}
	size_t nArr = 0, iGap = 0;
	for (size_t k = 0; k < c.calls.n;) {
		uint32_t mmsi = c.calls.a[k].mmsi;
		size_t kEnd = k;
		while (kEnd < c.calls.n && c.calls.a[kEnd].mmsi == mmsi)
			kEnd++;
		while (iGap < c.gaps.n && c.gaps.a[iGap].mmsi < mmsi)
			iGap++;
		size_t gEnd = iGap;
		while (gEnd < c.gaps.n && c.gaps.a[gEnd].mmsi == mmsi)
			gEnd++;
		const vessel_info *v = find_vessel(&c, mmsi);
		st_time_ms tFrom = INT64_MIN;
		int64_t pocCall = -1;
		for (size_t q = k; q < kEnd; q++) {
			call_row *cr = &c.calls.a[q];
			if (cr->origin >= 0 && !cr->passed && cr->arrival != ST_TIME_NONE) {
				st_prov_arrival *a = &aArr[nArr++];
				a->id = cr->id;
				a->voyage_id = voyage_to(&c, cr->id);
				a->poc_call_id = pocCall;
				a->poc_gap_id = -1;
				for (size_t gq = iGap; gq < gEnd; gq++)
					if (c.gaps.a[gq].start >= tFrom && c.gaps.a[gq].end <= cr->arrival)
						a->poc_gap_id = c.gaps.a[gq].id; /* the latest such gap */
				a->mmsi = mmsi;
				a->imo = v ? v->imo : 0;
				a->port = cr->origin;
				a->t = cr->arrival;
				a->ship_type = v ? v->ship_type : -1;
				scopy(a->last_country, sizeof a->last_country, cr->zPrevCountry);
				tFrom = cr->departure != ST_TIME_NONE ? cr->departure : cr->arrival;
				pocCall = -1;
			} else if (cr->concern) {
				pocCall = cr->id;
			}
		}
		k = kEnd;
		iGap = gEnd;
	}
	pRes->nArrival = nArr;
	for (size_t i = 0; i < nArr; i++)
		pRes->nQualifying += st_prov_disqualify(&aArr[i], p) == NULL;

	/* Records, and the sites they went to. aRec[i].id indexes c.recs. */
	aRec = calloc(c.recs.n ? c.recs.n : 1, sizeof *aRec);
	aAttr = calloc(c.recs.n ? c.recs.n : 1, sizeof *aAttr);
	aSiteOf = malloc((st_places_count(c.pPlaces) + 1) * sizeof *aSiteOf);
	if (!aRec || !aAttr || !aSiteOf) {
		rc = ST_ENOMEM;
		goto done;
	}
	for (size_t i = 0; i <= st_places_count(c.pPlaces); i++)
		aSiteOf[i] = -1; /* place index -> site index */
	for (size_t i = 0; i < c.recs.n; i++) {
		const rec_row *r = &c.recs.a[i];
		st_prov_record *pr = &aRec[i];
		pr->id = (int64_t)i;
		pr->t = r->t;
		pr->tonnes = r->tonnes;
		pr->selected = cargo_selected(&c, r);
		pr->port = st_places_find(c.pOrigins, r->zOrigin);
		pr->site = -1;
		pRes->nRecord++;
		if (!pr->selected)
			continue;
		pRes->nSelected++;
		if (pr->port < 0) {
			if (st_places_find(c.pPlaces, r->zOrigin) < 0)
				note_unresolved(pRes, r->zOrigin);
			continue;
		}
		pRes->nAtOrigin++;
		pRes->tonnes_selected += r->tonnes;
		int ip = st_places_find(c.pPlaces, r->zDest);
		if (ip < 0) {
			note_unresolved(pRes, r->zDest);
			continue;
		}
		size_t is = (size_t)aSiteOf[ip];
		if (aSiteOf[ip] < 0) {
			is = c.sites.n;
			aSiteOf[ip] = (int)is;
			site st;
			memset(&st, 0, sizeof st);
			const st_place *pl = st_places_get(c.pPlaces, (size_t)ip);
			st.place = ip;
			scopy(st.zName, sizeof st.zName, pl->zName);
			st.lat = pl->lat;
			st.lon = pl->lon;
			st.first = INT64_MAX;
			st.last = INT64_MIN;
			for (int o = 0; o < MAX_ORIGIN; o++) {
				st.firstBy[o] = INT64_MAX;
				st.lastBy[o] = INT64_MIN;
			}
			if (!VEC_PUSH(c.sites, st)) {
				rc = ST_ENOMEM;
				goto done;
			}
		}
		site *st = &c.sites.a[is];
		pr->site = (int)is;
		st->tonnes += r->tonnes;
		st->nRecord++;
		st->first = r->t < st->first ? r->t : st->first;
		st->last = r->t > st->last ? r->t : st->last;
		st->tonnesByOrigin[pr->port] += r->tonnes;
		st->nByOrigin[pr->port]++;
		st->firstBy[pr->port] = r->t < st->firstBy[pr->port] ? r->t : st->firstBy[pr->port];
		st->lastBy[pr->port] = r->t > st->lastBy[pr->port] ? r->t : st->lastBy[pr->port];
	}

	size_t nAttr = 0;
	if ((rc = st_prov_attribute(aArr, nArr, aRec, c.recs.n, p, aAttr, &nAttr)) != ST_OK)
		goto done;
	pRes->nAttributed = nAttr;
	for (size_t k = 0; k < nAttr; k++)
		pRes->tonnes_attributed += aRec[aAttr[k].iRecord].tonnes;
	if ((rc = st_prov_permutation(aArr, nArr, aRec, c.recs.n, p, &pRes->perm)) != ST_OK)
		goto done;
	int aLag[31], nBeyond = 0;
	int nLag = (int)(sizeof aLag / sizeof aLag[0]);
	st_prov_lag_histogram(aArr, nArr, aRec, c.recs.n, p, aLag, nLag, &nBeyond);
	if ((rc = st_prov_monthly(aArr, nArr, aRec, c.recs.n, aAttr, nAttr, c.nOrigin, p, &aMon,
	                          &nMon)) != ST_OK)
		goto done;
	make_findings(&c, aArr, nArr, aRec, c.recs.n, aAttr, nAttr, aMon, nMon);

	if ((rc = st_store_begin(s)) != ST_OK) {
		snprintf(zErr, nErr, "%s", st_store_errmsg(s));
		goto done;
	}
	rc = write_outputs(&c, aArr, nArr, aRec, c.recs.n, aAttr, nAttr, aMon, nMon, aLag, nLag,
	                   nBeyond);
	if (rc == ST_OK) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		char *zInputs = st_store_sources_json(s);
		rc = st_store_record_run(s, "trace", tStart,
		                         (st_time_ms)ts.tv_sec * 1000 + ts.tv_nsec / 1000000,
		                         zParamsJson, zInputs ? zInputs : "[]", NULL);
		free(zInputs);
		if (rc != ST_OK)
			snprintf(zErr, nErr, "%s", st_store_errmsg(s));
	}
	if (rc == ST_OK)
		rc = st_store_commit(s);
	if (rc != ST_OK)
		st_store_rollback(s);

done:
	free(aSiteOf);
	free(aArr);
	free(aRec);
	free(aAttr);
	free(aMon);
	free(c.vessels.a);
	free(c.calls.a);
	free(c.gaps.a);
	free(c.recs.a);
	free(c.sites.a);
	free(c.voyages.a);
	st_places_free(c.pPlaces);
	st_places_free(c.pOrigins);
	st_gazetteer_free(&g);
	return rc;
}

/* Scenario loading and planning. The JSON scenario is read once into
 * arrays of ports, lanes, receivers, facilities and vessels; then every
 * vessel's whole itinerary is planned up front as a list of stops (port
 * stays, fishing grounds, rendezvous) joined by legs, together with its
 * AIS-off windows. Itineraries are small (a stop every day or two), so
 * planning them in memory is cheap even at large --scale; only the AIS
 * stream derived from them is large, and that is generated lazily by
 * ais_out.c. Shipment records are planned here too, from the shuttle
 * deliveries, so that ground truth and records agree by construction. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "shiptrace/time.h"
#include "sim_int.h"

#define HOUR_MS 3600000LL
#define DAY_MS (24 * HOUR_MS)
#define KN_KMH 1.852

int st__sim_err(sim *p, const char *zFmt, ...)
{
	va_list ap;
	int k = snprintf(p->zErr, p->nErr, "%s: ", p->zScenario);
	if (k < 0 || (size_t)k >= p->nErr)
		k = 0;
	va_start(ap, zFmt);
	vsnprintf(p->zErr + k, p->nErr - (size_t)k, zFmt, ap);
	va_end(ap);
	return -1;
}

/* Out of memory, or out of the item budget (whose message is already
 * set): keep the first message. */
static int oom(sim *p)
{
	if (!p->zErr[0])
		st__sim_err(p, "out of memory");
	return -1;
}

/* Counts one planned stop or record against the budget. */
static bool budget(sim *p)
{
	if (++p->nItem <= p->nItemMax)
		return true;
	if (!p->bad)
		st__sim_err(p, "too large: more than %llu planned stops and records",
		            (unsigned long long)p->nItemMax);
	p->bad = 1;
	return false;
}

double st__sim_dist_km(double lat1, double lon1, double lat2, double lon2)
{
	double r = M_PI / 180.0;
	double dlat = (lat2 - lat1) * r, dlon = (lon2 - lon1) * r;
	double a = sin(dlat / 2) * sin(dlat / 2) +
	           cos(lat1 * r) * cos(lat2 * r) * sin(dlon / 2) * sin(dlon / 2);
	return 2 * 6371.0088 * asin(sqrt(a > 1 ? 1 : a));
}

/* ---- JSON helpers: absent keys give the default, wrong types an error -- */

/* A number in [lo, hi], or def when absent. Anything else is an error
 * (recorded in p->bad; the caller checks once per section), so that no
 * out-of-range double is ever converted to an integer type. */
static double jnum(sim *p, const cJSON *o, const char *k, double def, double lo, double hi)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
	if (!v)
		return def;
	if (!cJSON_IsNumber(v) || !(v->valuedouble >= lo && v->valuedouble <= hi)) {
		if (!p->bad)
			st__sim_err(p, "\"%s\" must be a number from %g to %g", k, lo, hi);
		p->bad = 1;
		return def;
	}
	return v->valuedouble;
}

static const char *jstr(const cJSON *o, const char *k, const char *def)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
	return cJSON_IsString(v) && v->valuestring ? v->valuestring : def;
}

static bool jbool(const cJSON *o, const char *k, bool def)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
	return cJSON_IsBool(v) ? cJSON_IsTrue(v) : def;
}

/* A range [a, b] (or one number for both) within [lo, hi]; absent keeps
 * the defaults in *pLo, *pHi; anything else is an error as for jnum. */
static void jrange(sim *p, const cJSON *o, const char *k, double *pLo, double *pHi, double lo, double hi)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
	double a, b;
	if (!v)
		return;
	if (cJSON_IsNumber(v)) {
		a = b = v->valuedouble;
	} else if (cJSON_IsArray(v) && cJSON_GetArraySize(v) == 2 &&
	           cJSON_IsNumber(cJSON_GetArrayItem(v, 0)) &&
	           cJSON_IsNumber(cJSON_GetArrayItem(v, 1))) {
		a = cJSON_GetArrayItem(v, 0)->valuedouble;
		b = cJSON_GetArrayItem(v, 1)->valuedouble;
	} else {
		a = b = NAN;
	}
	if (!(a >= lo && a <= hi && b >= a && b <= hi)) {
		if (!p->bad)
			st__sim_err(p, "\"%s\" must be [low, high] within %g to %g", k, lo, hi);
		p->bad = 1;
		return;
	}
	*pLo = a;
	*pHi = b;
}

static int jtime(sim *p, const cJSON *o, const char *k, st_time_ms *pT, bool need)
{
	const char *z = jstr(o, k, NULL);
	if (!z) {
		if (need)
			return st__sim_err(p, "missing time \"%s\"", k);
		return 0;
	}
	st_time_ms t = st_time_parse(z);
	if (t == ST_TIME_NONE)
		return st__sim_err(p, "bad time \"%s\" for \"%s\"", z, k);
	*pT = t;
	return 0;
}

/* Bounded copy that never cuts a UTF-8 character in two (the records
 * file is converted with iconv, which rejects a broken sequence). */
static void copy(char *zDst, size_t n, const char *zSrc)
{
	size_t k = zSrc ? strlen(zSrc) : 0;
	if (k >= n) {
		k = n - 1;
		while (k > 0 && ((unsigned char)zSrc[k] & 0xC0) == 0x80)
			k--;
	}
	if (k)
		memcpy(zDst, zSrc, k);
	zDst[k] = 0;
}

static int find_port(const sim *p, const char *zId)
{
	for (int i = 0; zId && i < p->nPort; i++)
		if (!strcmp(p->aPort[i].zId, zId))
			return i;
	return -1;
}

static int need_port(sim *p, const char *zId, const char *zWhere)
{
	int i = find_port(p, zId);
	if (i < 0)
		st__sim_err(p, "%s: unknown port or site \"%s\"", zWhere, zId ? zId : "(none)");
	return i;
}

static int find_vessel(const sim *p, const char *zId)
{
	for (int i = 0; zId && i < p->nVessel; i++)
		if (!strcmp(p->aVessel[i].zId, zId))
			return i;
	return -1;
}

static int find_facility(const sim *p, const char *zName)
{
	for (int i = 0; zName && i < p->nFac; i++)
		if (!strcmp(p->aFac[i].zName, zName))
			return i;
	return -1;
}

/* IMO numbers end in a check digit: the first six digits weighted 7..2,
 * summed, modulo 10. Invented background identities get a valid one so that
 * a registry check does not reject them for the wrong reason. */
static uint32_t imo_with_check(uint32_t six)
{
	unsigned sum = 0, w = 7;
	for (uint32_t d = 100000; d; d /= 10, w--)
		sum += (six / d % 10) * w;
	return six * 10 + sum % 10;
}

/* ---- loading ----------------------------------------------------------- */

static int load_places(sim *p, const cJSON *arr, const char *zKind)
{
	const cJSON *it;
	cJSON_ArrayForEach(it, arr) {
		sim_port *pt = &p->aPort[p->nPort];
		memset(pt, 0, sizeof *pt);
		copy(pt->zId, sizeof pt->zId, jstr(it, "id", ""));
		if (!pt->zId[0] || find_port(p, pt->zId) >= 0)
			return st__sim_err(p, "%s entry %d: missing or duplicate \"id\"", zKind, p->nPort);
		copy(pt->zName, sizeof pt->zName, jstr(it, "name", pt->zId));
		copy(pt->zRu, sizeof pt->zRu, jstr(it, "name_ru", pt->zName));
		copy(pt->zCountry, sizeof pt->zCountry, jstr(it, "country", ""));
		copy(pt->zKind, sizeof pt->zKind, jstr(it, "kind", zKind));
		copy(pt->zNote, sizeof pt->zNote, jstr(it, "note", ""));
		const cJSON *al = cJSON_GetObjectItemCaseSensitive(it, "aliases"), *a;
		size_t at = 0;
		cJSON_ArrayForEach(a, al) {
			if (!cJSON_IsString(a))
				continue;
			int k = snprintf(pt->zAliases + at, sizeof pt->zAliases - at, "%s%s",
			                 at ? "|" : "", a->valuestring);
			if (k < 0 || (size_t)k >= sizeof pt->zAliases - at)
				return st__sim_err(p, "%s \"%s\": aliases longer than %zu bytes",
				                   zKind, pt->zId, sizeof pt->zAliases);
			at += (size_t)k;
		}
		pt->lat = jnum(p, it, "lat", NAN, -90, 90);
		pt->lon = jnum(p, it, "lon", NAN, -180, 180);
		if (!(fabs(pt->lat) <= 90) || !(fabs(pt->lon) <= 180))
			return st__sim_err(p, "%s \"%s\": lat/lon missing or out of range", zKind, pt->zId);
		pt->weight = jnum(p, it, "weight", 1.0, 0, 1e6);
		pt->minRecords = (int)jnum(p, it, "min_records", 0, 0, 100000);
		pt->iFacility = -1;
		const char *zFac = jstr(it, "facility", NULL);
		if (zFac && (pt->iFacility = find_facility(p, zFac)) < 0)
			return st__sim_err(p, "%s \"%s\": unknown facility \"%s\"", zKind, pt->zId, zFac);
		p->nPort++;
	}
	return 0;
}

static int load_cargo(sim *p, const cJSON *arr, sim_cargo **paOut, int *pn, const char *zWhere)
{
	int n = cJSON_GetArraySize(arr);
	if (n <= 0)
		return st__sim_err(p, "%s: \"cargo\" must list at least one cargo", zWhere);
	*paOut = calloc((size_t)n, sizeof **paOut);
	if (!*paOut)
		return oom(p);
	const cJSON *it;
	cJSON_ArrayForEach(it, arr) {
		sim_cargo *c = &(*paOut)[(*pn)++];
		copy(c->zCode, sizeof c->zCode, jstr(it, "code", ""));
		copy(c->zText, sizeof c->zText, jstr(it, "text", ""));
		c->tLo = 20, c->tHi = 60;
		jrange(p, it, "t", &c->tLo, &c->tHi, 0, 1e6);
		c->weight = jnum(p, it, "weight", 1.0, 0, 1e6);
	}
	return 0;
}

/* Names (consignors, consignees) as an array of strings owned by the
 * cJSON tree; each at most 200 bytes, so that a records line stays well
 * inside its buffer. */
static char **load_strings(sim *p, const cJSON *arr, int *pn)
{
	int n = cJSON_GetArraySize(arr);
	*pn = 0;
	if (n <= 0)
		return NULL;
	char **a = calloc((size_t)n, sizeof *a);
	const cJSON *it;
	if (!a)
		return NULL;
	cJSON_ArrayForEach(it, arr) {
		if (!cJSON_IsString(it) || strlen(it->valuestring) > 200) {
			if (!p->bad)
				st__sim_err(p, "consignors and consignees are strings of at most 200 bytes");
			p->bad = 1;
			continue;
		}
		a[(*pn)++] = it->valuestring;
	}
	return a;
}

static sim_vessel *new_vessel(sim *p)
{
	if (p->nVessel == p->nVesselAlloc) {
		int n = p->nVesselAlloc ? p->nVesselAlloc * 2 : 64;
		sim_vessel *a = realloc(p->aVessel, (size_t)n * sizeof *a);
		if (!a)
			return NULL;
		p->aVessel = a;
		p->nVesselAlloc = n;
	}
	sim_vessel *v = &p->aVessel[p->nVessel++];
	memset(v, 0, sizeof *v);
	v->iLeg = -1;
	v->posType = 1;
	v->cls = 'A';
	return v;
}

static void vessel_common(sim *p, const cJSON *it, sim_vessel *v)
{
	copy(v->zRole, sizeof v->zRole, jstr(it, "role", "cargo"));
	copy(v->zFlag, sizeof v->zFlag, jstr(it, "flag", ""));
	copy(v->zOfacType, sizeof v->zOfacType, jstr(it, "ofac_type", ""));
	copy(v->zDestOverride, sizeof v->zDestOverride, jstr(it, "report_destination", ""));
	v->shiptype = (unsigned)jnum(p, it, "shiptype", 70, 0, 255);
	const char *zCls = jstr(it, "class", "A");
	v->cls = zCls[0] == 'B' ? 'B' : 'A';
	/* class B always sends type 18; class A type 1, 2 or 3 */
	v->posType = (unsigned)jnum(p, it, "position_type", v->cls == 'B' ? 18 : 1, 1, 18);
	if (v->cls == 'A' && v->posType > 3 && !p->bad) {
		st__sim_err(p, "\"position_type\" of a class A vessel must be 1, 2 or 3");
		p->bad = 1;
	}
	/* dimensions in metres, within their fields' widths (9 and 6 bits) */
	const cJSON *d = cJSON_GetObjectItemCaseSensitive(it, "dim");
	unsigned *ap[4] = {&v->bow, &v->stern, &v->port, &v->stbd};
	for (int k = 0; d && k < 4; k++) {
		const cJSON *x = cJSON_GetArrayItem(d, k);
		double hi = k < 2 ? 511 : 63;
		if (cJSON_GetArraySize(d) != 4 || !cJSON_IsNumber(x) || !(x->valuedouble >= 0 && x->valuedouble <= hi)) {
			if (!p->bad)
				st__sim_err(p, "\"dim\" is [to_bow, to_stern, to_port, to_starboard] in metres (0-511, 0-511, 0-63, 0-63)");
			p->bad = 1;
			break;
		}
		*ap[k] = (unsigned)x->valuedouble;
	}
}

int st__sim_load(sim *p, const char *zScenario, const st_sim_opts *opts)
{
	FILE *f = fopen(zScenario, "rb");
	if (!f)
		return st__sim_err(p, "cannot open");
	if (ferror(f) || fgetc(f) == EOF) {
		/* a directory opens but does not read; an empty file has no JSON */
		int isDir = ferror(f);
		fclose(f);
		return st__sim_err(p, isDir ? "not a file" : "empty file");
	}
	rewind(f);
	char *zText = NULL;
	size_t n = 0, cap = 0;
	for (;;) {
		if (n + 65536 > cap) {
			if (cap >= (64u << 20)) {
				fclose(f);
				free(zText);
				return st__sim_err(p, "larger than 64 MiB; not a scenario");
			}
			cap = cap ? cap * 2 : 65536;
			char *z = realloc(zText, cap + 1);
			if (!z) {
				fclose(f);
				free(zText);
				return oom(p);
			}
			zText = z;
		}
		size_t k = fread(zText + n, 1, cap - n, f);
		n += k;
		if (k == 0)
			break;
	}
	fclose(f);
	zText[n] = 0;
	int rc = st__sim_load_text(p, zText, n, opts);
	free(zText);
	return rc;
}

int st__sim_load_text(sim *p, const char *zText, size_t n, const st_sim_opts *opts)
{
	const char *zEnd = NULL;
	if (p->nItemMax == 0)
		p->nItemMax = UINT64_MAX;
	p->pRoot = cJSON_ParseWithLengthOpts(zText, n, &zEnd, 0);
	if (!p->pRoot) {
		int line = 1, col = 1;
		for (const char *z = zText; zEnd && z < zEnd && z < zText + n; z++, col++)
			if (*z == '\n')
				line++, col = 0;
		return st__sim_err(p, "line %d, column %d: JSON syntax error", line, col);
	}
	const cJSON *r = p->pRoot;
	if (!cJSON_IsObject(r))
		return st__sim_err(p, "not a JSON object");

	copy(p->zName, sizeof p->zName, jstr(r, "name", "scenario"));
	p->seed = opts->seedSet ? opts->seed : (uint64_t)jnum(p, r, "seed", 1, 0, 9007199254740992.0);
	p->scale = opts->scale > 0 ? opts->scale : 1.0;
	if (jtime(p, r, "start", &p->tStart, true) || jtime(p, r, "end", &p->tEnd, true))
		return -1;
	if (p->tEnd <= p->tStart || p->tEnd - p->tStart > 3660 * DAY_MS)
		return st__sim_err(p, "\"end\" must come after \"start\", at most ten years later");
	p->windowDays = jnum(p, r, "window_days", 7, 0, 365);
	st_rng_seed(&p->rng, p->seed);

	/* reporting intervals: the ITU-R M.1371 values, or a thinned set that
	 * keeps a six-month case small; see docs/simulator.md */
	const cJSON *rep = cJSON_GetObjectItemCaseSensitive(r, "reporting");
	p->itu = opts->itu || !strcmp(jstr(rep, "mode", "itu"), "itu");
	p->underwayS = (int)jnum(p, rep, "underway_s", 300, 1, 86400);
	p->mooredS = (int)jnum(p, rep, "moored_s", 1800, 1, 86400);
	p->bUnderwayS = (int)jnum(p, rep, "class_b_underway_s", 600, 1, 86400);
	p->bSlowS = (int)jnum(p, rep, "class_b_slow_s", 1800, 1, 86400);
	p->staticS = (int)jnum(p, rep, "static_s", 3600, 1, 86400);
	if (p->itu)
		p->staticS = 360;
	if (p->underwayS < 1 || p->mooredS < 1 || p->bUnderwayS < 1 || p->bSlowS < 1 || p->staticS < 1)
		return st__sim_err(p, "\"reporting\": intervals must be at least 1 s");
	p->noiseM = jnum(p, r, "noise_m", 10, 0, 10000);
	p->berthM = jnum(p, r, "berth_m", 600, 0, 10000);

	/* facilities come first: sites refer to them by name */
	const cJSON *fac = cJSON_GetObjectItemCaseSensitive(r, "facilities"), *it;
	p->aFac = calloc((size_t)cJSON_GetArraySize(fac) + 1, sizeof *p->aFac);
	if (!p->aFac)
		return oom(p);
	cJSON_ArrayForEach(it, fac) {
		sim_facility *fa = &p->aFac[p->nFac++];
		copy(fa->zName, sizeof fa->zName, jstr(it, "name", ""));
		copy(fa->zKind, sizeof fa->zKind, jstr(it, "kind", ""));
		copy(fa->zListEntry, sizeof fa->zListEntry, jstr(it, "list_entry", ""));
		copy(fa->zNote, sizeof fa->zNote, jstr(it, "note", ""));
		fa->lat = jnum(p, it, "lat", NAN, -90, 90);
		fa->lon = jnum(p, it, "lon", NAN, -180, 180);
		fa->sanctioned = jbool(it, "sanctioned", false);
		if (!fa->zName[0] || !(fabs(fa->lat) <= 90) || !(fabs(fa->lon) <= 180))
			return st__sim_err(p, "facility %d: needs name, lat and lon", p->nFac);
	}

	const cJSON *ports = cJSON_GetObjectItemCaseSensitive(r, "ports");
	const cJSON *sites = cJSON_GetObjectItemCaseSensitive(r, "sites");
	const cJSON *stations = cJSON_GetObjectItemCaseSensitive(r, "stations");
	int nAll = cJSON_GetArraySize(ports) + cJSON_GetArraySize(sites) + cJSON_GetArraySize(stations);
	p->aPort = calloc((size_t)nAll + 1, sizeof *p->aPort);
	if (!p->aPort)
		return oom(p);
	if (load_places(p, ports, "port") || load_places(p, sites, "site") ||
	    load_places(p, stations, "station"))
		return -1;

	const cJSON *lanes = cJSON_GetObjectItemCaseSensitive(r, "lanes");
	p->aLane = calloc((size_t)cJSON_GetArraySize(lanes) + 1, sizeof *p->aLane);
	if (!p->aLane)
		return oom(p);
	cJSON_ArrayForEach(it, lanes) {
		sim_lane *l = &p->aLane[p->nLane];
		if ((l->iFrom = need_port(p, jstr(it, "from", NULL), "lane")) < 0 ||
		    (l->iTo = need_port(p, jstr(it, "to", NULL), "lane")) < 0)
			return -1;
		const cJSON *via = cJSON_GetObjectItemCaseSensitive(it, "via"), *pt;
		cJSON_ArrayForEach(pt, via) {
			if (l->nVia >= SIM_MAX_VIA || cJSON_GetArraySize(pt) != 2)
				return st__sim_err(p, "lane %d: \"via\" takes up to %d [lat, lon] pairs",
				                   p->nLane, SIM_MAX_VIA);
			l->aVia[l->nVia][0] = cJSON_GetArrayItem(pt, 0)->valuedouble;
			l->aVia[l->nVia][1] = cJSON_GetArrayItem(pt, 1)->valuedouble;
			l->nVia++;
		}
		p->nLane++;
	}

	const cJSON *rx = cJSON_GetObjectItemCaseSensitive(r, "receivers");
	p->aRx = calloc((size_t)cJSON_GetArraySize(rx) + 1, sizeof *p->aRx);
	if (!p->aRx)
		return oom(p);
	cJSON_ArrayForEach(it, rx) {
		sim_receiver *x = &p->aRx[p->nRx++];
		copy(x->zName, sizeof x->zName, jstr(it, "name", "SIM"));
		x->lat = jnum(p, it, "lat", 0, -90, 90);
		x->lon = jnum(p, it, "lon", 0, -180, 180);
		x->rangeKm = jnum(p, it, "range_km", 0, 0, 40000);
		x->loss = jnum(p, it, "loss", 0, 0, 1);
		/* outages: a Poisson process of the given daily rate */
		double perDay = jnum(p, it, "outages_per_day", 0, 0, 1000), lo = 10, hi = 120;
		jrange(p, it, "outage_min", &lo, &hi, 0, 10080);
		if (perDay > 0) {
			double days = (double)(p->tEnd - p->tStart) / DAY_MS;
			double fCap = days * perDay * 3 + 8;
			if (fCap > (double)(p->nItemMax - p->nItem) + 8)
				fCap = (double)(p->nItemMax - p->nItem) + 8;
			int nCap = (int)fCap;
			x->aOut = calloc((size_t)nCap, sizeof *x->aOut);
			if (!x->aOut)
				return oom(p);
			double t = (double)p->tStart;
			for (;;) {
				t += -log(1 - st_rng_uniform(&p->rng)) / perDay * DAY_MS;
				if (t >= (double)p->tEnd || x->nOut == nCap)
					break;
				if (!budget(p))
					return -1;
				double len = st_rng_range(&p->rng, lo, hi) * 60000.0;
				x->aOut[x->nOut][0] = (st_time_ms)t;
				x->aOut[x->nOut][1] = (st_time_ms)(t + len);
				x->nOut++;
				t += len;
			}
		}
	}
	if (p->nRx == 0) {
		sim_receiver *x = &p->aRx[p->nRx++];
		copy(x->zName, sizeof x->zName, "SIM");
	}

	const cJSON *rec = cJSON_GetObjectItemCaseSensitive(r, "records");
	copy(p->zEncoding, sizeof p->zEncoding, jstr(rec, "encoding", "windows-1251"));
	if (strcmp(p->zEncoding, "windows-1251") && strcmp(p->zEncoding, "utf-8"))
		return st__sim_err(p, "records.encoding must be \"windows-1251\" or \"utf-8\"");
	const char *zDelim = jstr(rec, "delimiter", ";");
	if (strlen(zDelim) != 1 || (unsigned char)zDelim[0] >= 0x80 || strchr("\"\r\n", zDelim[0]))
		return st__sim_err(p, "records.delimiter must be one ASCII character other than a quote or line break");
	copy(p->zDelim, sizeof p->zDelim, zDelim);
	copy(p->zTz, sizeof p->zTz, jstr(rec, "timezone", "+10:00"));
	if (strlen(jstr(rec, "id_prefix", "")) >= sizeof p->zIdPrefix)
		return st__sim_err(p, "records.id_prefix: at most %zu bytes", sizeof p->zIdPrefix - 1);
	copy(p->zIdPrefix, sizeof p->zIdPrefix, jstr(rec, "id_prefix", "ЭЯ"));
	p->tzMinutes = (int)jnum(p, rec, "utc_offset_minutes", 600, -900, 900);

	const cJSON *ex = cJSON_GetObjectItemCaseSensitive(r, "explosives");
	if (ex && load_cargo(p, cJSON_GetObjectItemCaseSensitive(ex, "cargo"), &p->aExplo, &p->nExplo, "explosives"))
		return -1;
	p->azConsignor = load_strings(p, cJSON_GetObjectItemCaseSensitive(ex, "consignors"), &p->nConsignor);
	p->azConsignee = load_strings(p, cJSON_GetObjectItemCaseSensitive(ex, "consignees"), &p->nConsignee);
	const cJSON *oc = cJSON_GetObjectItemCaseSensitive(r, "other_cargo");
	if (oc && load_cargo(p, cJSON_GetObjectItemCaseSensitive(oc, "cargo"), &p->aOther, &p->nOther, "other_cargo"))
		return -1;
	p->azOtherConsignee = load_strings(p, cJSON_GetObjectItemCaseSensitive(oc, "consignees"), &p->nOtherConsignee);

	/* named vessels */
	const cJSON *ves = cJSON_GetObjectItemCaseSensitive(r, "vessels");
	cJSON_ArrayForEach(it, ves) {
		sim_vessel *v = new_vessel(p);
		if (!v)
			return oom(p);
		copy(v->zName, sizeof v->zName, jstr(it, "name", ""));
		copy(v->zId, sizeof v->zId, jstr(it, "id", v->zName));
		copy(v->zCall, sizeof v->zCall, jstr(it, "callsign", ""));
		v->imo = (uint32_t)jnum(p, it, "imo", 0, 0, 9999999);
		v->mmsi = (uint32_t)jnum(p, it, "mmsi", 0, 0, 999999999);
		v->mmsiPlaceholder = jbool(it, "mmsi_placeholder", false);
		v->speedKn = jnum(p, it, "speed_kn", 11, 0.5, 60);
		vessel_common(p, it, v);
		if (!v->zName[0] || v->mmsi < 100000000u || v->mmsi > 999999999u)
			return st__sim_err(p, "vessel %d: needs a name and a nine-digit mmsi", p->nVessel);
	}
	return p->bad ? -1 : 0;
}

/* ---- itineraries ---------------------------------------------------------- */

static sim_stop *add_stop(sim *p, sim_vessel *v)
{
	if (!budget(p))
		return NULL;
	if (v->nStop == v->nAlloc) {
		int n = v->nAlloc ? v->nAlloc * 2 : 16;
		sim_stop *a = realloc(v->aStop, (size_t)n * sizeof *a);
		if (!a)
			return NULL;
		v->aStop = a;
		v->nAlloc = n;
	}
	sim_stop *s = &v->aStop[v->nStop++];
	memset(s, 0, sizeof *s);
	s->iPort = -1;
	s->iDelivery = -1;
	return s;
}

static int add_dark(sim_vessel *v, st_time_ms t0, st_time_ms t1, const char *zWhy)
{
	if (v->nDark == v->nDarkAlloc) {
		int n = v->nDarkAlloc ? v->nDarkAlloc * 2 : 8;
		sim_dark *a = realloc(v->aDark, (size_t)n * sizeof *a);
		if (!a)
			return -1;
		v->aDark = a;
		v->nDarkAlloc = n;
	}
	v->aDark[v->nDark].t0 = t0;
	v->aDark[v->nDark].t1 = t1;
	copy(v->aDark[v->nDark].zWhy, sizeof v->aDark[v->nDark].zWhy, zWhy);
	v->nDark++;
	return 0;
}

/* The waypoints of the leg from stop a to stop b into aOut (at most
 * SIM_MAX_VIA + 2): through a lane's waypoints when both ends are ports
 * joined by one (in either direction), else straight along the great
 * circle. Returns the number of points. */
static int leg_points(const sim *p, const sim_stop *a, const sim_stop *b, double aOut[][2])
{
	int n = 0;
	aOut[n][0] = a->lat, aOut[n][1] = a->lon, n++;
	for (int i = 0; i < p->nLane && a->iPort >= 0 && b->iPort >= 0; i++) {
		const sim_lane *l = &p->aLane[i];
		if (l->iFrom == a->iPort && l->iTo == b->iPort) {
			for (int k = 0; k < l->nVia; k++)
				aOut[n][0] = l->aVia[k][0], aOut[n][1] = l->aVia[k][1], n++;
			break;
		}
		if (l->iTo == a->iPort && l->iFrom == b->iPort) {
			for (int k = l->nVia; k-- > 0;)
				aOut[n][0] = l->aVia[k][0], aOut[n][1] = l->aVia[k][1], n++;
			break;
		}
	}
	aOut[n][0] = b->lat, aOut[n][1] = b->lon, n++;
	return n;
}

static double path_km(const sim *p, const sim_stop *a, const sim_stop *b)
{
	double aPt[SIM_MAX_VIA + 2][2], km = 0;
	int n = leg_points(p, a, b, aPt);
	for (int i = 1; i < n; i++)
		km += st__sim_dist_km(aPt[i - 1][0], aPt[i - 1][1], aPt[i][0], aPt[i][1]);
	return km;
}

void st__sim_leg_path(const sim *p, sim_vessel *v, int iLeg)
{
	if (v->iLeg == iLeg)
		return;
	int n = leg_points(p, &v->aStop[iLeg], &v->aStop[iLeg + 1], v->aPath);
	v->aCum[0] = 0;
	for (int i = 1; i < n; i++)
		v->aCum[i] = v->aCum[i - 1] + st__sim_dist_km(v->aPath[i - 1][0], v->aPath[i - 1][1],
		                                             v->aPath[i][0], v->aPath[i][1]);
	v->nPath = n;
	v->iLeg = iLeg;
}

static st_time_ms travel_ms(const sim *p, const sim_vessel *v, const sim_stop *a, const sim_stop *b)
{
	double km = path_km(p, a, b);
	return (st_time_ms)(km / (v->speedKn * KN_KMH) * HOUR_MS);
}

/* A berth inside the port, a random few hundred metres from its point, so
 * that successive visits do not report identical positions. */
static void berth(sim *p, sim_stop *s, int iPort)
{
	const sim_port *pt = &p->aPort[iPort];
	double r = p->berthM * sqrt(st_rng_uniform(&p->rng)) / 111320.0;
	double a = st_rng_range(&p->rng, 0, 2 * M_PI);
	s->iPort = iPort;
	s->kind = STOP_PORT;
	s->status = 5; /* moored */
	s->lat = pt->lat + r * cos(a);
	s->lon = pt->lon + r * sin(a) / cos(pt->lat * M_PI / 180);
	s->heading = (unsigned)st_rng_below(&p->rng, 360);
}

/* Appointments (encounters) a pattern vessel must keep. */
typedef struct appt {
	double lat, lon;
	st_time_ms t0, t1;
	int iEnc;
	int side;
} appt;

typedef struct bg_spec {
	const cJSON *pJson;
	const char *zPattern;
	int aRoute[16];
	int nRoute;
	int iHome;
	double area[2][2];
	double stayLo, stayHi, tripLo, tripHi;
} bg_spec;

/* Plans a pattern vessel (liner or fishing) from tStart to tEnd, keeping
 * its appointments: when the next one is due before the pattern's next
 * stop would be done, the vessel waits, sails to the rendezvous point,
 * stays for the agreed hours, then resumes its pattern from there. */
static int plan_pattern(sim *p, sim_vessel *v, const bg_spec *b, appt *aAppt, int nAppt)
{
	int iNext = 0;
	int iAppt = 0;
	sim_stop *s = add_stop(p, v);
	if (!s)
		return -1;
	int first = b->nRoute ? b->aRoute[st_rng_below(&p->rng, (uint64_t)b->nRoute)] : b->iHome;
	if (b->nRoute)
		for (int i = 0; i < b->nRoute; i++)
			if (b->aRoute[i] == first)
				iNext = (i + 1) % b->nRoute;
	berth(p, s, first);
	s->tArr = p->tStart - DAY_MS;
	s->tDep = p->tStart + (st_time_ms)(st_rng_range(&p->rng, 0, b->stayHi > 0 ? b->stayHi : 24) * HOUR_MS);
	bool atHome = true;
	while (v->aStop[v->nStop - 1].tDep < p->tEnd) {
		sim_stop next;
		memset(&next, 0, sizeof next);
		next.iPort = -1;
		next.iDelivery = -1;
		double stayH;
		if (b->nRoute) {
			berth(p, &next, b->aRoute[iNext]);
			stayH = st_rng_range(&p->rng, b->stayLo, b->stayHi);
		} else if (atHome) {
			next.kind = STOP_SEA;
			next.status = 7; /* engaged in fishing */
			next.lat = st_rng_range(&p->rng, b->area[0][0], b->area[1][0]);
			next.lon = st_rng_range(&p->rng, b->area[0][1], b->area[1][1]);
			next.heading = (unsigned)st_rng_below(&p->rng, 360);
			stayH = st_rng_range(&p->rng, b->tripLo, b->tripHi);
		} else {
			berth(p, &next, b->iHome);
			stayH = st_rng_range(&p->rng, b->stayLo, b->stayHi);
		}
		sim_stop *cur = &v->aStop[v->nStop - 1];
		st_time_ms tArr = cur->tDep + travel_ms(p, v, cur, &next);
		if (iAppt < nAppt) {
			appt *ap = &aAppt[iAppt];
			sim_stop meet;
			memset(&meet, 0, sizeof meet);
			meet.lat = ap->lat + (ap->side ? 0.0006 : -0.0006);
			meet.lon = ap->lon;
			meet.iPort = -1;
			meet.iDelivery = -1;
			st_time_ms tBack = travel_ms(p, v, &next, &meet);
			if (ap->t0 <= tArr + (st_time_ms)(stayH * HOUR_MS) + tBack + HOUR_MS) {
				st_time_ms tGo = travel_ms(p, v, cur, &meet);
				if (ap->t0 - tGo > cur->tDep)
					cur->tDep = ap->t0 - tGo;
				sim_stop *m = add_stop(p, v);
				if (!m)
					return -1;
				*m = meet;
				m->kind = STOP_MEET;
				m->status = 0;
				m->tArr = v->aStop[v->nStop - 2].tDep + tGo;
				m->tDep = m->tArr > ap->t1 ? m->tArr + HOUR_MS : ap->t1;
				m->heading = (unsigned)st_rng_below(&p->rng, 360);
				sim_encounter *e = &p->aEnc[ap->iEnc];
				if (ap->side == 0)
					e->iStopA = v->nStop - 1;
				else
					e->iStopB = v->nStop - 1;
				iAppt++;
				continue;
			}
		}
		sim_stop *n = add_stop(p, v);
		if (!n)
			return -1;
		*n = next;
		cur = &v->aStop[v->nStop - 2];
		n->tArr = cur->tDep + travel_ms(p, v, cur, n);
		/* at least a minute per stop, so that a route of ports at one
		 * point with no stay still moves on through time */
		n->tDep = n->tArr + (st_time_ms)(stayH * HOUR_MS) + 60000;
		if (b->nRoute)
			iNext = (iNext + 1) % b->nRoute;
		else
			atHome = !atHome;
	}
	return 0;
}

static int plan_background(sim *p)
{
	const cJSON *bg = cJSON_GetObjectItemCaseSensitive(p->pRoot, "background"), *it;
	const cJSON *enc = cJSON_GetObjectItemCaseSensitive(p->pRoot, "encounters");
	int nEncCfg = cJSON_GetArraySize(enc);
	p->aEnc = calloc((size_t)nEncCfg + 1, sizeof *p->aEnc);
	if (!p->aEnc)
		return oom(p);
	for (int i = 0; i < nEncCfg; i++)
		p->aEnc[i].iStopA = p->aEnc[i].iStopB = -1;
	cJSON_ArrayForEach(it, bg) {
		bg_spec b;
		memset(&b, 0, sizeof b);
		b.pJson = it;
		const char *zId = jstr(it, "id", NULL);
		if (!zId)
			return st__sim_err(p, "background entry without \"id\"");
		b.zPattern = jstr(it, "pattern", "liner");
		b.stayLo = 12, b.stayHi = 36, b.tripLo = 24, b.tripHi = 72;
		jrange(p, it, "stay_h", &b.stayLo, &b.stayHi, 0, 8760);
		jrange(p, it, "trip_h", &b.tripLo, &b.tripHi, 0, 8760);
		if (!strcmp(b.zPattern, "liner")) {
			const cJSON *rt = cJSON_GetObjectItemCaseSensitive(it, "route"), *x;
			cJSON_ArrayForEach(x, rt) {
				if (b.nRoute == 16)
					return st__sim_err(p, "background \"%s\": route longer than 16 ports", zId);
				if ((b.aRoute[b.nRoute++] = need_port(p, x->valuestring, zId)) < 0)
					return -1;
			}
			if (b.nRoute < 2)
				return st__sim_err(p, "background \"%s\": a liner needs a route of two ports or more", zId);
		} else if (!strcmp(b.zPattern, "fishing")) {
			if ((b.iHome = need_port(p, jstr(it, "home", NULL), zId)) < 0)
				return -1;
			const cJSON *ar = cJSON_GetObjectItemCaseSensitive(it, "area");
			for (int k = 0; k < 2; k++)
				for (int j = 0; j < 2; j++) {
					const cJSON *x = cJSON_GetArrayItem(cJSON_GetArrayItem(ar, k), j);
					if (cJSON_GetArraySize(ar) != 2 || !cJSON_IsNumber(x) ||
					    fabs(x->valuedouble) > (j ? 180 : 90))
						return st__sim_err(p, "background \"%s\": \"area\" is [[lat0, lon0], [lat1, lon1]]", zId);
					b.area[k][j] = x->valuedouble;
				}
		} else {
			return st__sim_err(p, "background \"%s\": unknown pattern \"%s\"", zId, b.zPattern);
		}
		int count = (int)jnum(p, it, "count", 1, 0, 1000000);
		if (p->bad)
			return -1;
		double fCopy = count * p->scale;
		if (fCopy + p->nVessel > 10000000)
			return st__sim_err(p, "background \"%s\": more than ten million vessels at this --scale", zId);
		long nCopy = lround(fCopy);
		if (count > 0 && nCopy < 1)
			nCopy = 1;
		double spLo = 10, spHi = 14;
		jrange(p, it, "speed_kn", &spLo, &spHi, 0.5, 60);
		uint32_t mmsiBase = (uint32_t)jnum(p, it, "mmsi_base", 0, 0, 999999999);
		uint32_t imoBase = (uint32_t)jnum(p, it, "imo_base", 0, 0, 9999999);
		if (mmsiBase < 100000000u || mmsiBase + (uint64_t)nCopy > 999999999u)
			return st__sim_err(p, "background \"%s\": mmsi_base must leave room for %ld nine-digit MMSIs", zId, nCopy);
		for (long k = 0; k < nCopy; k++) {
			sim_vessel *v = new_vessel(p);
			if (!v)
				return oom(p);
			vessel_common(p, it, v);
			v->background = true;
			v->invented = true;
			if (k == 0)
				copy(v->zId, sizeof v->zId, zId);
			else
				snprintf(v->zId, sizeof v->zId, "%.36s#%u", zId, (unsigned)k % 1000000000u);
			const char *zName = jstr(it, "name", zId);
			if (nCopy > 1 || jbool(it, "number", false))
				snprintf(v->zName, sizeof v->zName, "%.15s %u", zName, (unsigned)(k + 1) % 10000000u);
			else
				copy(v->zName, sizeof v->zName, zName);
			v->mmsi = mmsiBase + (uint32_t)k;
			v->imo = imoBase ? imo_with_check(imoBase / 10 + (uint32_t)k) : 0;
			if (v->cls == 'A')
				snprintf(v->zCall, sizeof v->zCall, "%s%04u", jstr(it, "callsign_prefix", "SIM"),
				         (unsigned)((v->mmsi) % 10000));
			v->speedKn = st_rng_range(&p->rng, spLo, spHi);
			if (v->cls == 'A' && jnum(p, it, "position_type", 0, 0, 18) == 0)
				v->posType = st_rng_below(&p->rng, 4) == 0 ? 3 : 1;
			/* appointments for the first copy only */
			appt aAppt[16];
			int nAppt = 0;
			const cJSON *e;
			int iE = 0;
			cJSON_ArrayForEach(e, enc) {
				const char *za = jstr(e, "a", ""), *zb = jstr(e, "b", "");
				int side = !strcmp(za, v->zId) ? 0 : !strcmp(zb, v->zId) ? 1 : -1;
				if (side >= 0 && nAppt < 16) {
					appt *ap = &aAppt[nAppt++];
					const cJSON *at = cJSON_GetObjectItemCaseSensitive(e, "at");
					if (cJSON_GetArraySize(at) != 2 || jtime(p, e, "start", &ap->t0, true))
						return st__sim_err(p, "encounter %d: needs \"at\" [lat, lon] and \"start\"", iE);
					ap->lat = cJSON_GetArrayItem(at, 0)->valuedouble;
					ap->lon = cJSON_GetArrayItem(at, 1)->valuedouble;
					ap->t1 = ap->t0 + (st_time_ms)(jnum(p, e, "hours", 4, 0, 8760) * HOUR_MS);
					ap->iEnc = iE;
					ap->side = side;
					sim_encounter *en = &p->aEnc[iE];
					if (side == 0)
						en->iA = p->nVessel - 1;
					else
						en->iB = p->nVessel - 1;
					en->lat = ap->lat, en->lon = ap->lon;
				}
				iE++;
			}
			/* appointments in time order */
			for (int i = 1; i < nAppt; i++)
				for (int j = i; j > 0 && aAppt[j].t0 < aAppt[j - 1].t0; j--) {
					appt tmp = aAppt[j];
					aAppt[j] = aAppt[j - 1];
					aAppt[j - 1] = tmp;
				}
			if (plan_pattern(p, &p->aVessel[p->nVessel - 1], &b, aAppt, nAppt))
				return oom(p);
		}
	}
	/* encounters: the true overlap of the two rendezvous stays; one that
	 * did not happen (after the end, or missed) is left out */
	for (int i = 0; i < nEncCfg; i++) {
		sim_encounter e = p->aEnc[i];
		const cJSON *ec = cJSON_GetArrayItem(enc, i);
		const char *za = jstr(ec, "a", ""), *zb = jstr(ec, "b", "");
		if (find_vessel(p, za) < 0 || find_vessel(p, zb) < 0 || !strcmp(za, zb))
			return st__sim_err(p, "encounter %d: \"a\" and \"b\" must name two background vessels", i);
		if (e.iStopA < 0 || e.iStopB < 0)
			continue;
		const sim_stop *sa = &p->aVessel[e.iA].aStop[e.iStopA];
		const sim_stop *sb = &p->aVessel[e.iB].aStop[e.iStopB];
		e.t0 = sa->tArr > sb->tArr ? sa->tArr : sb->tArr;
		e.t1 = sa->tDep < sb->tDep ? sa->tDep : sb->tDep;
		if (e.t1 > e.t0 && e.t0 < p->tEnd)
			p->aEnc[p->nEnc++] = e;
	}
	return 0;
}

/* ---- the shuttle ------------------------------------------------------- */

typedef struct window {
	int iPort;
	st_time_ms t0, t1;
} window;

static int load_windows(sim *p, const cJSON *arr, window *a, int max, const char *zWhere)
{
	int n = 0;
	const cJSON *it;
	cJSON_ArrayForEach(it, arr) {
		if (n == max)
			return st__sim_err(p, "%s: at most %d windows", zWhere, max);
		if ((a[n].iPort = need_port(p, jstr(it, "port", NULL), zWhere)) < 0 ||
		    jtime(p, it, "from", &a[n].t0, true) || jtime(p, it, "to", &a[n].t1, true))
			return -1;
		n++;
	}
	return n;
}

static bool in_window(const window *a, int n, int iPort, st_time_ms t)
{
	for (int i = 0; i < n; i++)
		if (a[i].iPort == iPort && t >= a[i].t0 && t < a[i].t1)
			return true;
	return false;
}

static int plan_shuttle(sim *p)
{
	const cJSON *sh = cJSON_GetObjectItemCaseSensitive(p->pRoot, "shuttle");
	if (!sh)
		return 0;
	int aV[16], nV = 0;
	const cJSON *it;
	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(sh, "vessels")) {
		if (nV == 16)
			return st__sim_err(p, "shuttle: at most 16 vessels");
		if ((aV[nV] = find_vessel(p, it->valuestring)) < 0)
			return st__sim_err(p, "shuttle: unknown vessel \"%s\"", it->valuestring ? it->valuestring : "");
		nV++;
	}
	if (nV == 0)
		return st__sim_err(p, "shuttle: no vessels");
	if ((p->iPortConcern = need_port(p, jstr(sh, "origin", NULL), "shuttle.origin")) < 0)
		return -1;
	int aTo[8], nTo = 0;
	double aW[8], wSum = 0;
	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(sh, "to")) {
		if (nTo == 8)
			return st__sim_err(p, "shuttle.to: at most 8 ports");
		if ((aTo[nTo] = need_port(p, jstr(it, "port", NULL), "shuttle.to")) < 0)
			return -1;
		aW[nTo] = jnum(p, it, "weight", 1, 0, 1e6);
		wSum += aW[nTo++];
	}
	if (nTo == 0 || wSum <= 0)
		return st__sim_err(p, "shuttle.to: no destination ports");
	window aNo[16];
	int nNo = load_windows(p, cJSON_GetObjectItemCaseSensitive(sh, "no_arrivals"), aNo, 16, "shuttle.no_arrivals");
	if (nNo < 0)
		return -1;
	int nDel = (int)jnum(p, sh, "deliveries", 0, 0, 100000);
	st_time_ms tFirst = p->tStart, tLast = p->tEnd;
	if (jtime(p, sh, "first", &tFirst, false) || jtime(p, sh, "last", &tLast, false))
		return -1;
	double darkShare = jnum(p, sh, "dark_share", 0.8, 0, 1), darkKm = jnum(p, sh, "dark_radius_km", 60, 0, 5000);
	double soLo = 18, soHi = 60;
	jrange(p, sh, "stay_origin_h", &soLo, &soHi, 0, 8760);
	double sdLo = jnum(p, sh, "min_stay_dest_h", 24, 0, 8760);
	const char *zFakeDest = jstr(sh, "report_destination", NULL);

	/* each shuttle vessel starts moored at the first destination port */
	for (int i = 0; i < nV; i++) {
		sim_vessel *v = &p->aVessel[aV[i]];
		sim_stop *s = add_stop(p, v);
		if (!s)
			return oom(p);
		berth(p, s, aTo[i % nTo]);
		s->tArr = p->tStart - DAY_MS;
		s->tDep = INT64_MAX;
		if (zFakeDest && !v->zDestOverride[0])
			copy(v->zDestOverride, sizeof v->zDestOverride, zFakeDest);
	}
	p->aDel = calloc((size_t)nDel + 1, sizeof *p->aDel);
	if (!p->aDel)
		return oom(p);
	double spacing = nDel ? (double)(tLast - tFirst) / nDel : 0;
	int nDarkSoFar = 0;
	st_time_ms gapMs = (st_time_ms)(jnum(p, sh, "min_port_gap_h", 0, 0, 8760) * HOUR_MS);
	st_time_ms aLastArr[8];
	for (int k = 0; k < 8; k++)
		aLastArr[k] = INT64_MIN / 2;
	for (int d = 0; d < nDel; d++) {
		/* the arrival in Russia is spread evenly with jitter; its port is
		 * drawn by weight, avoiding the ports closed in a window */
		st_time_ms tArr = tFirst + (st_time_ms)((d + 0.5 + st_rng_range(&p->rng, -0.35, 0.35)) * spacing);
		int kTo = nTo - 1;
		double x = st_rng_uniform(&p->rng) * wSum;
		for (int k = 0; k < nTo; k++)
			if ((x -= aW[k]) < 0) {
				kTo = k;
				break;
			}
		/* the drawn port, or failing that the next one, that is open and
		 * had no delivery in the last min_port_gap_h; if none, the drawn
		 * port once its gap has passed */
		int iTo = -1;
		for (int j = 0; j < nTo && iTo < 0; j++) {
			int k = (kTo + j) % nTo;
			if (!in_window(aNo, nNo, aTo[k], tArr) && tArr - aLastArr[k] >= gapMs)
				iTo = aTo[k], kTo = k;
		}
		if (iTo < 0) {
			iTo = aTo[kTo];
			if (tArr - aLastArr[kTo] < gapMs)
				tArr = aLastArr[kTo] + gapMs;
			if (in_window(aNo, nNo, iTo, tArr))
				continue; /* every destination closed: no delivery then */
		}
		/* the vessel free longest that can make it */
		int best = -1;
		st_time_ms bestFree = INT64_MAX;
		double stayO = st_rng_range(&p->rng, soLo, soHi);
		sim_stop orig, dest;
		memset(&orig, 0, sizeof orig);
		memset(&dest, 0, sizeof dest);
		berth(p, &orig, p->iPortConcern);
		berth(p, &dest, iTo);
		for (int i = 0; i < nV; i++) {
			sim_vessel *v = &p->aVessel[aV[i]];
			sim_stop *cur = &v->aStop[v->nStop - 1];
			st_time_ms tNeed = tArr - travel_ms(p, v, &orig, &dest) - (st_time_ms)(stayO * HOUR_MS) -
			                   travel_ms(p, v, cur, &orig);
			st_time_ms tFree = cur->tArr + (st_time_ms)(sdLo * HOUR_MS);
			if (tFree <= tNeed && tFree < bestFree)
				best = i, bestFree = tFree;
		}
		if (best < 0)
			continue; /* nobody free: the scenario asked for more than four ships can do */
		sim_vessel *v = &p->aVessel[aV[best]];
		sim_stop *cur = &v->aStop[v->nStop - 1];
		st_time_ms tLegB = travel_ms(p, v, &orig, &dest);
		st_time_ms tLegA = travel_ms(p, v, cur, &orig);
		cur->tDep = tArr - tLegB - (st_time_ms)(stayO * HOUR_MS) - tLegA;
		sim_stop *so = add_stop(p, v), *sd;
		if (!so)
			return oom(p);
		*so = orig;
		so->tArr = v->aStop[v->nStop - 2].tDep + tLegA;
		so->tDep = so->tArr + (st_time_ms)(stayO * HOUR_MS);
		so->iDelivery = p->nDel;
		/* exactly round(dark_share * deliveries) are dark, whichever the
		 * seed: each draw takes the share still owed over those left */
		int nLeft = nDel - d, nOwed = (int)lround(darkShare * nDel) - nDarkSoFar;
		bool dark = nOwed > 0 && st_rng_uniform(&p->rng) * nLeft < nOwed;
		nDarkSoFar += dark;
		if (dark) {
			/* off from about dark_radius_km before the port of concern
			 * until as far beyond it */
			st_time_ms tR = (st_time_ms)(darkKm / (v->speedKn * KN_KMH) * HOUR_MS);
			st_time_ms t0 = so->tArr - tR, t1 = so->tDep + tR;
			if (t0 < v->aStop[v->nStop - 2].tDep)
				t0 = v->aStop[v->nStop - 2].tDep;
			if (t1 > tArr)
				t1 = tArr;
			so->dark = true;
			if (add_dark(v, t0, t1, "port of concern"))
				return oom(p);
		}
		if (!(sd = add_stop(p, v)))
			return oom(p);
		*sd = dest;
		sd->tArr = tArr;
		sd->tDep = INT64_MAX;
		sd->iDelivery = p->nDel;
		for (int k = 0; k < nTo; k++)
			if (aTo[k] == iTo)
				aLastArr[k] = tArr;
		sim_delivery *dl = &p->aDel[p->nDel++];
		dl->iVessel = aV[best];
		dl->iStopOrigin = v->nStop - 2;
		dl->iStopArrival = v->nStop - 1;
		dl->dark = dark;
		/* the vessel stays until its next delivery sets the departure,
		 * at least min_stay_dest_h (see tFree above) */
		sd->tDep = INT64_MAX;
	}
	/* close the last stay of each shuttle vessel after the end */
	for (int i = 0; i < nV; i++) {
		sim_vessel *v = &p->aVessel[aV[i]];
		v->aStop[v->nStop - 1].tDep = p->tEnd + DAY_MS;
	}
	return 0;
}

/* ---- shipment records --------------------------------------------------- */

static sim_record *add_record(sim *p)
{
	if (!budget(p))
		return NULL;
	if (p->nRec == p->nRecAlloc) {
		int n = p->nRecAlloc ? p->nRecAlloc * 2 : 256;
		sim_record *a = realloc(p->aRec, (size_t)n * sizeof *a);
		if (!a)
			return NULL;
		p->aRec = a;
		p->nRecAlloc = n;
	}
	sim_record *r = &p->aRec[p->nRec++];
	memset(r, 0, sizeof *r);
	r->iDelivery = -1;
	r->iConsignor = r->iConsignee = -1;
	return r;
}

static int pick_cargo(sim *p, const sim_cargo *a, int n)
{
	double sum = 0;
	for (int i = 0; i < n; i++)
		sum += a[i].weight;
	double x = st_rng_uniform(&p->rng) * sum;
	for (int i = 0; i < n; i++)
		if ((x -= a[i].weight) < 0)
			return i;
	return n - 1;
}

static int cmp_record(const void *a, const void *b)
{
	const sim_record *x = a, *y = b;
	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return (x->iDest > y->iDest) - (x->iDest < y->iDest);
}

/* A time no shuttle arrival at iPort explains: none in the window days
 * before it. */
static bool unexplained_at(const sim *p, int iPort, st_time_ms t)
{
	for (int d = 0; d < p->nDel; d++) {
		const sim_delivery *dl = &p->aDel[d];
		const sim_stop *s = &p->aVessel[dl->iVessel].aStop[dl->iStopArrival];
		if (s->iPort == iPort && t >= s->tArr && t - s->tArr <= (st_time_ms)((p->windowDays + 1) * DAY_MS))
			return false;
	}
	return true;
}

static int plan_records(sim *p)
{
	const cJSON *ex = cJSON_GetObjectItemCaseSensitive(p->pRoot, "explosives");
	int aSite[64], nSite = 0;
	for (int i = 0; i < p->nPort; i++)
		if (!strcmp(p->aPort[i].zKind, "site")) {
			if (nSite == 64)
				return st__sim_err(p, "at most 64 sites");
			aSite[nSite++] = i;
		}
	if (ex && p->nExplo && nSite == 0)
		return st__sim_err(p, "explosives: no \"sites\" to send them to");
	if (ex && p->nExplo && nSite > 0) {
		window aNo[16];
		int nNo = load_windows(p, cJSON_GetObjectItemCaseSensitive(ex, "no_departures"), aNo, 16,
		                       "explosives.no_departures");
		if (nNo < 0)
			return -1;
		double totalT = jnum(p, ex, "total_t", 0, 0, 1e9), unexT = jnum(p, ex, "unexplained_t", 0, 0, 1e9);
		int nUnex = (int)jnum(p, ex, "unexplained", 0, 0, 100000);
		double lagLo = 6, lagHi = 160, rpdLo = 4, rpdHi = 10;
		jrange(p, ex, "lag_h", &lagLo, &lagHi, 0, 8760);
		jrange(p, ex, "records_per_delivery", &rpdLo, &rpdHi, 1, 64);
		double wagonT = jnum(p, ex, "wagon_t", 60, 1, 1000);
		double lagShape = jnum(p, ex, "lag_shape", 1, 0.1, 10);
		if (totalT <= unexT || (p->nDel == 0 && nUnex == 0))
			return st__sim_err(p, "explosives: total_t must exceed unexplained_t, and there must be deliveries");
		int iFirst = p->nRec;
		/* tonnage per delivery varies by +-40 %, normalised to the total */
		double *aShare = calloc((size_t)p->nDel + 1, sizeof *aShare), sum = 0;
		if (!aShare)
			return oom(p);
		for (int d = 0; d < p->nDel; d++)
			sum += (aShare[d] = st_rng_range(&p->rng, 0.6, 1.4));
		for (int d = 0; d < p->nDel; d++) {
			const sim_delivery *dl = &p->aDel[d];
			const sim_stop *s = &p->aVessel[dl->iVessel].aStop[dl->iStopArrival];
			int n = (int)lround(st_rng_range(&p->rng, rpdLo, rpdHi + 0.999) - 0.5);
			if (n < 1)
				n = 1;
			double tDel = (totalT - unexT) * aShare[d] / sum;
			double wSum = 0, aw[64];
			if (n > 64)
				n = 64;
			for (int k = 0; k < n; k++)
				wSum += (aw[k] = st_rng_range(&p->rng, 0.5, 1.5));
			for (int k = 0; k < n; k++) {
				sim_record *r = add_record(p);
				if (!r) {
					free(aShare);
					return oom(p);
				}
				r->explosive = true;
				r->iDelivery = d;
				r->iOrigin = s->iPort;
				r->iCargo = pick_cargo(p, p->aExplo, p->nExplo);
				r->kg = (int64_t)llround(tDel * aw[k] / wSum * 1000);
				/* lag_shape > 1 skews the lags towards lag_h's low
				 * end: most cargo leaves soon after unloading */
				double u = pow(st_rng_uniform(&p->rng), lagShape);
				st_time_ms t = s->tArr + (st_time_ms)((lagLo + u * (lagHi - lagLo)) * HOUR_MS);
				/* a port closed to these departures: the cargo leaves
				 * before the window opens, never later */
				for (int w = 0; w < nNo; w++)
					if (aNo[w].iPort == s->iPort && t >= aNo[w].t0 && t < aNo[w].t1) {
						st_time_ms tMax = aNo[w].t0 - 30 * 60000;
						t = tMax > s->tArr + HOUR_MS ? s->tArr + (st_time_ms)(st_rng_uniform(&p->rng) * (double)(tMax - s->tArr - HOUR_MS)) + HOUR_MS : s->tArr + 30 * 60000;
					}
				r->t = t;
			}
		}
		free(aShare);
		/* explosives no arrival explains, at times and ports chosen so */
		int aOrigin[8], nOrigin = 0;
		for (int d = 0; d < p->nDel && nOrigin < 8; d++) {
			int ip = p->aVessel[p->aDel[d].iVessel].aStop[p->aDel[d].iStopArrival].iPort, seen = 0;
			for (int k = 0; k < nOrigin; k++)
				seen |= aOrigin[k] == ip;
			if (!seen)
				aOrigin[nOrigin++] = ip;
		}
		for (int u = 0; u < nUnex && nOrigin; u++) {
			int ip = -1;
			st_time_ms t = 0;
			for (int tries = 0; tries < 1000; tries++) {
				ip = aOrigin[st_rng_below(&p->rng, (uint64_t)nOrigin)];
				t = p->tStart + (st_time_ms)(st_rng_uniform(&p->rng) * (double)(p->tEnd - p->tStart));
				if (unexplained_at(p, ip, t) && !in_window(aNo, nNo, ip, t))
					break;
				ip = -1;
			}
			if (ip < 0)
				return st__sim_err(p, "explosives: no time found for an unexplained record");
			sim_record *r = add_record(p);
			if (!r)
				return oom(p);
			r->explosive = true;
			r->iOrigin = ip;
			r->iCargo = pick_cargo(p, p->aExplo, p->nExplo);
			r->kg = (int64_t)llround(unexT * 1000 / nUnex);
			r->t = t;
		}
		/* the total is exact: rounding goes to the last record */
		int64_t kgSum = 0, kgWant = (int64_t)llround(totalT * 1000);
		for (int i = iFirst; i < p->nRec; i++)
			kgSum += p->aRec[i].kg;
		if (p->nRec > iFirst)
			p->aRec[p->nRec - 1].kg += kgWant - kgSum;
		/* destinations: sites with a minimum first, the rest by weight */
		int nEx = p->nRec - iFirst;
		int *aOrder = calloc((size_t)nEx + 1, sizeof *aOrder);
		if (!aOrder)
			return oom(p);
		for (int i = 0; i < nEx; i++)
			aOrder[i] = iFirst + i;
		for (int i = nEx - 1; i > 0; i--) {
			int j = (int)st_rng_below(&p->rng, (uint64_t)i + 1), tmp = aOrder[i];
			aOrder[i] = aOrder[j];
			aOrder[j] = tmp;
		}
		int at = 0;
		for (int s = 0; s < nSite; s++) {
			int need = p->aPort[aSite[s]].minRecords > 0 ? p->aPort[aSite[s]].minRecords : 1;
			for (int k = 0; k < need && at < nEx; k++)
				p->aRec[aOrder[at++]].iDest = aSite[s];
		}
		double wTot = 0;
		for (int s = 0; s < nSite; s++)
			wTot += p->aPort[aSite[s]].weight;
		for (; at < nEx; at++) {
			double x = st_rng_uniform(&p->rng) * wTot;
			int pick = aSite[nSite - 1];
			for (int s = 0; s < nSite; s++)
				if ((x -= p->aPort[aSite[s]].weight) < 0) {
					pick = aSite[s];
					break;
				}
			p->aRec[aOrder[at]].iDest = pick;
		}
		free(aOrder);
		for (int i = iFirst; i < p->nRec; i++) {
			sim_record *r = &p->aRec[i];
			r->nWagon = (int)((r->kg + (int64_t)(wagonT * 1000) - 1) / (int64_t)(wagonT * 1000));
			r->iConsignor = p->nConsignor ? (int)st_rng_below(&p->rng, (uint64_t)p->nConsignor) : -1;
			r->iConsignee = p->nConsignee ? (int)(r->iDest % p->nConsignee) : -1;
		}
	}

	/* other cargo from the same ports, at any time */
	const cJSON *oc = cJSON_GetObjectItemCaseSensitive(p->pRoot, "other_cargo");
	if (oc && p->nOther) {
		int n = (int)jnum(p, oc, "records", 0, 0, 10000000);
		int aO[8], nO = 0, aD[64], nD = 0;
		double aOW[8], oSum = 0;
		const cJSON *it;
		cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(oc, "origins")) {
			if (nO == 8)
				return st__sim_err(p, "other_cargo.origins: at most 8");
			if ((aO[nO] = need_port(p, jstr(it, "port", NULL), "other_cargo.origins")) < 0)
				return -1;
			oSum += (aOW[nO++] = jnum(p, it, "weight", 1, 0, 1e6));
		}
		cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(oc, "destinations")) {
			if (nD == 64)
				return st__sim_err(p, "other_cargo.destinations: at most 64");
			if ((aD[nD++] = need_port(p, it->valuestring, "other_cargo.destinations")) < 0)
				return -1;
		}
		if (n > 0 && (nO == 0 || nD == 0))
			return st__sim_err(p, "other_cargo: needs origins and destinations");
		double wagonT = jnum(p, oc, "wagon_t", 60, 1, 1000);
		for (int i = 0; i < n; i++) {
			sim_record *r = add_record(p);
			if (!r)
				return oom(p);
			double x = st_rng_uniform(&p->rng) * oSum;
			r->iOrigin = aO[nO - 1];
			for (int k = 0; k < nO; k++)
				if ((x -= aOW[k]) < 0) {
					r->iOrigin = aO[k];
					break;
				}
			r->iDest = aD[st_rng_below(&p->rng, (uint64_t)nD)];
			r->iCargo = pick_cargo(p, p->aOther, p->nOther);
			const sim_cargo *c = &p->aOther[r->iCargo];
			r->kg = (int64_t)llround(st_rng_range(&p->rng, c->tLo, c->tHi) * 1000);
			r->t = p->tStart + (st_time_ms)(st_rng_uniform(&p->rng) * (double)(p->tEnd - p->tStart));
			r->nWagon = (int)((r->kg + (int64_t)(wagonT * 1000) - 1) / (int64_t)(wagonT * 1000));
			r->iConsignee = p->nOtherConsignee ? (int)st_rng_below(&p->rng, (uint64_t)p->nOtherConsignee) : -1;
		}
	}
	if (p->nRec > 1)
		qsort(p->aRec, (size_t)p->nRec, sizeof *p->aRec, cmp_record);
	/* waybill-like numbers in date order, from a seeded base */
	unsigned base = 100000 + (unsigned)st_rng_below(&p->rng, 700000);
	for (int i = 0; i < p->nRec; i++)
		snprintf(p->aRec[i].zId, sizeof p->aRec[i].zId, "%s%06u", p->zIdPrefix, base + (unsigned)i);
	return 0;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

int st__sim_plan(sim *p)
{
	if (plan_shuttle(p) || plan_background(p) || plan_records(p) || p->bad)
		return -1;
	/* one MMSI, one vessel: copies made by --scale must not run into the
	 * next entry's mmsi_base */
	uint32_t *aM = malloc(((size_t)p->nVessel + 1) * sizeof *aM);
	if (!aM)
		return oom(p);
	for (int i = 0; i < p->nVessel; i++)
		aM[i] = p->aVessel[i].mmsi;
	qsort(aM, (size_t)p->nVessel, sizeof *aM, cmp_u32);
	for (int i = 1; i < p->nVessel; i++)
		if (aM[i] == aM[i - 1]) {
			uint32_t dup = aM[i];
			free(aM);
			return st__sim_err(p, "MMSI %u given to two vessels (space the mmsi_base values further apart for this --scale)", dup);
		}
	free(aM);
	/* named vessels not in the shuttle stay moored where they are told */
	for (int i = 0; i < p->nVessel; i++) {
		sim_vessel *v = &p->aVessel[i];
		if (v->nStop == 0)
			return st__sim_err(p, "vessel \"%s\" has no itinerary (not in the shuttle)", v->zId);
		st_rng_seed(&v->rng, p->seed ^ ((uint64_t)v->mmsi * 0x9e3779b97f4a7c15ull));
	}
	return 0;
}

void st__sim_free(sim *p)
{
	for (int i = 0; i < p->nVessel; i++) {
		free(p->aVessel[i].aStop);
		free(p->aVessel[i].aDark);
	}
	for (int i = 0; i < p->nRx; i++)
		free(p->aRx[i].aOut);
	free(p->aVessel);
	free(p->aPort);
	free(p->aLane);
	free(p->aFac);
	free(p->aRx);
	free(p->aDel);
	free(p->aEnc);
	free(p->aExplo);
	free(p->aOther);
	free(p->aRec);
	free(p->azConsignor);
	free(p->azConsignee);
	free(p->azOtherConsignee);
	cJSON_Delete(p->pRoot);
}

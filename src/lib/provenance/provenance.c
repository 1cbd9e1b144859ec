/* The provenance engine: which vessel arrivals qualify, which arrival each
 * outbound record is attributed to, how the months add up, and whether the
 * timing could be chance. Arrivals are indexed per origin port and sorted
 * by time once; every question is then a binary search or a linear sweep,
 * so a million records against a hundred thousand arrivals, permutation
 * test included, stays within a couple of seconds on one core. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "shiptrace/provenance.h"
#include "shiptrace/time.h"

#define MS_PER_DAY 86400000.0
#define MS_PER_HOUR 3600000LL

const char *st_confidence_name(st_confidence c)
{
	switch (c) {
	case ST_CONF_HIGH:
		return "high";
	case ST_CONF_MEDIUM:
		return "medium";
	case ST_CONF_LOW:
		return "low";
	case ST_CONF_NONE:
		break;
	}
	return "none";
}

void st_prov_params_default(st_prov_params *p)
{
	static const char *azCase[] = {"JP", "KR", "TW", "CN"};
	memset(p, 0, sizeof *p);
	p->window_days = 7.0;
	p->require_cargo_capable = true;
	p->require_poc = true;
	for (int i = 0; i < 4; i++)
		memcpy(p->aExclude[i], azCase[i], 3);
	p->nExclude = 4;
	p->permutations = 1000;
	p->seed = 20231201;
	/* 74,000 t is "about 1.6 million" shells in the case: 46.25 kg per
	 * round with its share of packaging. */
	p->shell_kg = 74000.0 * 1000.0 / 1600000.0;
	/* 74,000 t over "more than 11,000 containers": about 6.7 t each. */
	p->container_t = 74000.0 / 11000.0;
	snprintf(p->zOriginPorts, sizeof p->zOriginPorts, "Vostochny,Dunai");
	/* Russian and English, matched on normalised (transliterated) text, so
	 * "Взрывчатые вещества", "ВЗРЫВЧАТЫЕ" and "explosives" all match;
	 * "boepripas" is the transliteration of "боеприпасы" (ammunition). */
	snprintf(p->zCargoMatch, sizeof p->zCargoMatch,
	         "взрывчат|explosiv|боеприпас|ammunition|munition");
	snprintf(p->zCargoLabel, sizeof p->zCargoLabel, "explosives");
	p->facility_radius_km = 25.0;
}

static int parse_bool(const char *z, bool *out)
{
	if (!strcmp(z, "1") || !strcmp(z, "true") || !strcmp(z, "yes") || !strcmp(z, "on"))
		*out = true;
	else if (!strcmp(z, "0") || !strcmp(z, "false") || !strcmp(z, "no") || !strcmp(z, "off"))
		*out = false;
	else
		return 0;
	return 1;
}

static int parse_double(const char *z, double *out)
{
	char *end;
	double v = strtod(z, &end);
	if (end == z || *end || !isfinite(v))
		return 0;
	*out = v;
	return 1;
}

st_status st_prov_params_set(st_prov_params *p, const char *zKey,
                             const char *zVal, char *zErr, size_t nErr)
{
	double v;
	bool b;
	if (!strcmp(zKey, "window_days")) {
		if (!parse_double(zVal, &v) || v < 0 || v > 365)
			goto bad;
		p->window_days = v;
	} else if (!strcmp(zKey, "require_cargo_capable")) {
		if (!parse_bool(zVal, &b))
			goto bad;
		p->require_cargo_capable = b;
	} else if (!strcmp(zKey, "require_port_of_concern")) {
		if (!parse_bool(zVal, &b))
			goto bad;
		p->require_poc = b;
	} else if (!strcmp(zKey, "exclude_last_port_countries")) {
		int n = 0;
		const char *z = zVal;
		while (*z) {
			while (*z == ',' || *z == ' ')
				z++;
			if (!*z)
				break;
			if (n == ST_PROV_MAX_COUNTRIES || !z[1] || (z[2] && z[2] != ',' && z[2] != ' '))
				goto bad;
			p->aExclude[n][0] = (char)(z[0] & ~0x20);
			p->aExclude[n][1] = (char)(z[1] & ~0x20);
			p->aExclude[n][2] = 0;
			n++;
			z += 2;
		}
		p->nExclude = n;
	} else if (!strcmp(zKey, "permutations")) {
		if (!parse_double(zVal, &v) || v < 0 || v > 1e7 || v != floor(v))
			goto bad;
		p->permutations = (int)v;
	} else if (!strcmp(zKey, "seed")) {
		if (!parse_double(zVal, &v) || v < 0)
			goto bad;
		p->seed = (uint64_t)v;
	} else if (!strcmp(zKey, "shell_kg")) {
		if (!parse_double(zVal, &v) || v <= 0)
			goto bad;
		p->shell_kg = v;
	} else if (!strcmp(zKey, "container_t")) {
		if (!parse_double(zVal, &v) || v <= 0)
			goto bad;
		p->container_t = v;
	} else if (!strcmp(zKey, "origin_ports")) {
		if (!*zVal || strlen(zVal) >= sizeof p->zOriginPorts)
			goto bad;
		snprintf(p->zOriginPorts, sizeof p->zOriginPorts, "%s", zVal);
	} else if (!strcmp(zKey, "cargo_match")) {
		if (!*zVal || strlen(zVal) >= sizeof p->zCargoMatch)
			goto bad;
		snprintf(p->zCargoMatch, sizeof p->zCargoMatch, "%s", zVal);
	} else if (!strcmp(zKey, "cargo_label")) {
		if (!*zVal || strlen(zVal) >= sizeof p->zCargoLabel)
			goto bad;
		snprintf(p->zCargoLabel, sizeof p->zCargoLabel, "%s", zVal);
	} else if (!strcmp(zKey, "facility_radius_km")) {
		if (!parse_double(zVal, &v) || v < 0 || v > 1000)
			goto bad;
		p->facility_radius_km = v;
	} else {
		snprintf(zErr, nErr, "unknown provenance parameter '%s'", zKey);
		return ST_ECONFIG;
	}
	return ST_OK;
bad:
	snprintf(zErr, nErr, "bad value '%s' for provenance parameter '%s'", zVal, zKey);
	return ST_ECONFIG;
}

bool st_prov_cargo_capable(int ship_type)
{
	/* Unknown is kept: shuttles that run dark often send no static data,
	 * and dropping them would drop the case. */
	if (ship_type <= 0)
		return true;
	return ship_type >= 70 && ship_type <= 79;
}

const char *st_prov_disqualify(const st_prov_arrival *a, const st_prov_params *p)
{
	if (p->require_cargo_capable && !st_prov_cargo_capable(a->ship_type))
		return "ship type cannot carry the cargo";
	for (int i = 0; i < p->nExclude; i++)
		if (a->last_country[0] && !strcmp(a->last_country, p->aExclude[i]))
			return "previous port of call in an excluded country";
	if (p->require_poc && a->poc_call_id < 0 && a->poc_gap_id < 0)
		return "no port-of-concern call on the voyage, seen or possible";
	return NULL;
}

st_confidence st_prov_confidence(const st_prov_arrival *a)
{
	if (a->poc_call_id >= 0)
		return ST_CONF_HIGH;
	if (a->poc_gap_id >= 0)
		return ST_CONF_MEDIUM;
	return ST_CONF_LOW;
}

/* Qualifying arrivals of every port, sorted by (port, time, confidence,
 * MMSI descending): for records the last one at or before a time is then
 * the preferred one. aStart[port] .. aStart[port+1] is a port's range. */
typedef struct arr_index {
	size_t *aIdx;
	st_time_ms *aT;  /* times in index order: searches stay in one array */
	size_t nIdx;
	size_t *aStart; /* nPort + 1 */
	int nPort;
	const st_prov_arrival *aArr;
} arr_index;

/* Sort key of a qualifying arrival; sorting keys rather than indexes
 * keeps qsort free of any shared state. */
typedef struct arr_key {
	int port;
	int conf;
	st_time_ms t;
	uint32_t mmsi;
	size_t idx;
} arr_key;

static int cmp_arrival(const void *pa, const void *pb)
{
	const arr_key *a = pa, *b = pb;
	if (a->port != b->port)
		return a->port < b->port ? -1 : 1;
	if (a->t != b->t)
		return a->t < b->t ? -1 : 1;
	if (a->conf != b->conf)
		return a->conf < b->conf ? -1 : 1;
	if (a->mmsi != b->mmsi)
		return a->mmsi > b->mmsi ? -1 : 1;
	return a->idx > b->idx ? -1 : (a->idx < b->idx);
}

static int max_port(const st_prov_arrival *aArr, size_t nArr,
                    const st_prov_record *aRec, size_t nRec)
{
	int m = -1;
	for (size_t i = 0; i < nArr; i++)
		if (aArr[i].port > m)
			m = aArr[i].port;
	for (size_t i = 0; i < nRec; i++)
		if (aRec[i].port > m)
			m = aRec[i].port;
	return m + 1;
}

static st_status index_build(arr_index *x, const st_prov_arrival *aArr,
                             size_t nArr, int nPort, const st_prov_params *p)
{
	memset(x, 0, sizeof *x);
	x->aArr = aArr;
	x->nPort = nPort;
	x->aIdx = malloc((nArr ? nArr : 1) * sizeof *x->aIdx);
	x->aT = malloc((nArr ? nArr : 1) * sizeof *x->aT);
	x->aStart = calloc((size_t)nPort + 1, sizeof *x->aStart);
	if (!x->aIdx || !x->aT || !x->aStart) {
		free(x->aIdx);
		free(x->aT);
		free(x->aStart);
		return ST_ENOMEM;
	}
	arr_key *aKey = malloc((nArr ? nArr : 1) * sizeof *aKey);
	if (!aKey) {
		free(x->aIdx);
		free(x->aT);
		free(x->aStart);
		return ST_ENOMEM;
	}
	for (size_t i = 0; i < nArr; i++) {
		const st_prov_arrival *a = &aArr[i];
		if (a->port < 0 || a->port >= nPort || a->t == ST_TIME_NONE ||
		    st_prov_disqualify(a, p))
			continue;
		arr_key *k = &aKey[x->nIdx++];
		k->port = a->port;
		k->conf = (int)st_prov_confidence(a);
		k->t = a->t;
		k->mmsi = a->mmsi;
		k->idx = i;
	}
	qsort(aKey, x->nIdx, sizeof *aKey, cmp_arrival);
	for (size_t i = 0; i < x->nIdx; i++) {
		x->aIdx[i] = aKey[i].idx;
		x->aT[i] = aKey[i].t;
	}
	free(aKey);
	size_t k = 0;
	for (int port = 0; port <= nPort; port++) {
		while (k < x->nIdx && aArr[x->aIdx[k]].port < port)
			k++;
		x->aStart[port] = k;
	}
	return ST_OK;
}

static void index_free(arr_index *x)
{
	free(x->aIdx);
	free(x->aT);
	free(x->aStart);
}

/* Position in the port's range of the last arrival at or before t, or
 * (size_t)-1 when none. */
static size_t index_last_before(const arr_index *x, int port, st_time_ms t)
{
	size_t lo = x->aStart[port], hi = x->aStart[port + 1];
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (x->aT[mid] <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo == x->aStart[port] ? (size_t)-1 : lo - 1;
}

st_status st_prov_attribute(const st_prov_arrival *aArr, size_t nArr,
                            const st_prov_record *aRec, size_t nRec,
                            const st_prov_params *p, st_prov_attr *aOut,
                            size_t *pnOut)
{
	*pnOut = 0;
	int nPort = max_port(aArr, nArr, aRec, nRec);
	if (nPort <= 0)
		return ST_OK;
	arr_index x;
	st_status rc = index_build(&x, aArr, nArr, nPort, p);
	if (rc)
		return rc;
	const double wMs = p->window_days * MS_PER_DAY;
	for (size_t i = 0; i < nRec; i++) {
		const st_prov_record *r = &aRec[i];
		if (!r->selected || r->port < 0 || r->t == ST_TIME_NONE)
			continue;
		size_t k = index_last_before(&x, r->port, r->t);
		if (k == (size_t)-1)
			continue;
		double lag = (double)(r->t - x.aT[k]);
		if (lag > wMs)
			continue;
		const st_prov_arrival *a = &aArr[x.aIdx[k]];
		/* candidates: arrivals in [t - window, t]; the first one by a
		 * second binary search, not a walk back through a busy port */
		size_t j0 = index_last_before(&x, r->port, r->t - (st_time_ms)ceil(wMs) - 1);
		size_t first = j0 == (size_t)-1 ? x.aStart[r->port] : j0 + 1;
		while (first <= k && (double)(r->t - x.aT[first]) > wMs)
			first++;
		int nCand = (int)(k + 1 - first);
		st_prov_attr *o = &aOut[(*pnOut)++];
		o->iRecord = i;
		o->iArrival = x.aIdx[k];
		o->lag_days = lag / MS_PER_DAY;
		o->conf = st_prov_confidence(a);
		o->nCandidate = nCand;
	}
	index_free(&x);
	return ST_OK;
}

void st_prov_lag_histogram(const st_prov_arrival *aArr, size_t nArr,
                           const st_prov_record *aRec, size_t nRec,
                           const st_prov_params *p, int *aBin, int nBin,
                           int *pnBeyond)
{
	memset(aBin, 0, (size_t)nBin * sizeof *aBin);
	*pnBeyond = 0;
	int nPort = max_port(aArr, nArr, aRec, nRec);
	arr_index x;
	if (nPort <= 0 || index_build(&x, aArr, nArr, nPort, p) != ST_OK)
		return;
	for (size_t i = 0; i < nRec; i++) {
		const st_prov_record *r = &aRec[i];
		if (!r->selected || r->port < 0 || r->t == ST_TIME_NONE)
			continue;
		size_t k = index_last_before(&x, r->port, r->t);
		if (k == (size_t)-1) {
			(*pnBeyond)++;
			continue;
		}
		double lag = (double)(r->t - x.aT[k]) / MS_PER_DAY;
		int b = (int)floor(lag);
		if (b < nBin)
			aBin[b]++;
		else
			(*pnBeyond)++;
	}
	index_free(&x);
}

/* splitmix64: small, fast, and good enough to draw shifts. */
static uint64_t next_rand(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Tonnage whose hour bin is covered by some arrival of one port shifted
 * by s bins; an arrival at bin b covers [b, b + w] circularly on nBin
 * bins. aBin is sorted, aCum[h] is the tonnage of bins before h, so the
 * union of the shifted intervals is summed in one pass over the arrivals
 * (a rotation of the sorted order), never over the bins. */
static double explained(const int64_t *aBin, size_t nA, const double *aCum,
                        int64_t nBin, int64_t w, int64_t s)
{
	if (nA == 0)
		return 0;
	if (w + 1 >= nBin)
		return aCum[nBin];
	/* the first arrival that wraps past the end once shifted */
	size_t lo = 0, hi = nA;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (aBin[mid] + s >= nBin)
			hi = mid;
		else
			lo = mid + 1;
	}
	size_t k = lo;
	/* the largest shifted start is the last before the wrap point */
	int64_t vMax = k > 0 ? aBin[k - 1] + s : aBin[nA - 1] + s - nBin;
	int64_t curEnd = vMax + w + 1 - nBin; /* coverage spilled to the front */
	double t = 0;
	if (curEnd > 0)
		t += aCum[curEnd];
	else
		curEnd = 0;
	/* the wrapped arrivals first, then the rest */
	for (int pass = 0; pass < 2; pass++) {
		size_t i0 = pass ? 0 : k, i1 = pass ? k : nA;
		int64_t off = pass ? s : s - nBin;
		for (size_t i = i0; i < i1; i++) {
			int64_t v = aBin[i] + off;
			int64_t b = v > curEnd ? v : curEnd;
			int64_t e = v + w + 1 < nBin ? v + w + 1 : nBin;
			if (e > b) {
				t += aCum[e] - aCum[b];
				curEnd = e;
			}
		}
	}
	return t;
}

st_status st_prov_permutation(const st_prov_arrival *aArr, size_t nArr,
                              const st_prov_record *aRec, size_t nRec,
                              const st_prov_params *p, st_prov_perm *out)
{
	memset(out, 0, sizeof *out);
	out->p_value = 1.0;
	int nPort = max_port(aArr, nArr, aRec, nRec);
	if (nPort <= 0)
		return ST_OK;
	arr_index x;
	st_status rc = index_build(&x, aArr, nArr, nPort, p);
	if (rc)
		return rc;

	/* The study span: every qualifying arrival and selected record. */
	st_time_ms t0 = INT64_MAX, t1 = INT64_MIN;
	for (size_t k = 0; k < x.nIdx; k++) {
		st_time_ms t = aArr[x.aIdx[k]].t;
		t0 = t < t0 ? t : t0;
		t1 = t > t1 ? t : t1;
	}
	for (size_t i = 0; i < nRec; i++) {
		if (!aRec[i].selected || aRec[i].port < 0 || aRec[i].t == ST_TIME_NONE)
			continue;
		t0 = aRec[i].t < t0 ? aRec[i].t : t0;
		t1 = aRec[i].t > t1 ? aRec[i].t : t1;
	}
	if (t0 > t1) {
		index_free(&x);
		return ST_OK;
	}
	int64_t nBin = (t1 - t0) / MS_PER_HOUR + 1;
	int64_t w = (int64_t)ceil(p->window_days * 24.0);
	size_t nCum = (size_t)nBin + 1;
	double *aCum = calloc((size_t)nPort * nCum, sizeof *aCum);
	int64_t *aArrBin = malloc((x.nIdx ? x.nIdx : 1) * sizeof *aArrBin);
	if (!aCum || !aArrBin) {
		free(aCum);
		free(aArrBin);
		index_free(&x);
		return ST_ENOMEM;
	}
	for (size_t i = 0; i < nRec; i++) {
		const st_prov_record *r = &aRec[i];
		if (!r->selected || r->port < 0 || r->t == ST_TIME_NONE)
			continue;
		aCum[(size_t)r->port * nCum + 1 + (size_t)((r->t - t0) / MS_PER_HOUR)] += r->tonnes;
	}
	for (int port = 0; port < nPort; port++) {
		double *c = aCum + (size_t)port * nCum;
		for (size_t h = 1; h < nCum; h++)
			c[h] += c[h - 1];
	}
	for (size_t k = 0; k < x.nIdx; k++)
		aArrBin[k] = (x.aT[k] - t0) / MS_PER_HOUR;

	double real = 0;
	for (int port = 0; port < nPort; port++) {
		size_t a0 = x.aStart[port], a1 = x.aStart[port + 1];
		real += explained(aArrBin + a0, a1 - a0, aCum + (size_t)port * nCum, nBin, w, 0);
	}
	out->real_tonnes = real;

	/* Shifts of less than a window would leave most arrivals explaining
	 * the same records, so draw from [w + 1, nBin - w - 1]. */
	int64_t lo = w + 1, hi = nBin - w - 1;
	uint64_t seed = p->seed;
	double sum = 0;
	if (hi >= lo) {
		for (int i = 0; i < p->permutations; i++) {
			int64_t s = lo + (int64_t)(next_rand(&seed) % (uint64_t)(hi - lo + 1));
			double e = 0;
			for (int port = 0; port < nPort; port++) {
				size_t a0 = x.aStart[port], a1 = x.aStart[port + 1];
				e += explained(aArrBin + a0, a1 - a0, aCum + (size_t)port * nCum, nBin, w, s);
			}
			sum += e;
			out->nShift++;
			/* a relative tolerance so float summation order cannot make
			 * an equal shift look smaller */
			if (e >= real * (1 - 1e-12))
				out->nAtLeast++;
		}
	}
	out->mean_tonnes = out->nShift ? sum / out->nShift : 0;
	out->p_value = (1.0 + out->nAtLeast) / (1.0 + out->nShift);
	free(aCum);
	free(aArrBin);
	index_free(&x);
	return ST_OK;
}

static int month_index(st_time_ms t)
{
	int y, mo, d, h, mi, s;
	st_time_to_civil(t, &y, &mo, &d, &h, &mi, &s, NULL);
	return y * 12 + (mo - 1);
}

st_status st_prov_monthly(const st_prov_arrival *aArr, size_t nArr,
                          const st_prov_record *aRec, size_t nRec,
                          const st_prov_attr *aAttr, size_t nAttr,
                          int nPort, const st_prov_params *p,
                          st_prov_month **paOut, size_t *pnOut)
{
	*paOut = NULL;
	*pnOut = 0;
	int m0 = INT32_MAX, m1 = INT32_MIN;
	for (size_t i = 0; i < nArr; i++) {
		if (aArr[i].port < 0 || aArr[i].port >= nPort || aArr[i].t == ST_TIME_NONE)
			continue;
		int m = month_index(aArr[i].t);
		m0 = m < m0 ? m : m0;
		m1 = m > m1 ? m : m1;
	}
	for (size_t i = 0; i < nRec; i++) {
		if (aRec[i].port < 0 || aRec[i].port >= nPort || aRec[i].t == ST_TIME_NONE)
			continue;
		int m = month_index(aRec[i].t);
		m0 = m < m0 ? m : m0;
		m1 = m > m1 ? m : m1;
	}
	if (nPort <= 0 || m0 > m1)
		return ST_OK;
	size_t nMonth = (size_t)(m1 - m0 + 1);
	st_prov_month *a = calloc(nMonth * (size_t)nPort, sizeof *a);
	unsigned char *aDone = calloc(nRec ? nRec : 1, 1);
	if (!a || !aDone) {
		free(a);
		free(aDone);
		return ST_ENOMEM;
	}
	for (int port = 0; port < nPort; port++)
		for (size_t k = 0; k < nMonth; k++) {
			st_prov_month *row = &a[(size_t)port * nMonth + k];
			row->year = (m0 + (int)k) / 12;
			row->month = (m0 + (int)k) % 12 + 1;
			row->port = port;
		}
#define ROW(port, t) (&a[(size_t)(port) * nMonth + (size_t)(month_index(t) - m0)])
	for (size_t i = 0; i < nArr; i++)
		if (aArr[i].port >= 0 && aArr[i].port < nPort && aArr[i].t != ST_TIME_NONE &&
		    !st_prov_disqualify(&aArr[i], p))
			ROW(aArr[i].port, aArr[i].t)->nArrival++;
	for (size_t k = 0; k < nAttr; k++) {
		const st_prov_record *r = &aRec[aAttr[k].iRecord];
		aDone[aAttr[k].iRecord] = 1;
		ROW(r->port, r->t)->tonnes_attributed += r->tonnes;
	}
	for (size_t i = 0; i < nRec; i++) {
		const st_prov_record *r = &aRec[i];
		if (!r->selected || r->port < 0 || r->port >= nPort || r->t == ST_TIME_NONE)
			continue;
		ROW(r->port, r->t)->nRecord++;
		if (!aDone[i])
			ROW(r->port, r->t)->tonnes_unattributed += r->tonnes;
	}
#undef ROW
	free(aDone);
	*paOut = a;
	*pnOut = nMonth * (size_t)nPort;
	return ST_OK;
}

double st_prov_shells(const st_prov_params *p, double tonnes)
{
	return tonnes * 1000.0 / p->shell_kg;
}

double st_prov_containers(const st_prov_params *p, double tonnes)
{
	return tonnes / p->container_t;
}

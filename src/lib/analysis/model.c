/* The position model: a column store of positions sorted by (mmsi, time),
 * 28 bytes a position. Readers and the store deliver positions in
 * (mmsi, time) order, so appending is the common path and sorting only
 * happens for input that arrives out of order. Vessels are runs of
 * consecutive positions, which saves a per-position MMSI column. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "shiptrace/analysis.h"

#define EARTH_KM 6371.0088

double st_haversine_km(double lat1, double lon1, double lat2, double lon2)
{
	const double d = M_PI / 180.0;
	double sLat = sin((lat2 - lat1) * d * 0.5);
	double sLon = sin((lon2 - lon1) * d * 0.5);
	double h = sLat * sLat + cos(lat1 * d) * cos(lat2 * d) * sLon * sLon;
	if (h > 1.0)
		h = 1.0;
	return 2.0 * EARTH_KM * asin(sqrt(h));
}

void st_model_init(st_model *m)
{
	memset(m, 0, sizeof *m);
	m->sorted = 1;
}

void st_model_free(st_model *m)
{
	free(m->aT);
	free(m->aId);
	free(m->aLat);
	free(m->aLon);
	free(m->aSog);
	free(m->aCog);
	free(m->aVessel);
	free(m->aMmsiTmp);
	st_model_init(m);
}

static int grow(void **pp, size_t nNew, size_t sz)
{
	void *p = realloc(*pp, nNew * sz);
	if (!p)
		return 0;
	*pp = p;
	return 1;
}

static int grow_columns(st_model *m)
{
	size_t n = m->nAlloc ? m->nAlloc * 2 : 4096;
	if (!grow((void **)&m->aT, n, 8) || !grow((void **)&m->aId, n, 8) ||
	    !grow((void **)&m->aLat, n, 4) || !grow((void **)&m->aLon, n, 4) ||
	    !grow((void **)&m->aSog, n, 2) || !grow((void **)&m->aCog, n, 2))
		return 0;
	if (m->aMmsiTmp && !grow((void **)&m->aMmsiTmp, n, 4))
		return 0;
	m->nAlloc = n;
	return 1;
}

/* Turns the vessel runs into a per-position MMSI column, the form unsorted
 * input is collected in. */
static int start_unsorted(st_model *m)
{
	uint32_t *a = malloc((m->nAlloc ? m->nAlloc : 1) * sizeof *a);
	if (!a)
		return 0;
	for (size_t v = 0; v < m->nVessel; v++)
		for (size_t i = 0; i < m->aVessel[v].nPos; i++)
			a[m->aVessel[v].iFirst + i] = m->aVessel[v].mmsi;
	m->aMmsiTmp = a;
	m->sorted = 0;
	m->nVessel = 0;
	return 1;
}

st_status st_model_add(st_model *m, const st_position *p, int64_t id)
{
	if (p->t == ST_TIME_NONE || !(p->lat >= -90 && p->lat <= 90) ||
	    !(p->lon >= -180 && p->lon <= 180))
		return ST_EINVAL;
	if (m->nPos == m->nAlloc && !grow_columns(m))
		return ST_ENOMEM;
	if (m->sorted && m->nVessel) {
		const st_vessel_run *pV = &m->aVessel[m->nVessel - 1];
		if (p->mmsi < pV->mmsi ||
		    (p->mmsi == pV->mmsi && p->t < m->aT[m->nPos - 1]))
			if (!start_unsorted(m))
				return ST_ENOMEM;
	}
	size_t i = m->nPos;
	m->aT[i] = p->t;
	m->aId[i] = id;
	m->aLat[i] = (int32_t)lround(p->lat * 1e7);
	m->aLon[i] = (int32_t)lround(p->lon * 1e7);
	m->aSog[i] = (isfinite(p->sog) && p->sog >= 0 && p->sog < 6553.0f)
	                 ? (uint16_t)lroundf(p->sog * 10.0f) : ST_MODEL_NA;
	uint16_t cog = (isfinite(p->cog) && p->cog >= 0 && p->cog < 360.0f)
	                   ? (uint16_t)lroundf(p->cog * 10.0f) : ST_MODEL_COG_MASK;
	if (cog > 3599 && cog != ST_MODEL_COG_MASK)
		cog = 0;
	uint16_t cls = p->cls == 'A' ? 1 : p->cls == 'B' ? 2 : 0;
	m->aCog[i] = (uint16_t)(cog | (cls << 14));
	if (m->sorted) {
		if (!m->nVessel || m->aVessel[m->nVessel - 1].mmsi != p->mmsi) {
			if (m->nVessel == m->nVesselAlloc) {
				size_t n = m->nVesselAlloc ? m->nVesselAlloc * 2 : 256;
				if (!grow((void **)&m->aVessel, n, sizeof *m->aVessel))
					return ST_ENOMEM;
				m->nVesselAlloc = n;
			}
			m->aVessel[m->nVessel++] = (st_vessel_run){p->mmsi, i, 0};
		}
		m->aVessel[m->nVessel - 1].nPos++;
	} else {
		m->aMmsiTmp[i] = p->mmsi;
	}
	m->nPos++;
	return ST_OK;
}

typedef struct sortkey {
	uint32_t mmsi;
	uint32_t idx;
	int64_t t;
} sortkey;

static int cmp_key(const void *a, const void *b)
{
	const sortkey *x = a, *y = b;
	if (x->mmsi != y->mmsi)
		return x->mmsi < y->mmsi ? -1 : 1;
	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

#define PERMUTE(col, type)                                                     \
	do {                                                                   \
		type *aNew = malloc(n * sizeof(type));                         \
		if (!aNew)                                                     \
			goto nomem;                                            \
		for (size_t k = 0; k < n; k++)                                 \
			aNew[k] = m->col[aKey[k].idx];                         \
		free(m->col);                                                  \
		m->col = aNew;                                                 \
	} while (0)

/* Gives back the slack of the doubling growth once the model is complete. */
static void trim(st_model *m)
{
	size_t n = m->nPos ? m->nPos : 1;
	if (m->nAlloc <= n)
		return;
	/* a column that fails to shrink stays larger, which is safe */
	grow((void **)&m->aT, n, 8);
	grow((void **)&m->aId, n, 8);
	grow((void **)&m->aLat, n, 4);
	grow((void **)&m->aLon, n, 4);
	grow((void **)&m->aSog, n, 2);
	grow((void **)&m->aCog, n, 2);
	m->nAlloc = n;
}

st_status st_model_finish(st_model *m)
{
	if (m->sorted) {
		trim(m);
		return ST_OK;
	}
	size_t n = m->nPos;
	if (n > UINT32_MAX)
		return ST_EINVAL;
	sortkey *aKey = malloc((n ? n : 1) * sizeof *aKey);
	if (!aKey)
		return ST_ENOMEM;
	for (size_t k = 0; k < n; k++)
		aKey[k] = (sortkey){m->aMmsiTmp[k], (uint32_t)k, m->aT[k]};
	qsort(aKey, n, sizeof *aKey, cmp_key);
	PERMUTE(aT, int64_t);
	PERMUTE(aId, int64_t);
	PERMUTE(aLat, int32_t);
	PERMUTE(aLon, int32_t);
	PERMUTE(aSog, uint16_t);
	PERMUTE(aCog, uint16_t);
	m->nVessel = 0;
	for (size_t k = 0; k < n; k++) {
		if (!m->nVessel || m->aVessel[m->nVessel - 1].mmsi != aKey[k].mmsi) {
			if (m->nVessel == m->nVesselAlloc) {
				size_t nv = m->nVesselAlloc ? m->nVesselAlloc * 2 : 256;
				if (!grow((void **)&m->aVessel, nv, sizeof *m->aVessel))
					goto nomem;
				m->nVesselAlloc = nv;
			}
			m->aVessel[m->nVessel++] = (st_vessel_run){aKey[k].mmsi, k, 0};
		}
		m->aVessel[m->nVessel - 1].nPos++;
	}
	free(aKey);
	free(m->aMmsiTmp);
	m->aMmsiTmp = NULL;
	m->sorted = 1;
	m->nAlloc = n;
	trim(m);
	return ST_OK;
nomem:
	free(aKey);
	return ST_ENOMEM;
}

double st_model_bytes_per_position(const st_model *m)
{
	if (!m->nPos)
		return 0;
	double b = (double)m->nAlloc * (8 + 8 + 4 + 4 + 2 + 2) +
	           (double)m->nVesselAlloc * sizeof(st_vessel_run);
	return b / (double)m->nPos;
}

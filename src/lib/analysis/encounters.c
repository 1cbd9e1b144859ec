/* Encounters: two vessels close, slow and far from port for long enough.
 * Never all pairs: each vessel's slow runs far from port are resampled to a
 * fixed time step, the samples are sorted by (time step, grid row, grid
 * column) with cells at least the encounter distance wide, and only samples
 * in neighbouring cells of the same step are compared. Work grows with the
 * number of samples plus the number of close pairs, not with their square. */
#include <math.h>
#include <string.h>
#include "internal.h"

#define STEP_MS 600000LL       /* 10 min resampling */
#define KM_PER_DEG 111.195

typedef struct sample {
	int32_t step, cy, cx;
	uint32_t run;
	float lat, lon;
} sample;

typedef struct run {
	uint32_t mmsi;
	size_t iPos, nPos;     /* slice of the run position array */
} run;

typedef struct obs {
	uint32_t a, b;         /* runs, mmsi(a) < mmsi(b) */
	int32_t step;
	float m, lat, lon;
} obs;

typedef struct grid {
	double cellDeg;
} grid;

static double row_width(const grid *gr, int32_t cy)
{
	double lat0 = cy * gr->cellDeg - 90.0, lat1 = lat0 + gr->cellDeg;
	double worst = fabs(lat0) > fabs(lat1) ? fabs(lat0) : fabs(lat1);
	double c = cos(worst * M_PI / 180.0);
	if (c < 0.01)
		c = 0.01;
	double w = gr->cellDeg / c;
	return w > 360.0 ? 360.0 : w;
}

static int32_t n_cols(const grid *gr, int32_t cy)
{
	return (int32_t)ceil(360.0 / row_width(gr, cy));
}

static int32_t col_of(const grid *gr, int32_t cy, double lon)
{
	int32_t cx = (int32_t)floor((lon + 180.0) / row_width(gr, cy));
	int32_t n = n_cols(gr, cy);
	return cx >= n ? n - 1 : cx < 0 ? 0 : cx;
}

static int cmp_sample(const void *x, const void *y)
{
	const sample *a = x, *b = y;
	if (a->step != b->step)
		return a->step < b->step ? -1 : 1;
	if (a->cy != b->cy)
		return a->cy < b->cy ? -1 : 1;
	if (a->cx != b->cx)
		return a->cx < b->cx ? -1 : 1;
	return a->run < b->run ? -1 : a->run > b->run;
}

static int cmp_obs(const void *x, const void *y)
{
	const obs *a = x, *b = y;
	if (a->a != b->a)
		return a->a < b->a ? -1 : 1;
	if (a->b != b->b)
		return a->b < b->b ? -1 : 1;
	return a->step < b->step ? -1 : a->step > b->step;
}

static int cmp_float(const void *x, const void *y)
{
	float a = *(const float *)x, b = *(const float *)y;
	return a < b ? -1 : a > b;
}

/* First sample in [lo, hi) not less than (step, cy, cx). */
static size_t lower_bound(const sample *a, size_t lo, size_t hi, int32_t step,
                          int32_t cy, int32_t cx)
{
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const sample *s = &a[mid];
		int less = s->step < step ||
		           (s->step == step && (s->cy < cy || (s->cy == cy && s->cx < cx)));
		if (less)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The run position nearest in time to t. */
static size_t nearest_pos(const st_model *m, const size_t *aRunPos, const run *r,
                          int64_t t)
{
	size_t lo = 0, hi = r->nPos;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (m->aT[aRunPos[r->iPos + mid]] < t)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == r->nPos)
		lo--;
	if (lo > 0 && t - m->aT[aRunPos[r->iPos + lo - 1]] < m->aT[aRunPos[r->iPos + lo]] - t)
		lo--;
	return aRunPos[r->iPos + lo];
}

st_status st_stage_encounters(const st_model *m, const st_gazetteer *g,
                              const st_params *p, st_events *e)
{
	free(e->aEnc);
	e->aEnc = NULL;
	e->nEnc = 0;
	e->nSample = 0;
	st_status rc = ST_ENOMEM;
	size_t nRunPos = 0, nRunPosCap = 0, nRun = 0, nRunCap = 0;
	size_t nSample = 0, nSampleCap = 0, nObs = 0, nObsCap = 0, nEncCap = 0;
	size_t *aRunPos = NULL;
	run *aRun = NULL;
	sample *aS = NULL;
	obs *aO = NULL;
	float *aDist = NULL;
	st__walk w;
	memset(&w, 0, sizeof w);
	int64_t maxGap = (int64_t)(p->slow_max_gap_h * ST__MS_PER_H);
	int64_t minDur = (int64_t)(p->enc_min_h * ST__MS_PER_H);
	grid gr;
	gr.cellDeg = p->enc_max_dist_m / 1000.0 / KM_PER_DEG * 1.01;
	if (gr.cellDeg < 0.01)
		gr.cellDeg = 0.01;

	/* 1. slow runs far from port, long enough to matter */
	for (size_t v = 0; v < m->nVessel; v++) {
		uint32_t track0;
		int nTr = st__walk_vessel(&w, m, e, &m->aVessel[v], &track0);
		if (nTr < 0)
			goto done;
		for (int tr = 0; tr < nTr; tr++) {
			size_t kFirst = w.aStart[tr], kEnd = w.aStart[tr + 1];
			size_t runStart = nRunPos;
			for (size_t k = kFirst; k <= kEnd; k++) {
				int ok = 0;
				if (k < kEnd) {
					size_t i = w.aOrder[k];
					double s = st__speed_kn(m, w.aOrder, k, kFirst);
					ok = s >= 0 && s < p->enc_max_sog_kn &&
					     !st__gazetteer_any(g, st_model_lat(m, i), st_model_lon(m, i),
					                        p->enc_min_port_km);
					if (ok && nRunPos > runStart &&
					    m->aT[i] - m->aT[aRunPos[nRunPos - 1]] > maxGap)
						ok = -1;
				}
				if (ok != 1 && nRunPos > runStart) {
					int64_t dur = m->aT[aRunPos[nRunPos - 1]] - m->aT[aRunPos[runStart]];
					if (dur >= minDur) {
						run *r = st__push((void **)&aRun, &nRun, &nRunCap, sizeof *r);
						if (!r)
							goto done;
						r->mmsi = m->aVessel[v].mmsi;
						r->iPos = runStart;
						r->nPos = nRunPos - runStart;
					} else {
						nRunPos = runStart;
					}
					runStart = nRunPos;
				}
				if (ok != 0) {
					size_t *pI = st__push((void **)&aRunPos, &nRunPos, &nRunPosCap, sizeof *pI);
					if (!pI)
						goto done;
					*pI = w.aOrder[k];
				}
			}
			nRunPos = runStart;
		}
	}

	/* 2. resample each run every STEP_MS, linear between positions */
	for (size_t r = 0; r < nRun; r++) {
		const size_t *aP = aRunPos + aRun[r].iPos;
		size_t n = aRun[r].nPos, k = 0;
		int64_t tA = m->aT[aP[0]], tB = m->aT[aP[n - 1]];
		int64_t step = tA >= 0 ? (tA + STEP_MS - 1) / STEP_MS : -((-tA) / STEP_MS);
		for (int64_t t = step * STEP_MS; t <= tB; t += STEP_MS, step++) {
			while (k + 1 < n && m->aT[aP[k + 1]] < t)
				k++;
			size_t i0 = aP[k], i1 = aP[k + 1 < n ? k + 1 : k];
			double f = 0;
			if (m->aT[i1] > m->aT[i0])
				f = (double)(t - m->aT[i0]) / (double)(m->aT[i1] - m->aT[i0]);
			if (f < 0)
				f = 0;
			if (f > 1)
				f = 1;
			double lat = st_model_lat(m, i0) + f * (st_model_lat(m, i1) - st_model_lat(m, i0));
			double dLon = st_model_lon(m, i1) - st_model_lon(m, i0);
			if (dLon > 180)
				dLon -= 360;
			else if (dLon < -180)
				dLon += 360;
			double lon = st_model_lon(m, i0) + f * dLon;
			if (lon > 180)
				lon -= 360;
			else if (lon < -180)
				lon += 360;
			sample *s = st__push((void **)&aS, &nSample, &nSampleCap, sizeof *s);
			if (!s)
				goto done;
			s->step = (int32_t)step;
			s->cy = (int32_t)floor((lat + 90.0) / gr.cellDeg);
			s->cx = col_of(&gr, s->cy, lon);
			s->run = (uint32_t)r;
			s->lat = (float)lat;
			s->lon = (float)lon;
		}
	}
	e->nSample = nSample;
	if (nSample > 1)
		qsort(aS, nSample, sizeof *aS, cmp_sample);

	/* 3. close pairs: each sample against neighbouring cells of its step */
	for (size_t gA = 0; gA < nSample;) {
		size_t gB = gA;
		while (gB < nSample && aS[gB].step == aS[gA].step)
			gB++;
		for (size_t k = gA; k < gB; k++) {
			const sample *s = &aS[k];
			for (int32_t cy = s->cy - 1; cy <= s->cy + 1; cy++) {
				int32_t nc = n_cols(&gr, cy), c0 = col_of(&gr, cy, s->lon);
				int32_t aCx[5];
				int nCx = 0;
				for (int32_t d = -2; d <= 2; d++) {
					if ((d == -2 && c0 > 1) || (d == 2 && c0 < nc - 2))
						continue; /* the narrow wrap cell only */
					int32_t cx = ((c0 + d) % nc + nc) % nc, dup = 0;
					for (int q = 0; q < nCx; q++)
						dup |= aCx[q] == cx;
					if (!dup)
						aCx[nCx++] = cx;
				}
				for (int q = 0; q < nCx; q++) {
					size_t j = lower_bound(aS, gA, gB, s->step, cy, aCx[q]);
					for (; j < gB && aS[j].cy == cy && aS[j].cx == aCx[q]; j++) {
						const sample *t = &aS[j];
						uint32_t ma = aRun[s->run].mmsi, mb = aRun[t->run].mmsi;
						if (ma >= mb)
							continue;
						double km = st_haversine_km(s->lat, s->lon, t->lat, t->lon);
						if (km * 1000.0 > p->enc_max_dist_m)
							continue;
						obs *o = st__push((void **)&aO, &nObs, &nObsCap, sizeof *o);
						if (!o)
							goto done;
						o->a = s->run;
						o->b = t->run;
						o->step = s->step;
						o->m = (float)(km * 1000.0);
						o->lat = (float)((s->lat + t->lat) * 0.5);
						o->lon = t->lon;
						if (fabs(s->lon - t->lon) < 180)
							o->lon = (float)((s->lon + t->lon) * 0.5);
					}
				}
			}
		}
		gA = gB;
	}
	if (nObs > 1)
		qsort(aO, nObs, sizeof *aO, cmp_obs);

	/* 4. uninterrupted runs of close steps of one pair, long enough */
	aDist = malloc((nObs ? nObs : 1) * sizeof *aDist);
	if (!aDist)
		goto done;
	for (size_t a = 0; a < nObs;) {
		size_t b = a + 1;
		while (b < nObs && aO[b].a == aO[a].a && aO[b].b == aO[a].b &&
		       aO[b].step == aO[b - 1].step + 1)
			b++;
		int64_t t0 = (int64_t)aO[a].step * STEP_MS, t1 = (int64_t)aO[b - 1].step * STEP_MS;
		if (t1 - t0 >= minDur) {
			st_encounter *pE = st__push((void **)&e->aEnc, &e->nEnc, &nEncCap, sizeof *pE);
			if (!pE)
				goto done;
			size_t n = b - a;
			for (size_t k = 0; k < n; k++)
				aDist[k] = aO[a + k].m;
			qsort(aDist, n, sizeof *aDist, cmp_float);
			const obs *pMid = &aO[a + n / 2];
			const run *rA = &aRun[aO[a].a], *rB = &aRun[aO[a].b];
			pE->mmsi1 = rA->mmsi;
			pE->mmsi2 = rB->mmsi;
			pE->t0 = t0;
			pE->t1 = t1;
			pE->median_m = n % 2 ? aDist[n / 2] : 0.5 * (aDist[n / 2 - 1] + aDist[n / 2]);
			pE->lat = pMid->lat;
			pE->lon = pMid->lon;
			pE->nSample = (uint32_t)n;
			pE->i1a = nearest_pos(m, aRunPos, rA, t0);
			pE->i1b = nearest_pos(m, aRunPos, rA, t1);
			pE->i2a = nearest_pos(m, aRunPos, rB, t0);
			pE->i2b = nearest_pos(m, aRunPos, rB, t1);
		}
		a = b;
	}
	rc = ST_OK;
done:
	st__walk_free(&w);
	free(aRunPos);
	free(aRun);
	free(aS);
	free(aO);
	free(aDist);
	return rc;
}

/* The track stages: segments (split where one MMSI is two transmitters or
 * after a long silence), port calls, voyages, gaps and loitering. Each is a
 * pure function of the model, the gazetteer and the parameters; each walks
 * the positions once, vessel by vessel, so time is linear in positions. */
#include <math.h>
#include <string.h>
#include "internal.h"

/* Positions closer than this always fit a segment, however short the time
 * between them: GPS jitter and duplicate timestamps must not split tracks. */
#define JITTER_KM 0.1
/* Bounds per vessel: open segments looked at for each position, and older
 * tracks a segment may continue after a silence. */
#define MAX_OPEN 8
/* Reported speed times this is possible too (GFW reported_speed_multiplier);
 * 102.2 kn is the AIS "102.2 knots or higher" code and proves nothing. */
#define REPORTED_MULT 1.1
#define MAX_TAILS 64

void *st__push(void **pa, size_t *pn, size_t *pcap, size_t sz)
{
	if (*pn == *pcap) {
		size_t n = *pcap ? *pcap * 2 : 64;
		void *a = realloc(*pa, n * sz);
		if (!a)
			return NULL;
		*pa = a;
		*pcap = n;
	}
	return (char *)*pa + (*pn)++ * sz;
}

void st_events_init(st_events *e)
{
	memset(e, 0, sizeof *e);
}

void st_events_free(st_events *e)
{
	free(e->aSeg);
	free(e->aSegment);
	free(e->aCall);
	free(e->aVoyage);
	free(e->aGap);
	free(e->aPossible);
	free(e->aEnc);
	free(e->aLoiter);
	st_events_init(e);
}

static double pos_km(const st_model *m, size_t a, size_t b)
{
	return st_haversine_km(st_model_lat(m, a), st_model_lon(m, a),
	                       st_model_lat(m, b), st_model_lon(m, b));
}

/* A position fits after another when the implied speed between them is
 * possible: at most seg_max_speed_kn, or REPORTED_MULT times the faster of
 * the two reported speeds, so that a fast craft that says it is fast is not
 * split into pieces (GFW's segmenter allows the same). */
static int fits(const st_model *m, const st_params *p, size_t iLast, size_t i,
                double *pKm)
{
	double km = pos_km(m, iLast, i);
	*pKm = km;
	double h = (double)(m->aT[i] - m->aT[iLast]) / ST__MS_PER_H;
	double kn = p->seg_max_speed_kn;
	double s0 = st_model_sog(m, iLast) * REPORTED_MULT, s1 = st_model_sog(m, i) * REPORTED_MULT;
	if (s0 > kn && s0 < 102.2)
		kn = s0;
	if (s1 > kn && s1 < 102.2)
		kn = s1;
	return km <= kn * ST__KN_KMH * h + JITTER_KM;
}

st_status st_stage_segments(const st_model *m, const st_params *p, st_events *e)
{
	free(e->aSeg);
	free(e->aSegment);
	e->aSeg = NULL;
	e->aSegment = NULL;
	e->nSeg = 0;
	size_t nCap = 0;
	e->aSeg = malloc((m->nPos ? m->nPos : 1) * sizeof *e->aSeg);
	if (!e->aSeg)
		return ST_ENOMEM;
	int64_t maxSilence = (int64_t)(p->seg_max_silence_h * ST__MS_PER_H);
	uint32_t nTrack = 0;
	for (size_t v = 0; v < m->nVessel; v++) {
		const st_vessel_run *pV = &m->aVessel[v];
		uint32_t aOpen[MAX_OPEN], aTail[MAX_TAILS];
		int nOpen = 0, nTail = 0;
		for (size_t i = pV->iFirst; i < pV->iFirst + pV->nPos; i++) {
			int64_t t = m->aT[i];
			for (int k = 0; k < nOpen;)
				if (t - e->aSegment[aOpen[k]].t1 > maxSilence)
					aOpen[k] = aOpen[--nOpen];
				else
					k++;
			int best = -1;
			double bestKm = 0;
			for (int k = 0; k < nOpen; k++) {
				const st_segment *s = &e->aSegment[aOpen[k]];
				double km;
				if (!fits(m, p, s->iLast, i, &km))
					continue;
				if (best < 0 || km < bestKm) {
					best = k;
					bestKm = km;
				}
			}
			if (best >= 0) {
				uint32_t si = aOpen[best];
				st_segment *s = &e->aSegment[si];
				s->km += bestKm;
				s->t1 = t;
				s->iLast = i;
				s->nPoint++;
				e->aSeg[i] = si;
				continue;
			}
			/* a new segment: continue the closed track it fits best
			 * (the latest one), else start a new track */
			int tail = -1;
			for (int k = 0; k < nTail; k++) {
				const st_segment *s = &e->aSegment[aTail[k]];
				int isOpen = 0;
				for (int o = 0; o < nOpen; o++)
					isOpen |= aOpen[o] == aTail[k];
				double km;
				if (isOpen || !fits(m, p, s->iLast, i, &km))
					continue;
				if (tail < 0 || s->t1 > e->aSegment[aTail[tail]].t1)
					tail = k;
			}
			st_segment *s = st__push((void **)&e->aSegment, &e->nSeg, &nCap, sizeof *s);
			if (!s)
				return ST_ENOMEM;
			uint32_t si = (uint32_t)(e->nSeg - 1);
			memset(s, 0, sizeof *s);
			s->mmsi = pV->mmsi;
			s->t0 = s->t1 = t;
			s->nPoint = 1;
			s->iFirst = s->iLast = i;
			if (tail >= 0) {
				s->prev = (int32_t)aTail[tail];
				s->track = e->aSegment[aTail[tail]].track;
				aTail[tail] = si;
			} else {
				s->prev = -1;
				s->track = nTrack++;
				if (nTail < MAX_TAILS)
					aTail[nTail++] = si;
			}
			if (nOpen == MAX_OPEN) {
				int oldest = 0;
				for (int k = 1; k < nOpen; k++)
					if (e->aSegment[aOpen[k]].t1 < e->aSegment[aOpen[oldest]].t1)
						oldest = k;
				aOpen[oldest] = aOpen[--nOpen];
			}
			aOpen[nOpen++] = si;
			e->aSeg[i] = si;
		}
	}
	return ST_OK;
}

int st__walk_vessel(st__walk *w, const st_model *m, const st_events *e,
                    const st_vessel_run *pV, uint32_t *pTrack0)
{
	uint32_t lo = UINT32_MAX, hi = 0;
	for (size_t i = pV->iFirst; i < pV->iFirst + pV->nPos; i++) {
		uint32_t tr = e->aSegment[e->aSeg[i]].track;
		if (tr < lo)
			lo = tr;
		if (tr > hi)
			hi = tr;
	}
	size_t nTr = pV->nPos ? (size_t)(hi - lo) + 1 : 0;
	if (pV->nPos > w->nOrderAlloc) {
		size_t *a = realloc(w->aOrder, pV->nPos * sizeof *a);
		if (!a)
			return -1;
		w->aOrder = a;
		w->nOrderAlloc = pV->nPos;
	}
	if (nTr + 1 > w->nStartAlloc) {
		size_t *a = realloc(w->aStart, (nTr + 1) * sizeof *a);
		if (!a)
			return -1;
		w->aStart = a;
		w->nStartAlloc = nTr + 1;
	}
	if (nTr == 1) {
		/* the common case: one transmitter, positions already in order */
		for (size_t k = 0; k < pV->nPos; k++)
			w->aOrder[k] = pV->iFirst + k;
		w->aStart[0] = 0;
		w->aStart[1] = pV->nPos;
		*pTrack0 = lo;
		return 1;
	}
	/* counting sort by track keeps time order inside each track */
	memset(w->aStart, 0, (nTr + 1) * sizeof *w->aStart);
	for (size_t i = pV->iFirst; i < pV->iFirst + pV->nPos; i++)
		w->aStart[e->aSegment[e->aSeg[i]].track - lo + 1]++;
	for (size_t k = 0; k < nTr; k++)
		w->aStart[k + 1] += w->aStart[k];
	for (size_t i = pV->iFirst; i < pV->iFirst + pV->nPos; i++) {
		size_t k = e->aSegment[e->aSeg[i]].track - lo;
		w->aOrder[w->aStart[k]++] = i;
	}
	for (size_t k = nTr; k > 0; k--)
		w->aStart[k] = w->aStart[k - 1];
	w->aStart[0] = 0;
	*pTrack0 = lo;
	return (int)nTr;
}

void st__walk_free(st__walk *w)
{
	free(w->aOrder);
	free(w->aStart);
	memset(w, 0, sizeof *w);
}

double st__speed_kn(const st_model *m, const size_t *aOrder, size_t k, size_t kFirst)
{
	double s = st_model_sog(m, aOrder[k]);
	if (s >= 0 || k == kFirst)
		return s;
	double h = (double)(m->aT[aOrder[k]] - m->aT[aOrder[k - 1]]) / ST__MS_PER_H;
	if (h <= 0)
		return -1;
	return pos_km(m, aOrder[k - 1], aOrder[k]) / ST__KN_KMH / h;
}

/* The entry radius around what st__port_km measures from: a polygon port's
 * distance is already to its boundary. */
static double radius_of(const st_port *pt, const st_params *p)
{
	if (pt->nVert)
		return 0.0;
	return pt->radius_km > 0 ? pt->radius_km : p->port_enter_km;
}

static int inside_port(const st_port *pt, double d, double r)
{
	return pt->nVert ? d <= 0.0 : d < r;
}

static int call_counts(const st_port_call *c)
{
	return c->how != ST_CALL_PASSED_THROUGH || !c->arrivalSeen || !c->departureSeen;
}

st_status st_stage_port_calls(const st_model *m, const st_gazetteer *g,
                              const st_params *p, st_events *e)
{
	free(e->aCall);
	e->aCall = NULL;
	e->nCall = 0;
	size_t nCap = 0;
	st__walk w;
	memset(&w, 0, sizeof w);
	double reach = g->reachKm > 0 ? g->reachKm : 0;
	for (size_t v = 0; v < m->nVessel; v++) {
		uint32_t track0;
		int nTr = st__walk_vessel(&w, m, e, &m->aVessel[v], &track0);
		if (nTr < 0)
			goto nomem;
		for (int tr = 0; tr < nTr; tr++) {
			size_t kFirst = w.aStart[tr], kEnd = w.aStart[tr + 1];
			long cur = -1;           /* open call index */
			long lastWorthy = -1, lastOther = -1;
			int stopped = 0;
			for (size_t k = kFirst; k < kEnd; k++) {
				size_t i = w.aOrder[k];
				double lat = st_model_lat(m, i), lon = st_model_lon(m, i);
				double sog = st_model_sog(m, i);
				if (sog >= 0) {
					if (sog < p->port_stop_start_kn)
						stopped = 1;
					else if (sog > p->port_stop_end_kn)
						stopped = 0;
				}
				if (cur >= 0) {
					st_port_call *c = &e->aCall[cur];
					const st_port *pt = &g->aPort[c->port];
					double r = radius_of(pt, p);
					double d = st__port_km(pt, lat, lon);
					/* the anchorage zone is part of the port: moving between
					 * berth and anchorage does not end the call */
					int in = d <= r + p->port_anchorage_km + p->port_exit_margin_km;
					if (in && d >= r) {
						/* unless the vessel is now inside another port */
						double dq;
						int q = st_gazetteer_nearest(g, lat, lon, reach, &dq);
						if (q >= 0 && q != c->port && dq < d &&
						    inside_port(&g->aPort[q], dq, radius_of(&g->aPort[q], p)))
							in = 0;
					}
					if (in) {
						c->departure = m->aT[i];
						c->iLast = i;
						c->nPoint++;
						if (stopped) {
							int inProper = d <= r + p->port_exit_margin_km;
							if (inProper && c->how != ST_CALL_STOPPED) {
								c->how = ST_CALL_STOPPED;
								c->lat = lat;
								c->lon = lon;
							} else if (!inProper && c->how == ST_CALL_PASSED_THROUGH) {
								c->how = ST_CALL_ANCHORED_OUTSIDE;
								c->lat = lat;
								c->lon = lon;
							}
						}
						continue;
					}
					c->departureSeen = 1;
					if (call_counts(c)) {
						if (lastWorthy >= 0 && e->aCall[lastWorthy].port != c->port)
							lastOther = lastWorthy;
						lastWorthy = cur;
					}
					cur = -1;
				}
				double d;
				int q = st_gazetteer_nearest(g, lat, lon, reach, &d);
				if (q < 0)
					continue;
				const st_port *pt = &g->aPort[q];
				double r = radius_of(pt, p);
				int inside = inside_port(pt, d, r);
				if (!inside && !(stopped && d < r + p->port_anchorage_km))
					continue;
				st_port_call *c = st__push((void **)&e->aCall, &e->nCall, &nCap, sizeof *c);
				if (!c)
					goto nomem;
				cur = (long)(e->nCall - 1);
				memset(c, 0, sizeof *c);
				c->mmsi = m->aVessel[v].mmsi;
				c->seg = e->aSeg[i];
				c->track = track0 + (uint32_t)tr;
				c->port = q;
				c->how = !inside ? ST_CALL_ANCHORED_OUTSIDE
				                 : stopped ? ST_CALL_STOPPED : ST_CALL_PASSED_THROUGH;
				c->arrivalSeen = k > kFirst;
				c->arrival = c->departure = m->aT[i];
				c->lat = lat;
				c->lon = lon;
				c->nPoint = 1;
				c->iFirst = c->iLast = i;
				long prev = lastWorthy >= 0 && e->aCall[lastWorthy].port != q ? lastWorthy : lastOther;
				c->prevCall = (int)prev;
				c->prevPort = prev >= 0 ? e->aCall[prev].port : -1;
			}
			if (cur >= 0)
				e->aCall[cur].departureSeen = 0;
		}
	}
	st__walk_free(&w);
	return ST_OK;
nomem:
	st__walk_free(&w);
	return ST_ENOMEM;
}

st_status st_stage_voyages(const st_model *m, const st_params *p, st_events *e)
{
	(void)m;
	(void)p;
	free(e->aVoyage);
	e->aVoyage = NULL;
	e->nVoyage = 0;
	size_t nCap = 0;
	long from = -1;
	for (size_t c = 0; c < e->nCall; c++) {
		const st_port_call *pC = &e->aCall[c];
		if (from >= 0 && e->aCall[from].track != pC->track)
			from = -1;
		if (!call_counts(pC))
			continue;
		if (from >= 0 && e->aCall[from].port != pC->port) {
			st_voyage *pV = st__push((void **)&e->aVoyage, &e->nVoyage, &nCap, sizeof *pV);
			if (!pV)
				return ST_ENOMEM;
			pV->mmsi = pC->mmsi;
			pV->track = pC->track;
			pV->fromCall = (int)from;
			pV->toCall = (int)c;
			pV->fromPort = e->aCall[from].port;
			pV->toPort = pC->port;
			pV->departure = e->aCall[from].departure;
			pV->arrival = pC->arrival;
		}
		from = (long)c;
	}
	return ST_OK;
}

static int near_port(const st_gazetteer *g, const st_params *p, double lat, double lon)
{
	double d;
	int q = st_gazetteer_nearest(g, lat, lon, g->reachKm, &d);
	if (q < 0)
		return -1;
	return d < radius_of(&g->aPort[q], p) + p->port_anchorage_km ? q : -1;
}

st_status st_stage_gaps(const st_model *m, const st_gazetteer *g,
                        const st_params *p, st_events *e)
{
	free(e->aGap);
	free(e->aPossible);
	e->aGap = NULL;
	e->aPossible = NULL;
	e->nGap = e->nPossible = 0;
	size_t nCap = 0, nPosCap = 0;
	st__walk w;
	memset(&w, 0, sizeof w);
	int64_t minGap = (int64_t)(p->gap_min_h * ST__MS_PER_H);
	int *aConcern = malloc(((size_t)g->nPort + 1) * sizeof *aConcern);
	int nConcern = 0;
	if (!aConcern)
		goto nomem;
	for (int q = 0; q < g->nPort; q++)
		if (g->aPort[q].concern)
			aConcern[nConcern++] = q;
	for (size_t v = 0; v < m->nVessel; v++) {
		uint32_t track0;
		int nTr = st__walk_vessel(&w, m, e, &m->aVessel[v], &track0);
		if (nTr < 0)
			goto nomem;
		for (int tr = 0; tr < nTr; tr++) {
			for (size_t k = w.aStart[tr] + 1; k < w.aStart[tr + 1]; k++) {
				size_t i0 = w.aOrder[k - 1], i1 = w.aOrder[k];
				int64_t dt = m->aT[i1] - m->aT[i0];
				if (dt < minGap || dt <= 0)
					continue;
				st_gap *pG = st__push((void **)&e->aGap, &e->nGap, &nCap, sizeof *pG);
				if (!pG)
					goto nomem;
				memset(pG, 0, sizeof *pG);
				double lat0 = st_model_lat(m, i0), lon0 = st_model_lon(m, i0);
				double lat1 = st_model_lat(m, i1), lon1 = st_model_lon(m, i1);
				pG->mmsi = m->aVessel[v].mmsi;
				pG->track = track0 + (uint32_t)tr;
				pG->i0 = i0;
				pG->i1 = i1;
				pG->t0 = m->aT[i0];
				pG->t1 = m->aT[i1];
				pG->hours = (double)dt / ST__MS_PER_H;
				pG->km = st_haversine_km(lat0, lon0, lat1, lon1);
				pG->speed_kn = pG->km / ST__KN_KMH / pG->hours;
				pG->flagged = pG->hours >= p->gap_flag_h;
				pG->port0 = near_port(g, p, lat0, lon0);
				pG->port1 = near_port(g, p, lat1, lon1);
				pG->iPossible = (uint32_t)e->nPossible;
				double hTravel = pG->hours - p->gap_port_min_stay_h;
				double kmMax = hTravel * p->gap_port_speed_kn * ST__KN_KMH;
				for (int c = 0; hTravel > 0 && c < nConcern; c++) {
					int q = aConcern[c];
					const st_port *pt = &g->aPort[q];
					double km = st_haversine_km(lat0, lon0, pt->lat, pt->lon) +
					            st_haversine_km(pt->lat, pt->lon, lat1, lon1);
					if (km > kmMax)
						continue;
					int *pQ = st__push((void **)&e->aPossible, &e->nPossible, &nPosCap, sizeof *pQ);
					if (!pQ)
						goto nomem;
					*pQ = q;
					pG->nPossible++;
				}
			}
		}
	}
	st__walk_free(&w);
	free(aConcern);
	return ST_OK;
nomem:
	st__walk_free(&w);
	free(aConcern);
	return ST_ENOMEM;
}

st_status st_stage_loitering(const st_model *m, const st_gazetteer *g,
                             const st_params *p, st_events *e)
{
	free(e->aLoiter);
	e->aLoiter = NULL;
	e->nLoiter = 0;
	size_t nCap = 0;
	st__walk w;
	memset(&w, 0, sizeof w);
	double shoreKm = p->loiter_min_shore_nm * ST__KN_KMH;
	int64_t maxGap = (int64_t)(p->slow_max_gap_h * ST__MS_PER_H);
	int64_t minDur = (int64_t)(p->loiter_min_h * ST__MS_PER_H);
	for (size_t v = 0; v < m->nVessel; v++) {
		uint32_t track0;
		int nTr = st__walk_vessel(&w, m, e, &m->aVessel[v], &track0);
		if (nTr < 0)
			goto nomem;
		for (int tr = 0; tr < nTr; tr++) {
			size_t kFirst = w.aStart[tr], kEnd = w.aStart[tr + 1];
			size_t kRun = SIZE_MAX;
			double km = 0;
			for (size_t k = kFirst; k <= kEnd; k++) {
				int ok = 0;
				if (k < kEnd) {
					size_t i = w.aOrder[k];
					double s = st__speed_kn(m, w.aOrder, k, kFirst);
					if (s >= 0 && s < p->loiter_max_sog_kn &&
					    !st__gazetteer_any(g, st_model_lat(m, i), st_model_lon(m, i), shoreKm))
						ok = 1;
					if (ok && kRun != SIZE_MAX &&
					    m->aT[i] - m->aT[w.aOrder[k - 1]] > maxGap)
						ok = -1; /* ends the run, and starts a new one */
				}
				if (ok == 1 && kRun != SIZE_MAX) {
					km += pos_km(m, w.aOrder[k - 1], w.aOrder[k]);
					continue;
				}
				if (kRun != SIZE_MAX) {
					size_t iA = w.aOrder[kRun], iB = w.aOrder[k - 1];
					if (m->aT[iB] - m->aT[iA] >= minDur) {
						st_loiter *pL = st__push((void **)&e->aLoiter, &e->nLoiter, &nCap, sizeof *pL);
						if (!pL)
							goto nomem;
						size_t iMid = w.aOrder[(kRun + k - 1) / 2];
						pL->mmsi = m->aVessel[v].mmsi;
						pL->seg = e->aSeg[iA];
						pL->t0 = m->aT[iA];
						pL->t1 = m->aT[iB];
						pL->hours = (double)(pL->t1 - pL->t0) / ST__MS_PER_H;
						pL->km = km;
						double dPort;
						pL->port_km = st_gazetteer_nearest(g, st_model_lat(m, iMid),
						                                   st_model_lon(m, iMid), 1000.0,
						                                   &dPort) >= 0 ? dPort : NAN;
						pL->lat = st_model_lat(m, iMid);
						pL->lon = st_model_lon(m, iMid);
						pL->nPoint = (uint32_t)(k - kRun);
						pL->iFirst = iA;
						pL->iLast = iB;
					}
					kRun = SIZE_MAX;
				}
				if (ok != 0) {
					kRun = k;
					km = 0;
				}
			}
		}
	}
	st__walk_free(&w);
	return ST_OK;
nomem:
	st__walk_free(&w);
	return ST_ENOMEM;
}

st_status st_analyze(const st_model *m, const st_gazetteer *g,
                     const st_params *p, st_events *e)
{
	st_status rc;
	if ((rc = st_stage_segments(m, p, e)) != ST_OK ||
	    (rc = st_stage_port_calls(m, g, p, e)) != ST_OK ||
	    (rc = st_stage_voyages(m, p, e)) != ST_OK ||
	    (rc = st_stage_gaps(m, g, p, e)) != ST_OK ||
	    (rc = st_stage_encounters(m, g, p, e)) != ST_OK ||
	    (rc = st_stage_loitering(m, g, p, e)) != ST_OK)
		return rc;
	return ST_OK;
}

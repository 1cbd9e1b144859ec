/* The simulated AIS stream. Every vessel is a generator that knows, from
 * its planned stops and legs, where it is at any time and when it reports
 * next (ITU-R M.1371 intervals for its class, speed and status, or the
 * scenario's thinned ones). A binary heap merges the generators in time
 * order, so the output is one time-sorted NMEA file written as it is made,
 * whatever the number of vessels. Each report then passes the vessel's
 * AIS-off windows (nothing sent) and the receivers (range, random loss,
 * outages), gets position noise, and is encoded with st_ais_encode and
 * written with st_nmea_out_format, tagged with the receiving station. */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "shiptrace/ais.h"
#include "shiptrace/time.h"
#include "sim_int.h"

typedef struct state {
	double lat, lon;
	double sog;          /* knots */
	double cog;          /* degrees */
	unsigned heading;
	unsigned status;
	bool stationary;     /* moored or at anchor: the slow reporting rate */
	sim_stop *pStop;     /* where it lies, or NULL under way */
} state;

static double rad(double d)
{
	return d * M_PI / 180.0;
}

static double deg(double r)
{
	return r * 180.0 / M_PI;
}

static double bearing(double lat1, double lon1, double lat2, double lon2)
{
	double y = sin(rad(lon2 - lon1)) * cos(rad(lat2));
	double x = cos(rad(lat1)) * sin(rad(lat2)) - sin(rad(lat1)) * cos(rad(lat2)) * cos(rad(lon2 - lon1));
	double b = fmod(deg(atan2(y, x)) + 360.0, 360.0);
	return b;
}

/* Point at fraction f of the great circle from 1 to 2. */
static void slerp(double lat1, double lon1, double lat2, double lon2, double f,
                  double *pLat, double *pLon)
{
	double p1[3] = {cos(rad(lat1)) * cos(rad(lon1)), cos(rad(lat1)) * sin(rad(lon1)), sin(rad(lat1))};
	double p2[3] = {cos(rad(lat2)) * cos(rad(lon2)), cos(rad(lat2)) * sin(rad(lon2)), sin(rad(lat2))};
	double d = acos(fmin(1.0, fmax(-1.0, p1[0] * p2[0] + p1[1] * p2[1] + p1[2] * p2[2])));
	if (d < 1e-12) {
		*pLat = lat1, *pLon = lon1;
		return;
	}
	double a = sin((1 - f) * d) / sin(d), b = sin(f * d) / sin(d);
	double x = a * p1[0] + b * p2[0], y = a * p1[1] + b * p2[1], z = a * p1[2] + b * p2[2];
	*pLat = deg(atan2(z, sqrt(x * x + y * y)));
	*pLon = deg(atan2(y, x));
}

/* Where vessel v is at time t, and how it moves. */
static void where(const sim *p, sim_vessel *v, st_time_ms t, state *st)
{
	while (v->iStop + 1 < v->nStop && t >= v->aStop[v->iStop + 1].tArr)
		v->iStop++;
	sim_stop *s = &v->aStop[v->iStop];
	memset(st, 0, sizeof *st);
	if (t < s->tDep || v->iStop + 1 == v->nStop) {
		st->pStop = s;
		st->heading = s->heading;
		st->cog = s->heading;
		if (s->kind == STOP_SEA) {
			/* fishing: circling slowly around the ground's centre */
			double r = 1.0, kn = 2.5;
			double w = kn * 1.852 / r / 3600000.0; /* rad per ms */
			double a = w * (double)(t - s->tArr) + s->heading;
			st->lat = s->lat + r * cos(a) / 111.32;
			st->lon = s->lon + r * sin(a) / 111.32 / cos(rad(s->lat));
			st->sog = kn;
			st->cog = fmod(deg(a) + 90.0 + 360.0, 360.0);
			st->heading = (unsigned)st->cog % 360;
			st->status = 7;
		} else if (s->kind == STOP_MEET) {
			st->lat = s->lat, st->lon = s->lon;
			st->sog = 0.2;
			st->status = 0;
		} else {
			st->lat = s->lat, st->lon = s->lon;
			st->sog = 0;
			st->status = s->status;
			st->stationary = true;
		}
		return;
	}
	st__sim_leg_path(p, v, v->iStop);
	const sim_stop *n = &v->aStop[v->iStop + 1];
	double total = v->aCum[v->nPath - 1];
	double hours = (double)(n->tArr - s->tDep) / 3600000.0;
	double f = hours > 0 ? (double)(t - s->tDep) / (double)(n->tArr - s->tDep) : 1;
	double d = f * total;
	int k = 1;
	while (k < v->nPath - 1 && v->aCum[k] < d)
		k++;
	double seg = v->aCum[k] - v->aCum[k - 1];
	double g = seg > 0 ? (d - v->aCum[k - 1]) / seg : 1;
	slerp(v->aPath[k - 1][0], v->aPath[k - 1][1], v->aPath[k][0], v->aPath[k][1], g, &st->lat, &st->lon);
	st->sog = hours > 0 ? total / hours / 1.852 : 0;
	st->cog = bearing(st->lat, st->lon, v->aPath[k][0], v->aPath[k][1]);
	st->heading = (unsigned)lround(st->cog) % 360;
	st->status = 0;
}

/* Reporting interval in ms. ITU-R M.1371-5 table 1 (class A, ignoring the
 * faster rates while changing course) and the class B "CS" rates; or the
 * scenario's thinned intervals. */
static st_time_ms interval_ms(const sim *p, const sim_vessel *v, const state *st)
{
	if (p->itu) {
		if (v->cls == 'B')
			return st->sog > 2.0 ? 30000 : 180000;
		if (st->stationary && st->sog <= 3.0)
			return 180000;
		if (st->sog <= 14.0)
			return 10000;
		if (st->sog <= 23.0)
			return 6000;
		return 2000;
	}
	if (v->cls == 'B')
		return (st_time_ms)(st->sog > 2.0 ? p->bUnderwayS : p->bSlowS) * 1000;
	return (st_time_ms)(st->stationary ? p->mooredS : p->underwayS) * 1000;
}

static bool is_dark(const sim_vessel *v, st_time_ms t)
{
	for (int i = 0; i < v->nDark; i++)
		if (t >= v->aDark[i].t0 && t < v->aDark[i].t1)
			return true;
	return false;
}

static bool in_outage(const sim_receiver *x, st_time_ms t)
{
	int lo = 0, hi = x->nOut;
	while (lo < hi) {
		int mid = (lo + hi) / 2;
		if (x->aOut[mid][1] <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < x->nOut && x->aOut[lo][0] <= t;
}

/* The receiver that hears a report from (lat, lon) at t, or NULL. */
static const sim_receiver *receive(const sim *p, sim_vessel *v, double lat, double lon, st_time_ms t)
{
	for (int i = 0; i < p->nRx; i++) {
		const sim_receiver *x = &p->aRx[i];
		if (x->rangeKm > 0 && st__sim_dist_km(lat, lon, x->lat, x->lon) > x->rangeKm)
			continue;
		if (in_outage(x, t))
			continue;
		if (x->loss > 0 && st_rng_uniform(&v->rng) < x->loss)
			continue;
		return x;
	}
	return NULL;
}

static void upper(char *zDst, size_t n, const char *zSrc)
{
	size_t i = 0;
	for (; zSrc[i] && i + 1 < n; i++)
		zDst[i] = (char)toupper((unsigned char)zSrc[i]);
	zDst[i] = 0;
}

typedef struct writer {
	FILE *f;
	st_nmea_out out;
	st_sim_stats *pStats;
	char buf[1024];
	int rc;
} writer;

static void emit(writer *w, const st_ais_msg *m, st_time_ms t, const char *zSource, char channel)
{
	char zPay[256];
	size_t nChar;
	unsigned fill;
	if (st_ais_encode(m, zPay, sizeof zPay, &nChar, &fill) != ST_OK) {
		w->rc = -1;
		return;
	}
	int k = st_nmea_out_format(&w->out, zPay, nChar, fill, channel, t, zSource, w->buf, sizeof w->buf);
	if (k < 0 || fwrite(w->buf, 1, (size_t)k, w->f) != (size_t)k) {
		w->rc = -1;
		return;
	}
	w->pStats->nSentence += nChar > ST_NMEA_OUT_MAX_PAYLOAD ? 2 : 1;
}

static void pos_report(const sim *p, sim_vessel *v, writer *w, st_time_ms t, const state *st)
{
	v->nSent++;
	if (is_dark(v, t)) {
		w->pStats->nDark++;
		return;
	}
	double lat = st->lat + st_rng_normal(&v->rng) * p->noiseM / 111320.0;
	double lon = st->lon + st_rng_normal(&v->rng) * p->noiseM / 111320.0 / cos(rad(st->lat));
	const sim_receiver *x = receive(p, v, st->lat, st->lon, t);
	if (!x) {
		w->pStats->nLost++;
		return;
	}
	v->nReceived++;
	if (st->pStop)
		st->pStop->nSeen++;
	st_ais_msg m;
	memset(&m, 0, sizeof m);
	m.mmsi = v->mmsi;
	int second = (int)((t / 1000) % 60);
	unsigned speed = (unsigned)lround(st->sog * 10);
	unsigned course = (unsigned)lround(st->cog * 10) % 3600;
	if (speed > 1022)
		speed = 1022;
	if (v->cls == 'B') {
		m.type = 18;
		m.type18.speed = speed;
		m.type18.accuracy = false;
		m.type18.lon = (int)lround(lon * 600000.0);
		m.type18.lat = (int)lround(lat * 600000.0);
		m.type18.course = course;
		m.type18.heading = ST_AIS_HEADING_NA;
		m.type18.second = (unsigned)second;
		m.type18.cs = true;
		m.type18.band = true;
		m.type18.msg22 = true;
		m.type18.radio = 917510; /* CS units send this fixed value */
	} else {
		m.type = v->posType;
		m.type1.status = st->status;
		m.type1.turn = st->stationary ? ST_AIS_TURN_NA : 0;
		m.type1.speed = speed;
		m.type1.accuracy = true;
		m.type1.lon = (int)lround(lon * 600000.0);
		m.type1.lat = (int)lround(lat * 600000.0);
		m.type1.course = course;
		m.type1.heading = st->heading % 360;
		m.type1.second = (unsigned)second;
		m.type1.radio = (uint32_t)(st_rng_next(&v->rng) & 0x7ffff);
	}
	emit(w, &m, t, x->zName, st_rng_below(&v->rng, 2) ? 'B' : 'A');
	w->pStats->nPosition++;
}

static void static_report(const sim *p, sim_vessel *v, writer *w, st_time_ms t, const state *st)
{
	if (is_dark(v, t)) {
		w->pStats->nDark++;
		return;
	}
	const sim_receiver *x = receive(p, v, st->lat, st->lon, t);
	if (!x) {
		w->pStats->nLost++;
		return;
	}
	st_ais_msg m;
	memset(&m, 0, sizeof m);
	m.mmsi = v->mmsi;
	char channel = st_rng_below(&v->rng, 2) ? 'B' : 'A';
	if (v->cls == 'B') {
		m.type = 24;
		m.type24.part = 0;
		upper(m.type24.shipname, sizeof m.type24.shipname, v->zName);
		emit(w, &m, t, x->zName, channel);
		memset(&m.type24, 0, sizeof m.type24);
		m.type24.part = 1;
		m.type24.shiptype = v->shiptype;
		memcpy(m.type24.vendorid, "SIM", 4);
		m.type24.model = 1;
		m.type24.serial = v->mmsi % 1000000;
		upper(m.type24.callsign, sizeof m.type24.callsign, v->zCall);
		m.type24.to_bow = v->bow, m.type24.to_stern = v->stern;
		m.type24.to_port = v->port, m.type24.to_starboard = v->stbd;
		emit(w, &m, t, x->zName, channel);
		w->pStats->nStatic += 2;
		return;
	}
	m.type = 5;
	m.type5.imo = v->imo;
	upper(m.type5.callsign, sizeof m.type5.callsign, v->zCall);
	upper(m.type5.shipname, sizeof m.type5.shipname, v->zName);
	m.type5.shiptype = v->shiptype;
	m.type5.to_bow = v->bow, m.type5.to_stern = v->stern;
	m.type5.to_port = v->port, m.type5.to_starboard = v->stbd;
	m.type5.epfd = 1;
	m.type5.draught = 40 + (v->mmsi % 50);
	/* destination and ETA: the next port it will call at */
	int j = v->iStop + 1;
	while (j < v->nStop && v->aStop[j].iPort < 0)
		j++;
	if (j < v->nStop) {
		int y, mo, d, h, mi, s, ms;
		st_time_to_civil(v->aStop[j].tArr, &y, &mo, &d, &h, &mi, &s, &ms);
		m.type5.month = (unsigned)mo, m.type5.day = (unsigned)d;
		m.type5.hour = (unsigned)h, m.type5.minute = (unsigned)mi;
		upper(m.type5.destination, sizeof m.type5.destination,
		      v->zDestOverride[0] ? v->zDestOverride : p->aPort[v->aStop[j].iPort].zName);
	} else {
		m.type5.hour = 24, m.type5.minute = 60;
	}
	emit(w, &m, t, x->zName, channel);
	w->pStats->nStatic++;
}

/* ---- the merge ------------------------------------------------------------ */

static st_time_ms next_t(const sim_vessel *v)
{
	return v->tNextPos < v->tNextStatic ? v->tNextPos : v->tNextStatic;
}

static bool before(const sim *p, int a, int b)
{
	st_time_ms ta = next_t(&p->aVessel[a]), tb = next_t(&p->aVessel[b]);
	return ta < tb || (ta == tb && a < b);
}

static void sift_down(const sim *p, int *aHeap, int n, int i)
{
	for (;;) {
		int l = 2 * i + 1, r = l + 1, m = i;
		if (l < n && before(p, aHeap[l], aHeap[m]))
			m = l;
		if (r < n && before(p, aHeap[r], aHeap[m]))
			m = r;
		if (m == i)
			return;
		int tmp = aHeap[i];
		aHeap[i] = aHeap[m];
		aHeap[m] = tmp;
		i = m;
	}
}

int st__sim_write_ais(sim *p, const char *zPath, st_sim_stats *pStats)
{
	writer w;
	memset(&w, 0, sizeof w);
	w.pStats = pStats;
	st_nmea_out_init(&w.out, "AI");
	w.f = fopen(zPath, "wb");
	if (!w.f)
		return st__sim_err(p, "cannot write %s", zPath);
	char *aBuf = malloc(1 << 20);
	if (aBuf)
		setvbuf(w.f, aBuf, _IOFBF, 1 << 20);
	char zT0[32], zT1[32];
	st_time_format(p->tStart, zT0, sizeof zT0);
	st_time_format(p->tEnd, zT1, sizeof zT1);
	fprintf(w.f, "# SIMULATED AIS data: not real vessel movements. shiptrace simulate, scenario \"%s\", seed %llu, scale %g\n"
	             "# %s to %s; reporting intervals: %s; every tag block's s: names a simulated receiver\n",
	        p->zName, (unsigned long long)p->seed, p->scale, zT0, zT1, p->itu ? "ITU-R M.1371" : "thinned (scenario)");

	int *aHeap = malloc((size_t)(p->nVessel + 1) * sizeof *aHeap), n = 0;
	if (!aHeap) {
		fclose(w.f);
		free(aBuf);
		return st__sim_err(p, "out of memory");
	}
	for (int i = 0; i < p->nVessel; i++) {
		sim_vessel *v = &p->aVessel[i];
		state st;
		v->iStop = 0;
		where(p, v, p->tStart, &st);
		/* random phases in whole seconds, so the tag blocks' c: (seconds)
		 * carry the exact transmission times */
		v->tNextPos = p->tStart + 1000 * (st_time_ms)st_rng_below(&v->rng, (uint64_t)interval_ms(p, v, &st) / 1000);
		v->tNextStatic = p->tStart + 1000 * (st_time_ms)st_rng_below(&v->rng, (uint64_t)p->staticS);
		aHeap[n++] = i;
	}
	for (int i = n / 2; i-- > 0;)
		sift_down(p, aHeap, n, i);
	while (n > 0 && w.rc == 0) {
		sim_vessel *v = &p->aVessel[aHeap[0]];
		st_time_ms t = next_t(v);
		if (t >= p->tEnd) {
			aHeap[0] = aHeap[--n];
			sift_down(p, aHeap, n, 0);
			continue;
		}
		state st;
		where(p, v, t, &st);
		/* the speed over ground the transponder measures, noise and
		 * all; its reporting rate follows this value, as a real unit's
		 * does */
		if (st.sog > 0.5)
			st.sog = fmax(0.0, st.sog + st_rng_normal(&v->rng) * 0.2);
		st.sog = round(st.sog * 10) / 10; /* as sent: 1/10 kn */
		if (v->tNextPos <= v->tNextStatic) {
			pos_report(p, v, &w, t, &st);
			v->tNextPos = t + interval_ms(p, v, &st);
		} else {
			static_report(p, v, &w, t, &st);
			v->tNextStatic = t + (st_time_ms)p->staticS * 1000;
		}
		sift_down(p, aHeap, n, 0);
	}
	free(aHeap);
	if (w.rc == 0 && (ferror(w.f) || fflush(w.f)))
		w.rc = -1;
	if (fclose(w.f))
		w.rc = -1;
	free(aBuf);
	if (w.rc)
		return st__sim_err(p, "write error on %s", zPath);
	return 0;
}

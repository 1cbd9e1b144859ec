/* The analysis stages on made-up tracks (every track here is invented for
 * the test and says what it models): each event and its edges, and one test
 * per parameter showing that it changes the result as documented. The made-
 * up gazetteer has Alpha (10 N 20 E), Beta (55.6 km north of Alpha) and
 * Kappa (country KP, 222 km north of Alpha), each with a 3 km radius. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <unistd.h>
#include <cmocka.h>
#include "analysis_fixture.h"

#define KM (1.0 / 111.195) /* degrees of latitude per km */

typedef struct ctx {
	st_model m;
	st_gazetteer g;
	st_params p;
	st_events e;
} ctx;

static void ctx_init(ctx *c)
{
	st_model_init(&c->m);
	fx_gazetteer(&c->g);
	st_params_default(&c->p);
	st_events_init(&c->e);
}

static void set(ctx *c, const char *zKv)
{
	char zErr[128];
	assert_int_equal(st_params_set(&c->p, zKv, zErr, sizeof zErr), ST_OK);
}

/* Runs every stage; the model can be run again with other parameters. */
static void run(ctx *c)
{
	assert_int_equal(st_model_finish(&c->m), ST_OK);
	fx_ready(&c->g, &c->p);
	assert_int_equal(st_analyze(&c->m, &c->g, &c->p, &c->e), ST_OK);
}

static void ctx_free(ctx *c)
{
	st_events_free(&c->e);
	st_gazetteer_free(&c->g);
	st_model_free(&c->m);
}

/* Two vessels side by side, sepM metres apart (north-south), drifting east
 * at sog for the given hours from (lat, lon); A reports every dtA, B every
 * dtB. Longitudes wrap at the antimeridian. */
static void fx_pair(st_model *m, uint32_t a, char clsA, uint32_t b, char clsB,
                    double lat, double lon, double sepM, double hours, double sog,
                    int64_t dtA, int64_t dtB)
{
	double dLonPerMs = sog * 1.852 / (111.195 * cos(lat * M_PI / 180)) / HOUR;
	int64_t tEnd = (int64_t)(hours * HOUR);
	for (int v = 0; v < 2; v++) {
		int64_t dt = v ? dtB : dtA;
		for (int64_t t = 0; t <= tEnd; t += dt) {
			double x = lon + dLonPerMs * (double)t;
			if (x > 180)
				x -= 360;
			fx_add(m, v ? b : a, T0 + t, lat + (v ? sepM / 1000.0 * KM : 0), x, sog,
			       v ? clsB : clsA);
		}
	}
}

/* ---- geometry and model ------------------------------------------------ */

static void test_haversine(void **state)
{
	(void)state;
	assert_true(fabs(st_haversine_km(0, 0, 1, 0) - 111.195) < 0.01);
	/* across the antimeridian: 0.2 degrees of longitude, not 359.8 */
	assert_true(fabs(st_haversine_km(0, 179.9, 0, -179.9) - 22.239) < 0.01);
	assert_true(st_haversine_km(-33.8, 151.2, -33.8, 151.2) == 0.0);
}

static void test_model_order_and_size(void **state)
{
	(void)state;
	st_model m;
	st_model_init(&m);
	/* made up: two vessels delivered out of order */
	fx_add(&m, 2, T0 + 2 * HOUR, 1, 1, 5, 'A');
	fx_add(&m, 1, T0 + HOUR, 1, 1, 5, 'B');
	fx_add(&m, 2, T0, 1, 1, 5, 'A');
	fx_add(&m, 1, T0, 1.5, -179.25, -1, 0);
	assert_int_equal(st_model_finish(&m), ST_OK);
	assert_int_equal(m.nVessel, 2);
	assert_int_equal(m.aVessel[0].mmsi, 1);
	assert_true(m.aT[0] == T0 && m.aT[1] == T0 + HOUR);
	assert_true(fabs(st_model_lon(&m, 0) + 179.25) < 1e-7);
	assert_true(st_model_sog(&m, 0) < 0);
	assert_int_equal(st_model_class(&m, 1), 'B');
	assert_true(m.aT[2] == T0 && m.aT[3] == T0 + 2 * HOUR);
	/* a position without a time or coordinates is refused */
	st_position bad;
	memset(&bad, 0, sizeof bad);
	bad.t = ST_TIME_NONE;
	assert_int_equal(st_model_add(&m, &bad, 0), ST_EINVAL);
	st_model_free(&m);

	/* memory: 28 bytes a position in the columns, in order */
	st_model_init(&m);
	for (int k = 0; k < 200000; k++)
		fx_add(&m, 100 + (uint32_t)(k / 1000), T0 + (k % 1000) * MIN, 1, 1, 1, 'A');
	assert_int_equal(st_model_finish(&m), ST_OK);
	assert_true(st_model_bytes_per_position(&m) <= 32.0);
	st_model_free(&m);
}

/* ---- segments ---------------------------------------------------------- */

static void test_segments_silence(void **state)
{
	(void)state;
	ctx c;
	ctx_init(&c);
	/* made up: hourly fixes for 10 h, silent for 30 h, 5 more fixes */
	fx_leg(&c.m, 1, T0, HOUR, 10, 0, 0, 0.5, 0, 3, 'A');
	fx_leg(&c.m, 1, T0 + 39 * HOUR, HOUR, 5, 0.6, 0, 0.7, 0, 3, 'A');
	run(&c);
	assert_int_equal(c.e.nSeg, 2);
	assert_int_equal(c.e.aSegment[0].nPoint, 10);
	assert_int_equal(c.e.aSegment[1].nPoint, 5);
	assert_int_equal(c.e.aSegment[1].prev, 0);
	assert_int_equal(c.e.aSegment[1].track, c.e.aSegment[0].track);
	assert_true(fabs(c.e.aSegment[0].km - 55.6) < 0.1);
	/* the 30 h silence is still a gap of the track */
	assert_int_equal(c.e.nGap, 1);
	assert_true(fabs(c.e.aGap[0].hours - 30.0) < 1e-9);
	ctx_free(&c);
}

static void test_two_ships_one_mmsi(void **state)
{
	(void)state;
	ctx c;
	ctx_init(&c);
	/* made up: one MMSI transmitted by two ships 1,500 km apart, their
	 * reports interleaved every 5 minutes for 5 hours */
	for (int k = 0; k < 60; k++) {
		double f = k / 60.0;
		fx_add(&c.m, 7, T0 + k * 10 * MIN, 30 + f * 0.3, 30, 10, 'A');
		fx_add(&c.m, 7, T0 + k * 10 * MIN + 5 * MIN, 40, 40 + f * 0.3, 10, 'B');
	}
	run(&c);
	assert_int_equal(c.e.nSeg, 2);
	assert_true(c.e.aSegment[0].track != c.e.aSegment[1].track);
	for (size_t i = 0; i < c.m.nPos; i++) {
		uint32_t s = c.e.aSeg[i];
		uint32_t sFirst = c.e.aSeg[c.e.aSegment[s].iFirst];
		assert_int_equal(s, sFirst);
		/* each segment holds only its own ship's positions */
		int shipA = st_model_lat(&c.m, i) < 35;
		int segA = st_model_lat(&c.m, c.e.aSegment[s].iFirst) < 35;
		assert_int_equal(shipA, segA);
	}
	assert_int_equal(c.e.aSegment[0].nPoint, 60);
	assert_int_equal(c.e.aSegment[1].nPoint, 60);
	/* no gap between the two ships' alternating reports */
	assert_int_equal(c.e.nGap, 0);
	ctx_free(&c);
}

/* ---- port calls and voyages -------------------------------------------- */

/* made up: stopped in Alpha when the data starts, sails to Beta at 10 kn,
 * stopped in Beta when the data ends */
static void track_alpha_to_beta(st_model *m)
{
	fx_leg(m, 1, T0, 30 * MIN, 10, 10.0, 20.001, 10.0, 20.001, 0, 'A');
	fx_leg(m, 1, T0 + 5 * HOUR, 10 * MIN, 19, 10.0, 20.0, 10.5, 20.0, 10, 'A');
	fx_leg(m, 1, T0 + 9 * HOUR, 30 * MIN, 10, 10.5, 20.001, 10.5, 20.001, 0.1, 'A');
}

static void test_call_before_and_after_data(void **state)
{
	(void)state;
	ctx c;
	ctx_init(&c);
	track_alpha_to_beta(&c.m);
	run(&c);
	assert_int_equal(c.e.nCall, 2);
	const st_port_call *a = &c.e.aCall[0], *b = &c.e.aCall[1];
	assert_string_equal(c.g.aPort[a->port].zName, "Alpha");
	assert_int_equal(a->how, ST_CALL_STOPPED);
	assert_false(a->arrivalSeen); /* arrived before the data starts */
	assert_true(a->departureSeen);
	assert_true(a->arrival == T0);
	assert_string_equal(c.g.aPort[b->port].zName, "Beta");
	assert_int_equal(b->how, ST_CALL_STOPPED);
	assert_true(b->arrivalSeen);
	assert_false(b->departureSeen); /* still there at the end */
	assert_string_equal(c.g.aPort[b->prevPort].zName, "Alpha");
	assert_int_equal(c.e.nVoyage, 1);
	assert_int_equal(c.e.aVoyage[0].fromPort, a->port);
	assert_int_equal(c.e.aVoyage[0].toPort, b->port);
	assert_true(c.e.aVoyage[0].departure == a->departure);
	assert_true(c.e.aVoyage[0].arrival == b->arrival);
	/* the departure is the last fix within Alpha's area (3 + 10 + 1 km) */
	double dLast = st_haversine_km(10, 20, st_model_lat(&c.m, a->iLast), st_model_lon(&c.m, a->iLast));
	assert_true(dLast <= 14.0);
	assert_true(st_haversine_km(10, 20, st_model_lat(&c.m, a->iLast + 1), 20) > 14.0);
	ctx_free(&c);
}

/* made up: comes from 40 km north-east, anchors 7 km east of Alpha (outside
 * its 3 km radius) for 6 hours, then leaves east */
static void track_anchor_outside(st_model *m)
{
	double lon7 = 20 + 7 * KM / cos(10 * M_PI / 180);
	fx_leg(m, 1, T0, 10 * MIN, 12, 10.3, 20.3, 10.0, lon7, 10, 'A');
	fx_leg(m, 1, T0 + 2 * HOUR, 30 * MIN, 13, 10.0, lon7, 10.0, lon7, 0, 'A');
	fx_leg(m, 1, T0 + 9 * HOUR, 10 * MIN, 12, 10.0, lon7 + 0.01, 10.0, 20.5, 10, 'A');
}

static void test_anchor_outside_radius(void **state)
{
	(void)state;
	ctx c;
	ctx_init(&c);
	track_anchor_outside(&c.m);
	run(&c);
	assert_int_equal(c.e.nCall, 1);
	assert_string_equal(c.g.aPort[c.e.aCall[0].port].zName, "Alpha");
	assert_int_equal(c.e.aCall[0].how, ST_CALL_ANCHORED_OUTSIDE);
	assert_true(c.e.aCall[0].arrivalSeen && c.e.aCall[0].departureSeen);
	ctx_free(&c);
}

static void test_fast_ferry_never_stops(void **state)
{
	(void)state;
	ctx c;
	ctx_init(&c);
	/* made up: a 25 kn ferry from 22 km south of Alpha to 22 km north of
	 * Beta and back, twice, fixes every 2 minutes, never below 25 kn */
	int64_t t = T0;
	for (int trip = 0; trip < 4; trip++) {
		double a = trip % 2 ? 10.7 : 9.8, b = trip % 2 ? 9.8 : 10.7;
		fx_leg(&c.m, 1, t, 2 * MIN, 60, a, 20.0, b, 20.0, 25, 'A');
		t += 60 * 2 * MIN;
	}
	run(&c);
	assert_int_equal(c.e.nSeg, 1);
	assert_int_equal(c.e.nCall, 8);
	for (size_t k = 0; k < c.e.nCall; k++)
		assert_int_equal(c.e.aCall[k].how, ST_CALL_PASSED_THROUGH);
	assert_int_equal(c.e.nVoyage, 0);
	assert_int_equal(c.e.nLoiter, 0);
	ctx_free(&c);
}

/* ---- gaps -------------------------------------------------------------- */

static void test_gap_midnight_antimeridian(void **state)
{
	(void)state;
	ctx c;
	ctx_init(&c);
	/* made up: eastbound at 5 kn, last fix 2014-01-01T20:00Z at 179.85 E,
	 * next fix 7 hours later, after midnight, at 179.9 W; then 13 hours of
	 * silence */
	int64_t t20 = T0 + 20 * HOUR;
	fx_add(&c.m, 1, t20 - HOUR, 0, 179.78, 5, 'A');
	fx_add(&c.m, 1, t20, 0, 179.85, 5, 'A');
	fx_add(&c.m, 1, t20 + 7 * HOUR, 0, -179.9, 5, 'A');
	fx_add(&c.m, 1, t20 + 20 * HOUR, 0, -179.5, 5, 'A');
	run(&c);
	assert_int_equal(c.e.nSeg, 1);
	assert_int_equal(c.e.nGap, 2);
	const st_gap *g0 = &c.e.aGap[0];
	char z0[32], z1[32];
	assert_string_equal(st_time_format(g0->t0, z0, sizeof z0), "2014-01-01T20:00:00Z");
	assert_string_equal(st_time_format(g0->t1, z1, sizeof z1), "2014-01-02T03:00:00Z");
	assert_true(fabs(g0->hours - 7.0) < 1e-9);
	assert_true(fabs(g0->km - 0.25 * 111.195) < 0.05);
	assert_true(fabs(g0->speed_kn - 0.25 * 111.195 / 1.852 / 7.0) < 0.01);
	assert_false(g0->flagged);
	assert_int_equal(g0->port0, -1);
	assert_true(c.e.aGap[1].flagged);
	assert_true(fabs(c.e.aGap[1].hours - 13.0) < 1e-9);
	ctx_free(&c);
}

/* made up: at anchor 5 km east of Alpha, dark for `hours`, back in place */
static void track_dark_near_alpha(st_model *m, double hours)
{
	double lon5 = 20 + 5 * KM / cos(10 * M_PI / 180);
	fx_leg(m, 1, T0, 30 * MIN, 4, 10.0, lon5, 10.0, lon5, 0, 'A');
	int64_t t = T0 + 90 * MIN + (int64_t)(hours * HOUR);
	fx_leg(m, 1, t, 30 * MIN, 4, 10.0, lon5, 10.0, lon5, 0, 'A');
}

static int possible(const ctx *c, const char *zName)
{
	for (size_t k = 0; k < c->e.nGap; k++)
		for (uint32_t j = 0; j < c->e.aGap[k].nPossible; j++)
			if (!strcmp(c->g.aPort[c->e.aPossible[c->e.aGap[k].iPossible + j]].zName, zName))
				return 1;
	return 0;
}

static void test_gap_possible_port(void **state)
{
	(void)state;
	ctx c;
	ctx_init(&c);
	/* Kappa is 222 km away: 444 km at 12 kn is 20 h, plus a 12 h stay */
	track_dark_near_alpha(&c.m, 40);
	run(&c);
	assert_int_equal(c.e.nGap, 1);
	assert_string_equal(c.g.aPort[c.e.aGap[0].port0].zName, "Alpha");
	assert_string_equal(c.g.aPort[c.e.aGap[0].port1].zName, "Alpha");
	assert_int_equal(c.e.aGap[0].nPossible, 1);
	assert_true(possible(&c, "Kappa"));
	ctx_free(&c);

	ctx_init(&c);
	track_dark_near_alpha(&c.m, 30);
	run(&c);
	assert_int_equal(c.e.nGap, 1);
	assert_int_equal(c.e.aGap[0].nPossible, 0);
	ctx_free(&c);
}

/* ---- encounters and loitering ------------------------------------------ */

static void test_encounter_class_a_b(void **state)
{
	(void)state;
	ctx c;
	ctx_init(&c);
	/* made up: a class A ship (fix every 5 min) and a class B ship (every
	 * 3 min) drifting together at 1 kn, 200 m apart, for 3 hours, 780 km
	 * from any port; a third ship 800 m from the pair */
	fx_pair(&c.m, 111, 'A', 222, 'B', 5, 25, 200, 3, 1, 5 * MIN, 3 * MIN);
	fx_leg(&c.m, 333, T0, 5 * MIN, 37, 5 - 0.8 * KM, 25, 5 - 0.8 * KM, 25.05, 1, 'A');
	run(&c);
	assert_int_equal(c.e.nEnc, 1);
	const st_encounter *e = &c.e.aEnc[0];
	assert_int_equal(e->mmsi1, 111);
	assert_int_equal(e->mmsi2, 222);
	assert_true(fabs(e->median_m - 200) < 5);
	assert_true(e->t1 - e->t0 >= 2 * HOUR);
	assert_true(e->t1 - e->t0 <= 3 * HOUR);
	assert_true(fabs(e->lat - 5.0009) < 0.001);
	assert_int_equal(st_model_class(&c.m, e->i2a), 'B');
	/* both drifting slowly far from shore: each also loiters */
	assert_int_equal(c.e.nLoiter, 3);
	ctx_free(&c);
}

static void test_encounter_across_antimeridian(void **state)
{
	(void)state;
	ctx c;
	ctx_init(&c);
	/* made up: a pair drifting east across 180 degrees, 300 m apart */
	fx_pair(&c.m, 1, 'A', 2, 'A', -20, 179.95, 300, 4, 1, 5 * MIN, 5 * MIN);
	run(&c);
	assert_int_equal(c.e.nEnc, 1);
	assert_true(fabs(c.e.aEnc[0].median_m - 300) < 5);
	assert_true(c.e.aEnc[0].t1 - c.e.aEnc[0].t0 >= 3 * HOUR);
	ctx_free(&c);
}

static void test_loitering(void **state)
{
	(void)state;
	ctx c;
	ctx_init(&c);
	/* made up: 3 hours at 1 kn far out; and the same 11 km off Alpha */
	fx_leg(&c.m, 1, T0, 10 * MIN, 19, 5, 25, 5, 25.05, 1, 'A');
	fx_leg(&c.m, 2, T0, 10 * MIN, 19, 10.1, 20, 10.1, 20.05, 1, 'A');
	run(&c);
	assert_int_equal(c.e.nLoiter, 1);
	assert_int_equal(c.e.aLoiter[0].mmsi, 1);
	assert_true(fabs(c.e.aLoiter[0].hours - 3.0) < 1e-9);
	assert_int_equal(c.e.aLoiter[0].nPoint, 19);
	ctx_free(&c);
}

/* ---- identity and flag ------------------------------------------------- */

static void test_identity_history(void **state)
{
	(void)state;
	/* made up: a vessel renamed, its IMO constant; a part B without name */
	st_static_report a[4];
	memset(a, 0, sizeof a);
	for (int k = 0; k < 4; k++) {
		a[k].mmsi = 273000001;
		a[k].t = T0 + k * HOUR;
		a[k].imo = 9179842;
		a[k].ship_type = -1;
		a[k].to_bow = a[k].to_stern = a[k].to_port = a[k].to_starboard = -1;
	}
	strcpy(a[0].name, "OLD NAME");
	strcpy(a[1].name, "OLD NAME");
	strcpy(a[3].name, "NEW NAME");
	a[2].imo = 0;
	strcpy(a[2].callsign, "UBCD7");
	a[2].ship_type = 70;
	a[2].to_bow = 80;
	a[2].to_stern = 20;
	a[2].to_port = 8;
	a[2].to_starboard = 8;
	int64_t aId[4] = {11, 12, 13, 14};
	st_identity *aOut;
	size_t n;
	assert_int_equal(st_identity_history(a, aId, 4, &aOut, &n), ST_OK);
	int nName = 0, nImo = 0, nDim = 0;
	for (size_t k = 0; k < n; k++) {
		if (aOut[k].field == ST_ID_NAME) {
			nName++;
			if (!strcmp(aOut[k].zValue, "OLD NAME")) {
				assert_int_equal(aOut[k].nReport, 2);
				assert_true(aOut[k].id0 == 11 && aOut[k].id1 == 12);
			} else {
				assert_string_equal(aOut[k].zValue, "NEW NAME");
				assert_true(aOut[k].t0 == T0 + 3 * HOUR);
			}
		}
		if (aOut[k].field == ST_ID_IMO) {
			nImo++;
			assert_int_equal(aOut[k].nReport, 3);
		}
		if (aOut[k].field == ST_ID_DIMENSIONS) {
			nDim++;
			assert_string_equal(aOut[k].zValue, "100x16");
		}
	}
	assert_int_equal(nName, 2);
	assert_int_equal(nImo, 1);
	assert_int_equal(nDim, 1);
	free(aOut);
}

static void test_mid_flag(void **state)
{
	(void)state;
	st_mid_table *t = malloc(sizeof *t);
	char zErr[256], zPath[1024];
	snprintf(zPath, sizeof zPath, "%s/data/mid.csv", ST_SOURCE_DIR);
	assert_int_equal(st_mid_load(t, zPath, zErr, sizeof zErr), ST_OK);
	const char *zKind;
	assert_string_equal(st_mmsi_flag(t, 273123456), "RU");
	assert_string_equal(st_mmsi_flag(t, 445000001), "KP");
	assert_string_equal(st_mmsi_flag(t, 503000720), "AU");
	assert_string_equal(st_mmsi_flag(t, 636012345), "LR");
	assert_int_equal(st_mmsi_mid(992731234, &zKind), 273);
	assert_string_equal(zKind, "aton");
	assert_int_equal(st_mmsi_mid(2731234, &zKind), 273);
	assert_string_equal(zKind, "coast");
	assert_int_equal(st_mmsi_mid(970123456, &zKind), -1);
	assert_null(st_mmsi_flag(t, 970123456));
	assert_null(st_mmsi_flag(t, 123));
	assert_null(st_mmsi_flag(t, 100000000)); /* MID 100 is not allocated */
	st_mid_free(t);
	free(t);
}

/* ---- gazetteer --------------------------------------------------------- */

static void test_gazetteer_files(void **state)
{
	(void)state;
	st_gazetteer g;
	st_gazetteer_init(&g);
	char zErr[256], zPath[1024];
	snprintf(zPath, sizeof zPath, "%s/data/ports.csv", ST_SOURCE_DIR);
	assert_int_equal(st_gazetteer_load_csv(&g, zPath, zErr, sizeof zErr), ST_OK);
	assert_int_equal(g.nPort, 3769);
	assert_int_equal(st_gazetteer_mark_concern(&g, "Rashin, Dunai"), 2);
	int nKp = st_gazetteer_mark_concern(&g, "KP");
	assert_int_equal(nKp, 10);
	st_params p;
	st_params_default(&p);
	assert_int_equal(st_gazetteer_index(&g, &p), ST_OK);
	double km;
	int q = st_gazetteer_nearest(&g, 42.24, 130.30, 5, &km);
	assert_true(q >= 0);
	assert_string_equal(g.aPort[q].zName, "Najin");
	assert_string_equal(g.aPort[q].zLocode, "KPRJN");
	assert_true(g.aPort[q].concern);
	q = st_gazetteer_nearest(&g, 42.88, 132.34, 5, &km);
	assert_string_equal(g.aPort[q].zName, "Dunai");
	assert_string_equal(g.aPort[q].zCountry, "RU");
	/* far from everything */
	assert_int_equal(st_gazetteer_nearest(&g, -40, -120, 50, NULL), -1);
	st_gazetteer_free(&g);

	/* a user CSV, and a bad one naming its line */
	char zTmp[] = "/tmp/st_ports_XXXXXX";
	int fd = mkstemp(zTmp);
	assert_true(fd >= 0);
	FILE *f = fdopen(fd, "w");
	fputs("name,country,lat,lon,radius\nPier 9,XX,1.5,2.5,0.5\nNo Radius,YY,3,4\n", f);
	fclose(f);
	st_gazetteer_init(&g);
	assert_int_equal(st_gazetteer_load_csv(&g, zTmp, zErr, sizeof zErr), ST_OK);
	assert_int_equal(g.nPort, 2);
	assert_true(g.aPort[0].radius_km == 0.5 && g.aPort[1].radius_km == 0);
	f = fopen(zTmp, "w");
	fputs("name,country,lat,lon,radius\nGood,XX,1,2,3\nBad,XX,north,2,3\n", f);
	fclose(f);
	assert_int_equal(st_gazetteer_load_csv(&g, zTmp, zErr, sizeof zErr), ST_EMALFORMED);
	assert_non_null(strstr(zErr, ":3:"));
	unlink(zTmp);
	st_gazetteer_free(&g);
}

static void test_geojson_polygon_port(void **state)
{
	(void)state;
	char zTmp[] = "/tmp/st_poly_XXXXXX";
	int fd = mkstemp(zTmp);
	assert_true(fd >= 0);
	FILE *f = fdopen(fd, "w");
	/* made up: a long thin harbour, 20 km east-west by 1 km */
	fputs("{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\","
	      "\"properties\":{\"name\":\"Long Harbour\",\"country\":\"QQ\"},"
	      "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[30.0,0.0],"
	      "[30.18,0.0],[30.18,0.009],[30.0,0.009],[30.0,0.0]]]}}]}", f);
	fclose(f);
	ctx c;
	ctx_init(&c);
	char zErr[256];
	assert_int_equal(st_gazetteer_load_geojson(&c.g, zTmp, zErr, sizeof zErr), ST_OK);
	unlink(zTmp);
	assert_int_equal(c.g.nPort, 4);
	/* made up: stops at the east end of the polygon; another stops 5 km
	 * south of its centre line, outside it but inside its enclosing circle */
	fx_leg(&c.m, 1, T0, 30 * MIN, 8, 0.0045, 30.17, 0.0045, 30.17, 0, 'A');
	fx_leg(&c.m, 2, T0, 30 * MIN, 8, -0.045, 30.09, -0.045, 30.09, 0, 'A');
	set(&c, "port_anchorage_km=2");
	run(&c);
	assert_int_equal(c.e.nCall, 1);
	assert_int_equal(c.e.aCall[0].mmsi, 1);
	assert_string_equal(c.g.aPort[c.e.aCall[0].port].zName, "Long Harbour");
	assert_int_equal(c.e.aCall[0].how, ST_CALL_STOPPED);
	ctx_free(&c);
}

/* ---- parameters -------------------------------------------------------- */

static void test_params_parse(void **state)
{
	(void)state;
	st_params p;
	char zErr[256];
	st_params_default(&p);
	assert_true(p.seg_max_speed_kn == 30 && p.gap_flag_h == 12);
	assert_string_equal(p.ports_of_concern, "KP");
	assert_int_equal(st_params_set(&p, "nope=1", zErr, sizeof zErr), ST_ECONFIG);
	assert_non_null(strstr(zErr, "nope"));
	assert_int_equal(st_params_set(&p, "gap_min_h=soon", zErr, sizeof zErr), ST_ECONFIG);
	assert_int_equal(st_params_set(&p, "gap_min_h", zErr, sizeof zErr), ST_ECONFIG);
	assert_true(p.gap_min_h == 6);
	assert_int_equal(st_params_set(&p, " gap_min_h = 7.5 ", zErr, sizeof zErr), ST_OK);
	assert_true(p.gap_min_h == 7.5);
	char zTmp[] = "/tmp/st_conf_XXXXXX";
	int fd = mkstemp(zTmp);
	FILE *f = fdopen(fd, "w");
	fputs("# analysis settings\nenc_min_h = 3   # longer meetings only\n\n"
	      "ports_of_concern = KP, Vostochnyy\nloiter_min_h=x\n", f);
	fclose(f);
	assert_int_equal(st_params_load(&p, zTmp, zErr, sizeof zErr), ST_ECONFIG);
	assert_non_null(strstr(zErr, ":5:"));
	assert_true(p.enc_min_h == 3);
	assert_string_equal(p.ports_of_concern, "KP, Vostochnyy");
	unlink(zTmp);
	char *zJson = st_params_json(&p);
	assert_non_null(strstr(zJson, "\"enc_min_h\":3"));
	assert_non_null(strstr(zJson, "\"ports_of_concern\":\"KP, Vostochnyy\""));
	free(zJson);
	int n;
	const st_param_info_t *a = st_param_info(&n);
	assert_int_equal(n, 20);
	for (int k = 0; k < n; k++)
		assert_true(a[k].zDoc[0] && a[k].zSource[0]);

	/* docs/analysis.md documents every parameter with its default */
	char zPath[1024];
	snprintf(zPath, sizeof zPath, "%s/docs/analysis.md", ST_SOURCE_DIR);
	FILE *fDoc = fopen(zPath, "r");
	assert_non_null(fDoc);
	static char zDoc[1 << 16];
	size_t nDoc = fread(zDoc, 1, sizeof zDoc - 1, fDoc);
	zDoc[nDoc] = 0;
	fclose(fDoc);
	for (int k = 0; k < n; k++) {
		char zRow[128];
		snprintf(zRow, sizeof zRow, "| `%s` | %s |", a[k].zKey, a[k].zDefault);
		assert_non_null(strstr(zDoc, zRow));
	}
}

/* Each parameter test runs one made-up track with the default and with
 * another value, and checks the documented effect. */

static void test_param_seg_max_speed_kn(void **state)
{
	(void)state;
	ctx c;
	ctx_init(&c);
	/* a 40 km jump in one hour (21.6 kn), speed not reported */
	fx_add(&c.m, 1, T0, 0, 0, -1, 'A');
	fx_add(&c.m, 1, T0 + HOUR, 40 * KM, 0, -1, 'A');
	run(&c);
	assert_int_equal(c.e.nSeg, 1);
	set(&c, "seg_max_speed_kn=20");
	run(&c);
	assert_int_equal(c.e.nSeg, 2);
	ctx_free(&c);
}

static void test_param_seg_max_silence_h(void **state)
{
	(void)state;
	ctx c;
	ctx_init(&c);
	fx_add(&c.m, 1, T0, 0, 0, 0, 'A');
	fx_add(&c.m, 1, T0 + 30 * HOUR, 0, 0.01, 0, 'A');
	run(&c);
	assert_int_equal(c.e.nSeg, 2);
	set(&c, "seg_max_silence_h=48");
	run(&c);
	assert_int_equal(c.e.nSeg, 1);
	ctx_free(&c);
}

static void test_param_port_enter_km(void **state)
{
	(void)state;
	ctx c;
	ctx_init(&c);
	fx_port(&c.g, "NoRadius", "NR", -10, -20, 0);
	/* passes 4 km from a port that has no radius of its own */
	double lon4 = -20 + 4 * KM / cos(10 * M_PI / 180);
	fx_leg(&c.m, 1, T0, 10 * MIN, 20, -10.2, lon4, -9.8, lon4, 10, 'A');
	run(&c);
	assert_int_equal(c.e.nCall, 0);
	set(&c, "port_enter_km=5");
	run(&c);
	assert_int_equal(c.e.nCall, 1);
	assert_int_equal(c.e.aCall[0].how, ST_CALL_PASSED_THROUGH);
	ctx_free(&c);
}

static void test_param_port_exit_margin_km(void **state)
{
	(void)state;
	ctx c;
	ctx_init(&c);
	/* stopped in Alpha, out to 13.5 km and back: the area ends at
	 * 3 + 10 + margin km */
	fx_leg(&c.m, 1, T0, 30 * MIN, 4, 10, 20, 10, 20, 0, 'A');
	fx_leg(&c.m, 1, T0 + 2 * HOUR, 10 * MIN, 6, 10, 20, 10 + 13.5 * KM, 20, 8, 'A');
	fx_leg(&c.m, 1, T0 + 3 * HOUR, 10 * MIN, 6, 10 + 13.5 * KM, 20, 10, 20, 8, 'A');
	fx_leg(&c.m, 1, T0 + 4 * HOUR, 30 * MIN, 4, 10, 20, 10, 20, 0, 'A');
	run(&c);
	assert_int_equal(c.e.nCall, 1);
	set(&c, "port_exit_margin_km=0");
	run(&c);
	assert_int_equal(c.e.nCall, 2);
	ctx_free(&c);
}

static void test_param_port_stop_start_kn(void **state)
{
	(void)state;
	ctx c;
	ctx_init(&c);
	/* creeps through Alpha at 0.3 kn */
	fx_leg(&c.m, 1, T0, 10 * MIN, 12, 9.8, 20, 9.97, 20, 10, 'A');
	fx_leg(&c.m, 1, T0 + 2 * HOUR, 30 * MIN, 6, 9.99, 20, 10.01, 20, 0.3, 'A');
	fx_leg(&c.m, 1, T0 + 5 * HOUR, 10 * MIN, 12, 10.03, 20, 10.2, 20, 10, 'A');
	run(&c);
	assert_int_equal(c.e.nCall, 1);
	assert_int_equal(c.e.aCall[0].how, ST_CALL_PASSED_THROUGH);
	set(&c, "port_stop_start_kn=0.4");
	run(&c);
	assert_int_equal(c.e.aCall[0].how, ST_CALL_STOPPED);
	ctx_free(&c);
}

static void test_param_port_stop_end_kn(void **state)
{
	(void)state;
	ctx c;
	ctx_init(&c);
	/* stops 20 km north of Alpha (outside its area), then creeps at 0.4 kn
	 * to 7 km off: still "stopped" while below stop_end, so an anchorage call */
	fx_add(&c.m, 1, T0, 10 + 20 * KM, 20, 0.1, 'A');
	fx_leg(&c.m, 1, T0 + 20 * HOUR, 30 * MIN, 6, 10 + 7 * KM, 20, 10 + 7 * KM, 20, 0.4, 'A');
	run(&c);
	assert_int_equal(c.e.nCall, 1);
	assert_int_equal(c.e.aCall[0].how, ST_CALL_ANCHORED_OUTSIDE);
	set(&c, "port_stop_end_kn=0.3");
	run(&c);
	assert_int_equal(c.e.nCall, 0);
	ctx_free(&c);
}

static void test_param_port_anchorage_km(void **state)
{
	(void)state;
	ctx c;
	ctx_init(&c);
	track_anchor_outside(&c.m); /* anchors 7 km from a 3 km port */
	run(&c);
	assert_int_equal(c.e.nCall, 1);
	set(&c, "port_anchorage_km=2");
	run(&c);
	assert_int_equal(c.e.nCall, 0);
	ctx_free(&c);
}

static void test_param_gap_min_h(void **state)
{
	(void)state;
	ctx c;
	ctx_init(&c);
	fx_add(&c.m, 1, T0, 0, 0, 1, 'A');
	fx_add(&c.m, 1, T0 + 7 * HOUR, 0, 0.01, 1, 'A');
	run(&c);
	assert_int_equal(c.e.nGap, 1);
	set(&c, "gap_min_h=8");
	run(&c);
	assert_int_equal(c.e.nGap, 0);
	ctx_free(&c);
}

static void test_param_gap_flag_h(void **state)
{
	(void)state;
	ctx c;
	ctx_init(&c);
	fx_add(&c.m, 1, T0, 0, 0, 1, 'A');
	fx_add(&c.m, 1, T0 + 7 * HOUR, 0, 0.01, 1, 'A');
	run(&c);
	assert_false(c.e.aGap[0].flagged);
	set(&c, "gap_flag_h=6");
	run(&c);
	assert_true(c.e.aGap[0].flagged);
	ctx_free(&c);
}

static void test_param_gap_port_speed_kn(void **state)
{
	(void)state;
	ctx c;
	ctx_init(&c);
	track_dark_near_alpha(&c.m, 40);
	run(&c);
	assert_true(possible(&c, "Kappa"));
	/* 444 km at 4 kn takes 60 h: not within 40 h */
	set(&c, "gap_port_speed_kn=4");
	run(&c);
	assert_false(possible(&c, "Kappa"));
	ctx_free(&c);
}

static void test_param_gap_port_min_stay_h(void **state)
{
	(void)state;
	ctx c;
	ctx_init(&c);
	track_dark_near_alpha(&c.m, 40);
	run(&c);
	assert_true(possible(&c, "Kappa"));
	set(&c, "gap_port_min_stay_h=24"); /* 20 h there and back + 24 h > 40 h */
	run(&c);
	assert_false(possible(&c, "Kappa"));
	ctx_free(&c);
}

static void test_param_ports_of_concern(void **state)
{
	(void)state;
	ctx c;
	ctx_init(&c);
	track_dark_near_alpha(&c.m, 40);
	run(&c);
	assert_true(possible(&c, "Kappa"));
	assert_false(possible(&c, "Beta"));
	set(&c, "ports_of_concern=Beta");
	run(&c);
	assert_false(possible(&c, "Kappa"));
	assert_true(possible(&c, "Beta"));
	set(&c, "ports_of_concern=");
	run(&c);
	assert_int_equal(c.e.nPossible, 0);
	ctx_free(&c);
}

static void test_param_enc_max_dist_m(void **state)
{
	(void)state;
	ctx c;
	ctx_init(&c);
	fx_pair(&c.m, 1, 'A', 2, 'A', 5, 25, 800, 3, 1, 5 * MIN, 5 * MIN);
	run(&c);
	assert_int_equal(c.e.nEnc, 0);
	set(&c, "enc_max_dist_m=1000");
	run(&c);
	assert_int_equal(c.e.nEnc, 1);
	ctx_free(&c);
}

static void test_param_enc_min_h(void **state)
{
	(void)state;
	ctx c;
	ctx_init(&c);
	fx_pair(&c.m, 1, 'A', 2, 'A', 5, 25, 200, 1.5, 1, 5 * MIN, 5 * MIN);
	run(&c);
	assert_int_equal(c.e.nEnc, 0);
	set(&c, "enc_min_h=1");
	run(&c);
	assert_int_equal(c.e.nEnc, 1);
	ctx_free(&c);
}

static void test_param_enc_max_sog_kn(void **state)
{
	(void)state;
	ctx c;
	ctx_init(&c);
	fx_pair(&c.m, 1, 'A', 2, 'A', 5, 25, 200, 3, 3, 5 * MIN, 5 * MIN);
	run(&c);
	assert_int_equal(c.e.nEnc, 0);
	set(&c, "enc_max_sog_kn=4");
	run(&c);
	assert_int_equal(c.e.nEnc, 1);
	ctx_free(&c);
}

static void test_param_enc_min_port_km(void **state)
{
	(void)state;
	ctx c;
	ctx_init(&c);
	/* drifting together 15 km south of Alpha */
	fx_pair(&c.m, 1, 'A', 2, 'A', 10 - 15 * KM, 20, 200, 3, 0.1, 5 * MIN, 5 * MIN);
	run(&c);
	assert_int_equal(c.e.nEnc, 1);
	set(&c, "enc_min_port_km=20");
	run(&c);
	assert_int_equal(c.e.nEnc, 0);
	ctx_free(&c);
}

static void test_param_loiter_max_sog_kn(void **state)
{
	(void)state;
	ctx c;
	ctx_init(&c);
	fx_leg(&c.m, 1, T0, 10 * MIN, 19, 5, 25, 5, 25.1, 2.5, 'A');
	run(&c);
	assert_int_equal(c.e.nLoiter, 0);
	set(&c, "loiter_max_sog_kn=3");
	run(&c);
	assert_int_equal(c.e.nLoiter, 1);
	ctx_free(&c);
}

static void test_param_loiter_min_h(void **state)
{
	(void)state;
	ctx c;
	ctx_init(&c);
	fx_leg(&c.m, 1, T0, 10 * MIN, 10, 5, 25, 5, 25.02, 1, 'A'); /* 1.5 h */
	run(&c);
	assert_int_equal(c.e.nLoiter, 0);
	set(&c, "loiter_min_h=1");
	run(&c);
	assert_int_equal(c.e.nLoiter, 1);
	ctx_free(&c);
}

static void test_param_loiter_min_shore_nm(void **state)
{
	(void)state;
	ctx c;
	ctx_init(&c);
	/* slow for 3 h 30 km (16 nm) south of Alpha */
	fx_leg(&c.m, 1, T0, 10 * MIN, 19, 10 - 30 * KM, 20, 10 - 30 * KM, 20.05, 1, 'A');
	run(&c);
	assert_int_equal(c.e.nLoiter, 0);
	set(&c, "loiter_min_shore_nm=10");
	run(&c);
	assert_int_equal(c.e.nLoiter, 1);
	ctx_free(&c);
}

static void test_param_slow_max_gap_h(void **state)
{
	(void)state;
	ctx c;
	ctx_init(&c);
	/* slow far out, but only one fix every 3 hours */
	fx_leg(&c.m, 1, T0, 3 * HOUR, 4, 5, 25, 5, 25.1, 1, 'A');
	run(&c);
	assert_int_equal(c.e.nLoiter, 0);
	set(&c, "slow_max_gap_h=4");
	run(&c);
	assert_int_equal(c.e.nLoiter, 1);
	ctx_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_haversine),
		cmocka_unit_test(test_model_order_and_size),
		cmocka_unit_test(test_segments_silence),
		cmocka_unit_test(test_two_ships_one_mmsi),
		cmocka_unit_test(test_call_before_and_after_data),
		cmocka_unit_test(test_anchor_outside_radius),
		cmocka_unit_test(test_fast_ferry_never_stops),
		cmocka_unit_test(test_gap_midnight_antimeridian),
		cmocka_unit_test(test_gap_possible_port),
		cmocka_unit_test(test_encounter_class_a_b),
		cmocka_unit_test(test_encounter_across_antimeridian),
		cmocka_unit_test(test_loitering),
		cmocka_unit_test(test_identity_history),
		cmocka_unit_test(test_mid_flag),
		cmocka_unit_test(test_gazetteer_files),
		cmocka_unit_test(test_geojson_polygon_port),
		cmocka_unit_test(test_params_parse),
		cmocka_unit_test(test_param_seg_max_speed_kn),
		cmocka_unit_test(test_param_seg_max_silence_h),
		cmocka_unit_test(test_param_port_enter_km),
		cmocka_unit_test(test_param_port_exit_margin_km),
		cmocka_unit_test(test_param_port_stop_start_kn),
		cmocka_unit_test(test_param_port_stop_end_kn),
		cmocka_unit_test(test_param_port_anchorage_km),
		cmocka_unit_test(test_param_gap_min_h),
		cmocka_unit_test(test_param_gap_flag_h),
		cmocka_unit_test(test_param_gap_port_speed_kn),
		cmocka_unit_test(test_param_gap_port_min_stay_h),
		cmocka_unit_test(test_param_ports_of_concern),
		cmocka_unit_test(test_param_enc_max_dist_m),
		cmocka_unit_test(test_param_enc_min_h),
		cmocka_unit_test(test_param_enc_max_sog_kn),
		cmocka_unit_test(test_param_enc_min_port_km),
		cmocka_unit_test(test_param_loiter_max_sog_kn),
		cmocka_unit_test(test_param_loiter_min_h),
		cmocka_unit_test(test_param_loiter_min_shore_nm),
		cmocka_unit_test(test_param_slow_max_gap_h),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

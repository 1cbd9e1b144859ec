/* The stages on real tracks: the AMSA class B vessel 503000720 (2014,
 * Brisbane and Gladstone) and the Sydney Harbour vessel 503000530, against
 * the shipped World Port Index gazetteer. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include "analysis_fixture.h"

typedef struct real {
	st_model m;
	st_gazetteer g;
	st_params p;
	st_events e;
} real;

static int run_real(real *r, const char *zTrack)
{
	char zErr[256], zPath[1024];
	st_model_init(&r->m);
	st_gazetteer_init(&r->g);
	st_events_init(&r->e);
	st_params_default(&r->p);
	snprintf(zPath, sizeof zPath, "%s/tracks/%s", ST_SHARED_DATA, zTrack);
	if (fx_load_track(&r->m, zPath) == 0)
		return 0;
	assert_int_equal(st_model_finish(&r->m), ST_OK);
	snprintf(zPath, sizeof zPath, "%s/data/ports.csv", ST_SOURCE_DIR);
	assert_int_equal(st_gazetteer_load_csv(&r->g, zPath, zErr, sizeof zErr), ST_OK);
	st_gazetteer_mark_concern(&r->g, r->p.ports_of_concern);
	assert_int_equal(st_gazetteer_index(&r->g, &r->p), ST_OK);
	assert_int_equal(st_analyze(&r->m, &r->g, &r->p, &r->e), ST_OK);
	return 1;
}

static void free_real(real *r)
{
	st_events_free(&r->e);
	st_gazetteer_free(&r->g);
	st_model_free(&r->m);
}

static int64_t T(const char *z)
{
	return st_time_parse(z);
}

static const char *port_name(const real *r, int q)
{
	return q >= 0 ? r->g.aPort[q].zName : "";
}

/* 503000720, a fast class B craft (it reports 20-40 kn under way) based at
 * the mouth of the Brisbane River. Checked in the data: it starts on
 * 2014-01-17T09:18:22 0.8 km from the WPI Brisbane point, and it leaves the
 * port area (radius 10 km + anchorage 10 km + exit margin 1 km) for trips
 * into Moreton Bay (1,132 of its 4,388 fixes are more than 21 km out, e.g.
 * 2014-01-17T20:52:50 at 21.3 km, up to 46 km at 22:31, back in the river at
 * 2014-01-18T02:33:50, 9.2 km). Its last Brisbane fix is 2014-12-02T23:49:29
 * (moored at the river mouth, 14.8 km out); after 23 days without a fix it
 * is seen twice inside Gladstone, 2014-12-25T22:29:23 (1.7 km from the WPI
 * point, 4.3 kn) and 2014-12-29T00:54:34, where the data ends. So: every
 * call is at Brisbane or Gladstone; the first Brisbane call began before the
 * data; one voyage, Brisbane to Gladstone; Gladstone is still the port at
 * the end. */
static void test_brisbane_gladstone(void **state)
{
	(void)state;
	real r;
	if (!run_real(&r, "amsa-503000720-2014.csv")) {
		free_real(&r);
		skip();
	}
	assert_int_equal(r.m.nPos, 4388);
	assert_true(r.e.nCall >= 30);
	size_t nBne = 0, nGlt = 0;
	for (size_t k = 0; k < r.e.nCall; k++) {
		const char *z = port_name(&r, r.e.aCall[k].port);
		assert_true(!strcmp(z, "Brisbane") || !strcmp(z, "Gladstone"));
		nBne += !strcmp(z, "Brisbane");
		nGlt += !strcmp(z, "Gladstone");
	}
	assert_int_equal(nGlt, 1);
	assert_int_equal(nBne, r.e.nCall - 1);

	const st_port_call *c0 = &r.e.aCall[0];
	assert_string_equal(port_name(&r, c0->port), "Brisbane");
	assert_false(c0->arrivalSeen);
	assert_true(c0->departureSeen);
	assert_true(c0->arrival == T("2014-01-17T09:18:22Z"));
	assert_true(c0->departure == T("2014-01-17T20:47:49Z"));
	const st_port_call *c1 = &r.e.aCall[1];
	assert_true(c1->arrival == T("2014-01-18T02:33:50Z"));

	const st_port_call *cLast = &r.e.aCall[r.e.nCall - 1];
	assert_string_equal(port_name(&r, cLast->port), "Gladstone");
	assert_true(cLast->arrival == T("2014-12-25T22:29:23Z"));
	assert_true(cLast->departure == T("2014-12-29T00:54:34Z"));
	assert_false(cLast->departureSeen);
	assert_string_equal(port_name(&r, cLast->prevPort), "Brisbane");
	const st_port_call *cBne = &r.e.aCall[r.e.nCall - 2];
	assert_true(cBne->departure == T("2014-12-02T23:49:29Z"));

	assert_int_equal(r.e.nVoyage, 1);
	assert_string_equal(port_name(&r, r.e.aVoyage[0].fromPort), "Brisbane");
	assert_string_equal(port_name(&r, r.e.aVoyage[0].toPort), "Gladstone");
	assert_true(r.e.aVoyage[0].departure == T("2014-12-02T23:49:29Z"));
	assert_true(r.e.aVoyage[0].arrival == T("2014-12-25T22:29:23Z"));

	/* the 23-day silence before Gladstone is a flagged gap that starts
	 * near Brisbane and ends near Gladstone */
	int found = 0;
	for (size_t k = 0; k < r.e.nGap; k++) {
		const st_gap *gp = &r.e.aGap[k];
		if (gp->t0 == T("2014-12-02T23:49:29Z")) {
			found = 1;
			assert_true(gp->t1 == T("2014-12-25T22:29:23Z"));
			assert_true(gp->flagged);
			assert_string_equal(port_name(&r, gp->port0), "Brisbane");
			assert_string_equal(port_name(&r, gp->port1), "Gladstone");
			assert_int_equal(gp->nPossible, 0); /* no KP port in reach */
		}
	}
	assert_true(found);
	free_real(&r);
}

/* 503000530 stays in and around Sydney Harbour. Checked in the data: it
 * goes out through the Heads to sea and north to Broken Bay (up to 34 km
 * from the WPI Sydney point) and comes back; on 2014-05-24 it is seen twice
 * in Botany Bay at about 2 kn (01:24:15 and 01:30:47) and never stops there.
 * No voyage may start at Sydney: going to sea and back is not a voyage, and
 * moving through Botany Bay is a port call "passed through", not a stop. */
static void test_sydney(void **state)
{
	(void)state;
	real r;
	if (!run_real(&r, "amsa-503000530-2014.csv")) {
		free_real(&r);
		skip();
	}
	assert_int_equal(r.m.nPos, 1301);
	assert_int_equal(r.e.nVoyage, 0);
	size_t nBotany = 0;
	for (size_t k = 0; k < r.e.nCall; k++) {
		const st_port_call *c = &r.e.aCall[k];
		const char *z = port_name(&r, c->port);
		if (!strcmp(z, "Botany Bay")) {
			nBotany++;
			assert_int_equal(c->how, ST_CALL_PASSED_THROUGH);
			assert_true(c->arrival == T("2014-05-24T01:24:15Z"));
			assert_true(c->departure == T("2014-05-24T01:30:47Z"));
		} else {
			assert_string_equal(z, "Sydney");
			assert_int_equal(c->how, ST_CALL_STOPPED);
		}
	}
	assert_int_equal(nBotany, 1);
	assert_false(r.e.aCall[0].arrivalSeen);
	assert_false(r.e.aCall[r.e.nCall - 1].departureSeen);
	assert_int_equal(r.e.nEnc, 0);
	free_real(&r);
}

/* The dark port call question on the real gazetteer, with a made-up track:
 * a ship at anchor off Vostochnyy goes dark. Najin (Rajin) is 235 km away
 * by great circle: there and back at 12 kn is 21.2 h, plus the 12 h minimum
 * stay, so a 40-hour silence could hide a call at Rajin and a 30-hour one
 * could not. "Rajin" names the port through its alternate names. */
static void test_dark_call_vostochny_rajin(void **state)
{
	(void)state;
	real r;
	char zErr[256], zPath[1024];
	st_model_init(&r.m);
	st_gazetteer_init(&r.g);
	st_events_init(&r.e);
	st_params_default(&r.p);
	snprintf(zPath, sizeof zPath, "%s/data/ports.csv", ST_SOURCE_DIR);
	assert_int_equal(st_gazetteer_load_csv(&r.g, zPath, zErr, sizeof zErr), ST_OK);
	assert_int_equal(st_gazetteer_mark_concern(&r.g, "Rajin"), 1);
	assert_int_equal(st_gazetteer_mark_concern(&r.g, r.p.ports_of_concern), 10);
	assert_int_equal(st_gazetteer_index(&r.g, &r.p), ST_OK);
	/* made up: 2 h at anchor 5 km east of Vostochnyy, dark, back again */
	double lon5 = 133.083333 + 5.0 / (111.195 * cos(42.75 * M_PI / 180));
	for (int gap = 0; gap < 2; gap++) {
		uint32_t mmsi = 273000001u + (uint32_t)gap;
		int64_t tBack = T0 + 2 * HOUR + (gap ? 30 : 40) * HOUR;
		for (int k = 0; k < 5; k++) {
			fx_add(&r.m, mmsi, T0 + k * 30 * MIN, 42.75, lon5, 0, 'A');
			fx_add(&r.m, mmsi, tBack + k * 30 * MIN, 42.75, lon5, 0, 'A');
		}
	}
	assert_int_equal(st_model_finish(&r.m), ST_OK);
	assert_int_equal(st_analyze(&r.m, &r.g, &r.p, &r.e), ST_OK);
	assert_int_equal(r.e.nGap, 2);
	const st_gap *g40 = &r.e.aGap[0], *g30 = &r.e.aGap[1];
	assert_true(fabs(g40->hours - 40) < 1e-9 && fabs(g30->hours - 30) < 1e-9);
	assert_string_equal(port_name(&r, g40->port0), "Vostochnyy");
	assert_string_equal(port_name(&r, g40->port1), "Vostochnyy");
	int najin = 0;
	for (uint32_t j = 0; j < g40->nPossible; j++) {
		const st_port *pt = &r.g.aPort[r.e.aPossible[g40->iPossible + j]];
		assert_string_equal(pt->zCountry, "KP");
		najin |= !strcmp(pt->zName, "Najin");
	}
	assert_true(najin);
	assert_int_equal(g30->nPossible, 0);
	/* each ship: one call at Vostochnyy (anchored outside) spanning its
	 * silence, since it was still there when it reappeared */
	assert_int_equal(r.e.nCall, 2);
	free_real(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_brisbane_gladstone),
		cmocka_unit_test(test_sydney),
		cmocka_unit_test(test_dark_call_vostochny_rajin),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

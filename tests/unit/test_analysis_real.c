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

static void dump(const real *r)
{
	char a[32], b[32];
	for (size_t k = 0; k < r->e.nSeg; k++) {
		const st_segment *s = &r->e.aSegment[k];
		printf("seg %zu track %u prev %d %s %s n=%u km=%.1f\n", k, s->track, s->prev,
		       st_time_format(s->t0, a, sizeof a), st_time_format(s->t1, b, sizeof b), s->nPoint, s->km);
	}
	for (size_t k = 0; k < r->e.nCall; k++) {
		const st_port_call *c = &r->e.aCall[k];
		printf("call %zu %s how=%d seen=%d/%d %s %s n=%u prev=%s\n", k, r->g.aPort[c->port].zName, c->how,
		       c->arrivalSeen, c->departureSeen, st_time_format(c->arrival, a, sizeof a),
		       st_time_format(c->departure, b, sizeof b), c->nPoint,
		       c->prevPort >= 0 ? r->g.aPort[c->prevPort].zName : "-");
	}
	for (size_t k = 0; k < r->e.nVoyage; k++) {
		const st_voyage *v = &r->e.aVoyage[k];
		printf("voyage %s -> %s %s %s\n", r->g.aPort[v->fromPort].zName, r->g.aPort[v->toPort].zName,
		       st_time_format(v->departure, a, sizeof a), st_time_format(v->arrival, b, sizeof b));
	}
	printf("gaps %zu loiter %zu enc %zu\n", r->e.nGap, r->e.nLoiter, r->e.nEnc);
}

static void test_brisbane_gladstone(void **state)
{
	(void)state;
	real r;
	if (!run_real(&r, "amsa-503000720-2014.csv")) {
		free_real(&r);
		skip();
	}
	dump(&r);
	free_real(&r);
}

static void test_sydney(void **state)
{
	(void)state;
	real r;
	if (!run_real(&r, "amsa-503000530-2014.csv")) {
		free_real(&r);
		skip();
	}
	dump(&r);
	free_real(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_brisbane_gladstone),
		cmocka_unit_test(test_sydney),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

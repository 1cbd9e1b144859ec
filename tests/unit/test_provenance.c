/* The provenance rules on made-up cases (labelled as such): qualification
 * filters, the attribution window and tie rule, monthly accounting with an
 * empty month, the permutation test, and quantity estimates. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <cmocka.h>
#include "shiptrace/provenance.h"
#include "shiptrace/time.h"

#define DAY 86400000LL
#define T(mo, d, h) st_time_from_civil(2023, mo, d, h, 0, 0)

/* A made-up arrival at port 0 (say Vostochny). */
static st_prov_arrival arr(int64_t id, uint32_t mmsi, st_time_ms t, int type,
                           const char *zLast, int64_t poc_call, int64_t poc_gap)
{
	st_prov_arrival a;
	memset(&a, 0, sizeof a);
	a.id = id;
	a.voyage_id = id + 100;
	a.poc_call_id = poc_call;
	a.poc_gap_id = poc_gap;
	a.mmsi = mmsi;
	a.port = 0;
	a.t = t;
	a.ship_type = type;
	strcpy(a.last_country, zLast);
	return a;
}

static st_prov_record rec(int64_t id, st_time_ms t, double tonnes)
{
	st_prov_record r = {.id = id, .port = 0, .t = t, .selected = true,
	                    .tonnes = tonnes, .site = 0};
	return r;
}

static void test_qualification(void **state)
{
	(void)state;
	st_prov_params p;
	st_prov_params_default(&p);
	/* decoy tanker that did call at Rajin */
	st_prov_arrival tanker = arr(1, 273000001, T(9, 1, 0), 80, "KP", 7, -1);
	assert_non_null(st_prov_disqualify(&tanker, &p));
	/* container ship arriving from Busan, no port of concern */
	st_prov_arrival busan = arr(2, 440000001, T(9, 1, 0), 71, "KR", -1, -1);
	assert_non_null(st_prov_disqualify(&busan, &p));
	/* a container ship from Busan is excluded for its last port even when
	 * the port-of-concern rule is switched off */
	p.require_poc = false;
	assert_non_null(st_prov_disqualify(&busan, &p));
	p.nExclude = 0;
	assert_null(st_prov_disqualify(&busan, &p));
	st_prov_params_default(&p);
	/* the shuttle seen at Rajin: qualifies, high; one dark near Rajin: medium */
	st_prov_arrival seen = arr(3, 273000002, T(9, 1, 0), 70, "KP", 9, -1);
	st_prov_arrival dark = arr(4, 273000003, T(9, 1, 0), 79, "", -1, 12);
	assert_null(st_prov_disqualify(&seen, &p));
	assert_null(st_prov_disqualify(&dark, &p));
	assert_int_equal(st_prov_confidence(&seen), ST_CONF_HIGH);
	assert_int_equal(st_prov_confidence(&dark), ST_CONF_MEDIUM);
	/* switch off the ship-type filter: the tanker comes back */
	p.require_cargo_capable = false;
	assert_null(st_prov_disqualify(&tanker, &p));
	assert_true(st_prov_cargo_capable(-1));
	assert_false(st_prov_cargo_capable(30));
	assert_false(st_prov_cargo_capable(60));
	assert_false(st_prov_cargo_capable(52));
}

static void test_attribution_window_and_ties(void **state)
{
	(void)state;
	st_prov_params p;
	st_prov_params_default(&p);
	st_prov_arrival aArr[] = {
		arr(1, 273000001, T(9, 1, 0), 70, "KP", 5, -1),  /* shuttle A */
		arr(2, 273000002, T(9, 3, 0), 70, "", -1, 6),    /* shuttle B, in port at once */
		arr(3, 273000003, T(9, 2, 0), 80, "KP", 7, -1),  /* decoy tanker */
		arr(4, 440000001, T(9, 20, 0), 71, "KR", -1, -1),/* from Busan */
		arr(5, 273000004, T(11, 1, 0), 70, "KP", 8, -1), /* no records after it */
	};
	st_prov_record aRec[] = {
		rec(10, T(9, 2, 12), 100),  /* after A only -> A (tanker ignored) */
		rec(11, T(9, 4, 0), 200),   /* A and B in window -> B, the latest */
		rec(12, T(9, 8, 23), 300),  /* 5 d 23 h after B -> B */
		rec(13, T(9, 10, 1), 400),  /* 7 d 1 h after B -> none */
		rec(14, T(8, 20, 0), 500),  /* no arrival before it at all */
		rec(15, T(9, 21, 0), 600),  /* only the Busan ship before it */
	};
	aRec[3].selected = true;
	st_prov_record other = rec(16, T(9, 2, 0), 999);
	other.selected = false; /* not explosives */
	st_prov_record all[7];
	memcpy(all, aRec, sizeof aRec);
	all[6] = other;
	st_prov_attr aOut[7];
	size_t nOut = 0;
	assert_int_equal(st_prov_attribute(aArr, 5, all, 7, &p, aOut, &nOut), ST_OK);
	assert_int_equal(nOut, 3);
	assert_int_equal(aOut[0].iRecord, 0);
	assert_int_equal(aArr[aOut[0].iArrival].id, 1);
	assert_int_equal(aOut[0].conf, ST_CONF_HIGH);
	assert_int_equal(aOut[0].nCandidate, 1);
	assert_int_equal(aOut[1].iRecord, 1);
	assert_int_equal(aArr[aOut[1].iArrival].id, 2);
	assert_int_equal(aOut[1].conf, ST_CONF_MEDIUM);
	assert_int_equal(aOut[1].nCandidate, 2);
	assert_true(fabs(aOut[1].lag_days - 1.0) < 1e-9);
	assert_int_equal(aOut[2].iRecord, 2);
	assert_int_equal(aArr[aOut[2].iArrival].id, 2);

	/* a wider window reaches record 13; the narrower one loses record 12 */
	p.window_days = 8;
	assert_int_equal(st_prov_attribute(aArr, 5, all, 7, &p, aOut, &nOut), ST_OK);
	assert_int_equal(nOut, 4);
	p.window_days = 3;
	assert_int_equal(st_prov_attribute(aArr, 5, all, 7, &p, aOut, &nOut), ST_OK);
	assert_int_equal(nOut, 2);

	/* equal arrival times: the higher confidence wins, then the lower MMSI */
	st_prov_arrival tie[] = {
		arr(1, 273000009, T(9, 1, 0), 70, "", -1, 4),
		arr(2, 273000008, T(9, 1, 0), 70, "", 3, -1),
		arr(3, 273000007, T(9, 1, 0), 70, "", 2, -1),
	};
	st_prov_params_default(&p);
	assert_int_equal(st_prov_attribute(tie, 3, aRec, 1, &p, aOut, &nOut), ST_OK);
	assert_int_equal(nOut, 1);
	assert_int_equal(tie[aOut[0].iArrival].id, 3);
	assert_int_equal(aOut[0].nCandidate, 3);
}

static void test_local_time_conversion_changes_attribution(void **state)
{
	(void)state;
	/* A record stamped 05.09.2023 08:30 Vladivostok time (UTC+10) left at
	 * 22:30 UTC on the 4th: before an arrival at 02:00 UTC on the 5th, so
	 * it cannot be that ship's cargo; read as UTC it would be. */
	st_prov_params p;
	st_prov_params_default(&p);
	st_prov_arrival a = arr(1, 273000001, T(9, 5, 2), 70, "KP", 5, -1);
	st_time_ms local = st_time_parse("2023-09-05T08:30:00+10:00");
	st_time_ms naive = st_time_parse("2023-09-05T08:30:00Z");
	st_prov_record r1 = rec(1, local, 10), r2 = rec(2, naive, 10);
	st_prov_attr out[1];
	size_t n;
	st_prov_attribute(&a, 1, &r1, 1, &p, out, &n);
	assert_int_equal(n, 0);
	st_prov_attribute(&a, 1, &r2, 1, &p, out, &n);
	assert_int_equal(n, 1);
}

static void test_monthly_with_empty_december(void **state)
{
	(void)state;
	st_prov_params p;
	st_prov_params_default(&p);
	st_prov_arrival aArr[] = {
		arr(1, 273000001, T(11, 10, 0), 70, "KP", 5, -1),
		arr(2, 273000001, st_time_from_civil(2024, 1, 10, 0, 0, 0), 70, "KP", 6, -1),
	};
	st_prov_record aRec[] = {
		rec(1, T(11, 12, 0), 1000),
		rec(2, T(11, 28, 0), 50), /* unexplained */
		rec(3, st_time_from_civil(2024, 1, 12, 0, 0, 0), 2000),
	};
	st_prov_attr aAttr[3];
	size_t nAttr;
	st_prov_attribute(aArr, 2, aRec, 3, &p, aAttr, &nAttr);
	assert_int_equal(nAttr, 2);
	st_prov_month *aMon;
	size_t nMon;
	assert_int_equal(st_prov_monthly(aArr, 2, aRec, 3, aAttr, nAttr, 1, &p, &aMon, &nMon), ST_OK);
	assert_int_equal(nMon, 3); /* Nov, Dec, Jan */
	assert_int_equal(aMon[0].month, 11);
	assert_int_equal(aMon[0].nArrival, 1);
	assert_int_equal(aMon[0].nRecord, 2);
	assert_true(aMon[0].tonnes_attributed == 1000);
	assert_true(aMon[0].tonnes_unattributed == 50);
	assert_int_equal(aMon[1].year, 2023);
	assert_int_equal(aMon[1].month, 12);
	assert_int_equal(aMon[1].nArrival, 0);
	assert_int_equal(aMon[1].nRecord, 0);
	assert_true(aMon[1].tonnes_attributed == 0);
	assert_int_equal(aMon[2].year, 2024);
	assert_int_equal(aMon[2].month, 1);
	assert_true(aMon[2].tonnes_attributed == 2000);
	free(aMon);
}

/* Made-up series: 20 arrivals at random days over 180 days; records
 * either follow arrivals within a few days (linked) or fall at random
 * (unlinked). The test must find the first and not the second. */
static uint64_t lcg(uint64_t *s)
{
	*s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
	return *s >> 33;
}

static void make_series(int linked, st_prov_arrival *aArr, st_prov_record *aRec,
                        int nArr, int nRec, uint64_t seed)
{
	st_time_ms t0 = T(8, 1, 0);
	for (int i = 0; i < nArr; i++)
		aArr[i] = arr(i + 1, 273000000u + (uint32_t)(i % 4), t0 + (st_time_ms)(lcg(&seed) % 180) * DAY,
		              70, "KP", i, -1);
	for (int i = 0; i < nRec; i++) {
		st_time_ms t;
		if (linked)
			t = aArr[i % nArr].t + (st_time_ms)(lcg(&seed) % (6 * 24)) * 3600000LL;
		else
			t = t0 + (st_time_ms)(lcg(&seed) % (180 * 24)) * 3600000LL;
		aRec[i] = rec(i + 1, t, 50.0 + (double)(lcg(&seed) % 100));
	}
}

static void test_permutation(void **state)
{
	(void)state;
	st_prov_params p;
	st_prov_params_default(&p);
	st_prov_arrival aArr[20];
	st_prov_record aRec[200];
	st_prov_perm perm;

	make_series(1, aArr, aRec, 20, 200, 42);
	assert_int_equal(st_prov_permutation(aArr, 20, aRec, 200, &p, &perm), ST_OK);
	assert_int_equal(perm.nShift, 1000);
	assert_true(perm.real_tonnes > 0);
	assert_true(perm.mean_tonnes < perm.real_tonnes);
	assert_true(perm.p_value < 0.01);

	make_series(0, aArr, aRec, 20, 200, 42);
	assert_int_equal(st_prov_permutation(aArr, 20, aRec, 200, &p, &perm), ST_OK);
	assert_true(perm.p_value > 0.05);
	assert_true(perm.nAtLeast > 0 && perm.nAtLeast < perm.nShift);

	/* the p-value cannot fall below 1 / (1 + shifts) */
	p.permutations = 9;
	make_series(1, aArr, aRec, 20, 200, 42);
	st_prov_permutation(aArr, 20, aRec, 200, &p, &perm);
	assert_true(perm.p_value >= 0.1 - 1e-12);
}

static void test_lags_and_estimates(void **state)
{
	(void)state;
	st_prov_params p;
	st_prov_params_default(&p);
	st_prov_arrival a = arr(1, 273000001, T(9, 1, 0), 70, "KP", 5, -1);
	st_prov_record aRec[] = {rec(1, T(9, 1, 5), 1), rec(2, T(9, 3, 1), 1),
	                         rec(3, T(9, 30, 0), 1), rec(4, T(8, 1, 0), 1)};
	int aBin[10], nBeyond;
	st_prov_lag_histogram(&a, 1, aRec, 4, &p, aBin, 10, &nBeyond);
	assert_int_equal(aBin[0], 1);
	assert_int_equal(aBin[2], 1);
	assert_int_equal(nBeyond, 2);
	/* the case's own arithmetic: 74,000 t is about 1.6 million shells */
	assert_true(fabs(st_prov_shells(&p, 74000) - 1.6e6) < 1);
	assert_true(fabs(st_prov_containers(&p, 74000) - 11000) < 1);
	char zErr[128];
	assert_int_equal(st_prov_params_set(&p, "window_days", "3", zErr, sizeof zErr), ST_OK);
	assert_true(p.window_days == 3);
	assert_int_equal(st_prov_params_set(&p, "exclude_last_port_countries", "jp,cn", zErr, sizeof zErr), ST_OK);
	assert_int_equal(p.nExclude, 2);
	assert_string_equal(p.aExclude[1], "CN");
	assert_int_equal(st_prov_params_set(&p, "window_days", "soon", zErr, sizeof zErr), ST_ECONFIG);
	assert_int_equal(st_prov_params_set(&p, "nonsense", "1", zErr, sizeof zErr), ST_ECONFIG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_qualification),
		cmocka_unit_test(test_attribution_window_and_ties),
		cmocka_unit_test(test_local_time_conversion_changes_attribution),
		cmocka_unit_test(test_monthly_with_empty_december),
		cmocka_unit_test(test_permutation),
		cmocka_unit_test(test_lags_and_estimates),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Risk indicators on a made-up case screened against the real OFAC list:
 * each indicator appears with its evidence ids, vessels without any do not
 * appear, and the ranking follows the stated rule. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "shiptrace/registry.h"
#include "shiptrace/risk.h"
#include "shiptrace/sanctions.h"
#include "shiptrace/time.h"

#define OFAC ST_SHARED_DATA "/sanctions/ofac_sdn_2024-05-03.csv"

/* MID 445 is North Korea's; everything else is "RU" here, except 620
 * (Comoros) to give one IMO two flags. Made up for the test. */
static const char *flag_of(void *ctx, uint32_t mmsi)
{
	(void)ctx;
	switch (mmsi / 1000000) {
	case 445: return "KP";
	case 620: return "KM";
	default: return "RU";
	}
}

static const st_risk_row *row(const st_risk_row *a, int n, uint32_t mmsi, st_risk_indicator k)
{
	for (int i = 0; i < n; i++)
		if (a[i].mmsi == mmsi && a[i].ind == k)
			return &a[i];
	return NULL;
}

static void test_indicators_and_rank(void **state)
{
	(void)state;
	st_lists *p;
	st_screen_index *x;
	char zErr[256];
	assert_int_equal(st_lists_new(&p), ST_OK);
	assert_int_equal(st_lists_load(p, OFAC, NULL, NULL, zErr, sizeof zErr), ST_OK);
	assert_int_equal(st_screen_index_build(&x, p), ST_OK);
	st_time_ms t0 = st_time_parse("2023-09-01"), t1 = st_time_parse("2023-12-01");
	st_vessel_ident aId[] = {
		{273100001, 9179842, "ANGARA", NULL, t0, t1, 11},      /* listed */
		{273200002, 0, "QUIET ONE", NULL, t0, t1, 12},         /* behaviour */
		{273300003, 0, "FIRST NAME", NULL, t0, t0 + 1000, 13}, /* renamed */
		{273300003, 0, "SECOND NAME", NULL, t1 - 1000, t1, 14},
		{273400004, 9000015, "SWAPPER", NULL, t0, t0 + 1000, 15}, /* MMSI swap */
		{620400004, 9000015, "SWAPPER", NULL, t1 - 1000, t1, 16},
		{273500005, 0, "MARIA", NULL, t0, t1, 17},             /* name only */
		{445000006, 0, "FLAGGED", NULL, t0, t1, 18},           /* KP MID */
		{273600007, 0, "NOTHING TO SEE", NULL, t0, t1, 19},
		{273700008, 0, "REALLY NOTHING", NULL, t0, t1, 20},
	};
	int nId = (int)(sizeof aId / sizeof aId[0]);
	st_screen_hit *aHit;
	int nHit;
	assert_int_equal(st_screen(x, aId, nId, &aHit, &nHit, NULL), ST_OK);
	int64_t *aHitId = malloc((size_t)nHit * sizeof *aHitId);
	for (int i = 0; i < nHit; i++)
		aHitId[i] = 100 + i;
	st_risk_link aLink[] = {{273100001, 501, 1, "M LEASING LLC"}};
	st_risk_event aCall[] = {
		{273200002, 0, 701, t0, t0 + 86400000, "Najin", "KP", "KPNJN", 0},
		{273200002, 0, 702, t1, t1 + 86400000, "Vostochnyy", "RU", "RUVYP", 0},
		/* a port the analysis itself marked of concern */
		{273600007, 0, 703, t1, t1 + 86400000, "Somewhere", "XX", NULL, 1},
	};
	st_risk_event aGap[] = {
		{273200002, 0, 801, t0, t0 + 3 * 86400000LL, "Najin", NULL, NULL, 0},
		{273200002, 0, 802, t1, t1 + 3 * 86400000LL, "", NULL, NULL, 0}, /* none */
	};
	st_risk_event aEnc[] = {{273100001, 273200002, 901, t0, t0 + 7200000, NULL, NULL, NULL, 0}};
	st_risk_input in = {0};
	in.pLists = p;
	in.aIdent = aId;
	in.nIdent = nId;
	in.aHit = aHit;
	in.aHitId = aHitId;
	in.nHit = nHit;
	in.aLink = aLink;
	in.nLink = 1;
	in.aCall = aCall;
	in.nCall = 3;
	in.aGap = aGap;
	in.nGap = 2;
	in.aEnc = aEnc;
	in.nEnc = 1;
	in.zPortsOfConcern = "KP";
	in.zFlagsOfConcern = "KP";
	in.xFlag = flag_of;
	st_risk_row *aRow;
	st_risk_summary *aSum;
	int nRow, nSum;
	assert_int_equal(st_risk_assess(&in, &aRow, &nRow, &aSum, &nSum), ST_OK);

	const st_risk_row *r = row(aRow, nRow, 273100001, ST_RISK_LISTED);
	assert_non_null(r);
	assert_string_equal(r->zEvidence, "screening:100");
	assert_non_null(strstr(r->zDetail, "37059 'ANGARA' by imo"));
	r = row(aRow, nRow, 273100001, ST_RISK_LINKED);
	assert_string_equal(r->zEvidence, "links:501");
	r = row(aRow, nRow, 273200002, ST_RISK_ENCOUNTER_LISTED);
	assert_string_equal(r->zEvidence, "encounters:901");
	assert_non_null(strstr(r->zDetail, "ANGARA"));
	/* the listed ship does not get "met a listed vessel" from its own side */
	assert_null(row(aRow, nRow, 273100001, ST_RISK_ENCOUNTER_LISTED));
	r = row(aRow, nRow, 273200002, ST_RISK_PORT_OF_CONCERN);
	assert_string_equal(r->zEvidence, "port_calls:701");
	r = row(aRow, nRow, 273200002, ST_RISK_DARK_GAP);
	assert_string_equal(r->zEvidence, "gaps:801");
	r = row(aRow, nRow, 273300003, ST_RISK_IDENTITY_CHANGE);
	assert_string_equal(r->zEvidence, "vessel_identities:13,14");
	assert_non_null(strstr(r->zDetail, "FIRST NAME and SECOND NAME"));
	r = row(aRow, nRow, 273400004, ST_RISK_IDENTITY_CHANGE);
	assert_non_null(strstr(r->zDetail, "IMO 9000015 reported by MMSI 273400004 and MMSI 620400004"));
	assert_non_null(strstr(r->zDetail, "changed flag RU to KM"));
	assert_non_null(row(aRow, nRow, 620400004, ST_RISK_IDENTITY_CHANGE));
	r = row(aRow, nRow, 273500005, ST_RISK_NAME_MATCH);
	assert_int_equal(r->nEvidence, 2); /* MARIA and MARIA E */
	assert_null(row(aRow, nRow, 273500005, ST_RISK_LISTED));
	r = row(aRow, nRow, 445000006, ST_RISK_FLAG_OF_CONCERN);
	assert_string_equal(r->zEvidence, "mmsi:445000006");
	assert_non_null(strstr(r->zDetail, "KP"));

	/* Rank: listed first; the behaviour-only ship (tier 2, three
	 * indicators) second, then the one-call ship; tier 3 after, most
	 * indicators first. */
	r = row(aRow, nRow, 273600007, ST_RISK_PORT_OF_CONCERN);
	assert_string_equal(r->zEvidence, "port_calls:703");
	assert_int_equal(nSum, 8); /* REALLY NOTHING has no row */
	assert_int_equal(aSum[0].mmsi, 273100001);
	assert_int_equal(aSum[0].tier, 1);
	assert_string_equal(aSum[0].zIndicators, "listed,linked_to_listed");
	assert_non_null(strstr(aSum[0].zDrivers, "listed x1"));
	assert_int_equal(aSum[1].mmsi, 273200002);
	assert_int_equal(aSum[1].tier, 2);
	assert_int_equal(aSum[1].nIndicator, 3);
	assert_string_equal(aSum[1].zName, "QUIET ONE");
	assert_int_equal(aSum[2].mmsi, 273600007);
	assert_int_equal(aSum[2].tier, 2);
	for (int i = 3; i < nSum; i++) {
		assert_int_equal(aSum[i].tier, 3);
		assert_int_equal(aSum[i].rank, i + 1);
		if (i > 3)
			assert_true(aSum[i - 1].nIndicator >= aSum[i].nIndicator);
	}
	for (int i = 0; i < nSum; i++)
		assert_int_not_equal(aSum[i].mmsi, 273700008);
	st_risk_free(aRow, nRow, aSum);
	free(aHitId);
	free(aHit);
	st_screen_index_free(x);
	st_lists_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_indicators_and_rank),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

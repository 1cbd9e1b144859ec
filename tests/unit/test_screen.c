/* Screening on the real OFAC SDN list: the four ships of the case found by
 * IMO, the namesakes never confused with them, MMSI matches honoured only
 * while the MMSI was used by that ship, names reported as weak only; and the
 * link walk from a matched vessel to the listed parties behind it. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "shiptrace/registry.h"
#include "shiptrace/sanctions.h"
#include "shiptrace/time.h"

#define OFAC ST_SHARED_DATA "/sanctions/ofac_sdn_2024-05-03.csv"
#define FIX ST_SOURCE_DIR "/tests/fixtures/"

static st_lists *gOfac;
static st_screen_index *gIdx;

static int setup(void **state)
{
	(void)state;
	char zErr[256];
	if (st_lists_new(&gOfac) || st_lists_load(gOfac, OFAC, NULL, NULL, zErr, sizeof zErr))
		return -1;
	return st_screen_index_build(&gIdx, gOfac) ? -1 : 0;
}

static int teardown(void **state)
{
	(void)state;
	st_screen_index_free(gIdx);
	st_lists_free(gOfac);
	return 0;
}

static st_vessel_ident ident(uint32_t mmsi, uint32_t imo, const char *zName,
                             const char *zFrom, const char *zTo)
{
	st_vessel_ident v = {0};
	v.mmsi = mmsi;
	v.imo = imo;
	v.zName = zName;
	v.tFrom = st_time_parse(zFrom);
	v.tTo = st_time_parse(zTo);
	return v;
}

/* Hits of identity v, as "KIND:ENTRYNAME" strings joined by '|'. */
static void hits_of(const st_screen_hit *a, int n, int v, char *z, size_t nz)
{
	size_t m = 0;
	z[0] = '\0';
	for (int i = 0; i < n; i++) {
		if (a[i].iIdent != v)
			continue;
		const st_list_entry *e = st_lists_entry(gOfac, a[i].iEntry);
		m += (size_t)snprintf(z + m, nz - m, "%s%s:%s", m ? "|" : "",
		                      st_match_kind_name(a[i].kind), e->zName);
	}
}

static void test_case_ships_and_namesakes(void **state)
{
	(void)state;
	/* Identities as a case's static reports would give them; MMSIs made up. */
	st_vessel_ident a[] = {
		ident(273100001, 9179842, "ANGARA", "2023-08-01", "2023-12-31"),
		ident(273100002, 9161003, "LADY R", "2023-08-01", "2023-12-31"),
		ident(273100003, 9358010, "MAIA-1", "2023-08-01", "2023-12-31"),
		ident(273100004, 8517839, "MARIA", "2023-08-01", "2023-12-31"),
		/* A ship calling itself LADY R whose IMO is LADY RANIA's. */
		ident(273100005, 9784893, "LADY R", "2023-08-01", "2023-12-31"),
		/* A ship calling itself ANGARA whose IMO is SASCO ANGARA's. */
		ident(273100006, 9242986, "ANGARA", "2023-08-01", "2023-12-31"),
		/* The real namesakes under their own names. */
		ident(273100007, 9784893, "LADY RANIA", "2023-08-01", "2023-12-31"),
		ident(273100008, 9242986, "SASCO ANGARA", "2023-08-01", "2023-12-31"),
	};
	st_screen_hit *aHit;
	int nHit;
	st_screen_stats s;
	assert_int_equal(st_screen(gIdx, a, 8, &aHit, &nHit, &s), ST_OK);
	char z[512];
	static const char *const azWant[] = {
		"imo:ANGARA", "imo:LADY R", "imo:MAIA-1", "imo:MARIA",
		"imo:LADY RANIA", "imo:SASCO ANGARA", "imo:LADY RANIA", "imo:SASCO ANGARA",
	};
	for (int v = 0; v < 8; v++) {
		hits_of(aHit, nHit, v, z, sizeof z);
		assert_string_equal(z, azWant[v]);
	}
	/* The two false names were seen and set aside because the IMOs differ,
	 * and so was MARIA E (IMO 9617923), listed "a.k.a. 'MARIA'". */
	assert_int_equal(s.nNameSuppressed, 3);
	for (int i = 0; i < nHit; i++) {
		assert_true(aHit[i].decisive);
		assert_true(aHit[i].score == ST_SCORE_IMO);
		assert_true(aHit[i].tFrom == st_time_parse("2023-08-01"));
		assert_non_null(strstr(aHit[i].zWhy, "IMO"));
	}
	free(aHit);
}

static void test_mmsi_in_use(void **state)
{
	(void)state;
	/* LADY RANIA's MMSI 273382620 as used by three identities over time. */
	st_vessel_ident a[] = {
		/* another ship (valid IMO 9000015) used it first: no match */
		ident(273382620, 9000015, "OTHER SHIP", "2019-01-01", "2019-06-30"),
		/* no IMO reported: the MMSI alone matches, for that period only */
		ident(273382620, 0, "", "2022-01-01", "2022-03-31"),
		/* LADY RANIA herself: IMO and confirmed MMSI */
		ident(273382620, 9784893, "LADY RANIA", "2023-01-01", "2023-12-31"),
	};
	st_screen_hit *aHit;
	int nHit;
	st_screen_stats s;
	assert_int_equal(st_screen(gIdx, a, 3, &aHit, &nHit, &s), ST_OK);
	char z[512];
	hits_of(aHit, nHit, 0, z, sizeof z);
	assert_string_equal(z, "");
	assert_int_equal(s.nMmsiConflict, 1);
	hits_of(aHit, nHit, 1, z, sizeof z);
	assert_string_equal(z, "mmsi:LADY RANIA");
	hits_of(aHit, nHit, 2, z, sizeof z);
	assert_string_equal(z, "imo:LADY RANIA|mmsi:LADY RANIA");
	for (int i = 0; i < nHit; i++) {
		if (aHit[i].iIdent == 1) {
			assert_true(aHit[i].score == ST_SCORE_MMSI);
			assert_true(aHit[i].tFrom == st_time_parse("2022-01-01"));
			assert_true(aHit[i].tTo == st_time_parse("2022-03-31"));
			assert_non_null(strstr(aHit[i].zWhy, "no IMO reported"));
		}
		if (aHit[i].iIdent == 2 && aHit[i].kind == ST_MATCH_MMSI)
			assert_true(aHit[i].score == ST_SCORE_MMSI_CONFIRMED);
	}
	free(aHit);
	/* ST. VITAMIN is listed with MMSI 375311000 and no IMO: a ship using
	 * that MMSI with an IMO of its own still matches, and says so. */
	st_vessel_ident b[] = {ident(375311000, 9000015, "", "2023-01-01", "2023-02-01")};
	assert_int_equal(st_screen(gIdx, b, 1, &aHit, &nHit, &s), ST_OK);
	assert_int_equal(nHit, 1);
	assert_int_equal(aHit[0].kind, ST_MATCH_MMSI);
	assert_true(aHit[0].score == ST_SCORE_MMSI);
	assert_non_null(strstr(aHit[0].zWhy, "reports IMO 9000015, the list gives none"));
	free(aHit);
}

static void test_names_are_weak(void **state)
{
	(void)state;
	st_vessel_ident a[] = {
		ident(412000001, 0, "MARIA", "2023-01-01", "2023-02-01"),
		ident(412000002, 0, "\xD0\x90\xD0\xBD\xD0\xB3\xD0\xB0\xD1\x80\xD0\xB0", /* Ангара */
		      "2023-01-01", "2023-02-01"),
		ident(412000003, 0, "m/v Lady-R", "2023-01-01", "2023-02-01"),
		ident(412000004, 0, "LADY", "2023-01-01", "2023-02-01"),
		ident(412000005, 0, "ANGAR", "2023-01-01", "2023-02-01"),
		/* AIS cuts "AKADEMIK ALEKSANDR KARPINSKIY" at 20 characters */
		ident(412000006, 0, "AKADEMIK ALEKSANDR K", "2023-01-01", "2023-02-01"),
		/* a short name that happens to be a cut key does not match */
		ident(412000007, 0, "AKADEMIK ALEKSANDR", "2023-01-01", "2023-02-01"),
	};
	st_screen_hit *aHit;
	int nHit;
	assert_int_equal(st_screen(gIdx, a, 7, &aHit, &nHit, NULL), ST_OK);
	char z[512];
	/* Without an IMO a name cannot choose: MARIA E (IMO 9617923) is listed
	 * "a.k.a. 'MARIA'", so both entries come back, both weak. */
	hits_of(aHit, nHit, 0, z, sizeof z);
	assert_string_equal(z, "name:MARIA E|name:MARIA");
	hits_of(aHit, nHit, 1, z, sizeof z);
	assert_string_equal(z, "name:ANGARA");
	hits_of(aHit, nHit, 2, z, sizeof z);
	assert_string_equal(z, "name:LADY R");
	/* no partial names */
	hits_of(aHit, nHit, 3, z, sizeof z);
	assert_string_equal(z, "");
	hits_of(aHit, nHit, 4, z, sizeof z);
	assert_string_equal(z, "");
	hits_of(aHit, nHit, 5, z, sizeof z);
	assert_string_equal(z, "name:AKADEMIK ALEKSANDR KARPINSKIY");
	hits_of(aHit, nHit, 6, z, sizeof z);
	assert_string_equal(z, "");
	for (int i = 0; i < nHit; i++) {
		assert_false(aHit[i].decisive);
		assert_true(aHit[i].score == ST_SCORE_NAME);
		assert_non_null(strstr(aHit[i].zWhy, "does not identify"));
	}
	free(aHit);
}

static void test_links_real(void **state)
{
	(void)state;
	int iAngara = -1;
	for (int i = 0; i < st_lists_count(gOfac); i++)
		if (st_lists_entry(gOfac, i)->imo == 9179842)
			iAngara = i;
	assert_true(iAngara >= 0);
	st_reach *aR;
	int nR;
	assert_int_equal(st_links_reach(gIdx, iAngara, 1, &aR, &nR), ST_OK);
	assert_int_equal(nR, 1);
	assert_string_equal(st_lists_entry(gOfac, aR[0].iTarget)->zName, "M LEASING LLC");
	assert_int_equal(aR[0].nHop, 1);
	assert_non_null(strstr(aR[0].zPath, "ANGARA [vessel, OFAC SDN 37059, listed] -linked_to- M LEASING LLC"));
	st_reach_free(aR, nR);
	/* Two hops: whatever else is tied to M LEASING LLC, each at hop 2 and
	 * each listed; more reached than at one hop. */
	assert_int_equal(st_links_reach(gIdx, iAngara, 2, &aR, &nR), ST_OK);
	assert_true(nR > 1);
	for (int i = 1; i < nR; i++) {
		assert_int_equal(aR[i].nHop, 2);
		assert_true(st_lists_entry(gOfac, aR[i].iTarget)->listed);
		assert_non_null(strstr(aR[i].zPath, "M LEASING LLC"));
	}
	st_reach_free(aR, nR);
}

static void test_ftm_links(void **state)
{
	(void)state;
	st_lists *p;
	st_screen_index *x;
	char zErr[256];
	assert_int_equal(st_lists_new(&p), ST_OK);
	assert_int_equal(st_lists_load(p, FIX "ftm-made-up.jsonl", NULL, NULL, zErr, sizeof zErr), ST_OK);
	assert_int_equal(st_screen_index_build(&x, p), ST_OK);
	/* QUIET EXAMPLE is not listed; its owner is. */
	st_vessel_ident a[] = {ident(273000002, 9000053, "QUIET EXAMPLE", "2023-01-01", "2023-02-01")};
	st_screen_hit *aHit;
	int nHit;
	assert_int_equal(st_screen(x, a, 1, &aHit, &nHit, NULL), ST_OK);
	assert_int_equal(nHit, 2); /* imo + mmsi (confirmed) */
	const st_list_entry *e = st_lists_entry(p, aHit[0].iEntry);
	assert_int_equal(e->listed, 0);
	st_reach *aR;
	int nR;
	assert_int_equal(st_links_reach(x, aHit[0].iEntry, 2, &aR, &nR), ST_OK);
	assert_int_equal(nR, 1); /* the company, not the unlisted director */
	assert_string_equal(st_lists_entry(p, aR[0].iTarget)->zName, "EXAMPLE SHIPPING LLC");
	assert_non_null(strstr(aR[0].zPath, "-ownership-"));
	st_reach_free(aR, nR);
	free(aHit);
	st_screen_index_free(x);
	st_lists_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_case_ships_and_namesakes),
		cmocka_unit_test(test_mmsi_in_use),
		cmocka_unit_test(test_names_are_weak),
		cmocka_unit_test(test_links_real),
		cmocka_unit_test(test_ftm_links),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}

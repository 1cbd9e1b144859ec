/* List readers on the real OFAC SDN file and on fixtures: the OFAC legacy
 * CSV with its quirks, a made-up list in another CSV layout read through a
 * column mapping, and made-up FollowTheMoney JSON lines. Every input line
 * must be accounted for, bad rows named by line, good rows loaded. */
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

#define OFAC ST_SHARED_DATA "/sanctions/ofac_sdn_2024-05-03.csv"
#define FIX ST_SOURCE_DIR "/tests/fixtures/"

typedef struct rejects {
	int n;
	uint64_t aLine[32];
	char azWhy[32][128];
} rejects;

static void on_reject(void *ctx, const char *zFile, uint64_t line, const char *zWhy)
{
	rejects *r = ctx;
	assert_non_null(zFile);
	if (r->n < 32) {
		r->aLine[r->n] = line;
		snprintf(r->azWhy[r->n], sizeof r->azWhy[0], "%s", zWhy);
	}
	r->n++;
}

static int find_imo(const st_lists *p, uint32_t imo)
{
	int found = -1;
	for (int i = 0; i < st_lists_count(p); i++)
		if (st_lists_entry(p, i)->imo == imo) {
			assert_int_equal(found, -1); /* unique */
			found = i;
		}
	return found;
}

static int find_name(const st_lists *p, const char *zName)
{
	for (int i = 0; i < st_lists_count(p); i++)
		if (!strcmp(st_lists_entry(p, i)->zName, zName))
			return i;
	return -1;
}

static int has_link(const st_lists *p, int iFrom, int iTo, const char *zKind)
{
	for (int k = 0; k < st_lists_link_count(p); k++) {
		const st_list_link *l = st_lists_link(p, k);
		if (l->iFrom == iFrom && l->iTo == iTo && !strcmp(l->zKind, zKind))
			return 1;
	}
	return 0;
}

static void assert_accounted(const st_list_stats *s)
{
	assert_int_equal(s->nLine, s->nHeader + s->nRow + s->nSkipped);
}

static void test_ofac_real(void **state)
{
	(void)state;
	st_lists *p;
	st_list_stats s;
	rejects r = {0};
	char zErr[256];
	st_list_opts o = {0};
	o.xReject = on_reject;
	o.pRejectCtx = &r;
	assert_int_equal(st_lists_new(&p), ST_OK);
	assert_int_equal(st_lists_load(p, OFAC, &o, &s, zErr, sizeof zErr), ST_OK);
	assert_int_equal(s.format, ST_LIST_OFAC);
	/* 14,965 CRLF rows and the 0x1A end-of-file mark. */
	assert_int_equal(s.nRow, 14965);
	assert_int_equal(s.nSkipped, 1);
	assert_int_equal(s.nRejected, 0);
	assert_int_equal(r.n, 0);
	assert_accounted(&s);
	assert_int_equal(s.nEntry, 14965);
	assert_int_equal(s.nVessel, 851); /* as SOURCES.md states */
	int nVessel = 0, nImo = 0, nMmsi = 0;
	for (int i = 0; i < st_lists_count(p); i++) {
		const st_list_entry *e = st_lists_entry(p, i);
		if (e->kind == ST_ENT_VESSEL && e->listed) {
			nVessel++;
			nImo += e->imo != 0;
			nMmsi += e->mmsi != 0;
		}
		if (e->imo)
			assert_true(st_imo_valid(e->imo));
	}
	assert_int_equal(nVessel, 851);
	/* 844 labelled "IMO n" (843 "Vessel Registration Identification IMO",
	 * NS LEADER's "Identification Number IMO") plus 2 unlabelled numbers
	 * whose check digit holds (RYONG GUN BONG, FU YUAN YU 8683); the other
	 * 5 vessels have no IMO. 154 MMSIs. */
	assert_int_equal(nImo, 846);
	assert_string_equal(st_lists_entry(p, find_imo(p, 9339301))->zName, "NS LEADER");
	assert_int_equal(nMmsi, 154);
	assert_int_equal(s.nBadImo, 0);
	assert_int_equal(s.nOddMmsi, 0); /* all 154 are ship MMSIs */

	/* The four ships of the case. */
	static const struct {
		uint32_t imo;
		const char *zName;
		const char *zOwner;
	} aCase[] = {
		{9179842, "ANGARA", "M LEASING LLC"},
		{9161003, "LADY R", "TRANSMORFLOT LLC"},
		{9358010, "MAIA-1", "TRANSMORFLOT LLC"},
		{8517839, "MARIA", "IBEX SHIPPING INC"},
	};
	for (size_t k = 0; k < 4; k++) {
		int i = find_imo(p, aCase[k].imo);
		assert_true(i >= 0);
		const st_list_entry *e = st_lists_entry(p, i);
		assert_string_equal(e->zName, aCase[k].zName);
		assert_int_equal(e->kind, ST_ENT_VESSEL);
		assert_string_equal(e->zProgram, "RUSSIA-EO14024");
		assert_string_equal(e->zFlag, "Russia");
		int iOwner = find_name(p, aCase[k].zOwner);
		assert_true(iOwner >= 0);
		/* resolved to the listed entry, not a made-up party */
		assert_int_equal(st_lists_entry(p, iOwner)->listed, 1);
		assert_true(has_link(p, i, iOwner, "linked_to"));
	}
	/* Namesakes are different entries with their own numbers. */
	int iRania = find_imo(p, 9784893);
	assert_string_equal(st_lists_entry(p, iRania)->zName, "LADY RANIA");
	assert_int_equal(st_lists_entry(p, iRania)->mmsi, 273382620);
	assert_string_equal(st_lists_entry(p, iRania)->zCallSign, "UBBO9");
	assert_string_equal(st_lists_entry(p, find_imo(p, 9242986))->zName, "SASCO ANGARA");
	/* Company IMO numbers ("Identification Number IMO 6016988") are not
	 * ship numbers. */
	const st_list_entry *eT = st_lists_entry(p, find_name(p, "TRANSMORFLOT LLC"));
	assert_int_equal(eT->imo, 0);
	assert_int_equal(eT->kind, ST_ENT_ORGANIZATION);
	/* Unlabelled IMO accepted on its check digit. */
	assert_string_equal(st_lists_entry(p, find_imo(p, 8606173))->zName, "RYONG GUN BONG");
	/* "A] [B] [C" programs. */
	const st_list_entry *eV = st_lists_entry(p, find_name(p, "ST. VITAMIN"));
	assert_string_equal(eV->zProgram, "UKRAINE-EO13661; CYBER2; ELECTION-EO13848");
	assert_int_equal(eV->mmsi, 375311000);
	/* a.k.a. */
	const st_list_entry *eB = st_lists_entry(p, find_name(p, "BANCO NACIONAL DE CUBA"));
	assert_int_equal(eB->nAlias, 1);
	assert_string_equal(eB->azAlias[0], "BNC");
	assert_true(s.nTruncated > 0);
	assert_true(s.nLink > 6000);
	st_lists_free(p);
}

static void test_ofac_malformed(void **state)
{
	(void)state;
	st_lists *p;
	st_list_stats s;
	rejects r = {0};
	char zErr[256];
	st_list_opts o = {0};
	o.xReject = on_reject;
	o.pRejectCtx = &r;
	assert_int_equal(st_lists_new(&p), ST_OK);
	assert_int_equal(st_lists_load(p, FIX "ofac-sdn-excerpt-malformed.csv", &o, &s,
	                               zErr, sizeof zErr), ST_OK);
	assert_int_equal(s.format, ST_LIST_OFAC);
	assert_int_equal(s.nRejected, 5);
	assert_int_equal(r.n, 5);
	static const uint64_t aWant[] = {11, 12, 13, 14, 16};
	for (int i = 0; i < 5; i++)
		assert_int_equal(r.aLine[i], aWant[i]);
	assert_non_null(strstr(r.azWhy[0], "expected 12 fields"));
	assert_non_null(strstr(r.azWhy[3], "unterminated"));
	assert_non_null(strstr(r.azWhy[4], "twice"));
	assert_int_equal(s.nEntry, 12);
	assert_int_equal(s.nSkipped, 1);
	assert_accounted(&s);
	/* The row after the unterminated quote still loads. */
	assert_true(find_imo(p, 8517839) >= 0);
	/* latin-1 converted; bad IMO and MMSI dropped and counted. */
	int i = find_name(p, "MADE UP CAF\xC3\x89");
	assert_true(i >= 0);
	const st_list_entry *e = st_lists_entry(p, i);
	assert_int_equal(e->imo, 0);
	assert_int_equal(e->mmsi, 0);
	assert_int_equal(s.nBadImo, 1);
	assert_int_equal(s.nBadMmsi, 1);
	assert_int_equal(e->nAlias, 1);
	assert_string_equal(e->azAlias[0], "CAFE");
	/* Vess_owner becomes a named-only party linked as owner. */
	int iOwner = find_name(p, "Made Up Owner Ltd.");
	assert_true(iOwner >= 0);
	assert_int_equal(st_lists_entry(p, iOwner)->listed, 0);
	assert_true(has_link(p, i, iOwner, "owner"));
	/* "Linked To: JOINT STOCK COMPANY ALFA-BANK." is not in the excerpt. */
	assert_int_equal(s.nLinkUnresolved, 1);
	st_lists_free(p);
}

static void test_mapped_csv(void **state)
{
	(void)state;
	st_lists *p;
	st_list_stats s;
	rejects r = {0};
	char zErr[256];
	st_list_opts o = {0};
	o.xReject = on_reject;
	o.pRejectCtx = &r;
	o.zMap = FIX "uk-style-list.map";
	assert_int_equal(st_lists_new(&p), ST_OK);
	st_status rcLoad = st_lists_load(p, FIX "uk-style-list-made-up.csv", &o, &s,
	                               zErr, sizeof zErr);
	if (rcLoad) print_message("%s\n", zErr);
	assert_int_equal(rcLoad, ST_OK);
	assert_int_equal(s.format, ST_LIST_CSV);
	assert_int_equal(s.nHeader, 2);
	assert_int_equal(s.nRow, 8);
	assert_int_equal(s.nRejected, 2);
	assert_int_equal(r.aLine[0], 8);
	assert_int_equal(r.aLine[1], 9);
	assert_accounted(&s);
	assert_int_equal(s.nEntry, 5); /* two rows of EXA0001 merged */
	assert_int_equal(s.nVessel, 3);
	int i = find_imo(p, 9179842);
	const st_list_entry *e = st_lists_entry(p, i);
	assert_string_equal(e->zName, "ANGARA");
	assert_string_equal(e->zList, "EXAMPLE UK-STYLE LIST");
	assert_string_equal(e->zEntryId, "EXA0001");
	assert_int_equal(e->kind, ST_ENT_VESSEL);
	assert_int_equal(e->nAlias, 1);
	assert_string_equal(e->azAlias[0], "\xD0\x90\xD0\xBD\xD0\xB3\xD0\xB0\xD1\x80\xD0\xB0");
	int iOwner = find_name(p, "M LEASING LLC");
	assert_int_equal(st_lists_entry(p, iOwner)->kind, ST_ENT_ORGANIZATION);
	assert_int_equal(st_lists_entry(p, iOwner)->listed, 1);
	assert_true(has_link(p, i, iOwner, "owner"));
	assert_int_equal(s.nBadImo, 1); /* EXAMPLE STAR */
	assert_int_equal(st_lists_entry(p, find_name(p, "EXAMPLE STAR"))->imo, 0);
	assert_int_equal(s.nLinkUnresolved, 1); /* EXAMPLE HOLDINGS LTD */
	assert_int_equal(st_lists_entry(p, find_name(p, "EXAMPLE \"ONE\""))->kind, ST_ENT_PERSON);
	/* A mapping naming a column the file lacks is an error, not a guess. */
	st_lists *p2;
	assert_int_equal(st_lists_new(&p2), ST_OK);
	o.zMap = "name=Name 6,imo=IMO No,delimiter=;,skip_lines=1";
	assert_int_equal(st_lists_load(p2, FIX "uk-style-list-made-up.csv", &o, &s,
	                               zErr, sizeof zErr), ST_ECONFIG);
	assert_non_null(strstr(zErr, "IMO No"));
	st_lists_free(p2);
	st_lists_free(p);
}

static void test_mapped_encoding(void **state)
{
	(void)state;
	/* Made up: a tab-separated latin-1 list with aliases and links in
	 * columns, read through an inline mapping. */
	char zPath[] = "/tmp/st_list_XXXXXX";
	int fd = mkstemp(zPath);
	assert_true(fd >= 0);
	FILE *f = fdopen(fd, "wb");
	fputs("Ref\tShip\tAKA\tIMO\tLinked\tMMSI\n"
	      "R1\tS\xC3O JO\xC3O\tSAO JOAO II|SJ\t9000015\tEXAMPLE OWNER\t970012345\n"
	      "R2\tEXAMPLE OWNER\t\t\t\t\n", f);
	fclose(f);
	st_lists *p;
	st_list_stats s;
	char zErr[256];
	st_list_opts o = {0};
	o.zMap = "name=Ship,aliases=AKA,alias_separator=|,imo=IMO,entry_id=Ref,"
	         "linked_entities=Linked,mmsi=MMSI,delimiter=tab,encoding=latin-1,"
	         "list=MADE UP";
	assert_int_equal(st_lists_new(&p), ST_OK);
	assert_int_equal(st_lists_load(p, zPath, &o, &s, zErr, sizeof zErr), ST_OK);
	remove(zPath);
	assert_int_equal(s.nEntry, 2);
	assert_int_equal(s.nRejected, 0);
	int i = find_imo(p, 9000015);
	const st_list_entry *e = st_lists_entry(p, i);
	assert_string_equal(e->zName, "S\xC3\x83O JO\xC3\x83O"); /* SÃO JOÃO in UTF-8 */
	assert_int_equal(e->kind, ST_ENT_VESSEL); /* has an IMO */
	assert_int_equal(e->nAlias, 2);
	assert_string_equal(e->azAlias[1], "SJ");
	/* an AIS-SART number: kept, but counted as not a ship's MMSI */
	assert_int_equal(e->mmsi, 970012345);
	assert_int_equal(s.nOddMmsi, 1);
	int iOwner = find_name(p, "EXAMPLE OWNER");
	assert_true(has_link(p, i, iOwner, "linked_to"));
	assert_int_equal(s.nLinkUnresolved, 0);
	st_lists_free(p);
}

static void test_ftm(void **state)
{
	(void)state;
	st_lists *p;
	st_list_stats s;
	rejects r = {0};
	char zErr[256];
	st_list_opts o = {0};
	o.xReject = on_reject;
	o.pRejectCtx = &r;
	assert_int_equal(st_lists_new(&p), ST_OK);
	assert_int_equal(st_lists_load(p, FIX "ftm-made-up.jsonl", &o, &s, zErr,
	                               sizeof zErr), ST_OK);
	assert_int_equal(s.format, ST_LIST_FTM);
	assert_int_equal(s.nLine, 13);
	assert_int_equal(s.nRejected, 2);
	assert_int_equal(r.aLine[0], 10);
	assert_int_equal(r.aLine[1], 11);
	assert_int_equal(s.nSkipped, 1);
	assert_accounted(&s);
	assert_int_equal(s.nEntry, 6);
	assert_int_equal(s.nVessel, 3);
	assert_int_equal(s.nLink, 4);
	assert_int_equal(s.nLinkUnresolved, 1);
	int iV1 = find_imo(p, 9000041);
	const st_list_entry *e = st_lists_entry(p, iV1);
	assert_string_equal(e->zName, "EXAMPLE TRADER");
	assert_int_equal(e->listed, 1);
	assert_int_equal(e->mmsi, 273000001);
	assert_string_equal(e->zCallSign, "UEXA1");
	assert_string_equal(e->zList, "OpenSanctions");
	int iC1 = st_lists_find(p, "OpenSanctions", "mu-company-1");
	assert_int_equal(st_lists_entry(p, iC1)->listed, 1);
	assert_string_equal(st_lists_entry(p, iC1)->zProgram, "MADE-UP PROGRAM");
	int iV2 = find_imo(p, 9000053);
	assert_int_equal(st_lists_entry(p, iV2)->listed, 0);
	assert_true(has_link(p, iC1, iV2, "ownership"));
	int iP = st_lists_find(p, "OpenSanctions", "mu-person-1");
	assert_int_equal(st_lists_entry(p, iP)->kind, ST_ENT_PERSON);
	assert_true(has_link(p, iP, iC1, "directorship"));
	st_lists_free(p);
}

static void test_buffer_garbage(void **state)
{
	(void)state;
	/* Nothing readable: every line rejected, nothing crashes. */
	static const char z[] = "\"\n\x01\x02,,,\n\"\"\"\n{\n";
	st_lists *p;
	st_list_stats s;
	char zErr[256];
	st_list_opts o = {0};
	o.format = ST_LIST_OFAC;
	assert_int_equal(st_lists_new(&p), ST_OK);
	assert_int_equal(st_lists_load_buffer(p, "garbage", z, sizeof z - 1, &o, &s,
	                                      zErr, sizeof zErr), ST_OK);
	assert_int_equal(s.nEntry, 0);
	/* the first quoted field runs over three lines: two records */
	assert_int_equal(s.nLine, 4);
	assert_int_equal(s.nRow, 2);
	assert_int_equal(s.nRejected, 2);
	o.format = ST_LIST_FTM;
	assert_int_equal(st_lists_load_buffer(p, "garbage", z, sizeof z - 1, &o, &s,
	                                      zErr, sizeof zErr), ST_OK);
	assert_int_equal(s.nEntry, 0);
	assert_int_equal(s.nRejected, 4);
	st_lists_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ofac_real),
		cmocka_unit_test(test_ofac_malformed),
		cmocka_unit_test(test_mapped_csv),
		cmocka_unit_test(test_mapped_encoding),
		cmocka_unit_test(test_ftm),
		cmocka_unit_test(test_buffer_garbage),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

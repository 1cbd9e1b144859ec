/* IMO check digits, MMSI structure, the MID table loader and the name
 * normalisation every matcher relies on. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "shiptrace/registry.h"

static void test_imo(void **state)
{
	(void)state;
	/* The four ships of the case and the two namesakes, from the OFAC list. */
	assert_true(st_imo_valid(9179842));
	assert_true(st_imo_valid(9161003));
	assert_true(st_imo_valid(9358010));
	assert_true(st_imo_valid(8517839));
	assert_true(st_imo_valid(9784893));
	assert_true(st_imo_valid(9242986));
	/* One digit off fails; so do wrong lengths. */
	assert_false(st_imo_valid(9179843));
	assert_false(st_imo_valid(9161013));
	assert_false(st_imo_valid(917984));
	assert_false(st_imo_valid(91798420));
	assert_false(st_imo_valid(0));
	uint32_t v;
	assert_int_equal(st_imo_parse("IMO 9179842", 11, &v), 1);
	assert_int_equal(v, 9179842);
	assert_int_equal(st_imo_parse(" 9179842.", 9, &v), 1);
	assert_int_equal(st_imo_parse("IMO9179843", 10, &v), 0);
	assert_int_equal(v, 9179843);
	assert_int_equal(st_imo_parse("917984", 6, &v), -1);
	assert_int_equal(st_imo_parse("IMORYE", 6, &v), -1);
	assert_int_equal(st_imo_parse("9179842 (Russia)", 16, &v), -1);
}

static void test_mmsi(void **state)
{
	(void)state;
	int mid;
	assert_int_equal(st_mmsi_classify(273382620, &mid), ST_MMSI_SHIP);
	assert_int_equal(mid, 273);
	assert_int_equal(st_mmsi_classify(445123456, &mid), ST_MMSI_SHIP);
	assert_int_equal(mid, 445);
	/* MID outside 201..775 */
	assert_int_equal(st_mmsi_classify(199123456, &mid), ST_MMSI_INVALID);
	assert_int_equal(st_mmsi_classify(776123456, &mid), ST_MMSI_INVALID);
	assert_int_equal(mid, 0);
	assert_int_equal(st_mmsi_classify(1000000000u, &mid), ST_MMSI_INVALID);
	assert_int_equal(st_mmsi_classify(27338262, &mid), ST_MMSI_GROUP);     /* 027338262 */
	assert_int_equal(mid, 273);
	assert_int_equal(st_mmsi_classify(2573100, &mid), ST_MMSI_COAST);      /* 002573100 */
	assert_int_equal(mid, 257);
	assert_int_equal(st_mmsi_classify(111273101, &mid), ST_MMSI_SAR_AIRCRAFT);
	assert_int_equal(mid, 273);
	assert_int_equal(st_mmsi_classify(827312345, &mid), ST_MMSI_HANDHELD);
	assert_int_equal(st_mmsi_classify(982731234, &mid), ST_MMSI_CRAFT_AUX);
	assert_int_equal(st_mmsi_classify(992731234, &mid), ST_MMSI_ATON);
	assert_int_equal(mid, 273);
	assert_int_equal(st_mmsi_classify(970012345, &mid), ST_MMSI_SART);
	assert_int_equal(st_mmsi_classify(972012345, NULL), ST_MMSI_MOB);
	assert_int_equal(st_mmsi_classify(974012345, NULL), ST_MMSI_EPIRB);
	assert_int_equal(st_mmsi_classify(123, NULL), ST_MMSI_INVALID);
	assert_int_equal(st_mmsi_classify(912345678, NULL), ST_MMSI_INVALID);
	assert_string_equal(st_mmsi_kind_name(ST_MMSI_ATON), "aid_to_navigation");
}

static void norm(const char *zIn, const char *zWant)
{
	char z[128];
	size_t n = st_vessel_name(zIn, z, sizeof z);
	assert_string_equal(z, zWant);
	assert_int_equal(n, strlen(zWant));
}

static void test_normalize(void **state)
{
	(void)state;
	norm("ANGARA", "ANGARA");
	norm("m/v Angara", "ANGARA");
	norm("M.V. ANGARA", "ANGARA");
	norm("MV  ANGARA ", "ANGARA");
	norm("\xD0\x90\xD0\xBD\xD0\xB3\xD0\xB0\xD1\x80\xD0\xB0", "ANGARA"); /* Ангара */
	norm("\xD0\x9C\xD0\xB0\xD1\x80\xD0\xB8\xD1\x8F", "MARIIA");            /* Мария, ICAO */
	norm("MAIA-1", "MAIA 1");
	norm("Lady R.", "LADY R");
	norm("LADY RANIA", "LADY RANIA");
	norm("S\xC3\xA3o Jo\xC3\xA3o", "SAO JOAO");
	norm("MT", "MT");                    /* a prefix alone is the name */
	norm("MS", "MS");
	norm("  ", "");
	norm("\xD0\xA9\xD0\xB5\xD1\x80\xD0\xB1\xD0\xB0", "SHCHERBA");         /* Щерба */
	/* Truncation never splits and is NUL-terminated. */
	char z[6];
	st_vessel_name("ABCDEFGH", z, sizeof z);
	assert_string_equal(z, "ABCDE");
}

static void test_latin1(void **state)
{
	(void)state;
	char z[16];
	size_t n = st_latin1_to_utf8("Caf\xE9", 4, z, sizeof z);
	assert_int_equal(n, 5);
	assert_string_equal(z, "Caf\xC3\xA9");
	assert_true(st_utf8_valid(z, n));
	assert_false(st_utf8_valid("Caf\xE9", 4));
	assert_false(st_utf8_valid("\xC0\x80", 2)); /* overlong */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_imo),
		cmocka_unit_test(test_mmsi),
		cmocka_unit_test(test_normalize),
		cmocka_unit_test(test_latin1),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Name normalisation and transliteration-tolerant keys. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "shiptrace/names.h"

static void assert_key_eq(const char *a, const char *b)
{
	char ka[128], kb[128];
	st_name_key(a, ka, sizeof ka);
	st_name_key(b, kb, sizeof kb);
	assert_string_equal(ka, kb);
}

static void assert_key_ne(const char *a, const char *b)
{
	char ka[128], kb[128];
	st_name_key(a, ka, sizeof ka);
	st_name_key(b, kb, sizeof kb);
	assert_string_not_equal(ka, kb);
}

static void test_normalize(void **state)
{
	(void)state;
	char z[64];
	st_name_normalize("  Lady-R. ", z, sizeof z);
	assert_string_equal(z, "LADY R");
	st_name_normalize("Восточный", z, sizeof z);
	assert_string_equal(z, "VOSTOCHNYI");
	st_name_normalize("MAIA-1", z, sizeof z);
	assert_string_equal(z, "MAIA 1");
	st_name_normalize("Ålesund", z, sizeof z);
	assert_string_equal(z, "ALESUND");
	st_name_normalize("Находка", z, 5);
	assert_string_equal(z, "NAKH");
}

static void test_keys(void **state)
{
	(void)state;
	assert_key_eq("Восточный", "Vostochny");
	assert_key_eq("Vostochny", "Vostochnyy");
	assert_key_eq("ВОСТОЧНЫЙ", "vostochnyi");
	assert_key_eq("Дунай", "Dunai");
	assert_key_eq("Dunay", "DUNAI");
	assert_key_eq("Находка", "Nakhodka");
	assert_key_eq("Nahodka", "Nakhodka");
	assert_key_eq("Lady R", "LADY-R");
	assert_key_ne("Lady R", "Lady Rania");
	assert_key_ne("Angara", "Sasco Angara");
	assert_key_ne("MAIA-1", "MAIA-11");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_normalize),
		cmocka_unit_test(test_keys),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

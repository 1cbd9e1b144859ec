/* Civil time conversion and ISO 8601 parsing: epochs, leap years, offsets,
 * the formats PostgreSQL and GeoPackage return. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "shiptrace/time.h"

static void test_epoch_and_leap(void **state)
{
	(void)state;
	assert_int_equal(st_days_from_civil(1970, 1, 1), 0);
	assert_int_equal(st_days_from_civil(2000, 3, 1), 11017);
	assert_int_equal(st_time_from_civil(2024, 2, 29, 0, 0, 0), 1709164800000LL);
	char buf[40];
	assert_string_equal(st_time_format(1709164800123LL, buf, sizeof buf),
	                    "2024-02-29T00:00:00.123Z");
	assert_string_equal(st_time_format(-1000, buf, sizeof buf), "1969-12-31T23:59:59Z");
}

static void test_parse(void **state)
{
	(void)state;
	assert_true(st_time_parse("2023-01-11T00:00:04") == 1673395204000LL);
	assert_true(st_time_parse("2023-01-11 00:00:04+00") == 1673395204000LL);
	assert_true(st_time_parse("2023-09-05T14:30:00+10:00") ==
	            st_time_parse("2023-09-05T04:30:00Z"));
	assert_true(st_time_parse("2023-09-05") == st_time_parse("2023-09-05T00:00:00Z"));
	assert_true(st_time_parse("2023-13-05") == ST_TIME_NONE);
	assert_true(st_time_parse("2023-09-05T14:30:00junk") == ST_TIME_NONE);
	assert_true(st_time_parse("") == ST_TIME_NONE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_epoch_and_leap),
		cmocka_unit_test(test_parse),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* The AIS payload decoder on real sentences: 6-bit armour boundaries, fill
 * bits, signed fields, "not available" values, '@' padding in text, and the
 * length tolerances for short senders. Payloads are cut from the sentence
 * text here so that these tests do not depend on the NMEA framing module. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "shiptrace/ais.h"

/* Decodes the payload (field 6) of one !AIVDM sentence with its fill bits
 * (field 7). */
static st_status decode_sentence(const char *zLine, st_ais_msg *m)
{
	const char *p = zLine, *zPay;
	size_t nPay;
	int i;
	for (i = 0; i < 5; i++) {
		p = strchr(p, ',');
		assert_non_null(p);
		p++;
	}
	zPay = p;
	p = strchr(p, ',');
	assert_non_null(p);
	nPay = (size_t)(p - zPay);
	return st_ais_decode(zPay, nPay, (unsigned)(p[1] - '0'), m);
}

static void test_type1_position(void **state)
{
	st_ais_msg m;
	(void)state;
	assert_int_equal(decode_sentence("!AIVDM,1,1,,A,15N1u<PP1FJuvSRHOE6QIwwh0HQ6,0*30", &m), ST_OK);
	assert_int_equal(m.type, 1);
	assert_int_equal(m.repeat, 0);
	assert_int_equal(m.mmsi, 367033650);
	assert_int_equal(m.type1.status, 0);
	assert_int_equal(m.type1.turn, ST_AIS_TURN_NA);
	assert_int_equal(m.type1.speed, 86);
	assert_false(m.type1.accuracy);
	assert_int_equal(m.type1.lon, -42208143);
	assert_int_equal(m.type1.lat, 25679130);
	assert_int_equal(m.type1.course, 359);
	assert_int_equal(m.type1.heading, ST_AIS_HEADING_NA);
	assert_int_equal(m.type1.second, 56);
	assert_int_equal(m.type1.radio, 100422);
}

static void test_type5_static(void **state)
{
	st_ais_msg m;
	(void)state;
	assert_int_equal(decode_sentence("!AIVDM,1,1,1,B,53eaFL02?;fwTPm7V219E@R1@PE8E<622222221@9hG1A7?@NCPSlm3kc5DhH8888888880,2*7F", &m), ST_OK);
	assert_int_equal(m.type, 5);
	assert_int_equal(m.mmsi, 249190000);
	assert_int_equal(m.type5.imo, 9383663);
	assert_string_equal(m.type5.callsign, "9HMQ9");
	assert_string_equal(m.type5.shipname, "RUTH THERESA");
	assert_string_equal(m.type5.destination, "BOSTON,USA");
	assert_int_equal(m.type5.shiptype, 80);
	assert_int_equal(m.type5.to_bow, 78);
	assert_int_equal(m.type5.to_stern, 23);
	assert_int_equal(m.type5.to_port, 1);
	assert_int_equal(m.type5.to_starboard, 17);
	assert_int_equal(m.type5.month, 12);
	assert_int_equal(m.type5.day, 30);
	assert_int_equal(m.type5.hour, 16);
	assert_int_equal(m.type5.minute, 30);
	assert_int_equal(m.type5.draught, 78);
}

static void test_bad_armour(void **state)
{
	st_ais_msg m;
	(void)state;
	/* 'X' (0x58) and 'x' fall between and after the two armour ranges. */
	assert_int_equal(st_ais_decode("15N1u<PP1FJuvSRHOE6QIwwh0HQX", 28, 0, &m), ST_EMALFORMED);
	assert_int_equal(st_ais_decode("15N1u<PP1FJuvSRHOE6QIwwh0HQx", 28, 0, &m), ST_EMALFORMED);
	assert_int_equal(st_ais_decode("15N1u<PP1FJuvSRHOE6QIwwh0HQ ", 28, 0, &m), ST_EMALFORMED);
	assert_int_equal(st_ais_decode("", 0, 0, &m), ST_EMALFORMED);
	assert_int_equal(st_ais_decode("15N1u<PP1FJuvSRHOE6QIwwh0HQ6", 28, 6, &m), ST_EMALFORMED);
	/* Too short for a type 1. */
	assert_int_equal(st_ais_decode("15N1u<PP1FJuvSRHOE6QIwwh", 24, 0, &m), ST_EMALFORMED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_type1_position),
		cmocka_unit_test(test_type5_static),
		cmocka_unit_test(test_bad_armour),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

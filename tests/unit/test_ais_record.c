/* Raw AIS messages to normalised records: degrees, knots, metres, NAN and
 * -1 for "not available", record kinds per type, and the identity part of
 * types 5, 19 and 24. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <math.h>
#include <cmocka.h>
#include "ais_test_util.h"

static void decode(const char *zPay, unsigned fill, st_ais_msg *m)
{
	assert_int_equal(st_ais_decode(zPay, strlen(zPay), fill, m), ST_OK);
}

static void test_class_a_position(void **state)
{
	st_ais_msg m;
	st_record r;
	(void)state;
	decode("15N1u<PP1FJuvSRHOE6QIwwh0HQ6", 0, &m);
	assert_int_equal(st_ais_to_record(&m, 1325394060000LL, &r), ST_REC_POSITION);
	assert_int_equal(r.kind, ST_REC_POSITION);
	assert_int_equal(r.mmsi, 367033650);
	assert_true(r.t == 1325394060000LL);
	assert_ptr_equal(r.ais, &m);
	assert_int_equal(r.pos.mmsi, 367033650);
	assert_true(fabs(r.pos.lon - -70.3469050) < 1e-6);
	assert_true(fabs(r.pos.lat - 42.7985500) < 1e-6);
	assert_true(fabsf(r.pos.sog - 8.6f) < 1e-5f);
	assert_true(fabsf(r.pos.cog - 35.9f) < 1e-5f);
	assert_int_equal(r.pos.heading, -1);
	assert_int_equal(r.pos.nav_status, 0);
	assert_int_equal(r.pos.msg_type, 1);
	assert_int_equal(r.pos.cls, 'A');
}

static void type1_bits(ais_test_bits *b, unsigned speed, int lon, int lat,
                       unsigned course, unsigned heading)
{
	tb_head(b, 3, 0, 244000001);
	tb_u(b, 4, 5);
	tb_s(b, 8, 0);
	tb_u(b, 10, speed);
	tb_u(b, 1, 0);
	tb_s(b, 28, lon);
	tb_s(b, 27, lat);
	tb_u(b, 12, course);
	tb_u(b, 9, heading);
	tb_u(b, 6, 0);
	tb_u(b, 25, 0);
}

static void test_not_available(void **state)
{
	ais_test_bits b;
	st_ais_msg m;
	st_record r;
	(void)state;
	type1_bits(&b, 1023, ST_AIS_LON_NA, ST_AIS_LAT_NA, 3600, 511);
	assert_int_equal(tb_decode(&b, b.nBit, &m), ST_OK);
	assert_int_equal(st_ais_to_record(&m, ST_TIME_NONE, &r), ST_REC_POSITION);
	assert_true(r.t == ST_TIME_NONE);
	assert_true(isnan(r.pos.lat) && isnan(r.pos.lon));
	assert_true(isnan(r.pos.sog) && isnan(r.pos.cog));
	assert_int_equal(r.pos.heading, -1);
	assert_int_equal(r.pos.nav_status, 5);
	/* One coordinate missing makes no position. */
	type1_bits(&b, 1022, 600000, ST_AIS_LAT_NA, 3599, 359);
	assert_int_equal(tb_decode(&b, b.nBit, &m), ST_OK);
	st_ais_to_record(&m, 0, &r);
	assert_true(isnan(r.pos.lat) && isnan(r.pos.lon));
	assert_true(fabsf(r.pos.sog - 102.2f) < 1e-4f);
	assert_true(fabsf(r.pos.cog - 359.9f) < 1e-4f);
	assert_int_equal(r.pos.heading, 359);
	/* Southern and western hemispheres; the edges are valid. */
	type1_bits(&b, 0, -108000000, -54000000, 0, 0);
	assert_int_equal(tb_decode(&b, b.nBit, &m), ST_OK);
	st_ais_to_record(&m, 0, &r);
	assert_true(r.pos.lon == -180.0 && r.pos.lat == -90.0);
	assert_true(r.pos.sog == 0.0f && r.pos.cog == 0.0f);
	assert_int_equal(r.pos.heading, 0);
	type1_bits(&b, 0, -1, -6, 0, 0);
	assert_int_equal(tb_decode(&b, b.nBit, &m), ST_OK);
	st_ais_to_record(&m, 0, &r);
	assert_true(r.pos.lon < 0 && r.pos.lon > -1e-5);
	assert_true(fabs(r.pos.lat - -0.00001) < 1e-12);
}

static void test_other_position_types(void **state)
{
	st_ais_msg m;
	st_record r;
	(void)state;
	/* Type 18: class B. */
	decode("B5MiOp0006g4up6:EV403wr5oP06", 0, &m);
	assert_int_equal(st_ais_to_record(&m, 0, &r), ST_REC_POSITION);
	assert_int_equal(r.pos.cls, 'B');
	assert_int_equal(r.pos.msg_type, 18);
	assert_int_equal(r.pos.nav_status, -1);
	assert_true(r.pos.sog == 0.0f);
	assert_true(fabs(r.pos.lon - -70.7110667) < 1e-6);
	assert_true(fabs(r.pos.lat - 43.0721617) < 1e-6);
	/* Type 4: base station, with its position not available. */
	decode("403Ovl@000Htt<tSF0l4Q@100`Pq", 0, &m);
	assert_int_equal(st_ais_to_record(&m, 0, &r), ST_REC_POSITION);
	assert_int_equal(r.pos.cls, 0);
	assert_true(isnan(r.pos.lat));
	assert_true(isnan(r.pos.sog));
	/* Type 9: SAR aircraft, speed in whole knots. */
	decode("9muc;QvN2`TG6BE76wm;U7u>K>?b", 0, &m);
	assert_int_equal(st_ais_to_record(&m, 0, &r), ST_REC_POSITION);
	assert_true(r.pos.sog == 168.0f);
	assert_true(fabsf(r.pos.cog - 296.4f) < 1e-4f);
	/* Type 27: long range, 1/10 minute positions, knots and degrees. */
	decode("KvQ:1o`7EBrBQ`?w", 0, &m);
	assert_int_equal(st_ais_to_record(&m, 0, &r), ST_REC_POSITION);
	assert_int_equal(r.pos.msg_type, 27);
	assert_true(isnan(r.pos.lon)); /* 200.2 degrees: off the globe */
	assert_true(r.pos.sog == 16.0f);
	assert_true(r.pos.cog == 255.0f);
	assert_int_equal(r.pos.nav_status, 0);
	/* Types without a vessel position are OTHER. */
	decode("603Owlh0>5Q@04000000", 0, &m);
	assert_int_equal(st_ais_to_record(&m, 0, &r), ST_REC_OTHER);
	assert_int_equal(r.mmsi, m.mmsi);
	assert_ptr_equal(r.ais, &m);
}

static void test_static_type5(void **state)
{
	st_ais_msg m;
	st_record r;
	(void)state;
	decode("53eaFL02?;fwTPm7V219E@R1@PE8E<622222221@9hG1A7?@NCPSlm3kc5DhH8888888880", 2, &m);
	assert_int_equal(st_ais_to_record(&m, 5, &r), ST_REC_STATIC);
	assert_int_equal(r.stat.mmsi, 249190000);
	assert_int_equal(r.stat.imo, 9383663);
	assert_string_equal(r.stat.name, "RUTH THERESA");
	assert_string_equal(r.stat.callsign, "9HMQ9");
	assert_string_equal(r.stat.destination, "BOSTON,USA");
	assert_int_equal(r.stat.ship_type, 80);
	assert_int_equal(r.stat.to_bow, 78);
	assert_int_equal(r.stat.to_stern, 23);
	assert_int_equal(r.stat.to_port, 1);
	assert_int_equal(r.stat.to_starboard, 17);
	assert_true(fabsf(r.stat.draught - 7.8f) < 1e-5f);
	assert_int_equal(r.stat.eta_month, 12);
	assert_int_equal(r.stat.eta_day, 30);
	assert_int_equal(r.stat.eta_hour, 16);
	assert_int_equal(r.stat.eta_minute, 30);
	assert_int_equal(r.stat.msg_type, 5);
	assert_int_equal(r.stat.part, -1);
}

static void test_static_type24_and_19(void **state)
{
	ais_test_bits b;
	st_ais_msg m;
	st_record r;
	(void)state;
	decode("H5MiOp1:uJ0MDhJ0<P4hhDpLE80", 2, &m);
	assert_int_equal(st_ais_to_record(&m, 0, &r), ST_REC_STATIC);
	assert_int_equal(r.stat.part, 0);
	assert_string_equal(r.stat.name, "R/V GULF CHALLENGER");
	assert_int_equal(r.stat.ship_type, -1);
	assert_true(isnan(r.stat.draught));

	/* Part B of an auxiliary craft: no dimensions. */
	tb_head(&b, 24, 0, 981234567);
	tb_u(&b, 2, 1);
	tb_u(&b, 8, 31);
	tb_text(&b, 7, "VENDOR1");
	tb_text(&b, 7, "AUX1");
	tb_u(&b, 30, 211000050);
	tb_u(&b, 6, 0);
	assert_int_equal(tb_decode(&b, b.nBit, &m), ST_OK);
	assert_int_equal(st_ais_to_record(&m, 0, &r), ST_REC_STATIC);
	assert_int_equal(r.stat.part, 1);
	assert_string_equal(r.stat.name, "");
	assert_string_equal(r.stat.callsign, "AUX1");
	assert_int_equal(r.stat.ship_type, 31);
	assert_int_equal(r.stat.to_bow, -1);
	assert_int_equal(r.stat.to_starboard, -1);

	/* Type 19: a position from st_ais_to_record, its identity from
	 * st_ais_to_static. */
	decode("C5N3SRgPEnJGEBT>NhWAwwo862PaLELTBJ:V00000000S0D:R220", 0, &m);
	assert_int_equal(st_ais_to_record(&m, 0, &r), ST_REC_POSITION);
	assert_int_equal(r.pos.cls, 'B');
	assert_true(fabsf(r.pos.sog - 8.7f) < 1e-5f);
	assert_int_equal(st_ais_to_static(&m, 0, &r), ST_REC_STATIC);
	assert_string_equal(r.stat.name, "CAPT.J.RIMES");
	assert_int_equal(r.stat.ship_type, 70);
	assert_int_equal(r.stat.to_stern, 21);
	assert_int_equal(r.stat.msg_type, 19);
	/* Not every message has an identity part. */
	decode("15N1u<PP1FJuvSRHOE6QIwwh0HQ6", 0, &m);
	r.kind = ST_REC_POSITION;
	assert_int_equal(st_ais_to_static(&m, 0, &r), ST_REC_OTHER);
	assert_int_equal(r.kind, ST_REC_POSITION);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_class_a_position),
		cmocka_unit_test(test_not_available),
		cmocka_unit_test(test_other_position_types),
		cmocka_unit_test(test_static_type5),
		cmocka_unit_test(test_static_type24_and_19),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

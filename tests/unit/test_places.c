/* Places and facilities: transliteration-tolerant resolution, user places
 * first, CSV and GeoJSON, bad rows with their line, nearest facility.
 * Fixtures are made up and say so. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <cmocka.h>
#include "shiptrace/places.h"

static char zDir[64];

static void write_file(const char *zName, const char *zData)
{
	char zPath[128];
	snprintf(zPath, sizeof zPath, "%s/%s", zDir, zName);
	FILE *f = fopen(zPath, "wb");
	assert_non_null(f);
	fputs(zData, f);
	fclose(f);
}

static int setup(void **state)
{
	(void)state;
	strcpy(zDir, "/tmp/st_places_XXXXXX");
	if (!mkdtemp(zDir))
		return -1;
	write_file("places.csv",
	           "# MADE-UP fixture\n"
	           "name,aliases,kind,country,lat,lon\n"
	           "Vostochny,Восточный;Vostochnyy;Восточный порт,port,RU,42.75,133.0833\n"
	           "Dunai,Дунай;Dunay,port,RU,42.8803,132.3375\n"
	           "Kotluban,Котлубань,station,RU,49.05,44.22\n"
	           "Broken,,station,RU,95.0,10\n"
	           "Short,x\n");
	write_file("facilities.geojson",
	           "{\"type\":\"FeatureCollection\",\"features\":["
	           "{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[44.30,49.08]},"
	           "\"properties\":{\"name\":\"Depot A (made up)\",\"kind\":\"ammunition depot\",\"sanctioned\":false}},"
	           "{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[38.0,55.0]},"
	           "\"properties\":{\"name\":\"Factory B (made up)\",\"kind\":\"factory\",\"sanctioned\":true,\"list_entry\":\"SDN 12345\"}},"
	           "{\"type\":\"Feature\",\"geometry\":{\"type\":\"LineString\",\"coordinates\":[[0,0],[1,1]]},"
	           "\"properties\":{\"name\":\"not a point\"}}]}");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	char zCmd[128];
	snprintf(zCmd, sizeof zCmd, "rm -rf %s", zDir);
	return system(zCmd);
}

static uint64_t aRejLine[8];
static int nRej;

static void on_reject(void *ctx, const char *zFile, uint64_t line, const char *zWhy)
{
	(void)ctx;
	(void)zFile;
	(void)zWhy;
	aRejLine[nRej++] = line;
}

static void test_resolve(void **state)
{
	(void)state;
	st_places *p = st_places_new();
	char zPath[128], zErr[256];
	size_t nAdd, nBad;
	snprintf(zPath, sizeof zPath, "%s/places.csv", zDir);
	nRej = 0;
	assert_int_equal(st_places_read(p, zPath, on_reject, NULL, &nAdd, &nBad, zErr, sizeof zErr), ST_OK);
	assert_int_equal(nAdd, 3);
	assert_int_equal(nBad, 2);
	assert_int_equal(aRejLine[0], 6);
	assert_int_equal(aRejLine[1], 7);
	int iV = st_places_find(p, "Vostochny");
	assert_true(iV >= 0);
	assert_int_equal(st_places_find(p, "ВОСТОЧНЫЙ"), iV);
	assert_int_equal(st_places_find(p, "vostochnyy"), iV);
	assert_int_equal(st_places_find(p, "Восточный порт"), iV);
	assert_int_equal(st_places_find(p, "Dunay"), st_places_find(p, "Дунай"));
	assert_int_equal(st_places_find(p, "Nakhodka"), -1);
	assert_int_equal(st_places_find(p, ""), -1);

	snprintf(zPath, sizeof zPath, "%s/facilities.geojson", zDir);
	nRej = 0;
	assert_int_equal(st_places_read(p, zPath, on_reject, NULL, &nAdd, &nBad, zErr, sizeof zErr), ST_OK);
	assert_int_equal(nAdd, 2);
	assert_int_equal(nBad, 1);
	double d;
	const st_place *k = st_places_get(p, (size_t)st_places_find(p, "Kotluban"));
	int iF = st_places_nearest(p, k->lat, k->lon, true, &d);
	assert_string_equal(st_places_get(p, (size_t)iF)->zName, "Depot A (made up)");
	assert_true(d > 5000 && d < 10000);
	const st_place *fb = st_places_get(p, (size_t)st_places_find(p, "Factory B (made up)"));
	assert_true(fb->sanctioned);
	assert_string_equal(fb->zListEntry, "SDN 12345");
	st_places_free(p);
}

static void test_distance(void **state)
{
	(void)state;
	/* one degree of latitude is about 111.2 km; across the antimeridian
	 * two points 0.2 degrees apart stay close */
	assert_true(fabs(st_distance_m(0, 0, 1, 0) - 111195) < 10);
	assert_true(st_distance_m(0, 179.9, 0, -179.9) < 23000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_resolve),
		cmocka_unit_test(test_distance),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}

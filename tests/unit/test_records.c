/* Shipment records through a column map: a made-up Russian rail-record
 * file (labelled as such in its first line) in Windows-1251 with local
 * Vladivostok times and weights in kg, plus broken rows that must be
 * rejected with their line numbers while the rest load. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <iconv.h>
#include <unistd.h>
#include <cmocka.h>
#include "shiptrace/records.h"
#include "shiptrace/time.h"

static const char zCsvUtf8[] =
	"# MADE-UP test fixture, not real records\n"
	"\"Номер документа\";\"Дата отправления\";\"Станция отправления\";\"Станция назначения\";\"Код груза\";\"Наименование груза\";\"Вес, кг\"\n"
	"ЭИ-0001;05.09.2023 14:30;Восточный;Котлубань;483068;Взрывчатые вещества;\"61 250\"\n"
	"ЭИ-0002;05.09.2023 08:30;Дунай;Брянск;483068;Взрывчатые вещества;1250,5\n"
	"ЭИ-0003;31.09.2023 08:30;Дунай;Брянск;483068;Взрывчатые вещества;100\n"
	"ЭИ-0004;06.09.2023 08:30;Дунай;Брянск;483068;Взрывчатые вещества;много\n"
	"ЭИ-0005;06.09.2023 08:30;Дунай\n"
	"\n"
	"ЭИ-0006;07.09.2023 23:59;\"Восточный; причал 3\";Москва;161005;Уголь;70000\n";

static char zDir[64];

static void write_file(const char *zName, const char *zData, size_t n)
{
	char zPath[128];
	snprintf(zPath, sizeof zPath, "%s/%s", zDir, zName);
	FILE *f = fopen(zPath, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(zData, 1, n, f), n);
	fclose(f);
}

static int setup(void **state)
{
	(void)state;
	strcpy(zDir, "/tmp/st_records_XXXXXX");
	if (!mkdtemp(zDir))
		return -1;
	/* the fixture in Windows-1251 */
	iconv_t cd = iconv_open("WINDOWS-1251", "UTF-8");
	char aOut[4096];
	char *pIn = (char *)zCsvUtf8, *pOut = aOut;
	size_t nIn = strlen(zCsvUtf8), nOut = sizeof aOut;
	if (iconv(cd, &pIn, &nIn, &pOut, &nOut) == (size_t)-1)
		return -1;
	iconv_close(cd);
	write_file("records.csv", aOut, sizeof aOut - nOut);
	static const char zMap[] =
		"{\"_comment\":\"made up\",\"record_id\":\"Номер документа\",\"date\":\"Дата отправления\","
		"\"origin\":\"Станция отправления\",\"destination\":\"Станция назначения\","
		"\"cargo_code\":\"Код груза\",\"cargo_text\":\"Наименование груза\",\"weight\":\"Вес, кг\","
		"\"date_format\":\"%d.%m.%Y %H:%M\",\"timezone\":\"Asia/Vladivostok\",\"weight_unit\":\"kg\","
		"\"delimiter\":\";\",\"encoding\":\"WINDOWS-1251\"}";
	write_file("map.json", zMap, strlen(zMap));
	static const char zTypo[] = "{\"date\":\"a\",\"origin\":\"b\",\"weight\":\"c\",\"wieght_unit\":\"kg\"}";
	write_file("typo.json", zTypo, strlen(zTypo));
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	char zCmd[128];
	snprintf(zCmd, sizeof zCmd, "rm -rf %s", zDir);
	return system(zCmd);
}

typedef struct got {
	st_shipment a[16];
	int n;
	uint64_t aLine[16];
	char azWhy[16][64];
	int nRej;
} got;

static int on_row(void *ctx, const st_shipment *s)
{
	got *g = ctx;
	g->a[g->n++] = *s;
	return 0;
}

static void on_reject(void *ctx, const char *zFile, uint64_t line, const char *zWhy)
{
	got *g = ctx;
	(void)zFile;
	g->aLine[g->nRej] = line;
	snprintf(g->azWhy[g->nRej++], 64, "%s", zWhy);
}

static void test_read_cp1251_local_time(void **state)
{
	(void)state;
	char zPath[128], zMap[128], zErr[256];
	snprintf(zPath, sizeof zPath, "%s/records.csv", zDir);
	snprintf(zMap, sizeof zMap, "%s/map.json", zDir);
	st_records_map m;
	assert_int_equal(st_records_map_load(zMap, &m, zErr, sizeof zErr), ST_OK);
	got *g = calloc(1, sizeof *g);
	st_records_stats st;
	assert_int_equal(st_records_read(zPath, &m, on_row, on_reject, g, &st, zErr, sizeof zErr), ST_OK);
	assert_int_equal(g->n, 3);
	assert_int_equal(g->nRej, 3);
	assert_int_equal(st.lines, 9);
	assert_int_equal(st.blank, 2);
	assert_int_equal(st.records + st.rejected + st.blank + 1, st.lines);
	assert_string_equal(g->a[0].zRecordId, "ЭИ-0001");
	assert_string_equal(g->a[0].zOrigin, "Восточный");
	assert_string_equal(g->a[0].zCargoText, "Взрывчатые вещества");
	/* 14:30 in Vladivostok (UTC+10) is 04:30 UTC */
	assert_true(g->a[0].t == st_time_parse("2023-09-05T04:30:00Z"));
	assert_true(g->a[0].tonnes > 61.2499 && g->a[0].tonnes < 61.2501);
	assert_true(g->a[1].tonnes > 1.2504 && g->a[1].tonnes < 1.2506);
	/* 08:30 local on the 5th is the 4th in UTC */
	assert_true(g->a[1].t == st_time_parse("2023-09-04T22:30:00Z"));
	assert_string_equal(g->a[2].zOrigin, "Восточный; причал 3");
	assert_int_equal(g->a[2].line, 9);
	assert_int_equal(g->aLine[0], 5);
	assert_string_equal(g->azWhy[0], "date does not match date_format");
	assert_int_equal(g->aLine[1], 6);
	assert_string_equal(g->azWhy[1], "weight is not a number");
	assert_int_equal(g->aLine[2], 7);
	assert_string_equal(g->azWhy[2], "wrong number of fields");
	free(g);
}

static void test_map_errors(void **state)
{
	(void)state;
	char zMap[128], zErr[256];
	st_records_map m;
	snprintf(zMap, sizeof zMap, "%s/typo.json", zDir);
	assert_int_equal(st_records_map_load(zMap, &m, zErr, sizeof zErr), ST_ECONFIG);
	assert_non_null(strstr(zErr, "wieght_unit"));
	snprintf(zMap, sizeof zMap, "%s/missing.json", zDir);
	assert_int_equal(st_records_map_load(zMap, &m, zErr, sizeof zErr), ST_EIO);
	assert_non_null(strstr(zErr, "missing.json"));
}

static void test_zones_and_formats(void **state)
{
	(void)state;
	st_time_ms t;
	assert_int_equal(st_local_to_utc(2023, 12, 1, 10, 0, 0, "+10:00", &t), ST_OK);
	assert_true(t == st_time_parse("2023-12-01T00:00:00Z"));
	assert_int_equal(st_local_to_utc(2023, 12, 1, 10, 0, 0, "-03:30", &t), ST_OK);
	assert_true(t == st_time_parse("2023-12-01T13:30:00Z"));
	assert_int_equal(st_local_to_utc(2023, 7, 1, 12, 0, 0, "Europe/Moscow", &t), ST_OK);
	assert_true(t == st_time_parse("2023-07-01T09:00:00Z"));
	assert_int_equal(st_local_to_utc(2023, 7, 1, 12, 0, 0, "Mars/Olympus", &t), ST_ECONFIG);
	assert_int_equal(st_local_to_utc(2023, 7, 1, 12, 0, 0, "+25:00", &t), ST_ECONFIG);
	int y, mo, d, h, mi, s;
	assert_int_equal(st_parse_date("2023-09-05 14:30:00", "%Y-%m-%d %H:%M:%S", &y, &mo, &d, &h, &mi, &s), ST_OK);
	assert_int_equal(h, 14);
	assert_int_equal(st_parse_date("05/09/23", "%d/%m/%y", &y, &mo, &d, &h, &mi, &s), ST_OK);
	assert_int_equal(y, 2023);
	assert_int_equal(st_parse_date("05.09.2023 x", "%d.%m.%Y", &y, &mo, &d, &h, &mi, &s), ST_EMALFORMED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read_cp1251_local_time),
		cmocka_unit_test(test_map_errors),
		cmocka_unit_test(test_zones_and_formats),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}

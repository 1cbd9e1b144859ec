/* The CSV reader: every row of the real NOAA sample checked against the
 * values in the file (re-read here with a naive splitter and strtod), the
 * made-up DMA fixture with its broken rows, a mapped layout, RFC 4180
 * splitting, and the line accounting. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "csv/csv.h"
#include "io/lines.h"
#include "shiptrace/time.h"

#define NOAA ST_SHARED_DATA "/ais/noaa-marinecadastre-2023-01-11-sample.csv"
#define DMA ST_SOURCE_DIR "/tests/data/dma-layout-made-up.csv"
#define MAPPED ST_SOURCE_DIR "/tests/data/mapped-layout-made-up.csv"

typedef struct rejected {
	uint64_t line;
	st_reject why;
	const char *zDetail;
} rejected;

typedef struct run {
	st_record aRec[4096];
	int nRec;
	rejected aRej[64];
	int nRej;
	st_nmea_stats stats;
} run;

/* Feeds a whole file through a fresh CSV reader. */
static void run_file(const char *zPath, st_format fmt, const char *zMap, run *pRun)
{
	memset(pRun, 0, sizeof *pRun);
	st__lines *src;
	char zErr[256];
	assert_int_equal(st__lines_open(&src, zPath, 0, 0, zErr, sizeof zErr), ST_OK);
	st__csv *p;
	assert_int_equal(st__csv_new(&p, fmt, zMap, zErr, sizeof zErr), ST_OK);
	const char *z;
	size_t n;
	st__csv_out out;
	st_status rc;
	while ((rc = st__lines_next(src, &z, &n)) == ST_OK) {
		rc = st__csv_feed(p, z, n, st__lines_lineno(src), &out, zErr, sizeof zErr);
		if (rc == ST_OK) {
			for (int i = 0; i < out.nRec; i++)
				pRun->aRec[pRun->nRec++] = out.aRec[i];
		} else if (rc != ST_EAGAIN) {
			assert_true(rc == ST_EMALFORMED || rc == ST_EUNPARSEABLE);
			pRun->aRej[pRun->nRej++] = (rejected){out.line, out.why, out.zDetail};
		}
	}
	assert_int_equal(rc, ST_ENOTFOUND);
	if (st__csv_finish(p, &out) != ST_ENOTFOUND)
		pRun->aRej[pRun->nRej++] = (rejected){out.line, out.why, out.zDetail};
	pRun->stats = *st__csv_stats(p);
	st__csv_free(p);
	st__lines_close(src);
}

static void check_accounting(const st_nmea_stats *s)
{
	uint64_t nRej = 0;
	for (int i = 0; i < ST_REJ_COUNT; i++)
		nRej += s->rejected[i];
	assert_int_equal(s->lines, s->msg_sentences + s->meta_lines + s->blank_lines + nRej);
	assert_int_equal(s->held, 0);
}

static run g;

static void test_noaa_sample(void **state)
{
	(void)state;
	run_file(NOAA, ST_FMT_NOAA_CSV, NULL, &g);
	assert_int_equal(g.nRej, 0);
	assert_int_equal(g.stats.lines, 1001);
	assert_int_equal(g.stats.meta_lines, 1);
	assert_int_equal(g.stats.messages, 1000);
	check_accounting(&g.stats);

	/* Re-read the file naively (it has no quotes) and compare each row. */
	FILE *f = fopen(NOAA, "r");
	assert_non_null(f);
	char zLine[1024];
	assert_non_null(fgets(zLine, sizeof zLine, f));
	int iRec = 0, nStatic = 0, nHeadingNa = 0;
	while (fgets(zLine, sizeof zLine, f)) {
		zLine[strcspn(zLine, "\r\n")] = 0;
		char *az[17], *zp = zLine;
		for (int i = 0; i < 17; i++)
			az[i] = strsep(&zp, ",");
		assert_null(zp);
		const st_position *pos = &g.aRec[iRec].pos;
		assert_int_equal(g.aRec[iRec].kind, ST_REC_POSITION);
		assert_int_equal(pos->mmsi, strtoul(az[0], NULL, 10));
		assert_true(pos->t == st_time_parse(az[1]));
		assert_true(g.aRec[iRec].t == pos->t);
		assert_true(fabs(pos->lat - strtod(az[2], NULL)) < 1e-9);
		assert_true(fabs(pos->lon - strtod(az[3], NULL)) < 1e-9);
		double sog = strtod(az[4], NULL), cog = strtod(az[5], NULL);
		double hdg = strtod(az[6], NULL);
		if (sog > 102.2)
			assert_true(isnan(pos->sog));
		else
			assert_true(fabsf(pos->sog - (float)sog) < 1e-4f);
		if (cog >= 360)
			assert_true(isnan(pos->cog));
		else
			assert_true(fabsf(pos->cog - (float)cog) < 1e-4f);
		if (hdg == 511) {
			assert_int_equal(pos->heading, -1);
			nHeadingNa++;
		} else {
			assert_int_equal(pos->heading, (int)hdg);
		}
		assert_int_equal(pos->nav_status, *az[11] ? (int)strtod(az[11], NULL) : -1);
		assert_int_equal(pos->cls, az[16][0]);
		assert_int_equal(pos->msg_type, 0);
		iRec++;
		/* Two rows of this sample carry no static data at all (empty
		 * name, IMO and call sign, type 0, dimensions 0): no record. */
		if (!*az[7] && !*az[8] && !*az[9] && atoi(az[10]) == 0 &&
		    strtod(az[12], NULL) == 0 && strtod(az[14], NULL) == 0) {
			assert_true(iRec == g.nRec || g.aRec[iRec].kind == ST_REC_POSITION);
			continue;
		}
		const st_static_report *s = &g.aRec[iRec].stat;
		assert_int_equal(g.aRec[iRec].kind, ST_REC_STATIC);
		assert_int_equal(s->mmsi, pos->mmsi);
		assert_string_equal(s->name, az[7]);
		assert_int_equal(s->imo, *az[8] ? strtoul(az[8] + 3, NULL, 10) : 0);
		assert_string_equal(s->callsign, az[9]);
		assert_int_equal(s->ship_type, *az[10] ? atoi(az[10]) : -1);
		/* Length and beam of 0 mean "not available", as in AIS. */
		double len = strtod(az[12], NULL), wid = strtod(az[13], NULL);
		assert_int_equal(s->to_bow, len > 0 ? (int)len : -1);
		assert_int_equal(s->to_port, wid > 0 ? (int)wid : -1);
		if (strtod(az[14], NULL) > 0)
			assert_true(fabsf(s->draught - (float)strtod(az[14], NULL)) < 1e-4f);
		else
			assert_true(isnan(s->draught));
		nStatic++;
		iRec++;
	}
	fclose(f);
	assert_int_equal(iRec, g.nRec);
	assert_int_equal(nStatic, 998);
	assert_int_equal(nHeadingNa, 426); /* counted with grep: 511.0 */

	/* One row by eye: MSC NAISHA III, line 3 of the file. */
	assert_int_equal(g.aRec[2].pos.mmsi, 636021061);
	assert_int_equal(g.aRec[2].line, 3);
	assert_true(g.aRec[2].t == 1673395200000LL);
	assert_string_equal(g.aRec[3].stat.name, "MSC NAISHA III");
	assert_int_equal(g.aRec[3].stat.imo, 9307839);
	assert_int_equal(g.aRec[3].stat.ship_type, 70);
	assert_int_equal(g.aRec[3].stat.to_bow + g.aRec[3].stat.to_stern, 208);
	assert_int_equal(g.aRec[3].stat.to_port + g.aRec[3].stat.to_starboard, 30);
}

static void test_dma_fixture(void **state)
{
	(void)state;
	run_file(DMA, ST_FMT_DMA_CSV, NULL, &g);
	/* 13 lines: header, blank, 6 good rows (one over two lines), and the
	 * four broken rows. */
	assert_int_equal(g.stats.lines, 13);
	assert_int_equal(g.stats.meta_lines, 1);
	assert_int_equal(g.stats.blank_lines, 1);
	assert_int_equal(g.stats.messages, 6);
	assert_int_equal(g.stats.sentences, 7);
	assert_int_equal(g.stats.rejected[ST_REJ_MALFORMED], 3);
	assert_int_equal(g.stats.rejected[ST_REJ_UNPARSEABLE], 1);
	check_accounting(&g.stats);

	assert_int_equal(g.nRej, 4);
	assert_int_equal(g.aRej[0].line, 5);
	assert_string_equal(g.aRej[0].zDetail, "latitude out of range");
	assert_int_equal(g.aRej[1].line, 7);
	assert_string_equal(g.aRej[1].zDetail, "unparseable time");
	assert_int_equal(g.aRej[2].line, 8);
	assert_string_equal(g.aRej[2].zDetail, "bad MMSI");
	assert_int_equal(g.aRej[3].line, 12);
	assert_int_equal(g.aRej[3].why, ST_REJ_UNPARSEABLE);
	assert_string_equal(g.aRej[3].zDetail, "wrong number of columns");

	/* Base station: position only, no class, nothing static. */
	const st_record *r = g.aRec;
	assert_int_equal(r[0].kind, ST_REC_POSITION);
	assert_int_equal(r[0].mmsi, 2190068);
	assert_true(r[0].t == st_time_parse("2024-02-27T00:00:00Z"));
	assert_int_equal(r[0].pos.cls, 0);
	assert_int_equal(r[0].pos.nav_status, 15);
	assert_true(isnan(r[0].pos.sog));
	assert_int_equal(r[0].pos.heading, -1);
	/* Class A cargo ship with everything. */
	assert_int_equal(r[1].kind, ST_REC_POSITION);
	assert_int_equal(r[1].pos.cls, 'A');
	assert_int_equal(r[1].pos.nav_status, 0);
	assert_true(fabsf(r[1].pos.sog - 12.3f) < 1e-5f);
	assert_true(fabsf(r[1].pos.cog - 87.5f) < 1e-5f);
	assert_int_equal(r[1].pos.heading, 86);
	assert_true(fabs(r[1].pos.lat - 55.70722) < 1e-9);
	assert_int_equal(r[2].kind, ST_REC_STATIC);
	const st_static_report *s = &r[2].stat;
	assert_int_equal(s->imo, 9123456);
	assert_string_equal(s->callsign, "OXAB2");
	assert_string_equal(s->name, "MADE UP ONE");
	assert_int_equal(s->ship_type, 71); /* Cargo, hazardous category X */
	assert_int_equal(s->to_bow, 120);
	assert_int_equal(s->to_stern, 20);
	assert_int_equal(s->to_port, 10);
	assert_int_equal(s->to_starboard, 10);
	assert_true(fabsf(s->draught - 7.2f) < 1e-5f);
	assert_string_equal(s->destination, "AARHUS");
	assert_int_equal(s->eta_month, 2);
	assert_int_equal(s->eta_day, 28);
	assert_int_equal(s->eta_hour, 6);
	assert_int_equal(s->eta_minute, 30);
	/* Class B sailing yacht: length and beam only. */
	assert_int_equal(r[3].pos.cls, 'B');
	assert_true(isnan(r[3].pos.cog));
	assert_int_equal(r[4].stat.ship_type, 36);
	assert_int_equal(r[4].stat.to_bow, 10);
	assert_int_equal(r[4].stat.to_stern, 0);
	assert_int_equal(r[4].stat.to_port, 3);
	assert_string_equal(r[4].stat.callsign, "");
	/* Quoted name with a comma and doubled quotes; tanker category Y. */
	assert_int_equal(r[5].pos.nav_status, 1);
	assert_string_equal(r[6].stat.name, "QUOTED, \"NAME\"");
	assert_int_equal(r[6].stat.ship_type, 82);
	/* Quoted name over two lines: the row is line 10. */
	assert_int_equal(r[7].mmsi, 219000007);
	assert_int_equal(r[7].line, 10);
	assert_int_equal(r[7].pos.nav_status, 3);
	assert_string_equal(r[8].stat.name, "TWO\nLINES");
	assert_int_equal(r[8].stat.ship_type, 52);
	assert_int_equal(r[9].pos.nav_status, 7);
	assert_int_equal(r[9].line, 13);
	assert_int_equal(g.nRec, 11);
}

static void test_mapped(void **state)
{
	(void)state;
	const char *zMap = "mmsi=ShipId,time=ts,lat=y,lon=x,sog=speed,cog=course,"
	                   "heading=hdg,name=Name,imo=IMO,"
	                   "time_format=%d/%m/%Y %H:%M:%S,delimiter=;";
	run_file(MAPPED, ST_FMT_MAPPED_CSV, zMap, &g);
	assert_int_equal(g.stats.lines, 7);
	assert_int_equal(g.stats.messages, 3);
	check_accounting(&g.stats);
	assert_int_equal(g.nRej, 3);
	assert_int_equal(g.aRej[0].line, 5);
	assert_string_equal(g.aRej[0].zDetail, "unparseable time");
	assert_int_equal(g.aRej[1].line, 6);
	assert_string_equal(g.aRej[1].zDetail, "latitude out of range");
	assert_int_equal(g.aRej[2].line, 7);
	assert_string_equal(g.aRej[2].zDetail, "bad speed");
	assert_int_equal(g.nRec, 5); /* 2 x (position + static), 1 position */
	assert_int_equal(g.aRec[0].mmsi, 257000001);
	assert_true(g.aRec[0].t == st_time_parse("2023-01-11T00:00:00Z"));
	assert_true(fabs(g.aRec[0].pos.lat - 57.25) < 1e-12);
	assert_true(fabs(g.aRec[0].pos.lon - 10.5) < 1e-12);
	assert_int_equal(g.aRec[0].pos.heading, 180);
	assert_string_equal(g.aRec[1].stat.name, "MADE UP MAPPED");
	assert_int_equal(g.aRec[1].stat.imo, 9000001);
	assert_int_equal(g.aRec[2].pos.heading, -1);
	assert_int_equal(g.aRec[4].kind, ST_REC_POSITION);
	assert_true(isnan(g.aRec[4].pos.sog));
	assert_true(g.aRec[4].t == st_time_parse("2023-01-11T00:01:00Z"));

	/* A mapping naming a column the header lacks fails on the header. */
	st__csv *p;
	char zErr[200];
	assert_int_equal(st__csv_new(&p, ST_FMT_MAPPED_CSV, "mmsi=Id,time=ts,lat=y,lon=x,delimiter=;",
	                             zErr, sizeof zErr), ST_OK);
	st__csv_out out;
	const char *zHead = "ts;x;y;ShipId";
	assert_int_equal(st__csv_feed(p, zHead, strlen(zHead), 1, &out, zErr, sizeof zErr),
	                 ST_EFORMAT);
	assert_non_null(strstr(zErr, "'Id'"));
	st__csv_free(p);
	/* Bad mappings are refused up front. */
	assert_int_equal(st__csv_new(&p, ST_FMT_MAPPED_CSV, "mmsi=a,time=b,lat=c", zErr, sizeof zErr),
	                 ST_ECONFIG);
	assert_non_null(strstr(zErr, "lon"));
	assert_int_equal(st__csv_new(&p, ST_FMT_MAPPED_CSV, "mmsi=a,time=b,lat=c,lon=d,speeed=e",
	                             zErr, sizeof zErr), ST_ECONFIG);
	assert_non_null(strstr(zErr, "speeed"));

	/* No header: columns by number, Unix times. */
	assert_int_equal(st__csv_new(&p, ST_FMT_MAPPED_CSV,
	                             "header=no,mmsi=2,time=1,lat=3,lon=4,time_format=epoch",
	                             zErr, sizeof zErr), ST_OK);
	assert_true(st__csv_ready(p));
	const char *zRow = "1673395200.5,366999999,37.8,-122.4";
	assert_int_equal(st__csv_feed(p, zRow, strlen(zRow), 1, &out, zErr, sizeof zErr), ST_OK);
	assert_int_equal(out.aRec[0].mmsi, 366999999);
	assert_true(out.aRec[0].t == 1673395200500LL);
	assert_int_equal(out.nRec, 1);
	st__csv_free(p);
}

/* One row through a header-less mapping; returns the feed status. */
static st_status one_row(const char *zMap, const char *zRow, st__csv_out *out)
{
	st__csv *p;
	char zErr[200];
	assert_int_equal(st__csv_new(&p, ST_FMT_MAPPED_CSV, zMap, zErr, sizeof zErr), ST_OK);
	st_status rc = st__csv_feed(p, zRow, strlen(zRow), 1, out, zErr, sizeof zErr);
	st__csv_free(p);
	return rc;
}

static void test_times_and_values(void **state)
{
	(void)state;
	st__csv_out out;
	const char *zDmy = "header=no,mmsi=1,time=2,lat=3,lon=4,sog=5,heading=6,"
	                   "time_format=%d/%m/%Y %H:%M:%S";
	assert_int_equal(one_row(zDmy, "211000001,29/02/2024 23:59:59,1,2,,", &out), ST_OK);
	assert_true(out.aRec[0].t == st_time_parse("2024-02-29T23:59:59Z"));
	/* 2023 has no 29 February; hours stop at 23. */
	assert_int_equal(one_row(zDmy, "211000001,29/02/2023 00:00:00,1,2,,", &out), ST_EMALFORMED);
	assert_string_equal(out.zDetail, "unparseable time");
	assert_int_equal(one_row(zDmy, "211000001,01/01/2024 24:00:00,1,2,,", &out), ST_EMALFORMED);
	assert_int_equal(one_row(zDmy, "211000001,01/01/2024 00:00:00 junk,1,2,,", &out),
	                 ST_EMALFORMED);
	/* Fractions of a second; exponents and signs in numbers. */
	const char *zIso = "header=no,mmsi=1,time=2,lat=3,lon=4,sog=5,heading=6,"
	                   "time_format=%Y-%m-%dT%H:%M:%S";
	assert_int_equal(one_row(zIso, "211000001,2024-01-02T03:04:05.250,+1.5e1,-2,1e-1,359.6", &out),
	                 ST_OK);
	assert_true(out.aRec[0].t == st_time_parse("2024-01-02T03:04:05.250Z"));
	assert_true(out.aRec[0].pos.lat == 15.0);
	assert_true(out.aRec[0].pos.lon == -2.0);
	assert_true(fabsf(out.aRec[0].pos.sog - 0.1f) < 1e-6f);
	assert_int_equal(out.aRec[0].pos.heading, 0); /* 359.6 rounds to 360 = 0 */
	/* Hex, infinities and words are not numbers. */
	assert_int_equal(one_row(zIso, "211000001,2024-01-02T03:04:05,0x10,2,,", &out), ST_EMALFORMED);
	assert_string_equal(out.zDetail, "bad latitude");
	assert_int_equal(one_row(zIso, "211000001,2024-01-02T03:04:05,1,2,inf,", &out), ST_EMALFORMED);
	assert_string_equal(out.zDetail, "bad speed");
	/* MMSI: digits only, at most nine, not zero; "123.0" is tolerated. */
	assert_int_equal(one_row(zIso, "1234567890,2024-01-02T03:04:05,1,2,,", &out), ST_EMALFORMED);
	assert_int_equal(one_row(zIso, "0,2024-01-02T03:04:05,1,2,,", &out), ST_EMALFORMED);
	assert_int_equal(one_row(zIso, "211000001.0,2024-01-02T03:04:05,1,2,,", &out), ST_OK);
	assert_int_equal(out.aRec[0].mmsi, 211000001);
	/* Epoch milliseconds. */
	assert_int_equal(one_row("header=no,mmsi=1,time=2,lat=3,lon=4,time_format=epoch_ms",
	                         "211000001,1700000000123,1,2", &out), ST_OK);
	assert_true(out.aRec[0].t == 1700000000123LL);
}

static void test_split(void **state)
{
	(void)state;
	st__csv_field a[8];
	char zs[128];
	const char *z = "a,\"b,c\",\"d\"\"e\",,\"\"";
	assert_int_equal(st__csv_split(z, strlen(z), ',', a, 8, zs), 5);
	assert_int_equal(a[1].n, 3);
	assert_memory_equal(a[1].z, "b,c", 3);
	assert_int_equal(a[2].n, 3);
	assert_memory_equal(a[2].z, "d\"e", 3);
	assert_int_equal(a[3].n, 0);
	assert_int_equal(a[4].n, 0);
	assert_int_equal(st__csv_split("x,", 2, ',', a, 8, zs), 2);
	assert_int_equal(st__csv_split("\"open", 5, ',', a, 8, zs), -1);
	assert_int_equal(st__csv_split("\"a\"b", 4, ',', a, 8, zs), -2);
	assert_int_equal(st__csv_split("1,2,3", 5, ',', a, 2, zs), -3);

	const char *zNoaa = "MMSI,BaseDateTime,LAT,LON,SOG";
	assert_int_equal(st__csv_detect(zNoaa, strlen(zNoaa)), ST_FMT_NOAA_CSV);
	const char *zBom = "\xef\xbb\xbfMMSI,BaseDateTime,LAT,LON";
	assert_int_equal(st__csv_detect(zBom, strlen(zBom)), ST_FMT_NOAA_CSV);
	const char *zDma = "# Timestamp,Type of mobile,MMSI,Latitude,Longitude";
	assert_int_equal(st__csv_detect(zDma, strlen(zDma)), ST_FMT_DMA_CSV);
	assert_int_equal(st__csv_detect(zDma + 2, strlen(zDma + 2)), ST_FMT_DMA_CSV);
	assert_int_equal(st__csv_detect("a,b,c,d,e", strlen("a,b,c,d,e")), ST_FMT_UNKNOWN);
	const char *zNmea = "!AIVDM,1,1,,A,1,0*00";
	assert_int_equal(st__csv_detect(zNmea, strlen(zNmea)), ST_FMT_UNKNOWN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_noaa_sample),
		cmocka_unit_test(test_dma_fixture),
		cmocka_unit_test(test_mapped),
		cmocka_unit_test(test_times_and_values),
		cmocka_unit_test(test_split),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* The reader: format and compression detected by content on every shared
 * AIS file (and on gzip and zstd copies made here), the same records
 * whatever the compression, rejected lines reported with file, line and
 * reason, and every line accounted for. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>
#include "shiptrace/ais.h"
#include "shiptrace/reader.h"
#include "shiptrace/time.h"

#define AIS ST_SHARED_DATA "/ais/"
#define DATA ST_SOURCE_DIR "/tests/data/"

typedef struct seen {
	uint64_t nCall;
	uint64_t aLine[64];
	st_reject aWhy[64];
	char azDetail[64][40];
	char zFile[256];
} seen;

static void on_reject(void *ctx, const char *zFile, uint64_t line, st_reject why,
                      const char *zLine, size_t n)
{
	(void)zLine;
	(void)n;
	seen *s = ctx;
	if (s->nCall < 64) {
		s->aLine[s->nCall] = line;
		s->aWhy[s->nCall] = why;
		s->azDetail[s->nCall][0] = 0;
	}
	snprintf(s->zFile, sizeof s->zFile, "%s", zFile);
	s->nCall++;
}

/* The reader being run, so the callback can ask for the detail. */
static st_reader *gReader;

static void on_reject_detail(void *ctx, const char *zFile, uint64_t line,
                             st_reject why, const char *zLine, size_t n)
{
	seen *s = ctx;
	uint64_t i = s->nCall;
	on_reject(ctx, zFile, line, why, zLine, n);
	const char *z = st_reader_reject_detail(gReader);
	if (i < 64 && z)
		snprintf(s->azDetail[i], sizeof s->azDetail[i], "%s", z);
}

static uint64_t sum_rejected(const st_nmea_stats *s)
{
	uint64_t n = 0;
	for (int i = 0; i < ST_REJ_COUNT; i++)
		n += s->rejected[i];
	return n;
}

/* Reads everything; returns the record count and checks the accounting. */
static uint64_t drain(st_reader *r, st_record *aKeep, size_t nKeep)
{
	st_record rec;
	char zErr[256];
	uint64_t n = 0;
	st_status rc;
	while ((rc = st_reader_next(r, &rec, zErr, sizeof zErr)) == ST_OK) {
		if (n < nKeep)
			aKeep[n] = rec;
		assert_true(rec.mmsi == (rec.kind == ST_REC_STATIC ? rec.stat.mmsi : rec.mmsi));
		n++;
	}
	assert_int_equal(rc, ST_ENOTFOUND);
	assert_int_equal(st_reader_next(r, &rec, zErr, sizeof zErr), ST_ENOTFOUND);
	const st_reader_stats *s = st_reader_get_stats(r);
	assert_int_equal(s->records, n);
	assert_int_equal(s->nmea.held, 0);
	assert_int_equal(s->nmea.lines, s->nmea.msg_sentences + s->nmea.meta_lines +
	                                    s->nmea.blank_lines + sum_rejected(&s->nmea));
	return n;
}

static void test_detect_shared_files(void **state)
{
	(void)state;
	static const struct {
		const char *zFile;
		st_format fmt;
	} aCase[] = {
		{"dma-aislib-comment_blocks.txt", ST_FMT_NMEA},
		{"dma-aislib-decode_encode_messages.txt", ST_FMT_NMEA},
		{"dma-aislib-stream_example.txt", ST_FMT_NMEA},
		{"kystverket-2019-08-07-1000lines.nm4", ST_FMT_NMEA},
		{"libais-tagblock.nmea", ST_FMT_NMEA},
		{"libais-typeexamples.nmea", ST_FMT_NMEA},
		{"pyais-gatehouse.nmea", ST_FMT_NMEA},
		{"pyais-mixed.txt", ST_FMT_NMEA},
		{"pyais-nmea_data_sample.txt", ST_FMT_NMEA},
		{"noaa-marinecadastre-2023-01-11-sample.csv", ST_FMT_NOAA_CSV},
	};
	for (size_t i = 0; i < sizeof aCase / sizeof aCase[0]; i++) {
		char zPath[512], zErr[256];
		snprintf(zPath, sizeof zPath, AIS "%s", aCase[i].zFile);
		st_reader *r;
		st_reader_opts o = {0};
		assert_int_equal(st_reader_open(&r, zPath, &o, zErr, sizeof zErr), ST_OK);
		assert_int_equal(st_reader_format(r), aCase[i].fmt);
		assert_int_equal(st_reader_compression(r), ST_COMP_NONE);
		uint64_t n = drain(r, NULL, 0);
		assert_true(n > 0);
		st_reader_close(r);
	}
	/* JSON is no AIS input: refused, naming the file. */
	st_reader *r;
	char zErr[256];
	assert_int_equal(st_reader_open(&r, AIS "libais-typeexamples.json", NULL, zErr, sizeof zErr),
	                 ST_EFORMAT);
	assert_null(r);
	assert_non_null(strstr(zErr, "libais-typeexamples.json"));
	assert_non_null(strstr(zErr, "unknown format"));
	assert_int_equal(st_reader_open(&r, AIS "no-such-file.nm4", NULL, zErr, sizeof zErr), ST_EIO);
	assert_non_null(strstr(zErr, "no-such-file.nm4"));
	/* Empty input is empty NMEA: nothing to decode, nothing wrong. */
	assert_int_equal(st_reader_open_mem(&r, "\n\n", 2, "blank", NULL, zErr, sizeof zErr), ST_OK);
	assert_int_equal(st_reader_format(r), ST_FMT_NMEA);
	assert_int_equal(drain(r, NULL, 0), 0);
	assert_int_equal(st_reader_get_stats(r)->nmea.blank_lines, 2);
	st_reader_close(r);
	/* A leading epoch before the sentence is NMEA too. */
	const char *zEpoch = "1565218798 !BSVDM,1,1,,A,13mb9U0P00PRk8fT5nw>4?wj2006,0*5D\n";
	assert_int_equal(st_reader_open_mem(&r, zEpoch, strlen(zEpoch), "epoch", NULL, zErr,
	                                    sizeof zErr), ST_OK);
	assert_int_equal(st_reader_format(r), ST_FMT_NMEA);
	st_reader_close(r);
}

static char *slurp(const char *zPath, size_t *pn)
{
	FILE *f = fopen(zPath, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *p = malloc((size_t)n + 1);
	assert_non_null(p);
	assert_int_equal(fread(p, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*pn = (size_t)n;
	return p;
}

/* Same records from the plain file, a gzip copy and a zstd copy. */
static void same_records(const char *zPath, st_format fmt)
{
	size_t n;
	char *z = slurp(zPath, &n);
	enum { N = 20000 };
	st_record *aPlain = calloc(N, sizeof *aPlain), *aOther = calloc(N, sizeof *aOther);
	assert_non_null(aPlain);
	assert_non_null(aOther);
	st_reader *r;
	char zErr[256];
	assert_int_equal(st_reader_open(&r, zPath, NULL, zErr, sizeof zErr), ST_OK);
	uint64_t nPlain = drain(r, aPlain, N);
	st_reader_close(r);
	assert_true(nPlain > 0 && nPlain < N);

	char zGz[] = "/tmp/st_reader_gzXXXXXX";
	int fd = mkstemp(zGz);
	assert_true(fd >= 0);
	close(fd);
	gzFile g = gzopen(zGz, "wb9");
	assert_int_equal(gzwrite(g, z, (unsigned)n), (int)n);
	gzclose(g);
	size_t nCap = ZSTD_compressBound(n);
	char *pZ = malloc(nCap);
	size_t nZ = ZSTD_compress(pZ, nCap, z, n, 3);
	assert_false(ZSTD_isError(nZ));

	for (int k = 0; k < 2; k++) {
		if (k == 0)
			assert_int_equal(st_reader_open(&r, zGz, NULL, zErr, sizeof zErr), ST_OK);
		else
			assert_int_equal(st_reader_open_mem(&r, pZ, nZ, "copy.zst", NULL, zErr,
			                                    sizeof zErr), ST_OK);
		assert_int_equal(st_reader_compression(r), k == 0 ? ST_COMP_GZIP : ST_COMP_ZSTD);
		assert_int_equal(st_reader_format(r), fmt);
		uint64_t nOther = drain(r, aOther, N);
		assert_int_equal(nOther, nPlain);
		for (uint64_t i = 0; i < nPlain; i++) {
			assert_int_equal(aOther[i].kind, aPlain[i].kind);
			assert_int_equal(aOther[i].mmsi, aPlain[i].mmsi);
			assert_true(aOther[i].t == aPlain[i].t);
			assert_int_equal(aOther[i].line, aPlain[i].line);
			if (aPlain[i].kind == ST_REC_POSITION) {
				assert_true(aOther[i].pos.lat == aPlain[i].pos.lat ||
				            (isnan(aOther[i].pos.lat) && isnan(aPlain[i].pos.lat)));
			}
		}
		assert_int_equal(st_reader_get_stats(r)->bytes, n);
		st_reader_close(r);
	}
	unlink(zGz);
	free(pZ);
	free(aPlain);
	free(aOther);
	free(z);
}

static void test_compressed_same_records(void **state)
{
	(void)state;
	same_records(AIS "dma-aislib-stream_example.txt", ST_FMT_NMEA);
	same_records(AIS "noaa-marinecadastre-2023-01-11-sample.csv", ST_FMT_NOAA_CSV);
	same_records(DATA "dma-layout-made-up.csv", ST_FMT_DMA_CSV);
}

static void test_nmea_records(void **state)
{
	(void)state;
	/* Kystverket: one message per line, \c: times, all type 1-27. */
	st_reader *r;
	char zErr[256];
	st_record aRec[1000];
	assert_int_equal(st_reader_open(&r, AIS "kystverket-2019-08-07-1000lines.nm4", NULL, zErr,
	                                sizeof zErr), ST_OK);
	uint64_t n = drain(r, aRec, 1000);
	const st_reader_stats *s = st_reader_get_stats(r);
	assert_int_equal(s->nmea.lines, 1000);
	assert_int_equal(n, s->nmea.messages);
	/* First line: \c:1565218798, !BSVDM type 1 from MMSI 257... */
	assert_int_equal(aRec[0].line, 1);
	assert_true(aRec[0].t == 1565218798000LL);
	assert_non_null(aRec[0].ais);
	assert_int_equal(aRec[0].kind, ST_REC_POSITION);
	assert_int_equal(aRec[0].mmsi, aRec[0].pos.mmsi);
	assert_true(aRec[0].pos.lat > 55 && aRec[0].pos.lat < 80); /* Norway */
	st_reader_close(r);

	/* libais tag blocks: the source comes through. */
	assert_int_equal(st_reader_open(&r, AIS "libais-tagblock.nmea", NULL, zErr, sizeof zErr), ST_OK);
	n = drain(r, aRec, 10);
	assert_true(n >= 3);
	bool bOrbcomm = false;
	for (uint64_t i = 0; i < n; i++)
		if (aRec[i].source && !strncmp(aRec[i].source, "rORBCOMM", 8))
			bOrbcomm = true;
	assert_true(bOrbcomm);
	st_reader_close(r);
}

static void test_rejects_reported(void **state)
{
	(void)state;
	/* pyais-mixed: comments, other NMEA, junk; every rejection reaches
	 * the callback with the file's own line numbers. */
	seen s;
	memset(&s, 0, sizeof s);
	st_reader_opts o = {.on_reject = on_reject, .reject_ctx = &s};
	st_reader *r;
	char zErr[256];
	assert_int_equal(st_reader_open(&r, AIS "pyais-mixed.txt", &o, zErr, sizeof zErr), ST_OK);
	drain(r, NULL, 0);
	const st_reader_stats *st = st_reader_get_stats(r);
	assert_true(s.nCall > 0);
	assert_int_equal(s.nCall, sum_rejected(&st->nmea));
	assert_non_null(strstr(s.zFile, "pyais-mixed.txt"));
	/* Line 7 is $GPGGA (not AIS), line 14 "foobar". */
	bool b7 = false, b14 = false;
	for (uint64_t i = 0; i < s.nCall && i < 64; i++) {
		if (s.aLine[i] == 7 && s.aWhy[i] == ST_REJ_NOTAIS)
			b7 = true;
		if (s.aLine[i] == 14 && s.aWhy[i] == ST_REJ_UNPARSEABLE)
			b14 = true;
	}
	assert_true(b7);
	assert_true(b14);
	st_reader_close(r);

	/* DMA fixture through the reader: reasons and details. */
	memset(&s, 0, sizeof s);
	o.on_reject = on_reject_detail;
	assert_int_equal(st_reader_open(&r, DATA "dma-layout-made-up.csv", &o, zErr, sizeof zErr),
	                 ST_OK);
	gReader = r;
	assert_int_equal(st_reader_format(r), ST_FMT_DMA_CSV);
	assert_int_equal(drain(r, NULL, 0), 11);
	assert_int_equal(s.nCall, 4);
	assert_int_equal(s.aLine[0], 5);
	assert_string_equal(s.azDetail[0], "latitude out of range");
	assert_int_equal(s.aLine[3], 12);
	assert_int_equal(s.aWhy[3], ST_REJ_UNPARSEABLE);
	st_reader_close(r);
	gReader = NULL;

	/* An overlong line in NMEA input: counted, and the lines after it
	 * keep their numbers. Made up. */
	size_t nLong = 70000;
	char *zIn = malloc(nLong + 256);
	const char *zSent = "!AIVDM,1,1,,A,13HOI:0P0000VOHLCnHQKwvL05Ip,0*23\n";
	size_t k = 0;
	k += (size_t)sprintf(zIn + k, "%s", zSent);
	memset(zIn + k, 'A', nLong);
	k += nLong;
	zIn[k++] = '\n';
	k += (size_t)sprintf(zIn + k, "%s", zSent);
	memset(&s, 0, sizeof s);
	o.on_reject = on_reject;
	assert_int_equal(st_reader_open_mem(&r, zIn, k, "long", &o, zErr, sizeof zErr), ST_OK);
	st_record aRec[2];
	assert_int_equal(drain(r, aRec, 2), 2);
	assert_int_equal(aRec[1].line, 3);
	assert_int_equal(s.nCall, 1);
	assert_int_equal(s.aLine[0], 2);
	assert_int_equal(s.aWhy[0], ST_REJ_TOOLONG);
	assert_int_equal(st_reader_get_stats(r)->nmea.rejected[ST_REJ_TOOLONG], 1);
	st_reader_close(r);
	free(zIn);
}

static void test_mapped_and_forced(void **state)
{
	(void)state;
	st_reader *r;
	char zErr[256];
	st_reader_opts o = {.csv_map = "mmsi=ShipId,time=ts,lat=y,lon=x,sog=speed,cog=course,"
	                               "heading=hdg,name=Name,imo=IMO,"
	                               "time_format=%d/%m/%Y %H:%M:%S,delimiter=;"};
	assert_int_equal(st_reader_open(&r, DATA "mapped-layout-made-up.csv", &o, zErr, sizeof zErr),
	                 ST_OK);
	assert_int_equal(st_reader_format(r), ST_FMT_MAPPED_CSV);
	assert_int_equal(drain(r, NULL, 0), 5);
	st_reader_close(r);
	/* Without the mapping that file is no known format. */
	assert_int_equal(st_reader_open(&r, DATA "mapped-layout-made-up.csv", NULL, zErr, sizeof zErr),
	                 ST_EFORMAT);
	assert_non_null(strstr(zErr, "mapped-layout-made-up.csv"));
	/* A mapping whose column is missing fails at open, naming file and line. */
	o.csv_map = "mmsi=Ship,time=ts,lat=y,lon=x,delimiter=;";
	assert_int_equal(st_reader_open(&r, DATA "mapped-layout-made-up.csv", &o, zErr, sizeof zErr),
	                 ST_EFORMAT);
	assert_non_null(strstr(zErr, "mapped-layout-made-up.csv:1:"));
	assert_non_null(strstr(zErr, "'Ship'"));
	/* Forcing NOAA on an NMEA file: no header there. */
	st_reader_opts f = {.force_format = ST_FMT_NOAA_CSV};
	assert_int_equal(st_reader_open(&r, AIS "pyais-gatehouse.nmea", &f, zErr, sizeof zErr),
	                 ST_EFORMAT);
	assert_non_null(strstr(zErr, "pyais-gatehouse.nmea"));
	assert_int_equal(st_format_from_name("dma"), ST_FMT_DMA_CSV);
	assert_int_equal(st_format_from_name("xml"), ST_FMT_UNKNOWN);
	assert_string_equal(st_format_name(ST_FMT_NOAA_CSV), "noaa_csv");
	assert_string_equal(st_compression_name(ST_COMP_ZSTD), "zstd");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_detect_shared_files),
		cmocka_unit_test(test_compressed_same_records),
		cmocka_unit_test(test_nmea_records),
		cmocka_unit_test(test_rejects_reported),
		cmocka_unit_test(test_mapped_and_forced),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

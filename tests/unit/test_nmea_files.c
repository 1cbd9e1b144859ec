/* The NMEA decoder over every real NMEA file in ../shared/data/ais: each
 * line lands in exactly one bucket (the accounting identity), the small
 * annotated files give exactly the buckets read off them by hand, and the
 * receive times come from where each feed puts them ($PGHP, \c: tag
 * blocks, USCG trailers). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "shiptrace/ais.h"
#include "shiptrace/nmea.h"
#include "shiptrace/time.h"

typedef struct filerun {
	st_nmea_stats s;
	uint64_t nTimed;        /* messages with a receive time */
	uint64_t nSourced;      /* messages with a source */
	st_time_ms tMin, tMax;
	uint64_t nFileLines;
} filerun;

/* Feeds a whole file line by line; checks the identity after every line
 * and again after st_nmea_finish(). */
static void run_file(const char *zName, filerun *r)
{
	char zPath[512];
	snprintf(zPath, sizeof zPath, "%s/ais/%s", ST_SHARED_DATA, zName);
	FILE *f = fopen(zPath, "rb");
	if (!f)
		fail_msg("cannot open %s", zPath);
	st_nmea *d = st_nmea_new();
	assert_non_null(d);
	memset(r, 0, sizeof *r);
	r->tMin = INT64_MAX;
	r->tMax = INT64_MIN;
	static char line[8192];
	static st_ais_msg msg;
	st_nmea_meta meta;
	while (fgets(line, sizeof line, f)) {
		size_t n = strlen(line);
		assert_true(n < sizeof line - 1); /* no line this long in the corpora */
		r->nFileLines++;
		st_status rc = st_nmea_feed(d, line, n, &msg, &meta, NULL);
		if (rc == ST_OK) {
			assert_true(msg.type >= 1 && msg.type <= 27);
			if (meta.t != ST_TIME_NONE) {
				r->nTimed++;
				if (meta.t < r->tMin)
					r->tMin = meta.t;
				if (meta.t > r->tMax)
					r->tMax = meta.t;
			}
			if (meta.source[0])
				r->nSourced++;
			assert_true(meta.first_line <= meta.line);
			assert_int_equal(meta.line, r->nFileLines);
		}
		const st_nmea_stats *s = st_nmea_get_stats(d);
		uint64_t nRej = 0;
		for (int i = 0; i < ST_REJ_COUNT; i++)
			nRej += s->rejected[i];
		assert_int_equal(s->lines, s->msg_sentences + s->held + s->meta_lines +
		                                   s->blank_lines + nRej);
	}
	fclose(f);
	st_nmea_finish(d);
	r->s = *st_nmea_get_stats(d);
	st_nmea_free(d);
	uint64_t nRej = 0;
	for (int i = 0; i < ST_REJ_COUNT; i++)
		nRej += r->s.rejected[i];
	assert_int_equal(r->s.lines, r->nFileLines);
	assert_int_equal(r->s.held, 0);
	assert_int_equal(r->s.lines, r->s.msg_sentences + r->s.meta_lines +
	                                     r->s.blank_lines + nRej);
	uint64_t nByType = 0;
	for (int i = 0; i < 28; i++)
		nByType += r->s.by_type[i];
	assert_int_equal(nByType, r->s.messages);
}

/* AisLib's comment-block sample, line by line in the comments. */
static void test_dma_comment_blocks(void **state)
{
	(void)state;
	filerun r;
	run_file("dma-aislib-comment_blocks.txt", &r);
	/* 11 messages (4 of them two-part); 5 $PGHP/lone tag lines; 5 blank;
	 * $PFOO,INVALID is other NMEA; a lone !BSVDO 2-of-2 is an orphan. */
	assert_int_equal(r.s.lines, 27);
	assert_int_equal(r.s.messages, 11);
	assert_int_equal(r.s.msg_sentences, 15);
	assert_int_equal(r.s.meta_lines, 5);
	assert_int_equal(r.s.blank_lines, 5);
	assert_int_equal(r.s.rejected[ST_REJ_NOTAIS], 1);
	assert_int_equal(r.s.rejected[ST_REJ_ORPHAN], 1);
	/* Every message there has a time: USCG epoch, c:, $PGHP or lone tag. */
	assert_int_equal(r.nTimed, 11);
	assert_true(r.tMin == 1354719387000LL);
	assert_true(r.tMax == 1364272372000LL);
}

/* pyais's mixed file, line by line in the comments. */
static void test_pyais_mixed(void **state)
{
	(void)state;
	filerun r;
	run_file("pyais-mixed.txt", &r);
	assert_int_equal(r.s.lines, 35);
	assert_int_equal(r.s.messages, 10);      /* 8 single, 2 two-part */
	assert_int_equal(r.s.msg_sentences, 12);
	assert_int_equal(r.s.blank_lines, 12);   /* 5 empty, 7 comments */
	assert_int_equal(r.s.meta_lines, 1);     /* $PGHP */
	assert_int_equal(r.s.rejected[ST_REJ_NOTAIS], 4); /* GGA RTE R00 MWV */
	assert_int_equal(r.s.rejected[ST_REJ_UNPARSEABLE], 2);
	/* three tag blocks with a one-digit checksum, a $PGHP whose sum is off */
	assert_int_equal(r.s.rejected[ST_REJ_BADSUM], 4);
	assert_int_equal(r.nTimed, 2);           /* tag c: and $PGHP */
	assert_int_equal(r.nSourced, 1);
}

static void test_pyais_gatehouse(void **state)
{
	(void)state;
	filerun r;
	run_file("pyais-gatehouse.nmea", &r);
	assert_int_equal(r.s.messages, 4);
	assert_int_equal(r.s.meta_lines, 3);
	assert_int_equal(r.s.blank_lines, 3);
	assert_int_equal(r.s.rejected[ST_REJ_BADSUM], 1);
	/* Only the first sentence follows a valid $PGHP directly. */
	assert_int_equal(r.nTimed, 1);
	assert_true(r.tMin == st_time_parse("2008-05-09T00:00:00.010Z"));
}

/* 4,500 sentences, each after the $PGHP line carrying its receive time on
 * 2010-06-11 between 11:46 and 12:00. */
static void test_dma_stream(void **state)
{
	(void)state;
	filerun r;
	run_file("dma-aislib-stream_example.txt", &r);
	assert_true(r.s.messages > 4000);
	assert_int_equal(r.nTimed, r.s.messages);
	assert_true(r.tMin >= st_time_parse("2010-06-11T11:00:00Z"));
	assert_true(r.tMax < st_time_parse("2010-06-11T13:00:00Z"));
	assert_int_equal(r.s.rejected[ST_REJ_BADSUM], 0);
	assert_int_equal(r.s.rejected[ST_REJ_UNPARSEABLE], 0);
	assert_true(r.s.meta_lines >= r.s.messages);
}

/* Kystverket: a \c: tag block on every line, 30 s of traffic. */
static void test_kystverket(void **state)
{
	(void)state;
	filerun r;
	run_file("kystverket-2019-08-07-1000lines.nm4", &r);
	uint64_t nRej = 0;
	for (int i = 0; i < ST_REJ_COUNT; i++)
		nRej += r.s.rejected[i];
	assert_int_equal(nRej, 0);
	assert_int_equal(r.s.blank_lines + r.s.meta_lines, 0);
	assert_int_equal(r.s.msg_sentences, r.s.lines);
	assert_int_equal(r.s.tagsum_tolerated, 246); /* the g: lines */
	assert_int_equal(r.nTimed, r.s.messages);
	assert_true(r.tMin >= 1565218798000LL);
	assert_true(r.tMax - r.tMin <= 60000);
}

static void test_libais_tagblock(void **state)
{
	(void)state;
	filerun r;
	run_file("libais-tagblock.nmea", &r);
	assert_int_equal(r.s.messages, 4);
	assert_int_equal(r.s.msg_sentences, 5);
	assert_int_equal(r.nTimed, 4);
	assert_int_equal(r.nSourced, 4);
}

/* One USCG sentence per type, each with a station and an epoch after the
 * checksum, all in January 2012. */
static void test_libais_typeexamples(void **state)
{
	(void)state;
	filerun r;
	run_file("libais-typeexamples.nmea", &r);
	assert_int_equal(r.s.lines, 26);
	assert_int_equal(r.s.messages + r.s.rejected[ST_REJ_MALFORMED], 26);
	assert_int_equal(r.nTimed, r.s.messages);
	assert_int_equal(r.nSourced, r.s.messages);
	assert_true(r.tMin >= st_time_parse("2012-01-01T00:00:00Z"));
	assert_true(r.tMax < st_time_parse("2012-02-01T00:00:00Z"));
}

static void test_other_files(void **state)
{
	(void)state;
	filerun r;
	/* AISHub's raw sample, CRLF endings: 100 sentences with an empty
	 * payload, and 20 first fragments whose second part was never
	 * recorded; 8 of them are replaced by a later first fragment under the
	 * same sequence id, 12 are left at the end. */
	run_file("pyais-nmea_data_sample.txt", &r);
	assert_int_equal(r.s.lines, 898);
	assert_int_equal(r.s.messages, 778);
	assert_int_equal(r.s.rejected[ST_REJ_MALFORMED], 100);
	assert_int_equal(r.s.rejected[ST_REJ_ORPHAN], 8);
	assert_int_equal(r.s.rejected[ST_REJ_STALE], 12);
	/* 646 clean sentences, 45 two-part messages. */
	run_file("dma-aislib-decode_encode_messages.txt", &r);
	assert_int_equal(r.s.lines, 646);
	assert_int_equal(r.s.messages, 601);
	assert_int_equal(r.s.msg_sentences, 646);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dma_comment_blocks),
		cmocka_unit_test(test_pyais_mixed),
		cmocka_unit_test(test_pyais_gatehouse),
		cmocka_unit_test(test_dma_stream),
		cmocka_unit_test(test_kystverket),
		cmocka_unit_test(test_libais_tagblock),
		cmocka_unit_test(test_libais_typeexamples),
		cmocka_unit_test(test_other_files),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

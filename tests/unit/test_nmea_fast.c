/* The NMEA decoder's fast paths (the bare single sentence, other bare
 * sentences and fragments, $PGHP time records, a sentence behind one tag
 * block) against its general parser: two decoders are fed the same lines,
 * one with st__nmea_reference() on, and after every line they must agree on
 * the status, the reject bucket, the decoded message, the metadata, every
 * statistic and every call of the reject hook. The lines are every real
 * NMEA file in ../shared/data/ais, then systematic mutations of real and
 * built lines (every byte replaced, deleted or duplicated, bytes appended,
 * lines cut short, with and without the checksums made right again) after
 * a pending time, a held fragment or a lone tag block, then $PGHP dates
 * across month, year, leap-day and century boundaries and records that
 * repeat or change their minute, whose times are also checked against
 * st_time_from_civil.
 * The checksum, armour and hex helpers are checked against their
 * byte-at-a-time definitions. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <cmocka.h>
#include "shiptrace/ais.h"
#include "shiptrace/nmea.h"
#include "shiptrace/time.h"
#include "nmea/nmea_int.h"

/* What the reject hook saw, in order. */
typedef struct hooklog {
	uint64_t aLine[64];
	int aWhy[64];
	size_t aLen[64];
	const char *azLine[64];
	int n;
} hooklog;

static void on_reject(void *ctx, uint64_t line, st_reject why, const char *z, size_t n)
{
	hooklog *h = ctx;
	assert_true(h->n < 64);
	h->aLine[h->n] = line;
	h->aWhy[h->n] = (int)why;
	h->aLen[h->n] = n;
	h->azLine[h->n] = z;
	h->n++;
}

/* One decoder and what its last line gave. */
typedef struct side {
	st_nmea *d;
	hooklog log;
	st_status rc;
	st_reject why;
	st_ais_msg msg;
	st_nmea_meta meta;
} side;

typedef struct pair {
	side fast, ref;
	uint64_t nLine;
	uint64_t nOk;           /* lines that completed a message */
	uint64_t nMeta;         /* metadata lines */
} pair;

static void pair_open(pair *p)
{
	memset(p, 0, sizeof *p);
	p->fast.d = st_nmea_new();
	p->ref.d = st_nmea_new();
	assert_non_null(p->fast.d);
	assert_non_null(p->ref.d);
	st__nmea_reference(p->ref.d, true);
	st_nmea_set_reject_fn(p->fast.d, on_reject, &p->fast.log);
	st_nmea_set_reject_fn(p->ref.d, on_reject, &p->ref.log);
}

static void pair_close(pair *p)
{
	st_nmea_free(p->fast.d);
	st_nmea_free(p->ref.d);
}

static void side_feed(side *s, const char *z, size_t n)
{
	s->log.n = 0;
	s->why = ST_REJ_COUNT;
	memset(&s->msg, 0, sizeof s->msg);
	memset(&s->meta, 0, sizeof s->meta);
	s->rc = st_nmea_feed(s->d, z, n, &s->msg, &s->meta, &s->why);
}

static void assert_same_stats(const pair *p, const char *zWhat)
{
	const st_nmea_stats *a = st_nmea_get_stats(p->fast.d);
	const st_nmea_stats *b = st_nmea_get_stats(p->ref.d);
	if (memcmp(a, b, sizeof *a) != 0)
		fail_msg("statistics differ after %s", zWhat);
}

/* Feeds n bytes at z to both decoders and asserts they agree. The line
 * is copied to a buffer of exactly its size so that a sanitizer build sees
 * any read past its end. */
static void pair_feed(pair *p, const char *zIn, size_t n)
{
	side *a = &p->fast, *b = &p->ref;
	char *z = malloc(n ? n : 1);
	assert_non_null(z);
	memcpy(z, zIn, n);
	side_feed(a, z, n);
	side_feed(b, z, n);
	p->nLine++;
	if (a->rc != b->rc || a->why != b->why)
		fail_msg("line %llu \"%.*s\": fast %d/%d, general %d/%d",
		         (unsigned long long)p->nLine, (int)n, z, (int)a->rc,
		         (int)a->why, (int)b->rc, (int)b->why);
	if (a->rc == ST_OK) {
		p->nOk++;
		if (memcmp(&a->msg, &b->msg, sizeof a->msg) != 0)
			fail_msg("message differs on \"%.*s\"", (int)n, z);
		const st_nmea_meta *x = &a->meta, *y = &b->meta;
		if (x->t != y->t || strcmp(x->source, y->source) != 0 ||
		    strcmp(x->talker, y->talker) != 0 || x->channel != y->channel ||
		    x->own != y->own || x->line != y->line ||
		    x->first_line != y->first_line || x->sentences != y->sentences)
			fail_msg("metadata differs on \"%.*s\": t %lld/%lld source %s/%s",
			         (int)n, z, (long long)x->t, (long long)y->t,
			         x->source, y->source);
	}
	assert_int_equal(a->log.n, b->log.n);
	for (int i = 0; i < a->log.n; i++) {
		assert_int_equal(a->log.aLine[i], b->log.aLine[i]);
		assert_int_equal(a->log.aWhy[i], b->log.aWhy[i]);
		assert_int_equal(a->log.aLen[i], b->log.aLen[i]);
		assert_ptr_equal(a->log.azLine[i], b->log.azLine[i]);
	}
	assert_same_stats(p, "a line");
	free(z);
}

static void pair_feed_str(pair *p, const char *z)
{
	pair_feed(p, z, strlen(z));
}

/* Every real NMEA file, line by line, as read (CR/LF included). */
static void test_shared_corpora(void **state)
{
	(void)state;
	char zDir[512];
	snprintf(zDir, sizeof zDir, "%s/ais", ST_SHARED_DATA);
	DIR *dir = opendir(zDir);
	assert_non_null(dir);
	struct dirent *e;
	int nFile = 0;
	pair p;
	pair_open(&p);
	static char line[8192];
	while ((e = readdir(dir)) != NULL) {
		size_t nName = strlen(e->d_name);
		if (!(nName > 4 && (strcmp(e->d_name + nName - 4, ".txt") == 0 ||
		                    strcmp(e->d_name + nName - 4, ".nm4") == 0 ||
		                    strcmp(e->d_name + nName - 5, ".nmea") == 0)))
			continue;
		char zPath[1024];
		snprintf(zPath, sizeof zPath, "%s/%s", zDir, e->d_name);
		FILE *f = fopen(zPath, "rb");
		assert_non_null(f);
		while (fgets(line, sizeof line, f))
			pair_feed(&p, line, strlen(line));
		fclose(f);
		nFile++;
	}
	closedir(dir);
	st_nmea_finish(p.fast.d);
	st_nmea_finish(p.ref.d);
	assert_same_stats(&p, "the end of input");
	/* The corpora hold thousands of messages and $PGHP records: the
	 * comparison had something to compare. */
	assert_true(nFile >= 6);
	assert_true(p.nOk > 5000);
	assert_true(st_nmea_get_stats(p.fast.d)->meta_lines > 4000);
	pair_close(&p);
}

/* "lead" + body + "*hh" with the checksum of body. */
static void mk(char *buf, size_t n, const char *lead, const char *body)
{
	unsigned x = 0;
	for (const char *q = body; *q; q++)
		x ^= (unsigned char)*q;
	snprintf(buf, n, "%s%s*%02X", lead, body, x);
}

/* A line to mutate: an optional tag block body, the sentence's lead
 * character and body, and what follows the checksum. Each is assembled
 * with correct checksums after the mutation. */
typedef struct seed {
	const char *zTag;       /* NULL: no tag block */
	const char *zLead;
	const char *zBody;
	const char *zAfter;
} seed;

static void assemble(char *buf, size_t n, const char *zTag, const char *zLead,
                     const char *zBody, const char *zAfter)
{
	char zSent[512], zBlock[512];
	mk(zSent, sizeof zSent, zLead, zBody);
	if (zTag) {
		mk(zBlock, sizeof zBlock, "\\", zTag);
		snprintf(buf, n, "%s\\%s%s", zBlock, zSent, zAfter);
	} else {
		snprintf(buf, n, "%s%s", zSent, zAfter);
	}
}

/* The lines around each mutant, in turn: a $PGHP time, a held first
 * fragment, nothing, a lone tag block with a source only (its source then
 * stands for the next line's, its time does not); after it a sentence that
 * takes what is pending, or the second fragment. */
#define FRAG1 "!AIVDM,2,1,4,A,539LiHP2;42`@pE<000<tq@V1<TpL4000000001?1SV@@73R0J0TQCAD,0*1E"
#define FRAG2 "!AIVDM,2,2,4,A,R0EQCP000000000,2*45"
#define BARE "!AIVDM,1,1,,A,13HOI:0P0000VOHLCnHQKwvL05Ip,0*23"
#define PGHP "$PGHP,1,2010,6,11,11,46,11,929,244,0,,1,72*21"

static void feed_in_context(pair *p, const char *z, size_t n, int iCtx)
{
	char zLone[64];
	switch (iCtx % 4) {
	case 0:
		pair_feed_str(p, PGHP);
		break;
	case 1:
		pair_feed_str(p, FRAG1);
		break;
	case 3:
		mk(zLone, sizeof zLone - 1, "\\", "s:lone");
		strcat(zLone, "\\");
		pair_feed_str(p, zLone);
		break;
	default:
		break;
	}
	pair_feed(p, z, n);
	pair_feed_str(p, iCtx % 4 == 1 ? FRAG2 : BARE);
}

/* The bytes a mutation writes: the delimiters, digits at the edges of
 * every range the parsers test, letters, blanks and a high byte. */
static const char azSubst[] = ",*\\!$:.-0123456789ACDMOVZagsc @\t\x80";

/* Mutates one part of the seed at every position (replace with each byte
 * above, delete, duplicate; append each byte) and feeds each result,
 * reassembled with good checksums. */
static void mutate_part(pair *p, const seed *s, int iPart, int *piCtx)
{
	const char *zOrig = iPart == 0 ? s->zTag : iPart == 1 ? s->zBody : s->zAfter;
	if (!zOrig)
		return;
	size_t n = strlen(zOrig);
	char zMut[600], line[1400];
	/* At each position k runs over: replace with azSubst[k], delete,
	 * duplicate; at the end: append azSubst[k]. */
	const size_t nSubst = sizeof azSubst - 1;
	for (size_t i = 0; i <= n; i++) {
		for (size_t k = 0; k < nSubst + 2; k++) {
			size_t m = i;
			memcpy(zMut, zOrig, i);
			if (i == n) {
				if (k >= nSubst)
					continue;
				zMut[m++] = azSubst[k];
			} else if (k < nSubst) {
				zMut[m++] = azSubst[k];
				memcpy(zMut + m, zOrig + i + 1, n - i - 1);
				m += n - i - 1;
			} else if (k == nSubst) {
				memcpy(zMut + m, zOrig + i + 1, n - i - 1);
				m += n - i - 1;
			} else {
				zMut[m++] = zOrig[i];
				memcpy(zMut + m, zOrig + i, n - i);
				m += n - i;
			}
			zMut[m] = 0;
			assemble(line, sizeof line, iPart == 0 ? zMut : s->zTag, s->zLead,
			         iPart == 1 ? zMut : s->zBody, iPart == 2 ? zMut : s->zAfter);
			feed_in_context(p, line, strlen(line), (*piCtx)++);
		}
	}
}

/* The assembled line itself: every byte replaced by each byte above or
 * deleted, and the line cut short at every length. */
static void mutate_raw(pair *p, const char *zLine, int *piCtx)
{
	size_t n = strlen(zLine);
	char line[1400];
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < sizeof azSubst; k++) {
			memcpy(line, zLine, n);
			if (k < sizeof azSubst - 1) {
				line[i] = azSubst[k];
				feed_in_context(p, line, n, (*piCtx)++);
			} else {
				memmove(line + i, zLine + i + 1, n - i - 1);
				feed_in_context(p, line, n - 1, (*piCtx)++);
			}
		}
		/* Cut short at every length. */
		feed_in_context(p, zLine, i, (*piCtx)++);
	}
}

static void test_mutations(void **state)
{
	(void)state;
	static const seed aSeed[] = {
		{NULL, "$", "PGHP,1,2010,6,11,11,46,11,929,244,0,,1,72", ""},
		{NULL, "$", "PGHP,1,2012,12,6,9,53,48,612,244,,,1,02", ""},
		{NULL, "$", "PGHP,1,2016,2,29,23,59,60,7", ""},
		{NULL, "$", "PGHP,1,2000,12,31,0,0,0,0,", "\r\n"},
		{NULL, "$", "PGHP,2,2010,6,11,11,46,11,929", ""},
		{NULL, "!", "AIVDM,1,1,,A,13HOI:0P0000VOHLCnHQKwvL05Ip,0", ""},
		{NULL, "!", "AIVDO,1,1,,B,13HOI:0P0000VOHLCnHQKwvL05Ip,0", "\n"},
		{NULL, "!", "AIVDM,1,1,3,,13HOI:0P0000VOHLCnHQKwvL05Ip,0", ""},
		{NULL, "!", "AIVDM,2,2,4,A,R0EQCP000000000,2", ""},
		{NULL, "!", "AIVDM,2,1,4,A,539LiHP2;42`@pE<000<tq@V1<TpL4000000001?1SV@@73R0J0TQCAD,0", ""},
		{NULL, "!", "AIVDM,1,1,,B,14pWHb?P03rwO<F:RQOnROw<25bd,0", ",rSTA,1357134218"},
		{NULL, "!", "AIVDM,1,1,,B,14pWHb?P03rwO<F:RQOnROw<25bd,0", ",rSTA,1357134218,x*00"},
		{"c:1565218798", "!", "BSVDM,1,1,,A,13mb9U0P00PRk8fT5nw>4?wj2006,0", ""},
		{"c:1418172113456", "!", "ABVDM,1,1,,B,13mb9U0P00PRk8fT5nw>4?wj2006,0", "\r\n"},
		{"c:1418172113.25", "!", "AIVDM,2,2,4,A,R0EQCP000000000,2", ""},
		{"g:2-2-0125,c:1354719387", "!", "AIVDM,2,2,4,A,R0EQCP000000000,2", ""},
		{"s:rORBCOMM104,c:1418172113", "!", "AIVDM,1,1,,A,13HOI:0P0000VOHLCnHQKwvL05Ip,0", ""},
		{"2G2:0125", "!", "AIVDM,2,2,4,A,R0EQCP000000000,2", ""},
	};
	pair p;
	pair_open(&p);
	int iCtx = 0;
	char line[1400];
	for (size_t i = 0; i < sizeof aSeed / sizeof aSeed[0]; i++) {
		const seed *s = &aSeed[i];
		for (int iPart = 0; iPart < 3; iPart++)
			mutate_part(&p, s, iPart, &iCtx);
		assemble(line, sizeof line, s->zTag, s->zLead, s->zBody, s->zAfter);
		mutate_raw(&p, line, &iCtx);
	}
	/* The Kystverket tag block whose checksum leaves out its g: field
	 * (the tolerated case), and a line with two tag blocks. */
	mutate_raw(&p, "\\g:1-2-9999,c:1565218798*53\\!BSVDM,2,1,3,A,53nPnh800000ha@J2218UH60U@4hT6000000000t2PD33t?P008000000000,0*72", &iCtx);
	mutate_raw(&p, "\\g:2-2-9999,c:1565218798*53\\!BSVDM,2,2,3,A,00000000000,2*3E", &iCtx);
	mutate_raw(&p, "\\s:x*31\\\\c:1565218798*53\\!BSVDM,1,1,,A,13mb9U0P00PRk8fT5nw>4?wj2006,0*5D", &iCtx);
	st_nmea_finish(p.fast.d);
	st_nmea_finish(p.ref.d);
	assert_same_stats(&p, "the end of input");
	assert_true(p.nOk > 10000);
	pair_close(&p);
}

/* $PGHP dates: month and year ends, leap days (2000 yes, 2100 no, 2016
 * yes), back and forth so the cached day number must follow, the smallest
 * and largest accepted years, a day the month does not have (accepted by
 * the range checks, counted from the month's start), leap second 60, one-
 * to three-digit milliseconds. Each time is compared with the general
 * parser's and with st_time_from_civil. */
static void test_pghp_dates(void **state)
{
	(void)state;
	static const struct {
		int y, mo, d, h, mi, s;
		const char *zMs;
		int ms;
	} aDate[] = {
		{2010, 6, 11, 11, 46, 11, "929", 929},
		{2010, 6, 11, 11, 46, 12, "7", 7},
		{2010, 6, 12, 0, 0, 0, "07", 7},
		{2010, 6, 11, 23, 59, 59, "999", 999},
		{2012, 2, 28, 23, 59, 60, "0", 0},
		{2012, 2, 29, 0, 0, 0, "000", 0},
		{2012, 3, 1, 0, 0, 0, "1", 1},
		{2000, 2, 29, 12, 0, 0, "500", 500},
		{2100, 2, 28, 12, 0, 0, "5", 5},
		{2100, 3, 1, 12, 0, 0, "50", 50},
		{2100, 2, 29, 12, 0, 0, "50", 50},
		{2016, 2, 29, 1, 2, 3, "4", 4},
		{2016, 12, 31, 23, 59, 59, "999", 999},
		{2017, 1, 1, 0, 0, 0, "0", 0},
		{1970, 1, 1, 0, 0, 0, "0", 0},
		{9999, 12, 31, 23, 59, 60, "999", 999},
		{2010, 2, 31, 5, 6, 7, "8", 8},
		{2010, 6, 11, 11, 46, 11, "929", 929},
	};
	pair p;
	pair_open(&p);
	char body[128], line[160];
	for (size_t i = 0; i < sizeof aDate / sizeof aDate[0]; i++) {
		for (int form = 0; form < 3; form++) {
			/* Zero-padded or not, with and without fields after
			 * the milliseconds. */
			const char *zFmt = form == 0 ? "PGHP,1,%d,%d,%d,%d,%d,%d,%s,244,0,,1,72"
			                 : form == 1 ? "PGHP,1,%d,%02d,%02d,%02d,%02d,%02d,%s"
			                             : "PGHP,1,%d,%d,%d,%d,%d,%d,%s,";
			snprintf(body, sizeof body, zFmt, aDate[i].y, aDate[i].mo, aDate[i].d,
			         aDate[i].h, aDate[i].mi, aDate[i].s, aDate[i].zMs);
			mk(line, sizeof line, "$", body);
			pair_feed_str(&p, line);
			assert_int_equal(p.fast.rc, ST_EAGAIN);
			pair_feed_str(&p, BARE);
			assert_int_equal(p.fast.rc, ST_OK);
			st_time_ms want = st_time_from_civil(aDate[i].y, aDate[i].mo, aDate[i].d,
			                                     aDate[i].h, aDate[i].mi,
			                                     aDate[i].s + aDate[i].ms / 1000.0);
			assert_true(p.fast.meta.t == want);
		}
	}
	/* Out of range or misshapen: both refuse them the same way. */
	static const char *const azBad[] = {
		"PGHP,1,1969,12,31,23,59,59,999",  "PGHP,1,2010,0,11,11,46,11,929",
		"PGHP,1,2010,13,11,11,46,11,929",  "PGHP,1,2010,6,0,11,46,11,929",
		"PGHP,1,2010,6,32,11,46,11,929",   "PGHP,1,2010,6,11,24,46,11,929",
		"PGHP,1,2010,6,11,11,60,11,929",   "PGHP,1,2010,6,11,11,46,61,929",
		"PGHP,1,2010,6,11,11,46,11,1000",  "PGHP,1,2010,6,11,11,46,11,",
		"PGHP,1,2010,6,11,11,46,11",       "PGHP,1,2010,6,11,11,46,,929",
		"PGHP,1,02010,6,11,11,46,11,929",  "PGHP,01,2010,6,11,11,46,11,929",
		"PGHP,1,2010,006,11,11,46,11,929", "PGHP,1,2010,6,11,11,46,11,0929",
		"PGHP,1,2010,6,11,11,46,11,929x",  "PGHP,1,2010,6,11,11,46,11,929,*",
		"PGHP,1,10000,6,11,11,46,11,929",  "PGHP,1,2010,-6,11,11,46,11,929",
		"PGHP,1,2010,6,11,11,46,11,9 29",  "PGHP,1,,6,11,11,46,11,929",
	};
	for (size_t i = 0; i < sizeof azBad / sizeof azBad[0]; i++) {
		mk(line, sizeof line, "$", azBad[i]);
		pair_feed_str(&p, line);
		pair_feed_str(&p, BARE);
		/* A bad checksum, a lowercase one, a short one, junk after it. */
		size_t n = strlen(line);
		line[n - 1] = line[n - 1] == '0' ? '1' : '0';
		pair_feed_str(&p, line);
		line[n - 1] = 0;
		pair_feed_str(&p, line);
	}
	pair_feed_str(&p, "$PGHP,1,2010,6,11,11,46,11,929,244,0,,1,72*21 junk");
	pair_feed_str(&p, "$PGHP,1,2012,12,6,9,53,48,612,244,,,1,02*21");
	pair_feed_str(&p, "$PGHP,1,2012,12,6,9,53,48,612,244,,,1,2B*5b");
	pair_feed_str(&p, "$PGHP,1,2012,12,6,9,53,48,612,244,,,1,2B*5B\r\n");
	pair_close(&p);
}

/* The checksum at every length to 100 and alignment (the 16-byte, 8-byte
 * and byte paths, and the masked or shifted tail of each) and the armour
 * test against their byte-at-a-time definitions; the hex table against
 * the digits' values. */
static void test_checksum_helpers(void **state)
{
	(void)state;
	char buf[128];
	uint32_t r = 12345;
	for (int round = 0; round < 20; round++) {
		for (size_t i = 0; i < sizeof buf; i++) {
			r = r * 1103515245u + 12345u;
			buf[i] = (char)(r >> 16);
		}
		for (size_t off = 0; off < 16; off++) {
			for (size_t n = 0; off + n <= 100; n++) {
				unsigned x = 0;
				for (size_t i = 0; i < n; i++)
					x ^= (unsigned char)buf[off + i];
				assert_int_equal(st__nmea_xor(buf + off, n), x);
			}
		}
	}
	/* The armour test: every byte value at every position of every
	 * length to 80, among good characters of both ranges. */
	for (int c = 0; c < 256; c++) {
		bool good = (c >= '0' && c <= 'W') || (c >= '`' && c <= 'w');
		for (size_t n = 1; n <= 80; n++) {
			for (size_t pos = 0; pos < n; pos++) {
				for (size_t i = 0; i < n; i++)
					buf[i] = i % 2 ? '0' + (char)(i % 40) : '`' + (char)(i % 24);
				buf[pos] = (char)c;
				assert_int_equal(st__nmea_armour_ok(buf, n), good);
			}
		}
	}
	for (int a = 0; a < 256; a++) {
		for (int b = 0; b < 256; b++) {
			char z[2] = {(char)a, (char)b};
			int va = a >= '0' && a <= '9' ? a - '0' : (a | 0x20) >= 'a' && (a | 0x20) <= 'f' ? (a | 0x20) - 'a' + 10 : -1;
			int vb = b >= '0' && b <= '9' ? b - '0' : (b | 0x20) >= 'a' && (b | 0x20) <= 'f' ? (b | 0x20) - 'a' + 10 : -1;
			assert_int_equal(st__nmea_hex2(z), va < 0 || vb < 0 ? -1 : va * 16 + vb);
		}
	}
}

/* Records that share their fields up to the minute with the one before
 * (which the fast path does not read again) and records that differ from
 * it in a single byte of those fields, including a shorter field whose
 * comma sits where a digit was. */
static void test_pghp_minute_reuse(void **state)
{
	(void)state;
	static const char *const azBody[] = {
		"PGHP,1,2010,6,11,11,46,11,929,244,0,,1,72",
		"PGHP,1,2010,6,11,11,46,12,5",
		"PGHP,1,2010,6,11,11,46,60,999,1",
		"PGHP,1,2010,6,11,11,4,12,5",
		"PGHP,1,2010,6,11,11,47,12,5",
		"PGHP,1,2010,6,11,11,47,61,5",
		"PGHP,1,2010,6,11,1,47,12,5",
		"PGHP,1,2010,6,1,11,47,12,5",
		"PGHP,1,2010,6,11,11,47,12,5",
		"PGHP,1,2010,6,11,11,47,,5",
		"PGHP,1,2011,6,11,11,47,12,5",
		"PGHP,1,2010,7,11,11,47,12,5",
		"PGHP,1,2010,6,11,11,47,12,5",
		"PGHP,1,2010,6,11,11,47,1,5",
		"PGHP,1,2010,06,11,11,47,12,5",
		"PGHP,1,2010,6,11,11,47,12,5",
		"PGHP,1,2010,12,31,23,59,12,5",
		"PGHP,1,2010,12,31,23,59,59,999",
		"PGHP,1,2010,12,31,23,5,59,999",
		"PGHP,1,2010,12,31,23,59,59,1000",
		"PGHP,1,2010,12,31,23,59,59,99",
		"PGHP,1,2010,12,31,23,59,59*",
	};
	pair p;
	pair_open(&p);
	char line[160];
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < sizeof azBody / sizeof azBody[0]; i++) {
			size_t k = pass ? sizeof azBody / sizeof azBody[0] - 1 - i : i;
			mk(line, sizeof line, "$", azBody[k]);
			pair_feed_str(&p, line);
			pair_feed_str(&p, BARE);
			int y, mo, d, h, mi, sec, ms;
			if (p.fast.rc == ST_OK && p.ref.rc == ST_OK &&
			    sscanf(azBody[k], "PGHP,1,%d,%d,%d,%d,%d,%d,%d", &y, &mo, &d, &h, &mi, &sec, &ms) == 7 &&
			    mi < 60 && sec <= 60 && ms < 1000)
				assert_true(p.fast.meta.t == st_time_from_civil(y, mo, d, h, mi, sec + ms / 1000.0));
		}
	}
	pair_close(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shared_corpora),
		cmocka_unit_test(test_mutations),
		cmocka_unit_test(test_pghp_dates),
		cmocka_unit_test(test_pghp_minute_reuse),
		cmocka_unit_test(test_checksum_helpers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

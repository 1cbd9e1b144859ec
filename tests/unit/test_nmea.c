/* NMEA framing: checksums, field validation, line classification, receive
 * time and source from tag blocks, $PGHP, USCG trailers and leading epochs,
 * multi-sentence reassembly (interleaving, out of order, duplicates, tag
 * block groups, staleness, a full table under a flood) and the accounting
 * identity after each. Sentences are built with real payloads whose MMSIs
 * were read off the bit layout independently. */
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
#include "nmea/nmea_int.h"

/* Real payloads (pyais, AisLib, libais samples) and their MMSIs. */
#define PAY1 "13HOI:0P0000VOHLCnHQKwvL05Ip" /* type 1, 227006760 */
#define MMSI1 227006760u
#define PAY5A "55?MbV02;H;s<HtKR20EHE:0@T4@Dn2222222216L961O5Gf0NSQEp6ClRp8"
#define PAY5B "88888888880"                  /* with fill 2: type 5, 351759000 */
#define MMSI5 351759000u
#define PAY5C "539LiHP2;42`@pE<000<tq@V1<TpL4000000001?1SV@@73R0J0TQCAD"
#define PAY5D "R0EQCP000000000"              /* type 5, 211235170 */
#define MMSI5C 211235170u

static uint64_t sum_rejected(const st_nmea_stats *s)
{
	uint64_t n = 0;
	for (int i = 0; i < ST_REJ_COUNT; i++)
		n += s->rejected[i];
	return n;
}

static void assert_identity(const st_nmea *d)
{
	const st_nmea_stats *s = st_nmea_get_stats(d);
	assert_int_equal(s->lines, s->msg_sentences + s->held + s->meta_lines +
	                                   s->blank_lines + sum_rejected(s));
}

/* "!" + body + "*hh" with the right checksum. */
static const char *mk(char *buf, size_t n, const char *lead, const char *body)
{
	unsigned x = 0;
	for (const char *p = body; *p; p++)
		x ^= (unsigned char)*p;
	snprintf(buf, n, "%s%s*%02X", lead, body, x);
	return buf;
}

/* "\" + body + "*hh\" + rest. */
static const char *mktag(char *buf, size_t n, const char *tag, const char *rest)
{
	unsigned x = 0;
	for (const char *p = tag; *p; p++)
		x ^= (unsigned char)*p;
	snprintf(buf, n, "\\%s*%02X\\%s", tag, x, rest);
	return buf;
}

typedef struct res {
	st_status rc;
	st_reject why;
	st_ais_msg msg;
	st_nmea_meta meta;
} res;

static res R;

static st_status feed(st_nmea *d, const char *z)
{
	R.why = ST_REJ_COUNT;
	R.rc = st_nmea_feed(d, z, strlen(z), &R.msg, &R.meta, &R.why);
	return R.rc;
}

static void test_reject_names(void **state)
{
	(void)state;
	assert_string_equal(st_reject_name(ST_REJ_BADSUM), "bad_checksum");
	assert_string_equal(st_reject_name(ST_REJ_MALFORMED), "malformed");
	assert_string_equal(st_reject_name(ST_REJ_ORPHAN), "orphan_fragment");
	assert_string_equal(st_reject_name(ST_REJ_STALE), "stale_fragment");
	assert_string_equal(st_reject_name(ST_REJ_NOTAIS), "non_ais_nmea");
	assert_string_equal(st_reject_name(ST_REJ_UNPARSEABLE), "unparseable");
	assert_string_equal(st_reject_name(ST_REJ_TOOLONG), "too_long");
	assert_string_equal(st_reject_name(ST_REJ_COUNT), "unknown");
}

/* The word-at-a-time helpers against their one-byte definitions, for
 * every byte value at every position of a word and at odd lengths. */
static void test_swar_helpers(void **state)
{
	(void)state;
	char buf[24];
	for (int c = 0; c < 256; c++) {
		for (size_t len = 1; len <= sizeof buf; len++) {
			for (size_t pos = 0; pos < len; pos += 3) {
				memset(buf, 'A', sizeof buf);
				buf[pos] = (char)c;
				bool want = st__nmea_armour_char((unsigned char)c);
				assert_int_equal(st__nmea_armour_ok(buf, len), want);
				unsigned x = 0;
				for (size_t i = 0; i < len; i++)
					x ^= (unsigned char)buf[i];
				assert_int_equal(st__nmea_xor(buf, len), x);
			}
		}
		/* st__nmea_find: c placed at every position, with decoys
		 * (c+1, c-1, c^0x80) around it. */
		for (size_t len = 0; len <= sizeof buf; len++) {
			for (size_t pos = 0; pos <= len; pos++) {
				for (size_t i = 0; i < sizeof buf; i++)
					buf[i] = (char)(i % 3 == 0 ? c + 1 : i % 3 == 1 ? c - 1 : c ^ 0x80);
				if (pos < len)
					buf[pos] = (char)c;
				if (pos + 1 < len)
					buf[pos + 1] = (char)c;
				assert_ptr_equal(st__nmea_find(buf, buf + len, (char)c), buf + pos);
			}
		}
		bool ok = (c >= '0' && c <= 'W') || (c >= '`' && c <= 'w');
		assert_int_equal(st__nmea_armour_char((unsigned char)c), ok);
	}
	/* Epochs of every length, with the eight-digit step and without. */
	struct {
		const char *z;
		long long t;
		size_t nUsed;
	} aEpoch[] = {
		{"1", 1000, 1},
		{"1234567", 1234567000LL, 7},
		{"12345678", 12345678000LL, 8},
		{"1418172113", 1418172113000LL, 10},
		{"1418172113.5 x", 1418172113500LL, 12},
		{"1418172113.123456", 1418172113123LL, 17},
		{"1418172113456", 1418172113456LL, 13},
		{"99999999999", 99999999999000LL, 11},
		{"100000000000", 100000000000LL, 12},
		{"1234x678901", 1234000LL, 4},
		{"1234567:9", 1234567000LL, 7},
		{"12345678/", 12345678000LL, 8},
	};
	for (size_t i = 0; i < sizeof aEpoch / sizeof aEpoch[0]; i++) {
		const char *z = aEpoch[i].z, *e = NULL;
		assert_true(st__nmea_epoch(z, z + strlen(z), &e) == aEpoch[i].t);
		assert_int_equal(e - z, aEpoch[i].nUsed);
	}
	const char *e, *zX = "x1", *zLong = "12345678901234567";
	assert_true(st__nmea_epoch(zX, zX + 2, &e) == ST_TIME_NONE);
	assert_true(st__nmea_epoch(zLong, zLong + 17, &e) == ST_TIME_NONE);
	assert_int_equal(st__nmea_hex2("3e"), 0x3e);
	assert_int_equal(st__nmea_hex2("3E"), 0x3e);
	assert_int_equal(st__nmea_hex2("3G"), -1);
}

static void test_single_sentence(void **state)
{
	(void)state;
	st_nmea *d = st_nmea_new();
	char b[256];
	assert_int_equal(feed(d, mk(b, sizeof b, "!", "AIVDM,1,1,,A," PAY1 ",0")), ST_OK);
	assert_int_equal(R.msg.type, 1);
	assert_int_equal(R.msg.mmsi, MMSI1);
	assert_true(R.meta.t == ST_TIME_NONE);
	assert_string_equal(R.meta.talker, "AI");
	assert_int_equal(R.meta.channel, 'A');
	assert_false(R.meta.own);
	assert_string_equal(R.meta.source, "");
	assert_int_equal(R.meta.line, 1);
	assert_int_equal(R.meta.sentences, 1);
	/* Other talkers, VDO, numeric channel and no channel: general path. */
	const char *aBody[] = {"ABVDM,1,1,,B,", "BSVDO,1,1,,1,", "SAVDM,1,1,3,,",
	                       "ANVDM,1,1,,2,", "ARVDM,1,1,,A,", "ASVDM,1,1,,A,",
	                       "ATVDM,1,1,,A,", "AXVDM,1,1,,A,"};
	for (size_t i = 0; i < sizeof aBody / sizeof aBody[0]; i++) {
		char body[128];
		snprintf(body, sizeof body, "%s" PAY1 ",0", aBody[i]);
		assert_int_equal(feed(d, mk(b, sizeof b, "!", body)), ST_OK);
		assert_int_equal(R.msg.mmsi, MMSI1);
		assert_memory_equal(R.meta.talker, aBody[i], 2);
		assert_int_equal(R.meta.own, aBody[i][4] == 'O');
	}
	/* Tolerated: channel C and D, talker "--", '$' as the lead. */
	assert_int_equal(feed(d, mk(b, sizeof b, "!", "AIVDM,1,1,,C," PAY1 ",0")), ST_OK);
	assert_int_equal(R.meta.channel, 'C');
	assert_int_equal(feed(d, mk(b, sizeof b, "!", "AIVDM,1,1,,D," PAY1 ",0")), ST_OK);
	assert_int_equal(feed(d, mk(b, sizeof b, "!", "--VDM,1,1,,A," PAY1 ",0")), ST_OK);
	assert_string_equal(R.meta.talker, "--");
	assert_int_equal(feed(d, mk(b, sizeof b, "$", "AIVDM,1,1,,A," PAY1 ",0")), ST_OK);
	assert_int_equal(R.msg.mmsi, MMSI1);
	/* Not tolerated: lowercase talker or a digit in it. */
	assert_int_equal(feed(d, mk(b, sizeof b, "!", "A1VDM,1,1,,A," PAY1 ",0")), ST_ENOTAIS);
	assert_int_equal(feed(d, mk(b, sizeof b, "!", "aiVDM,1,1,,A," PAY1 ",0")), ST_EUNPARSEABLE);
	const st_nmea_stats *s = st_nmea_get_stats(d);
	assert_int_equal(s->messages, 13);
	assert_int_equal(s->by_type[1], 13);
	assert_int_equal(s->sentences, 13);
	assert_identity(d);
	st_nmea_free(d);
}

/* LF, CRLF, bare, trailing blanks and leading blanks all give the same
 * message; the fast and general paths agree. */
static void test_line_endings(void **state)
{
	(void)state;
	st_nmea *d = st_nmea_new();
	char b[256], l[300];
	mk(b, sizeof b, "!", "AIVDM,1,1,,B,14pWHb?P03rwO<F:RQOnROw<25bd,0");
	const char *aFmt[] = {"%s", "%s\n", "%s\r\n", "%s \r\n", "  %s\n", "\t%s\r"};
	static st_ais_msg first;
	for (size_t i = 0; i < sizeof aFmt / sizeof aFmt[0]; i++) {
		snprintf(l, sizeof l, aFmt[i], b);
		assert_int_equal(feed(d, l), ST_OK);
		assert_int_equal(R.msg.mmsi, 327801000u);
		assert_int_equal(R.meta.channel, 'B');
		/* Leading blanks take the general parser: same message. */
		if (i == 0)
			first = R.msg;
		else
			assert_memory_equal(&R.msg.type1, &first.type1, sizeof first.type1);
	}
	/* A line with embedded NUL-free garbage after the LF is not ours to
	 * read: only len bytes count. */
	assert_int_equal(st_nmea_feed(d, b, strlen(b), &R.msg, NULL, NULL), ST_OK);
	assert_identity(d);
	st_nmea_free(d);
}

static void test_checksums(void **state)
{
	(void)state;
	st_nmea *d = st_nmea_new();
	char b[256];
	mk(b, sizeof b, "!", "AIVDM,1,1,,B,14pWHb?P03rwO<F:RQOnROw<25bd,0");
	size_t n = strlen(b);
	assert_int_equal(b[n - 1], 'E');
	/* Lowercase hex carries the same checksum: accepted. */
	for (size_t i = n - 2; i < n; i++)
		if (b[i] >= 'A' && b[i] <= 'F')
			b[i] = (char)(b[i] | 0x20);
	assert_int_equal(feed(d, b), ST_OK);
	/* One flipped payload bit is caught. */
	b[20] ^= 1;
	assert_int_equal(feed(d, b), ST_EBADSUM);
	assert_int_equal(R.why, ST_REJ_BADSUM);
	b[20] ^= 1;
	/* Checksum digits that are not hex, or only one of them. */
	b[n - 1] = 'G';
	assert_int_equal(feed(d, b), ST_EBADSUM);
	b[n - 1] = 0;
	assert_int_equal(feed(d, b), ST_EBADSUM);
	/* Non-AIS NMEA with a wrong checksum is a bad checksum too. */
	assert_int_equal(feed(d, "$GPGGA,184353.07,1929.045,S,02410.506,E,1,04,2.6,100.00,M,-33.9,M,,0000*6E"),
	                 ST_EBADSUM);
	const st_nmea_stats *s = st_nmea_get_stats(d);
	assert_int_equal(s->rejected[ST_REJ_BADSUM], 4);
	assert_int_equal(s->messages, 1);
	assert_int_equal(s->sentences, 1);
	assert_identity(d);
	st_nmea_free(d);
}

static void test_field_validation(void **state)
{
	(void)state;
	st_nmea *d = st_nmea_new();
	char b[256];
	const char *aBad[] = {
		"AIVDM,0,1,,A," PAY1 ",0",       /* count 0 */
		"AIVDM,1,2,,A," PAY1 ",0",       /* number above count */
		"AIVDM,10,1,,A," PAY1 ",0",      /* count 10 */
		"AIVDM,1,1,X,A," PAY1 ",0",      /* sequence id not a digit */
		"AIVDM,1,1,12,A," PAY1 ",0",     /* two-digit sequence id */
		"AIVDM,1,1,,E," PAY1 ",0",       /* channel E */
		"AIVDM,1,1,,AB," PAY1 ",0",      /* two channels */
		"AIVDM,1,1,,A,13HOI:0P0000VOHLCnHQKwvL05I!,0", /* '!' in payload */
		"AIVDM,1,1,,A,13HOI:0P0000VOHLCnHQKwvL05I\x7f,0",
		"AIVDM,1,1,,A,13HOI:0P0000VOHLCnHQKwvL05IX,0", /* 'X' is in the gap */
		"AIVDM,1,1,,A," PAY1 ",6",       /* fill 6 */
		"AIVDM,1,1,,A," PAY1 ",",        /* no fill */
		"AIVDM,1,1,,A," PAY1 ",0,1",     /* extra field */
		"AIVDM,1,1,,A,,0",               /* empty payload */
		("AIVDM,1,1,,A," PAY1),          /* five fields */
	};
	for (size_t i = 0; i < sizeof aBad / sizeof aBad[0]; i++) {
		assert_int_equal(feed(d, mk(b, sizeof b, "!", aBad[i])), ST_EMALFORMED);
		assert_int_equal(R.why, ST_REJ_MALFORMED);
	}
	/* AIS without a checksum, and USCG-looking garbage glued to it. */
	assert_int_equal(feed(d, "!AIVDM,1,1,,A," PAY1 ",0"), ST_EMALFORMED);
	mk(b, sizeof b, "!", "AIVDM,1,1,,A," PAY1 ",0");
	strcat(b, "x");
	assert_int_equal(feed(d, b), ST_EMALFORMED);
	/* A payload the AIS decoder refuses (type 0) is malformed too. */
	assert_int_equal(feed(d, mk(b, sizeof b, "!", "AIVDM,1,1,,A,03HOI:0P0000VOHLCnHQKwvL05Ip,0")),
	                 ST_EMALFORMED);
	const st_nmea_stats *s = st_nmea_get_stats(d);
	assert_int_equal(s->rejected[ST_REJ_MALFORMED], sizeof aBad / sizeof aBad[0] + 3);
	assert_int_equal(s->messages, 0);
	assert_identity(d);
	st_nmea_free(d);
}

static void test_classification(void **state)
{
	(void)state;
	st_nmea *d = st_nmea_new();
	assert_int_equal(feed(d, "$GPGGA,184353.07,1929.045,S,02410.506,E,1,04,2.6,100.00,M,-33.9,M,,0000*6D"),
	                 ST_ENOTAIS);
	assert_int_equal(R.why, ST_REJ_NOTAIS);
	assert_int_equal(feed(d, "$PFOO,INVALID"), ST_ENOTAIS); /* '$' checksum optional */
	assert_int_equal(feed(d, "$IIMWV,271.0,R,000.2,N,A*3B\r\n"), ST_ENOTAIS);
	const char *aGarbage[] = {"foobar", "IamNotAnAisMessage1111", "!", "$", "!AIVDM",
	                          "!,1,1", "!AIVDMXX,1*00", "1234567890", "12345 foo",
	                          "\\c:1234*00", "\x01\x02\x03", "!ai vdm,1"};
	for (size_t i = 0; i < sizeof aGarbage / sizeof aGarbage[0]; i++) {
		assert_int_equal(feed(d, aGarbage[i]), ST_EUNPARSEABLE);
		assert_int_equal(R.why, ST_REJ_UNPARSEABLE);
	}
	const char *aBlank[] = {"", "\n", "\r\n", "   \r\n", "# comment", "  # indented"};
	for (size_t i = 0; i < sizeof aBlank / sizeof aBlank[0]; i++)
		assert_int_equal(feed(d, aBlank[i]), ST_EAGAIN);
	const st_nmea_stats *s = st_nmea_get_stats(d);
	assert_int_equal(s->blank_lines, 6);
	assert_int_equal(s->rejected[ST_REJ_NOTAIS], 3);
	assert_int_equal(s->sentences, 0);
	assert_identity(d);
	st_nmea_free(d);
}

static void test_too_long(void **state)
{
	(void)state;
	st_nmea *d = st_nmea_new();
	static char b[4 * ST_NMEA_MAX_LINE];
	/* A valid sentence padded by a long trailer is still too long. */
	mk(b, sizeof b, "!", "AIVDM,1,1,,A," PAY1 ",0");
	size_t n = strlen(b);
	memset(b + n, ',', ST_NMEA_MAX_LINE + 1 - n);
	b[ST_NMEA_MAX_LINE + 1] = 0;
	assert_int_equal(feed(d, b), ST_ETOOLONG);
	assert_int_equal(R.why, ST_REJ_TOOLONG);
	/* Exactly the limit, then a CRLF: not too long (and a valid USCG
	 * trailer of empty fields). */
	b[ST_NMEA_MAX_LINE] = 0;
	assert_int_equal(feed(d, b), ST_OK);
	memcpy(b + ST_NMEA_MAX_LINE, "\r\n", 3);
	assert_int_equal(feed(d, b), ST_OK);
	/* Far beyond: rejected without reading what follows the limit. */
	memset(b, 'x', sizeof b);
	assert_int_equal(st_nmea_feed(d, b, sizeof b, NULL, NULL, NULL), ST_ETOOLONG);
	const st_nmea_stats *s = st_nmea_get_stats(d);
	assert_int_equal(s->rejected[ST_REJ_TOOLONG], 2);
	assert_identity(d);
	st_nmea_free(d);
}

static void test_tag_blocks(void **state)
{
	(void)state;
	st_nmea *d = st_nmea_new();
	char b[256], t[320];
	mk(b, sizeof b, "!", "AIVDM,1,1,,A," PAY1 ",0");
	assert_int_equal(feed(d, mktag(t, sizeof t, "s:rORBCOMM104,q:u,c:1418172113,T:2014-12-10 00.41.53", b)), ST_OK);
	assert_true(R.meta.t == 1418172113000LL);
	assert_string_equal(R.meta.source, "rORBCOMM104");
	assert_int_equal(R.msg.mmsi, MMSI1);
	/* c: in milliseconds, and with a fraction of a second. */
	assert_int_equal(feed(d, mktag(t, sizeof t, "c:1418172113456", b)), ST_OK);
	assert_true(R.meta.t == 1418172113456LL);
	assert_int_equal(feed(d, mktag(t, sizeof t, "c:1418172113.25,s:x", b)), ST_OK);
	assert_true(R.meta.t == 1418172113250LL);
	assert_string_equal(R.meta.source, "x");
	/* Unknown and empty keys are ignored; a malformed c: gives no time. */
	assert_int_equal(feed(d, mktag(t, sizeof t, ":,c:12x,zz:9", b)), ST_OK);
	assert_true(R.meta.t == ST_TIME_NONE);
	/* A bad tag checksum rejects the line, a missing one too. */
	mktag(t, sizeof t, "c:1418172113", b);
	t[5] = t[5] == '0' ? '1' : '0';
	assert_int_equal(feed(d, t), ST_EBADSUM);
	assert_int_equal(feed(d, "\\g:1-2-73874*A\\!AIVDM,1,1,,A,15MrVH0000KH<:V:NtBLoqFP2H9:,0*2F"), ST_EBADSUM);
	snprintf(t, sizeof t, "\\c:1418172113\\%s", b);
	assert_int_equal(feed(d, t), ST_EMALFORMED);
	snprintf(t, sizeof t, "\\c:1418172113*hh%s", b); /* never closed */
	assert_int_equal(feed(d, t), ST_EUNPARSEABLE);
	/* A leading epoch, and a leading epoch before a tag block (which
	 * wins). */
	snprintf(t, sizeof t, "1234567890.123 %s", b);
	assert_int_equal(feed(d, t), ST_OK);
	assert_true(R.meta.t == 1234567890123LL);
	char t2[400];
	snprintf(t2, sizeof t2, "1234567890 %s", mktag(t, sizeof t, "s:STA,c:1418172113", b));
	assert_int_equal(feed(d, t2), ST_OK);
	assert_true(R.meta.t == 1418172113000LL);
	assert_string_equal(R.meta.source, "STA");
	/* A source longer than the field is cut, not overflowed. */
	assert_int_equal(feed(d, mktag(t, sizeof t, "s:0123456789012345678901234567890123456789", b)), ST_OK);
	assert_int_equal(strlen(R.meta.source), sizeof R.meta.source - 1);
	const st_nmea_stats *s = st_nmea_get_stats(d);
	assert_int_equal(s->messages, 7);
	assert_identity(d);
	st_nmea_free(d);
}

/* A tag block alone on its line and a $PGHP line stamp the next sentence
 * only; blank lines in between do not cancel them, other lines do. */
static void test_pending_time(void **state)
{
	(void)state;
	st_nmea *d = st_nmea_new();
	char b[256], t[320];
	mk(b, sizeof b, "!", "AIVDM,1,1,,A," PAY1 ",0");
	assert_int_equal(feed(d, "$PGHP,1,2010,6,11,11,46,11,929,244,0,,1,72*21"), ST_EAGAIN);
	assert_int_equal(feed(d, ""), ST_EAGAIN);
	assert_int_equal(feed(d, b), ST_OK);
	assert_true(R.meta.t == st_time_parse("2010-06-11T11:46:11.929Z"));
	assert_int_equal(feed(d, b), ST_OK);
	assert_true(R.meta.t == ST_TIME_NONE);
	assert_int_equal(feed(d, mktag(t, sizeof t, "s:lone,c:1354719388", "")), ST_EAGAIN);
	assert_int_equal(feed(d, b), ST_OK);
	assert_true(R.meta.t == 1354719388000LL);
	assert_string_equal(R.meta.source, "lone");
	/* Consumed by a rejected line. */
	assert_int_equal(feed(d, "$PGHP,1,2010,6,11,11,46,11,929,244,0,,1,72*21"), ST_EAGAIN);
	assert_int_equal(feed(d, "garbage"), ST_EUNPARSEABLE);
	assert_int_equal(feed(d, b), ST_OK);
	assert_true(R.meta.t == ST_TIME_NONE);
	/* A bad date in a type 1 record; a record of another type. */
	assert_int_equal(feed(d, mk(t, sizeof t, "$", "PGHP,1,2010,13,11,11,46,11,929,244,0,,1,72")), ST_EMALFORMED);
	assert_int_equal(feed(d, mk(t, sizeof t, "$", "PGHP,2,x")), ST_EAGAIN);
	/* The line's own time beats a pending one. */
	assert_int_equal(feed(d, "$PGHP,1,2010,6,11,11,46,11,929,244,0,,1,72*21"), ST_EAGAIN);
	snprintf(t, sizeof t, "%s,rSTA,1325394060", b);
	assert_int_equal(feed(d, t), ST_OK);
	assert_true(R.meta.t == 1325394060000LL);
	/* Also when the trailer happens to end like a checksum ("*hh"), and
	 * for the source too. */
	char t2[400];
	assert_int_equal(feed(d, "$PGHP,1,2010,6,11,11,46,11,929,244,0,,1,72*21"), ST_EAGAIN);
	snprintf(t2, sizeof t2, "%s,1325394060,x*00", b);
	assert_int_equal(feed(d, t2), ST_OK);
	assert_true(R.meta.t == 1325394060000LL);
	assert_int_equal(feed(d, mktag(t, sizeof t, "s:lone,c:1354719388", "")), ST_EAGAIN);
	snprintf(t2, sizeof t2, "%s,rSTA,1325394060,x*00", b);
	assert_int_equal(feed(d, t2), ST_OK);
	assert_true(R.meta.t == 1325394060000LL);
	assert_string_equal(R.meta.source, "STA");
	const st_nmea_stats *s = st_nmea_get_stats(d);
	assert_int_equal(s->meta_lines, 7);
	assert_int_equal(s->rejected[ST_REJ_MALFORMED], 1);
	assert_identity(d);
	st_nmea_free(d);
}

static void test_uscg_trailer(void **state)
{
	(void)state;
	st_nmea *d = st_nmea_new();
	assert_int_equal(feed(d, "!AIVDM,1,1,,A,403Ovl@000Htt<tSF0l4Q@100`Pq,0*28,d-109,S2105,"
	                         "t050056.00,T56.13718694,r003669946,1325394060,1325394001"), ST_OK);
	assert_int_equal(R.msg.type, 4);
	assert_int_equal(R.msg.mmsi, 3669713u);
	assert_string_equal(R.meta.source, "003669946");
	assert_true(R.meta.t == 1325394060000LL);
	assert_int_equal(feed(d, "!AIVDM,1,1,,B,14pWHb?P03rwO<F:RQOnROw<25bd,0*3E,1357134218"), ST_OK);
	assert_true(R.meta.t == 1357134218000LL);
	assert_string_equal(R.meta.source, "");
	/* Unknown fields are skipped, the first epoch taken. */
	assert_int_equal(feed(d, "!AIVDM,1,1,,B,14pWHb?P03rwO<F:RQOnROw<25bd,0*3E,1daasd4218,,1357134222"), ST_OK);
	assert_true(R.meta.t == 1357134222000LL);
	assert_int_equal(feed(d, "!AIVDM,1,1,,B,14pWHb?P03rwO<F:RQOnROw<25bd,0*3E,s22608,d-106,T44.338,x8467,rSTA-1,1218033054"), ST_OK);
	assert_true(R.meta.t == 1218033054000LL);
	assert_string_equal(R.meta.source, "STA-1");
	assert_identity(d);
	st_nmea_free(d);
}

static void test_multi_sentence(void **state)
{
	(void)state;
	st_nmea *d = st_nmea_new();
	char b[256];
	assert_int_equal(feed(d, mk(b, sizeof b, "!", "AIVDM,2,1,1,A," PAY5A ",0")), ST_EAGAIN);
	assert_int_equal(st_nmea_get_stats(d)->held, 1);
	assert_identity(d);
	assert_int_equal(feed(d, mk(b, sizeof b, "!", "AIVDM,2,2,1,A," PAY5B ",2")), ST_OK);
	assert_int_equal(R.msg.type, 5);
	assert_int_equal(R.msg.mmsi, MMSI5);
	assert_int_equal(R.meta.first_line, 1);
	assert_int_equal(R.meta.line, 2);
	assert_int_equal(R.meta.sentences, 2);
	const st_nmea_stats *s = st_nmea_get_stats(d);
	assert_int_equal(s->msg_sentences, 2);
	assert_int_equal(s->held, 0);
	assert_int_equal(s->by_type[5], 1);
	assert_identity(d);
	st_nmea_free(d);
}

/* Two messages with the same sequence id on channels A and B, their
 * fragments interleaved, and a single-sentence message in between. */
static void test_interleaved_channels(void **state)
{
	(void)state;
	st_nmea *d = st_nmea_new();
	char b[256];
	assert_int_equal(feed(d, mk(b, sizeof b, "!", "AIVDM,2,1,3,A," PAY5A ",0")), ST_EAGAIN);
	assert_int_equal(feed(d, mk(b, sizeof b, "!", "AIVDM,2,1,3,B," PAY5C ",0")), ST_EAGAIN);
	assert_int_equal(feed(d, mk(b, sizeof b, "!", "AIVDM,1,1,,A," PAY1 ",0")), ST_OK);
	assert_int_equal(R.msg.mmsi, MMSI1);
	assert_int_equal(feed(d, mk(b, sizeof b, "!", "AIVDM,2,2,3,B," PAY5D ",2")), ST_OK);
	assert_int_equal(R.msg.mmsi, MMSI5C);
	assert_int_equal(R.meta.channel, 'B');
	assert_int_equal(R.meta.first_line, 2);
	assert_int_equal(feed(d, mk(b, sizeof b, "!", "AIVDM,2,2,3,A," PAY5B ",2")), ST_OK);
	assert_int_equal(R.msg.mmsi, MMSI5);
	assert_int_equal(R.meta.channel, 'A');
	assert_int_equal(R.meta.first_line, 1);
	/* Same ids from two tag-block sources do not mix either. */
	char t[320], p[256];
	assert_int_equal(feed(d, mktag(t, sizeof t, "s:one", mk(p, sizeof p, "!", "AIVDM,2,1,3,A," PAY5A ",0"))), ST_EAGAIN);
	assert_int_equal(feed(d, mktag(t, sizeof t, "s:two", mk(p, sizeof p, "!", "AIVDM,2,1,3,A," PAY5C ",0"))), ST_EAGAIN);
	assert_int_equal(feed(d, mktag(t, sizeof t, "s:one", mk(p, sizeof p, "!", "AIVDM,2,2,3,A," PAY5B ",2"))), ST_OK);
	assert_int_equal(R.msg.mmsi, MMSI5);
	assert_string_equal(R.meta.source, "one");
	assert_int_equal(feed(d, mktag(t, sizeof t, "s:two", mk(p, sizeof p, "!", "AIVDM,2,2,3,A," PAY5D ",2"))), ST_OK);
	assert_int_equal(R.msg.mmsi, MMSI5C);
	assert_string_equal(R.meta.source, "two");
	const st_nmea_stats *s = st_nmea_get_stats(d);
	assert_int_equal(s->messages, 5);
	assert_int_equal(sum_rejected(s), 0);
	assert_identity(d);
	st_nmea_free(d);
}

/* libais's ORBCOMM sample: a g: group whose fragments carry the time and
 * source in the first tag block only, with another message in between;
 * then a group whose second fragment has no s: at all (pyais). */
static void test_tag_groups(void **state)
{
	(void)state;
	st_nmea *d = st_nmea_new();
	assert_int_equal(feed(d, "\\g:1-2-1604,s:rORBCOMM008,c:1418169601,T:2014-12-10 00.00.01*37\\"
	                         "!AIVDM,2,1,6,A,53@o0E000001Q0CG37U8u<Tp4q@D00000000000018330400000000000000,0*63"),
	                 ST_EAGAIN);
	assert_int_equal(feed(d, "\\s:rORBCOMM104,q:u,c:1418172113,T:2014-12-10 00.41.53*55\\"
	                         "!AIVDM,1,1,,B,13F?Vv700<DJuLEtvep`iToV0<00,0*78"),
	                 ST_OK);
	assert_int_equal(R.msg.mmsi, 224651000u);
	assert_int_equal(feed(d, "\\g:2-2-1604,s:rORBCOMM008,c:1418169601,T:2014-12-10 00.00.01*34\\"
	                         "!AIVDM,2,2,6,A,00000000008,2*2A"),
	                 ST_OK);
	assert_int_equal(R.msg.mmsi, 219005012u);
	assert_true(R.meta.t == 1418169601000LL);
	assert_string_equal(R.meta.source, "rORBCOMM008");
	assert_int_equal(feed(d, "\\g:1-2-27300,n:636994,s:b003669710,c:1428621738*5F\\"
	                         "!SAVDM,2,1,2,B,55Mw@A7J1adAL@?;7WPl58F0U<h4pB222222220t1PN5553fN4g?`4iSp5Rc,0*26"),
	                 ST_EAGAIN);
	assert_int_equal(feed(d, "\\g:2-2-27300,n:636995*15\\!SAVDM,2,2,2,B,iP`88888880,2*5E"), ST_OK);
	assert_int_equal(R.msg.mmsi, 366989380u);
	assert_true(R.meta.t == 1428621738000LL);
	assert_string_equal(R.meta.source, "b003669710");
	assert_string_equal(R.meta.talker, "SA");
	/* Same sequence id and channel but different group ids: two messages. */
	char t[320], p[256];
	assert_int_equal(feed(d, mktag(t, sizeof t, "g:1-2-11", mk(p, sizeof p, "!", "AIVDM,2,1,3,A," PAY5A ",0"))), ST_EAGAIN);
	assert_int_equal(feed(d, mktag(t, sizeof t, "g:1-2-12", mk(p, sizeof p, "!", "AIVDM,2,1,3,A," PAY5C ",0"))), ST_EAGAIN);
	assert_int_equal(feed(d, mktag(t, sizeof t, "g:2-2-12", mk(p, sizeof p, "!", "AIVDM,2,2,3,A," PAY5D ",2"))), ST_OK);
	assert_int_equal(R.msg.mmsi, MMSI5C);
	assert_int_equal(feed(d, mktag(t, sizeof t, "g:2-2-11", mk(p, sizeof p, "!", "AIVDM,2,2,3,A," PAY5B ",2"))), ST_OK);
	assert_int_equal(R.msg.mmsi, MMSI5);
	/* The 2008 edition's "1G2:0125" grouping. */
	assert_int_equal(feed(d, "\\1G2:0125,c:1354719387*0D\\!AIVDM,2,1,4,A," PAY5C ",0*1E"), ST_EAGAIN);
	assert_int_equal(feed(d, "\\2G2:0125*7B\\!AIVDM,2,2,4,A," PAY5D ",2*45"), ST_OK);
	assert_int_equal(R.msg.mmsi, MMSI5C);
	assert_true(R.meta.t == 1354719387000LL);
	/* Kystverket's g: outside the checksum: tolerated and counted. */
	assert_int_equal(feed(d, "\\g:1-2-9999,c:1565218798*53\\!BSVDM,2,1,3,A,53nPnh800000ha@J2218UH60U@4hT6000000000t2PD33t?P008000000000,0*72"), ST_EAGAIN);
	assert_int_equal(feed(d, "\\g:2-2-9999,c:1565218798*53\\!BSVDM,2,2,3,A,00000000000,2*3E"), ST_OK);
	assert_true(R.meta.t == 1565218798000LL);
	const st_nmea_stats *s = st_nmea_get_stats(d);
	assert_int_equal(s->tagsum_tolerated, 2);
	assert_int_equal(s->messages, 7);
	assert_int_equal(sum_rejected(s), 0);
	assert_identity(d);
	st_nmea_free(d);
}

typedef struct rejlog {
	uint64_t aLine[64];
	st_reject aWhy[64];
	bool aHasText[64];
	int n;
} rejlog;

static void log_reject(void *ctx, uint64_t line, st_reject why, const char *z, size_t n)
{
	rejlog *p = ctx;
	if (p->n < 64) {
		p->aLine[p->n] = line;
		p->aWhy[p->n] = why;
		p->aHasText[p->n] = z != NULL && n > 0;
		p->n++;
	}
}

/* Missing, out-of-order, repeated and miscounted fragments: each line
 * lands in a bucket, and the hook names every one with its line number. */
static void test_broken_groups(void **state)
{
	(void)state;
	st_nmea *d = st_nmea_new();
	rejlog log = {0};
	st_nmea_set_reject_fn(d, log_reject, &log);
	char b[256];
	/* 1: second fragment first: orphan. */
	assert_int_equal(feed(d, mk(b, sizeof b, "!", "AIVDM,2,2,1,A," PAY5B ",2")), ST_EORPHAN);
	assert_int_equal(R.why, ST_REJ_ORPHAN);
	/* 2: its first fragment then is held... */
	assert_int_equal(feed(d, mk(b, sizeof b, "!", "AIVDM,2,1,1,A," PAY5A ",0")), ST_EAGAIN);
	/* 3: ...until a new first fragment under the same id replaces it. */
	assert_int_equal(feed(d, mk(b, sizeof b, "!", "AIVDM,2,1,1,A," PAY5A ",0")), ST_EAGAIN);
	/* 4: a fragment 3 of 3 under the same id: another count, so another
	 * message whose start is missing; the held one stays. */
	assert_int_equal(feed(d, mk(b, sizeof b, "!", "AIVDM,3,3,1,A," PAY5B ",2")), ST_EORPHAN);
	/* 5: completes the message held since line 3. */
	assert_int_equal(feed(d, mk(b, sizeof b, "!", "AIVDM,2,2,1,A," PAY5B ",2")), ST_OK);
	assert_int_equal(R.meta.first_line, 3);
	/* 6-8: three-part message missing its middle: 1 held, 3 orphans
	 * both. */
	assert_int_equal(feed(d, mk(b, sizeof b, "!", "AIVDM,3,1,2,B," PAY5A ",0")), ST_EAGAIN);
	assert_int_equal(feed(d, mk(b, sizeof b, "!", "AIVDM,3,3,2,B," PAY5B ",2")), ST_EORPHAN);
	/* 8-10: repeated fragment 2. */
	assert_int_equal(feed(d, mk(b, sizeof b, "!", "AIVDM,3,1,2,B," PAY5A ",0")), ST_EAGAIN);
	assert_int_equal(feed(d, mk(b, sizeof b, "!", "AIVDM,3,2,2,B,0000000000,0")), ST_EAGAIN);
	assert_int_equal(feed(d, mk(b, sizeof b, "!", "AIVDM,3,2,2,B,0000000000,0")), ST_EORPHAN);
	/* 11: left at the end: stale at finish. */
	assert_int_equal(feed(d, mk(b, sizeof b, "!", "AIVDM,2,1,5,A," PAY5A ",0")), ST_EAGAIN);
	assert_int_equal(st_nmea_get_stats(d)->held, 1);
	assert_identity(d);
	st_nmea_finish(d);
	const st_nmea_stats *s = st_nmea_get_stats(d);
	assert_int_equal(s->held, 0);
	assert_int_equal(s->messages, 1);
	assert_int_equal(s->msg_sentences, 2);
	assert_int_equal(s->rejected[ST_REJ_ORPHAN], 8);
	assert_int_equal(s->rejected[ST_REJ_STALE], 1);
	assert_identity(d);
	/* The hook saw every rejected line once, held ones without text. */
	assert_int_equal(log.n, 9);
	uint64_t aWant[] = {1, 2, 4, 6, 7, 8, 9, 10, 11};
	uint64_t seen[12] = {0};
	for (int i = 0; i < log.n; i++) {
		assert_true(log.aLine[i] < 12);
		seen[log.aLine[i]]++;
		bool held = log.aLine[i] == 2 || log.aLine[i] == 6 ||
		            log.aLine[i] == 8 || log.aLine[i] == 9 || log.aLine[i] == 11;
		assert_int_equal(log.aHasText[i], !held);
	}
	for (size_t i = 0; i < sizeof aWant / sizeof aWant[0]; i++)
		assert_int_equal(seen[aWant[i]], 1);
	st_nmea_free(d);
}

/* A message not completed within ST_NMEA_STALE_LINES lines is stale; its
 * late second fragment is an orphan. */
static void test_staleness(void **state)
{
	(void)state;
	st_nmea *d = st_nmea_new();
	char b[256], one[256];
	mk(one, sizeof one, "!", "AIVDM,1,1,,A," PAY1 ",0");
	assert_int_equal(feed(d, mk(b, sizeof b, "!", "AIVDM,2,1,7,A," PAY5A ",0")), ST_EAGAIN);
	for (int i = 0; i < ST_NMEA_STALE_LINES + 5; i++)
		assert_int_equal(feed(d, one), ST_OK);
	assert_int_equal(feed(d, mk(b, sizeof b, "!", "AIVDM,2,2,7,A," PAY5B ",2")), ST_EORPHAN);
	const st_nmea_stats *s = st_nmea_get_stats(d);
	assert_int_equal(s->rejected[ST_REJ_STALE], 1);
	assert_int_equal(s->rejected[ST_REJ_ORPHAN], 1);
	assert_int_equal(s->held, 0);
	assert_identity(d);
	st_nmea_free(d);
}

/* 20,000 first fragments that never complete, each under its own key:
 * the table never holds more than ST_NMEA_SLOTS, the oldest go stale,
 * and messages keep completing in between. */
static void test_orphan_flood(void **state)
{
	(void)state;
	st_nmea *d = st_nmea_new();
	char b[256], t[320];
	mk(b, sizeof b, "!", "AIVDM,2,1,4,B," PAY5A ",0");
	const int nFlood = 20000;
	for (int i = 0; i < nFlood; i++) {
		char tag[40];
		snprintf(tag, sizeof tag, "s:st%d", i);
		assert_int_equal(feed(d, mktag(t, sizeof t, tag, b)), ST_EAGAIN);
		assert_true(st_nmea_get_stats(d)->held <= ST_NMEA_SLOTS);
		if (i % 1000 == 0) {
			char p[256];
			assert_int_equal(feed(d, mk(p, sizeof p, "!", "AIVDM,2,1,9,A," PAY5A ",0")), ST_EAGAIN);
			assert_int_equal(feed(d, mk(p, sizeof p, "!", "AIVDM,2,2,9,A," PAY5B ",2")), ST_OK);
			assert_int_equal(R.msg.mmsi, MMSI5);
		}
	}
	const st_nmea_stats *s = st_nmea_get_stats(d);
	assert_int_equal(s->held, ST_NMEA_SLOTS);
	assert_int_equal(s->rejected[ST_REJ_STALE], nFlood - ST_NMEA_SLOTS);
	assert_int_equal(s->messages, nFlood / 1000);
	assert_identity(d);
	st_nmea_finish(d);
	assert_int_equal(s->rejected[ST_REJ_STALE], nFlood);
	assert_int_equal(s->held, 0);
	assert_identity(d);
	st_nmea_free(d);
}

/* A reassembled payload longer than the table's buffer is malformed, all
 * its lines. */
static void test_payload_overflow(void **state)
{
	(void)state;
	st_nmea *d = st_nmea_new();
	char body[300], b[400];
	char pay[101];
	memset(pay, '0', 100);
	pay[100] = 0;
	for (int i = 1; i <= 3; i++) {
		snprintf(body, sizeof body, "AIVDM,3,%d,1,A,%s,0", i, pay);
		st_status rc = feed(d, mk(b, sizeof b, "!", body));
		assert_int_equal(rc, i < 3 ? ST_EAGAIN : ST_EMALFORMED);
	}
	const st_nmea_stats *s = st_nmea_get_stats(d);
	assert_int_equal(s->rejected[ST_REJ_MALFORMED], 3);
	assert_identity(d);
	st_nmea_free(d);
}

/* A two-part message the AIS decoder refuses (type 0): both lines are
 * malformed, the held one reported through the hook with its number. */
static void test_multi_decode_failure(void **state)
{
	(void)state;
	st_nmea *d = st_nmea_new();
	rejlog log = {0};
	st_nmea_set_reject_fn(d, log_reject, &log);
	char b[256];
	assert_int_equal(feed(d, ""), ST_EAGAIN);
	assert_int_equal(feed(d, mk(b, sizeof b, "!", "AIVDM,2,1,1,A,05?MbV02;H;s<HtKR20EHE:0@T4@Dn2222222216L961O5Gf0NSQEp6ClRp8,0")), ST_EAGAIN);
	assert_int_equal(feed(d, mk(b, sizeof b, "!", "AIVDM,2,2,1,A," PAY5B ",2")), ST_EMALFORMED);
	assert_int_equal(R.why, ST_REJ_MALFORMED);
	assert_int_equal(log.n, 2);
	assert_int_equal(log.aLine[0] + log.aLine[1], 2 + 3);
	assert_int_equal(log.aWhy[0], ST_REJ_MALFORMED);
	assert_int_equal(log.aWhy[1], ST_REJ_MALFORMED);
	const st_nmea_stats *s = st_nmea_get_stats(d);
	assert_int_equal(s->rejected[ST_REJ_MALFORMED], 2);
	assert_int_equal(s->held, 0);
	assert_int_equal(s->sentences, 2);
	assert_identity(d);
	st_nmea_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reject_names),
		cmocka_unit_test(test_swar_helpers),
		cmocka_unit_test(test_single_sentence),
		cmocka_unit_test(test_line_endings),
		cmocka_unit_test(test_checksums),
		cmocka_unit_test(test_field_validation),
		cmocka_unit_test(test_classification),
		cmocka_unit_test(test_too_long),
		cmocka_unit_test(test_tag_blocks),
		cmocka_unit_test(test_pending_time),
		cmocka_unit_test(test_uscg_trailer),
		cmocka_unit_test(test_multi_sentence),
		cmocka_unit_test(test_interleaved_channels),
		cmocka_unit_test(test_tag_groups),
		cmocka_unit_test(test_broken_groups),
		cmocka_unit_test(test_staleness),
		cmocka_unit_test(test_orphan_flood),
		cmocka_unit_test(test_payload_overflow),
		cmocka_unit_test(test_multi_decode_failure),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* The simulator: the AIS encoder against the decoder (random messages of
 * every supported type, and real sentences from ../shared/data re-encoded),
 * the NMEA writer's framing, the seeded generator, and whole runs of a
 * small made-up scenario (tests/data/sim-small.json) and of the bundled
 * Rajin scenario: reporting intervals, reproducibility, records that parse
 * back through the provenance readers with their map, and ground truth
 * that agrees with the public facts the scenario follows.
 *
 * Run as `test_sim --emit FILE.nmea FILE.jsonl` it writes random encoded
 * messages and their expected fields for the gpsdecode differential test
 * (tests/e2e/sim_gpsdecode.sh). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <math.h>
#include <cmocka.h>
#include <cjson/cJSON.h>
#include "shiptrace/ais.h"
#include "shiptrace/sim.h"
#include "shiptrace/time.h"
#include "shiptrace/records.h"
#include "shiptrace/places.h"

/* ---- random messages ------------------------------------------------------ */

static uint64_t bits(st_rng *r, unsigned n)
{
	return st_rng_next(r) & ((1ull << n) - 1);
}

static int sbits(st_rng *r, unsigned n)
{
	uint64_t v = bits(r, n);
	if (v & (1ull << (n - 1)))
		return (int)((int64_t)v - (int64_t)(1ull << n));
	return (int)v;
}

/* Text the decoder gives back unchanged: six-bit characters, no '@', no
 * trailing space. */
static void text(st_rng *r, char *z, unsigned nMax)
{
	static const char az[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -./";
	unsigned n = (unsigned)st_rng_below(r, nMax + 1);
	for (unsigned i = 0; i < n; i++)
		z[i] = az[st_rng_below(r, sizeof az - 1)];
	z[n] = 0;
	while (n > 0 && z[n - 1] == ' ')
		z[--n] = 0;
}

static void random_msg(st_rng *r, unsigned type, unsigned part, st_ais_msg *m)
{
	memset(m, 0, sizeof *m);
	m->type = type;
	m->repeat = (unsigned)bits(r, 2);
	m->mmsi = (uint32_t)bits(r, 30);
	switch (type) {
	case 1: case 2: case 3:
		m->type1.status = (unsigned)bits(r, 4);
		m->type1.turn = sbits(r, 8);
		m->type1.speed = (unsigned)bits(r, 10);
		m->type1.accuracy = bits(r, 1);
		m->type1.lon = sbits(r, 28);
		m->type1.lat = sbits(r, 27);
		m->type1.course = (unsigned)bits(r, 12);
		m->type1.heading = (unsigned)bits(r, 9);
		m->type1.second = (unsigned)bits(r, 6);
		m->type1.maneuver = (unsigned)bits(r, 2);
		m->type1.raim = bits(r, 1);
		m->type1.radio = (uint32_t)bits(r, 19);
		break;
	case 5:
		m->type5.ais_version = (unsigned)bits(r, 2);
		m->type5.imo = (uint32_t)bits(r, 30);
		text(r, m->type5.callsign, 7);
		text(r, m->type5.shipname, 20);
		m->type5.shiptype = (unsigned)bits(r, 8);
		m->type5.to_bow = (unsigned)bits(r, 9);
		m->type5.to_stern = (unsigned)bits(r, 9);
		m->type5.to_port = (unsigned)bits(r, 6);
		m->type5.to_starboard = (unsigned)bits(r, 6);
		m->type5.epfd = (unsigned)bits(r, 4);
		m->type5.month = (unsigned)bits(r, 4);
		m->type5.day = (unsigned)bits(r, 5);
		m->type5.hour = (unsigned)bits(r, 5);
		m->type5.minute = (unsigned)bits(r, 6);
		m->type5.draught = (unsigned)bits(r, 8);
		text(r, m->type5.destination, 20);
		m->type5.dte = (unsigned)bits(r, 1);
		break;
	case 18:
		m->type18.reserved = (unsigned)bits(r, 8);
		m->type18.speed = (unsigned)bits(r, 10);
		m->type18.accuracy = bits(r, 1);
		m->type18.lon = sbits(r, 28);
		m->type18.lat = sbits(r, 27);
		m->type18.course = (unsigned)bits(r, 12);
		m->type18.heading = (unsigned)bits(r, 9);
		m->type18.second = (unsigned)bits(r, 6);
		m->type18.regional = (unsigned)bits(r, 2);
		m->type18.cs = bits(r, 1);
		m->type18.display = bits(r, 1);
		m->type18.dsc = bits(r, 1);
		m->type18.band = bits(r, 1);
		m->type18.msg22 = bits(r, 1);
		m->type18.assigned = bits(r, 1);
		m->type18.raim = bits(r, 1);
		m->type18.radio = (uint32_t)bits(r, 20);
		break;
	case 19:
		m->type19.reserved = (unsigned)bits(r, 8);
		m->type19.speed = (unsigned)bits(r, 10);
		m->type19.accuracy = bits(r, 1);
		m->type19.lon = sbits(r, 28);
		m->type19.lat = sbits(r, 27);
		m->type19.course = (unsigned)bits(r, 12);
		m->type19.heading = (unsigned)bits(r, 9);
		m->type19.second = (unsigned)bits(r, 6);
		m->type19.regional = (unsigned)bits(r, 4);
		text(r, m->type19.shipname, 20);
		m->type19.shiptype = (unsigned)bits(r, 8);
		m->type19.to_bow = (unsigned)bits(r, 9);
		m->type19.to_stern = (unsigned)bits(r, 9);
		m->type19.to_port = (unsigned)bits(r, 6);
		m->type19.to_starboard = (unsigned)bits(r, 6);
		m->type19.epfd = (unsigned)bits(r, 4);
		m->type19.raim = bits(r, 1);
		m->type19.dte = (unsigned)bits(r, 1);
		m->type19.assigned = bits(r, 1);
		break;
	case 24:
		m->type24.part = part;
		if (part == 0) {
			text(r, m->type24.shipname, 20);
			break;
		}
		if (st_rng_below(r, 4) == 0)
			m->mmsi = 980000000u + (uint32_t)st_rng_below(r, 9999999);
		m->type24.shiptype = (unsigned)bits(r, 8);
		text(r, m->type24.vendorid, 3);
		m->type24.model = (unsigned)bits(r, 4);
		m->type24.serial = (uint32_t)bits(r, 20);
		text(r, m->type24.callsign, 7);
		if (m->mmsi / 10000000 == 98) {
			m->type24.mothership_mmsi = (uint32_t)bits(r, 30);
		} else {
			m->type24.to_bow = (unsigned)bits(r, 9);
			m->type24.to_stern = (unsigned)bits(r, 9);
			m->type24.to_port = (unsigned)bits(r, 6);
			m->type24.to_starboard = (unsigned)bits(r, 6);
		}
		break;
	}
}

/* Field-by-field equality over what the encoder writes. Part B's decoded
 * vendor id is the 7-character pre-M.1371-4 form, whose first 3
 * characters are the vendor; the rest are the model and serial bits. */
static void assert_same(const st_ais_msg *a, const st_ais_msg *b)
{
	assert_int_equal(a->type, b->type);
	assert_int_equal(a->repeat, b->repeat);
	assert_int_equal(a->mmsi, b->mmsi);
	switch (a->type) {
	case 1: case 2: case 3:
		assert_int_equal(a->type1.status, b->type1.status);
		assert_int_equal(a->type1.turn, b->type1.turn);
		assert_int_equal(a->type1.speed, b->type1.speed);
		assert_int_equal(a->type1.accuracy, b->type1.accuracy);
		assert_int_equal(a->type1.lon, b->type1.lon);
		assert_int_equal(a->type1.lat, b->type1.lat);
		assert_int_equal(a->type1.course, b->type1.course);
		assert_int_equal(a->type1.heading, b->type1.heading);
		assert_int_equal(a->type1.second, b->type1.second);
		assert_int_equal(a->type1.maneuver, b->type1.maneuver);
		assert_int_equal(a->type1.raim, b->type1.raim);
		assert_int_equal(a->type1.radio, b->type1.radio);
		break;
	case 5:
		assert_int_equal(a->type5.ais_version, b->type5.ais_version);
		assert_int_equal(a->type5.imo, b->type5.imo);
		assert_string_equal(a->type5.callsign, b->type5.callsign);
		assert_string_equal(a->type5.shipname, b->type5.shipname);
		assert_int_equal(a->type5.shiptype, b->type5.shiptype);
		assert_int_equal(a->type5.to_bow, b->type5.to_bow);
		assert_int_equal(a->type5.to_stern, b->type5.to_stern);
		assert_int_equal(a->type5.to_port, b->type5.to_port);
		assert_int_equal(a->type5.to_starboard, b->type5.to_starboard);
		assert_int_equal(a->type5.epfd, b->type5.epfd);
		assert_int_equal(a->type5.month, b->type5.month);
		assert_int_equal(a->type5.day, b->type5.day);
		assert_int_equal(a->type5.hour, b->type5.hour);
		assert_int_equal(a->type5.minute, b->type5.minute);
		assert_int_equal(a->type5.draught, b->type5.draught);
		assert_string_equal(a->type5.destination, b->type5.destination);
		assert_int_equal(a->type5.dte, b->type5.dte);
		break;
	case 18:
		assert_int_equal(a->type18.reserved, b->type18.reserved);
		assert_int_equal(a->type18.speed, b->type18.speed);
		assert_int_equal(a->type18.accuracy, b->type18.accuracy);
		assert_int_equal(a->type18.lon, b->type18.lon);
		assert_int_equal(a->type18.lat, b->type18.lat);
		assert_int_equal(a->type18.course, b->type18.course);
		assert_int_equal(a->type18.heading, b->type18.heading);
		assert_int_equal(a->type18.second, b->type18.second);
		assert_int_equal(a->type18.regional, b->type18.regional);
		assert_int_equal(a->type18.cs, b->type18.cs);
		assert_int_equal(a->type18.display, b->type18.display);
		assert_int_equal(a->type18.dsc, b->type18.dsc);
		assert_int_equal(a->type18.band, b->type18.band);
		assert_int_equal(a->type18.msg22, b->type18.msg22);
		assert_int_equal(a->type18.assigned, b->type18.assigned);
		assert_int_equal(a->type18.raim, b->type18.raim);
		assert_int_equal(a->type18.radio, b->type18.radio);
		break;
	case 19:
		assert_int_equal(a->type19.reserved, b->type19.reserved);
		assert_int_equal(a->type19.speed, b->type19.speed);
		assert_int_equal(a->type19.accuracy, b->type19.accuracy);
		assert_int_equal(a->type19.lon, b->type19.lon);
		assert_int_equal(a->type19.lat, b->type19.lat);
		assert_int_equal(a->type19.course, b->type19.course);
		assert_int_equal(a->type19.heading, b->type19.heading);
		assert_int_equal(a->type19.second, b->type19.second);
		assert_int_equal(a->type19.regional, b->type19.regional);
		assert_string_equal(a->type19.shipname, b->type19.shipname);
		assert_int_equal(a->type19.shiptype, b->type19.shiptype);
		assert_int_equal(a->type19.to_bow, b->type19.to_bow);
		assert_int_equal(a->type19.to_stern, b->type19.to_stern);
		assert_int_equal(a->type19.to_port, b->type19.to_port);
		assert_int_equal(a->type19.to_starboard, b->type19.to_starboard);
		assert_int_equal(a->type19.epfd, b->type19.epfd);
		assert_int_equal(a->type19.raim, b->type19.raim);
		assert_int_equal(a->type19.dte, b->type19.dte);
		assert_int_equal(a->type19.assigned, b->type19.assigned);
		break;
	case 24:
		assert_int_equal(a->type24.part, b->type24.part);
		if (a->type24.part == 0) {
			assert_string_equal(a->type24.shipname, b->type24.shipname);
			break;
		}
		assert_int_equal(a->type24.shiptype, b->type24.shiptype);
		assert_memory_equal(a->type24.vendorid, b->type24.vendorid,
		                    strlen(a->type24.vendorid) < 3 ? strlen(a->type24.vendorid) + 1 : 3);
		assert_int_equal(a->type24.model, b->type24.model);
		assert_int_equal(a->type24.serial, b->type24.serial);
		assert_string_equal(a->type24.callsign, b->type24.callsign);
		assert_int_equal(a->type24.to_bow, b->type24.to_bow);
		assert_int_equal(a->type24.to_stern, b->type24.to_stern);
		assert_int_equal(a->type24.to_port, b->type24.to_port);
		assert_int_equal(a->type24.to_starboard, b->type24.to_starboard);
		assert_int_equal(a->type24.mothership_mmsi, b->type24.mothership_mmsi);
		break;
	default:
		fail_msg("unexpected type %u", a->type);
	}
}

static const unsigned aType[][2] = {{1, 0}, {2, 0}, {3, 0}, {5, 0}, {18, 0}, {19, 0}, {24, 0}, {24, 1}};

static void test_encode_roundtrip_random(void **state)
{
	(void)state;
	st_rng r;
	st_rng_seed(&r, 42);
	for (size_t k = 0; k < sizeof aType / sizeof aType[0]; k++) {
		for (int i = 0; i < 2000; i++) {
			st_ais_msg m, d;
			char z[256];
			size_t n;
			unsigned fill;
			random_msg(&r, aType[k][0], aType[k][1], &m);
			assert_int_equal(st_ais_encode(&m, z, sizeof z, &n, &fill), ST_OK);
			assert_int_equal(strlen(z), n);
			assert_true(fill <= 5);
			/* the bit lengths M.1371 defines for each type */
			size_t nBit = n * 6 - fill;
			switch (m.type) {
			case 5: assert_int_equal(nBit, 424); break;
			case 19: assert_int_equal(nBit, 312); break;
			case 24: assert_int_equal(nBit, m.type24.part ? 168 : 160); break;
			default: assert_int_equal(nBit, 168); break;
			}
			assert_int_equal(st_ais_decode(z, n, fill, &d), ST_OK);
			assert_same(&m, &d);
		}
	}
}

static void test_encode_known_sentence(void **state)
{
	(void)state;
	/* a real type 1 (gpsd's documentation example); every spare bit is
	 * zero in it, so decode then encode must give the payload back */
	const char *zPay = "13u?etPv2;0n:dDPwUM1U1Cb069D";
	st_ais_msg m;
	char z[64];
	size_t n;
	unsigned fill;
	assert_int_equal(st_ais_decode(zPay, strlen(zPay), 0, &m), ST_OK);
	assert_int_equal(m.mmsi, 265547250);
	assert_int_equal(st_ais_encode(&m, z, sizeof z, &n, &fill), ST_OK);
	assert_string_equal(z, zPay);
	assert_int_equal(fill, 0);
	/* too small a buffer, and an unsupported type */
	assert_int_equal(st_ais_encode(&m, z, 10, &n, &fill), ST_EINVAL);
	m.type = 6;
	assert_int_equal(st_ais_encode(&m, z, sizeof z, &n, &fill), ST_EUNSUPPORTED);
}

/* Every supported message in a real corpus decodes, re-encodes and
 * decodes to the same struct. */
static void roundtrip_corpus(const char *zFile, int *pn)
{
	char zPath[1024], zLine[1024], zPay[512] = "";
	snprintf(zPath, sizeof zPath, "%s/ais/%s", ST_SHARED_DATA, zFile);
	FILE *f = fopen(zPath, "r");
	if (!f) {
		print_message("skipping missing %s\n", zPath);
		return;
	}
	size_t nPay = 0;
	while (fgets(zLine, sizeof zLine, f)) {
		char *p = strstr(zLine, "VDM,");
		if (!p)
			p = strstr(zLine, "VDO,");
		if (!p)
			continue;
		char *az[8];
		int nf = 0;
		for (char *q = p; nf < 8 && q; q = strchr(q, ',')) {
			if (*q == ',')
				q++;
			az[nf++] = q;
		}
		if (nf < 7)
			continue;
		int nTot = atoi(az[1]), iThis = atoi(az[2]);
		size_t len = (size_t)(strchr(az[5], ',') - az[5]);
		if (iThis == 1)
			nPay = 0;
		if (nPay + len >= sizeof zPay)
			continue;
		memcpy(zPay + nPay, az[5], len);
		nPay += len;
		if (iThis != nTot)
			continue;
		unsigned fill = (unsigned)(az[6][0] - '0');
		st_ais_msg m, d;
		char z[512];
		size_t n;
		unsigned f2;
		if (st_ais_decode(zPay, nPay, fill, &m) != ST_OK)
			continue;
		if (st_ais_encode(&m, z, sizeof z, &n, &f2) != ST_OK)
			continue;
		assert_int_equal(st_ais_decode(z, n, f2, &d), ST_OK);
		assert_same(&m, &d);
		(*pn)++;
	}
	fclose(f);
}

static void test_encode_roundtrip_real(void **state)
{
	(void)state;
	int n = 0;
	roundtrip_corpus("dma-aislib-decode_encode_messages.txt", &n);
	roundtrip_corpus("kystverket-2019-08-07-1000lines.nm4", &n);
	roundtrip_corpus("libais-typeexamples.nmea", &n);
	print_message("re-encoded %d real messages\n", n);
	if (n == 0)
		skip();
	assert_true(n > 500);
}

/* ---- NMEA writer ------------------------------------------------------------ */

static unsigned hex2(const char *z)
{
	return (unsigned)strtoul((char[]){z[0], z[1], 0}, NULL, 16);
}

static void test_nmea_writer(void **state)
{
	(void)state;
	st_nmea_out w;
	st_nmea_out_init(&w, "AI");
	st_rng r;
	st_rng_seed(&r, 3);
	st_ais_msg m;
	random_msg(&r, 5, 0, &m);
	char z[128], buf[1024];
	size_t n;
	unsigned fill;
	assert_int_equal(st_ais_encode(&m, z, sizeof z, &n, &fill), ST_OK);
	assert_int_equal(n, 71);
	assert_int_equal(fill, 2);
	st_time_ms t = st_time_parse("2023-09-05T04:30:00Z");
	for (int rep = 0; rep < 12; rep++) {
		int k = st_nmea_out_format(&w, z, n, fill, 'A', t, "SIM-X", buf, sizeof buf);
		assert_true(k > 0);
		/* two lines, each with a verified tag block and sentence */
		char *zSave = NULL, *line;
		int iLine = 0;
		char zJoined[128] = "";
		for (line = strtok_r(buf, "\r\n", &zSave); line; line = strtok_r(NULL, "\r\n", &zSave), iLine++) {
			assert_int_equal(line[0], '\\');
			char *e = strchr(line + 1, '\\');
			assert_non_null(e);
			char *star = strchr(line + 1, '*');
			assert_true(star && star < e);
			assert_int_equal(st_nmea_checksum(line + 1, (size_t)(star - line - 1)), hex2(star + 1));
			char zTag[64];
			snprintf(zTag, sizeof zTag, "g:%d-2-%d,c:%lld,s:SIM-X", iLine + 1, rep + 1, (long long)(t / 1000));
			assert_memory_equal(line + 1, zTag, strlen(zTag));
			char *s = e + 1;
			assert_int_equal(s[0], '!');
			char *star2 = strrchr(s, '*');
			assert_non_null(star2);
			assert_int_equal(st_nmea_checksum(s + 1, (size_t)(star2 - s - 1)), hex2(star2 + 1));
			char zHead[32];
			snprintf(zHead, sizeof zHead, "!AIVDM,2,%d,%d,A,", iLine + 1, rep % 10);
			assert_memory_equal(s, zHead, strlen(zHead));
			char *pay = s + strlen(zHead), *comma = strchr(pay, ',');
			assert_true(comma - pay <= ST_NMEA_OUT_MAX_PAYLOAD);
			strncat(zJoined, pay, (size_t)(comma - pay));
			assert_int_equal(comma[1] - '0', iLine == 1 ? 2 : 0);
			assert_true(strlen(s) <= 82);
		}
		assert_int_equal(iLine, 2);
		assert_string_equal(zJoined, z);
	}
	/* a single sentence has no group and no sequence id; no time, no tag */
	random_msg(&r, 1, 0, &m);
	assert_int_equal(st_ais_encode(&m, z, sizeof z, &n, &fill), ST_OK);
	int k = st_nmea_out_format(&w, z, n, fill, 'B', ST_TIME_NONE, NULL, buf, sizeof buf);
	assert_true(k > 0);
	assert_memory_equal(buf, "!AIVDM,1,1,,B,", 14);
	assert_int_equal(st_nmea_out_format(&w, z, n, fill, 'B', t, "S", buf, 20), -1);
}

/* ---- random numbers ---------------------------------------------------- */

static void test_rng(void **state)
{
	(void)state;
	st_rng a, b;
	st_rng_seed(&a, 1);
	st_rng_seed(&b, 1);
	for (int i = 0; i < 100; i++)
		assert_true(st_rng_next(&a) == st_rng_next(&b));
	/* splitmix64's published first output for seed 0 fills s[0] */
	st_rng_seed(&a, 0);
	assert_true(a.s[0] == 0xe220a8397b1dcdafull);
	st_rng_seed(&b, 2);
	st_rng_seed(&a, 1);
	assert_true(st_rng_next(&a) != st_rng_next(&b));
	double sum = 0, sum2 = 0;
	for (int i = 0; i < 100000; i++) {
		double u = st_rng_uniform(&a);
		assert_true(u >= 0 && u < 1);
		double x = st_rng_normal(&a);
		sum += x, sum2 += x * x;
		assert_true(st_rng_below(&a, 7) < 7);
	}
	assert_true(fabs(sum / 100000) < 0.02);
	assert_true(fabs(sum2 / 100000 - 1) < 0.03);
}

/* ---- whole runs ---------------------------------------------------------------- */

static char zTmp[256];

static int setup_tmp(void **state)
{
	(void)state;
	snprintf(zTmp, sizeof zTmp, "/tmp/st_test_sim_XXXXXX");
	return mkdtemp(zTmp) ? 0 : -1;
}

static int teardown_tmp(void **state)
{
	(void)state;
	char z[512];
	snprintf(z, sizeof z, "rm -rf '%s'", zTmp);
	return system(z) == 0 ? 0 : -1;
}

static void run(const char *zScenario, const char *zSub, uint64_t seed, bool seedSet, st_sim_stats *s)
{
	char zDir[512], zErr[512];
	snprintf(zDir, sizeof zDir, "%s/%s", zTmp, zSub);
	st_sim_opts o;
	memset(&o, 0, sizeof o);
	o.zOutDir = zDir;
	o.seed = seed;
	o.seedSet = seedSet;
	o.scale = 1;
	st_status rc = st_sim_run(zScenario, &o, s, zErr, sizeof zErr);
	if (rc != ST_OK)
		fail_msg("%s", zErr);
}

static char *slurp(const char *zDir, const char *zName, size_t *pn)
{
	char zPath[600];
	snprintf(zPath, sizeof zPath, "%s/%s/%s", zTmp, zDir, zName);
	FILE *f = fopen(zPath, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *z = malloc((size_t)n + 1);
	assert_non_null(z);
	assert_int_equal(fread(z, 1, (size_t)n, f), (size_t)n);
	z[n] = 0;
	fclose(f);
	*pn = (size_t)n;
	return z;
}

/* One decoded message of a simulated stream. */
typedef struct got {
	st_ais_msg m;
	long long t;
} got;

/* Reads ais.nmea back: every line is a comment, or a tag block and a
 * sentence whose checksums hold; parts join into messages. */
static got *read_stream(const char *zDir, size_t *pn)
{
	size_t nText;
	char *zText = slurp(zDir, "ais.nmea", &nText);
	size_t cap = 1024, n = 0;
	got *a = malloc(cap * sizeof *a);
	char zPay[256];
	size_t nPay = 0;
	char *zSave = NULL;
	int nComment = 0;
	assert_non_null(a);
	for (char *line = strtok_r(zText, "\r\n", &zSave); line; line = strtok_r(NULL, "\r\n", &zSave)) {
		if (line[0] == '#') {
			assert_non_null(strstr(line, "SIMULATED") ? line : (nComment ? line : NULL));
			nComment++;
			continue;
		}
		assert_int_equal(line[0], '\\');
		char *e = strchr(line + 1, '\\'), *star = strchr(line + 1, '*');
		assert_int_equal(st_nmea_checksum(line + 1, (size_t)(star - line - 1)), hex2(star + 1));
		char *c = strstr(line, "c:");
		assert_true(c && c < e);
		long long t = atoll(c + 2);
		char *s = e + 1, *star2 = strrchr(s, '*');
		assert_int_equal(st_nmea_checksum(s + 1, (size_t)(star2 - s - 1)), hex2(star2 + 1));
		char *az[8];
		int nf = 0;
		for (char *q = s; nf < 8 && q; q = strchr(q, ',')) {
			if (*q == ',')
				q++;
			az[nf++] = q;
		}
		assert_int_equal(nf, 7);
		int nTot = atoi(az[1]), iThis = atoi(az[2]);
		size_t len = (size_t)(strchr(az[5], ',') - az[5]);
		if (iThis == 1)
			nPay = 0;
		assert_true(nPay + len < sizeof zPay);
		memcpy(zPay + nPay, az[5], len);
		nPay += len;
		if (iThis < nTot)
			continue;
		if (n == cap) {
			cap *= 2;
			a = realloc(a, cap * sizeof *a);
			assert_non_null(a);
		}
		assert_int_equal(st_ais_decode(zPay, nPay, (unsigned)(az[6][0] - '0'), &a[n].m), ST_OK);
		a[n].t = t;
		n++;
	}
	assert_true(nComment >= 1);
	free(zText);
	*pn = n;
	return a;
}

/* The ITU-R M.1371-5 interval for the report a vessel just sent. */
static long long itu_interval(const st_ais_msg *m)
{
	if (m->type == 18)
		return m->type18.speed > 20 ? 30 : 180;
	double kn = m->type1.speed / 10.0;
	if ((m->type1.status == 1 || m->type1.status == 5) && kn <= 3)
		return 180;
	return kn <= 14 ? 10 : kn <= 23 ? 6 : 2;
}

static int cmp_got(const void *x, const void *y)
{
	const got *a = x, *b = y;
	if (a->m.mmsi != b->m.mmsi)
		return a->m.mmsi < b->m.mmsi ? -1 : 1;
	return (a->t > b->t) - (a->t < b->t);
}

static void test_reporting_intervals(void **state)
{
	(void)state;
	char zScenario[512];
	snprintf(zScenario, sizeof zScenario, "%s/tests/data/sim-small.json", ST_SOURCE_DIR);
	st_sim_stats s;
	run(zScenario, "small", 0, false, &s);
	size_t n;
	got *a = read_stream("small", &n);
	assert_int_equal(n, s.nPosition + s.nStatic);
	assert_int_equal(s.nLost, 0);
	assert_int_equal(s.nDark, 0);
	/* split by kind, keep time order per vessel (the stream is in time
	 * order; a stable sort by mmsi keeps it) */
	got *aPos = malloc(n * sizeof *aPos), *aStat = malloc(n * sizeof *aStat);
	size_t nPos = 0, nStat = 0;
	for (size_t i = 0; i < n; i++) {
		assert_true(i == 0 || a[i].t >= a[i - 1].t);
		if (a[i].m.type == 5 || (a[i].m.type == 24 && a[i].m.type24.part == 0))
			aStat[nStat++] = a[i];
		else if (a[i].m.type != 24)
			aPos[nPos++] = a[i];
	}
	qsort(aPos, nPos, sizeof *aPos, cmp_got);
	qsort(aStat, nStat, sizeof *aStat, cmp_got);
	int aBand[5] = {0};
	for (size_t i = 1; i < nPos; i++) {
		if (aPos[i].m.mmsi != aPos[i - 1].m.mmsi)
			continue;
		long long want = itu_interval(&aPos[i - 1].m), dt = aPos[i].t - aPos[i - 1].t;
		if (dt != want)
			fail_msg("mmsi %u at %lld: %lld s after a report that sets %lld s",
			         aPos[i].m.mmsi, aPos[i].t, dt, want);
		aBand[want == 2 ? 0 : want == 6 ? 1 : want == 10 ? 2 : want == 30 ? 3 : 4]++;
	}
	/* every band of the table occurs in this scenario */
	for (int k = 0; k < 5; k++)
		assert_true(aBand[k] > 0);
	for (size_t i = 1; i < nStat; i++)
		if (aStat[i].m.mmsi == aStat[i - 1].m.mmsi)
			assert_int_equal(aStat[i].t - aStat[i - 1].t, 360);
	free(aPos);
	free(aStat);
	free(a);
}

static void test_seed_reproducible(void **state)
{
	(void)state;
	char zScenario[512];
	snprintf(zScenario, sizeof zScenario, "%s/tests/data/sim-small.json", ST_SOURCE_DIR);
	st_sim_stats s;
	run(zScenario, "s1", 11, true, &s);
	run(zScenario, "s2", 11, true, &s);
	run(zScenario, "s3", 12, true, &s);
	static const char *azFile[] = {"ais.nmea", "records.csv", "ground_truth.json", "places.csv", "facilities.csv"};
	for (size_t i = 0; i < sizeof azFile / sizeof *azFile; i++) {
		size_t n1, n2, n3;
		char *z1 = slurp("s1", azFile[i], &n1), *z2 = slurp("s2", azFile[i], &n2), *z3 = slurp("s3", azFile[i], &n3);
		assert_int_equal(n1, n2);
		assert_memory_equal(z1, z2, n1);
		/* places and facilities do not depend on the seed */
		if (i < 3)
			assert_true(n1 != n3 || memcmp(z1, z3, n1) != 0);
		free(z1);
		free(z2);
		free(z3);
	}
}

/* ---- records through the provenance readers ------------------------------- */

typedef struct rows {
	int n, nExplosive;
	double tonnes;
	const st_places *pPlaces;
	int nUnresolved;
	st_time_ms tFirst;
} rows;

static int on_row(void *ctx, const st_shipment *s)
{
	rows *r = ctx;
	r->n++;
	if (strstr(s->zCargoText, "зрывчат")) {
		r->nExplosive++;
		r->tonnes += s->tonnes;
	}
	if (r->pPlaces && (st_places_find(r->pPlaces, s->zOrigin) < 0 ||
	                   st_places_find(r->pPlaces, s->zDestination) < 0))
		r->nUnresolved++;
	if (r->n == 1)
		r->tFirst = s->t;
	return 0;
}

static void on_reject(void *ctx, const char *zFile, uint64_t line, const char *zWhy)
{
	(void)ctx;
	fail_msg("%s:%llu: %s", zFile, (unsigned long long)line, zWhy);
}

static cJSON *load_truth(const char *zDir)
{
	size_t n;
	char *z = slurp(zDir, "ground_truth.json", &n);
	cJSON *g = cJSON_Parse(z);
	free(z);
	assert_non_null(g);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(g, "simulated")));
	return g;
}

static void check_records(const char *zDir, double wantT)
{
	char zPath[600], zErr[512];
	st_records_map m;
	snprintf(zPath, sizeof zPath, "%s/%s/records.map.json", zTmp, zDir);
	if (st_records_map_load(zPath, &m, zErr, sizeof zErr) != ST_OK)
		fail_msg("%s", zErr);
	assert_string_equal(m.encoding, "windows-1251");
	assert_string_equal(m.timezone, "+10:00");
	assert_int_equal(m.delimiter, ';');
	st_places *pl = st_places_new();
	size_t nAdd, nRej;
	snprintf(zPath, sizeof zPath, "%s/%s/places.csv", zTmp, zDir);
	if (st_places_read(pl, zPath, on_reject, NULL, &nAdd, &nRej, zErr, sizeof zErr) != ST_OK)
		fail_msg("%s", zErr);
	assert_int_equal(nRej, 0);
	snprintf(zPath, sizeof zPath, "%s/%s/facilities.csv", zTmp, zDir);
	size_t nFac;
	if (st_places_read(pl, zPath, on_reject, NULL, &nFac, &nRej, zErr, sizeof zErr) != ST_OK)
		fail_msg("%s", zErr);
	assert_true(nFac > 0);
	assert_int_equal(nRej, 0);
	rows r;
	memset(&r, 0, sizeof r);
	r.pPlaces = pl;
	st_records_stats rs;
	snprintf(zPath, sizeof zPath, "%s/%s/records.csv", zTmp, zDir);
	if (st_records_read(zPath, &m, on_row, on_reject, &r, &rs, zErr, sizeof zErr) != ST_OK)
		fail_msg("%s", zErr);
	cJSON *g = load_truth(zDir);
	const cJSON *recs = cJSON_GetObjectItem(g, "records");
	assert_int_equal(r.n, cJSON_GetArraySize(recs));
	assert_int_equal(rs.rejected, 0);
	assert_int_equal(r.nUnresolved, 0);
	assert_true(fabs(r.tonnes - wantT) < 0.01);
	/* the first record's local date read back is the true UTC time */
	const char *zDep = cJSON_GetObjectItem(cJSON_GetArrayItem(recs, 0), "depart")->valuestring;
	st_time_ms tTrue = st_time_parse(zDep);
	assert_true(llabs(r.tFirst - (tTrue - tTrue % 60000)) < 60000);
	int nEx = 0;
	const cJSON *it;
	cJSON_ArrayForEach(it, recs)
		nEx += cJSON_IsTrue(cJSON_GetObjectItem(it, "explosives"));
	assert_int_equal(r.nExplosive, nEx);
	cJSON_Delete(g);
	st_places_free(pl);
}

static void test_records_parse_back(void **state)
{
	(void)state;
	char zScenario[512];
	snprintf(zScenario, sizeof zScenario, "%s/tests/data/sim-small.json", ST_SOURCE_DIR);
	st_sim_stats s;
	run(zScenario, "rec", 0, false, &s);
	check_records("rec", 1000);
	/* the raw bytes are Windows-1251: "Номер" as one byte a letter */
	size_t n;
	char *z = slurp("rec", "records.csv", &n);
	assert_memory_equal(z, "\xCD\xEE\xEC\xE5\xF0 ", 6);
	assert_non_null(strstr(z, "\"\"")); /* the quoted cargo text */
	free(z);
}

/* The bundled case against the public facts it follows. */
static void test_rajin_ground_truth(void **state)
{
	(void)state;
	char zScenario[512];
	snprintf(zScenario, sizeof zScenario, "%s/data/scenarios/rajin-2023.json", ST_SOURCE_DIR);
	st_sim_stats s;
	run(zScenario, "rajin", 0, false, &s);
	check_records("rajin", 74000);
	cJSON *g = load_truth("rajin");
	const cJSON *sum = cJSON_GetObjectItem(g, "summary");
	assert_true(fabs(cJSON_GetObjectItem(sum, "explosives_t")->valuedouble - 74000) < 0.01);
	assert_int_equal(cJSON_GetObjectItem(sum, "sites")->valueint, 16);
	assert_int_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(sum, "sites_by_facility_kind"), "ammunition depot")->valueint, 12);
	int nDel = cJSON_GetObjectItem(sum, "deliveries")->valueint;
	assert_in_range(nDel, 25, 27);
	int nDark = cJSON_GetObjectItem(sum, "deliveries_dark_at_origin")->valueint;
	assert_true(nDark > nDel / 2 && nDark < nDel);
	const cJSON *it;
	int nVaz = 0;
	cJSON_ArrayForEach(it, cJSON_GetObjectItem(sum, "per_site")) {
		const cJSON *k = cJSON_GetObjectItem(it, "facility_kind");
		if (k && !strcmp(k->valuestring, "missile factory")) {
			nVaz = cJSON_GetObjectItem(it, "records")->valueint;
			assert_true(cJSON_IsTrue(cJSON_GetObjectItem(it, "sanctioned")));
		}
	}
	assert_true(nVaz > 5);
	/* December: no shuttle arrival and no explosives at Vostochny, by the
	 * records' own local time (UTC+10) */
	st_time_ms tDec0 = st_time_parse("2023-11-30T14:00:00Z"), tDec1 = st_time_parse("2023-12-31T14:00:00Z");
	cJSON_ArrayForEach(it, cJSON_GetObjectItem(g, "deliveries")) {
		st_time_ms t = st_time_parse(cJSON_GetObjectItem(it, "arrive")->valuestring);
		if (!strcmp(cJSON_GetObjectItem(it, "port")->valuestring, "VYP"))
			assert_false(t >= tDec0 && t < tDec1);
	}
	/* every attributed record leaves 0-7 days after its arrival at its own
	 * origin; the unexplained ones have no shuttle arrival in the 7 days
	 * before them at their origin */
	int nUnex = 0, nAttr = 0;
	const cJSON *dels = cJSON_GetObjectItem(g, "deliveries");
	cJSON_ArrayForEach(it, cJSON_GetObjectItem(g, "records")) {
		const cJSON *arr = cJSON_GetObjectItem(it, "arrival");
		const char *zOrigin = cJSON_GetObjectItem(it, "origin")->valuestring;
		st_time_ms t = st_time_parse(cJSON_GetObjectItem(it, "depart")->valuestring);
		if (cJSON_IsTrue(cJSON_GetObjectItem(it, "explosives")) && !strcmp(zOrigin, "VYP"))
			assert_false(t >= tDec0 && t < tDec1);
		if (cJSON_IsObject(arr)) {
			nAttr++;
			double lag = cJSON_GetObjectItem(arr, "lag_days")->valuedouble;
			assert_true(lag >= 0 && lag <= 7);
			assert_string_equal(cJSON_GetObjectItem(arr, "port")->valuestring, zOrigin);
		} else if (cJSON_IsTrue(cJSON_GetObjectItem(it, "explosives"))) {
			nUnex++;
			const cJSON *d;
			cJSON_ArrayForEach(d, dels) {
				st_time_ms ta = st_time_parse(cJSON_GetObjectItem(d, "arrive")->valuestring);
				if (!strcmp(cJSON_GetObjectItem(d, "port")->valuestring, zOrigin))
					assert_false(t >= ta && t - ta <= 7 * 86400000LL);
			}
		}
	}
	assert_int_equal(nUnex, 4);
	/* min_port_gap_h: no two deliveries reach one port within 72 h */
	const cJSON *d1, *d2;
	cJSON_ArrayForEach(d1, dels)
		cJSON_ArrayForEach(d2, dels) {
			if (d1 == d2 || strcmp(cJSON_GetObjectItem(d1, "port")->valuestring,
			                       cJSON_GetObjectItem(d2, "port")->valuestring))
				continue;
			st_time_ms t1 = st_time_parse(cJSON_GetObjectItem(d1, "arrive")->valuestring);
			st_time_ms t2 = st_time_parse(cJSON_GetObjectItem(d2, "arrive")->valuestring);
			assert_true(llabs(t1 - t2) >= 72 * 3600000LL);
		}
	assert_true(nAttr > 100);
	/* the shuttle vessels are the OFAC-listed ones, and said to carry
	 * placeholder MMSIs */
	int nShuttle = 0;
	cJSON_ArrayForEach(it, cJSON_GetObjectItem(g, "vessels")) {
		if (strcmp(cJSON_GetObjectItem(it, "role")->valuestring, "shuttle"))
			continue;
		nShuttle++;
		uint32_t imo = (uint32_t)cJSON_GetObjectItem(it, "imo")->valuedouble;
		assert_true(imo == 9179842 || imo == 9161003 || imo == 9358010 || imo == 8517839);
		assert_non_null(strstr(cJSON_GetObjectItem(it, "identity")->valuestring, "placeholder"));
	}
	assert_int_equal(nShuttle, 4);
	/* a background tanker calls at Rajin, seen */
	int nTankerRajin = 0;
	cJSON_ArrayForEach(it, cJSON_GetObjectItem(g, "port_visits"))
		if (!strcmp(cJSON_GetObjectItem(it, "port")->valuestring, "RJN") &&
		    cJSON_GetObjectItem(it, "mmsi")->valuedouble == 273200001 &&
		    cJSON_IsTrue(cJSON_GetObjectItem(it, "seen")))
			nTankerRajin++;
	assert_true(nTankerRajin > 0);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(g, "encounters")), 2);
	cJSON_Delete(g);
}

/* Bad scenarios: a clear message naming the file (and the line of a JSON
 * syntax error), and no output directory at all. */
static void test_bad_scenarios(void **state)
{
	(void)state;
	static const struct {
		const char *zJson, *zWant;
	} a[] = {
		{"{\n\"start\": \"2023-01-01\",\n\"end\": ]\n}", "line 3"},
		{"{\"start\": \"2023-01-02\", \"end\": \"2023-01-01\"}", "must come after"},
		{"{\"start\": \"2023-01-01\", \"end\": \"2053-01-01\"}", "ten years"},
		{"{\"end\": \"2023-01-01\"}", "missing time \"start\""},
		{"{\"start\": \"yesterday\", \"end\": \"2023-01-01\"}", "bad time"},
		{"[1, 2]", "not a JSON object"},
		{"{\"start\": \"2023-01-01\", \"end\": \"2023-01-02\", \"vessels\": [{\"name\": \"X\", \"mmsi\": 12}]}", "nine-digit mmsi"},
		{"{\"start\": \"2023-01-01\", \"end\": \"2023-01-02\", \"vessels\": [{\"name\": \"X\", \"mmsi\": 273000001, \"speed_kn\": 0}]}", "speed_kn"},
		{"{\"start\": \"2023-01-01\", \"end\": \"2023-01-02\", \"vessels\": [{\"name\": \"X\", \"mmsi\": 273000001}]}", "no itinerary"},
		{"{\"start\": \"2023-01-01\", \"end\": \"2023-01-02\", \"reporting\": {\"underway_s\": -5}}", "underway_s"},
		{"{\"start\": \"2023-01-01\", \"end\": \"2023-01-02\", \"reporting\": {\"underway_s\": \"10\"}}", "underway_s"},
		{"{\"start\": \"2023-01-01\", \"end\": \"2023-01-02\", \"background\": [{\"id\": \"B\", \"mmsi_base\": 273000001, \"route\": [\"NOWHERE\", \"X\"]}]}", "unknown port"},
		{"{\"start\": \"2023-01-01\", \"end\": \"2023-01-02\", \"ports\": [{\"id\": \"P\", \"lat\": 1, \"lon\": 2}, {\"id\": \"Q\", \"lat\": 1, \"lon\": 3}], \"background\": [{\"id\": \"B\", \"route\": [\"P\", \"Q\"], \"count\": 1e12}]}", "count"},
		{"{\"start\": \"2023-01-01\", \"end\": \"2023-01-02\", \"ports\": [{\"id\": \"P\", \"lat\": 1, \"lon\": 2}], \"background\": [{\"id\": \"B\", \"mmsi_base\": 273000001, \"pattern\": \"fishing\", \"home\": \"P\", \"area\": [1, 2]}]}", "area"},
		{"{\"start\": \"2023-01-01\", \"end\": \"2023-01-02\", \"ports\": [{\"id\": \"P\", \"lat\": 91, \"lon\": 2}]}", "lat"},
		{"{\"start\": \"2023-01-01\", \"end\": \"2023-01-02\", \"records\": {\"encoding\": \"koi8-r\"}}", "encoding"},
		{"{\"start\": \"2023-01-01\", \"end\": \"2023-01-02\", \"shuttle\": {\"vessels\": [\"GHOST\"]}}", "unknown vessel \"GHOST\""},
		{"{\"start\": \"2023-01-01\", \"end\": \"2023-01-02\", \"records\": {\"delimiter\": \";;\"}}", "delimiter"},
		{"{\"start\": \"2023-01-01\", \"end\": \"2023-01-02\", \"ports\": [{\"id\": \"P\", \"lat\": 1, \"lon\": 2}, {\"id\": \"Q\", \"lat\": 1, \"lon\": 3}], \"background\": [{\"id\": \"B\", \"count\": 2, \"mmsi_base\": 273000001, \"route\": [\"P\", \"Q\"]}, {\"id\": \"C\", \"mmsi_base\": 273000002, \"route\": [\"P\", \"Q\"]}]}", "MMSI 273000002 given to two vessels"},
		{"{\"start\": \"2023-01-01\", \"end\": \"2023-01-02\", \"explosives\": {\"cargo\": [{\"code\": \"1\"}], \"consignees\": [1]}}", "consignees"},
		{"{\"start\": \"2023-01-01\", \"end\": \"2023-01-02\", \"vessels\": [{\"name\": \"X\", \"mmsi\": 273000001, \"dim\": [-6, 1, 1, 1]}]}", "dim"},
		{"{\"start\": \"2023-01-01\", \"end\": \"2023-01-02\", \"vessels\": [{\"name\": \"X\", \"mmsi\": 273000001, \"position_type\": 5}]}", "position_type"},
	};
	char zFile[512], zDir[512], zErr[512];
	snprintf(zFile, sizeof zFile, "%s/bad.json", zTmp);
	snprintf(zDir, sizeof zDir, "%s/bad-out", zTmp);
	for (size_t i = 0; i < sizeof a / sizeof a[0]; i++) {
		FILE *f = fopen(zFile, "w");
		assert_non_null(f);
		fputs(a[i].zJson, f);
		fclose(f);
		st_sim_opts o;
		memset(&o, 0, sizeof o);
		o.zOutDir = zDir;
		o.scale = 1;
		st_status rc = st_sim_run(zFile, &o, NULL, zErr, sizeof zErr);
		if (rc == ST_OK || !strstr(zErr, zFile) || !strstr(zErr, a[i].zWant))
			fail_msg("scenario %zu: rc %d, message \"%s\", wanted \"%s\"", i, rc, zErr, a[i].zWant);
		assert_int_equal(access(zDir, F_OK), -1);
	}
	st_sim_opts o;
	memset(&o, 0, sizeof o);
	o.zOutDir = zDir;
	assert_int_equal(st_sim_run("/nonexistent/scenario.json", &o, NULL, zErr, sizeof zErr), ST_ECONFIG);
	assert_non_null(strstr(zErr, "cannot open"));
}

/* ---- emitter for the gpsdecode differential test ---------------------------- */

static int emit_for_gpsdecode(const char *zNmea, const char *zJson)
{
	FILE *f = fopen(zNmea, "w"), *j = fopen(zJson, "w");
	if (!f || !j)
		return 1;
	st_rng r;
	st_rng_seed(&r, 2024);
	st_nmea_out w;
	st_nmea_out_init(&w, "AI");
	char z[256], buf[1024];
	fprintf(f, "# SIMULATED test messages for the gpsdecode differential test\n");
	for (size_t k = 0; k < sizeof aType / sizeof aType[0]; k++)
		for (int i = 0; i < 300; i++) {
			st_ais_msg m;
			size_t n;
			unsigned fill;
			st_ais_msg b;
			if (aType[k][0] == 24 && aType[k][1] == 1)
				continue; /* sent with its part A below */
			random_msg(&r, aType[k][0], aType[k][1], &m);
			if (m.type == 24) {
				/* gpsdecode prints a type 24 once it holds both parts
				 * of one MMSI, merged: send them as a pair */
				random_msg(&r, 24, 1, &b);
				b.repeat = m.repeat;
				if (b.mmsi / 10000000 == 98)
					m.mmsi = b.mmsi;
				else
					b.mmsi = m.mmsi = 200000000u + m.mmsi % 500000000u;
			}
			for (int part = 0; part < (m.type == 24 ? 2 : 1); part++) {
				if (st_ais_encode(part ? &b : &m, z, sizeof z, &n, &fill) != ST_OK)
					return 1;
				int nb = st_nmea_out_format(&w, z, n, fill, 'A', 1693890000000LL + i * 1000, "SIM-TEST", buf, sizeof buf);
				if (nb < 0)
					return 1;
				fputs(buf, f);
			}
			/* expected members, named as gpsd names them */
			fprintf(j, "{\"type\":%u,\"repeat\":%u,\"mmsi\":%u", m.type, m.repeat, m.mmsi);
			switch (m.type) {
			case 1: case 2: case 3:
				fprintf(j, ",\"status\":%u,\"turn\":%d,\"speed\":%u,\"accuracy\":%s,\"lon\":%d,\"lat\":%d,"
				           "\"course\":%u,\"heading\":%u,\"second\":%u,\"maneuver\":%u,\"raim\":%s,\"radio\":%u",
				        m.type1.status, m.type1.turn, m.type1.speed, m.type1.accuracy ? "true" : "false",
				        m.type1.lon, m.type1.lat, m.type1.course, m.type1.heading, m.type1.second,
				        m.type1.maneuver, m.type1.raim ? "true" : "false", m.type1.radio);
				break;
			case 5:
				fprintf(j, ",\"ais_version\":%u,\"imo\":%u,\"callsign\":\"%s\",\"shipname\":\"%s\",\"shiptype\":%u,"
				           "\"to_bow\":%u,\"to_stern\":%u,\"to_port\":%u,\"to_starboard\":%u,\"epfd\":%u,"
				           "\"eta\":\"%02u-%02uT%02u:%02uZ\",\"draught\":%u,\"destination\":\"%s\",\"dte\":%u",
				        m.type5.ais_version, m.type5.imo, m.type5.callsign, m.type5.shipname, m.type5.shiptype,
				        m.type5.to_bow, m.type5.to_stern, m.type5.to_port, m.type5.to_starboard, m.type5.epfd,
				        m.type5.month, m.type5.day, m.type5.hour, m.type5.minute, m.type5.draught,
				        m.type5.destination, m.type5.dte);
				break;
			case 18:
				fprintf(j, ",\"reserved\":%u,\"speed\":%u,\"accuracy\":%s,\"lon\":%d,\"lat\":%d,\"course\":%u,"
				           "\"heading\":%u,\"second\":%u,\"regional\":%u,\"cs\":%s,\"display\":%s,\"dsc\":%s,"
				           "\"band\":%s,\"msg22\":%s,\"raim\":%s,\"radio\":%u",
				        m.type18.reserved, m.type18.speed, m.type18.accuracy ? "true" : "false", m.type18.lon,
				        m.type18.lat, m.type18.course, m.type18.heading, m.type18.second, m.type18.regional,
				        m.type18.cs ? "true" : "false", m.type18.display ? "true" : "false",
				        m.type18.dsc ? "true" : "false", m.type18.band ? "true" : "false",
				        m.type18.msg22 ? "true" : "false", m.type18.raim ? "true" : "false", m.type18.radio);
				break;
			case 19:
				fprintf(j, ",\"reserved\":%u,\"speed\":%u,\"accuracy\":%s,\"lon\":%d,\"lat\":%d,\"course\":%u,"
				           "\"heading\":%u,\"second\":%u,\"regional\":%u,\"shipname\":\"%s\",\"shiptype\":%u,"
				           "\"to_bow\":%u,\"to_stern\":%u,\"to_port\":%u,\"to_starboard\":%u,\"epfd\":%u,"
				           "\"raim\":%s,\"dte\":%u,\"assigned\":%s",
				        m.type19.reserved, m.type19.speed, m.type19.accuracy ? "true" : "false", m.type19.lon,
				        m.type19.lat, m.type19.course, m.type19.heading, m.type19.second, m.type19.regional,
				        m.type19.shipname, m.type19.shiptype, m.type19.to_bow, m.type19.to_stern,
				        m.type19.to_port, m.type19.to_starboard, m.type19.epfd,
				        m.type19.raim ? "true" : "false", m.type19.dte, m.type19.assigned ? "true" : "false");
				break;
			case 24:
				fprintf(j, ",\"shipname\":\"%s\",\"shiptype\":%u,\"callsign\":\"%s\",\"model\":%u,\"serial\":%u",
				        m.type24.shipname, b.type24.shiptype, b.type24.callsign, b.type24.model, b.type24.serial);
				if (b.mmsi / 10000000 == 98)
					fprintf(j, ",\"mothership_mmsi\":%u", b.type24.mothership_mmsi);
				else
					fprintf(j, ",\"to_bow\":%u,\"to_stern\":%u,\"to_port\":%u,\"to_starboard\":%u",
					        b.type24.to_bow, b.type24.to_stern, b.type24.to_port, b.type24.to_starboard);
				break;
			}
			fprintf(j, "}\n");
		}
	return fclose(f) | fclose(j);
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "--emit"))
		return emit_for_gpsdecode(argv[2], argv[3]);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_encode_roundtrip_random),
		cmocka_unit_test(test_encode_known_sentence),
		cmocka_unit_test(test_encode_roundtrip_real),
		cmocka_unit_test(test_nmea_writer),
		cmocka_unit_test(test_rng),
		cmocka_unit_test(test_reporting_intervals),
		cmocka_unit_test(test_seed_reproducible),
		cmocka_unit_test(test_records_parse_back),
		cmocka_unit_test(test_rajin_ground_truth),
		cmocka_unit_test(test_bad_scenarios),
	};
	return cmocka_run_group_tests(tests, setup_tmp, teardown_tmp);
}

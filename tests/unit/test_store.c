/* The case store: GeoPackage geometry blobs and EWKB byte by byte, the
 * fixed-width time text, and the store API on a real GeoPackage in a
 * temporary directory: generic tables with their R-tree, ingest of made-up
 * records (vessels merged across files, repeated reports not stored
 * twice, rollback on abort), the packed R-tree checked by SQLite's own
 * rtreecheck(), the position reader's order, runs, and the files that are
 * not a case. PostGIS is exercised by tests/e2e/store_postgis.sh. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <cmocka.h>
#include <sqlite3.h>
#include "shiptrace/store.h"
#include "shiptrace/time.h"
#include "store/store_int.h"

static char zDir[256];

static int setup(void **state)
{
	snprintf(zDir, sizeof zDir, "/tmp/st_store_test_XXXXXX");
	return mkdtemp(zDir) ? 0 : -1;
}

static int teardown(void **state)
{
	char z[512];
	snprintf(z, sizeof z, "rm -rf '%s'", zDir);
	return system(z) == 0 ? 0 : -1;
}

static char *path(const char *zName)
{
	static char z[4][512];
	static int i;
	i = (i + 1) % 4;
	snprintf(z[i], sizeof z[i], "%s/%s", zDir, zName);
	return z[i];
}

static double get_le_f64(const unsigned char *p)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v |= (uint64_t)p[i] << (8 * i);
	double d;
	memcpy(&d, &v, 8);
	return d;
}

/* ---- encodings ----------------------------------------------------------- */

static void test_point_blob(void **state)
{
	double xy[2] = {12.5, 55.75};
	st_geom g = {ST_GEOM_POINT, 1, xy};
	unsigned char a[128];
	size_t n = st__gpkg_blob(&g, 4326, a, sizeof a);
	assert_int_equal(n, ST__GPKG_POINT_BLOB);
	assert_int_equal(a[0], 'G');
	assert_int_equal(a[1], 'P');
	assert_int_equal(a[2], 0);       /* version */
	assert_int_equal(a[3], 0x01);    /* little-endian, no envelope */
	assert_int_equal(a[4] | a[5] << 8 | a[6] << 16 | a[7] << 24, 4326);
	assert_int_equal(a[8], 1);                /* WKB little-endian */
	assert_int_equal(a[9], 1);                /* wkbPoint */
	assert_int_equal(a[10] | a[11] | a[12], 0);
	assert_true(get_le_f64(a + 13) == 12.5);
	assert_true(get_le_f64(a + 21) == 55.75);
	double x, y, e[4];
	assert_int_equal(st__gpkg_blob_point(a, n, &x, &y), 0);
	assert_true(x == 12.5 && y == 55.75);
	assert_int_equal(st__gpkg_blob_envelope(a, n, &e[0], &e[1], &e[2], &e[3]), 0);
	/* the envelope, from the WKB */
	assert_true(e[0] == 12.5 && e[1] == 12.5 && e[2] == 55.75 && e[3] == 55.75);
	/* too small a buffer, a bad magic, a truncated blob */
	assert_int_equal(st__gpkg_blob(&g, 4326, a, ST__GPKG_POINT_BLOB - 1), 0);
	a[0] = 'X';
	assert_int_equal(st__gpkg_blob_envelope(a, n, &e[0], &e[1], &e[2], &e[3]), -1);
	a[0] = 'G';
	assert_int_equal(st__gpkg_blob_envelope(a, 20, &e[0], &e[1], &e[2], &e[3]), -1);
}

static void test_line_blob_and_ewkb(void **state)
{
	double xy[6] = {10, 50, 12, 49, 11, 51};
	st_geom g = {ST_GEOM_LINESTRING, 3, xy};
	unsigned char a[256];
	size_t n = st__gpkg_blob(&g, 4326, a, sizeof a);
	assert_int_equal(n, 8 + 32 + 9 + 48);
	double e[4];
	assert_int_equal(st__gpkg_blob_envelope(a, n, &e[0], &e[1], &e[2], &e[3]), 0);
	assert_true(e[0] == 10 && e[1] == 12 && e[2] == 49 && e[3] == 51);
	assert_int_equal(a[41], 2);               /* wkbLineString */
	assert_int_equal(a[45], 3);               /* three points */
	/* without the envelope in the header, it comes from the WKB */
	unsigned char b[256];
	memcpy(b, a, 8);
	b[3] = 0x01;
	memcpy(b + 8, a + 40, n - 40);
	assert_int_equal(st__gpkg_blob_envelope(b, n - 32, &e[0], &e[1], &e[2], &e[3]), 0);
	assert_true(e[0] == 10 && e[1] == 12 && e[2] == 49 && e[3] == 51);
	/* empty flag */
	b[3] = 0x11;
	assert_int_equal(st__gpkg_blob_envelope(b, n - 32, &e[0], &e[1], &e[2], &e[3]), 1);

	double pt[2] = {-0.5, 45.25};
	st_geom p = {ST_GEOM_POINT, 1, pt};
	n = st__ewkb(&p, a, sizeof a);
	assert_int_equal(n, 25);
	static const unsigned char aHead[9] = {1, 1, 0, 0, 0x20, 0xE6, 0x10, 0, 0};
	assert_memory_equal(a, aHead, 9);
	assert_true(get_le_f64(a + 9) == -0.5 && get_le_f64(a + 17) == 45.25);
	/* a linestring of one point is refused */
	st_geom bad = {ST_GEOM_LINESTRING, 0, xy};
	assert_int_equal(st__gpkg_blob(&bad, 4326, a, sizeof a), 0);
}

static void test_time_text(void **state)
{
	char a[32], b[32];
	st_time_ms t = st_time_from_civil(2023, 1, 11, 0, 0, 4);
	assert_int_equal(st__time_iso(t, a), 24);
	assert_string_equal(a, "2023-01-11T00:00:04.000Z");
	assert_true(st__time_parse(a) == t);
	st__time_iso(t + 500, b);
	assert_string_equal(b, "2023-01-11T00:00:04.500Z");
	/* text order is time order, which the variable-width form breaks */
	assert_true(strcmp(a, b) < 0);
	st__time_iso(t + 1000, a);
	assert_true(strcmp(b, a) < 0);
	assert_true(st__time_parse("2023-01-11 00:00:04+00") == t);
	assert_true(st__time_parse("garbage") == ST_TIME_NONE);
}

/* ---- the store ------------------------------------------------------------- */

static int64_t q_int(st_store *s, const char *zSql)
{
	int64_t v = -1;
	assert_int_equal(st_store_query_int(s, zSql, &v), ST_OK);
	return v;
}

typedef struct text_row {
	char z[8][64];
} text_row;

static int keep_row(void *ctx, int nCol, const char *const *azVal,
                    const char *const *azCol)
{
	text_row *r = ctx;
	for (int i = 0; i < nCol && i < 8; i++)
		snprintf(r->z[i], sizeof r->z[i], "%s", azVal[i] ? azVal[i] : "NULL");
	return 1;
}

static void test_generic_tables(void **state)
{
	char zErr[512];
	st_store *s;
	assert_int_equal(st_store_open(&s, path("generic.gpkg"), ST_STORE_CREATE,
	                               zErr, sizeof zErr), ST_OK);
	assert_string_equal(st_store_backend(s), "gpkg");
	assert_true(st_store_was_created(s));
	static const st_column aCol[] = {
		{"mmsi", ST_COL_INT}, {"arrival", ST_COL_TIME},
		{"port", ST_COL_TEXT}, {"confidence", ST_COL_REAL},
	};
	const st_table_def def = {"port_calls", "made-up port calls", aCol, 4,
	                          ST_GEOM_POINT};
	assert_int_equal(st_store_begin(s), ST_OK);
	assert_int_equal(st_store_create_table(s, &def), ST_OK);
	double xy[2] = {132.9, 42.8};
	st_geom g = {ST_GEOM_POINT, 1, xy};
	st_value v[4] = {{.i = 273000001}, {.t = st_time_parse("2023-09-05T04:30:00Z")},
	                 {.z = "Vostochny"}, {.r = 0.75}};
	int64_t id = 0;
	assert_int_equal(st_store_insert(s, &def, v, &g, &id), ST_OK);
	assert_int_equal(id, 1);
	v[3].isNull = 1;
	assert_int_equal(st_store_insert(s, &def, v, NULL, &id), ST_OK);
	assert_int_equal(id, 2);
	/* a geometry of the wrong type is refused */
	st_geom line = {ST_GEOM_LINESTRING, 1, xy};
	assert_int_equal(st_store_insert(s, &def, v, &line, NULL), ST_EINVAL);
	assert_int_equal(st_store_update_extent(s, "port_calls"), ST_OK);
	assert_int_equal(st_store_commit(s), ST_OK);

	/* the insert trigger kept the R-tree current */
	assert_int_equal(q_int(s, "SELECT count(*) FROM rtree_port_calls_geom"), 1);
	assert_int_equal(q_int(s, "SELECT count(*) FROM rtree_port_calls_geom"
	                          " WHERE minx <= 132.9 AND maxx >= 132.9"), 1);
	text_row r;
	memset(&r, 0, sizeof r);
	assert_int_equal(st_store_query(s, "SELECT arrival, port, confidence,"
	                 " min_x, max_y FROM port_calls, gpkg_contents"
	                 " WHERE table_name = 'port_calls' AND id = 2",
	                 keep_row, &r, zErr, sizeof zErr), ST_OK);
	assert_string_equal(r.z[0], "2023-09-05T04:30:00.000Z");
	assert_string_equal(r.z[1], "Vostochny");
	assert_string_equal(r.z[2], "NULL");
	assert_string_equal(r.z[3], "132.9");
	assert_string_equal(r.z[4], "42.8");
	assert_int_equal(q_int(s, "SELECT count(*) FROM gpkg_extensions WHERE"
	                          " table_name = 'port_calls' AND extension_name"
	                          " = 'gpkg_rtree_index'"), 1);
	assert_true(st_store_has_table(s, "port_calls"));
	assert_true(st_store_has_table(s, "positions"));
	assert_false(st_store_has_table(s, "port_call"));
	assert_false(st_store_has_table(s, "x' OR '1'='1"));
	/* a re-run replaces the previous results */
	assert_int_equal(st_store_create_table(s, &def), ST_OK);
	assert_int_equal(q_int(s, "SELECT count(*) FROM port_calls"), 0);
	/* bad names never reach SQL */
	const st_table_def bad = {"x; DROP TABLE meta", NULL, aCol, 4, ST_GEOM_NONE};
	assert_int_equal(st_store_create_table(s, &bad), ST_EINVAL);
	/* errors come back with the backend's message */
	assert_int_not_equal(st_store_query(s, "SELECT nope FROM nowhere", NULL,
	                                    NULL, zErr, sizeof zErr), ST_OK);
	assert_non_null(strstr(zErr, "nowhere"));
	st_store_close(s);

	/* reopening: not created this time, meta intact */
	assert_int_equal(st_store_open(&s, path("generic.gpkg"), ST_STORE_CREATE,
	                               zErr, sizeof zErr), ST_OK);
	assert_false(st_store_was_created(s));
	memset(&r, 0, sizeof r);
	st_store_query(s, "SELECT value FROM meta WHERE key = 'application'",
	               keep_row, &r, zErr, sizeof zErr);
	assert_string_equal(r.z[0], "shiptrace");
	st_store_close(s);

	/* the file is a GeoPackage by its header */
	sqlite3 *db;
	assert_int_equal(sqlite3_open(path("generic.gpkg"), &db), SQLITE_OK);
	sqlite3_stmt *p;
	sqlite3_prepare_v2(db, "PRAGMA application_id", -1, &p, NULL);
	assert_int_equal(sqlite3_step(p), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(p, 0), 0x47504B47);
	sqlite3_finalize(p);
	sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &p, NULL);
	assert_int_equal(sqlite3_step(p), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(p, 0), 10300);
	sqlite3_finalize(p);
	sqlite3_prepare_v2(db, "SELECT group_concat(srs_id) FROM (SELECT srs_id"
	                   " FROM gpkg_spatial_ref_sys ORDER BY srs_id)", -1, &p, NULL);
	assert_int_equal(sqlite3_step(p), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(p, 0), "-1,0,4326");
	sqlite3_finalize(p);
	sqlite3_close(db);
}

static st_position pos(uint32_t mmsi, st_time_ms t, double lat, double lon)
{
	st_position p;
	memset(&p, 0, sizeof p);
	p.mmsi = mmsi;
	p.t = t;
	p.lat = lat;
	p.lon = lon;
	p.sog = 10.5f;
	p.cog = NAN;
	p.heading = -1;
	p.nav_status = 0;
	p.msg_type = 1;
	return p;
}

static st_static_report report(uint32_t mmsi, st_time_ms t, const char *zName)
{
	st_static_report r;
	memset(&r, 0, sizeof r);
	r.mmsi = mmsi;
	r.t = t;
	r.imo = 9179842;
	snprintf(r.name, sizeof r.name, "%s", zName);
	snprintf(r.callsign, sizeof r.callsign, "UBCE7");
	r.ship_type = 70;
	r.to_bow = 100;
	r.to_stern = 20;
	r.to_port = 10;
	r.to_starboard = 12;
	r.draught = NAN;
	r.eta_month = 9;
	r.eta_day = 5;
	r.eta_hour = 24;
	r.eta_minute = 60;
	r.msg_type = 5;
	r.part = -1;
	return r;
}

static st_source_info source(const char *zName, char c)
{
	st_source_info src;
	memset(&src, 0, sizeof src);
	src.zName = zName;
	src.zKind = "ais";
	src.zFormat = "nmea";
	src.size = 1234;
	memset(src.sha256, c, 64);
	src.sha256[64] = 0;
	return src;
}

static void test_ingest_and_vessels(void **state)
{
	char zErr[512];
	st_store *s;
	assert_int_equal(st_store_open(&s, path("ingest.gpkg"), ST_STORE_CREATE,
	                               zErr, sizeof zErr), ST_OK);
	const st_time_ms t0 = st_time_parse("2023-09-01T00:00:00Z");
	st_source_info a = source("a.nmea", 'a');
	int64_t id = 0;
	assert_int_equal(st_store_find_source(s, a.sha256, &id), ST_ENOTFOUND);
	assert_int_equal(st_store_ingest_begin(s, &a, &id), ST_OK);
	assert_int_equal(id, 1);
	for (int i = 0; i < 10; i++) {
		st_position p = pos(273000001, t0 + i * 60000, 42.8, 132.9 + i * 0.01);
		assert_int_equal(st_store_ingest_position(s, &p), ST_OK);
	}
	st_position noFix = pos(273000002, t0, NAN, NAN);
	assert_int_equal(st_store_ingest_position(s, &noFix), ST_OK);
	st_static_report r = report(273000001, t0 + 5000, "ANGARA");
	assert_int_equal(st_store_ingest_static(s, &r), ST_OK);
	r.t += 360000;               /* the same report again: counted, not stored */
	assert_int_equal(st_store_ingest_static(s, &r), ST_OK);
	a.lines_read = 30;
	a.messages = 13;
	a.rejected[ST_REJ_BADSUM] = 2;
	assert_int_equal(st_store_ingest_end(s, &a), ST_OK);
	const st_ingest_stats *is = st_store_ingest_stats(s);
	assert_int_equal(is->positions, 11);
	assert_int_equal(is->reports, 2);
	assert_int_equal(is->reports_stored, 1);
	assert_int_equal(is->vessels, 2);

	assert_int_equal(st_store_find_source(s, a.sha256, &id), ST_OK);
	assert_int_equal(id, 1);
	assert_int_equal(q_int(s, "SELECT rejected + rejected_bad_checksum * 100 +"
	                          " lines_read * 10000 FROM sources"), 2 + 200 + 300000);
	assert_int_equal(q_int(s, "SELECT count(*) FROM positions WHERE geom IS NULL"), 1);
	assert_int_equal(q_int(s, "SELECT count(*) FROM rtree_positions_geom"), 10);
	text_row row;
	memset(&row, 0, sizeof row);
	st_store_query(s, "SELECT name, imo, length, width, n_positions, n_reports,"
	               " first_seen, last_seen FROM vessels WHERE mmsi = 273000001",
	               keep_row, &row, zErr, sizeof zErr);
	assert_string_equal(row.z[0], "ANGARA");
	assert_string_equal(row.z[1], "9179842");
	assert_string_equal(row.z[2], "120");
	assert_string_equal(row.z[3], "22");
	assert_string_equal(row.z[4], "10");
	assert_string_equal(row.z[5], "2");
	assert_string_equal(row.z[6], "2023-09-01T00:00:00.000Z");
	assert_string_equal(row.z[7], "2023-09-01T00:09:00.000Z");
	memset(&row, 0, sizeof row);
	st_store_query(s, "SELECT eta, destination, draught FROM vessel_reports",
	               keep_row, &row, zErr, sizeof zErr);
	assert_string_equal(row.z[0], "--09-05");
	assert_string_equal(row.z[1], "NULL");
	assert_string_equal(row.z[2], "NULL");

	/* A second file: the same vessel later, renamed; a new vessel. */
	st_source_info b = source("b.nmea", 'b');
	assert_int_equal(st_store_ingest_begin(s, &b, NULL), ST_OK);
	st_position p = pos(273000001, t0 + 86400000, 42.9, 133.0);
	assert_int_equal(st_store_ingest_position(s, &p), ST_OK);
	p = pos(273000001, t0 - 60000, 42.7, 132.8);   /* earlier than any before */
	assert_int_equal(st_store_ingest_position(s, &p), ST_OK);
	r = report(273000001, t0 + 86400000, "MAIA-1");
	r.imo = 0;                  /* not given this time: the old one stays */
	assert_int_equal(st_store_ingest_static(s, &r), ST_OK);
	p = pos(412000003, t0, 42.2, 130.3);
	assert_int_equal(st_store_ingest_position(s, &p), ST_OK);
	assert_int_equal(st_store_ingest_end(s, &b), ST_OK);
	memset(&row, 0, sizeof row);
	st_store_query(s, "SELECT name, imo, n_positions, n_reports, first_seen,"
	               " last_seen FROM vessels WHERE mmsi = 273000001",
	               keep_row, &row, zErr, sizeof zErr);
	assert_string_equal(row.z[0], "MAIA-1");
	assert_string_equal(row.z[1], "9179842");
	assert_string_equal(row.z[2], "12");
	assert_string_equal(row.z[3], "3");
	assert_string_equal(row.z[4], "2023-08-31T23:59:00.000Z");
	assert_string_equal(row.z[5], "2023-09-02T00:00:00.000Z");
	assert_int_equal(q_int(s, "SELECT count(*) FROM vessels"), 3);
	/* the layer extent grew with the second file */
	memset(&row, 0, sizeof row);
	st_store_query(s, "SELECT min_x, max_x, min_y, max_y FROM gpkg_contents"
	               " WHERE table_name = 'positions'", keep_row, &row, zErr,
	               sizeof zErr);
	assert_string_equal(row.z[0], "130.3");
	assert_string_equal(row.z[1], "133.0");
	assert_string_equal(row.z[2], "42.2");
	assert_string_equal(row.z[3], "42.9");

	/* An aborted file leaves nothing. */
	st_source_info c = source("c.nmea", 'c');
	int64_t nBefore = q_int(s, "SELECT count(*) FROM positions");
	assert_int_equal(st_store_ingest_begin(s, &c, NULL), ST_OK);
	assert_int_equal(st_store_ingest_position(s, &p), ST_OK);
	st_store_ingest_abort(s);
	assert_int_equal(q_int(s, "SELECT count(*) FROM positions"), nBefore);
	assert_int_equal(st_store_find_source(s, c.sha256, &id), ST_ENOTFOUND);
	assert_int_equal(q_int(s, "SELECT count(*) FROM sqlite_master WHERE name ="
	                          " 'rtree_positions_geom_insert'"), 1);

	/* Runs. */
	char *zInputs = st_store_sources_json(s);
	assert_non_null(zInputs);
	assert_non_null(strstr(zInputs, "\"name\":\"b.nmea\""));
	assert_int_equal(st_store_record_run(s, "analyze", t0, t0 + 1500,
	                                     "{\"gap_hours\":6}", zInputs, &id),
	                 ST_OK);
	free(zInputs);
	memset(&row, 0, sizeof row);
	st_store_query(s, "SELECT stage, finished, parameters FROM runs",
	               keep_row, &row, zErr, sizeof zErr);
	assert_string_equal(row.z[0], "analyze");
	assert_string_equal(row.z[1], "2023-09-01T00:00:01.500Z");
	assert_string_equal(row.z[2], "{\"gap_hours\":6}");
	st_store_close(s);
}

typedef struct order_check {
	uint32_t mmsi;
	st_time_ms t;
	int n, bad;
} order_check;

static int check_order(void *ctx, const st_position *p, int64_t id)
{
	order_check *c = ctx;
	if (c->n && (p->mmsi < c->mmsi || (p->mmsi == c->mmsi && p->t < c->t)))
		c->bad++;
	c->mmsi = p->mmsi;
	c->t = p->t;
	c->n++;
	return 0;
}

static void test_packed_rtree(void **state)
{
	char zErr[512];
	st_store *s;
	assert_int_equal(st_store_open(&s, path("big.gpkg"), ST_STORE_CREATE, zErr,
	                               sizeof zErr), ST_OK);
	st_source_info a = source("big.nmea", 'd');
	assert_int_equal(st_store_ingest_begin(s, &a, NULL), ST_OK);
	/* enough rows for a three-level tree (51 * 51 < 20000), and now and
	 * then a position without a fix: no geometry, so a gap in the ids the
	 * index holds */
	int nNoFix = 0;
	for (int i = 0; i < 20000; i++) {
		int noFix = i % 97 == 50;
		st_position p = pos(200000000u + (uint32_t)(i * 7919 % 300),
		                    1000000000000LL + (i * 104729 % 20000) * 1000,
		                    noFix ? NAN : -60 + (i * 31 % 1200) * 0.1,
		                    noFix ? NAN : -170 + (i * 17 % 3400) * 0.1);
		nNoFix += noFix;
		assert_int_equal(st_store_ingest_position(s, &p), ST_OK);
	}
	assert_int_equal(st_store_ingest_end(s, &a), ST_OK);
	text_row row;
	memset(&row, 0, sizeof row);
	st_store_query(s, "SELECT rtreecheck('rtree_positions_geom')", keep_row,
	               &row, zErr, sizeof zErr);
	assert_string_equal(row.z[0], "ok");
	assert_int_equal(q_int(s, "SELECT count(*) FROM rtree_positions_geom"),
	                 20000 - nNoFix);
	assert_int_equal(q_int(s, "SELECT count(*) FROM positions p JOIN"
	                          " rtree_positions_geom_rowid m ON m.rowid = p.id"
	                          " WHERE p.geom IS NOT NULL"), 20000 - nNoFix);
	/* a window query through the index finds what a scan finds */
	int64_t nIdx = q_int(s, "SELECT count(*) FROM rtree_positions_geom WHERE"
	                        " minx >= -20 AND maxx <= 35.5 AND miny >= 10"
	                        " AND maxy <= 40");
	int64_t nScan = q_int(s, "SELECT count(*) FROM positions WHERE lon >= -20"
	                         " AND lon <= 35.5 AND lat >= 10 AND lat <= 40");
	assert_true(nScan > 100);
	assert_int_equal(nIdx, nScan);
	/* the triggers still work on the packed tree */
	static const st_column aNone[1] = {{"mmsi", ST_COL_INT}};
	(void)aNone;
	st_source_info b = source("small.nmea", 'e');
	assert_int_equal(st_store_ingest_begin(s, &b, NULL), ST_OK);
	st_position p = pos(1, 0, 1.5, 1.5);
	assert_int_equal(st_store_ingest_position(s, &p), ST_OK);
	assert_int_equal(st_store_ingest_end(s, &b), ST_OK);
	memset(&row, 0, sizeof row);
	st_store_query(s, "SELECT rtreecheck('rtree_positions_geom')", keep_row,
	               &row, zErr, sizeof zErr);
	assert_string_equal(row.z[0], "ok");
	assert_int_equal(q_int(s, "SELECT count(*) FROM rtree_positions_geom"
	                          " WHERE minx <= 1.5 AND maxx >= 1.5 AND"
	                          " miny <= 1.5 AND maxy >= 1.5"), 1);
	order_check c = {0};
	assert_int_equal(st_store_read_positions(s, check_order, &c, zErr,
	                                         sizeof zErr), ST_OK);
	assert_int_equal(c.n, 20001);
	assert_int_equal(c.bad, 0);
	st_store_close(s);
}

/* The packer on its own, with chunks small enough that the leaves of many
 * chunks meet in the levels above, over an R-tree this connection has
 * already read (so any state the rtree module cached must not matter); the
 * rows in id order, with gaps in the ids (the rowid map's appends resume
 * after each), and in no order. */
static void pack_one(const char *zSelect, const char *zCount)
{
	sqlite3 *db;
	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db,
		"CREATE TABLE pts (id INTEGER PRIMARY KEY, x REAL, y REAL);"
		"CREATE VIRTUAL TABLE rtree_pts_geom USING rtree(id, minx, maxx,"
		" miny, maxy);"
		"WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c"
		" WHERE i < 30000) INSERT INTO pts SELECT i, -179.9 + (i * 7919 %"
		" 35980) / 100.0, -89.9 + (i * 104729 % 17980) / 100.0 FROM c;"
		"INSERT INTO rtree_pts_geom SELECT id, x, x, y, y FROM pts"
		" WHERE id <= 100;", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_stmt *p;
	sqlite3_prepare_v2(db, "SELECT count(*) FROM rtree_pts_geom", -1, &p, NULL);
	assert_int_equal(sqlite3_step(p), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(p, 0), 100);
	sqlite3_finalize(p);
	char zErr[256];
	assert_int_equal(sqlite3_exec(db, "BEGIN", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(st__rtree_pack(db, "rtree_pts_geom", zSelect, 1000, zErr,
	                                sizeof zErr), 0);
	assert_int_equal(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
	char zIn[512];
	snprintf(zIn, sizeof zIn, "SELECT count(*) FROM (%s) s JOIN"
	         " rtree_pts_geom_rowid m ON m.rowid = s.id", zSelect);
	const char *const azCheck[][2] = {
		{"SELECT rtreecheck('rtree_pts_geom')", "ok"},
		{"SELECT count(*) FROM rtree_pts_geom", zCount},
		{"SELECT count(*) FROM rtree_pts_geom_rowid", zCount},
		/* every row selected has its mapping, and only those */
		{zIn, zCount},
		{"SELECT (SELECT count(*) FROM rtree_pts_geom WHERE minx >= 10 AND"
		 " maxx <= 60 AND miny >= -20 AND maxy <= 5) = (SELECT count(*)"
		 " FROM pts JOIN rtree_pts_geom_rowid m ON m.rowid = pts.id"
		 " WHERE x BETWEEN 10 AND 60 AND y BETWEEN -20 AND 5)", "1"},
		{"SELECT count(*) > 100 FROM pts WHERE x BETWEEN 10 AND 60 AND"
		 " y BETWEEN -20 AND 5", "1"},
		/* every point inside its own float box */
		{"SELECT count(*) FROM pts JOIN rtree_pts_geom r USING (id) WHERE"
		 " NOT (r.minx <= x AND x <= r.maxx AND r.miny <= y AND y <= r.maxy)",
		 "0"},
	};
	for (size_t i = 0; i < sizeof azCheck / sizeof azCheck[0]; i++) {
		assert_int_equal(sqlite3_prepare_v2(db, azCheck[i][0], -1, &p, NULL),
		                 SQLITE_OK);
		assert_int_equal(sqlite3_step(p), SQLITE_ROW);
		assert_string_equal((const char *)sqlite3_column_text(p, 0),
		                    azCheck[i][1]);
		sqlite3_finalize(p);
	}
	/* the module keeps inserting into the packed tree */
	assert_int_equal(sqlite3_exec(db, "INSERT INTO rtree_pts_geom VALUES"
	                              " (40000, 1, 2, 3, 4)", NULL, NULL, NULL),
	                 SQLITE_OK);
	sqlite3_prepare_v2(db, "SELECT rtreecheck('rtree_pts_geom')", -1, &p, NULL);
	assert_int_equal(sqlite3_step(p), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(p, 0), "ok");
	sqlite3_finalize(p);
	sqlite3_close(db);
}

static void test_pack_chunks(void **state)
{
	pack_one("SELECT id, x, y FROM pts", "30000");
	pack_one("SELECT id, x, y FROM pts WHERE id % 7 <> 3 AND id <> 1", "25713");
	pack_one("SELECT id, x, y FROM pts ORDER BY id * 7919 % 30011", "30000");
}

/* A failure inside a bulk load, where the writer thread makes the SQLite
 * calls (and, with ST_STORE_THREADS=1, where the caller makes them): a
 * trigger refuses one position in the middle of a large file, then one
 * vessel report. The load stops with SQLite's message and the table's
 * name, the case is what it was before the file, and the same file goes
 * in once the trigger is gone. */
static int load_file(st_store *s, const st_source_info *src, uint32_t mmsiBad,
                     int nPos, uint32_t repBad)
{
	if (st_store_ingest_begin(s, src, NULL) != ST_OK)
		return 1;
	for (int i = 0; i < nPos; i++) {
		st_position p = pos(i == nPos / 2 ? mmsiBad : 200000000u + (uint32_t)(i % 500),
		                    1600000000000LL + i * 1000LL, 10 + (i % 700) * 0.01,
		                    20 + (i % 900) * 0.01);
		if (st_store_ingest_position(s, &p) != ST_OK)
			goto fail;
		if (i % 1000 == 0) {
			st_static_report r = report(i == nPos / 2 + 1000 ? repBad : 200000000u + (uint32_t)(i % 500),
			                            p.t, i % 2000 ? "EVER GIVEN" : "EVER GREEN");
			if (st_store_ingest_static(s, &r) != ST_OK)
				goto fail;
		}
	}
	return st_store_ingest_end(s, src) == ST_OK ? 0 : 1;
fail:
	st_store_ingest_abort(s);
	return 1;
}

static void writer_failure(const char *zThreads, const char *zCase)
{
	setenv("ST_STORE_THREADS", zThreads, 1);
	char zErr[512];
	st_store *s;
	assert_int_equal(st_store_open(&s, path(zCase), ST_STORE_CREATE, zErr,
	                               sizeof zErr), ST_OK);
	st_source_info a = source("first.nmea", 'a');
	assert_int_equal(load_file(s, &a, 1, 10, 1), 0);
	assert_int_equal(st_store_query(s, "CREATE TRIGGER refuse BEFORE INSERT"
	    " ON positions WHEN NEW.mmsi = 999 BEGIN SELECT RAISE(ABORT,"
	    " 'refused by the test'); END", NULL, NULL, zErr, sizeof zErr), ST_OK);
	assert_int_equal(st_store_query(s, "CREATE TRIGGER refuse_report BEFORE"
	    " INSERT ON vessel_reports WHEN NEW.mmsi = 777 BEGIN SELECT"
	    " RAISE(ABORT, 'report refused by the test'); END", NULL, NULL, zErr,
	    sizeof zErr), ST_OK);
	st_source_info b = source("second.nmea", 'b');
	for (int k = 0; k < 2; k++) {
		/* a position refused, then a report */
		assert_int_equal(load_file(s, &b, k ? 2 : 999, 20000, k ? 777 : 3), 1);
		const char *zMsg = st_store_errmsg(s);
		assert_non_null(strstr(zMsg, k ? "vessel_reports" : "positions"));
		assert_non_null(strstr(zMsg, k ? "report refused by the test"
		                               : "refused by the test"));
		assert_int_equal(q_int(s, "SELECT count(*) FROM sources"), 1);
		assert_int_equal(q_int(s, "SELECT count(*) FROM positions"), 10);
		assert_int_equal(q_int(s, "SELECT count(*) FROM vessel_reports"), 1);
		assert_int_equal(q_int(s, "SELECT count(*) FROM rtree_positions_geom"), 10);
	}
	assert_int_equal(st_store_query(s, "DROP TRIGGER refuse; DROP TRIGGER"
	    " refuse_report", NULL, NULL, zErr, sizeof zErr), ST_OK);
	assert_int_equal(load_file(s, &b, 999, 20000, 777), 0);
	assert_int_equal(q_int(s, "SELECT count(*) FROM positions"), 20010);
	assert_int_equal(q_int(s, "SELECT count(*) FROM rtree_positions_geom"), 20010);
	text_row row;
	memset(&row, 0, sizeof row);
	st_store_query(s, "SELECT rtreecheck('rtree_positions_geom')", keep_row,
	               &row, zErr, sizeof zErr);
	assert_string_equal(row.z[0], "ok");
	st_store_close(s);
	unsetenv("ST_STORE_THREADS");
}

static void test_writer_failure(void **state)
{
	writer_failure("2", "fail-threads.gpkg");
	writer_failure("1", "fail-one.gpkg");
}

static void test_not_a_case(void **state)
{
	char zErr[512];
	st_store *s = NULL;
	/* an SQLite file that is not a GeoPackage */
	sqlite3 *db;
	sqlite3_open(path("plain.sqlite"), &db);
	sqlite3_exec(db, "CREATE TABLE t(x)", NULL, NULL, NULL);
	sqlite3_close(db);
	assert_int_equal(st_store_open(&s, path("plain.sqlite"), ST_STORE_CREATE,
	                               zErr, sizeof zErr), ST_ENOTCASE);
	assert_null(s);
	assert_non_null(strstr(zErr, "not a shiptrace case"));
	/* a GeoPackage that is not ours */
	sqlite3_open(path("other.gpkg"), &db);
	sqlite3_exec(db, "PRAGMA application_id = 1196444487; CREATE TABLE"
	             " gpkg_contents(table_name)", NULL, NULL, NULL);
	sqlite3_close(db);
	assert_int_equal(st_store_open(&s, path("other.gpkg"), ST_STORE_CREATE,
	                               zErr, sizeof zErr), ST_ENOTCASE);
	/* a text file */
	FILE *f = fopen(path("text.gpkg"), "w");
	fputs("this is not a database, not even close to one, at all\n", f);
	fclose(f);
	assert_int_equal(st_store_open(&s, path("text.gpkg"), ST_STORE_CREATE,
	                               zErr, sizeof zErr), ST_ENOTCASE);
	/* missing, without create */
	assert_int_equal(st_store_open(&s, path("missing.gpkg"), 0, zErr,
	                               sizeof zErr), ST_ENOTFOUND);
	struct stat st;
	assert_int_not_equal(stat(path("missing.gpkg"), &st), 0);
	/* a directory that does not exist: nothing is left behind */
	assert_int_equal(st_store_open(&s, path("nodir/x.gpkg"), ST_STORE_CREATE,
	                               zErr, sizeof zErr), ST_EIO);
	/* URLs that are not ours */
	assert_int_equal(st_store_open(&s, "http://example.org/x", ST_STORE_CREATE,
	                               zErr, sizeof zErr), ST_EINVAL);
	assert_int_equal(st_store_open(&s, "postgresql://[::1", ST_STORE_CREATE,
	                               zErr, sizeof zErr), ST_EINVAL);
	/* close_discard removes a case that got nothing */
	assert_int_equal(st_store_open(&s, path("empty.gpkg"), ST_STORE_CREATE,
	                               zErr, sizeof zErr), ST_OK);
	st_store_close_discard(s);
	assert_int_not_equal(stat(path("empty.gpkg"), &st), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_point_blob),
		cmocka_unit_test(test_line_blob_and_ewkb),
		cmocka_unit_test(test_time_text),
		cmocka_unit_test(test_generic_tables),
		cmocka_unit_test(test_ingest_and_vessels),
		cmocka_unit_test(test_packed_rtree),
		cmocka_unit_test(test_pack_chunks),
		cmocka_unit_test(test_writer_failure),
		cmocka_unit_test(test_not_a_case),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}

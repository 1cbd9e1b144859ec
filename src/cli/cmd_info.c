/* `shiptrace info CASE`: what a user wants to know first about a case:
 * where it lives, its sources, how many vessels and positions, the time
 * span and the bounding box, and every table with its row count. It only
 * reads: a missing case is an error, never created. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "shiptrace/store.h"

typedef struct row_buf {
	char az[8][128];
	int n;
} row_buf;

static int keep_row(void *ctx, int nCol, const char *const *azVal,
                    const char *const *azCol)
{
	row_buf *b = ctx;
	b->n = nCol < 8 ? nCol : 8;
	for (int i = 0; i < b->n; i++)
		snprintf(b->az[i], sizeof b->az[i], "%s", azVal[i] ? azVal[i] : "");
	return 1;
}

static int print_source(void *ctx, int nCol, const char *const *azVal,
                        const char *const *azCol)
{
	(void)ctx;
	if (nCol < 9)
		return 1;
#define V(i) (azVal[i] ? azVal[i] : "")
	printf("  %3s  %s\n       %s, %s bytes, sha256 %.16s..., ingested %s\n"
	       "       %s lines, %s messages, %s rejected\n",
	       V(0), V(1), V(3), V(2), V(4), V(8), V(5), V(6), V(7));
#undef V
	return 0;
}

static int print_table(void *ctx, const char *zTable, int64_t nRow,
                       int isSpatial)
{
	(void)ctx;
	printf("  %-24s %12lld%s\n", zTable, (long long)nRow,
	       isSpatial ? "  (spatial)" : "");
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: shiptrace info CASE\n"
	           "CASE is a GeoPackage path or a postgresql:// URL.\n");
}

int st_cmd_info(int argc, char **argv)
{
	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		usage(stdout);
		return 0;
	}
	if (argc != 2) {
		usage(stderr);
		return 2;
	}
	char zErr[1024];
	st_store *s = NULL;
	if (st_store_open(&s, argv[1], 0, zErr, sizeof zErr) != ST_OK) {
		fprintf(stderr, "shiptrace info: %s\n", zErr);
		return 2;
	}
	int ret = 0;
	row_buf b;
	int64_t nSource = 0, nVessel = 0, nPos = 0, nRep = 0;
	if (st_store_query_int(s, "SELECT count(*) FROM sources", &nSource) ||
	    st_store_query_int(s, "SELECT count(*) FROM vessels", &nVessel) ||
	    st_store_query_int(s, "SELECT count(*) FROM positions", &nPos) ||
	    st_store_query_int(s, "SELECT count(*) FROM vessel_reports", &nRep)) {
		fprintf(stderr, "shiptrace info: %s\n", st_store_errmsg(s));
		st_store_close(s);
		return 2;
	}
	memset(&b, 0, sizeof b);
	st_store_query(s, "SELECT value FROM meta WHERE key = 'schema_version'",
	               keep_row, &b, zErr, sizeof zErr);
	printf("case        %s (%s, schema %s)\n", st_store_target(s),
	       !strcmp(st_store_backend(s), "gpkg") ? "GeoPackage" : "PostGIS",
	       b.az[0]);
	printf("sources     %lld\n", (long long)nSource);
	if (st_store_query(s,
	        "SELECT id, name, size, format, sha256, lines_read, messages,"
	        " rejected, ingested_at FROM sources ORDER BY id",
	        print_source, NULL, zErr, sizeof zErr) != ST_OK) {
		fprintf(stderr, "shiptrace info: %s\n", zErr);
		ret = 2;
	}
	printf("vessels     %lld\n", (long long)nVessel);
	printf("positions   %lld\n", (long long)nPos);
	printf("reports     %lld static/voyage reports stored\n", (long long)nRep);
	memset(&b, 0, sizeof b);
	if (st_store_query(s, "SELECT min(time), max(time) FROM positions",
	                   keep_row, &b, zErr, sizeof zErr) == ST_OK &&
	    b.az[0][0])
		printf("time span   %s .. %s\n", b.az[0], b.az[1]);
	else
		printf("time span   (no timed positions)\n");
	memset(&b, 0, sizeof b);
	if (st_store_query(s, "SELECT min(lon), max(lon), min(lat), max(lat)"
	                      " FROM positions", keep_row, &b, zErr,
	                   sizeof zErr) == ST_OK &&
	    b.az[0][0])
		printf("bbox        lon %s .. %s, lat %s .. %s\n", b.az[0], b.az[1],
		       b.az[2], b.az[3]);
	else
		printf("bbox        (no positions)\n");
	printf("tables\n");
	if (st_store_tables(s, print_table, NULL) != ST_OK) {
		fprintf(stderr, "shiptrace info: %s\n", st_store_errmsg(s));
		ret = 2;
	}
	st_store_close(s);
	return ret;
}

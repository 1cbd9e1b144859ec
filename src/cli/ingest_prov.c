/* `shiptrace ingest --kind records|places|facilities`: the provenance
 * inputs. Records are read through a MAP.json (--map, or the file's
 * sibling NAME.map.json when present); places and facilities are CSV or
 * GeoJSON. Every rejected line is printed with its file and line. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "ingest.h"
#include "shiptrace/prov_store.h"

int st_ingest_check_records(const char *zPath, const st_ingest_opts *o);
int st_ingest_kind_records(st_store *pCase, const char *zPath, st_source_info *src,
                           const st_ingest_opts *o);
int st_ingest_check_places(const char *zPath, const st_ingest_opts *o);
int st_ingest_kind_places(st_store *pCase, const char *zPath, st_source_info *src,
                          const st_ingest_opts *o);
int st_ingest_check_facilities(const char *zPath, const st_ingest_opts *o);
int st_ingest_kind_facilities(st_store *pCase, const char *zPath,
                              st_source_info *src, const st_ingest_opts *o);

typedef struct rej_ctx {
	int quiet;
	unsigned long long n;
} rej_ctx;

static void on_reject(void *ctx, const char *zFile, uint64_t line, const char *zWhy)
{
	rej_ctx *r = ctx;
	r->n++;
	if (!r->quiet)
		fprintf(stderr, "%s:%llu: %s\n", zFile, (unsigned long long)line, zWhy);
}

/* The map named by --map, or records.map.json beside records.csv. */
static const char *map_path(const char *zPath, const st_ingest_opts *o, char *zBuf,
                            size_t n)
{
	if (o->zMap)
		return o->zMap;
	snprintf(zBuf, n, "%s", zPath);
	char *zDot = strrchr(zBuf, '.');
	char *zSlash = strrchr(zBuf, '/');
	if (zDot && (!zSlash || zDot > zSlash))
		*zDot = 0;
	size_t k = strlen(zBuf);
	snprintf(zBuf + k, n - k, ".map.json");
	return access(zBuf, R_OK) == 0 ? zBuf : NULL;
}

int st_ingest_check_records(const char *zPath, const st_ingest_opts *o)
{
	char zBuf[4096], zErr[1024];
	const char *zMap = map_path(zPath, o, zBuf, sizeof zBuf);
	if (!zMap) {
		fprintf(stderr, "shiptrace ingest: %s: records need a column map: "
		        "--map MAP.json (see docs/provenance.md)\n", zPath);
		return 1;
	}
	st_records_map m;
	if (st_records_map_load(zMap, &m, zErr, sizeof zErr) != ST_OK) {
		fprintf(stderr, "shiptrace ingest: %s\n", zErr);
		return 1;
	}
	return 0;
}

int st_ingest_kind_records(st_store *pCase, const char *zPath, st_source_info *src,
                           const st_ingest_opts *o)
{
	char zBuf[4096], zErr[1024];
	const char *zMap = map_path(zPath, o, zBuf, sizeof zBuf);
	st_records_map m;
	if (!zMap || st_records_map_load(zMap, &m, zErr, sizeof zErr) != ST_OK) {
		fprintf(stderr, "shiptrace ingest: %s: cannot read its map\n", zPath);
		return 1;
	}
	rej_ctx r = {o->quietRejects, 0};
	int64_t id = 0;
	if (st_prov_ingest_records(pCase, zPath, &m, src, on_reject, &r, &id, zErr,
	                           sizeof zErr) != ST_OK) {
		fprintf(stderr, "shiptrace ingest: %s\n", zErr);
		return 1;
	}
	fprintf(stderr, "%s: records (map %s), %llu lines, %llu records, %llu rejected -> source %lld\n",
	        zPath, zMap, (unsigned long long)src->lines_read,
	        (unsigned long long)src->messages, r.n, (long long)id);
	return 0;
}

static int check_places(const char *zPath)
{
	FILE *f = fopen(zPath, "rb");
	if (!f) {
		fprintf(stderr, "shiptrace ingest: %s: cannot open\n", zPath);
		return 1;
	}
	fclose(f);
	return 0;
}

static int ingest_places(st_store *pCase, const char *zPath, st_source_info *src,
                         const st_ingest_opts *o, int isFacilities)
{
	char zErr[1024];
	rej_ctx r = {o->quietRejects, 0};
	int64_t id = 0;
	if (st_prov_ingest_places(pCase, zPath, isFacilities, src, on_reject, &r, &id,
	                          zErr, sizeof zErr) != ST_OK) {
		fprintf(stderr, "shiptrace ingest: %s\n", zErr);
		return 1;
	}
	fprintf(stderr, "%s: %s, %llu %s, %llu rejected -> source %lld\n", zPath,
	        src->zFormat, (unsigned long long)src->messages,
	        isFacilities ? "facilities" : "places", r.n, (long long)id);
	return 0;
}

int st_ingest_check_places(const char *zPath, const st_ingest_opts *o)
{
	(void)o;
	return check_places(zPath);
}

int st_ingest_kind_places(st_store *pCase, const char *zPath, st_source_info *src,
                          const st_ingest_opts *o)
{
	return ingest_places(pCase, zPath, src, o, 0);
}

int st_ingest_check_facilities(const char *zPath, const st_ingest_opts *o)
{
	(void)o;
	return check_places(zPath);
}

int st_ingest_kind_facilities(st_store *pCase, const char *zPath,
                              st_source_info *src, const st_ingest_opts *o)
{
	return ingest_places(pCase, zPath, src, o, 1);
}

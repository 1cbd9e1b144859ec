/* `shiptrace ingest CASE --kind list FILE [--map M] [--list-name N]`: a
 * sanctions list (OFAC SDN legacy CSV, any CSV through a mapping, or
 * FollowTheMoney JSON lines) into the case's list tables. The file, its
 * `sources` row and its entries go in as one transaction; rows that cannot
 * be read are printed with file and line and counted in `sources`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cli.h"
#include "ingest.h"
#include "shiptrace/sanctions.h"
#include "shiptrace/store.h"
#include "shiptrace/time.h"

int st_ingest_check_list(const char *zPath, const st_ingest_opts *o);
int st_ingest_kind_list(st_store *pCase, const char *zPath, st_source_info *src,
                        const st_ingest_opts *o);

static void on_reject(void *ctx, const char *zFile, uint64_t line, const char *zWhy)
{
	const st_ingest_opts *o = ctx;
	if (!o->quietRejects)
		fprintf(stderr, "%s:%llu: %s\n", zFile, (unsigned long long)line, zWhy);
}

static void quiet(void *ctx, const char *zFile, uint64_t line, const char *zWhy)
{
	(void)ctx, (void)zFile, (void)line, (void)zWhy;
}

static st_status load(const char *zPath, const st_ingest_opts *o, int loud,
                      st_lists **pp, st_list_stats *pStats, char *zErr, size_t nErr)
{
	st_list_opts lo = {0};
	lo.zMap = o->zMap;
	lo.zListName = o->zListName;
	lo.xReject = loud ? on_reject : quiet;
	lo.pRejectCtx = (void *)o;
	if (o->zInputFormat) {
		if (!strcmp(o->zInputFormat, "ofac"))
			lo.format = ST_LIST_OFAC;
		else if (!strcmp(o->zInputFormat, "csv"))
			lo.format = ST_LIST_CSV;
		else if (!strcmp(o->zInputFormat, "ftm"))
			lo.format = ST_LIST_FTM;
		else {
			snprintf(zErr, nErr, "--input-format for lists: ofac, csv or ftm");
			return ST_EINVAL;
		}
	}
	st_status rc = st_lists_new(pp);
	if (rc == ST_OK)
		rc = st_lists_load(*pp, zPath, &lo, pStats, zErr, nErr);
	if (rc != ST_OK) {
		st_lists_free(*pp);
		*pp = NULL;
	}
	return rc;
}

int st_ingest_check_list(const char *zPath, const st_ingest_opts *o)
{
	st_lists *p;
	st_list_stats s;
	char zErr[512] = "";
	/* Read it all now, quietly: a mapping that names a missing column or an
	 * unreadable file must fail before the case is touched. */
	if (load(zPath, o, 0, &p, &s, zErr, sizeof zErr) != ST_OK) {
		fprintf(stderr, "shiptrace ingest: %s\n", zErr);
		return 1;
	}
	st_lists_free(p);
	return 0;
}

/* The `sources` columns in the store's own order (docs/store.md), so the
 * row is written inside this file's transaction with the list rows. */
static st_status add_source(st_store *pCase, const st_source_info *src,
                            int64_t *pId)
{
	static st_column aCol[8 + ST_REJ_COUNT + 1];
	static st_table_def def = {"sources", "input files", aCol, 0, ST_GEOM_NONE};
	static const char *const azFirst[8] = {"name", "kind", "size", "sha256",
	                                       "format", "lines_read", "messages",
	                                       "rejected"};
	static const st_coltype aType[8] = {ST_COL_TEXT, ST_COL_TEXT, ST_COL_INT,
	                                    ST_COL_TEXT, ST_COL_TEXT, ST_COL_INT,
	                                    ST_COL_INT, ST_COL_INT};
	int n = 0;
	for (; n < 8; n++)
		aCol[n] = (st_column){azFirst[n], aType[n]};
	for (int i = 0; i < ST_REJ_COUNT; i++)
		aCol[n++] = (st_column){st_store_reject_column((st_reject)i), ST_COL_INT};
	aCol[n++] = (st_column){"ingested_at", ST_COL_TIME};
	def.nCol = n;
	st_value v[8 + ST_REJ_COUNT + 1];
	memset(v, 0, sizeof v);
	uint64_t nRej = 0;
	for (int i = 0; i < ST_REJ_COUNT; i++)
		nRej += src->rejected[i];
	v[0].z = src->zName;
	v[1].z = src->zKind;
	v[2].i = (int64_t)src->size;
	v[3].z = src->sha256;
	v[4].z = src->zFormat;
	v[5].i = (int64_t)src->lines_read;
	v[6].i = (int64_t)src->messages;
	v[7].i = (int64_t)nRej;
	for (int i = 0; i < ST_REJ_COUNT; i++)
		v[8 + i].i = (int64_t)src->rejected[i];
	struct timespec ts;
	timespec_get(&ts, TIME_UTC);
	v[8 + ST_REJ_COUNT].t = (st_time_ms)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	return st_store_insert(pCase, &def, v, NULL, pId);
}

int st_ingest_kind_list(st_store *pCase, const char *zPath, st_source_info *src,
                        const st_ingest_opts *o)
{
	st_lists *p;
	st_list_stats s;
	char zErr[1024] = "";
	if (load(zPath, o, 1, &p, &s, zErr, sizeof zErr) != ST_OK) {
		fprintf(stderr, "shiptrace ingest: %s\n", zErr);
		return 1;
	}
	src->zFormat = st_list_format_name(s.format);
	src->lines_read = s.nLine;
	src->messages = s.nEntry;
	/* List rows have one way to fail, so they are counted as malformed. */
	src->rejected[ST_REJ_MALFORMED] = s.nRejected;
	int createFlags = 0;
	int64_t sourceId = 0;
	st_status rc = st_lists_store_prepare(pCase, &createFlags);
	if (rc == ST_OK)
		rc = st_store_begin(pCase);
	if (rc == ST_OK) {
		rc = add_source(pCase, src, &sourceId);
		if (rc != ST_OK)
			snprintf(zErr, sizeof zErr, "%s", st_store_errmsg(pCase));
		if (rc == ST_OK)
			rc = st_lists_store_write(pCase, p, createFlags, sourceId, zErr, sizeof zErr);
		if (rc == ST_OK)
			rc = st_store_commit(pCase);
		else
			st_store_rollback(pCase);
	}
	if (rc != ST_OK) {
		fprintf(stderr, "shiptrace ingest: %s: %s\n", zPath,
		        *zErr ? zErr : st_store_errmsg(pCase));
		st_lists_free(p);
		return 1;
	}
	fprintf(stderr, "%s: %s, %llu lines: %llu entries (%llu vessels), "
	        "%llu links (%llu to parties named only), %llu rows rejected, "
	        "%llu IMO numbers failing their check digit, %llu MMSIs of the "
	        "wrong length, %llu not a ship's -> source %lld\n",
	        zPath, st_list_format_name(s.format), (unsigned long long)s.nLine,
	        (unsigned long long)s.nEntry, (unsigned long long)s.nVessel,
	        (unsigned long long)s.nLink, (unsigned long long)s.nLinkUnresolved,
	        (unsigned long long)s.nRejected, (unsigned long long)s.nBadImo,
	        (unsigned long long)s.nBadMmsi, (unsigned long long)s.nOddMmsi,
	        (long long)sourceId);
	st_lists_free(p);
	return 0;
}

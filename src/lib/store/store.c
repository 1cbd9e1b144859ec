/* The backend-neutral front of the case store: it picks the backend from
 * the target (a path or a postgresql:// URL), owns the core schema that
 * both backends create, runs one file's ingest as one transaction, and
 * keeps the per-vessel summaries of an ingest in a hash table so that
 * `vessels` is merged from what the file added instead of being recomputed
 * from every position of the case. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <math.h>
#include <cjson/cJSON.h>
#include "shiptrace/time.h"
#include "store/store_int.h"

#ifndef ST_VERSION
#define ST_VERSION "0"
#endif

#define COLS(a) a, (int)(sizeof a / sizeof a[0])

static const st_column aMetaCol[] = {
	{"key", ST_COL_TEXT}, {"value", ST_COL_TEXT},
};
const st_table_def st__tab_meta = {
	"meta", "shiptrace case: application and schema version", COLS(aMetaCol),
	ST_GEOM_NONE};

static const st_column aSourceCol[] = {
	{"name", ST_COL_TEXT}, {"kind", ST_COL_TEXT}, {"size", ST_COL_INT},
	{"sha256", ST_COL_TEXT}, {"format", ST_COL_TEXT},
	{"lines_read", ST_COL_INT}, {"messages", ST_COL_INT},
	{"rejected", ST_COL_INT},
	{"rejected_bad_checksum", ST_COL_INT}, {"rejected_malformed", ST_COL_INT},
	{"rejected_orphan", ST_COL_INT}, {"rejected_stale", ST_COL_INT},
	{"rejected_not_ais", ST_COL_INT}, {"rejected_unparseable", ST_COL_INT},
	{"rejected_too_long", ST_COL_INT},
	{"ingested_at", ST_COL_TIME},
};
const st_table_def st__tab_sources = {
	"sources", "input files: size, SHA-256, format, lines read and rejected",
	COLS(aSourceCol), ST_GEOM_NONE};

/* Same order as st_reject. */
static const char *const azRejectCol[ST_REJ_COUNT] = {
	"rejected_bad_checksum", "rejected_malformed", "rejected_orphan",
	"rejected_stale", "rejected_not_ais", "rejected_unparseable",
	"rejected_too_long",
};

static const st_column aPosCol[] = {
	{"mmsi", ST_COL_INT}, {"time", ST_COL_TIME}, {"lat", ST_COL_REAL},
	{"lon", ST_COL_REAL}, {"sog", ST_COL_REAL}, {"cog", ST_COL_REAL},
	{"heading", ST_COL_INT}, {"nav_status", ST_COL_INT},
	{"msg_type", ST_COL_INT}, {"source_id", ST_COL_INT},
};
const st_table_def st__tab_positions = {
	"positions", "AIS position reports (EPSG:4326)", COLS(aPosCol),
	ST_GEOM_POINT};

static const st_column aRepCol[] = {
	{"mmsi", ST_COL_INT}, {"time", ST_COL_TIME}, {"imo", ST_COL_INT},
	{"name", ST_COL_TEXT}, {"callsign", ST_COL_TEXT},
	{"ship_type", ST_COL_INT}, {"to_bow", ST_COL_INT},
	{"to_stern", ST_COL_INT}, {"to_port", ST_COL_INT},
	{"to_starboard", ST_COL_INT}, {"draught", ST_COL_REAL},
	{"destination", ST_COL_TEXT}, {"eta", ST_COL_TEXT},
	{"msg_type", ST_COL_INT}, {"source_id", ST_COL_INT},
};
const st_table_def st__tab_vessel_reports = {
	"vessel_reports", "AIS static and voyage reports as reported over time",
	COLS(aRepCol), ST_GEOM_NONE};

static const st_column aVesCol[] = {
	{"mmsi", ST_COL_INT}, {"imo", ST_COL_INT}, {"name", ST_COL_TEXT},
	{"callsign", ST_COL_TEXT}, {"ship_type", ST_COL_INT},
	{"length", ST_COL_INT}, {"width", ST_COL_INT},
	{"first_seen", ST_COL_TIME}, {"last_seen", ST_COL_TIME},
	{"last_report", ST_COL_TIME},
	{"n_positions", ST_COL_INT}, {"n_reports", ST_COL_INT},
};
const st_table_def st__tab_vessels = {
	"vessels", "one row per MMSI: latest identity, first/last seen, counts",
	COLS(aVesCol), ST_GEOM_NONE};

static const st_column aRunCol[] = {
	{"stage", ST_COL_TEXT}, {"started", ST_COL_TIME},
	{"finished", ST_COL_TIME}, {"parameters", ST_COL_TEXT},
	{"inputs", ST_COL_TEXT}, {"version", ST_COL_TEXT},
};
const st_table_def st__tab_runs = {
	"runs", "analysis runs: stage, parameters and inputs (JSON), version",
	COLS(aRunCol), ST_GEOM_NONE};

#define NEWER "(excluded.last_report IS NOT NULL AND (vessels.last_report IS " \
	"NULL OR excluded.last_report >= vessels.last_report))"
#define TAKE(c) c " = CASE WHEN excluded." c " IS NOT NULL AND (" NEWER     \
	" OR vessels." c " IS NULL) THEN excluded." c " ELSE vessels." c " END, "
const char st__vessel_merge_sql[] =
	"n_positions = vessels.n_positions + excluded.n_positions, "
	"n_reports = vessels.n_reports + excluded.n_reports, "
	"first_seen = CASE WHEN vessels.first_seen IS NULL OR "
	"excluded.first_seen < vessels.first_seen THEN excluded.first_seen "
	"ELSE vessels.first_seen END, "
	"last_seen = CASE WHEN vessels.last_seen IS NULL OR "
	"excluded.last_seen > vessels.last_seen THEN excluded.last_seen "
	"ELSE vessels.last_seen END, "
	TAKE("imo") TAKE("name") TAKE("callsign") TAKE("ship_type")
	TAKE("length") TAKE("width")
	"last_report = CASE WHEN " NEWER " THEN excluded.last_report "
	"ELSE vessels.last_report END";
#undef TAKE
#undef NEWER

size_t st__eta_text(const st_static_report *r, char *buf, size_t n)
{
	if (r->eta_month < 1 || r->eta_month > 12 || r->eta_day < 1 ||
	    r->eta_day > 31)
		return 0;
	int len;
	if (r->eta_hour >= 0 && r->eta_hour < 24 && r->eta_minute >= 0 &&
	    r->eta_minute < 60)
		len = snprintf(buf, n, "--%02d-%02dT%02d:%02d", r->eta_month,
		               r->eta_day, r->eta_hour, r->eta_minute);
	else
		len = snprintf(buf, n, "--%02d-%02d", r->eta_month, r->eta_day);
	return len > 0 && (size_t)len < n ? (size_t)len : 0;
}

const char *st_store_reject_column(st_reject r)
{
	return (unsigned)r < ST_REJ_COUNT ? azRejectCol[r] : "rejected_other";
}

st_status st__store_err(st_store *s, st_status rc, const char *zFmt, ...)
{
	va_list ap;
	va_start(ap, zFmt);
	vsnprintf(s->zErr, sizeof s->zErr, zFmt, ap);
	va_end(ap);
	return rc;
}

static st_time_ms now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (st_time_ms)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* CPU seconds of the process so far (user + system), for the timing line:
 * on a shared machine wall time says little about the ingest's own work. */
static double cpu(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

st_status st__store_create_schema(st_store *s)
{
	static const st_table_def *const apDef[] = {
		&st__tab_meta, &st__tab_sources, &st__tab_positions,
		&st__tab_vessel_reports, &st__tab_vessels, &st__tab_runs,
	};
	st_status rc = ST_OK;
	for (size_t i = 0; rc == ST_OK && i < sizeof apDef / sizeof apDef[0]; i++)
		rc = st_store_create_table(s, apDef[i]);
	if (rc == ST_OK)
		rc = st_store_create_index(s, "meta_key", "meta", "key", 1);
	if (rc == ST_OK)
		rc = st_store_create_index(s, "sources_sha256", "sources", "sha256", 1);
	if (rc == ST_OK)
		rc = st_store_create_index(s, "vessels_mmsi", "vessels", "mmsi", 1);
	if (rc == ST_OK)
		rc = st_store_create_index(s, "vessel_reports_mmsi_time",
		                           "vessel_reports", "mmsi, time", 0);
	char zVer[16];
	snprintf(zVer, sizeof zVer, "%d", ST_SCHEMA_VERSION);
	char zNow[32];
	st__time_iso(now_ms(), zNow);
	const char *aKV[][2] = {
		{"application", "shiptrace"},
		{"schema_version", zVer},
		{"created_by", "shiptrace " ST_VERSION},
		{"created_at", zNow},
	};
	for (size_t i = 0; rc == ST_OK && i < sizeof aKV / sizeof aKV[0]; i++) {
		st_value v[2] = {{.z = aKV[i][0]}, {.z = aKV[i][1]}};
		rc = st_store_insert(s, &st__tab_meta, v, NULL, NULL);
	}
	return rc;
}

st_status st_store_open(st_store **ppStore, const char *zTarget, int flags,
                        char *zErr, size_t nErr)
{
	*ppStore = NULL;
	if (!zTarget || !*zTarget) {
		snprintf(zErr, nErr, "no case given");
		return ST_EINVAL;
	}
	if (!strncmp(zTarget, "postgresql://", 13) ||
	    !strncmp(zTarget, "postgres://", 11))
		return st__pg_open(ppStore, zTarget, flags, zErr, nErr);
	if (strstr(zTarget, "://")) {
		snprintf(zErr, nErr, "%s: unsupported URL (a case is a .gpkg path "
		         "or a postgresql:// URL)", zTarget);
		return ST_EINVAL;
	}
	return st__gpkg_open(ppStore, zTarget, flags, zErr, nErr);
}

static void free_vagg(st_store *s)
{
	for (size_t i = 0; i < s->nVSlot; i++)
		for (int k = 0; k < 4; k++)
			if (s->aV[i].pId)
				free(s->aV[i].pId->aLast[k]);
	for (size_t i = 0; i < s->nVSlot; i++)
		free(s->aV[i].pId);
	free(s->aV);
	s->aV = NULL;
	s->pVLast = NULL;
	s->nVSlot = s->nV = 0;
	memset(s->aVq, 0, sizeof s->aVq);
	s->iVq = 0;
}

void st_store_close(st_store *s)
{
	if (!s)
		return;
	if (s->inIngest)
		st_store_ingest_abort(s);
	else if (s->inTxn)
		st_store_rollback(s);
	s->pMethods->xClose(s);
	free_vagg(s);
	free(s->zPath);
	free(s);
}

void st_store_close_discard(st_store *s)
{
	if (!s)
		return;
	char *zPath = NULL;
	if (s->created && s->nCommit == 0 && s->zPath) {
		zPath = s->zPath;
		s->zPath = NULL;
	}
	st_store_close(s);
	if (zPath) {
		remove(zPath);
		free(zPath);
	}
}

const char *st_store_backend(const st_store *s)
{
	return s->pMethods->zName;
}

const char *st_store_target(const st_store *s)
{
	return s->pMethods->xTarget(s);
}

int st_store_was_created(const st_store *s)
{
	return s->created;
}

const char *st_store_errmsg(const st_store *s)
{
	return s ? s->zErr : "";
}

st_status st_store_begin(st_store *s)
{
	if (s->inTxn)
		return st__store_err(s, ST_EINVAL, "a transaction is already open");
	st_status rc = s->pMethods->xExec(s, "BEGIN");
	if (rc == ST_OK)
		s->inTxn = 1;
	return rc;
}

st_status st_store_commit(st_store *s)
{
	if (!s->inTxn)
		return st__store_err(s, ST_EINVAL, "no transaction is open");
	st_status rc = s->pMethods->xExec(s, "COMMIT");
	s->inTxn = 0;
	if (rc == ST_OK)
		s->nCommit++;
	else
		s->pMethods->xExec(s, "ROLLBACK");
	return rc;
}

st_status st_store_rollback(st_store *s)
{
	if (!s->inTxn)
		return ST_OK;
	s->inTxn = 0;
	return s->pMethods->xExec(s, "ROLLBACK");
}

int st__store_valid_name(const char *z)
{
	if (!z || !*z || strlen(z) > 48)
		return 0;
	for (; *z; z++)
		if (!((*z >= 'a' && *z <= 'z') || (*z >= '0' && *z <= '9') || *z == '_'))
			return 0;
	return 1;
}

/* Names are checked here, once for both backends: they go into SQL text. */
st_status st_store_create_table(st_store *s, const st_table_def *def)
{
	if (!def || !def->zName || def->nCol < 0 || (def->nCol && !def->aCol))
		return st__store_err(s, ST_EINVAL, "bad table definition");
	if (!st__store_valid_name(def->zName))
		return st__store_err(s, ST_EINVAL, "bad table name '%s'", def->zName);
	for (int i = 0; i < def->nCol; i++)
		if (!st__store_valid_name(def->aCol[i].zName) ||
		    !strcmp(def->aCol[i].zName, "id") || !strcmp(def->aCol[i].zName, "geom"))
			return st__store_err(s, ST_EINVAL, "%s: bad column name '%s'", def->zName,
			                     def->aCol[i].zName ? def->aCol[i].zName : "");
	return s->pMethods->xCreateTable(s, def);
}

st_status st_store_create_index(st_store *s, const char *zName,
                                const char *zTable, const char *zCols,
                                int isUnique)
{
	if (!st__store_valid_name(zName) || !st__store_valid_name(zTable) || !zCols || !*zCols)
		return st__store_err(s, ST_EINVAL, "bad index or table name");
	for (const char *p = zCols; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' ||
		      *p == ',' || *p == ' '))
			return st__store_err(s, ST_EINVAL, "bad index columns '%s'", zCols);
	return s->pMethods->xCreateIndex(s, zName, zTable, zCols, isUnique);
}

st_status st_store_insert(st_store *s, const st_table_def *def,
                          const st_value *aVal, const st_geom *pGeom,
                          int64_t *pId)
{
	if (pGeom && def->geom == ST_GEOM_NONE)
		return st__store_err(s, ST_EINVAL, "%s has no geometry column",
		                     def->zName);
	if (pGeom && (pGeom->type != def->geom || pGeom->nPoint < 1 ||
	              (pGeom->type == ST_GEOM_POINT && pGeom->nPoint != 1) ||
	              (pGeom->type == ST_GEOM_LINESTRING && pGeom->nPoint < 2)))
		return st__store_err(s, ST_EINVAL, "%s: geometry of the wrong type "
		                     "or size", def->zName);
	return s->pMethods->xInsert(s, def, aVal, pGeom, pId);
}

st_status st_store_update_extent(st_store *s, const char *zTable)
{
	return s->pMethods->xUpdateExtent(s, zTable);
}

st_status st_store_query(st_store *s, const char *zSql, st_row_fn xRow,
                         void *ctx, char *zErr, size_t nErr)
{
	st_status rc = s->pMethods->xQuery(s, zSql, xRow, ctx, zErr, nErr);
	if (rc != ST_OK && zErr && nErr && !*zErr) {
		size_t n = strnlen(s->zErr, nErr - 1);
		memcpy(zErr, s->zErr, n);
		zErr[n] = 0;
	}
	return rc;
}

static int one_int(void *ctx, int nCol, const char *const *azVal,
                   const char *const *azCol)
{
	int64_t *p = ctx;
	*p = nCol > 0 && azVal[0] ? strtoll(azVal[0], NULL, 10) : 0;
	return 1;
}

st_status st_store_query_int(st_store *s, const char *zSql, int64_t *pOut)
{
	*pOut = 0;
	char zErr[256] = "";
	return st_store_query(s, zSql, one_int, pOut, zErr, sizeof zErr);
}

st_status st_store_read_positions(st_store *s, st_position_fn xPos, void *ctx,
                                  char *zErr, size_t nErr)
{
	return s->pMethods->xReadPositions(s, xPos, ctx, zErr, nErr);
}

st_status st_store_tables(st_store *s, st_table_fn xTable, void *ctx)
{
	return s->pMethods->xTables(s, xTable, ctx);
}

/* ---- ingest ------------------------------------------------------------ */

static uint32_t hash_mmsi(uint32_t m)
{
	m ^= m >> 16;
	m *= 0x7feb352dU;
	m ^= m >> 15;
	m *= 0x846ca68bU;
	m ^= m >> 16;
	return m;
}

const st__vident st__vident_none = {ST_TIME_NONE, 0, "", "", -1, -1, -1,
                                    {NULL, NULL, NULL, NULL}};

static void vagg_init(st__vagg *v, uint32_t mmsi)
{
	memset(v, 0, sizeof *v);
	v->mmsi = mmsi;
	v->first = v->last = ST_TIME_NONE;
}

/* Finds or adds the vessel's slot; NULL when out of memory. */
static st__vagg *vagg_get(st_store *s, uint32_t mmsi)
{
	if (mmsi == 0)
		mmsi = 0xffffffffu; /* 0 marks an empty slot; no real MMSI is this */
	if (s->pVLast && s->pVLast->mmsi == mmsi)
		return s->pVLast;
	if (s->nV * 4 >= s->nVSlot * 3) {  /* grow at 3/4 full */
		size_t nNew = s->nVSlot ? s->nVSlot * 2 : 1024;
		st__vagg *aNew = calloc(nNew, sizeof *aNew);
		if (!aNew)
			return NULL;
		for (size_t i = 0; i < s->nVSlot; i++) {
			if (!s->aV[i].mmsi)
				continue;
			size_t j = hash_mmsi(s->aV[i].mmsi) & (nNew - 1);
			while (aNew[j].mmsi)
				j = (j + 1) & (nNew - 1);
			aNew[j] = s->aV[i];
		}
		free(s->aV);
		s->aV = aNew;
		s->nVSlot = nNew;
		s->pVLast = NULL;
	}
	size_t j = hash_mmsi(mmsi) & (s->nVSlot - 1);
	while (s->aV[j].mmsi && s->aV[j].mmsi != mmsi)
		j = (j + 1) & (s->nVSlot - 1);
	if (!s->aV[j].mmsi) {
		vagg_init(&s->aV[j], mmsi);
		s->nV++;
	}
	s->pVLast = &s->aV[j];
	return s->pVLast;
}

static void seen(st__vagg *v, st_time_ms t)
{
	if (t == ST_TIME_NONE)
		return;
	if (v->first == ST_TIME_NONE || t < v->first)
		v->first = t;
	if (v->last == ST_TIME_NONE || t > v->last)
		v->last = t;
}

/* 64 lower-case hex digits. */
static int is_sha256(const char *z)
{
	size_t n = 0;
	for (; z[n]; n++)
		if (!((z[n] >= '0' && z[n] <= '9') || (z[n] >= 'a' && z[n] <= 'f')))
			return 0;
	return n == 64;
}

st_status st_store_find_source(st_store *s, const char *zSha256, int64_t *pId)
{
	char zSql[160];
	*pId = 0;
	if (!is_sha256(zSha256))
		return st__store_err(s, ST_EINVAL, "bad SHA-256 '%s'", zSha256);
	snprintf(zSql, sizeof zSql, "SELECT id FROM sources WHERE sha256 = '%.64s'",
	         zSha256);
	int64_t id = 0;
	st_status rc = st_store_query_int(s, zSql, &id);
	if (rc != ST_OK)
		return rc;
	*pId = id;
	return id ? ST_OK : ST_ENOTFOUND;
}

static void source_values(const st_source_info *src, st_value *v,
                          st_time_ms now)
{
	memset(v, 0, sizeof(st_value) * 16);
	uint64_t nRej = 0;
	for (int i = 0; i < ST_REJ_COUNT; i++)
		nRej += src->rejected[i];
	v[0].z = src->zName ? src->zName : "";
	v[1].z = src->zKind ? src->zKind : "ais";
	v[2].i = (int64_t)src->size;
	v[3].z = src->sha256;
	v[3].isNull = !src->sha256[0];  /* given at the end (ingest_end) */
	v[4].z = src->zFormat ? src->zFormat : "unknown";
	v[5].i = (int64_t)src->lines_read;
	v[6].i = (int64_t)src->messages;
	v[7].i = (int64_t)nRej;
	for (int i = 0; i < ST_REJ_COUNT; i++)
		v[8 + i].i = (int64_t)src->rejected[i];
	v[15].t = now;
}

st_status st_store_ingest_begin(st_store *s, const st_source_info *src,
                                int64_t *pSourceId)
{
	if (s->inIngest || s->inTxn)
		return st__store_err(s, ST_EINVAL, "an ingest or transaction is "
		                     "already open");
	memset(&s->stats, 0, sizeof s->stats);
	free_vagg(s);
	s->sizeHint = src->size;
	st_status rc = st_store_begin(s);
	if (rc != ST_OK)
		return rc;
	st_value v[16];
	source_values(src, v, now_ms());
	rc = st_store_insert(s, &st__tab_sources, v, NULL, &s->sourceId);
	if (rc == ST_OK)
		rc = s->pMethods->xBulkBegin(s, s->sourceId);
	if (rc != ST_OK) {
		st_store_rollback(s);
		return rc;
	}
	s->inIngest = 1;
	s->tBegin = mono();
	s->cBegin = cpu();
	if (pSourceId)
		*pSourceId = s->sourceId;
	return ST_OK;
}

/* The vessel summaries are a hash table much larger than the cache, so
 * finding a vessel's is a cache miss nearly every time. A position's update
 * (a count, the first and last time) therefore waits ST__VQ_N positions
 * while a prefetch brings its slot in; the updates commute, so the order
 * they are made in changes nothing. The waiting ones are made before the
 * summaries are read (vq_flush). */
static int vq_apply(st_store *s, int i)
{
	if (!s->aVq[i].mmsi)
		return 0;
	st__vagg *v = vagg_get(s, s->aVq[i].mmsi);
	if (!v)
		return 1;
	v->nPos++;
	seen(v, s->aVq[i].t);
	s->aVq[i].mmsi = 0;
	return 0;
}

static st_status vq_flush(st_store *s)
{
	for (int i = 0; i < ST__VQ_N; i++)
		if (vq_apply(s, i))
			return st__store_err(s, ST_ENOMEM, "out of memory");
	return ST_OK;
}

st_status st_store_ingest_position(st_store *s, const st_position *p)
{
	int i = s->iVq;
	if (vq_apply(s, i))
		return st__store_err(s, ST_ENOMEM, "out of memory");
	/* as vagg_get keeps it: 0 marks an empty slot */
	uint32_t mmsi = p->mmsi ? p->mmsi : 0xffffffffu;
	s->aVq[i].mmsi = mmsi;
	s->aVq[i].t = p->t;
	s->iVq = (i + 1) % ST__VQ_N;
	if (s->nVSlot)
		__builtin_prefetch(&s->aV[hash_mmsi(mmsi) & (s->nVSlot - 1)], 1);
	st_status rc = s->pMethods->xPosition(s, p);
	if (rc == ST_OK)
		s->stats.positions++;
	return rc;
}

static int report_slot(const st_static_report *r)
{
	if (r->msg_type == 19)
		return 1;
	if (r->msg_type == 24)
		return r->part == 1 ? 3 : 2;
	return 0;
}

static int same_report(const st_static_report *a, const st_static_report *b)
{
	/* field by field: the struct has padding, and NAN != NAN */
	int sameDraught = (isnan(a->draught) && isnan(b->draught)) ||
	                  a->draught == b->draught;
	return sameDraught && a->imo == b->imo && a->ship_type == b->ship_type &&
	       a->to_bow == b->to_bow && a->to_stern == b->to_stern &&
	       a->to_port == b->to_port && a->to_starboard == b->to_starboard &&
	       a->eta_month == b->eta_month && a->eta_day == b->eta_day &&
	       a->eta_hour == b->eta_hour && a->eta_minute == b->eta_minute &&
	       a->msg_type == b->msg_type && a->part == b->part &&
	       !strncmp(a->name, b->name, sizeof a->name) &&
	       !strncmp(a->callsign, b->callsign, sizeof a->callsign) &&
	       !strncmp(a->destination, b->destination, sizeof a->destination);
}

static void take_identity(st__vident *v, const st_static_report *r)
{
	/* Reports of one file are not always in time order (several
	 * receivers); the latest report wins field by field. */
	if (v->tReport != ST_TIME_NONE && r->t != ST_TIME_NONE && r->t < v->tReport)
		return;
	if (r->t != ST_TIME_NONE)
		v->tReport = r->t;
	if (r->imo)
		v->imo = r->imo;
	if (r->name[0])
		memcpy(v->name, r->name, sizeof v->name);
	if (r->callsign[0])
		memcpy(v->callsign, r->callsign, sizeof v->callsign);
	if (r->ship_type >= 0)
		v->ship_type = r->ship_type;
	if (r->to_bow >= 0 && r->to_stern >= 0 && r->to_bow + r->to_stern > 0)
		v->length = r->to_bow + r->to_stern;
	if (r->to_port >= 0 && r->to_starboard >= 0 &&
	    r->to_port + r->to_starboard > 0)
		v->width = r->to_port + r->to_starboard;
}

st_status st_store_ingest_static(st_store *s, const st_static_report *r)
{
	st__vagg *v = vagg_get(s, r->mmsi);
	if (!v)
		return st__store_err(s, ST_ENOMEM, "out of memory");
	if (!v->pId) {
		if (!(v->pId = malloc(sizeof *v->pId)))
			return st__store_err(s, ST_ENOMEM, "out of memory");
		*v->pId = st__vident_none;
	}
	st__vident *id = v->pId;
	v->nRep++;
	s->stats.reports++;
	seen(v, r->t);
	take_identity(id, r);
	int k = report_slot(r);
	if (id->aLast[k] && same_report(id->aLast[k], r))
		return ST_OK;
	if (!id->aLast[k] && !(id->aLast[k] = malloc(sizeof *r)))
		return st__store_err(s, ST_ENOMEM, "out of memory");
	*id->aLast[k] = *r;
	st_status rc = s->pMethods->xStatic(s, r);
	if (rc == ST_OK)
		s->stats.reports_stored++;
	return rc;
}

st_status st_store_ingest_record(st_store *s, const st_record *rec)
{
	if (rec->kind == ST_REC_POSITION)
		return st_store_ingest_position(s, &rec->pos);
	if (rec->kind == ST_REC_STATIC)
		return st_store_ingest_static(s, &rec->stat);
	return ST_OK;
}

static int cmp_vagg(const void *a, const void *b)
{
	const st__vagg *x = *(st__vagg *const *)a, *y = *(st__vagg *const *)b;
	return x->mmsi < y->mmsi ? -1 : x->mmsi > y->mmsi;
}

st_status st_store_ingest_end(st_store *s, const st_source_info *src)
{
	if (!s->inIngest)
		return st__store_err(s, ST_EINVAL, "no ingest is open");
	double t0 = mono(), c0 = cpu();
	st_status rc = vq_flush(s);
	if (rc == ST_OK)
		rc = s->pMethods->xBulkEnd(s);
	double t1 = mono(), c1 = cpu();
	if (rc == ST_OK && s->nV) {
		st__vagg **ap = malloc(s->nV * sizeof *ap);
		if (!ap) {
			rc = st__store_err(s, ST_ENOMEM, "out of memory");
		} else {
			size_t n = 0;
			for (size_t i = 0; i < s->nVSlot; i++)
				if (s->aV[i].mmsi)
					ap[n++] = &s->aV[i];
			qsort(ap, n, sizeof *ap, cmp_vagg);
			rc = s->pMethods->xMergeVessels(s, ap, n);
			free(ap);
		}
	}
	s->stats.vessels = s->nV;
	if (rc == ST_OK) {
		char zSql[1024];
		uint64_t nRej = 0;
		for (int i = 0; i < ST_REJ_COUNT; i++)
			nRej += src->rejected[i];
		int n = snprintf(zSql, sizeof zSql,
		    "UPDATE sources SET format = '%s', lines_read = %llu, "
		    "messages = %llu, rejected = %llu",
		    src->zFormat && !strchr(src->zFormat, '\'') ? src->zFormat
		                                                : "unknown",
		    (unsigned long long)src->lines_read,
		    (unsigned long long)src->messages, (unsigned long long)nRej);
		for (int i = 0; i < ST_REJ_COUNT; i++)
			n += snprintf(zSql + n, sizeof zSql - (size_t)n, ", %s = %llu",
			              azRejectCol[i],
			              (unsigned long long)src->rejected[i]);
		if (is_sha256(src->sha256))
			n += snprintf(zSql + n, sizeof zSql - (size_t)n,
			              ", sha256 = '%s'", src->sha256);
		snprintf(zSql + n, sizeof zSql - (size_t)n, " WHERE id = %lld",
		         (long long)s->sourceId);
		char zErr[256] = "";
		rc = st_store_query(s, zSql, NULL, NULL, zErr, sizeof zErr);
	}
	s->inIngest = 0;
	double t2 = mono(), c2 = cpu();
	if (rc == ST_OK)
		rc = st_store_commit(s);
	if (getenv("ST_STORE_TIMING"))
		fprintf(stderr, "store: rows %.2fs, index %.2fs, vessels %.2fs, "
		        "commit %.2fs (wall); rows %.2fs, index %.2fs, vessels "
		        "%.2fs, commit %.2fs (CPU)\n", t0 - s->tBegin, t1 - t0,
		        t2 - t1, mono() - t2, c0 - s->cBegin, c1 - c0, c2 - c1,
		        cpu() - c2);
	if (rc != ST_OK) {
		char zKeep[sizeof s->zErr];
		memcpy(zKeep, s->zErr, sizeof zKeep);
		st_store_rollback(s);
		memcpy(s->zErr, zKeep, sizeof zKeep);
	}
	free_vagg(s);
	return rc;
}

void st_store_ingest_abort(st_store *s)
{
	if (!s->inIngest)
		return;
	s->pMethods->xBulkAbort(s);
	s->inIngest = 0;
	st_store_rollback(s);
	free_vagg(s);
}

const st_ingest_stats *st_store_ingest_stats(const st_store *s)
{
	return &s->stats;
}

/* ---- runs -------------------------------------------------------------- */

st_status st_store_record_run(st_store *s, const char *zStage,
                              st_time_ms started, st_time_ms finished,
                              const char *zParamsJson,
                              const char *zInputsJson, int64_t *pId)
{
	st_value v[6] = {
		{.z = zStage ? zStage : ""},
		{.isNull = started == ST_TIME_NONE, .t = started},
		{.isNull = finished == ST_TIME_NONE, .t = finished},
		{.isNull = !zParamsJson, .z = zParamsJson},
		{.isNull = !zInputsJson, .z = zInputsJson},
		{.z = ST_VERSION},
	};
	return st_store_insert(s, &st__tab_runs, v, NULL, pId);
}

static int source_row(void *ctx, int nCol, const char *const *azVal,
                      const char *const *azCol)
{
	cJSON *pArr = ctx;
	cJSON *o = cJSON_CreateObject();
	if (!o || nCol < 4)
		return 1;
	cJSON_AddNumberToObject(o, "id", azVal[0] ? atof(azVal[0]) : 0);
	cJSON_AddStringToObject(o, "name", azVal[1] ? azVal[1] : "");
	cJSON_AddNumberToObject(o, "size", azVal[2] ? atof(azVal[2]) : 0);
	cJSON_AddStringToObject(o, "sha256", azVal[3] ? azVal[3] : "");
	cJSON_AddItemToArray(pArr, o);
	return 0;
}

char *st_store_sources_json(st_store *s)
{
	cJSON *pArr = cJSON_CreateArray();
	if (!pArr)
		return NULL;
	char zErr[256] = "";
	char *z = NULL;
	if (st_store_query(s, "SELECT id, name, size, sha256 FROM sources "
	                      "ORDER BY id", source_row, pArr, zErr,
	                   sizeof zErr) == ST_OK)
		z = cJSON_PrintUnformatted(pArr);
	cJSON_Delete(pArr);
	return z;
}

/* ---- sources of other kinds ------------------------------------------- */

st_status st_store_add_source(st_store *s, const st_source_info *src,
                              int64_t *pId)
{
	if (!s->inTxn || s->inIngest)
		return st__store_err(s, ST_EINVAL, "st_store_add_source needs an "
		                     "open transaction and no AIS ingest");
	st_value v[16];
	source_values(src, v, now_ms());
	return st_store_insert(s, &st__tab_sources, v, NULL, pId);
}

st_status st_store_set_source_counts(st_store *s, int64_t id,
                                     const st_source_info *src)
{
	char zSql[1024];
	uint64_t nRej = 0;
	for (int i = 0; i < ST_REJ_COUNT; i++)
		nRej += src->rejected[i];
	int n = snprintf(zSql, sizeof zSql,
	    "UPDATE sources SET lines_read = %llu, messages = %llu, rejected = %llu",
	    (unsigned long long)src->lines_read,
	    (unsigned long long)src->messages, (unsigned long long)nRej);
	for (int i = 0; i < ST_REJ_COUNT; i++)
		n += snprintf(zSql + n, sizeof zSql - (size_t)n, ", %s = %llu",
		              st_store_reject_column((st_reject)i),
		              (unsigned long long)src->rejected[i]);
	snprintf(zSql + n, sizeof zSql - (size_t)n, " WHERE id = %lld", (long long)id);
	char zErr[256] = "";
	st_status rc = st_store_query(s, zSql, NULL, NULL, zErr, sizeof zErr);
	if (rc != ST_OK)
		return st__store_err(s, rc, "%s", zErr);
	return ST_OK;
}

st_status st_store_ensure_table(st_store *s, const st_table_def *def)
{
	return st_store_has_table(s, def->zName) ? ST_OK : st_store_create_table(s, def);
}

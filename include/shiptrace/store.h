/* The case store: one interface, two backends. A CASE is a GeoPackage file
 * (the embedded default, created if absent) or a postgresql:// URL (PostGIS,
 * for teams). Both hold the same tables with the same column names; every
 * table has an integer primary key `id` and, when it is spatial, a geometry
 * column `geom` in EPSG:4326. Analysis stages describe their output tables
 * with st_table_def and write rows through st_store_insert; they read with
 * st_store_query (portable SQL) or the fast position reader. AIS input goes
 * in through the ingest calls, one source file per transaction. The schema
 * is documented in docs/store.md. */
#ifndef SHIPTRACE_STORE_H
#define SHIPTRACE_STORE_H

#include <stddef.h>
#include <stdint.h>
#include "shiptrace/status.h"
#include "shiptrace/record.h"
#include "shiptrace/nmea.h"

/* Version of the case schema, kept in the `meta` table. */
#define ST_SCHEMA_VERSION 1

typedef enum {
	ST_COL_INT = 1,  /* 64-bit integer */
	ST_COL_REAL,     /* double */
	ST_COL_TEXT,     /* UTF-8 */
	ST_COL_TIME      /* st_time_ms; ISO 8601 text in GeoPackage
	                    (GPKG DATETIME), timestamptz in PostGIS */
} st_coltype;

typedef enum {
	ST_GEOM_NONE = 0,
	ST_GEOM_POINT = 1,
	ST_GEOM_LINESTRING = 2
} st_geomtype;

typedef struct st_column {
	const char *zName;
	st_coltype type;
} st_column;

typedef struct st_table_def {
	const char *zName;        /* table name, e.g. "port_calls" */
	const char *zDescription; /* shown in gpkg_contents and by `info` */
	const st_column *aCol;    /* not including id and geom */
	int nCol;
	st_geomtype geom;         /* ST_GEOM_NONE for an attribute table */
} st_table_def;

typedef struct st_geom {
	st_geomtype type;
	size_t nPoint;
	const double *aXY;        /* lon, lat pairs */
} st_geom;

typedef struct st_value {
	int isNull;
	union {
		int64_t i;
		double r;
		const char *z;
		st_time_ms t;
	};
} st_value;

typedef struct st_store st_store;

#define ST_STORE_CREATE 0x1   /* create the case if it does not exist */

/* Opens a case. zTarget is a path or a postgresql:// (or postgres://) URL.
 * A new GeoPackage is built under a temporary name and renamed into place,
 * so a crash never leaves a half-made case. On failure returns a negative
 * status (ST_ENOTCASE, ST_ECONNECT, ST_EIO, ST_EINVAL for a bad URL...) and
 * a message in zErr, and leaves nothing half-created behind. */
st_status st_store_open(st_store **ppStore, const char *zTarget, int flags,
                        char *zErr, size_t nErr);
void st_store_close(st_store *s);
const char *st_store_backend(const st_store *s); /* "gpkg" or "postgis" */
/* The case for messages: the path, or the URL with its password masked. */
const char *st_store_target(const st_store *s);

/* Non-zero when this st_store_open created the case. */
int st_store_was_created(const st_store *s);

/* Closes the store and, if this open created the case file and nothing was
 * committed into it since, deletes it again (a failed first ingest leaves
 * no empty case behind). A PostGIS case is only closed. */
void st_store_close_discard(st_store *s);

/* Transactions: a file's ingest or a stage's output is all or nothing. */
st_status st_store_begin(st_store *s);
st_status st_store_commit(st_store *s);
st_status st_store_rollback(st_store *s);

/* (Re)creates a table: an existing one of that name is dropped first, so a
 * stage that re-runs replaces its previous results. Registers spatial
 * tables in gpkg_contents/gpkg_geometry_columns with an R-tree index (GiST
 * in PostGIS), attribute tables as GeoPackage 'attributes'. */
st_status st_store_create_table(st_store *s, const st_table_def *def);

/* Creates an index on a table (zCols: "mmsi, time"); zName is the index
 * name. Existing indexes of that name are kept. */
st_status st_store_create_index(st_store *s, const char *zName,
                                const char *zTable, const char *zCols,
                                int isUnique);

/* Appends a row: aVal has def->nCol values in column order; pGeom may be
 * NULL for an attribute table or a missing geometry. *pId (may be NULL)
 * gets the new row's id. The spatial index follows every insert. */
st_status st_store_insert(st_store *s, const st_table_def *def,
                          const st_value *aVal, const st_geom *pGeom,
                          int64_t *pId);

/* After inserting into a spatial table: recompute its extent (the bounding
 * box in gpkg_contents that GIS tools show). Cheap to skip in PostGIS. */
st_status st_store_update_extent(st_store *s, const char *zTable);

/* Runs portable SQL (a SELECT, or DDL/DML with no result) and calls xRow
 * for each row with the values as text (NULL for SQL NULL). Times come back
 * as ISO 8601 text that st_time_parse reads. xRow returning non-zero stops
 * the query early. zErr gets the backend's message on error. xRow may be
 * NULL for statements without a result. */
typedef int (*st_row_fn)(void *ctx, int nCol, const char *const *azVal,
                         const char *const *azCol);
st_status st_store_query(st_store *s, const char *zSql, st_row_fn xRow,
                         void *ctx, char *zErr, size_t nErr);

/* Runs a query that returns one integer (e.g. SELECT count(*) ...). */
st_status st_store_query_int(st_store *s, const char *zSql, int64_t *pOut);

/* Streams every position in (mmsi, time) order. */
typedef int (*st_position_fn)(void *ctx, const st_position *p, int64_t id);
st_status st_store_read_positions(st_store *s, st_position_fn xPos, void *ctx,
                                  char *zErr, size_t nErr);

/* The user tables of the case (no GeoPackage or PostGIS system tables),
 * with their row count and whether they carry a geometry. */
typedef int (*st_table_fn)(void *ctx, const char *zTable, int64_t nRow,
                           int isSpatial);
st_status st_store_tables(st_store *s, st_table_fn xTable, void *ctx);

/* Last error message of the store, or "". */
const char *st_store_errmsg(const st_store *s);

/* ---- Sources and AIS ingest ------------------------------------------- */

/* One input file as it is recorded in `sources`. */
typedef struct st_source_info {
	const char *zName;        /* the file name as given */
	const char *zKind;        /* "ais", later "records", "list", ... */
	const char *zFormat;      /* detected format: "nmea", "noaa_csv", ... */
	uint64_t size;            /* bytes on disk */
	char sha256[65];          /* lower-case hex; may be "" at ingest_begin
	                           * and given by ingest_end */
	uint64_t lines_read;
	uint64_t messages;        /* messages/rows accepted */
	uint64_t rejected[ST_REJ_COUNT];
} st_source_info;

/* Column name in `sources` of each reject reason ("rejected_bad_checksum"). */
const char *st_store_reject_column(st_reject r);

/* SHA-256 of a file in lower-case hex, and its size. */
st_status st_sha256_file(const char *zPath, char zHex[65], uint64_t *pSize,
                         char *zErr, size_t nErr);

/* The same on a thread of its own: start returns NULL when no thread can
 * be started (hash in place then); ready says, without waiting, whether
 * the hash is done; finish waits for it, returns what st_sha256_file
 * would, and frees the job. Every started job must be finished. */
typedef struct st_sha256_job st_sha256_job;
st_sha256_job *st_sha256_start(const char *zPath);
int st_sha256_ready(st_sha256_job *j);
st_status st_sha256_finish(st_sha256_job *j, char zHex[65], uint64_t *pSize,
                           char *zErr, size_t nErr);

/* Looks a source up by SHA-256: ST_OK and its id, or ST_ENOTFOUND. */
st_status st_store_find_source(st_store *s, const char *zSha256,
                               int64_t *pId);

/* Starts one file's ingest: opens a transaction, adds its `sources` row
 * (counts are filled in by st_store_ingest_end) and sets up the bulk path.
 * Until st_store_ingest_end or _abort only the ingest calls may be used. */
st_status st_store_ingest_begin(st_store *s, const st_source_info *src,
                                int64_t *pSourceId);
st_status st_store_ingest_position(st_store *s, const st_position *p);
/* Static reports identical (time aside) to the same vessel's previous one
 * of the same kind in this file are counted but not stored again. */
st_status st_store_ingest_static(st_store *s, const st_static_report *r);
/* Dispatches on rec->kind; other kinds are ignored. */
st_status st_store_ingest_record(st_store *s, const st_record *rec);
/* Writes the final counts of src into its `sources` row, merges `vessels`,
 * brings the spatial index and extents up to date, and commits. */
st_status st_store_ingest_end(st_store *s, const st_source_info *src);
/* Rolls the whole file back. */
void st_store_ingest_abort(st_store *s);

/* Counts of the current (or last) ingest. */
typedef struct st_ingest_stats {
	uint64_t positions;       /* rows written to positions */
	uint64_t reports;         /* static reports seen */
	uint64_t reports_stored;  /* rows written to vessel_reports */
	uint64_t vessels;         /* distinct MMSIs in this file */
} st_ingest_stats;
const st_ingest_stats *st_store_ingest_stats(const st_store *s);

/* ---- Sources of other kinds (records, lists, places...) -------------- */

/* Inside the caller's transaction (st_store_begin), adds src's `sources`
 * row for an input that is not AIS; *pId gets its id for the rows that
 * cite it. st_store_set_source_counts writes the final counts. */
st_status st_store_add_source(st_store *s, const st_source_info *src,
                              int64_t *pId);
st_status st_store_set_source_counts(st_store *s, int64_t id,
                                     const st_source_info *src);

/* Creates the table unless it exists (tables that accumulate over
 * ingests, unlike a stage's outputs which st_store_create_table replaces). */
st_status st_store_ensure_table(st_store *s, const st_table_def *def);

/* ---- Runs ---------------------------------------------------------------- */

/* Records one analysis run: the stage name ("analyze", "screen"...), when it
 * started and finished, its parameters and its inputs as JSON text (inputs:
 * the sources used, with name, size and SHA-256). The version is
 * shiptrace's own. Call inside the stage's transaction so the run and its
 * results are committed together. */
st_status st_store_record_run(st_store *s, const char *zStage,
                              st_time_ms started, st_time_ms finished,
                              const char *zParamsJson,
                              const char *zInputsJson, int64_t *pId);

/* JSON array of every source of the case ([{"id":..,"name":..,"size":..,
 * "sha256":..}, ...]), for st_store_record_run. Free with free(). */
char *st_store_sources_json(st_store *s);

/* A case target fit to print: a postgresql:// URL with its password
 * replaced by "***"; a path as it is. Returns zOut. */
char *st_store_display_name(const char *zTarget, char *zOut, size_t nOut);

/* Non-zero when the case has a user table of that name. */
int st_store_has_table(st_store *s, const char *zTable);

#endif

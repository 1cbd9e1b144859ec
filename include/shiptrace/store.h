/* The case store: one interface, two backends. A CASE is a GeoPackage file
 * (the embedded default, created if absent) or a postgresql:// URL (PostGIS,
 * for teams). Both hold the same tables with the same column names; every
 * table has an integer primary key `id` and, when it is spatial, a geometry
 * column `geom` in EPSG:4326. Analysis stages describe their output tables
 * with st_table_def and write rows through st_store_insert; they read with
 * st_store_query (portable SQL) or the fast position reader. */
#ifndef SHIPTRACE_STORE_H
#define SHIPTRACE_STORE_H

#include <stddef.h>
#include <stdint.h>
#include "shiptrace/status.h"
#include "shiptrace/record.h"

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

/* Opens a case. zTarget is a path or a postgresql:// URL. On failure
 * returns a negative status (ST_ENOTCASE, ST_ECONNECT, ST_EIO, ...) and a
 * message in zErr, and leaves nothing half-created behind. */
st_status st_store_open(st_store **ppStore, const char *zTarget, int flags,
                        char *zErr, size_t nErr);
void st_store_close(st_store *s);
const char *st_store_backend(const st_store *s); /* "gpkg" or "postgis" */

/* Transactions: a file's ingest or a stage's output is all or nothing. */
st_status st_store_begin(st_store *s);
st_status st_store_commit(st_store *s);
st_status st_store_rollback(st_store *s);

/* (Re)creates a table: an existing one of that name is dropped first, so a
 * stage that re-runs replaces its previous results. Registers spatial
 * tables in gpkg_contents/gpkg_geometry_columns with an R-tree index. */
st_status st_store_create_table(st_store *s, const st_table_def *def);

/* Appends a row: aVal has def->nCol values in column order; pGeom may be
 * NULL for an attribute table or a missing geometry. *pId (may be NULL)
 * gets the new row's id. */
st_status st_store_insert(st_store *s, const st_table_def *def,
                          const st_value *aVal, const st_geom *pGeom,
                          int64_t *pId);

/* Runs portable SQL (a SELECT, or DDL/DML with no result) and calls xRow
 * for each row with the values as text (NULL for SQL NULL). Times come back
 * as ISO 8601 text that st_time_parse reads. xRow returning non-zero stops
 * the query early. zErr gets the backend's message on error. */
typedef int (*st_row_fn)(void *ctx, int nCol, const char *const *azVal,
                         const char *const *azCol);
st_status st_store_query(st_store *s, const char *zSql, st_row_fn xRow,
                         void *ctx, char *zErr, size_t nErr);

/* Streams every position in (mmsi, time) order. */
typedef int (*st_position_fn)(void *ctx, const st_position *p, int64_t id);
st_status st_store_read_positions(st_store *s, st_position_fn xPos, void *ctx,
                                  char *zErr, size_t nErr);

/* Last error message of the store, or "". */
const char *st_store_errmsg(const st_store *s);

#endif

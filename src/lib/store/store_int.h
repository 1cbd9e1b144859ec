/* Shared internals of the case store: the backend method table that the
 * front (store.c) calls, the core schema both backends create, the vessel
 * aggregates an ingest collects, and the geometry encoders (GeoPackage
 * blobs, EWKB) that the backends and the unit tests use. */
#ifndef SHIPTRACE_STORE_INT_H
#define SHIPTRACE_STORE_INT_H

#include <math.h>
#include <stdio.h>
#include "shiptrace/store.h"

/* What one ingest learnt of a vessel's identity: the latest value of each
 * field with the time of the latest report, and the last stored report of
 * each kind (type 5 or CSV, 19, 24A, 24B) so that repeats are not stored
 * again. Allocated only for vessels that sent static reports. */
typedef struct st__vident {
	st_time_ms tReport;       /* latest static report */
	int64_t imo;              /* 0 when never given */
	char name[32];
	char callsign[16];
	int ship_type;            /* -1 when never given */
	int length, width;        /* metres; -1 when never given */
	st_static_report *aLast[4];
} st__vident;
extern const st__vident st__vident_none;

/* Per-vessel summary of one ingest, merged into `vessels` at its end; kept
 * small because an ingest holds one per MMSI in an open-addressing table. */
typedef struct st__vagg {
	uint32_t mmsi;            /* 0 = empty hash slot */
	uint32_t nRep;
	uint64_t nPos;
	st_time_ms first, last;   /* positions and reports together */
	st__vident *pId;          /* NULL until a static report */
} st__vagg;

typedef struct st__backend {
	const char *zName;
	void (*xClose)(st_store *s);
	const char *(*xTarget)(const st_store *s);
	st_status (*xExec)(st_store *s, const char *zSql);
	st_status (*xCreateTable)(st_store *s, const st_table_def *def);
	st_status (*xCreateIndex)(st_store *s, const char *zName,
	                          const char *zTable, const char *zCols,
	                          int isUnique);
	st_status (*xInsert)(st_store *s, const st_table_def *def,
	                     const st_value *aVal, const st_geom *pGeom,
	                     int64_t *pId);
	st_status (*xUpdateExtent)(st_store *s, const char *zTable);
	st_status (*xQuery)(st_store *s, const char *zSql, st_row_fn xRow,
	                    void *ctx, char *zErr, size_t nErr);
	st_status (*xReadPositions)(st_store *s, st_position_fn xPos, void *ctx,
	                            char *zErr, size_t nErr);
	st_status (*xTables)(st_store *s, st_table_fn xTable, void *ctx);
	/* bulk ingest, inside the transaction the front opened */
	st_status (*xBulkBegin)(st_store *s, int64_t sourceId);
	st_status (*xPosition)(st_store *s, const st_position *p);
	st_status (*xStatic)(st_store *s, const st_static_report *r);
	st_status (*xBulkEnd)(st_store *s);   /* flush, rebuild indexes */
	void (*xBulkAbort)(st_store *s);
	st_status (*xMergeVessels)(st_store *s, st__vagg *const *apV, size_t n);
} st__backend;

#define ST__VQ_N 16

struct st_store {
	const st__backend *pMethods;
	char zErr[1024];
	char *zPath;              /* GeoPackage path, or NULL */
	int created;              /* this open created the case */
	int nCommit;              /* commits since open */
	int inTxn;
	int inIngest;
	int64_t sourceId;
	uint64_t sizeHint;         /* bytes of the file being ingested */
	st_ingest_stats stats;
	double tBegin;            /* monotonic seconds at ingest begin */
	double cBegin;            /* process CPU seconds at ingest begin */
	st__vagg *aV;             /* open-addressing hash of the ingest */
	size_t nVSlot, nV;
	st__vagg *pVLast;         /* the last slot found: feeds often repeat */
	/* positions whose summary update waits for its prefetch (store.c) */
	struct {
		uint32_t mmsi;        /* 0: nothing waits here */
		st_time_ms t;
	} aVq[ST__VQ_N];
	int iVq;
	void *pImpl;              /* backend state */
};

/* Sets s->zErr printf-style; returns rc. */
/* A table, column or index name both backends accept unquoted-safe:
 * [a-z0-9_], 1 to 48 characters. */
int st__store_valid_name(const char *z);

st_status st__store_err(st_store *s, st_status rc, const char *zFmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The core schema. */
extern const st_table_def st__tab_meta;
extern const st_table_def st__tab_sources;
extern const st_table_def st__tab_positions;
extern const st_table_def st__tab_vessel_reports;
extern const st_table_def st__tab_vessels;
extern const st_table_def st__tab_runs;
/* Creates every core table, its indexes and the meta rows. */
st_status st__store_create_schema(st_store *s);

st_status st__gpkg_open(st_store **ppStore, const char *zPath, int flags,
                        char *zErr, size_t nErr);
st_status st__pg_open(st_store **ppStore, const char *zUrl, int flags,
                      char *zErr, size_t nErr);

/* GeoPackage geometry blob (GeoPackageBinary header, little-endian, an
 * envelope for a linestring and none for a point, then WKB). Returns the
 * bytes written, or 0 when buf is too small. */
size_t st__gpkg_blob(const st_geom *g, int32_t srsId, unsigned char *buf,
                     size_t n);
#define ST__GPKG_POINT_BLOB 29
/* Envelope of a blob (from its header, or from the WKB when it has none).
 * Returns 0 on success, 1 for an empty geometry, -1 for a bad blob. */
int st__gpkg_blob_envelope(const unsigned char *p, size_t n, double *minx,
                           double *maxx, double *miny, double *maxy);
/* Reads a point blob; returns 0 on success. */
int st__gpkg_blob_point(const unsigned char *p, size_t n, double *x,
                        double *y);

/* EWKB (little-endian, SRID 4326) of a geometry. Returns bytes written, or
 * 0 when buf is too small. */
size_t st__ewkb(const st_geom *g, unsigned char *buf, size_t n);

/* "YYYY-MM-DDTHH:MM:SS.sssZ": the fixed-width form, so that text order is
 * time order. buf needs 25 bytes. Returns the length (24). */
size_t st__time_iso(st_time_ms t, char *buf);
/* Parses the fixed form fast, anything else through st_time_parse. */
st_time_ms st__time_parse(const char *z);

/* Packed R-tree build (rtree.c). st__rtree_register adds the SQL function
 * st_hilbert(x, y); st__rtree_pack rebuilds R-tree zRtree from zSelect,
 * which yields (id, x, y) rows of points in any order, nChunk rows at a
 * time (0: the default; tests use small chunks).
 * Returns 0 on success, else 1 with a message in zErr. */
struct sqlite3;
int st__rtree_register(struct sqlite3 *db);
int st__rtree_pack(struct sqlite3 *db, const char *zRtree,
                   const char *zSelect, size_t nChunk, char *zErr,
                   size_t nErr);
/* The same build fed row by row (st__rtree_pack is built on it): begin
 * empties the R-tree (NULL with a message on failure), add takes the
 * points in any order (ids in increasing order keep the rowid map an
 * append), end writes what is left and the levels above and frees the
 * build, free only frees it. add and end return 0 on success, else 1, end
 * with the message of the first failure in zErr. */
typedef struct st__rtree_build st__rtree_build;
st__rtree_build *st__rtree_build_begin(struct sqlite3 *db, const char *zRtree,
                                       size_t nChunk, char *zErr,
                                       size_t nErr);
int st__rtree_build_add(st__rtree_build *b, int64_t id, double x, double y);
/* add in two steps, so that the arithmetic can run on another thread than
 * the one that owns the connection: make computes a point's entry (its box
 * rounded outwards to floats, its place on the Hilbert curve), put adds it
 * to the build (and writes a chunk when one is full). */
typedef struct st__rtree_entry {
	int64_t id;
	float box[4];             /* minx, maxx, miny, maxy */
	uint32_t key;             /* Hilbert position of the centre */
	uint32_t iRead;           /* leaf entries: place in the chunk as read */
} st__rtree_entry;
void st__rtree_entry_make(st__rtree_entry *e, int64_t id, double x, double y);
int st__rtree_build_put(st__rtree_build *b, const st__rtree_entry *e);
int st__rtree_build_end(st__rtree_build *b, char *zErr, size_t nErr);
void st__rtree_build_free(st__rtree_build *b);

/* A float field (speed, course, draught) as the double the decimal input
 * meant: 8.8f is 8.80000019 as a double; rounded to 1e-4 it is 8.8 again. */
static inline double st__f2d(float f)
{
	return round((double)f * 1e4) / 1e4;
}

/* ETA as reported (ITU: month, day, hour, minute, no year): "--MM-DDTHH:MM"
 * in ISO 8601's yearless form, "--MM-DD" without the time; returns the
 * length, or 0 when no ETA was given. */
size_t st__eta_text(const st_static_report *r, char *buf, size_t n);

/* The SET clause of the vessels upsert both backends run: counts add up,
 * first/last seen widen, and identity fields take the new value when the
 * new reports are at least as recent as the row's (or the row has none). */
extern const char st__vessel_merge_sql[];

#endif

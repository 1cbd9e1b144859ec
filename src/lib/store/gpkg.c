/* The GeoPackage backend: a case is one SQLite file that is a valid
 * GeoPackage 1.3 (application_id 'GPKG', user_version 10300, the required
 * spatial reference systems, gpkg_contents, gpkg_geometry_columns, standard
 * geometry blobs and the gpkg_rtree_index extension), so QGIS and GDAL open
 * it as it is. A new case is built under a temporary name and renamed into
 * place. One file's ingest is one transaction in the rollback journal; a
 * killed ingest leaves a hot journal that the next open rolls back. The
 * bulk path appends positions 1,024 rows per INSERT ... SELECT from a
 * virtual table over the rows in memory, with the R-tree insert trigger
 * dropped inside the transaction, builds the R-tree by packing
 * (rtree.c: during the load into an empty table, from the table after a
 * large one, with SQL after a small one) and puts the trigger back: every
 * other insert path keeps the index current through the triggers, whose
 * ST_* functions this connection registers. During a bulk load a writer
 * thread owns the connection and makes every SQLite call of the load
 * while the caller's thread reads and converts the next rows: they meet
 * at a ring of slots of ready rows ("bulk ingest" below). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <sqlite3.h>
#include "shiptrace/time.h"
#include "store/store_int.h"

#define GPKG_APPLICATION_ID 0x47504B47
#define GPKG_USER_VERSION 10300
#define N_STMT_CACHE 16

typedef struct stmt_slot {
	char zTable[64];
	sqlite3_stmt *pStmt;
} stmt_slot;

/* One position ready for the writer: its time text and geometry blob,
 * which SQLite reads in place, and its R-tree entry. */
typedef struct posrow {
	st_position pos;
	int nTime;                /* 0: no time */
	int nBlob;                /* 0: no geometry, and no R-tree entry */
	char zTime[32];
	unsigned char aBlob[ST__GPKG_POINT_BLOB];
	st__rtree_entry e;
} posrow;

/* A slot of the ring between the caller's thread and the writer: 1024
 * positions, one INSERT statement's worth, and the vessel reports that
 * came with them. A slot goes to the writer when either part is full. */
#define SLOT_POS 1024
#define SLOT_REP 256
#define N_SLOT 4
/* Slots between two starts of the case file's write-back (about 10 MB of
 * rows): the pages SQLite has written go to the disk during the load
 * instead of all in the commit's fsync. */
#define FLUSH_SLOTS 64

typedef struct slot {
	int nPos, nRep;
	posrow aPos[SLOT_POS];
	st_static_report aRep[SLOT_REP];
} slot;

typedef struct gpkg {
	sqlite3 *db;
	stmt_slot aCache[N_STMT_CACHE];
	int iNextSlot;
	/* bulk ingest */
	sqlite3_stmt *pPos, *pRep;
	int64_t sourceId;
	int64_t maxIdBefore;
	double bbox[4];           /* minx, maxx, miny, maxy of the new rows */
	int haveBox;
	st_time_ms tCache;        /* last second formatted, for the time text */
	char zTimeCache[32];
	int nTimeCache;           /* its length */
	int haveModule;           /* st_slot_positions is registered */
	const slot *pWriting;     /* the slot st_slot_positions reads */
	/* a load into an empty table builds its R-tree as the rows go in:
	 * the caller's thread makes the entries, the writer puts them */
	st__rtree_build *pBuild;  /* the writer's while it runs */
	int buildOn;              /* make entries (the caller's flag) */
	int64_t nextId;           /* the id SQLite gives the next position */
	/* the ring and the writer thread */
	slot *aSlot;              /* N_SLOT slots, from the first bulk load on */
	int iFill;                /* the slot the caller fills */
	int iWrite;               /* the slot the writer takes next */
	int nFull;                /* slots handed over and not yet written */
	int stop;                 /* nothing more comes: the writer returns */
	int discard;              /* the load is abandoned: write nothing more */
	st_status wRc;            /* the writer's first failure, or ST_OK */
	char zWErr[512];          /* its message */
	int haveWriter;           /* a writer thread runs (else the caller
	                           * writes each slot itself) */
	int fdFlush;              /* the case file, to start its write-back */
	int nHanded;              /* slots handed over in this load */
	pthread_t writer;
	pthread_mutex_t mu;
	pthread_cond_t cvFull, cvFree;
} gpkg;

static gpkg *G(st_store *s)
{
	return s->pImpl;
}

/* The status for the connection's last error, its message in zErr. */
static st_status sql_fail(sqlite3 *db, const char *zPath, const char *zWhat,
                          char *zErr, size_t nErr)
{
	int code = sqlite3_errcode(db);
	snprintf(zErr, nErr, "%s: %.200s: %s", zPath ? zPath : "case", zWhat,
	         sqlite3_errmsg(db));
	return (code == SQLITE_NOTADB || code == SQLITE_CORRUPT) ? ST_ENOTCASE
	       : code == SQLITE_NOMEM                            ? ST_ENOMEM
	                                                         : ST_ESTORE;
}

static st_status db_err(st_store *s, const char *zWhat)
{
	char zErr[512];
	st_status rc = sql_fail(G(s)->db, s->zPath, zWhat, zErr, sizeof zErr);
	return st__store_err(s, rc, "%s", zErr);
}

static st_status exec(st_store *s, const char *zSql)
{
	char *zMsg = NULL;
	if (sqlite3_exec(G(s)->db, zSql, NULL, NULL, &zMsg) != SQLITE_OK) {
		st_status rc = db_err(s, zSql);
		sqlite3_free(zMsg);
		return rc;
	}
	return ST_OK;
}

/* ---- ST_* SQL functions the gpkg_rtree_index triggers call -------------- */

static void fn_envelope(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	int which = *(int *)sqlite3_user_data(ctx);
	if (sqlite3_value_type(argv[0]) != SQLITE_BLOB) {
		sqlite3_result_null(ctx);
		return;
	}
	const unsigned char *p = sqlite3_value_blob(argv[0]);
	size_t n = (size_t)sqlite3_value_bytes(argv[0]);
	double e[4];
	int rc = st__gpkg_blob_envelope(p, n, &e[0], &e[1], &e[2], &e[3]);
	if (which == 4) {       /* ST_IsEmpty */
		if (rc < 0)
			sqlite3_result_null(ctx);
		else
			sqlite3_result_int(ctx, rc == 1);
		return;
	}
	if (rc != 0)
		sqlite3_result_null(ctx);
	else
		sqlite3_result_double(ctx, e[which]);
}

static int register_functions(sqlite3 *db)
{
	static const int aWhich[5] = {0, 1, 2, 3, 4};
	static const char *const azName[5] = {"ST_MinX", "ST_MaxX", "ST_MinY",
	                                      "ST_MaxY", "ST_IsEmpty"};
	for (int i = 0; i < 5; i++)
		if (sqlite3_create_function(db, azName[i], 1,
		                            SQLITE_UTF8 | SQLITE_DETERMINISTIC,
		                            (void *)&aWhich[i], fn_envelope, NULL,
		                            NULL) != SQLITE_OK)
			return 1;
	return 0;
}

/* ---- schema -------------------------------------------------------------- */

static const char zCoreDdl[] =
	"CREATE TABLE gpkg_spatial_ref_sys ("
	" srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY,"
	" organization TEXT NOT NULL, organization_coordsys_id INTEGER NOT NULL,"
	" definition TEXT NOT NULL, description TEXT);"
	"CREATE TABLE gpkg_contents ("
	" table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL,"
	" identifier TEXT UNIQUE, description TEXT DEFAULT '',"
	" last_change DATETIME NOT NULL DEFAULT"
	" (strftime('%Y-%m-%dT%H:%M:%fZ','now')),"
	" min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,"
	" CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id)"
	" REFERENCES gpkg_spatial_ref_sys(srs_id));"
	"CREATE TABLE gpkg_geometry_columns ("
	" table_name TEXT NOT NULL, column_name TEXT NOT NULL,"
	" geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL,"
	" z TINYINT NOT NULL, m TINYINT NOT NULL,"
	" CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),"
	" CONSTRAINT uk_gc_table_name UNIQUE (table_name),"
	" CONSTRAINT fk_gc_tn FOREIGN KEY (table_name)"
	" REFERENCES gpkg_contents(table_name),"
	" CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id)"
	" REFERENCES gpkg_spatial_ref_sys (srs_id));"
	"CREATE TABLE gpkg_extensions ("
	" table_name TEXT, column_name TEXT, extension_name TEXT NOT NULL,"
	" definition TEXT NOT NULL, scope TEXT NOT NULL,"
	" CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name));"
	"INSERT INTO gpkg_spatial_ref_sys VALUES"
	" ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined',"
	"  'undefined cartesian coordinate reference system'),"
	" ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined',"
	"  'undefined geographic coordinate reference system'),"
	" ('WGS 84 geodetic', 4326, 'EPSG', 4326, 'GEOGCS[\"WGS 84\","
	"DATUM[\"WGS_1984\",SPHEROID[\"WGS 84\",6378137,298.257223563,"
	"AUTHORITY[\"EPSG\",\"7030\"]],AUTHORITY[\"EPSG\",\"6326\"]],"
	"PRIMEM[\"Greenwich\",0,AUTHORITY[\"EPSG\",\"8901\"]],"
	"UNIT[\"degree\",0.0174532925199433,AUTHORITY[\"EPSG\",\"9122\"]],"
	"AXIS[\"Latitude\",NORTH],AXIS[\"Longitude\",EAST],"
	"AUTHORITY[\"EPSG\",\"4326\"]]',"
	"  'longitude/latitude coordinates in decimal degrees on the WGS 84"
	" spheroid');";

static void drop_cached(gpkg *g, const char *zTable)
{
	for (int i = 0; i < N_STMT_CACHE; i++)
		if (g->aCache[i].pStmt && !strcmp(g->aCache[i].zTable, zTable)) {
			sqlite3_finalize(g->aCache[i].pStmt);
			g->aCache[i].pStmt = NULL;
			g->aCache[i].zTable[0] = 0;
		}
}

static const char *sql_type(st_coltype t)
{
	switch (t) {
	case ST_COL_INT: return "INTEGER";
	case ST_COL_REAL: return "REAL";
	case ST_COL_TIME: return "DATETIME";
	case ST_COL_TEXT: break;
	}
	return "TEXT";
}

static const char *geom_name(st_geomtype t)
{
	return t == ST_GEOM_LINESTRING ? "LINESTRING" : "POINT";
}

/* The gpkg_rtree_index triggers of GeoPackage 1.3 for table t, column geom,
 * primary key id; only the insert trigger is dropped and restored around a
 * bulk load. */
#define RTREE_INSERT_TRIGGER(t)                                                \
	"CREATE TRIGGER \"rtree_" t "_geom_insert\" AFTER INSERT ON \"" t "\""    \
	" WHEN (new.geom NOT NULL AND NOT ST_IsEmpty(NEW.geom)) BEGIN"          \
	" INSERT OR REPLACE INTO \"rtree_" t "_geom\" VALUES (NEW.id,"          \
	" ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom),"             \
	" ST_MaxY(NEW.geom)); END;"

static st_status create_rtree(st_store *s, const char *zT)
{
	char *z = sqlite3_mprintf(
		"CREATE VIRTUAL TABLE \"rtree_%s_geom\" USING rtree(id, minx, maxx,"
		" miny, maxy);"
		"CREATE TRIGGER \"rtree_%s_geom_insert\" AFTER INSERT ON \"%s\""
		" WHEN (new.geom NOT NULL AND NOT ST_IsEmpty(NEW.geom)) BEGIN"
		" INSERT OR REPLACE INTO \"rtree_%s_geom\" VALUES (NEW.id,"
		" ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom),"
		" ST_MaxY(NEW.geom)); END;"
		"CREATE TRIGGER \"rtree_%s_geom_update1\" AFTER UPDATE OF geom ON"
		" \"%s\" WHEN OLD.id = NEW.id AND (NEW.geom NOTNULL AND NOT"
		" ST_IsEmpty(NEW.geom)) BEGIN INSERT OR REPLACE INTO"
		" \"rtree_%s_geom\" VALUES (NEW.id, ST_MinX(NEW.geom),"
		" ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)); END;"
		"CREATE TRIGGER \"rtree_%s_geom_update2\" AFTER UPDATE OF geom ON"
		" \"%s\" WHEN OLD.id = NEW.id AND (NEW.geom ISNULL OR"
		" ST_IsEmpty(NEW.geom)) BEGIN DELETE FROM \"rtree_%s_geom\" WHERE"
		" id = OLD.id; END;"
		"CREATE TRIGGER \"rtree_%s_geom_update3\" AFTER UPDATE ON \"%s\""
		" WHEN OLD.id != NEW.id AND (NEW.geom NOTNULL AND NOT"
		" ST_IsEmpty(NEW.geom)) BEGIN DELETE FROM \"rtree_%s_geom\" WHERE"
		" id = OLD.id; INSERT OR REPLACE INTO \"rtree_%s_geom\" VALUES"
		" (NEW.id, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom),"
		" ST_MaxY(NEW.geom)); END;"
		"CREATE TRIGGER \"rtree_%s_geom_update4\" AFTER UPDATE ON \"%s\""
		" WHEN OLD.id != NEW.id AND (NEW.geom ISNULL OR"
		" ST_IsEmpty(NEW.geom)) BEGIN DELETE FROM \"rtree_%s_geom\" WHERE"
		" id IN (OLD.id, NEW.id); END;"
		"CREATE TRIGGER \"rtree_%s_geom_delete\" AFTER DELETE ON \"%s\""
		" WHEN old.geom NOT NULL BEGIN DELETE FROM \"rtree_%s_geom\" WHERE"
		" id = OLD.id; END;"
		"INSERT INTO gpkg_extensions VALUES ('%s', 'geom', 'gpkg_rtree_index',"
		" 'http://www.geopackage.org/spec120/#extension_rtree',"
		" 'write-only');",
		zT, zT, zT, zT, zT, zT, zT, zT, zT, zT, zT, zT, zT, zT, zT, zT, zT,
		zT, zT, zT, zT);
	if (!z)
		return st__store_err(s, ST_ENOMEM, "out of memory");
	st_status rc = exec(s, z);
	sqlite3_free(z);
	return rc;
}

static st_status gp_create_table(st_store *s, const st_table_def *def)
{
	gpkg *g = G(s);
	drop_cached(g, def->zName);
	const char *zT = def->zName;
	char *z = sqlite3_mprintf(
		"DROP TABLE IF EXISTS \"rtree_%s_geom\";"
		"DROP TABLE IF EXISTS \"%s\";"
		"DELETE FROM gpkg_extensions WHERE table_name = '%s';"
		"DELETE FROM gpkg_geometry_columns WHERE table_name = '%s';"
		"DELETE FROM gpkg_contents WHERE table_name = '%s';",
		zT, zT, zT, zT, zT);
	if (!z)
		return st__store_err(s, ST_ENOMEM, "out of memory");
	st_status rc = exec(s, z);
	sqlite3_free(z);
	if (rc != ST_OK)
		return rc;

	sqlite3_str *pStr = sqlite3_str_new(g->db);
	sqlite3_str_appendf(pStr, "CREATE TABLE \"%s\" (id INTEGER PRIMARY KEY",
	                    zT);
	for (int i = 0; i < def->nCol; i++)
		sqlite3_str_appendf(pStr, ", \"%s\" %s", def->aCol[i].zName,
		                    sql_type(def->aCol[i].type));
	if (def->geom != ST_GEOM_NONE)
		sqlite3_str_appendf(pStr, ", geom %s", geom_name(def->geom));
	sqlite3_str_appendf(pStr, ");");
	if (def->geom != ST_GEOM_NONE) {
		sqlite3_str_appendf(pStr,
			"INSERT INTO gpkg_contents (table_name, data_type, identifier,"
			" description, srs_id) VALUES ('%s', 'features', '%s', %Q, 4326);"
			"INSERT INTO gpkg_geometry_columns VALUES ('%s', 'geom', '%s',"
			" 4326, 0, 0);",
			zT, zT, def->zDescription ? def->zDescription : "", zT,
			geom_name(def->geom));
	} else {
		sqlite3_str_appendf(pStr,
			"INSERT INTO gpkg_contents (table_name, data_type, identifier,"
			" description) VALUES ('%s', 'attributes', '%s', %Q);",
			zT, zT, def->zDescription ? def->zDescription : "");
	}
	z = sqlite3_str_finish(pStr);
	if (!z)
		return st__store_err(s, ST_ENOMEM, "out of memory");
	rc = exec(s, z);
	sqlite3_free(z);
	if (rc == ST_OK && def->geom != ST_GEOM_NONE)
		rc = create_rtree(s, zT);
	return rc;
}

static st_status gp_create_index(st_store *s, const char *zName,
                                 const char *zTable, const char *zCols,
                                 int isUnique)
{
	char *z = sqlite3_mprintf("CREATE %s INDEX IF NOT EXISTS \"%s\" ON \"%s\""
	                          " (%s)", isUnique ? "UNIQUE" : "", zName,
	                          zTable, zCols);
	if (!z)
		return st__store_err(s, ST_ENOMEM, "out of memory");
	st_status rc = exec(s, z);
	sqlite3_free(z);
	return rc;
}

/* ---- rows ---------------------------------------------------------------- */

static sqlite3_stmt *insert_stmt(st_store *s, const st_table_def *def)
{
	gpkg *g = G(s);
	for (int i = 0; i < N_STMT_CACHE; i++)
		if (g->aCache[i].pStmt && !strcmp(g->aCache[i].zTable, def->zName))
			return g->aCache[i].pStmt;
	if (!st__store_valid_name(def->zName)) {
		st__store_err(s, ST_EINVAL, "bad table name");
		return NULL;
	}
	sqlite3_str *pStr = sqlite3_str_new(g->db);
	sqlite3_str_appendf(pStr, "INSERT INTO \"%s\" (", def->zName);
	for (int i = 0; i < def->nCol; i++)
		sqlite3_str_appendf(pStr, "%s\"%s\"", i ? ", " : "",
		                    def->aCol[i].zName);
	if (def->geom != ST_GEOM_NONE)
		sqlite3_str_appendf(pStr, "%sgeom", def->nCol ? ", " : "");
	sqlite3_str_appendf(pStr, ") VALUES (");
	int n = def->nCol + (def->geom != ST_GEOM_NONE);
	for (int i = 0; i < n; i++)
		sqlite3_str_appendf(pStr, "%s?", i ? ", " : "");
	sqlite3_str_appendf(pStr, ")");
	char *z = sqlite3_str_finish(pStr);
	sqlite3_stmt *pStmt = NULL;
	if (!z || sqlite3_prepare_v2(g->db, z, -1, &pStmt, NULL) != SQLITE_OK) {
		db_err(s, def->zName);
		sqlite3_free(z);
		return NULL;
	}
	sqlite3_free(z);
	stmt_slot *pSlot = &g->aCache[g->iNextSlot];
	g->iNextSlot = (g->iNextSlot + 1) % N_STMT_CACHE;
	sqlite3_finalize(pSlot->pStmt);
	snprintf(pSlot->zTable, sizeof pSlot->zTable, "%s", def->zName);
	pSlot->pStmt = pStmt;
	return pStmt;
}

static void bind_time(sqlite3_stmt *p, int i, st_time_ms t)
{
	if (t == ST_TIME_NONE) {
		sqlite3_bind_null(p, i);
		return;
	}
	char z[32];
	size_t n = st__time_iso(t, z);
	sqlite3_bind_text(p, i, z, (int)n, SQLITE_TRANSIENT);
}

static st_status gp_insert(st_store *s, const st_table_def *def,
                           const st_value *aVal, const st_geom *pGeom,
                           int64_t *pId)
{
	sqlite3_stmt *p = insert_stmt(s, def);
	if (!p)
		return s->zErr[0] ? ST_ESTORE : st__store_err(s, ST_ESTORE, "prepare");
	for (int i = 0; i < def->nCol; i++) {
		const st_value *v = &aVal[i];
		int k = i + 1;
		if (v->isNull) {
			sqlite3_bind_null(p, k);
			continue;
		}
		switch (def->aCol[i].type) {
		case ST_COL_INT:
			sqlite3_bind_int64(p, k, v->i);
			break;
		case ST_COL_REAL:
			if (isnan(v->r))
				sqlite3_bind_null(p, k);
			else
				sqlite3_bind_double(p, k, v->r);
			break;
		case ST_COL_TEXT:
			if (v->z)
				sqlite3_bind_text(p, k, v->z, -1, SQLITE_TRANSIENT);
			else
				sqlite3_bind_null(p, k);
			break;
		case ST_COL_TIME:
			bind_time(p, k, v->t);
			break;
		}
	}
	unsigned char aStack[256];
	unsigned char *pBlob = NULL;
	if (def->geom != ST_GEOM_NONE) {
		int k = def->nCol + 1;
		if (!pGeom) {
			sqlite3_bind_null(p, k);
		} else {
			size_t nNeed = 8 + 32 + 9 + 16 * pGeom->nPoint + 16;
			pBlob = nNeed <= sizeof aStack ? aStack : malloc(nNeed);
			if (!pBlob)
				return st__store_err(s, ST_ENOMEM, "out of memory");
			size_t n = st__gpkg_blob(pGeom, 4326, pBlob, nNeed);
			sqlite3_bind_blob(p, k, pBlob, (int)n, SQLITE_TRANSIENT);
		}
	}
	int src = sqlite3_step(p);
	sqlite3_reset(p);
	sqlite3_clear_bindings(p);
	if (pBlob && pBlob != aStack)
		free(pBlob);
	if (src != SQLITE_DONE)
		return db_err(s, def->zName);
	if (pId)
		*pId = sqlite3_last_insert_rowid(G(s)->db);
	return ST_OK;
}

static st_status gp_update_extent(st_store *s, const char *zTable)
{
	if (!st__store_valid_name(zTable))
		return st__store_err(s, ST_EINVAL, "bad table name");
	char *z = sqlite3_mprintf(
		"UPDATE gpkg_contents SET (min_x, max_x, min_y, max_y, last_change) ="
		" (SELECT min(ST_MinX(geom)), max(ST_MaxX(geom)), min(ST_MinY(geom)),"
		" max(ST_MaxY(geom)), strftime('%%Y-%%m-%%dT%%H:%%M:%%fZ','now')"
		" FROM \"%s\")"
		" WHERE table_name = '%s'", zTable, zTable);
	st_status rc = exec(s, z);
	sqlite3_free(z);
	return rc;
}

static st_status gp_query(st_store *s, const char *zSql, st_row_fn xRow,
                          void *ctx, char *zErr, size_t nErr)
{
	sqlite3 *db = G(s)->db;
	const char *zTail = zSql;
	while (zTail && *zTail) {
		sqlite3_stmt *p = NULL;
		if (sqlite3_prepare_v2(db, zTail, -1, &p, &zTail) != SQLITE_OK) {
			snprintf(zErr, nErr, "%s", sqlite3_errmsg(db));
			return db_err(s, "query");
		}
		if (!p)
			continue;   /* whitespace or comment */
		int nCol = sqlite3_column_count(p);
		const char *azVal[64], *azCol[64];
		if (nCol > 64)
			nCol = 64;
		int rc;
		while ((rc = sqlite3_step(p)) == SQLITE_ROW) {
			if (!xRow)
				continue;
			for (int i = 0; i < nCol; i++) {
				azVal[i] = (const char *)sqlite3_column_text(p, i);
				azCol[i] = sqlite3_column_name(p, i);
			}
			if (xRow(ctx, nCol, azVal, azCol)) {
				rc = SQLITE_DONE;
				break;
			}
		}
		if (rc != SQLITE_DONE) {
			snprintf(zErr, nErr, "%s", sqlite3_errmsg(db));
			st_status st = db_err(s, "query");
			sqlite3_finalize(p);
			return st;
		}
		sqlite3_finalize(p);
	}
	return ST_OK;
}

static st_status gp_read_positions(st_store *s, st_position_fn xPos,
                                   void *ctx, char *zErr, size_t nErr)
{
	sqlite3 *db = G(s)->db;
	sqlite3_stmt *p = NULL;
	if (sqlite3_prepare_v2(db,
	        "SELECT id, mmsi, time, lat, lon, sog, cog, heading, nav_status,"
	        " msg_type FROM positions ORDER BY mmsi, time, id", -1, &p,
	        NULL) != SQLITE_OK) {
		snprintf(zErr, nErr, "%s", sqlite3_errmsg(db));
		return db_err(s, "read positions");
	}
	int rc;
	while ((rc = sqlite3_step(p)) == SQLITE_ROW) {
		st_position pos;
		memset(&pos, 0, sizeof pos);
		pos.mmsi = (uint32_t)sqlite3_column_int64(p, 1);
		pos.t = sqlite3_column_type(p, 2) == SQLITE_NULL
		            ? ST_TIME_NONE
		            : st__time_parse((const char *)sqlite3_column_text(p, 2));
		pos.lat = sqlite3_column_type(p, 3) == SQLITE_NULL
		              ? NAN : sqlite3_column_double(p, 3);
		pos.lon = sqlite3_column_type(p, 4) == SQLITE_NULL
		              ? NAN : sqlite3_column_double(p, 4);
		pos.sog = sqlite3_column_type(p, 5) == SQLITE_NULL
		              ? NAN : (float)sqlite3_column_double(p, 5);
		pos.cog = sqlite3_column_type(p, 6) == SQLITE_NULL
		              ? NAN : (float)sqlite3_column_double(p, 6);
		pos.heading = sqlite3_column_type(p, 7) == SQLITE_NULL
		                  ? -1 : (int16_t)sqlite3_column_int(p, 7);
		pos.nav_status = sqlite3_column_type(p, 8) == SQLITE_NULL
		                     ? -1 : (int8_t)sqlite3_column_int(p, 8);
		pos.msg_type = (uint8_t)sqlite3_column_int(p, 9);
		if (xPos(ctx, &pos, sqlite3_column_int64(p, 0))) {
			rc = SQLITE_DONE;
			break;
		}
	}
	st_status st = ST_OK;
	if (rc != SQLITE_DONE) {
		snprintf(zErr, nErr, "%s", sqlite3_errmsg(db));
		st = db_err(s, "read positions");
	}
	sqlite3_finalize(p);
	return st;
}

static st_status gp_tables(st_store *s, st_table_fn xTable, void *ctx)
{
	sqlite3 *db = G(s)->db;
	sqlite3_stmt *p = NULL;
	if (sqlite3_prepare_v2(db,
	        "SELECT m.name, EXISTS (SELECT 1 FROM gpkg_geometry_columns g"
	        " WHERE g.table_name = m.name) FROM sqlite_master m"
	        " WHERE m.type = 'table' AND m.name NOT LIKE 'gpkg%'"
	        " AND m.name NOT LIKE 'rtree%' AND m.name NOT LIKE 'sqlite%'"
	        " ORDER BY m.name", -1, &p, NULL) != SQLITE_OK)
		return db_err(s, "list tables");
	st_status st = ST_OK;
	while (sqlite3_step(p) == SQLITE_ROW) {
		const char *zName = (const char *)sqlite3_column_text(p, 0);
		int isSpatial = sqlite3_column_int(p, 1);
		char *zSql = sqlite3_mprintf("SELECT count(*) FROM \"%w\"", zName);
		sqlite3_stmt *pCount = NULL;
		int64_t n = -1;
		if (zSql && sqlite3_prepare_v2(db, zSql, -1, &pCount, NULL) ==
		                SQLITE_OK &&
		    sqlite3_step(pCount) == SQLITE_ROW)
			n = sqlite3_column_int64(pCount, 0);
		sqlite3_finalize(pCount);
		sqlite3_free(zSql);
		if (xTable(ctx, zName, n, isSpatial))
			break;
	}
	sqlite3_finalize(p);
	return st;
}

/* ---- bulk ingest --------------------------------------------------------- */

/* The caller's thread (gp_position, gp_static) fills slot iFill: the time
 * text, the geometry blob, the R-tree entry, a copy of each report. A full
 * slot goes to the writer, which inserts its positions, puts its R-tree
 * entries (writing a chunk of the index when one is full) and inserts its
 * reports, slot after slot in the order they were filled, so the ids and
 * the rowid map come out as in a load on one thread. The caller waits only
 * when all N_SLOT slots are waiting. From bulk_begin to the end of the
 * load only the writer touches the connection; bulk_end and bulk_abort
 * wait for it to finish before they use it. A failure in the writer is
 * kept (wRc, zWErr), the slots after it are dropped, and the caller's next
 * hand-over returns it. */

static int valid_fix(double lat, double lon)
{
	return isfinite(lat) && isfinite(lon) && lat >= -90 && lat <= 90 &&
	       lon >= -180 && lon <= 180;
}

/* A slot's positions as a virtual table: the writer inserts them all with
 * one statement, INSERT INTO positions (...) SELECT ... FROM
 * st_slot_positions, over an eponymous virtual table whose rows are the
 * slot's, read in place: SQLite takes each value through xColumn, with no
 * parameter to bind per value (binding eleven parameters a row was a
 * fifth of the instructions of inserting it), and one statement covers a
 * whole slot. */
typedef struct slot_vtab {
	sqlite3_vtab base;
	gpkg *g;
} slot_vtab;

typedef struct slot_cursor {
	sqlite3_vtab_cursor base;
	const slot *sl;
	int i;
} slot_cursor;

enum { SC_MMSI, SC_TIME, SC_LAT, SC_LON, SC_SOG, SC_COG, SC_HEADING,
       SC_NAV_STATUS, SC_MSG_TYPE, SC_GEOM };

static int sv_connect(sqlite3 *db, void *pAux, int argc,
                      const char *const *argv, sqlite3_vtab **ppVtab,
                      char **pzErr)
{
	(void)argc;
	(void)argv;
	(void)pzErr;
	int rc = sqlite3_declare_vtab(db, "CREATE TABLE x(mmsi, time, lat, lon,"
	                              " sog, cog, heading, nav_status, msg_type,"
	                              " geom)");
	if (rc != SQLITE_OK)
		return rc;
	slot_vtab *v = sqlite3_malloc(sizeof *v);
	if (!v)
		return SQLITE_NOMEM;
	memset(v, 0, sizeof *v);
	v->g = pAux;
	*ppVtab = &v->base;
	return SQLITE_OK;
}

static int sv_disconnect(sqlite3_vtab *pVtab)
{
	sqlite3_free(pVtab);
	return SQLITE_OK;
}

static int sv_best_index(sqlite3_vtab *pVtab, sqlite3_index_info *pInfo)
{
	(void)pVtab;
	pInfo->estimatedCost = SLOT_POS;
	pInfo->estimatedRows = SLOT_POS;
	return SQLITE_OK;
}

static int sv_open(sqlite3_vtab *pVtab, sqlite3_vtab_cursor **ppCur)
{
	(void)pVtab;
	slot_cursor *c = sqlite3_malloc(sizeof *c);
	if (!c)
		return SQLITE_NOMEM;
	memset(c, 0, sizeof *c);
	*ppCur = &c->base;
	return SQLITE_OK;
}

static int sv_close(sqlite3_vtab_cursor *pCur)
{
	sqlite3_free(pCur);
	return SQLITE_OK;
}

static int sv_filter(sqlite3_vtab_cursor *pCur, int idxNum,
                     const char *idxStr, int argc, sqlite3_value **argv)
{
	(void)idxNum;
	(void)idxStr;
	(void)argc;
	(void)argv;
	slot_cursor *c = (slot_cursor *)pCur;
	c->sl = ((slot_vtab *)pCur->pVtab)->g->pWriting;
	c->i = 0;
	return SQLITE_OK;
}

static int sv_next(sqlite3_vtab_cursor *pCur)
{
	((slot_cursor *)pCur)->i++;
	return SQLITE_OK;
}

static int sv_eof(sqlite3_vtab_cursor *pCur)
{
	slot_cursor *c = (slot_cursor *)pCur;
	return !c->sl || c->i >= c->sl->nPos;
}

/* A value not given stays NULL, as SQLite sets the column before asking. */
static int sv_column(sqlite3_vtab_cursor *pCur, sqlite3_context *ctx, int iCol)
{
	slot_cursor *c = (slot_cursor *)pCur;
	const posrow *r = &c->sl->aPos[c->i];
	const st_position *pos = &r->pos;
	switch (iCol) {
	case SC_MMSI:
		sqlite3_result_int64(ctx, pos->mmsi);
		break;
	case SC_TIME:
		if (r->nTime)
			sqlite3_result_text(ctx, r->zTime, r->nTime, SQLITE_STATIC);
		break;
	case SC_LAT:
		if (!isnan(pos->lat))
			sqlite3_result_double(ctx, pos->lat);
		break;
	case SC_LON:
		if (!isnan(pos->lon))
			sqlite3_result_double(ctx, pos->lon);
		break;
	case SC_SOG:
		if (!isnan(pos->sog))
			sqlite3_result_double(ctx, st__f2d(pos->sog));
		break;
	case SC_COG:
		if (!isnan(pos->cog))
			sqlite3_result_double(ctx, st__f2d(pos->cog));
		break;
	case SC_HEADING:
		if (pos->heading >= 0)
			sqlite3_result_int(ctx, pos->heading);
		break;
	case SC_NAV_STATUS:
		if (pos->nav_status >= 0)
			sqlite3_result_int(ctx, pos->nav_status);
		break;
	case SC_MSG_TYPE:
		sqlite3_result_int(ctx, pos->msg_type);
		break;
	case SC_GEOM:
		if (r->nBlob)
			sqlite3_result_blob(ctx, r->aBlob, r->nBlob, SQLITE_STATIC);
		break;
	}
	return SQLITE_OK;
}

static int sv_rowid(sqlite3_vtab_cursor *pCur, sqlite3_int64 *pRowid)
{
	*pRowid = ((slot_cursor *)pCur)->i;
	return SQLITE_OK;
}

/* Eponymous only (no xCreate): it exists in every schema of the
 * connection as it is, and cannot be created as a table of the case. */
static const sqlite3_module slotModule = {
	.xConnect = sv_connect,
	.xBestIndex = sv_best_index,
	.xDisconnect = sv_disconnect,
	.xOpen = sv_open,
	.xClose = sv_close,
	.xFilter = sv_filter,
	.xNext = sv_next,
	.xEof = sv_eof,
	.xColumn = sv_column,
	.xRowid = sv_rowid,
};

static void bind_int_or_null(sqlite3_stmt *p, int i, int64_t v, int isNull)
{
	if (isNull)
		sqlite3_bind_null(p, i);
	else
		sqlite3_bind_int64(p, i, v);
}

static void bind_text_or_null(sqlite3_stmt *p, int i, const char *z, size_t n)
{
	size_t len = strnlen(z, n);
	if (!len)
		sqlite3_bind_null(p, i);
	else
		sqlite3_bind_text(p, i, z, (int)len, SQLITE_TRANSIENT);
}

/* Inserts one vessel report (the writer's side of gp_static). */
static int write_report(gpkg *g, const st_static_report *r)
{
	sqlite3_stmt *p = g->pRep;
	sqlite3_bind_int64(p, 1, r->mmsi);
	bind_time(p, 2, r->t);
	bind_int_or_null(p, 3, r->imo, r->imo == 0);
	bind_text_or_null(p, 4, r->name, sizeof r->name);
	bind_text_or_null(p, 5, r->callsign, sizeof r->callsign);
	bind_int_or_null(p, 6, r->ship_type, r->ship_type < 0);
	bind_int_or_null(p, 7, r->to_bow, r->to_bow < 0);
	bind_int_or_null(p, 8, r->to_stern, r->to_stern < 0);
	bind_int_or_null(p, 9, r->to_port, r->to_port < 0);
	bind_int_or_null(p, 10, r->to_starboard, r->to_starboard < 0);
	if (isnan(r->draught))
		sqlite3_bind_null(p, 11);
	else
		sqlite3_bind_double(p, 11, st__f2d(r->draught));
	bind_text_or_null(p, 12, r->destination, sizeof r->destination);
	char zEta[32];
	size_t nEta = st__eta_text(r, zEta, sizeof zEta);
	if (nEta)
		sqlite3_bind_text(p, 13, zEta, (int)nEta, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(p, 13);
	sqlite3_bind_int(p, 14, r->msg_type);
	sqlite3_bind_int64(p, 15, g->sourceId);
	int rc = sqlite3_step(p);
	sqlite3_reset(p);
	return rc == SQLITE_DONE ? 0 : 1;
}

/* Writes one slot: its positions in one statement, their R-tree entries,
 * then its reports. */
static st_status write_slot(st_store *s, const slot *sl, char *zErr,
                            size_t nErr)
{
	gpkg *g = G(s);
	int i;
	g->pWriting = sl;
	sqlite3_bind_int64(g->pPos, 1, g->sourceId);
	int rc = sqlite3_step(g->pPos);
	sqlite3_reset(g->pPos);
	g->pWriting = NULL;
	if (rc != SQLITE_DONE)
		return sql_fail(g->db, s->zPath, "positions", zErr, nErr);
	for (i = 0; g->pBuild && i < sl->nPos; i++) {
		/* a failed put drops the build: bulk_end packs the usual way */
		if (sl->aPos[i].nBlob && st__rtree_build_put(g->pBuild, &sl->aPos[i].e)) {
			st__rtree_build_free(g->pBuild);
			g->pBuild = NULL;
		}
	}
	for (i = 0; i < sl->nRep; i++)
		if (write_report(g, &sl->aRep[i]))
			return sql_fail(g->db, s->zPath, "vessel_reports", zErr, nErr);
	return ST_OK;
}

static void *writer_main(void *arg)
{
	st_store *s = arg;
	gpkg *g = G(s);
	char zErr[sizeof g->zWErr];
	pthread_mutex_lock(&g->mu);
	for (;;) {
		while (!g->nFull && !g->stop)
			pthread_cond_wait(&g->cvFull, &g->mu);
		if (!g->nFull)
			break;
		const slot *sl = &g->aSlot[g->iWrite];
		int skip = g->wRc != ST_OK || g->discard;
		pthread_mutex_unlock(&g->mu);
		st_status rc = skip ? ST_OK : write_slot(s, sl, zErr, sizeof zErr);
		pthread_mutex_lock(&g->mu);
		if (rc != ST_OK && g->wRc == ST_OK) {
			g->wRc = rc;
			memcpy(g->zWErr, zErr, sizeof zErr);
		}
		g->iWrite = (g->iWrite + 1) % N_SLOT;
		g->nFull--;
		pthread_cond_signal(&g->cvFree);
	}
	pthread_mutex_unlock(&g->mu);
	struct timespec ts;
	if (getenv("ST_STORE_TIMING") &&
	    !clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts))
		fprintf(stderr, "store: writer thread %.2fs (CPU)\n",
		        (double)ts.tv_sec + ts.tv_nsec / 1e9);
	return NULL;
}

/* Starts the writer; without a thread (none could be started, or
 * ST_STORE_THREADS=1 asks for one thread) the caller writes each slot
 * itself when it is full. */
static st_status writer_start(st_store *s)
{
	gpkg *g = G(s);
	if (!g->aSlot && !(g->aSlot = malloc(N_SLOT * sizeof *g->aSlot)))
		return st__store_err(s, ST_ENOMEM, "out of memory");
	for (int i = 0; i < N_SLOT; i++)
		g->aSlot[i].nPos = g->aSlot[i].nRep = 0;
	g->iFill = g->iWrite = g->nFull = 0;
	g->stop = g->discard = 0;
	g->wRc = ST_OK;
	g->zWErr[0] = 0;
	g->haveWriter = 0;
	g->nHanded = 0;
	g->fdFlush = open(s->zPath, O_RDONLY | O_CLOEXEC);
	const char *z = getenv("ST_STORE_THREADS");
	if (z && atoi(z) == 1)
		return ST_OK;
	if (pthread_mutex_init(&g->mu, NULL))
		return ST_OK;
	if (pthread_cond_init(&g->cvFull, NULL)) {
		pthread_mutex_destroy(&g->mu);
		return ST_OK;
	}
	if (pthread_cond_init(&g->cvFree, NULL)) {
		pthread_cond_destroy(&g->cvFull);
		pthread_mutex_destroy(&g->mu);
		return ST_OK;
	}
	if (pthread_create(&g->writer, NULL, writer_main, s)) {
		pthread_cond_destroy(&g->cvFree);
		pthread_cond_destroy(&g->cvFull);
		pthread_mutex_destroy(&g->mu);
		return ST_OK;
	}
	g->haveWriter = 1;
	return ST_OK;
}

/* Waits for the writer to write (or, discarding, drop) what it was given
 * and return; returns its first failure. */
static st_status writer_stop(st_store *s, int discard)
{
	gpkg *g = G(s);
	if (g->haveWriter) {
		pthread_mutex_lock(&g->mu);
		g->stop = 1;
		g->discard |= discard;
		pthread_cond_signal(&g->cvFull);
		pthread_mutex_unlock(&g->mu);
		pthread_join(g->writer, NULL);
		pthread_cond_destroy(&g->cvFree);
		pthread_cond_destroy(&g->cvFull);
		pthread_mutex_destroy(&g->mu);
		g->haveWriter = 0;
	}
	if (g->fdFlush >= 0)
		close(g->fdFlush);
	g->fdFlush = -1;
	if (g->wRc != ST_OK && !discard)
		return st__store_err(s, g->wRc, "%s", g->zWErr);
	return ST_OK;
}

/* Hands the slot being filled to the writer and moves to the next one,
 * waiting while every slot is taken. */
static st_status hand_over(st_store *s)
{
	gpkg *g = G(s);
	slot *sl = &g->aSlot[g->iFill];
	if (g->fdFlush >= 0 && ++g->nHanded % FLUSH_SLOTS == 0)
		sync_file_range(g->fdFlush, 0, 0, SYNC_FILE_RANGE_WRITE);
	if (!g->haveWriter) {
		if (g->wRc == ST_OK)
			g->wRc = write_slot(s, sl, g->zWErr, sizeof g->zWErr);
		sl->nPos = sl->nRep = 0;
		return g->wRc == ST_OK ? ST_OK
		                       : st__store_err(s, g->wRc, "%s", g->zWErr);
	}
	pthread_mutex_lock(&g->mu);
	g->nFull++;
	pthread_cond_signal(&g->cvFull);
	while (g->nFull == N_SLOT)
		pthread_cond_wait(&g->cvFree, &g->mu);
	st_status rc = g->wRc;
	pthread_mutex_unlock(&g->mu);
	g->iFill = (g->iFill + 1) % N_SLOT;
	sl = &g->aSlot[g->iFill];
	sl->nPos = sl->nRep = 0;
	return rc == ST_OK ? ST_OK : st__store_err(s, rc, "%s", g->zWErr);
}

static st_status gp_bulk_begin(st_store *s, int64_t sourceId)
{
	gpkg *g = G(s);
	g->sourceId = sourceId;
	g->haveBox = 0;
	g->tCache = ST_TIME_NONE;
	sqlite3_stmt *p = NULL;
	g->maxIdBefore = 0;
	if (sqlite3_prepare_v2(g->db, "SELECT coalesce(max(id), 0) FROM positions",
	                       -1, &p, NULL) != SQLITE_OK)
		return db_err(s, "positions");
	if (sqlite3_step(p) == SQLITE_ROW)
		g->maxIdBefore = sqlite3_column_int64(p, 0);
	sqlite3_finalize(p);
	st_status rc = exec(s, "DROP TRIGGER IF EXISTS rtree_positions_geom_insert");
	if (rc != ST_OK)
		return rc;
	/* Into an empty table the new rows are the whole index: pack it from
	 * them as they come instead of reading them back at the end. SQLite
	 * numbers rows max(id) + 1 on, which bulk_end checks. */
	st__rtree_build_free(g->pBuild);
	g->pBuild = NULL;
	g->nextId = g->maxIdBefore + 1;
	if (g->maxIdBefore == 0) {
		char zErr[512];
		g->pBuild = st__rtree_build_begin(g->db, "rtree_positions_geom", 0,
		                                  zErr, sizeof zErr);
		if (!g->pBuild)
			return st__store_err(s, ST_ESTORE, "%s: %s", s->zPath, zErr);
	}
	g->buildOn = g->pBuild != NULL;
	if (!g->haveModule) {
		if (sqlite3_create_module(g->db, "st_slot_positions", &slotModule, g) !=
		    SQLITE_OK)
			return db_err(s, "st_slot_positions");
		g->haveModule = 1;
	}
	if (!g->pPos &&
	    sqlite3_prepare_v3(g->db,
	        "INSERT INTO positions (mmsi, time, lat, lon, sog, cog, heading,"
	        " nav_status, msg_type, source_id, geom) SELECT mmsi, time, lat,"
	        " lon, sog, cog, heading, nav_status, msg_type, ?1, geom FROM"
	        " st_slot_positions", -1, SQLITE_PREPARE_PERSISTENT, &g->pPos,
	        NULL) != SQLITE_OK)
		return db_err(s, "positions");
	if (!g->pRep &&
	    sqlite3_prepare_v3(g->db,
	        "INSERT INTO vessel_reports (mmsi, time, imo, name, callsign,"
	        " ship_type, to_bow, to_stern, to_port, to_starboard, draught,"
	        " destination, eta, msg_type, source_id) VALUES"
	        " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", -1,
	        SQLITE_PREPARE_PERSISTENT, &g->pRep, NULL) != SQLITE_OK)
		return db_err(s, "vessel_reports");
	return writer_start(s);
}

static st_status gp_position(st_store *s, const st_position *pos)
{
	gpkg *g = G(s);
	slot *sl = &g->aSlot[g->iFill];
	posrow *r = &sl->aPos[sl->nPos];
	r->pos = *pos;
	r->nTime = 0;
	if (pos->t != ST_TIME_NONE) {
		/* most feeds repeat the same second many times: format each
		 * second once, then patch in the milliseconds */
		st_time_ms sec = pos->t - (((pos->t % 1000) + 1000) % 1000);
		if (sec != g->tCache) {
			g->nTimeCache = (int)st__time_iso(sec, g->zTimeCache);
			g->tCache = sec;
		}
		char *z = r->zTime;
		memcpy(z, g->zTimeCache, 25);
		int ms = (int)(pos->t - sec);
		if (z[19] == '.') {
			z[20] = (char)('0' + ms / 100);
			z[21] = (char)('0' + ms / 10 % 10);
			z[22] = (char)('0' + ms % 10);
			r->nTime = g->nTimeCache;
		} else {
			r->nTime = (int)st__time_iso(pos->t, z);
		}
	}
	r->nBlob = 0;
	int64_t id = g->nextId++;
	if (valid_fix(pos->lat, pos->lon)) {
		if (g->buildOn)
			st__rtree_entry_make(&r->e, id, pos->lon, pos->lat);
		double xy[2] = {pos->lon, pos->lat};
		st_geom geom = {ST_GEOM_POINT, 1, xy};
		r->nBlob = (int)st__gpkg_blob(&geom, 4326, r->aBlob, sizeof r->aBlob);
		if (!g->haveBox) {
			g->bbox[0] = g->bbox[1] = pos->lon;
			g->bbox[2] = g->bbox[3] = pos->lat;
			g->haveBox = 1;
		} else {
			if (pos->lon < g->bbox[0]) g->bbox[0] = pos->lon;
			if (pos->lon > g->bbox[1]) g->bbox[1] = pos->lon;
			if (pos->lat < g->bbox[2]) g->bbox[2] = pos->lat;
			if (pos->lat > g->bbox[3]) g->bbox[3] = pos->lat;
		}
	}
	if (++sl->nPos == SLOT_POS)
		return hand_over(s);
	return ST_OK;
}

static st_status gp_static(st_store *s, const st_static_report *r)
{
	gpkg *g = G(s);
	slot *sl = &g->aSlot[g->iFill];
	sl->aRep[sl->nRep] = *r;
	if (++sl->nRep == SLOT_REP)
		return hand_over(s);
	return ST_OK;
}

static st_status gp_bulk_end(st_store *s)
{
	gpkg *g = G(s);
	sqlite3_stmt *p = NULL;
	int64_t nNew = 0, nAll = 0;
	const slot *sl = &g->aSlot[g->iFill];
	st_status rc = sl->nPos || sl->nRep ? hand_over(s) : ST_OK;
	st_status rcW = writer_stop(s, 0);
	if (rc != ST_OK || rcW != ST_OK)
		return rc != ST_OK ? rc : rcW;
	if (sqlite3_prepare_v2(g->db, "SELECT coalesce(max(id), 0) FROM positions",
	                       -1, &p, NULL) != SQLITE_OK)
		return db_err(s, "positions");
	if (sqlite3_step(p) == SQLITE_ROW)
		nAll = sqlite3_column_int64(p, 0);
	sqlite3_finalize(p);
	nNew = nAll - g->maxIdBefore;
	st__rtree_build *pBuild = g->pBuild;
	g->pBuild = NULL;
	if (pBuild && nAll == g->nextId - 1) {
		char zErr[512];
		if (st__rtree_build_end(pBuild, zErr, sizeof zErr))
			return st__store_err(s, ST_ESTORE, "%s: %s", s->zPath, zErr);
	} else if (g->maxIdBefore == 0 || (nNew > 5000 && nNew * 10 > nAll)) {
		/* a large load, or a build during the load that did not finish
		 * (and may have left nodes): pack the whole index again */
		st__rtree_build_free(pBuild);
		char zErr[512];
		if (st__rtree_pack(g->db, "rtree_positions_geom",
		        "SELECT id, lon, lat FROM positions WHERE geom IS NOT NULL",
		        0, zErr, sizeof zErr))
			return st__store_err(s, ST_ESTORE, "%s: %s", s->zPath, zErr);
	} else {
		st__rtree_build_free(pBuild);
		char *z = sqlite3_mprintf(
			"INSERT INTO rtree_positions_geom SELECT id, lon, lon, lat, lat"
			" FROM positions WHERE id > %lld AND geom IS NOT NULL"
			" ORDER BY st_hilbert(lon, lat)", (long long)g->maxIdBefore);
		rc = exec(s, z);
		sqlite3_free(z);
	}
	if (rc == ST_OK)
		rc = exec(s, RTREE_INSERT_TRIGGER("positions"));
	char *z;
	if (rc != ST_OK || !g->haveBox)
		return rc;
	/* the extent of the layer: the old one grown by the new rows */
	z = sqlite3_mprintf(
		"UPDATE gpkg_contents SET"
		" min_x = CASE WHEN min_x IS NULL OR min_x > %!.17g THEN %!.17g"
		" ELSE min_x END,"
		" max_x = CASE WHEN max_x IS NULL OR max_x < %!.17g THEN %!.17g"
		" ELSE max_x END,"
		" min_y = CASE WHEN min_y IS NULL OR min_y > %!.17g THEN %!.17g"
		" ELSE min_y END,"
		" max_y = CASE WHEN max_y IS NULL OR max_y < %!.17g THEN %!.17g"
		" ELSE max_y END,"
		" last_change = strftime('%%Y-%%m-%%dT%%H:%%M:%%fZ','now')"
		" WHERE table_name = 'positions'",
		g->bbox[0], g->bbox[0], g->bbox[1], g->bbox[1], g->bbox[2],
		g->bbox[2], g->bbox[3], g->bbox[3]);
	rc = exec(s, z);
	sqlite3_free(z);
	return rc;
}

static void gp_bulk_abort(st_store *s)
{
	gpkg *g = G(s);
	if (g->aSlot) {
		writer_stop(s, 1);
		g->aSlot[g->iFill].nPos = g->aSlot[g->iFill].nRep = 0;
	}
	st__rtree_build_free(g->pBuild);
	g->pBuild = NULL;
	if (g->pPos)
		sqlite3_reset(g->pPos);
	if (g->pRep)
		sqlite3_reset(g->pRep);
}

/* Vessels per upsert statement: 12 columns x 64 rows stays under SQLite's
 * default limit of 999 parameters. */
#define VESSEL_BATCH 64

/* Prepares the vessel upsert for nRow rows. */
static sqlite3_stmt *vessel_stmt(sqlite3 *db, int nRow)
{
	sqlite3_str *pStr = sqlite3_str_new(db);
	sqlite3_str_appendall(pStr, "INSERT INTO vessels (mmsi, imo, name,"
	    " callsign, ship_type, length, width, first_seen, last_seen,"
	    " last_report, n_positions, n_reports) VALUES ");
	for (int i = 0; i < nRow; i++)
		sqlite3_str_appendall(pStr, i ? ", (?,?,?,?,?,?,?,?,?,?,?,?)"
		                              : "(?,?,?,?,?,?,?,?,?,?,?,?)");
	sqlite3_str_appendf(pStr, " ON CONFLICT (mmsi) DO UPDATE SET %s",
	                    st__vessel_merge_sql);
	char *z = sqlite3_str_finish(pStr);
	sqlite3_stmt *p = NULL;
	if (z && sqlite3_prepare_v2(db, z, -1, &p, NULL) != SQLITE_OK)
		p = NULL;
	sqlite3_free(z);
	return p;
}

/* Merges the ingest's vessel summaries (sorted by MMSI, each MMSI once)
 * into vessels, VESSEL_BATCH rows per statement. */
static st_status gp_merge_vessels(st_store *s, st__vagg *const *apV, size_t n)
{
	gpkg *g = G(s);
	sqlite3_stmt *pBatch = n >= VESSEL_BATCH ? vessel_stmt(g->db, VESSEL_BATCH)
	                                         : NULL;
	sqlite3_stmt *pOne = vessel_stmt(g->db, 1);
	if (!pOne || (n >= VESSEL_BATCH && !pBatch)) {
		sqlite3_finalize(pBatch);
		sqlite3_finalize(pOne);
		return db_err(s, "vessels");
	}
	for (size_t i = 0; i < n;) {
		int nRow = n - i >= VESSEL_BATCH ? VESSEL_BATCH : 1;
		sqlite3_stmt *p = nRow > 1 ? pBatch : pOne;
		for (int k = 0; k < nRow; k++, i++) {
			const st__vagg *v = apV[i];
			const st__vident *id = v->pId ? v->pId : &st__vident_none;
			int b = 12 * k;
			sqlite3_bind_int64(p, b + 1, v->mmsi == 0xffffffffu ? 0 : v->mmsi);
			bind_int_or_null(p, b + 2, id->imo, id->imo == 0);
			bind_text_or_null(p, b + 3, id->name, sizeof id->name);
			bind_text_or_null(p, b + 4, id->callsign, sizeof id->callsign);
			bind_int_or_null(p, b + 5, id->ship_type, id->ship_type < 0);
			bind_int_or_null(p, b + 6, id->length, id->length < 0);
			bind_int_or_null(p, b + 7, id->width, id->width < 0);
			bind_time(p, b + 8, v->first);
			bind_time(p, b + 9, v->last);
			bind_time(p, b + 10, id->tReport);
			sqlite3_bind_int64(p, b + 11, (int64_t)v->nPos);
			sqlite3_bind_int64(p, b + 12, (int64_t)v->nRep);
		}
		int rc = sqlite3_step(p);
		sqlite3_reset(p);
		if (rc != SQLITE_DONE) {
			st_status st = db_err(s, "vessels");
			sqlite3_finalize(pBatch);
			sqlite3_finalize(pOne);
			return st;
		}
	}
	sqlite3_finalize(pBatch);
	sqlite3_finalize(pOne);
	return ST_OK;
}

/* ---- open / close -------------------------------------------------------- */

static void gp_close(st_store *s)
{
	gpkg *g = G(s);
	if (!g)
		return;
	if (g->haveWriter || g->fdFlush >= 0)
		writer_stop(s, 1);
	free(g->aSlot);
	for (int i = 0; i < N_STMT_CACHE; i++)
		sqlite3_finalize(g->aCache[i].pStmt);
	sqlite3_finalize(g->pPos);
	st__rtree_build_free(g->pBuild);
	sqlite3_finalize(g->pRep);
	sqlite3_close(g->db);
	free(g);
	s->pImpl = NULL;
}

static const char *gp_target(const st_store *s)
{
	return s->zPath;
}

static st_status gp_exec(st_store *s, const char *zSql)
{
	return exec(s, zSql);
}

static const st__backend gpkg_methods = {
	.zName = "gpkg",
	.xClose = gp_close,
	.xTarget = gp_target,
	.xExec = gp_exec,
	.xCreateTable = gp_create_table,
	.xCreateIndex = gp_create_index,
	.xInsert = gp_insert,
	.xUpdateExtent = gp_update_extent,
	.xQuery = gp_query,
	.xReadPositions = gp_read_positions,
	.xTables = gp_tables,
	.xBulkBegin = gp_bulk_begin,
	.xPosition = gp_position,
	.xStatic = gp_static,
	.xBulkEnd = gp_bulk_end,
	.xBulkAbort = gp_bulk_abort,
	.xMergeVessels = gp_merge_vessels,
};

static st_store *new_store(const char *zPath)
{
	st_store *s = calloc(1, sizeof *s);
	gpkg *g = calloc(1, sizeof *g);
	char *zCopy = strdup(zPath);
	if (!s || !g || !zCopy) {
		free(s);
		free(g);
		free(zCopy);
		return NULL;
	}
	g->fdFlush = -1;
	s->pMethods = &gpkg_methods;
	s->pImpl = g;
	s->zPath = zCopy;
	return s;
}

/* Connection settings for every open: a page cache of bounded size (the
 * ingest streams; a larger-than-memory file spills to the database, which
 * the rollback journal keeps atomic), foreign keys off as GeoPackage tools
 * expect, and the ST_* functions for the R-tree triggers. */
static int configure(sqlite3 *db)
{
	sqlite3_busy_timeout(db, 5000);
	return register_functions(db) || st__rtree_register(db) ||
	       sqlite3_exec(db, "PRAGMA cache_size = -16384;"
	                        "PRAGMA temp_store = FILE;", NULL, NULL,
	                    NULL) != SQLITE_OK;
}

/* Builds a new case at zTmp. */
static st_status build_case(st_store *s, const char *zTmp, char *zErr,
                            size_t nErr)
{
	gpkg *g = G(s);
	if (sqlite3_open_v2(zTmp, &g->db,
	                    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX |
	                        SQLITE_OPEN_EXCLUSIVE, NULL) != SQLITE_OK ||
	    configure(g->db)) {
		snprintf(zErr, nErr, "%s: cannot create: %s", s->zPath,
		         g->db ? sqlite3_errmsg(g->db) : "out of memory");
		return ST_EIO;
	}
	char *zSave = s->zPath;
	s->zPath = (char *)zTmp;
	st_status rc = exec(s, "PRAGMA page_size = 16384;"
	                       "PRAGMA application_id = 1196444487;"
	                       "PRAGMA user_version = 10300;"
	                       "BEGIN;");
	if (rc == ST_OK)
		rc = exec(s, zCoreDdl);
	if (rc == ST_OK)
		rc = st__store_create_schema(s);
	if (rc == ST_OK)
		rc = exec(s, "COMMIT");
	s->zPath = zSave;
	if (rc != ST_OK)
		snprintf(zErr, nErr, "%s: cannot create: %s", s->zPath, s->zErr);
	return rc == ST_OK ? ST_OK : ST_EIO;
}

static int meta_row(void *ctx, int nCol, const char *const *azVal,
                    const char *const *azCol)
{
	int *p = ctx;
	if (nCol >= 2 && azVal[0] && azVal[1]) {
		if (!strcmp(azVal[0], "application") && !strcmp(azVal[1], "shiptrace"))
			p[0] = 1;
		if (!strcmp(azVal[0], "schema_version"))
			p[1] = atoi(azVal[1]);
	}
	return 0;
}

/* Opens an existing file and checks that it is a shiptrace case. */
static st_status open_case(st_store *s, char *zErr, size_t nErr)
{
	gpkg *g = G(s);
	if (sqlite3_open_v2(s->zPath, &g->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) !=
	        SQLITE_OK ||
	    configure(g->db)) {
		int code = g->db ? sqlite3_errcode(g->db) : SQLITE_NOMEM;
		if (code == SQLITE_NOTADB || code == SQLITE_CORRUPT) {
			snprintf(zErr, nErr, "%s: not a shiptrace case (not an SQLite "
			         "database)", s->zPath);
			return ST_ENOTCASE;
		}
		snprintf(zErr, nErr, "%s: cannot open: %s", s->zPath,
		         g->db ? sqlite3_errmsg(g->db) : "out of memory");
		return ST_EIO;
	}
	sqlite3_stmt *p = NULL;
	int appId = 0;
	if (sqlite3_prepare_v2(g->db, "PRAGMA application_id", -1, &p, NULL) !=
	        SQLITE_OK ||
	    sqlite3_step(p) != SQLITE_ROW) {
		int code = sqlite3_errcode(g->db);
		snprintf(zErr, nErr, "%s: not a shiptrace case (%s)", s->zPath,
		         code == SQLITE_NOTADB ? "not an SQLite database"
		                               : sqlite3_errmsg(g->db));
		sqlite3_finalize(p);
		return code == SQLITE_NOTADB || code == SQLITE_CORRUPT ? ST_ENOTCASE
		                                                       : ST_EIO;
	}
	appId = sqlite3_column_int(p, 0);
	sqlite3_finalize(p);
	if (appId != GPKG_APPLICATION_ID) {
		snprintf(zErr, nErr, "%s: not a shiptrace case (not a GeoPackage)",
		         s->zPath);
		return ST_ENOTCASE;
	}
	int aMeta[2] = {0, 0};
	char zQ[256];
	if (gp_query(s, "SELECT key, value FROM meta", meta_row, aMeta, zQ,
	             sizeof zQ) != ST_OK ||
	    !aMeta[0]) {
		snprintf(zErr, nErr, "%s: not a shiptrace case (a GeoPackage "
		         "without shiptrace's meta table)", s->zPath);
		return ST_ENOTCASE;
	}
	if (aMeta[1] > ST_SCHEMA_VERSION) {
		snprintf(zErr, nErr, "%s: case schema version %d is newer than "
		         "this shiptrace understands (%d)", s->zPath, aMeta[1],
		         ST_SCHEMA_VERSION);
		return ST_ENOTCASE;
	}
	s->zErr[0] = 0;
	return ST_OK;
}

st_status st__gpkg_open(st_store **ppStore, const char *zPath, int flags,
                        char *zErr, size_t nErr)
{
	*ppStore = NULL;
	st_store *s = new_store(zPath);
	if (!s) {
		snprintf(zErr, nErr, "out of memory");
		return ST_ENOMEM;
	}
	struct stat st;
	st_status rc;
	if (stat(zPath, &st) == 0) {
		if (!S_ISREG(st.st_mode)) {
			snprintf(zErr, nErr, "%s: not a shiptrace case (not a file)",
			         zPath);
			st_store_close(s);
			return ST_ENOTCASE;
		}
		rc = open_case(s, zErr, nErr);
	} else if (errno != ENOENT) {
		snprintf(zErr, nErr, "%s: cannot create or open: %s", zPath,
		         strerror(errno));
		rc = ST_EIO;
	} else if (!(flags & ST_STORE_CREATE)) {
		snprintf(zErr, nErr, "%s: no such case", zPath);
		rc = ST_ENOTFOUND;
	} else {
		/* Build under a temporary name in the same directory, then
		 * rename: the case appears whole or not at all. */
		size_t nTmp = strlen(zPath) + 32;
		char *zTmp = malloc(nTmp);
		if (!zTmp) {
			st_store_close(s);
			snprintf(zErr, nErr, "out of memory");
			return ST_ENOMEM;
		}
		snprintf(zTmp, nTmp, "%s.tmp-%ld", zPath, (long)getpid());
		rc = build_case(s, zTmp, zErr, nErr);
		gp_close(s);
		if (rc == ST_OK && rename(zTmp, zPath) != 0) {
			snprintf(zErr, nErr, "%s: cannot create: %s", zPath,
			         strerror(errno));
			rc = ST_EIO;
		}
		if (rc != ST_OK) {
			remove(zTmp);
			size_t nJ = strlen(zTmp) + 16;
			char *zJournal = malloc(nJ);
			if (zJournal) {
				snprintf(zJournal, nJ, "%s-journal", zTmp);
				remove(zJournal);
				free(zJournal);
			}
		}
		free(zTmp);
		if (rc == ST_OK) {
			s->pImpl = calloc(1, sizeof(gpkg));
			if (!s->pImpl) {
				snprintf(zErr, nErr, "out of memory");
				rc = ST_ENOMEM;
			} else {
				s->created = 1;
				rc = open_case(s, zErr, nErr);
			}
		}
	}
	if (rc != ST_OK) {
		st_store_close(s);
		return rc;
	}
	*ppStore = s;
	return ST_OK;
}

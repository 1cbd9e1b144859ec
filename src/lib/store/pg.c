/* The PostGIS backend: the same tables and columns as the GeoPackage, in
 * the connection's current schema, with geometry(Point,4326) and
 * geometry(LineString,4326) columns and GiST indexes. Ingest streams each
 * file through COPY in binary format with the geometry built in the COPY
 * itself (EWKB), so there is no second pass over the rows to make them
 * spatial; static reports arrive interleaved with positions and one
 * connection runs one COPY at a time, so they are spooled to a temporary
 * file and copied after the positions. A large load drops the positions'
 * GiST index inside the transaction and rebuilds it at the end, which is
 * much faster than growing it row by row; other sessions keep seeing the
 * old table and index until the commit. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libpq-fe.h>
#include "shiptrace/time.h"
#include "store/store_int.h"

#define COPY_BUF (1 << 20)
/* Microseconds between 1970-01-01 and PostgreSQL's epoch 2000-01-01. */
#define PG_EPOCH_MS 946684800000LL

typedef struct cbuf {
	unsigned char *a;
	size_t n, cap;
	FILE *pSpool;             /* when set, flushes go to this file */
} cbuf;

typedef struct pgs {
	PGconn *conn;
	char zUrlSafe[256];       /* the URL without its password, for messages */
	/* bulk ingest */
	int inCopy;
	int dropIndex;            /* large load: indexes rebuilt at the end */
	int64_t nextId;           /* ids handed out by us in a large load */
	int64_t sourceId;
	cbuf pos, rep;
} pgs;

static pgs *P(st_store *s)
{
	return s->pImpl;
}

static void chomp(char *z)
{
	size_t n = strlen(z);
	while (n && (z[n - 1] == '\n' || z[n - 1] == ' '))
		z[--n] = 0;
}

static st_status pq_err(st_store *s, const char *zWhat)
{
	st__store_err(s, ST_ESTORE, "%s: %s: %s", P(s)->zUrlSafe, zWhat,
	              PQerrorMessage(P(s)->conn));
	chomp(s->zErr);
	return ST_ESTORE;
}

static st_status exec(st_store *s, const char *zSql)
{
	PGresult *r = PQexec(P(s)->conn, zSql);
	ExecStatusType t = PQresultStatus(r);
	PQclear(r);
	if (t != PGRES_COMMAND_OK && t != PGRES_TUPLES_OK)
		return pq_err(s, zSql);
	return ST_OK;
}

/* ---- binary COPY encoding ------------------------------------------------ */

static int cb_reserve(cbuf *b, size_t n)
{
	if (b->n + n <= b->cap)
		return 0;
	size_t cap = b->cap ? b->cap : COPY_BUF + 4096;
	while (cap < b->n + n)
		cap *= 2;
	unsigned char *a = realloc(b->a, cap);
	if (!a)
		return 1;
	b->a = a;
	b->cap = cap;
	return 0;
}

static void be16(unsigned char *p, uint16_t v)
{
	p[0] = (unsigned char)(v >> 8);
	p[1] = (unsigned char)v;
}

static void be32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

static void be64(unsigned char *p, uint64_t v)
{
	be32(p, (uint32_t)(v >> 32));
	be32(p + 4, (uint32_t)v);
}

/* Callers reserve room first; every field is at most 4 + 8 bytes except
 * text and geometry, which reserve for themselves. */
static void put_null(cbuf *b)
{
	be32(b->a + b->n, 0xffffffffu);
	b->n += 4;
}

static void put_i64(cbuf *b, int64_t v)
{
	be32(b->a + b->n, 8);
	be64(b->a + b->n + 4, (uint64_t)v);
	b->n += 12;
}

static void put_f64(cbuf *b, double d)
{
	if (isnan(d)) {
		put_null(b);
		return;
	}
	uint64_t v;
	memcpy(&v, &d, 8);
	be32(b->a + b->n, 8);
	be64(b->a + b->n + 4, v);
	b->n += 12;
}

static void put_time(cbuf *b, st_time_ms t)
{
	if (t == ST_TIME_NONE)
		put_null(b);
	else
		put_i64(b, (t - PG_EPOCH_MS) * 1000);
}

/* Text as valid UTF-8 (what COPY insists on): stray bytes become '?'. */
static int put_text(cbuf *b, const char *z, size_t nMax)
{
	size_t n = strnlen(z, nMax);
	if (n == 0) {
		if (cb_reserve(b, 4))
			return 1;
		put_null(b);
		return 0;
	}
	if (cb_reserve(b, 4 + n))
		return 1;
	be32(b->a + b->n, (uint32_t)n);
	unsigned char *o = b->a + b->n + 4;
	const unsigned char *u = (const unsigned char *)z;
	for (size_t i = 0; i < n;) {
		int len = u[i] < 0x80 ? 1 : (u[i] & 0xe0) == 0xc0 ? 2
		        : (u[i] & 0xf0) == 0xe0 ? 3 : (u[i] & 0xf8) == 0xf0 ? 4 : 0;
		int ok = len > 0 && i + (size_t)len <= n;
		for (int k = 1; ok && k < len; k++)
			ok = (u[i + k] & 0xc0) == 0x80;
		if (!ok) {
			o[i++] = '?';
			continue;
		}
		memcpy(o + i, u + i, (size_t)len);
		i += (size_t)len;
	}
	b->n += 4 + n;
	return 0;
}

static st_status cb_flush(st_store *s, cbuf *b)
{
	if (!b->n)
		return ST_OK;
	if (b->pSpool) {
		if (fwrite(b->a, 1, b->n, b->pSpool) != b->n)
			return st__store_err(s, ST_EIO, "spool file: %s",
			                     strerror(errno));
	} else if (PQputCopyData(P(s)->conn, (const char *)b->a, (int)b->n) != 1) {
		return pq_err(s, "COPY");
	}
	b->n = 0;
	return ST_OK;
}

static const unsigned char aCopyHeader[19] = {
	'P', 'G', 'C', 'O', 'P', 'Y', '\n', 0xff, '\r', '\n', 0,
	0, 0, 0, 0, 0, 0, 0, 0};

static int cb_header(cbuf *b)
{
	if (cb_reserve(b, sizeof aCopyHeader))
		return 1;
	memcpy(b->a + b->n, aCopyHeader, sizeof aCopyHeader);
	b->n += sizeof aCopyHeader;
	return 0;
}

static int cb_trailer(cbuf *b)
{
	if (cb_reserve(b, 2))
		return 1;
	be16(b->a + b->n, 0xffff);
	b->n += 2;
	return 0;
}

/* Starts COPY ... FROM STDIN (FORMAT binary). */
static st_status copy_start(st_store *s, const char *zSql)
{
	PGresult *r = PQexec(P(s)->conn, zSql);
	ExecStatusType t = PQresultStatus(r);
	PQclear(r);
	if (t != PGRES_COPY_IN)
		return pq_err(s, zSql);
	return ST_OK;
}

static st_status copy_end(st_store *s, const char *zWhat)
{
	PGconn *c = P(s)->conn;
	if (PQputCopyEnd(c, NULL) != 1)
		return pq_err(s, zWhat);
	st_status rc = ST_OK;
	PGresult *r;
	while ((r = PQgetResult(c)) != NULL) {
		if (PQresultStatus(r) != PGRES_COMMAND_OK && rc == ST_OK)
			rc = pq_err(s, zWhat);
		PQclear(r);
	}
	return rc;
}

/* ---- schema -------------------------------------------------------------- */

static const char *sql_type(st_coltype t)
{
	switch (t) {
	case ST_COL_INT: return "bigint";
	case ST_COL_REAL: return "double precision";
	case ST_COL_TIME: return "timestamptz";
	case ST_COL_TEXT: break;
	}
	return "text";
}

static st_status pg_create_table(st_store *s, const st_table_def *def)
{
	size_t cap = 1024 + (size_t)def->nCol * 96 +
	             (def->zDescription ? 2 * strlen(def->zDescription) : 0);
	char *z = malloc(cap);
	if (!z)
		return st__store_err(s, ST_ENOMEM, "out of memory");
	size_t n = (size_t)snprintf(z, cap,
		"DROP TABLE IF EXISTS \"%s\" CASCADE; CREATE TABLE \"%s\" "
		"(id bigserial PRIMARY KEY", def->zName, def->zName);
	for (int i = 0; i < def->nCol; i++) {
		n += (size_t)snprintf(z + n, cap - n, ", \"%s\" %s",
		                      def->aCol[i].zName, sql_type(def->aCol[i].type));
	}
	if (def->geom != ST_GEOM_NONE)
		n += (size_t)snprintf(z + n, cap - n,
		                      ", geom geometry(%s, 4326)); CREATE INDEX "
		                      "\"%s_geom_idx\" ON \"%s\" USING gist (geom);",
		                      def->geom == ST_GEOM_POINT ? "Point"
		                                                 : "LineString",
		                      def->zName, def->zName);
	else
		n += (size_t)snprintf(z + n, cap - n, ");");
	if (def->zDescription) {
		n += (size_t)snprintf(z + n, cap - n, "COMMENT ON TABLE \"%s\" IS '",
		                      def->zName);
		for (const char *p = def->zDescription; *p && n + 4 < cap; p++) {
			if (*p == '\'')
				z[n++] = '\'';
			z[n++] = *p;
		}
		snprintf(z + n, cap - n, "';");
	}
	st_status rc = exec(s, z);
	free(z);
	return rc;
}

static st_status pg_create_index(st_store *s, const char *zName,
                                 const char *zTable, const char *zCols,
                                 int isUnique)
{
	char z[512];
	snprintf(z, sizeof z, "CREATE %s INDEX IF NOT EXISTS \"%s\" ON \"%s\" (%s)",
	         isUnique ? "UNIQUE" : "", zName, zTable, zCols);
	return exec(s, z);
}

/* ---- rows ---------------------------------------------------------------- */

static st_status pg_insert(st_store *s, const st_table_def *def,
                           const st_value *aVal, const st_geom *pGeom,
                           int64_t *pId)
{
	if (!st__store_valid_name(def->zName) || def->nCol > 200)
		return st__store_err(s, ST_EINVAL, "bad table");
	int nParam = def->nCol + (def->geom != ST_GEOM_NONE);
	size_t cap = 256 + (size_t)def->nCol * 72;
	char *zSql = malloc(cap);
	char **azParam = calloc((size_t)nParam + 1, sizeof *azParam);
	char *aText = malloc((size_t)def->nCol * 40 + 1);
	if (!zSql || !azParam || !aText) {
		free(zSql);
		free(azParam);
		free(aText);
		return st__store_err(s, ST_ENOMEM, "out of memory");
	}
	size_t n = (size_t)snprintf(zSql, cap, "INSERT INTO \"%s\" (", def->zName);
	for (int i = 0; i < def->nCol; i++)
		n += (size_t)snprintf(zSql + n, cap - n, "%s\"%s\"", i ? ", " : "",
		                      def->aCol[i].zName);
	if (def->geom != ST_GEOM_NONE)
		n += (size_t)snprintf(zSql + n, cap - n, "%sgeom",
		                      def->nCol ? ", " : "");
	n += (size_t)snprintf(zSql + n, cap - n, ") VALUES (");
	for (int i = 0; i < nParam; i++)
		n += (size_t)snprintf(zSql + n, cap - n, "%s$%d", i ? ", " : "", i + 1);
	snprintf(zSql + n, cap - n, ") RETURNING id");

	char *zGeomHex = NULL;
	for (int i = 0; i < def->nCol; i++) {
		const st_value *v = &aVal[i];
		char *t = aText + 40 * i;
		if (v->isNull)
			continue;
		switch (def->aCol[i].type) {
		case ST_COL_INT:
			snprintf(t, 40, "%lld", (long long)v->i);
			azParam[i] = t;
			break;
		case ST_COL_REAL:
			if (!isnan(v->r)) {
				snprintf(t, 40, "%.17g", v->r);
				azParam[i] = t;
			}
			break;
		case ST_COL_TEXT:
			azParam[i] = (char *)v->z;
			break;
		case ST_COL_TIME:
			if (v->t != ST_TIME_NONE) {
				st__time_iso(v->t, t);
				azParam[i] = t;
			}
			break;
		}
	}
	if (pGeom && def->geom != ST_GEOM_NONE) {
		size_t nWkb = 32 + 16 * pGeom->nPoint;
		unsigned char *pWkb = malloc(nWkb);
		zGeomHex = malloc(2 * nWkb + 1);
		if (pWkb && zGeomHex) {
			size_t k = st__ewkb(pGeom, pWkb, nWkb);
			for (size_t j = 0; j < k; j++)
				snprintf(zGeomHex + 2 * j, 3, "%02X", pWkb[j]);
			zGeomHex[2 * k] = 0;
			azParam[def->nCol] = zGeomHex;
		}
		free(pWkb);
	}
	PGresult *r = PQexecParams(P(s)->conn, zSql, nParam, NULL,
	                           (const char *const *)azParam, NULL, NULL, 0);
	st_status rc = ST_OK;
	if (PQresultStatus(r) != PGRES_TUPLES_OK)
		rc = pq_err(s, def->zName);
	else if (pId)
		*pId = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	free(zSql);
	free(azParam);
	free(aText);
	free(zGeomHex);
	return rc;
}

static st_status pg_update_extent(st_store *s, const char *zTable)
{
	return ST_OK;   /* PostGIS computes extents when asked */
}

static st_status pg_query(st_store *s, const char *zSql, st_row_fn xRow,
                          void *ctx, char *zErr, size_t nErr)
{
	PGresult *r = PQexec(P(s)->conn, zSql);
	ExecStatusType t = PQresultStatus(r);
	if (t != PGRES_COMMAND_OK && t != PGRES_TUPLES_OK) {
		PQclear(r);
		st_status rc = pq_err(s, "query");
		snprintf(zErr, nErr, "%s", PQerrorMessage(P(s)->conn));
		chomp(zErr);
		return rc;
	}
	if (t == PGRES_TUPLES_OK && xRow) {
		int nCol = PQnfields(r);
		if (nCol > 64)
			nCol = 64;
		const char *azVal[64], *azCol[64];
		for (int i = 0; i < nCol; i++)
			azCol[i] = PQfname(r, i);
		for (int row = 0; row < PQntuples(r); row++) {
			for (int i = 0; i < nCol; i++)
				azVal[i] = PQgetisnull(r, row, i) ? NULL
				                                  : PQgetvalue(r, row, i);
			if (xRow(ctx, nCol, azVal, azCol))
				break;
		}
	}
	PQclear(r);
	return ST_OK;
}

/* Splits one COPY text line into fields; "\N" is NULL. Our columns are
 * numbers only, so there are no escapes to undo. */
static int split_fields(char *z, char **az, int nMax)
{
	int n = 0;
	while (n < nMax) {
		az[n++] = z;
		char *t = strchr(z, '\t');
		if (!t)
			break;
		*t = 0;
		z = t + 1;
	}
	for (int i = 0; i < n; i++) {
		size_t len = strlen(az[i]);
		if (len && az[i][len - 1] == '\n')
			az[i][len - 1] = 0;
		if (!strcmp(az[i], "\\N"))
			az[i] = NULL;
	}
	return n;
}

static st_status pg_read_positions(st_store *s, st_position_fn xPos,
                                   void *ctx, char *zErr, size_t nErr)
{
	PGconn *c = P(s)->conn;
	PGresult *r = PQexec(c,
		"COPY (SELECT id, mmsi, (extract(epoch FROM time) * 1000)::bigint,"
		" lat, lon, sog, cog, heading, nav_status, msg_type FROM positions"
		" ORDER BY mmsi, time, id) TO STDOUT");
	if (PQresultStatus(r) != PGRES_COPY_OUT) {
		PQclear(r);
		st_status rc = pq_err(s, "read positions");
		snprintf(zErr, nErr, "%s", s->zErr);
		return rc;
	}
	PQclear(r);
	char *zLine;
	int n, stop = 0;
	while ((n = PQgetCopyData(c, &zLine, 0)) > 0) {
		if (!stop) {
			char *az[10];
			if (split_fields(zLine, az, 10) == 10) {
				st_position p;
				memset(&p, 0, sizeof p);
				p.mmsi = (uint32_t)strtoul(az[1], NULL, 10);
				p.t = az[2] ? strtoll(az[2], NULL, 10) : ST_TIME_NONE;
				p.lat = az[3] ? strtod(az[3], NULL) : NAN;
				p.lon = az[4] ? strtod(az[4], NULL) : NAN;
				p.sog = az[5] ? strtof(az[5], NULL) : NAN;
				p.cog = az[6] ? strtof(az[6], NULL) : NAN;
				p.heading = az[7] ? (int16_t)atoi(az[7]) : -1;
				p.nav_status = az[8] ? (int8_t)atoi(az[8]) : -1;
				p.msg_type = az[9] ? (uint8_t)atoi(az[9]) : 0;
				/* a stop cannot cancel COPY OUT cleanly: drain */
				stop = xPos(ctx, &p, strtoll(az[0], NULL, 10));
			}
		}
		PQfreemem(zLine);
	}
	st_status rc = ST_OK;
	while ((r = PQgetResult(c)) != NULL) {
		if (PQresultStatus(r) != PGRES_COMMAND_OK && rc == ST_OK) {
			rc = pq_err(s, "read positions");
			snprintf(zErr, nErr, "%s", s->zErr);
		}
		PQclear(r);
	}
	if (n == -2 && rc == ST_OK) {
		rc = pq_err(s, "read positions");
		snprintf(zErr, nErr, "%s", s->zErr);
	}
	return rc;
}

static st_status pg_tables(st_store *s, st_table_fn xTable, void *ctx)
{
	PGresult *r = PQexec(P(s)->conn,
		"SELECT c.relname, EXISTS (SELECT 1 FROM geometry_columns g"
		" WHERE g.f_table_schema = n.nspname AND g.f_table_name = c.relname)"
		" FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
		" WHERE n.nspname = current_schema() AND c.relkind = 'r'"
		" AND c.relname <> 'spatial_ref_sys' ORDER BY c.relname");
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		PQclear(r);
		return pq_err(s, "list tables");
	}
	for (int i = 0; i < PQntuples(r); i++) {
		const char *zName = PQgetvalue(r, i, 0);
		char zSql[160];
		snprintf(zSql, sizeof zSql, "SELECT count(*) FROM \"%s\"", zName);
		int64_t nRow = -1;
		if (st__store_valid_name(zName)) {
			PGresult *rc = PQexec(P(s)->conn, zSql);
			if (PQresultStatus(rc) == PGRES_TUPLES_OK && PQntuples(rc) == 1)
				nRow = strtoll(PQgetvalue(rc, 0, 0), NULL, 10);
			PQclear(rc);
		}
		if (xTable(ctx, zName, nRow, PQgetvalue(r, i, 1)[0] == 't'))
			break;
	}
	PQclear(r);
	return ST_OK;
}

/* ---- bulk ingest --------------------------------------------------------- */

static st_status pg_bulk_begin(st_store *s, int64_t sourceId)
{
	pgs *g = P(s);
	g->sourceId = sourceId;
	g->pos.n = g->rep.n = 0;
	/* Rebuilding the GiST index pays when the file is large next to
	 * what the table holds (about 60 bytes of input per position). */
	PGresult *r = PQexec(g->conn,
		"SELECT greatest(reltuples, 0)::bigint FROM pg_class"
		" WHERE oid = 'positions'::regclass");
	int64_t nHave = 0;
	if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
		nHave = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	g->dropIndex = s->sizeHint / 60 > 100000 &&
	               s->sizeHint / 60 > (uint64_t)nHave / 4;
	if (g->dropIndex) {
		/* Growing the primary key and the sequence row by row costs as
		 * much as the COPY itself: in a large load we hold the table,
		 * number the rows ourselves and build both indexes at the end
		 * by sorting. Other sessions wait for the commit. */
		st_status rc = exec(s,
			"LOCK TABLE positions IN ACCESS EXCLUSIVE MODE;"
			"DROP INDEX IF EXISTS positions_geom_idx;"
			"ALTER TABLE positions DROP CONSTRAINT IF EXISTS positions_pkey");
		if (rc != ST_OK)
			return rc;
		r = PQexec(g->conn, "SELECT coalesce(max(id), 0) FROM positions");
		if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1) {
			PQclear(r);
			return pq_err(s, "positions");
		}
		g->nextId = strtoll(PQgetvalue(r, 0, 0), NULL, 10) + 1;
		PQclear(r);
	}
	g->rep.pSpool = tmpfile();
	if (!g->rep.pSpool)
		return st__store_err(s, ST_EIO, "cannot create a spool file: %s",
		                     strerror(errno));
	if (cb_header(&g->rep) || cb_header(&g->pos))
		return st__store_err(s, ST_ENOMEM, "out of memory");
	st_status rc = copy_start(s, g->dropIndex
		? "COPY positions (mmsi, time, lat, lon, sog, cog, heading,"
		  " nav_status, msg_type, source_id, geom, id) FROM STDIN"
		  " (FORMAT binary)"
		: "COPY positions (mmsi, time, lat, lon, sog, cog, heading,"
		  " nav_status, msg_type, source_id, geom) FROM STDIN"
		  " (FORMAT binary)");
	if (rc == ST_OK)
		g->inCopy = 1;
	return rc;
}

static int valid_fix(double lat, double lon)
{
	return isfinite(lat) && isfinite(lon) && lat >= -90 && lat <= 90 &&
	       lon >= -180 && lon <= 180;
}

static st_status pg_position(st_store *s, const st_position *p)
{
	pgs *g = P(s);
	cbuf *b = &g->pos;
	if (cb_reserve(b, 2 + 11 * 12 + 4 + 25))
		return st__store_err(s, ST_ENOMEM, "out of memory");
	be16(b->a + b->n, g->dropIndex ? 12 : 11);
	b->n += 2;
	put_i64(b, p->mmsi);
	put_time(b, p->t);
	put_f64(b, p->lat);
	put_f64(b, p->lon);
	put_f64(b, isnan(p->sog) ? NAN : st__f2d(p->sog));
	put_f64(b, isnan(p->cog) ? NAN : st__f2d(p->cog));
	if (p->heading < 0)
		put_null(b);
	else
		put_i64(b, p->heading);
	if (p->nav_status < 0)
		put_null(b);
	else
		put_i64(b, p->nav_status);
	put_i64(b, p->msg_type);
	put_i64(b, g->sourceId);
	if (valid_fix(p->lat, p->lon)) {
		double xy[2] = {p->lon, p->lat};
		st_geom geom = {ST_GEOM_POINT, 1, xy};
		be32(b->a + b->n, 25);
		st__ewkb(&geom, b->a + b->n + 4, 25);
		b->n += 29;
	} else {
		put_null(b);
	}
	if (g->dropIndex)
		put_i64(b, g->nextId++);
	if (b->n >= COPY_BUF)
		return cb_flush(s, b);
	return ST_OK;
}

static st_status pg_static(st_store *s, const st_static_report *r)
{
	pgs *g = P(s);
	cbuf *b = &g->rep;
	if (cb_reserve(b, 2 + 15 * 12))
		return st__store_err(s, ST_ENOMEM, "out of memory");
	be16(b->a + b->n, 15);
	b->n += 2;
	put_i64(b, r->mmsi);
	put_time(b, r->t);
	if (r->imo)
		put_i64(b, r->imo);
	else
		put_null(b);
	if (put_text(b, r->name, sizeof r->name) ||
	    put_text(b, r->callsign, sizeof r->callsign) ||
	    cb_reserve(b, 6 * 12))
		return st__store_err(s, ST_ENOMEM, "out of memory");
	const int aInt[5] = {r->ship_type, r->to_bow, r->to_stern, r->to_port,
	                     r->to_starboard};
	for (int i = 0; i < 5; i++) {
		if (aInt[i] < 0)
			put_null(b);
		else
			put_i64(b, aInt[i]);
	}
	put_f64(b, isnan(r->draught) ? NAN : st__f2d(r->draught));
	char zEta[32];
	size_t nEta = st__eta_text(r, zEta, sizeof zEta);
	if (put_text(b, r->destination, sizeof r->destination) ||
	    put_text(b, zEta, nEta) || cb_reserve(b, 24))
		return st__store_err(s, ST_ENOMEM, "out of memory");
	put_i64(b, r->msg_type);
	put_i64(b, g->sourceId);
	if (b->n >= COPY_BUF)
		return cb_flush(s, b);
	return ST_OK;
}

/* Sends the spooled report rows through COPY vessel_reports. */
static st_status copy_spool(st_store *s)
{
	pgs *g = P(s);
	if (cb_trailer(&g->rep))
		return st__store_err(s, ST_ENOMEM, "out of memory");
	st_status rc = cb_flush(s, &g->rep);
	if (rc != ST_OK)
		return rc;
	if (fflush(g->rep.pSpool) != 0 || fseek(g->rep.pSpool, 0, SEEK_SET) != 0)
		return st__store_err(s, ST_EIO, "spool file: %s", strerror(errno));
	rc = copy_start(s,
		"COPY vessel_reports (mmsi, time, imo, name, callsign, ship_type,"
		" to_bow, to_stern, to_port, to_starboard, draught, destination, eta,"
		" msg_type, source_id) FROM STDIN (FORMAT binary)");
	if (rc != ST_OK)
		return rc;
	char aBuf[1 << 16];
	size_t n;
	while ((n = fread(aBuf, 1, sizeof aBuf, g->rep.pSpool)) > 0)
		if (PQputCopyData(g->conn, aBuf, (int)n) != 1)
			return pq_err(s, "COPY vessel_reports");
	return copy_end(s, "COPY vessel_reports");
}

static void close_spool(pgs *g)
{
	if (g->rep.pSpool)
		fclose(g->rep.pSpool);
	g->rep.pSpool = NULL;
	g->rep.n = 0;
}

static st_status pg_bulk_end(st_store *s)
{
	pgs *g = P(s);
	st_status rc = ST_OK;
	if (cb_trailer(&g->pos))
		rc = st__store_err(s, ST_ENOMEM, "out of memory");
	if (rc == ST_OK)
		rc = cb_flush(s, &g->pos);
	g->inCopy = 0;
	st_status rc2 = copy_end(s, "COPY positions");
	if (rc == ST_OK)
		rc = rc2;
	if (rc == ST_OK)
		rc = copy_spool(s);
	close_spool(g);
	/* the sorted GiST build wants its sort in memory (server side) */
	if (rc == ST_OK && g->dropIndex)
		rc = exec(s, "SET LOCAL maintenance_work_mem = '256MB';"
		             "ALTER TABLE positions ADD CONSTRAINT positions_pkey"
		             " PRIMARY KEY (id);"
		             "SELECT setval(pg_get_serial_sequence('positions', 'id'),"
		             " (SELECT max(id) FROM positions));"
		             "CREATE INDEX positions_geom_idx ON positions"
		             " USING gist (geom)");
	return rc;
}

static void pg_bulk_abort(st_store *s)
{
	pgs *g = P(s);
	if (g->inCopy) {
		PQputCopyEnd(g->conn, "ingest aborted");
		PGresult *r;
		while ((r = PQgetResult(g->conn)) != NULL)
			PQclear(r);
		g->inCopy = 0;
	}
	g->pos.n = 0;
	close_spool(g);
}

static int first_is_true(void *ctx, int nCol, const char *const *azVal,
                         const char *const *azCol)
{
	*(int *)ctx = nCol > 0 && azVal[0] && azVal[0][0] == 't';
	return 1;
}

static st_status pg_merge_vessels(st_store *s, st__vagg *const *apV, size_t n)
{
	pgs *g = P(s);
	/* Into an empty table (a new case) the rows go straight in; else
	 * through a temporary table and one upsert. */
	int isEmpty = 0;
	char zQ[256];
	st_status rc = pg_query(s, "SELECT NOT EXISTS (SELECT 1 FROM vessels)",
	                        first_is_true, &isEmpty, zQ, sizeof zQ);
	if (rc == ST_OK && !isEmpty)
		rc = exec(s,
			"CREATE TEMP TABLE IF NOT EXISTS vessels_in (mmsi bigint,"
			" imo bigint, name text, callsign text, ship_type bigint,"
			" length bigint, width bigint, first_seen timestamptz,"
			" last_seen timestamptz, last_report timestamptz,"
			" n_positions bigint, n_reports bigint) ON COMMIT DELETE ROWS;"
			"TRUNCATE vessels_in");
	/* as for positions: number the rows here, index them at the end */
	if (rc == ST_OK && isEmpty)
		rc = exec(s, "LOCK TABLE vessels IN ACCESS EXCLUSIVE MODE;"
		             "ALTER TABLE vessels DROP CONSTRAINT IF EXISTS"
		             " vessels_pkey; DROP INDEX IF EXISTS vessels_mmsi");
	if (rc == ST_OK)
		rc = copy_start(s, isEmpty
			? "COPY vessels (mmsi, imo, name, callsign, ship_type, length,"
			  " width, first_seen, last_seen, last_report, n_positions,"
			  " n_reports, id) FROM STDIN (FORMAT binary)"
			: "COPY vessels_in FROM STDIN (FORMAT binary)");
	if (rc != ST_OK)
		return rc;
	cbuf b = {0};
	if (cb_header(&b)) {
		copy_end(s, "vessels");
		return st__store_err(s, ST_ENOMEM, "out of memory");
	}
	for (size_t i = 0; rc == ST_OK && i < n; i++) {
		const st__vagg *v = apV[i];
		const st__vident *id = v->pId ? v->pId : &st__vident_none;
		if (cb_reserve(&b, 2 + 13 * 12)) {
			rc = st__store_err(s, ST_ENOMEM, "out of memory");
			break;
		}
		be16(b.a + b.n, isEmpty ? 13 : 12);
		b.n += 2;
		put_i64(&b, v->mmsi == 0xffffffffu ? 0 : v->mmsi);
		if (id->imo)
			put_i64(&b, id->imo);
		else
			put_null(&b);
		if (put_text(&b, id->name, sizeof id->name) ||
		    put_text(&b, id->callsign, sizeof id->callsign) ||
		    cb_reserve(&b, 9 * 12)) {
			rc = st__store_err(s, ST_ENOMEM, "out of memory");
			break;
		}
		const int aInt[3] = {id->ship_type, id->length, id->width};
		for (int k = 0; k < 3; k++) {
			if (aInt[k] < 0)
				put_null(&b);
			else
				put_i64(&b, aInt[k]);
		}
		put_time(&b, v->first);
		put_time(&b, v->last);
		put_time(&b, id->tReport);
		put_i64(&b, (int64_t)v->nPos);
		put_i64(&b, (int64_t)v->nRep);
		if (isEmpty)
			put_i64(&b, (int64_t)i + 1);
		if (b.n >= COPY_BUF)
			rc = cb_flush(s, &b);
	}
	if (rc == ST_OK && cb_trailer(&b))
		rc = st__store_err(s, ST_ENOMEM, "out of memory");
	if (rc == ST_OK)
		rc = cb_flush(s, &b);
	free(b.a);
	(void)g;
	st_status rc2 = copy_end(s, "COPY vessels");
	if (rc != ST_OK)
		return rc;
	if (rc2 != ST_OK)
		return rc2;
	if (isEmpty)
		return exec(s, "ALTER TABLE vessels ADD CONSTRAINT vessels_pkey"
		               " PRIMARY KEY (id);"
		               "CREATE UNIQUE INDEX vessels_mmsi ON vessels (mmsi);"
		               "SELECT setval(pg_get_serial_sequence('vessels', 'id'),"
		               " greatest((SELECT max(id) FROM vessels), 1))");
	size_t nSql = strlen(st__vessel_merge_sql) + 512;
	char *zSql = malloc(nSql);
	if (!zSql)
		return st__store_err(s, ST_ENOMEM, "out of memory");
	snprintf(zSql, nSql,
		"INSERT INTO vessels (mmsi, imo, name, callsign, ship_type, length,"
		" width, first_seen, last_seen, last_report, n_positions, n_reports)"
		" SELECT * FROM vessels_in ON CONFLICT (mmsi) DO UPDATE SET %s",
		st__vessel_merge_sql);
	rc = exec(s, zSql);
	free(zSql);
	return rc;
}

/* ---- open / close -------------------------------------------------------- */

static void pg_close(st_store *s)
{
	pgs *g = P(s);
	if (!g)
		return;
	if (g->inCopy)
		pg_bulk_abort(s);
	close_spool(g);
	free(g->pos.a);
	free(g->rep.a);
	PQfinish(g->conn);
	free(g);
	s->pImpl = NULL;
}

static const char *pg_target(const st_store *s)
{
	return ((const pgs *)s->pImpl)->zUrlSafe;
}

static st_status pg_exec(st_store *s, const char *zSql)
{
	return exec(s, zSql);
}

static const st__backend pg_methods = {
	.zName = "postgis",
	.xClose = pg_close,
	.xTarget = pg_target,
	.xExec = pg_exec,
	.xCreateTable = pg_create_table,
	.xCreateIndex = pg_create_index,
	.xInsert = pg_insert,
	.xUpdateExtent = pg_update_extent,
	.xQuery = pg_query,
	.xReadPositions = pg_read_positions,
	.xTables = pg_tables,
	.xBulkBegin = pg_bulk_begin,
	.xPosition = pg_position,
	.xStatic = pg_static,
	.xBulkEnd = pg_bulk_end,
	.xBulkAbort = pg_bulk_abort,
	.xMergeVessels = pg_merge_vessels,
};

/* The URL with any password replaced, for messages. */
static void safe_url(const char *zUrl, char *zOut, size_t n)
{
	const char *pAt = strchr(zUrl, '@');
	const char *pScheme = strstr(zUrl, "://");
	const char *pColon = pScheme ? strchr(pScheme + 3, ':') : NULL;
	if (pAt && pColon && pColon < pAt)
		snprintf(zOut, n, "%.*s:***%s", (int)(pColon - zUrl), zUrl, pAt);
	else
		snprintf(zOut, n, "%s", zUrl);
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

static int exists_row(void *ctx, int nCol, const char *const *azVal,
                      const char *const *azCol)
{
	*(int *)ctx = nCol > 0 && azVal[0] != NULL;
	return 1;
}

st_status st__pg_open(st_store **ppStore, const char *zUrl, int flags,
                      char *zErr, size_t nErr)
{
	*ppStore = NULL;
	char zSafe[256];
	safe_url(zUrl, zSafe, sizeof zSafe);
	char *zParseErr = NULL;
	PQconninfoOption *pOpt = PQconninfoParse(zUrl, &zParseErr);
	if (!pOpt) {
		snprintf(zErr, nErr, "%s: bad URL: %s", zSafe,
		         zParseErr ? zParseErr : "out of memory");
		chomp(zErr);
		PQfreemem(zParseErr);
		return ST_EINVAL;
	}
	PQconninfoFree(pOpt);
	st_store *s = calloc(1, sizeof *s);
	pgs *g = calloc(1, sizeof *g);
	if (!s || !g) {
		free(s);
		free(g);
		snprintf(zErr, nErr, "out of memory");
		return ST_ENOMEM;
	}
	s->pMethods = &pg_methods;
	s->pImpl = g;
	snprintf(g->zUrlSafe, sizeof g->zUrlSafe, "%s", zSafe);
	g->conn = PQconnectdb(zUrl);
	if (!g->conn || PQstatus(g->conn) != CONNECTION_OK) {
		snprintf(zErr, nErr, "%s: cannot connect: %s", zSafe,
		         g->conn ? PQerrorMessage(g->conn) : "out of memory");
		chomp(zErr);
		st_store_close(s);
		return ST_ECONNECT;
	}
	st_status rc = exec(s, "SET client_min_messages = warning;"
	                       "SET TimeZone = 'UTC'; SET DateStyle = 'ISO'");
	int hasMeta = 0, hasPositions = 0;
	char zQ[256];
	if (rc == ST_OK)
		rc = pg_query(s, "SELECT to_regclass('meta')::text", exists_row,
		              &hasMeta, zQ, sizeof zQ);
	if (rc == ST_OK)
		rc = pg_query(s, "SELECT to_regclass('positions')::text", exists_row,
		              &hasPositions, zQ, sizeof zQ);
	if (rc == ST_OK && hasMeta) {
		int aMeta[2] = {0, 0};
		rc = pg_query(s, "SELECT key, value FROM meta", meta_row, aMeta, zQ,
		              sizeof zQ);
		if (rc == ST_OK && !aMeta[0]) {
			snprintf(zErr, nErr, "%s: not a shiptrace case (a meta table "
			         "that is not shiptrace's)", zSafe);
			st_store_close(s);
			return ST_ENOTCASE;
		}
		if (rc == ST_OK && aMeta[1] > ST_SCHEMA_VERSION) {
			snprintf(zErr, nErr, "%s: case schema version %d is newer than "
			         "this shiptrace understands (%d)", zSafe, aMeta[1],
			         ST_SCHEMA_VERSION);
			st_store_close(s);
			return ST_ENOTCASE;
		}
	} else if (rc == ST_OK && hasPositions) {
		snprintf(zErr, nErr, "%s: not a shiptrace case (it has a positions "
		         "table but no shiptrace meta table)", zSafe);
		st_store_close(s);
		return ST_ENOTCASE;
	} else if (rc == ST_OK && !(flags & ST_STORE_CREATE)) {
		snprintf(zErr, nErr, "%s: no shiptrace case in this database", zSafe);
		st_store_close(s);
		return ST_ENOTFOUND;
	} else if (rc == ST_OK) {
		rc = exec(s, "BEGIN; CREATE EXTENSION IF NOT EXISTS postgis");
		if (rc == ST_OK)
			rc = st__store_create_schema(s);
		if (rc == ST_OK)
			rc = exec(s, "COMMIT");
		else
			exec(s, "ROLLBACK");
		s->created = rc == ST_OK;
	}
	if (rc != ST_OK) {
		snprintf(zErr, nErr, "%s", s->zErr);
		st_store_close(s);
		return rc;
	}
	s->zErr[0] = 0;
	*ppStore = s;
	return ST_OK;
}

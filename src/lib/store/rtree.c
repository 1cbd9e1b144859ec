/* Bulk build of a GeoPackage R-tree (an SQLite rtree virtual table) by
 * packing: SQLite's own R*-tree insert costs about ten microseconds a row,
 * which would dominate a large ingest, so after a big load the index is
 * rebuilt from scratch, or built as the rows of a load go in
 * (st__rtree_build_*). The rows come in id order in chunks of
 * CHUNK_ROWS; each chunk is sorted along a Hilbert curve and cut into full
 * leaves, so memory stays bounded whatever the table holds; the leaves of
 * all chunks are then sorted along the curve by their centres and the
 * levels above are packed from them. Nodes are written straight into the
 * rtree's shadow tables (<name>_node, _rowid, _parent) in the layout the
 * module reads: node 1 is the root and begins with the tree depth, each
 * node holds a cell count and cells of a 64-bit big-endian id and four
 * big-endian 32-bit floats, minimums rounded down and maximums up. The
 * rowid map of a chunk is written in the order it was read (id order for
 * a table scan), which keeps that b-tree an append, through multi-row
 * INSERTs. SQLite's rtreecheck() validates the result in the tests. Memory:
 * one chunk (CHUNK_ROWS x 80 bytes: the entries, their rowid map and the
 * radix sort's scratch copy) plus 32 bytes per leaf, about 0.6 bytes per
 * indexed row. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include "store/store_int.h"

/* Cells per node: the rtree module's RTREE_MAXCELLS, which caps the node
 * size for 2-D trees on any page of 2 KiB or more. */
#define MAX_CELLS 51
#define CELL_SIZE 24
#define NODE_SIZE (4 + CELL_SIZE * MAX_CELLS)
#define CHUNK_ROWS (1 << 19)

/* Rows per multi-row INSERT into the rowid map: one statement step per
 * batch instead of per row saves most of SQLite's per-statement work. */
#define MAP_BATCH 64

typedef st__rtree_entry entry;

typedef struct idnode {
	int64_t id, node;
} idnode;

typedef struct level {
	entry *a;
	size_t n, cap;
} level;

typedef struct packer {
	sqlite3 *db;
	sqlite3_stmt *pNode, *pRowid, *pParent;
	sqlite3_stmt *pRowidBatch;  /* MAP_BATCH rows of the rowid map */
	sqlite3_stmt *pRowidNext;   /* one row, the rowid SQLite gives */
	int64_t nextNode;         /* next node number; 1 is kept for the root */
	int64_t maxMapId;         /* the largest rowid in the map so far */
	char *zErr;
	size_t nErr;
} packer;

/* Position along a Hilbert curve of order 16 over the lon/lat plane. */
static uint32_t hilbert(double x, double y)
{
	const uint32_t n = 1u << 16;
	double fx = (x + 180.0) / 360.0, fy = (y + 90.0) / 180.0;
	if (!(fx >= 0)) fx = 0;
	if (!(fy >= 0)) fy = 0;
	if (fx > 1) fx = 1;
	if (fy > 1) fy = 1;
	uint32_t ix = (uint32_t)(fx * (n - 1)), iy = (uint32_t)(fy * (n - 1));
	uint32_t d = 0;
	for (uint32_t s = n / 2; s > 0; s /= 2) {
		uint32_t rx = (ix & s) > 0, ry = (iy & s) > 0;
		d += s * s * ((3 * rx) ^ ry);
		if (ry == 0) {
			if (rx == 1) {
				ix = n - 1 - ix;
				iy = n - 1 - iy;
			}
			uint32_t t = ix;
			ix = iy;
			iy = t;
		}
	}
	return d;
}

static void fn_hilbert(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	sqlite3_result_int64(ctx, hilbert(sqlite3_value_double(argv[0]),
	                                  sqlite3_value_double(argv[1])));
}

int st__rtree_register(sqlite3 *db)
{
	return sqlite3_create_function(db, "st_hilbert", 2,
	                               SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
	                               fn_hilbert, NULL, NULL) != SQLITE_OK;
}

static float round_down(double d)
{
	float f = (float)d;
	if ((double)f > d)
		f = nextafterf(f, -INFINITY);
	return f;
}

static float round_up(double d)
{
	float f = (float)d;
	if ((double)f < d)
		f = nextafterf(f, INFINITY);
	return f;
}

static void be32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

static int level_push(level *l, const entry *e)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 256;
		entry *a = realloc(l->a, cap * sizeof *a);
		if (!a)
			return 1;
		l->a = a;
		l->cap = cap;
	}
	l->a[l->n++] = *e;
	return 0;
}

static int fail(packer *p, const char *zWhat)
{
	snprintf(p->zErr, p->nErr, "R-tree build: %s: %s", zWhat,
	         sqlite3_errmsg(p->db));
	return 1;
}

/* Writes one node holding aCell[0..n-1] as node iNode; depth goes in the
 * first two bytes (only the root's are read). Child cells get their parent
 * recorded, leaf cells their rowid mapping. */
static int write_node(packer *p, int64_t iNode, const entry *aCell, int n,
                      int depth, int isLeaf, int writeMap)
{
	unsigned char a[NODE_SIZE];
	memset(a, 0, sizeof a);
	a[0] = (unsigned char)(depth >> 8);
	a[1] = (unsigned char)depth;
	a[2] = (unsigned char)(n >> 8);
	a[3] = (unsigned char)n;
	for (int i = 0; i < n; i++) {
		unsigned char *c = a + 4 + CELL_SIZE * i;
		uint64_t id = (uint64_t)aCell[i].id;
		be32(c, (uint32_t)(id >> 32));
		be32(c + 4, (uint32_t)id);
		for (int k = 0; k < 4; k++) {
			uint32_t v;
			memcpy(&v, &aCell[i].box[k], 4);
			be32(c + 8 + 4 * k, v);
		}
	}
	sqlite3_bind_int64(p->pNode, 1, iNode);
	sqlite3_bind_blob(p->pNode, 2, a, sizeof a, SQLITE_STATIC);
	int rc = sqlite3_step(p->pNode);
	sqlite3_reset(p->pNode);
	if (rc != SQLITE_DONE)
		return fail(p, "node");
	if (!writeMap)
		return 0;
	sqlite3_stmt *pMap = isLeaf ? p->pRowid : p->pParent;
	for (int i = 0; i < n; i++) {
		sqlite3_bind_int64(pMap, 1, aCell[i].id);
		sqlite3_bind_int64(pMap, 2, iNode);
		rc = sqlite3_step(pMap);
		sqlite3_reset(pMap);
		if (rc != SQLITE_DONE)
			return fail(p, "mapping");
		if (isLeaf && aCell[i].id > p->maxMapId)
			p->maxMapId = aCell[i].id;
	}
	return 0;
}

static void grow(entry *e, const entry *c)
{
	if (c->box[0] < e->box[0]) e->box[0] = c->box[0];
	if (c->box[1] > e->box[1]) e->box[1] = c->box[1];
	if (c->box[2] < e->box[2]) e->box[2] = c->box[2];
	if (c->box[3] > e->box[3]) e->box[3] = c->box[3];
}

/* Packs aCell[0..n-1] (n <= MAX_CELLS) of an inner level into a new node
 * and adds its entry to the level above. */
static int flush_node(packer *p, const entry *aCell, int n, level *pUp)
{
	entry e = {p->nextNode++, {0}, 0, 0};
	memcpy(e.box, aCell[0].box, sizeof e.box);
	for (int i = 1; i < n; i++)
		grow(&e, &aCell[i]);
	if (write_node(p, e.id, aCell, n, 0, 0, 1))
		return 1;
	if (level_push(pUp, &e)) {
		snprintf(p->zErr, p->nErr, "R-tree build: out of memory");
		return 1;
	}
	return 0;
}

static int cmp_key(const void *a, const void *b)
{
	const entry *x = a, *y = b;
	return x->key < y->key ? -1 : x->key > y->key;
}

/* Sorts a[0..n-1] by key: a least-significant-digit radix sort in three
 * passes of 11 bits, several times faster than qsort for the millions of
 * entries of a large load; qsort when the scratch copy cannot be had. */
static void sort_entries(entry *a, size_t n)
{
	entry *t = n > 64 ? malloc(n * sizeof *t) : NULL;
	if (!t) {
		qsort(a, n, sizeof *a, cmp_key);
		return;
	}
	entry *src = a, *dst = t;
	for (int shift = 0; shift < 32; shift += 11) {
		size_t aCount[2048] = {0};
		for (size_t i = 0; i < n; i++)
			aCount[(src[i].key >> shift) & 2047]++;
		size_t sum = 0;
		for (int k = 0; k < 2048; k++) {
			size_t c = aCount[k];
			aCount[k] = sum;
			sum += c;
		}
		for (size_t i = 0; i < n; i++)
			dst[aCount[(src[i].key >> shift) & 2047]++] = src[i];
		entry *x = src;
		src = dst;
		dst = x;
	}
	/* three passes: the result is in t */
	memcpy(a, src, n * sizeof *a);
	free(t);
}

static uint32_t centre_key(const entry *e)
{
	return hilbert(((double)e->box[0] + e->box[1]) / 2,
	               ((double)e->box[2] + e->box[3]) / 2);
}

/* Writes rows aMap[0..n-1] of the rowid map. A row whose id is one more
 * than the largest in the map (every row of a load in id order but those
 * after a position without a geometry) goes in without its rowid: SQLite
 * gives it the same one by appending, with no search of the table for a
 * row of that id, which the explicit rowid costs; MAP_BATCH such rows go
 * in one statement. Other rows name their rowid. */
static int write_map(packer *p, const idnode *aMap, size_t n)
{
	size_t i = 0;
	while (i < n) {
		int64_t id = aMap[i].id;
		size_t k = 0;
		if (id == p->maxMapId + 1)
			while (k < MAP_BATCH && i + k < n &&
			       aMap[i + k].id == id + (int64_t)k)
				k++;
		sqlite3_stmt *pStmt;
		if (k == MAP_BATCH) {
			pStmt = p->pRowidBatch;
			for (size_t j = 0; j < k; j++)
				sqlite3_bind_int64(pStmt, (int)j + 1, aMap[i + j].node);
		} else if (k) {
			k = 1;
			pStmt = p->pRowidNext;
			sqlite3_bind_int64(pStmt, 1, aMap[i].node);
		} else {
			k = 1;
			pStmt = p->pRowid;
			sqlite3_bind_int64(pStmt, 1, id);
			sqlite3_bind_int64(pStmt, 2, aMap[i].node);
		}
		int rc = sqlite3_step(pStmt);
		sqlite3_reset(pStmt);
		if (rc != SQLITE_DONE)
			return fail(p, "rowid map");
		int64_t last = aMap[i + k - 1].id;
		if (last > p->maxMapId)
			p->maxMapId = last;
		i += k;
	}
	return 0;
}

/* Writes the leaves of one sorted chunk and its rowid map in id order: the
 * chunk was read in id order, so each entry's place as read (iRead) is its
 * place in the map, with no second sort. */
static int pack_chunk(packer *p, entry *a, size_t n, level *pLeaves,
                      idnode *aMap)
{
	sort_entries(a, n);
	for (size_t i = 0; i < n; i += MAX_CELLS) {
		int k = (int)(n - i < MAX_CELLS ? n - i : MAX_CELLS);
		entry e = {p->nextNode++, {0}, 0, 0};
		memcpy(e.box, a[i].box, sizeof e.box);
		for (int j = 0; j < k; j++) {
			const entry *c = &a[i + (size_t)j];
			grow(&e, c);
			aMap[c->iRead].id = c->id;
			aMap[c->iRead].node = e.id;
		}
		if (write_node(p, e.id, a + i, k, 0, 1, 0))
			return 1;
		e.key = centre_key(&e);
		if (level_push(pLeaves, &e)) {
			snprintf(p->zErr, p->nErr, "R-tree build: out of memory");
			return 1;
		}
	}
	return write_map(p, aMap, n);
}

/* An R-tree build under way: the packer, the chunk being filled and the
 * leaves of the chunks already written. */
struct st__rtree_build {
	packer p;
	level up, next;
	entry *aChunk;
	idnode *aMap;
	size_t n, nChunk;
	int bad;                  /* an error is in zMsg; later calls do nothing */
	char zMsg[512];
};

void st__rtree_build_free(st__rtree_build *b)
{
	if (!b)
		return;
	sqlite3_finalize(b->p.pNode);
	sqlite3_finalize(b->p.pRowid);
	sqlite3_finalize(b->p.pRowidBatch);
	sqlite3_finalize(b->p.pRowidNext);
	sqlite3_finalize(b->p.pParent);
	free(b->up.a);
	free(b->next.a);
	free(b->aChunk);
	free(b->aMap);
	free(b);
}

/* Prepares zFmt (its %w the R-tree's name) with its VALUES row (zRow)
 * nRow times. */
static sqlite3_stmt *prep(st__rtree_build *b, const char *zRtree,
                          const char *zFmt, const char *zRow, int nRow)
{
	sqlite3_str *pStr = sqlite3_str_new(b->p.db);
	sqlite3_str_appendf(pStr, zFmt, zRtree);
	for (int j = 0; j < nRow; j++)
		sqlite3_str_appendf(pStr, "%s%s", j ? ", " : " VALUES ", zRow);
	char *z = sqlite3_str_finish(pStr);
	sqlite3_stmt *pStmt = NULL;
	if (!z || sqlite3_prepare_v2(b->p.db, z, -1, &pStmt, NULL) != SQLITE_OK) {
		fail(&b->p, "prepare");
		pStmt = NULL;
	}
	sqlite3_free(z);
	return pStmt;
}

st__rtree_build *st__rtree_build_begin(sqlite3 *db, const char *zRtree,
                                       size_t nChunk, char *zErr, size_t nErr)
{
	st__rtree_build *b = calloc(1, sizeof *b);
	if (!b) {
		snprintf(zErr, nErr, "R-tree build: out of memory");
		return NULL;
	}
	b->p.db = db;
	b->p.nextNode = 2;
	b->p.zErr = b->zMsg;
	b->p.nErr = sizeof b->zMsg;
	b->nChunk = nChunk ? nChunk : CHUNK_ROWS;
	char *zSql = sqlite3_mprintf(
		"DELETE FROM \"%w_node\"; DELETE FROM \"%w_rowid\";"
		" DELETE FROM \"%w_parent\";", zRtree, zRtree, zRtree);
	if (!zSql || sqlite3_exec(db, zSql, NULL, NULL, NULL) != SQLITE_OK) {
		sqlite3_free(zSql);
		fail(&b->p, "clear");
		goto fail;
	}
	sqlite3_free(zSql);
	if (!(b->p.pNode = prep(b, zRtree,
	          "INSERT INTO \"%w_node\" (nodeno, data)", "(?, ?)", 1)) ||
	    !(b->p.pRowid = prep(b, zRtree,
	          "INSERT INTO \"%w_rowid\" (rowid, nodeno)", "(?, ?)", 1)) ||
	    !(b->p.pRowidNext = prep(b, zRtree,
	          "INSERT INTO \"%w_rowid\" (nodeno)", "(?)", 1)) ||
	    !(b->p.pRowidBatch = prep(b, zRtree,
	          "INSERT INTO \"%w_rowid\" (nodeno)", "(?)", MAP_BATCH)) ||
	    !(b->p.pParent = prep(b, zRtree,
	          "INSERT INTO \"%w_parent\" (nodeno, parentnode)", "(?, ?)", 1)))
		goto fail;
	b->aChunk = malloc(b->nChunk * sizeof *b->aChunk);
	b->aMap = malloc(b->nChunk * sizeof *b->aMap);
	if (!b->aChunk || !b->aMap) {
		snprintf(b->zMsg, sizeof b->zMsg, "R-tree build: out of memory");
		goto fail;
	}
	return b;
fail:
	snprintf(zErr, nErr, "%s", b->zMsg);
	st__rtree_build_free(b);
	return NULL;
}

void st__rtree_entry_make(st__rtree_entry *e, int64_t id, double x, double y)
{
	e->id = id;
	e->box[0] = round_down(x);
	e->box[1] = round_up(x);
	e->box[2] = round_down(y);
	e->box[3] = round_up(y);
	e->key = hilbert(x, y);
	e->iRead = 0;
}

int st__rtree_build_put(st__rtree_build *b, const st__rtree_entry *e)
{
	if (b->bad)
		return 1;
	entry *c = &b->aChunk[b->n];
	*c = *e;
	c->iRead = (uint32_t)b->n;
	if (++b->n == b->nChunk) {
		b->bad = pack_chunk(&b->p, b->aChunk, b->n, &b->up, b->aMap);
		b->n = 0;
	}
	return b->bad;
}

int st__rtree_build_add(st__rtree_build *b, int64_t id, double x, double y)
{
	entry e;
	st__rtree_entry_make(&e, id, x, y);
	return st__rtree_build_put(b, &e);
}

int st__rtree_build_end(st__rtree_build *b, char *zErr, size_t nErr)
{
	int bad = b->bad;
	packer *p = &b->p;
	if (bad)
		goto done;
	bad = 1;
	if (b->up.n == 0 && b->n <= MAX_CELLS) {
		/* everything fits in the root, which is then a leaf */
		bad = write_node(p, 1, b->aChunk, (int)b->n, 0, 1, 1);
		goto done;
	}
	if (b->n && pack_chunk(p, b->aChunk, b->n, &b->up, b->aMap))
		goto done;
	/* Levels above, until one fits in the root. */
	int depth = 1;
	sort_entries(b->up.a, b->up.n);
	while (b->up.n > MAX_CELLS) {
		b->next.n = 0;
		for (size_t i = 0; i < b->up.n; i += MAX_CELLS) {
			int k = (int)(b->up.n - i < MAX_CELLS ? b->up.n - i
			                                      : MAX_CELLS);
			if (flush_node(p, b->up.a + i, k, &b->next))
				goto done;
		}
		level t = b->up;
		b->up = b->next;
		b->next = t;
		depth++;
	}
	bad = write_node(p, 1, b->up.a, (int)b->up.n, depth, 0, 1);
done:
	if (bad)
		snprintf(zErr, nErr, "%s", b->zMsg);
	st__rtree_build_free(b);
	return bad;
}

/* Rebuilds R-tree zRtree from zSelect, which yields (id, x, y) rows of
 * points, in any order. Runs inside the caller's transaction. */
int st__rtree_pack(sqlite3 *db, const char *zRtree, const char *zSelect,
                   size_t nChunk, char *zErr, size_t nErr)
{
	st__rtree_build *b = st__rtree_build_begin(db, zRtree, nChunk, zErr,
	                                           nErr);
	if (!b)
		return 1;
	sqlite3_stmt *pSel = NULL;
	if (sqlite3_prepare_v2(db, zSelect, -1, &pSel, NULL) != SQLITE_OK) {
		snprintf(zErr, nErr, "R-tree build: select: %s", sqlite3_errmsg(db));
		st__rtree_build_free(b);
		return 1;
	}
	int rc;
	while ((rc = sqlite3_step(pSel)) == SQLITE_ROW)
		if (st__rtree_build_add(b, sqlite3_column_int64(pSel, 0),
		                        sqlite3_column_double(pSel, 1),
		                        sqlite3_column_double(pSel, 2)))
			break;
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		snprintf(zErr, nErr, "R-tree build: select: %s", sqlite3_errmsg(db));
		sqlite3_finalize(pSel);
		st__rtree_build_free(b);
		return 1;
	}
	sqlite3_finalize(pSel);
	return st__rtree_build_end(b, zErr, nErr);
}

/* Bulk build of a GeoPackage R-tree (an SQLite rtree virtual table) by
 * packing: SQLite's own R*-tree insert costs about ten microseconds a row,
 * which would dominate a large ingest, so after a big load the index is
 * rebuilt from scratch. The rows are read in id order in chunks of
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

typedef struct entry {
	int64_t id;
	float box[4];             /* minx, maxx, miny, maxy */
	uint32_t key;             /* Hilbert position of the centre */
	uint32_t iRead;           /* leaf entries: place in the chunk as read */
} entry;

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
	int64_t nextNode;         /* next node number; 1 is kept for the root */
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

/* Writes rows aMap[0..n-1] of the rowid map, MAP_BATCH at a time. */
static int write_map(packer *p, const idnode *aMap, size_t n)
{
	size_t i = 0;
	for (; i + MAP_BATCH <= n; i += MAP_BATCH) {
		for (int j = 0; j < MAP_BATCH; j++) {
			sqlite3_bind_int64(p->pRowidBatch, 2 * j + 1, aMap[i + (size_t)j].id);
			sqlite3_bind_int64(p->pRowidBatch, 2 * j + 2, aMap[i + (size_t)j].node);
		}
		int rc = sqlite3_step(p->pRowidBatch);
		sqlite3_reset(p->pRowidBatch);
		if (rc != SQLITE_DONE)
			return fail(p, "rowid map");
	}
	for (; i < n; i++) {
		sqlite3_bind_int64(p->pRowid, 1, aMap[i].id);
		sqlite3_bind_int64(p->pRowid, 2, aMap[i].node);
		int rc = sqlite3_step(p->pRowid);
		sqlite3_reset(p->pRowid);
		if (rc != SQLITE_DONE)
			return fail(p, "rowid map");
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

/* Rebuilds R-tree zRtree from zSelect, which yields (id, x, y) rows of
 * points, in any order. Runs inside the caller's transaction. */
int st__rtree_pack(sqlite3 *db, const char *zRtree, const char *zSelect,
                   size_t nChunk, char *zErr, size_t nErr)
{
	if (nChunk == 0)
		nChunk = CHUNK_ROWS;
	packer p = {db, NULL, NULL, NULL, NULL, 2, zErr, nErr};
	sqlite3_stmt *pSel = NULL;
	level up = {0}, next = {0};
	entry *aChunk = NULL;
	idnode *aMap = NULL;
	int bad = 1;
	char *zSql = sqlite3_mprintf(
		"DELETE FROM \"%w_node\"; DELETE FROM \"%w_rowid\";"
		" DELETE FROM \"%w_parent\";", zRtree, zRtree, zRtree);
	if (!zSql || sqlite3_exec(db, zSql, NULL, NULL, NULL) != SQLITE_OK) {
		sqlite3_free(zSql);
		fail(&p, "clear");
		return 1;
	}
	sqlite3_free(zSql);
#define PREP(pp, fmt)                                                          \
	do {                                                                   \
		char *z_ = sqlite3_mprintf(fmt, zRtree);                       \
		int r_ = z_ ? sqlite3_prepare_v2(db, z_, -1, &pp, NULL) : 1;   \
		sqlite3_free(z_);                                              \
		if (r_ != SQLITE_OK) {                                         \
			fail(&p, "prepare");                                   \
			goto done;                                             \
		}                                                              \
	} while (0)
	PREP(p.pNode, "INSERT INTO \"%w_node\" (nodeno, data) VALUES (?, ?)");
	PREP(p.pRowid, "INSERT INTO \"%w_rowid\" (rowid, nodeno) VALUES (?, ?)");
	PREP(p.pParent,
	     "INSERT INTO \"%w_parent\" (nodeno, parentnode) VALUES (?, ?)");
	{
		sqlite3_str *pStr = sqlite3_str_new(db);
		sqlite3_str_appendf(pStr, "INSERT INTO \"%w_rowid\" (rowid, nodeno)"
		                    " VALUES (?, ?)", zRtree);
		for (int j = 1; j < MAP_BATCH; j++)
			sqlite3_str_appendall(pStr, ", (?, ?)");
		char *z = sqlite3_str_finish(pStr);
		int r = z ? sqlite3_prepare_v2(db, z, -1, &p.pRowidBatch, NULL) : 1;
		sqlite3_free(z);
		if (r != SQLITE_OK) {
			fail(&p, "prepare");
			goto done;
		}
	}
#undef PREP
	if (sqlite3_prepare_v2(db, zSelect, -1, &pSel, NULL) != SQLITE_OK) {
		fail(&p, "select");
		goto done;
	}
	aChunk = malloc(nChunk * sizeof *aChunk);
	aMap = malloc(nChunk * sizeof *aMap);
	if (!aChunk || !aMap) {
		snprintf(zErr, nErr, "R-tree build: out of memory");
		goto done;
	}

	size_t n = 0;
	int rc;
	while ((rc = sqlite3_step(pSel)) == SQLITE_ROW) {
		entry *e = &aChunk[n++];
		double x = sqlite3_column_double(pSel, 1);
		double y = sqlite3_column_double(pSel, 2);
		e->id = sqlite3_column_int64(pSel, 0);
		e->box[0] = round_down(x);
		e->box[1] = round_up(x);
		e->box[2] = round_down(y);
		e->box[3] = round_up(y);
		e->key = hilbert(x, y);
		e->iRead = (uint32_t)(n - 1);
		if (n == nChunk) {
			if (pack_chunk(&p, aChunk, n, &up, aMap))
				goto done;
			n = 0;
		}
	}
	if (rc != SQLITE_DONE) {
		fail(&p, "select");
		goto done;
	}
	if (up.n == 0) {
		/* everything fits in the root, which is then a leaf */
		if (n <= MAX_CELLS) {
			if (write_node(&p, 1, aChunk, (int)n, 0, 1, 1))
				goto done;
			bad = 0;
			goto done;
		}
	}
	if (n && pack_chunk(&p, aChunk, n, &up, aMap))
		goto done;

	/* Levels above, until one fits in the root. */
	int depth = 1;
	sort_entries(up.a, up.n);
	while (up.n > MAX_CELLS) {
		next.n = 0;
		for (size_t i = 0; i < up.n; i += MAX_CELLS) {
			int k = (int)(up.n - i < MAX_CELLS ? up.n - i : MAX_CELLS);
			if (flush_node(&p, up.a + i, k, &next))
				goto done;
		}
		level t = up;
		up = next;
		next = t;
		depth++;
	}
	if (write_node(&p, 1, up.a, (int)up.n, depth, 0, 1))
		goto done;
	bad = 0;
done:
	sqlite3_finalize(pSel);
	sqlite3_finalize(p.pNode);
	sqlite3_finalize(p.pRowid);
	sqlite3_finalize(p.pRowidBatch);
	sqlite3_finalize(p.pParent);
	free(up.a);
	free(next.a);
	free(aChunk);
	free(aMap);
	return bad;
}

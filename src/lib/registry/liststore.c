/* Lists in the case store: `list_entries` (what each list designates),
 * `entities` (every other node of the ownership graph: owners, managers,
 * parties a list only names, unlisted vessels of an FtM export) and
 * `entity_links` (the edges), written by `shiptrace ingest --kind list` and
 * read back whole by `shiptrace screen`. A list file replaces the rows of
 * the same list name, so loading this month's OFAC file over last month's
 * leaves one OFAC list, not two. Both backends see the same portable SQL. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "shiptrace/sanctions.h"
#include "shiptrace/store.h"
#include "registry/internal.h"

#define ALIAS_SEP "; "

static const st_column aEntryCol[] = {
	{"list", ST_COL_TEXT}, {"entry_id", ST_COL_TEXT}, {"kind", ST_COL_TEXT},
	{"listed", ST_COL_INT}, {"name", ST_COL_TEXT}, {"aliases", ST_COL_TEXT},
	{"imo", ST_COL_INT}, {"mmsi", ST_COL_INT}, {"call_sign", ST_COL_TEXT},
	{"flag", ST_COL_TEXT}, {"program", ST_COL_TEXT},
	{"vessel_type", ST_COL_TEXT}, {"remarks", ST_COL_TEXT},
	{"source_id", ST_COL_INT}, {"line", ST_COL_INT},
};
#define N_ENTRY_COL (int)(sizeof aEntryCol / sizeof aEntryCol[0])

const st_table_def st_tab_list_entries = {
	"list_entries", "sanctions list entries: what each list designates",
	aEntryCol, N_ENTRY_COL, ST_GEOM_NONE};
const st_table_def st_tab_entities = {
	"entities", "owners, managers and other parties named by the lists",
	aEntryCol, N_ENTRY_COL, ST_GEOM_NONE};

static const st_column aLinkCol[] = {
	{"list", ST_COL_TEXT}, {"from_entry_id", ST_COL_TEXT},
	{"from_name", ST_COL_TEXT}, {"to_entry_id", ST_COL_TEXT},
	{"to_name", ST_COL_TEXT}, {"kind", ST_COL_TEXT}, {"text", ST_COL_TEXT},
	{"source_id", ST_COL_INT}, {"line", ST_COL_INT},
};
const st_table_def st_tab_entity_links = {
	"entity_links", "ownership and other links between list entries",
	aLinkCol, (int)(sizeof aLinkCol / sizeof aLinkCol[0]), ST_GEOM_NONE};

static int table_exists(st_store *s, const char *zTable)
{
	char zSql[128];
	int64_t n;
	snprintf(zSql, sizeof zSql, "SELECT count(*) FROM %s WHERE 1 = 0", zTable);
	return st_store_query_int(s, zSql, &n) == ST_OK;
}

/* SQL string literal of z into zOut ('' doubled); 0 if it did not fit. */
static int sql_quote(const char *z, char *zOut, size_t nOut)
{
	size_t m = 0;
	if (nOut < 3)
		return 0;
	zOut[m++] = '\'';
	for (; *z; z++) {
		if (m + 3 >= nOut)
			return 0;
		if (*z == '\'')
			zOut[m++] = '\'';
		zOut[m++] = *z;
	}
	zOut[m++] = '\'';
	zOut[m] = '\0';
	return 1;
}

st_status st_lists_store_prepare(st_store *s, int *pnCreate)
{
	static const st_table_def *const apDef[] = {
		&st_tab_list_entries, &st_tab_entities, &st_tab_entity_links};
	int flags = 0;
	for (int i = 0; i < 3; i++)
		if (!table_exists(s, apDef[i]->zName))
			flags |= 1 << i;
	*pnCreate = flags;
	return ST_OK;
}

static char *join_aliases(const st_list_entry *e)
{
	size_t n = 1;
	for (int i = 0; i < e->nAlias; i++)
		n += strlen(e->azAlias[i]) + sizeof ALIAS_SEP;
	char *z = malloc(n);
	if (!z)
		return NULL;
	size_t m = 0;
	z[0] = '\0';
	for (int i = 0; i < e->nAlias; i++)
		m += (size_t)snprintf(z + m, n - m, "%s%s", i ? ALIAS_SEP : "", e->azAlias[i]);
	return z;
}

st_status st_lists_store_write(st_store *s, const st_lists *p, int createFlags,
                               int64_t sourceId, char *zErr, size_t nErr)
{
	static const st_table_def *const apDef[] = {
		&st_tab_list_entries, &st_tab_entities, &st_tab_entity_links};
	st_status rc = ST_OK;
	for (int i = 0; i < 3 && rc == ST_OK; i++)
		if (createFlags & (1 << i))
			rc = st_store_create_table(s, apDef[i]);
	if (rc != ST_OK) {
		snprintf(zErr, nErr, "%s", st_store_errmsg(s));
		return rc;
	}
	/* A list loaded again replaces its earlier rows. */
	const char *zPrev = NULL;
	for (int i = 0; i < st_lists_count(p) && rc == ST_OK; i++) {
		const char *zList = st_lists_entry(p, i)->zList;
		if (zPrev && !strcmp(zPrev, zList))
			continue;
		zPrev = zList;
		char zQ[600], zSql[800];
		if (!sql_quote(zList, zQ, sizeof zQ)) {
			snprintf(zErr, nErr, "list name too long");
			return ST_EINVAL;
		}
		for (int t = 0; t < 3 && rc == ST_OK; t++) {
			snprintf(zSql, sizeof zSql, "DELETE FROM %s WHERE list = %s",
			         apDef[t]->zName, zQ);
			rc = st_store_query(s, zSql, NULL, NULL, zErr, nErr);
		}
	}
	for (int i = 0; i < st_lists_count(p) && rc == ST_OK; i++) {
		const st_list_entry *e = st_lists_entry(p, i);
		char *zAlias = join_aliases(e);
		if (!zAlias)
			return ST_ENOMEM;
		st_value v[N_ENTRY_COL];
		memset(v, 0, sizeof v);
		v[0].z = e->zList;
		v[1].z = e->zEntryId;
		v[2].z = st_entity_kind_name(e->kind);
		v[3].i = e->listed;
		v[4].z = e->zName;
		v[5].z = zAlias;
		v[6].i = e->imo;
		v[6].isNull = e->imo == 0;
		v[7].i = e->mmsi;
		v[7].isNull = e->mmsi == 0;
		v[8].z = e->zCallSign;
		v[9].z = e->zFlag;
		v[10].z = e->zProgram;
		v[11].z = e->zVesselType;
		v[12].z = e->zRemarks;
		v[13].i = sourceId;
		v[14].i = (int64_t)e->line;
		if (e->listed)
			rc = st_store_insert(s, &st_tab_list_entries, v, NULL, NULL);
		if (rc == ST_OK && (e->kind != ST_ENT_VESSEL || !e->listed))
			rc = st_store_insert(s, &st_tab_entities, v, NULL, NULL);
		free(zAlias);
	}
	for (int k = 0; k < st_lists_link_count(p) && rc == ST_OK; k++) {
		const st_list_link *l = st_lists_link(p, k);
		const st_list_entry *a = st_lists_entry(p, l->iFrom);
		const st_list_entry *b = st_lists_entry(p, l->iTo);
		st_value v[9];
		memset(v, 0, sizeof v);
		v[0].z = a->zList;
		v[1].z = a->zEntryId;
		v[2].z = a->zName;
		v[3].z = b->zEntryId;
		v[4].z = b->zName;
		v[5].z = l->zKind;
		v[6].z = l->zText;
		v[7].i = sourceId;
		v[8].i = (int64_t)l->line;
		rc = st_store_insert(s, &st_tab_entity_links, v, NULL, NULL);
	}
	if (rc != ST_OK && zErr && !*zErr)
		snprintf(zErr, nErr, "%s", st_store_errmsg(s));
	return rc;
}

/* ---- reading back ------------------------------------------------------- */

typedef struct reader {
	st_lists *p;
	int onlyUnlisted;
	st_status rc;
	const char **azAlias;
	int nAliasCap;
	char *zAliasBuf;
	size_t nAliasBuf;
} reader;

static int entry_row(void *ctx, int nCol, const char *const *azVal,
                     const char *const *azCol)
{
	reader *r = ctx;
	(void)azCol;
	if (nCol < 13)
		return 1;
#define V(i) (azVal[i] ? azVal[i] : "")
	st_list_entry e = {0};
	e.zList = V(0);
	e.zEntryId = V(1);
	e.kind = st_entity_kind_parse(V(2));
	e.listed = atoi(V(3));
	if (r->onlyUnlisted && e.listed)
		return 0;
	e.zName = V(4);
	e.imo = (uint32_t)strtoul(V(6), NULL, 10);
	e.mmsi = (uint32_t)strtoul(V(7), NULL, 10);
	e.zCallSign = V(8);
	e.zFlag = V(9);
	e.zProgram = V(10);
	e.zVesselType = V(11);
	e.zRemarks = V(12);
	e.zSource = "case";
	e.line = nCol > 14 && azVal[14] ? strtoull(azVal[14], NULL, 10) : 0;
	/* Split "A; B; C" in a private copy. */
	size_t nA = strlen(V(5));
	if (nA + 1 > r->nAliasBuf) {
		char *z = realloc(r->zAliasBuf, nA + 1);
		if (!z) {
			r->rc = ST_ENOMEM;
			return 1;
		}
		r->zAliasBuf = z;
		r->nAliasBuf = nA + 1;
	}
	memcpy(r->zAliasBuf, V(5), nA + 1);
	int n = 0;
	char *z = r->zAliasBuf;
	while (*z) {
		if (n == r->nAliasCap) {
			int cap = r->nAliasCap ? r->nAliasCap * 2 : 16;
			const char **a = realloc(r->azAlias, (size_t)cap * sizeof *a);
			if (!a) {
				r->rc = ST_ENOMEM;
				return 1;
			}
			r->azAlias = a;
			r->nAliasCap = cap;
		}
		r->azAlias[n++] = z;
		char *zEnd = strstr(z, ALIAS_SEP);
		if (!zEnd)
			break;
		*zEnd = '\0';
		z = zEnd + strlen(ALIAS_SEP);
	}
	e.azAlias = r->azAlias;
	e.nAlias = n;
#undef V
	if (st_lists_find(r->p, e.zList, e.zEntryId) >= 0)
		return 0;
	r->rc = st_lists_add(r->p, &e, NULL);
	return r->rc != ST_OK;
}

static int link_row(void *ctx, int nCol, const char *const *azVal,
                    const char *const *azCol)
{
	reader *r = ctx;
	(void)azCol;
	if (nCol < 6 || !azVal[0] || !azVal[1] || !azVal[2])
		return 0;
	int iFrom = st_lists_find(r->p, azVal[0], azVal[1]);
	int iTo = st_lists_find(r->p, azVal[0], azVal[2]);
	if (iFrom < 0 || iTo < 0)
		return 0; /* an edge to a row deleted by hand: nothing to walk */
	r->rc = st_lists_add_link(r->p, iFrom, iTo, azVal[3] ? azVal[3] : "",
	                          azVal[4] ? azVal[4] : "",
	                          azVal[5] ? strtoull(azVal[5], NULL, 10) : 0);
	return r->rc != ST_OK;
}

st_status st_lists_store_read(st_store *s, st_lists *p, char *zErr, size_t nErr)
{
	static const char zCols[] =
		"list, entry_id, kind, listed, name, aliases, imo, mmsi, call_sign, "
		"flag, program, vessel_type, remarks, source_id, line";
	char zSql[512];
	reader r = {p, 0, ST_OK, NULL, 0, NULL, 0};
	if (!table_exists(s, "list_entries")) {
		snprintf(zErr, nErr, "the case holds no list: load one with "
		         "`shiptrace ingest CASE --kind list FILE`");
		return ST_ENOTFOUND;
	}
	snprintf(zSql, sizeof zSql, "SELECT %s FROM list_entries ORDER BY id", zCols);
	st_status rc = st_store_query(s, zSql, entry_row, &r, zErr, nErr);
	if (rc == ST_OK && r.rc == ST_OK && table_exists(s, "entities")) {
		r.onlyUnlisted = 1;
		snprintf(zSql, sizeof zSql, "SELECT %s FROM entities ORDER BY id", zCols);
		rc = st_store_query(s, zSql, entry_row, &r, zErr, nErr);
	}
	if (rc == ST_OK && r.rc == ST_OK && table_exists(s, "entity_links"))
		rc = st_store_query(s, "SELECT list, from_entry_id, to_entry_id, kind, "
		                       "text, line FROM entity_links ORDER BY id",
		                    link_row, &r, zErr, nErr);
	free(r.azAlias);
	free(r.zAliasBuf);
	if (rc == ST_OK && r.rc != ST_OK) {
		rc = r.rc;
		snprintf(zErr, nErr, "%s", st_strerror(rc));
	}
	return rc;
}

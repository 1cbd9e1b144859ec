/* The in-memory list set: entries and links from any number of list files,
 * their strings in one arena, an index by (list, entry id) so rows of one
 * entry merge and links resolve, and an index by normalised name so OFAC's
 * "Linked To: NAME." finds the entry it names. Also the format detection and
 * dispatch to the three readers, and the small hash maps they all use. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "shiptrace/config.h"
#include "shiptrace/registry.h"
#include "shiptrace/sanctions.h"
#include "registry/csvrec.h"
#include "registry/internal.h"

/* ---------------------------------------------------------------- arena */

struct st__arena_blk {
	st__arena_blk *pNext;
	size_t nUsed, nCap;
	max_align_t aAlign[]; /* data follows */
};

void *st__arena_alloc(st__arena *a, size_t n)
{
	n = (n + 15) & ~(size_t)15;
	st__arena_blk *b = a->pHead;
	if (!b || b->nCap - b->nUsed < n) {
		size_t cap = n > 60000 ? n : 60000;
		b = malloc(sizeof *b + cap);
		if (!b)
			return NULL;
		b->nUsed = 0;
		b->nCap = cap;
		b->pNext = a->pHead;
		a->pHead = b;
	}
	void *p = (char *)b->aAlign + b->nUsed;
	b->nUsed += n;
	return p;
}

char *st__arena_strndup(st__arena *a, const char *z, size_t n)
{
	char *o = st__arena_alloc(a, n + 1);
	if (!o)
		return NULL;
	if (n)
		memcpy(o, z, n);
	o[n] = '\0';
	return o;
}

void st__arena_free(st__arena *a)
{
	while (a->pHead) {
		st__arena_blk *b = a->pHead;
		a->pHead = b->pNext;
		free(b);
	}
}

/* ----------------------------------------------------------------- maps */

static uint32_t mix32(uint32_t x)
{
	x ^= x >> 16;
	x *= 0x7feb352dU;
	x ^= x >> 15;
	x *= 0x846ca68bU;
	x ^= x >> 16;
	return x;
}

static int imap_grow(st__imap *m)
{
	size_t n = m->nSlot ? m->nSlot * 2 : 64;
	uint32_t *aKey = calloc(n, sizeof *aKey);
	int *aVal = malloc(n * sizeof *aVal);
	if (!aKey || !aVal) {
		free(aKey);
		free(aVal);
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		aVal[i] = -1;
	for (size_t i = 0; i < m->nSlot; i++) {
		if (m->aVal[i] < 0)
			continue;
		size_t s = mix32(m->aKey[i]) & (n - 1);
		while (aVal[s] >= 0)
			s = (s + 1) & (n - 1);
		aKey[s] = m->aKey[i];
		aVal[s] = m->aVal[i];
	}
	free(m->aKey);
	free(m->aVal);
	m->aKey = aKey;
	m->aVal = aVal;
	m->nSlot = n;
	return 0;
}

int st__imap_add(st__imap *m, uint32_t key, int val)
{
	if ((m->nUsed + 1) * 2 > m->nSlot && imap_grow(m))
		return -1;
	size_t s = mix32(key) & (m->nSlot - 1);
	while (m->aVal[s] >= 0)
		s = (s + 1) & (m->nSlot - 1);
	m->aKey[s] = key;
	m->aVal[s] = val;
	m->nUsed++;
	return 0;
}

size_t st__imap_find(const st__imap *m, uint32_t key, size_t from)
{
	if (!m->nSlot)
		return (size_t)-1;
	/* `from` is 0 for a new search, else one past the previous hit: the
	 * probe sequence restarts at the hash and skips to that point. */
	size_t mask = m->nSlot - 1;
	size_t s = from ? (from & mask) : (mix32(key) & mask);
	for (;;) {
		if (m->aVal[s] < 0)
			return (size_t)-1;
		if (m->aKey[s] == key)
			return s;
		s = (s + 1) & mask;
	}
}

void st__imap_free(st__imap *m)
{
	free(m->aKey);
	free(m->aVal);
	memset(m, 0, sizeof *m);
}

uint64_t st__hash(const char *z, size_t n)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)z[i];
		h *= 1099511628211ULL;
	}
	return h ? h : 1;
}

static int smap_grow(st__smap *m)
{
	size_t n = m->nSlot ? m->nSlot * 2 : 64;
	uint64_t *aHash = calloc(n, sizeof *aHash);
	const char **azKey = calloc(n, sizeof *azKey);
	int *aVal = malloc(n * sizeof *aVal);
	if (!aHash || !azKey || !aVal) {
		free(aHash);
		free(azKey);
		free(aVal);
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		aVal[i] = -1;
	for (size_t i = 0; i < m->nSlot; i++) {
		if (m->aVal[i] < 0)
			continue;
		size_t s = m->aHash[i] & (n - 1);
		while (aVal[s] >= 0)
			s = (s + 1) & (n - 1);
		aHash[s] = m->aHash[i];
		azKey[s] = m->azKey[i];
		aVal[s] = m->aVal[i];
	}
	free(m->aHash);
	free(m->azKey);
	free(m->aVal);
	m->aHash = aHash;
	m->azKey = azKey;
	m->aVal = aVal;
	m->nSlot = n;
	return 0;
}

int st__smap_add(st__smap *m, const char *zKey, int val)
{
	if ((m->nUsed + 1) * 2 > m->nSlot && smap_grow(m))
		return -1;
	uint64_t h = st__hash(zKey, strlen(zKey));
	size_t s = h & (m->nSlot - 1);
	while (m->aVal[s] >= 0)
		s = (s + 1) & (m->nSlot - 1);
	m->aHash[s] = h;
	m->azKey[s] = zKey;
	m->aVal[s] = val;
	m->nUsed++;
	return 0;
}

size_t st__smap_find(const st__smap *m, const char *zKey, uint64_t h, size_t from)
{
	if (!m->nSlot)
		return (size_t)-1;
	size_t mask = m->nSlot - 1;
	size_t s = from ? (from & mask) : (h & mask);
	for (;;) {
		if (m->aVal[s] < 0)
			return (size_t)-1;
		if (m->aHash[s] == h && !strcmp(m->azKey[s], zKey))
			return s;
		s = (s + 1) & mask;
	}
}

void st__smap_free(st__smap *m)
{
	free(m->aHash);
	free(m->azKey);
	free(m->aVal);
	memset(m, 0, sizeof *m);
}

/* ---------------------------------------------------------------- lists */

struct st_lists {
	st__arena arena;
	st_list_entry *aEntry;
	int nEntry, nEntryCap;
	st_list_link *aLink;
	int nLink, nLinkCap;
	st__smap byId;    /* "list\x1fid" -> entry */
	st__smap byName;  /* "list\x1fNORMALISED NAME" -> entry */
};

const char *st_entity_kind_name(st_entity_kind k)
{
	switch (k) {
	case ST_ENT_VESSEL: return "vessel";
	case ST_ENT_ORGANIZATION: return "organization";
	case ST_ENT_PERSON: return "person";
	case ST_ENT_AIRCRAFT: return "aircraft";
	case ST_ENT_OTHER: break;
	}
	return "other";
}

st_entity_kind st_entity_kind_parse(const char *z)
{
	static const struct {
		const char *zName;
		st_entity_kind k;
	} a[] = {
		{"vessel", ST_ENT_VESSEL}, {"ship", ST_ENT_VESSEL},
		{"organization", ST_ENT_ORGANIZATION}, {"organisation", ST_ENT_ORGANIZATION},
		{"entity", ST_ENT_ORGANIZATION}, {"company", ST_ENT_ORGANIZATION},
		{"legalentity", ST_ENT_ORGANIZATION},
		{"person", ST_ENT_PERSON}, {"individual", ST_ENT_PERSON},
		{"aircraft", ST_ENT_AIRCRAFT}, {"airplane", ST_ENT_AIRCRAFT},
	};
	if (!z)
		return ST_ENT_OTHER;
	for (size_t i = 0; i < sizeof a / sizeof a[0]; i++)
		if (st__field_is(z, strlen(z), a[i].zName))
			return a[i].k;
	return ST_ENT_OTHER;
}

const char *st_list_format_name(st_list_format f)
{
	switch (f) {
	case ST_LIST_OFAC: return "ofac_sdn_csv";
	case ST_LIST_CSV: return "mapped_csv";
	case ST_LIST_FTM: return "ftm_jsonl";
	case ST_LIST_AUTO: break;
	}
	return "auto";
}

st_status st_lists_new(st_lists **ppLists)
{
	*ppLists = calloc(1, sizeof **ppLists);
	return *ppLists ? ST_OK : ST_ENOMEM;
}

void st_lists_free(st_lists *p)
{
	if (!p)
		return;
	st__arena_free(&p->arena);
	free(p->aEntry);
	free(p->aLink);
	st__smap_free(&p->byId);
	st__smap_free(&p->byName);
	free(p);
}

int st_lists_count(const st_lists *p)
{
	return p->nEntry;
}

const st_list_entry *st_lists_entry(const st_lists *p, int i)
{
	return i >= 0 && i < p->nEntry ? &p->aEntry[i] : NULL;
}

int st_lists_link_count(const st_lists *p)
{
	return p->nLink;
}

const st_list_link *st_lists_link(const st_lists *p, int i)
{
	return i >= 0 && i < p->nLink ? &p->aLink[i] : NULL;
}

st_list_entry *st__lists_entry_mut(st_lists *p, int i)
{
	return i >= 0 && i < p->nEntry ? &p->aEntry[i] : NULL;
}

st__arena *st__lists_arena(st_lists *p)
{
	return &p->arena;
}

static const char *dup0(st__arena *a, const char *z)
{
	return st__arena_strndup(a, z ? z : "", z ? strlen(z) : 0);
}

/* "list\x1fkey" in the arena; the unit separator cannot occur in names. */
static const char *pair_key(st__arena *a, const char *zList, const char *zKey)
{
	size_t n1 = strlen(zList), n2 = strlen(zKey);
	char *z = st__arena_alloc(a, n1 + n2 + 2);
	if (!z)
		return NULL;
	memcpy(z, zList, n1);
	z[n1] = '\x1f';
	memcpy(z + n1 + 1, zKey, n2 + 1);
	return z;
}

static int add_name_key(st_lists *p, const char *zList, const char *zName, int iEntry)
{
	char zNorm[512];
	size_t n = st_vessel_name(zName, zNorm, sizeof zNorm);
	if (!n)
		return 0;
	if (st__lists_find_name(p, zList, zNorm) == iEntry)
		return 0;
	const char *zKey = pair_key(&p->arena, zList, zNorm);
	if (!zKey || st__smap_add(&p->byName, zKey, iEntry))
		return -1;
	return 0;
}

st_status st_lists_add(st_lists *p, const st_list_entry *e, int *piEntry)
{
	if (p->nEntry == p->nEntryCap) {
		int cap = p->nEntryCap ? p->nEntryCap * 2 : 256;
		st_list_entry *a = realloc(p->aEntry, (size_t)cap * sizeof *a);
		if (!a)
			return ST_ENOMEM;
		p->aEntry = a;
		p->nEntryCap = cap;
	}
	st__arena *a = &p->arena;
	st_list_entry *o = &p->aEntry[p->nEntry];
	*o = *e;
	o->zList = dup0(a, e->zList);
	o->zEntryId = dup0(a, e->zEntryId);
	o->zName = dup0(a, e->zName);
	o->zCallSign = dup0(a, e->zCallSign);
	o->zFlag = dup0(a, e->zFlag);
	o->zProgram = dup0(a, e->zProgram);
	o->zVesselType = dup0(a, e->zVesselType);
	o->zRemarks = dup0(a, e->zRemarks);
	o->zSource = dup0(a, e->zSource);
	o->azAlias = NULL;
	o->nAlias = 0;
	if (e->nAlias > 0) {
		const char **az = st__arena_alloc(a, (size_t)e->nAlias * sizeof *az);
		if (!az)
			return ST_ENOMEM;
		for (int i = 0; i < e->nAlias; i++)
			if (!(az[i] = dup0(a, e->azAlias[i])))
				return ST_ENOMEM;
		o->azAlias = az;
		o->nAlias = e->nAlias;
	}
	if (!o->zList || !o->zEntryId || !o->zName || !o->zCallSign || !o->zFlag ||
	    !o->zProgram || !o->zVesselType || !o->zRemarks || !o->zSource)
		return ST_ENOMEM;
	int i = p->nEntry;
	const char *zKey = pair_key(a, o->zList, o->zEntryId);
	if (!zKey || st__smap_add(&p->byId, zKey, i))
		return ST_ENOMEM;
	if (add_name_key(p, o->zList, o->zName, i))
		return ST_ENOMEM;
	for (int j = 0; j < o->nAlias; j++)
		if (add_name_key(p, o->zList, o->azAlias[j], i))
			return ST_ENOMEM;
	p->nEntry++;
	if (piEntry)
		*piEntry = i;
	return ST_OK;
}

st_status st_lists_add_link(st_lists *p, int iFrom, int iTo, const char *zKind,
                            const char *zText, uint64_t line)
{
	if (iFrom < 0 || iFrom >= p->nEntry || iTo < 0 || iTo >= p->nEntry)
		return ST_EINVAL;
	if (p->nLink == p->nLinkCap) {
		int cap = p->nLinkCap ? p->nLinkCap * 2 : 256;
		st_list_link *a = realloc(p->aLink, (size_t)cap * sizeof *a);
		if (!a)
			return ST_ENOMEM;
		p->aLink = a;
		p->nLinkCap = cap;
	}
	st_list_link *l = &p->aLink[p->nLink];
	l->iFrom = iFrom;
	l->iTo = iTo;
	l->zKind = dup0(&p->arena, zKind);
	l->zText = dup0(&p->arena, zText);
	l->line = line;
	if (!l->zKind || !l->zText)
		return ST_ENOMEM;
	p->nLink++;
	return ST_OK;
}

static int find_pair(const st__smap *m, const char *zList, const char *zKey)
{
	size_t n1 = strlen(zList), n2 = strlen(zKey);
	char zBuf[768];
	if (n1 + n2 + 2 > sizeof zBuf)
		return -1;
	memcpy(zBuf, zList, n1);
	zBuf[n1] = '\x1f';
	memcpy(zBuf + n1 + 1, zKey, n2 + 1);
	size_t s = st__smap_find(m, zBuf, st__hash(zBuf, n1 + n2 + 1), 0);
	return s == (size_t)-1 ? -1 : m->aVal[s];
}

int st_lists_find(const st_lists *p, const char *zList, const char *zEntryId)
{
	return find_pair(&p->byId, zList, zEntryId);
}

int st__lists_find_name(st_lists *p, const char *zList, const char *zNorm)
{
	return find_pair(&p->byName, zList, zNorm);
}

int st__lists_party(st_lists *p, const char *zList, const char *zName,
                    const char *zSource, st_entity_kind kind)
{
	char zNorm[512];
	if (!st_vessel_name(zName, zNorm, sizeof zNorm))
		return -1;
	int i = st__lists_find_name(p, zList, zNorm);
	if (i >= 0)
		return i;
	char zId[540];
	snprintf(zId, sizeof zId, "party:%s", zNorm);
	st_list_entry e = {0};
	e.zList = zList;
	e.zEntryId = zId;
	e.kind = kind;
	e.listed = 0;
	e.zName = zName;
	e.zSource = zSource;
	if (st_lists_add(p, &e, &i))
		return -2;
	return i;
}

/* ------------------------------------------------------------- loading */

void st__list_reject(st__list_ctx *c, uint64_t line, const char *zFmt, ...)
{
	char zWhy[256];
	va_list ap;
	va_start(ap, zFmt);
	vsnprintf(zWhy, sizeof zWhy, zFmt, ap);
	va_end(ap);
	c->pStats->nRejected++;
	if (c->pOpts && c->pOpts->xReject)
		c->pOpts->xReject(c->pOpts->pRejectCtx, c->zFile, line, zWhy);
}

static st_list_format detect(const char *z, size_t n)
{
	size_t i = 0;
	while (i < n && (z[i] == ' ' || z[i] == '\t' || z[i] == '\r' || z[i] == '\n'))
		i++;
	if (i < n && z[i] == '{')
		return ST_LIST_FTM;
	/* OFAC legacy rows: ent_num, then a quoted name, 12 fields, no header. */
	st__csvrec c;
	st__csvrec_init(&c, z, n, ',');
	st_list_format f = ST_LIST_CSV;
	if (st__csvrec_next(&c) == ST_OK && c.nField == 12 && c.anField[0] > 0) {
		size_t j = 0;
		while (j < c.anField[0] && c.azField[0][j] >= '0' && c.azField[0][j] <= '9')
			j++;
		if (j == c.anField[0])
			f = ST_LIST_OFAC;
	}
	st__csvrec_free(&c);
	return f;
}

st_status st_lists_load_buffer(st_lists *p, const char *zName, const char *zBuf,
                               size_t nBuf, const st_list_opts *opts,
                               st_list_stats *pStats, char *zErr, size_t nErr)
{
	st_list_opts dflt = {0};
	st_list_stats stats;
	if (!opts)
		opts = &dflt;
	if (!pStats)
		pStats = &stats;
	memset(pStats, 0, sizeof *pStats);
	if (zErr && nErr)
		zErr[0] = '\0';
	st__list_ctx c = {p, zName, opts, pStats, zErr, nErr};
	st_list_format f = opts->format;
	if (f == ST_LIST_AUTO)
		f = opts->zMap ? ST_LIST_CSV : detect(zBuf, nBuf);
	pStats->format = f;
	switch (f) {
	case ST_LIST_OFAC: return st__ofac_load(&c, zBuf, nBuf);
	case ST_LIST_CSV: return st__csvlist_load(&c, zBuf, nBuf);
	case ST_LIST_FTM: return st__ftm_load(&c, zBuf, nBuf);
	case ST_LIST_AUTO: break;
	}
	return ST_EINVAL;
}

st_status st_lists_load(st_lists *p, const char *zPath, const st_list_opts *opts,
                        st_list_stats *pStats, char *zErr, size_t nErr)
{
	st_list_opts o = opts ? *opts : (st_list_opts){0};
	char *zBuf = NULL;
	size_t nBuf = 0;
	const char *zEnc = NULL;
	st__map m = {0};
	st_status rc;
	/* The encoding is part of the file's description: OFAC's legacy CSV
	 * is latin-1; a mapping may say what its list uses. */
	char *zMapText = NULL;
	if (o.zMap && !strchr(o.zMap, '=')) {
		/* No '=': the mapping is a file of key=value lines. */
		size_t nMap;
		rc = st__read_file(o.zMap, NULL, 1u << 20, &zMapText, &nMap, zErr, nErr);
		if (rc)
			return rc;
		o.zMap = zMapText;
	}
	if (o.zMap) {
		rc = st__map_parse(&m, o.zMap, zErr, nErr);
		if (rc) {
			free(zMapText);
			return rc;
		}
		zEnc = st__map_get(&m, "encoding");
	}
	if (!zEnc && o.format == ST_LIST_OFAC)
		zEnc = "latin-1";
	if (!zEnc && o.format == ST_LIST_AUTO && !o.zMap) {
		/* Peek: JSON lines are UTF-8; a CSV that is not valid UTF-8 is
		 * read as latin-1 (the OFAC file is). */
		rc = st__read_file(zPath, NULL, (size_t)1 << 31, &zBuf, &nBuf, zErr, nErr);
		if (rc) {
			st__map_free(&m);
			free(zMapText);
			return rc;
		}
		if (detect(zBuf, nBuf) == ST_LIST_OFAC || !st_utf8_valid(zBuf, nBuf)) {
			free(zBuf);
			zBuf = NULL;
			zEnc = "latin-1";
		}
	}
	if (!zBuf) {
		rc = st__read_file(zPath, zEnc, (size_t)1 << 31, &zBuf, &nBuf, zErr, nErr);
		if (rc) {
			st__map_free(&m);
			free(zMapText);
			return rc;
		}
	}
	st__map_free(&m);
	rc = st_lists_load_buffer(p, zPath, zBuf, nBuf, &o, pStats, zErr, nErr);
	free(zBuf);
	free(zMapText);
	return rc;
}

/* ------------------------------------------------------------- mapping */

st_status st__map_parse(st__map *m, const char *zSpec, char *zErr, size_t nErr)
{
	memset(m, 0, sizeof *m);
	m->zText = strdup(zSpec);
	if (!m->zText)
		return ST_ENOMEM;
	/* A spec with a newline is file text: one pair per line, so values may
	 * hold commas. Otherwise pairs are comma-separated. */
	char sep = strchr(zSpec, '\n') ? '\n' : ',';
	char *z = m->zText;
	int lineNo = 0;
	while (z && *z) {
		char *zEnd = strchr(z, sep);
		if (zEnd)
			*zEnd = '\0';
		lineNo++;
		char *zPair = st_trim(z);
		z = zEnd ? zEnd + 1 : NULL;
		if (!*zPair || *zPair == '#')
			continue;
		char *zEq = strchr(zPair, '=');
		if (!zEq) {
			snprintf(zErr, nErr, "mapping %s %d: '%s' is not key=value",
			         sep == '\n' ? "line" : "item", lineNo, zPair);
			st__map_free(m);
			return ST_ECONFIG;
		}
		*zEq = '\0';
		if (m->n == ST__MAP_MAX) {
			snprintf(zErr, nErr, "mapping: more than %d keys", ST__MAP_MAX);
			st__map_free(m);
			return ST_ECONFIG;
		}
		m->azKey[m->n] = st_trim(zPair);
		m->azVal[m->n] = st_trim(zEq + 1);
		m->n++;
	}
	return ST_OK;
}

const char *st__map_get(const st__map *m, const char *zKey)
{
	for (int i = 0; i < m->n; i++)
		if (!strcmp(m->azKey[i], zKey))
			return m->azVal[i];
	return NULL;
}

void st__map_free(st__map *m)
{
	free(m->zText);
	memset(m, 0, sizeof *m);
}

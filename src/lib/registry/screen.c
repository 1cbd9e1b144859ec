/* Screening: vessel identities against list entries through hash indexes
 * (IMO, MMSI, call sign, normalised name), so the cost is a few probes per
 * identity whatever the list size. Identifiers decide, names only support:
 * a name match is reported as weak and never as "this is the ship", and it
 * is suppressed when the ship's own IMO says it is another ship (LADY RANIA
 * is not LADY R). An MMSI match counts only for the identity rows in which
 * that MMSI was used by a ship whose IMO does not contradict the list, so
 * a reassigned MMSI does not taint the ship that used it before or after.
 * Also the walk over the list's link graph (owners, "linked to"). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "shiptrace/registry.h"
#include "shiptrace/sanctions.h"
#include "shiptrace/time.h"
#include "registry/internal.h"

struct st_screen_index {
	const st_lists *p;
	st__imap byImo, byMmsi;
	st__smap byCall, byName;
	st__smap byTrunc;       /* long names cut as AIS cuts them */
	st__arena arena;        /* normalised keys */
	int nEntry;
	int *aAdjStart;         /* CSR adjacency: nEntry + 1 */
	int *aAdjTo;            /* 2 * nLink */
	int *aAdjLink;
};

const char *st_match_kind_name(st_match_kind k)
{
	switch (k) {
	case ST_MATCH_IMO: return "imo";
	case ST_MATCH_MMSI: return "mmsi";
	case ST_MATCH_CALLSIGN: return "call_sign";
	case ST_MATCH_NAME: return "name";
	}
	return "?";
}

/* Call signs compare on letters and digits only, uppercased. */
static size_t norm_call(const char *z, char *zOut, size_t nOut)
{
	size_t m = 0;
	for (; z && *z && m + 1 < nOut; z++) {
		char ch = *z;
		if (ch >= 'a' && ch <= 'z')
			ch = (char)(ch - 32);
		if ((ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9'))
			zOut[m++] = ch;
	}
	zOut[m] = '\0';
	return m;
}

static int add_key(st_screen_index *x, st__smap *m, const char *z, size_t n, int i)
{
	/* One entry can reach the same key through several aliases. */
	uint64_t h = st__hash(z, n);
	for (size_t s = st__smap_find(m, z, h, 0); s != (size_t)-1;
	     s = st__smap_find(m, z, h, s + 1))
		if (m->aVal[s] == i)
			return 0;
	char *k = st__arena_strndup(&x->arena, z, n);
	if (!k || st__smap_add(m, k, i))
		return -1;
	return 0;
}

/* AIS carries at most 20 characters of a name (ITU-R M.1371, six-bit
 * ASCII), so "AKADEMIK ALEKSANDR KARPINSKIY" is on the air as "AKADEMIK
 * ALEKSANDR K". */
#define AIS_NAME_MAX 20

/* A name under its full key and, when AIS would cut it, its cut key. */
static int add_names(st_screen_index *x, const char *zName, int i)
{
	char zKey[512], zCut[AIS_NAME_MAX + 1];
	size_t n = st_vessel_name(zName, zKey, sizeof zKey);
	if (n && add_key(x, &x->byName, zKey, n, i))
		return -1;
	if (strlen(zName) <= AIS_NAME_MAX)
		return 0;
	size_t m = AIS_NAME_MAX;
	while (m > 0 && ((unsigned char)zName[m] & 0xC0) == 0x80)
		m--; /* not inside a UTF-8 sequence */
	memcpy(zCut, zName, m);
	zCut[m] = '\0';
	n = st_vessel_name(zCut, zKey, sizeof zKey);
	if (n && add_key(x, &x->byTrunc, zKey, n, i))
		return -1;
	return 0;
}

/* Length of an AIS name without the trailing '@' and blanks. */
static size_t ais_name_len(const char *z)
{
	size_t n = strlen(z);
	while (n && (z[n - 1] == ' ' || z[n - 1] == '@'))
		n--;
	return n;
}

void st_screen_index_free(st_screen_index *x)
{
	if (!x)
		return;
	st__imap_free(&x->byImo);
	st__imap_free(&x->byMmsi);
	st__smap_free(&x->byCall);
	st__smap_free(&x->byName);
	st__smap_free(&x->byTrunc);
	st__arena_free(&x->arena);
	free(x->aAdjStart);
	free(x->aAdjTo);
	free(x->aAdjLink);
	free(x);
}

st_status st_screen_index_build(st_screen_index **ppIdx, const st_lists *p)
{
	st_screen_index *x = calloc(1, sizeof *x);
	*ppIdx = NULL;
	if (!x)
		return ST_ENOMEM;
	x->p = p;
	x->nEntry = st_lists_count(p);
	char zKey[512];
	for (int i = 0; i < x->nEntry; i++) {
		const st_list_entry *e = st_lists_entry(p, i);
		if (e->imo && st__imap_add(&x->byImo, e->imo, i))
			goto nomem;
		if (e->kind != ST_ENT_VESSEL)
			continue;
		if (e->mmsi && st__imap_add(&x->byMmsi, e->mmsi, i))
			goto nomem;
		size_t n = norm_call(e->zCallSign, zKey, sizeof zKey);
		if (n >= 3 && add_key(x, &x->byCall, zKey, n, i))
			goto nomem;
		if (add_names(x, e->zName, i))
			goto nomem;
		for (int a = 0; a < e->nAlias; a++)
			if (add_names(x, e->azAlias[a], i))
				goto nomem;
	}
	/* Undirected adjacency in compressed rows. */
	int nLink = st_lists_link_count(p);
	x->aAdjStart = calloc((size_t)x->nEntry + 1, sizeof(int));
	x->aAdjTo = malloc((size_t)(2 * nLink + 1) * sizeof(int));
	x->aAdjLink = malloc((size_t)(2 * nLink + 1) * sizeof(int));
	if (!x->aAdjStart || !x->aAdjTo || !x->aAdjLink)
		goto nomem;
	for (int k = 0; k < nLink; k++) {
		const st_list_link *l = st_lists_link(p, k);
		x->aAdjStart[l->iFrom + 1]++;
		x->aAdjStart[l->iTo + 1]++;
	}
	for (int i = 0; i < x->nEntry; i++)
		x->aAdjStart[i + 1] += x->aAdjStart[i];
	{
		int *aFill = malloc(((size_t)x->nEntry + 1) * sizeof(int));
		if (!aFill)
			goto nomem;
		memcpy(aFill, x->aAdjStart, ((size_t)x->nEntry + 1) * sizeof(int));
		for (int k = 0; k < nLink; k++) {
			const st_list_link *l = st_lists_link(p, k);
			x->aAdjTo[aFill[l->iFrom]] = l->iTo;
			x->aAdjLink[aFill[l->iFrom]++] = k;
			x->aAdjTo[aFill[l->iTo]] = l->iFrom;
			x->aAdjLink[aFill[l->iTo]++] = k;
		}
		free(aFill);
	}
	*ppIdx = x;
	return ST_OK;
nomem:
	st_screen_index_free(x);
	return ST_ENOMEM;
}

/* Growable hit array. */
typedef struct hits {
	st_screen_hit *a;
	int n, nCap;
} hits;

/* A new hit of identity v (id) on list entry i, by kind; the caller sets
 * score, decisiveness and why. */
static st_screen_hit *hit_new(hits *H, int v, const st_vessel_ident *id, int i,
                              st_match_kind kind)
{
	if (H->n == H->nCap) {
		int cap = H->nCap ? H->nCap * 2 : 64;
		st_screen_hit *a = realloc(H->a, (size_t)cap * sizeof *a);
		if (!a)
			return NULL;
		H->a = a;
		H->nCap = cap;
	}
	st_screen_hit *h = &H->a[H->n++];
	memset(h, 0, sizeof *h);
	h->iIdent = v;
	h->iEntry = i;
	h->kind = kind;
	h->tFrom = id->tFrom;
	h->tTo = id->tTo;
	return h;
}

/* "2023-08-01..2023-12-03" or "unknown times". */
static void span_text(const st_vessel_ident *v, char *z, size_t n)
{
	char a[40], b[40];
	if (v->tFrom == ST_TIME_NONE && v->tTo == ST_TIME_NONE) {
		snprintf(z, n, "at unknown times");
		return;
	}
	st_time_format(v->tFrom, a, sizeof a);
	st_time_format(v->tTo, b, sizeof b);
	snprintf(z, n, "%s..%s", a, b);
}

/* The identity's time range in words, formatted on first use. */
static const char *span_of(const st_vessel_ident *v, char *z, size_t n)
{
	if (!z[0])
		span_text(v, z, n);
	return z;
}

static int has_hit(const hits *H, int from, int iEntry, st_match_kind k)
{
	for (int i = from; i < H->n; i++)
		if (H->a[i].iEntry == iEntry && (k == 0 || H->a[i].kind == k))
			return 1;
	return 0;
}

/* Whether a reported name is the entry's name or one of its aliases. */
static int names_agree(const char *zName, const st_list_entry *e)
{
	char zA[256], zB[256];
	st_vessel_name(zName, zA, sizeof zA);
	st_vessel_name(e->zName, zB, sizeof zB);
	if (!strcmp(zA, zB))
		return 1;
	for (int i = 0; i < e->nAlias; i++) {
		st_vessel_name(e->azAlias[i], zB, sizeof zB);
		if (!strcmp(zA, zB))
			return 1;
	}
	return 0;
}

st_status st_screen(const st_screen_index *x, const st_vessel_ident *aIdent,
                    int nIdent, st_screen_hit **paHit, int *pnHit,
                    st_screen_stats *pStats)
{
	hits H = {0};
	st_screen_stats st = {0};
	char zKey[512], zSpan[96];
	*paHit = NULL;
	*pnHit = 0;
	for (int v = 0; v < nIdent; v++) {
		const st_vessel_ident *id = &aIdent[v];
		int first = H.n;
		int imoOk = st_imo_valid(id->imo);
		st.nIdent++;
		/* The time range in words is only needed for a hit: formatting
		 * it for every vessel would cost more than the matching. */
		zSpan[0] = '\0';
		/* 1. IMO: the ship's own permanent number. */
		if (imoOk) {
			for (size_t s = st__imap_find(&x->byImo, id->imo, 0); s != (size_t)-1;
			     s = st__imap_find(&x->byImo, id->imo, s + 1)) {
				int i = x->byImo.aVal[s];
				const st_list_entry *e = st_lists_entry(x->p, i);
				if (e->kind != ST_ENT_VESSEL)
					continue;
				st_screen_hit *h = hit_new(&H, v, id, i, ST_MATCH_IMO);
				if (!h)
					goto nomem;
				h->score = ST_SCORE_IMO;
				h->decisive = 1;
				int n = snprintf(h->zWhy, sizeof h->zWhy,
				                 "IMO %u reported by MMSI %09u %s is the IMO of %s %s '%s'",
				                 id->imo, id->mmsi, span_of(id, zSpan, sizeof zSpan),
				                 e->zList, e->zEntryId, e->zName);
				if (e->mmsi && e->mmsi != id->mmsi && n > 0 && (size_t)n < sizeof h->zWhy)
					n += snprintf(h->zWhy + n, sizeof h->zWhy - (size_t)n,
					              "; the list gives MMSI %09u", e->mmsi);
				/* A renamed ship keeps its IMO: say so, it matters. */
				if (id->zName && *id->zName && !names_agree(id->zName, e) &&
				    n > 0 && (size_t)n < sizeof h->zWhy)
					snprintf(h->zWhy + n, sizeof h->zWhy - (size_t)n,
					         "; the ship reports the name '%.40s'", id->zName);
			}
		}
		/* 2. MMSI, honoured only while no other IMO was reported with it. */
		for (size_t s = st__imap_find(&x->byMmsi, id->mmsi, 0);
		     id->mmsi && s != (size_t)-1; s = st__imap_find(&x->byMmsi, id->mmsi, s + 1)) {
			int i = x->byMmsi.aVal[s];
			const st_list_entry *e = st_lists_entry(x->p, i);
			if (imoOk && e->imo && e->imo != id->imo) {
				st.nMmsiConflict++;
				continue;
			}
			st_screen_hit *h = hit_new(&H, v, id, i, ST_MATCH_MMSI);
			if (!h)
				goto nomem;
			h->decisive = 1;
			if (imoOk && e->imo == id->imo) {
				h->score = ST_SCORE_MMSI_CONFIRMED;
				snprintf(h->zWhy, sizeof h->zWhy,
				         "MMSI %09u %s, with IMO %u, is the MMSI %s %s '%s' gives",
				         id->mmsi, span_of(id, zSpan, sizeof zSpan), id->imo,
				         e->zList, e->zEntryId, e->zName);
			} else if (imoOk) {
				/* The ship reports an IMO the list cannot confirm. */
				h->score = ST_SCORE_MMSI;
				snprintf(h->zWhy, sizeof h->zWhy,
				         "MMSI %09u %s is the MMSI %s %s '%s' gives; the ship "
				         "reports IMO %u, the list gives none",
				         id->mmsi, span_of(id, zSpan, sizeof zSpan),
				         e->zList, e->zEntryId, e->zName, id->imo);
			} else {
				h->score = ST_SCORE_MMSI;
				snprintf(h->zWhy, sizeof h->zWhy,
				         "MMSI %09u %s (no IMO reported) is the MMSI %s %s '%s' gives",
				         id->mmsi, span_of(id, zSpan, sizeof zSpan),
				         e->zList, e->zEntryId, e->zName);
			}
		}
		/* 3. Call sign: reassigned between ships over the years, so it
		 * supports a match but does not decide one. */
		size_t nc = norm_call(id->zCallSign, zKey, sizeof zKey);
		if (nc >= 3) {
			uint64_t hh = st__hash(zKey, nc);
			for (size_t s = st__smap_find(&x->byCall, zKey, hh, 0); s != (size_t)-1;
			     s = st__smap_find(&x->byCall, zKey, hh, s + 1)) {
				int i = x->byCall.aVal[s];
				const st_list_entry *e = st_lists_entry(x->p, i);
				if (imoOk && e->imo && e->imo != id->imo)
					continue;
				st_screen_hit *h = hit_new(&H, v, id, i, ST_MATCH_CALLSIGN);
				if (!h)
					goto nomem;
				h->score = ST_SCORE_CALLSIGN;
				snprintf(h->zWhy, sizeof h->zWhy,
				         "call sign %.32s of MMSI %09u %s is the call sign %s %s '%s' gives",
				         zKey, id->mmsi, span_of(id, zSpan, sizeof zSpan),
				         e->zList, e->zEntryId, e->zName);
			}
		}
		/* 4. Name: weak. Never reported against an entry whose IMO the
		 * ship's own IMO contradicts, nor where an identifier already
		 * matched the same entry. */
		size_t nn = id->zName ? st_vessel_name(id->zName, zKey, sizeof zKey) : 0;
		/* A name of exactly 20 characters may be a longer one cut. */
		int cut = nn && ais_name_len(id->zName) == AIS_NAME_MAX;
		for (int pass = 0; nn && pass < 1 + cut; pass++) {
			const st__smap *m = pass ? &x->byTrunc : &x->byName;
			uint64_t hh = st__hash(zKey, nn);
			for (size_t s = st__smap_find(m, zKey, hh, 0); s != (size_t)-1;
			     s = st__smap_find(m, zKey, hh, s + 1)) {
				int i = m->aVal[s];
				const st_list_entry *e = st_lists_entry(x->p, i);
				if (imoOk && e->imo && e->imo != id->imo) {
					st.nNameSuppressed++;
					continue;
				}
				if (has_hit(&H, first, i, 0))
					continue;
				st_screen_hit *h = hit_new(&H, v, id, i, ST_MATCH_NAME);
				if (!h)
					goto nomem;
				h->score = ST_SCORE_NAME;
				snprintf(h->zWhy, sizeof h->zWhy,
				         "name '%.80s' of MMSI %09u %s equals %s'%s' of %s %s after"
				         " normalisation; a name alone does not identify a ship%s",
				         zKey, id->mmsi, span_of(id, zSpan, sizeof zSpan),
				         pass ? "the first 20 characters (all AIS carries) of " : "",
				         e->zName, e->zList, e->zEntryId,
				         imoOk ? "" : " (no IMO reported to confirm it)");
			}
		}
	}
	st.nHit = (uint64_t)H.n;
	if (pStats)
		*pStats = st;
	*paHit = H.a;
	*pnHit = H.n;
	return ST_OK;
nomem:
	free(H.a);
	return ST_ENOMEM;
}

/* ---------------------------------------------------------------- links */

void st_reach_free(st_reach *a, int n)
{
	for (int i = 0; i < n; i++) {
		free(a[i].zPath);
		free(a[i].zLinks);
	}
	free(a);
}

static void node_text(const st_list_entry *e, char *z, size_t n)
{
	snprintf(z, n, "%s [%s, %s %s%s]", e->zName, st_entity_kind_name(e->kind),
	         e->zList, e->zEntryId, e->listed ? ", listed" : "");
}

st_status st_links_reach(const st_screen_index *x, int iStart, int k,
                         st_reach **paReach, int *pnReach)
{
	*paReach = NULL;
	*pnReach = 0;
	if (iStart < 0 || iStart >= x->nEntry)
		return ST_EINVAL;
	int n = x->nEntry;
	int *aDist = malloc((size_t)n * sizeof(int));
	int *aPrev = malloc((size_t)n * sizeof(int));     /* previous node */
	int *aVia = malloc((size_t)n * sizeof(int));      /* link used */
	int *aQueue = malloc((size_t)n * sizeof(int));
	st_reach *aR = NULL;
	int nR = 0, nRCap = 0;
	if (!aDist || !aPrev || !aVia || !aQueue)
		goto nomem;
	for (int i = 0; i < n; i++)
		aDist[i] = -1;
	int qh = 0, qt = 0;
	aDist[iStart] = 0;
	aPrev[iStart] = -1;
	aQueue[qt++] = iStart;
	while (qh < qt) {
		int u = aQueue[qh++];
		if (aDist[u] >= k)
			continue;
		for (int a = x->aAdjStart[u]; a < x->aAdjStart[u + 1]; a++) {
			int w = x->aAdjTo[a];
			if (aDist[w] >= 0)
				continue;
			aDist[w] = aDist[u] + 1;
			aPrev[w] = u;
			aVia[w] = x->aAdjLink[a];
			aQueue[qt++] = w;
		}
	}
	/* Queue order is BFS order: nearest first. */
	for (int q = 1; q < qt; q++) {
		int t = aQueue[q];
		const st_list_entry *et = st_lists_entry(x->p, t);
		if (!et->listed)
			continue;
		if (nR == nRCap) {
			int cap = nRCap ? nRCap * 2 : 16;
			st_reach *a = realloc(aR, (size_t)cap * sizeof *a);
			if (!a)
				goto nomem;
			aR = a;
			nRCap = cap;
		}
		/* Path from start to t: collect nodes backwards. */
		int aNode[64], nNode = 0;
		for (int u = t; u >= 0 && nNode < 64; u = aPrev[u])
			aNode[nNode++] = u;
		size_t cap = 256 * (size_t)nNode + 64;
		char *zPath = malloc(cap);
		char *zLinks = malloc(16 * (size_t)nNode + 1);
		if (!zPath || !zLinks) {
			free(zPath);
			free(zLinks);
			goto nomem;
		}
		size_t m = 0, ml = 0;
		zLinks[0] = '\0';
		for (int j = nNode - 1; j >= 0; j--) {
			char zNode[256];
			const st_list_entry *e = st_lists_entry(x->p, aNode[j]);
			node_text(e, zNode, sizeof zNode);
			if (j < nNode - 1) {
				const st_list_link *l = st_lists_link(x->p, aVia[aNode[j]]);
				m += (size_t)snprintf(zPath + m, cap - m, " -%s- ", l->zKind);
				ml += (size_t)snprintf(zLinks + ml, 16 * (size_t)nNode + 1 - ml,
				                       "%s%d", ml ? "," : "", aVia[aNode[j]]);
			}
			if (m < cap)
				m += (size_t)snprintf(zPath + m, cap - m, "%s", zNode);
			if (m >= cap)
				m = cap - 1;
		}
		aR[nR].iTarget = t;
		aR[nR].nHop = aDist[t];
		aR[nR].zPath = zPath;
		aR[nR].zLinks = zLinks;
		nR++;
	}
	free(aDist);
	free(aPrev);
	free(aVia);
	free(aQueue);
	*paReach = aR;
	*pnReach = nR;
	return ST_OK;
nomem:
	free(aDist);
	free(aPrev);
	free(aVia);
	free(aQueue);
	st_reach_free(aR, nR);
	return ST_ENOMEM;
}

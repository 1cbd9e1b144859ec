/* Risk indicators and the transparent ranking. Each vessel (MMSI) collects,
 * per indicator, the ids of the rows that show it and a sentence saying
 * what they show; a vessel's rank then follows one rule anybody can redo
 * by hand: strongest tier first (a listed identifier beats a tie to a
 * listed party or a call at a port of concern, which beat circumstantial
 * signs), then more distinct indicators, then more evidence behind the
 * strongest tier (so a big owner's fleet does not outrank a second port
 * call), then MMSI. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "shiptrace/names.h"
#include "shiptrace/registry.h"
#include "shiptrace/risk.h"
#include "shiptrace/time.h"
#include "registry/csvrec.h"
#include "registry/internal.h"

#define MAX_EVIDENCE_LISTED 100

static const struct {
	const char *zName;
	int tier;
	const char *zTable;
} aInd[ST_RISK_N] = {
	{"listed", 1, "screening"},
	{"linked_to_listed", 2, "links"},
	{"encounter_with_listed", 2, "encounters"},
	{"port_of_concern_call", 2, "port_calls"},
	{"dark_gap_possible_port_call", 3, "gaps"},
	{"identity_change", 3, NULL}, /* the identity table, from the input */
	{"flag_of_concern", 3, "mmsi"}, /* the MMSI itself is the evidence */
	{"name_match_only", 3, "screening"},
};

const char *st_risk_name(st_risk_indicator k)
{
	return (unsigned)k < ST_RISK_N ? aInd[k].zName : "?";
}

int st_risk_tier(st_risk_indicator k)
{
	return (unsigned)k < ST_RISK_N ? aInd[k].tier : 9;
}

const char *st_risk_rule(void)
{
	return "vessels ordered by: strongest tier reached (1: listed by identifier; "
	       "2: linked to a listed entity, encounter with a listed vessel, call at a "
	       "port of concern; 3: dark gap that could hide such a call, identity "
	       "change, flag of concern, name-only match), then number of distinct "
	       "indicators (more first), then number of evidence rows behind the "
	       "strongest tier (more first), then MMSI";
}

typedef struct acc {
	int64_t *aId;
	int nId, nCap;
	char zDetail[320];
	size_t nDetail;
} acc;

typedef struct vessel {
	uint32_t mmsi;
	uint32_t imo;
	st_time_ms tImo, tName;
	char zName[64];
	acc a[ST_RISK_N];
} vessel;

typedef struct ctx {
	vessel *aV;
	int nV, nCap;
	st__imap byMmsi;
	int oom;
} ctx;

static vessel *get_vessel(ctx *c, uint32_t mmsi)
{
	size_t s = st__imap_find(&c->byMmsi, mmsi, 0);
	if (s != (size_t)-1)
		return &c->aV[c->byMmsi.aVal[s]];
	if (c->nV == c->nCap) {
		int cap = c->nCap ? c->nCap * 2 : 256;
		vessel *a = realloc(c->aV, (size_t)cap * sizeof *a);
		if (!a) {
			c->oom = 1;
			return NULL;
		}
		c->aV = a;
		c->nCap = cap;
	}
	vessel *v = &c->aV[c->nV];
	memset(v, 0, sizeof *v);
	v->mmsi = mmsi;
	v->tImo = v->tName = ST_TIME_NONE;
	if (st__imap_add(&c->byMmsi, mmsi, c->nV)) {
		c->oom = 1;
		return NULL;
	}
	c->nV++;
	return v;
}

/* Adds evidence id (0 = none) and, while there is room, a detail phrase. */
static void add(ctx *c, uint32_t mmsi, st_risk_indicator k, int64_t id,
                const char *zDetail)
{
	vessel *v = get_vessel(c, mmsi);
	if (!v)
		return;
	acc *a = &v->a[k];
	/* Repeats are common back to back (identity rows); the rest are
	 * removed once at the end (acc_finish), so adding stays O(1). */
	int dup = a->nId > 0 && a->aId[a->nId - 1] == id;
	if (!dup && a->nId == a->nCap) {
		int cap = a->nCap ? a->nCap * 2 : 4;
		int64_t *p = realloc(a->aId, (size_t)cap * sizeof *p);
		if (!p) {
			c->oom = 1;
			return;
		}
		a->aId = p;
		a->nCap = cap;
	}
	if (!dup)
		a->aId[a->nId++] = id;
	if (zDetail && *zDetail) {
		size_t room = sizeof a->zDetail - a->nDetail;
		if (a->nDetail == 0)
			a->nDetail = (size_t)snprintf(a->zDetail, sizeof a->zDetail, "%s", zDetail);
		else if (room > 8 && !strstr(a->zDetail, zDetail))
			a->nDetail += (size_t)snprintf(a->zDetail + a->nDetail, room, "; %s", zDetail);
		if (a->nDetail >= sizeof a->zDetail)
			a->nDetail = sizeof a->zDetail - 1;
	}
}

/* Whether a comma-separated list holds the token (case-insensitive after
 * name normalisation, so "Najin", "NAJIN" and "najin " agree). */
static int list_has(const char *zList, const char *zTok)
{
	char zWant[128], zItem[128], zNorm[128];
	if (!zList || !zTok || !*zTok)
		return 0;
	st_name_normalize(zTok, zWant, sizeof zWant);
	if (!*zWant)
		return 0;
	const char *p = zList;
	while (*p) {
		const char *q = strchr(p, ',');
		size_t n = q ? (size_t)(q - p) : strlen(p);
		if (n < sizeof zItem) {
			memcpy(zItem, p, n);
			zItem[n] = '\0';
			st_name_normalize(zItem, zNorm, sizeof zNorm);
			if (!strcmp(zNorm, zWant))
				return 1;
		}
		p += n;
		if (*p == ',')
			p++;
	}
	return 0;
}

static int port_of_concern(const char *zList, const st_risk_event *e)
{
	if (e->concern || list_has(zList, e->zPort) || list_has(zList, e->zCountry))
		return 1;
	if (e->zLocode && *e->zLocode) {
		/* "KPRJN" and "KP RJN" both name Rajin. */
		char z[16];
		size_t m = 0;
		for (const char *p = e->zLocode; *p && m + 1 < sizeof z; p++)
			if (*p != ' ')
				z[m++] = *p;
		z[m] = '\0';
		if (list_has(zList, z))
			return 1;
		/* the list may write it with the space */
		if (m == 5) {
			char z2[8] = {z[0], z[1], ' ', z[2], z[3], z[4], 0};
			if (list_has(zList, z2))
				return 1;
		}
	}
	return 0;
}

static void span(st_time_ms t0, st_time_ms t1, char *z, size_t n)
{
	char a[40], b[40];
	st_time_format(t0, a, sizeof a);
	st_time_format(t1, b, sizeof b);
	snprintf(z, n, "%s..%s", a, b);
}

/* Identity changes: per MMSI several names or several IMOs; per IMO
 * several MMSIs or several flags. */
static void identity_changes(ctx *c, const st_risk_input *in)
{
	const st_vessel_ident *a = in->aIdent;
	int n = in->nIdent;
	st__imap byImo = {0};
	st__imap byMmsi = {0};
	for (int i = 0; i < n; i++) {
		if (st_imo_valid(a[i].imo) && st__imap_add(&byImo, a[i].imo, i))
			c->oom = 1;
		if (st__imap_add(&byMmsi, a[i].mmsi, i))
			c->oom = 1;
	}
	char zA[80], zB[80], zD[320];
	for (int i = 0; i < n && !c->oom; i++) {
		/* per MMSI: compare with every other identity of the same MMSI */
		for (size_t s = st__imap_find(&byMmsi, a[i].mmsi, 0); s != (size_t)-1;
		     s = st__imap_find(&byMmsi, a[i].mmsi, s + 1)) {
			int j = byMmsi.aVal[s];
			if (j <= i)
				continue;
			if (a[i].zName && a[j].zName && *a[i].zName && *a[j].zName) {
				st_vessel_name(a[i].zName, zA, sizeof zA);
				st_vessel_name(a[j].zName, zB, sizeof zB);
				if (*zA && *zB && strcmp(zA, zB)) {
					snprintf(zD, sizeof zD, "MMSI %09u reported names %s and %s",
					         a[i].mmsi, zA, zB);
					add(c, a[i].mmsi, ST_RISK_IDENTITY_CHANGE, a[i].id, zD);
					add(c, a[i].mmsi, ST_RISK_IDENTITY_CHANGE, a[j].id, NULL);
				}
			}
			if (st_imo_valid(a[i].imo) && st_imo_valid(a[j].imo) &&
			    a[i].imo != a[j].imo) {
				snprintf(zD, sizeof zD, "MMSI %09u reported IMO %u and IMO %u",
				         a[i].mmsi, a[i].imo, a[j].imo);
				add(c, a[i].mmsi, ST_RISK_IDENTITY_CHANGE, a[i].id, zD);
				add(c, a[i].mmsi, ST_RISK_IDENTITY_CHANGE, a[j].id, NULL);
			}
		}
		if (!st_imo_valid(a[i].imo))
			continue;
		for (size_t s = st__imap_find(&byImo, a[i].imo, 0); s != (size_t)-1;
		     s = st__imap_find(&byImo, a[i].imo, s + 1)) {
			int j = byImo.aVal[s];
			if (j <= i || a[j].mmsi == a[i].mmsi)
				continue;
			snprintf(zD, sizeof zD, "IMO %u reported by MMSI %09u and MMSI %09u",
			         a[i].imo, a[i].mmsi, a[j].mmsi);
			add(c, a[i].mmsi, ST_RISK_IDENTITY_CHANGE, a[i].id, zD);
			add(c, a[i].mmsi, ST_RISK_IDENTITY_CHANGE, a[j].id, NULL);
			add(c, a[j].mmsi, ST_RISK_IDENTITY_CHANGE, a[j].id, zD);
			add(c, a[j].mmsi, ST_RISK_IDENTITY_CHANGE, a[i].id, NULL);
			const char *zF1 = in->xFlag ? in->xFlag(in->pFlagCtx, a[i].mmsi) : NULL;
			const char *zF2 = in->xFlag ? in->xFlag(in->pFlagCtx, a[j].mmsi) : NULL;
			if (zF1 && zF2 && strcmp(zF1, zF2)) {
				snprintf(zD, sizeof zD, "IMO %u changed flag %s to %s (by MMSI)",
				         a[i].imo, zF1, zF2);
				add(c, a[i].mmsi, ST_RISK_IDENTITY_CHANGE, a[i].id, zD);
				add(c, a[j].mmsi, ST_RISK_IDENTITY_CHANGE, a[j].id, zD);
			}
		}
	}
	st__imap_free(&byImo);
	st__imap_free(&byMmsi);
}

static int cmp_id(const void *pa, const void *pb)
{
	int64_t a = *(const int64_t *)pa, b = *(const int64_t *)pb;
	return a < b ? -1 : a > b;
}

/* Evidence ids sorted and unique. */
static void acc_finish(acc *a)
{
	if (a->nId < 2)
		return;
	qsort(a->aId, (size_t)a->nId, sizeof *a->aId, cmp_id);
	int n = 1;
	for (int i = 1; i < a->nId; i++)
		if (a->aId[i] != a->aId[n - 1])
			a->aId[n++] = a->aId[i];
	a->nId = n;
}

static int cmp_summary(const void *pa, const void *pb)
{
	const st_risk_summary *a = pa, *b = pb;
	if (a->tier != b->tier)
		return a->tier < b->tier ? -1 : 1;
	if (a->nIndicator != b->nIndicator)
		return a->nIndicator > b->nIndicator ? -1 : 1;
	if (a->nEvidenceTop != b->nEvidenceTop)
		return a->nEvidenceTop > b->nEvidenceTop ? -1 : 1;
	return a->mmsi < b->mmsi ? -1 : a->mmsi > b->mmsi;
}

static char *evidence_text(const char *zTable, const acc *a)
{
	size_t cap = strlen(zTable) + 2 + (size_t)(a->nId < MAX_EVIDENCE_LISTED ? a->nId : MAX_EVIDENCE_LISTED) * 21 + 32;
	char *z = malloc(cap);
	if (!z)
		return NULL;
	size_t m = (size_t)snprintf(z, cap, "%s:", zTable);
	int nListed = 0;
	for (int i = 0; i < a->nId && nListed < MAX_EVIDENCE_LISTED; i++) {
		if (a->aId[i] == 0)
			continue;
		m += (size_t)snprintf(z + m, cap - m, "%s%lld", nListed ? "," : "",
		                      (long long)a->aId[i]);
		nListed++;
	}
	if (a->nId > MAX_EVIDENCE_LISTED)
		snprintf(z + m, cap - m, ",+%d more", a->nId - MAX_EVIDENCE_LISTED);
	return z;
}

st_status st_risk_assess(const st_risk_input *in, st_risk_row **paRow, int *pnRow,
                         st_risk_summary **paSum, int *pnSum)
{
	ctx c = {0};
	char zD[400], zSpan[96];
	*paRow = NULL;
	*pnRow = 0;
	*paSum = NULL;
	*pnSum = 0;
	/* Vessel names and IMOs: the latest reported. */
	for (int i = 0; i < in->nIdent; i++) {
		const st_vessel_ident *id = &in->aIdent[i];
		vessel *v = get_vessel(&c, id->mmsi);
		if (!v)
			break;
		if (st_imo_valid(id->imo) && (v->tImo == ST_TIME_NONE || id->tTo >= v->tImo)) {
			v->imo = id->imo;
			v->tImo = id->tTo;
		}
		if (id->zName && *id->zName && (v->tName == ST_TIME_NONE || id->tTo >= v->tName)) {
			snprintf(v->zName, sizeof v->zName, "%s", id->zName);
			v->tName = id->tTo;
		}
	}
	/* Screening: decisive hits on listed entries, or weak names. */
	st__imap listedMmsi = {0};
	for (int h = 0; h < in->nHit && !c.oom; h++) {
		const st_screen_hit *hit = &in->aHit[h];
		const st_list_entry *e = st_lists_entry(in->pLists, hit->iEntry);
		const st_vessel_ident *id = &in->aIdent[hit->iIdent];
		if (!e || !e->listed)
			continue;
		span(hit->tFrom, hit->tTo, zSpan, sizeof zSpan);
		if (hit->decisive) {
			snprintf(zD, sizeof zD, "%s %s '%s' by %s (%s)", e->zList, e->zEntryId,
			         e->zName, st_match_kind_name(hit->kind), zSpan);
			add(&c, id->mmsi, ST_RISK_LISTED, in->aHitId ? in->aHitId[h] : h + 1, zD);
			if (st__imap_add(&listedMmsi, id->mmsi, h))
				c.oom = 1;
		} else if (hit->kind == ST_MATCH_NAME) {
			snprintf(zD, sizeof zD, "name as %s %s '%s' (weak)", e->zList,
			         e->zEntryId, e->zName);
			add(&c, id->mmsi, ST_RISK_NAME_MATCH, in->aHitId ? in->aHitId[h] : h + 1, zD);
		}
	}
	for (int i = 0; i < in->nLink && !c.oom; i++) {
		const st_risk_link *l = &in->aLink[i];
		snprintf(zD, sizeof zD, "%s (%d link%s)", l->zTarget ? l->zTarget : "?",
		         l->nHop, l->nHop == 1 ? "" : "s");
		add(&c, l->mmsi, ST_RISK_LINKED, l->id, zD);
	}
	for (int i = 0; i < in->nCall && !c.oom; i++) {
		const st_risk_event *e = &in->aCall[i];
		if (!port_of_concern(in->zPortsOfConcern, e))
			continue;
		span(e->t0, e->t1, zSpan, sizeof zSpan);
		snprintf(zD, sizeof zD, "%s%s%s%s", e->zPort ? e->zPort : "?",
		         e->zCountry ? " (" : "", e->zCountry ? e->zCountry : "",
		         e->zCountry ? ")" : "");
		add(&c, e->mmsi, ST_RISK_PORT_OF_CONCERN, e->id, zD);
	}
	for (int i = 0; i < in->nGap && !c.oom; i++) {
		const st_risk_event *e = &in->aGap[i];
		if (!e->zPort || !*e->zPort)
			continue;
		span(e->t0, e->t1, zSpan, sizeof zSpan);
		snprintf(zD, sizeof zD, "dark %s, could have called at %s", zSpan, e->zPort);
		add(&c, e->mmsi, ST_RISK_DARK_GAP, e->id, zD);
	}
	for (int i = 0; i < in->nEnc && !c.oom; i++) {
		const st_risk_event *e = &in->aEnc[i];
		for (int side = 0; side < 2; side++) {
			uint32_t me = side ? e->mmsi2 : e->mmsi;
			uint32_t other = side ? e->mmsi : e->mmsi2;
			size_t s = st__imap_find(&listedMmsi, other, 0);
			if (s == (size_t)-1)
				continue;
			const st_screen_hit *hit = &in->aHit[listedMmsi.aVal[s]];
			const st_list_entry *le = st_lists_entry(in->pLists, hit->iEntry);
			span(e->t0, e->t1, zSpan, sizeof zSpan);
			snprintf(zD, sizeof zD, "met MMSI %09u (%s '%s') %s", other, le->zList,
			         le->zName, zSpan);
			add(&c, me, ST_RISK_ENCOUNTER_LISTED, e->id, zD);
		}
	}
	identity_changes(&c, in);
	if (in->zFlagsOfConcern && *in->zFlagsOfConcern && in->xFlag) {
		for (int i = 0; i < c.nV && !c.oom; i++) {
			const char *zF = in->xFlag(in->pFlagCtx, c.aV[i].mmsi);
			if (zF && list_has(in->zFlagsOfConcern, zF)) {
				snprintf(zD, sizeof zD, "MMSI %09u carries the MID of %s",
				         c.aV[i].mmsi, zF);
				add(&c, c.aV[i].mmsi, ST_RISK_FLAG_OF_CONCERN, c.aV[i].mmsi, zD);
			}
		}
	}
	st__imap_free(&listedMmsi);
	if (c.oom)
		goto nomem;

	/* Rows and summaries. */
	for (int i = 0; i < c.nV; i++)
		for (int k = 0; k < ST_RISK_N; k++)
			acc_finish(&c.aV[i].a[k]);
	int nRow = 0, nSum = 0;
	for (int i = 0; i < c.nV; i++) {
		int any = 0;
		for (int k = 0; k < ST_RISK_N; k++)
			if (c.aV[i].a[k].nId) {
				nRow++;
				any = 1;
			}
		nSum += any;
	}
	st_risk_row *aRow = calloc((size_t)nRow + 1, sizeof *aRow);
	st_risk_summary *aSum = calloc((size_t)nSum + 1, sizeof *aSum);
	if (!aRow || !aSum) {
		free(aRow);
		free(aSum);
		goto nomem;
	}
	int r = 0, sIdx = 0;
	for (int i = 0; i < c.nV; i++) {
		vessel *v = &c.aV[i];
		st_risk_summary *S = &aSum[sIdx];
		int best = 9;
		for (int k = 0; k < ST_RISK_N; k++)
			if (v->a[k].nId && aInd[k].tier < best)
				best = aInd[k].tier;
		if (best == 9)
			continue;
		S->mmsi = v->mmsi;
		S->imo = v->imo;
		snprintf(S->zName, sizeof S->zName, "%s", v->zName);
		S->tier = best;
		size_t mi = 0, md = 0;
		/* strongest first: walk tiers 1..3 */
		for (int t = 1; t <= 3; t++)
			for (int k = 0; k < ST_RISK_N; k++) {
				acc *a = &v->a[k];
				if (!a->nId || aInd[k].tier != t)
					continue;
				st_risk_row *R = &aRow[r++];
				R->mmsi = v->mmsi;
				R->imo = v->imo;
				R->ind = (st_risk_indicator)k;
				R->tier = t;
				R->nEvidence = a->nId;
				const char *zTab = aInd[k].zTable ? aInd[k].zTable
				                 : (in->zIdentTable ? in->zIdentTable : "vessel_identities");
				R->zEvidence = evidence_text(zTab, a);
				R->zDetail = strdup(a->zDetail);
				if (!R->zEvidence || !R->zDetail) {
					st_risk_free(aRow, r, aSum);
					goto nomem;
				}
				S->nIndicator++;
				S->nEvidence += a->nId;
				if (mi < sizeof S->zIndicators)
					mi += (size_t)snprintf(S->zIndicators + mi, sizeof S->zIndicators - mi,
					                       "%s%s", mi ? "," : "", aInd[k].zName);
				if (t == best)
					S->nEvidenceTop += a->nId;
				if (t == best && md < sizeof S->zDrivers)
					md += (size_t)snprintf(S->zDrivers + md, sizeof S->zDrivers - md,
					                       "%s%s x%d: %.120s", md ? "; " : "",
					                       aInd[k].zName, a->nId, a->zDetail);
			}
		sIdx++;
	}
	qsort(aSum, (size_t)nSum, sizeof *aSum, cmp_summary);
	for (int i = 0; i < nSum; i++)
		aSum[i].rank = i + 1;
	for (int i = 0; i < c.nV; i++)
		for (int k = 0; k < ST_RISK_N; k++)
			free(c.aV[i].a[k].aId);
	free(c.aV);
	st__imap_free(&c.byMmsi);
	*paRow = aRow;
	*pnRow = nRow;
	*paSum = aSum;
	*pnSum = nSum;
	return ST_OK;
nomem:
	for (int i = 0; i < c.nV; i++)
		for (int k = 0; k < ST_RISK_N; k++)
			free(c.aV[i].a[k].aId);
	free(c.aV);
	st__imap_free(&c.byMmsi);
	return ST_ENOMEM;
}

void st_risk_free(st_risk_row *aRow, int nRow, st_risk_summary *aSum)
{
	for (int i = 0; i < nRow; i++) {
		free(aRow[i].zEvidence);
		free(aRow[i].zDetail);
	}
	free(aRow);
	free(aSum);
}

/* `shiptrace screen CASE [--set key=value ...]`: screens every vessel of a
 * case against the lists loaded into it, walks the lists' link graph from
 * each match, and derives the risk indicators; writes `screening`, `links`,
 * `vessel_risk` and `vessel_risk_summary` and records the run, all in one
 * transaction. Vessel identities come from `vessel_reports` (each distinct
 * MMSI, IMO, name and call sign with the time range it was reported); the
 * behaviour tables of `shiptrace analyze` (port_calls, gaps, encounters) are
 * used when present and named as missing otherwise. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cli.h"
#include "shiptrace/analysis.h"
#include "shiptrace/registry.h"
#include "shiptrace/risk.h"
#include "shiptrace/sanctions.h"
#include "shiptrace/store.h"
#include "shiptrace/time.h"

#define MAX_DEPTH 16

typedef struct settings {
	int depth;
	char zPorts[512];
	char zFlags[256];
	char zMid[1024];
} settings;

static void usage(FILE *f)
{
	fprintf(f,
	        "usage: shiptrace screen CASE [--set key=value ...]\n"
	        "\n"
	        "Screens the case's vessels against its lists (shiptrace ingest CASE\n"
	        "--kind list FILE) and writes screening, links, vessel_risk and\n"
	        "vessel_risk_summary.\n"
	        "\n"
	        "settings (--set):\n"
	        "  link_depth=2          links walked from a matched entry (1..%d)\n"
	        "  ports_of_concern=KP   port names, UN/LOCODEs or ISO2 countries\n"
	        "  flags_of_concern=     ISO2 flags (from the MMSI's MID) to mark\n"
	        "  mid_table=PATH        the MID table (default data/mid.csv)\n",
	        MAX_DEPTH);
}

static int set_one(settings *st, const char *zKV)
{
	const char *zEq = strchr(zKV, '=');
	if (!zEq) {
		fprintf(stderr, "shiptrace screen: --set wants key=value, not '%s'\n", zKV);
		return 2;
	}
	size_t nKey = (size_t)(zEq - zKV);
	const char *zVal = zEq + 1;
	if (nKey == 10 && !strncmp(zKV, "link_depth", nKey)) {
		char *zEnd;
		long v = strtol(zVal, &zEnd, 10);
		if (*zEnd || v < 1 || v > MAX_DEPTH) {
			fprintf(stderr, "shiptrace screen: link_depth must be 1..%d\n", MAX_DEPTH);
			return 2;
		}
		st->depth = (int)v;
	} else if (nKey == 16 && !strncmp(zKV, "ports_of_concern", nKey)) {
		snprintf(st->zPorts, sizeof st->zPorts, "%s", zVal);
	} else if (nKey == 16 && !strncmp(zKV, "flags_of_concern", nKey)) {
		snprintf(st->zFlags, sizeof st->zFlags, "%s", zVal);
	} else if (nKey == 9 && !strncmp(zKV, "mid_table", nKey)) {
		snprintf(st->zMid, sizeof st->zMid, "%s", zVal);
	} else {
		fprintf(stderr, "shiptrace screen: unknown setting '%.*s' "
		        "(link_depth, ports_of_concern, flags_of_concern, mid_table)\n",
		        (int)nKey, zKV);
		return 2;
	}
	return 0;
}

/* ---- reading the case ---------------------------------------------------- */

/* Strings of the rows read, kept until the run ends. */
typedef struct strpool {
	char **az;
	size_t n, nCap;
	int oom;
} strpool;

static const char *keep(strpool *P, const char *z)
{
	if (!z)
		return NULL;
	if (P->n == P->nCap) {
		size_t cap = P->nCap ? P->nCap * 2 : 1024;
		char **a = realloc(P->az, cap * sizeof *a);
		if (!a) {
			P->oom = 1;
			return NULL;
		}
		P->az = a;
		P->nCap = cap;
	}
	char *c = strdup(z);
	if (!c) {
		P->oom = 1;
		return NULL;
	}
	P->az[P->n++] = c;
	return c;
}

typedef struct idents {
	st_vessel_ident *a;
	int n, nCap;
	strpool *P;
	int oom;
} idents;

static int ident_row(void *ctx, int nCol, const char *const *azVal,
                     const char *const *azCol)
{
	idents *I = ctx;
	(void)azCol;
	if (nCol < 7 || !azVal[0])
		return 0;
	if (I->n == I->nCap) {
		int cap = I->nCap ? I->nCap * 2 : 1024;
		st_vessel_ident *a = realloc(I->a, (size_t)cap * sizeof *a);
		if (!a) {
			I->oom = 1;
			return 1;
		}
		I->a = a;
		I->nCap = cap;
	}
	st_vessel_ident *v = &I->a[I->n++];
	memset(v, 0, sizeof *v);
	v->mmsi = (uint32_t)strtoul(azVal[0], NULL, 10);
	v->imo = azVal[1] ? (uint32_t)strtoul(azVal[1], NULL, 10) : 0;
	v->zName = keep(I->P, azVal[2] ? azVal[2] : "");
	v->zCallSign = keep(I->P, azVal[3] ? azVal[3] : "");
	v->tFrom = azVal[4] ? st_time_parse(azVal[4]) : ST_TIME_NONE;
	v->tTo = azVal[5] ? st_time_parse(azVal[5]) : ST_TIME_NONE;
	v->id = azVal[6] ? strtoll(azVal[6], NULL, 10) : 0;
	return I->P->oom;
}

/* Behaviour rows by column name, so the reader follows the analysis
 * module's schema rather than a column order. */
typedef struct events {
	st_risk_event *a;
	int n, nCap;
	strpool *P;
	int oom;
	int iId, iMmsi, iMmsi2, iT0, iT1, iPort, iCountry, iLocode, iConcern;
	int mapped;
} events;

static int col_of(int nCol, const char *const *azCol, const char *const *azName)
{
	for (const char *const *p = azName; *p; p++)
		for (int i = 0; i < nCol; i++)
			if (azCol[i] && !strcmp(azCol[i], *p))
				return i;
	return -1;
}

static int event_row(void *ctx, int nCol, const char *const *azVal,
                     const char *const *azCol)
{
	static const char *const azId[] = {"id", NULL};
	static const char *const azMmsi[] = {"mmsi", "mmsi1", "mmsi_a", NULL};
	static const char *const azMmsi2[] = {"mmsi2", "mmsi_b", "other_mmsi", NULL};
	static const char *const azT0[] = {"arrival", "start", "start_time", "t_start",
	                                   "t0", "time_start", NULL};
	static const char *const azT1[] = {"departure", "end", "end_time", "t_end",
	                                   "t1", "time_end", NULL};
	static const char *const azPort[] = {"possible_ports", "port_name", "port", NULL};
	static const char *const azCountry[] = {"country", "port_country", NULL};
	static const char *const azLocode[] = {"locode", "unlocode", "port_locode", NULL};
	static const char *const azConcern[] = {"port_of_concern", NULL};
	events *E = ctx;
	if (!E->mapped) {
		E->iId = col_of(nCol, azCol, azId);
		E->iMmsi = col_of(nCol, azCol, azMmsi);
		E->iMmsi2 = col_of(nCol, azCol, azMmsi2);
		E->iT0 = col_of(nCol, azCol, azT0);
		E->iT1 = col_of(nCol, azCol, azT1);
		E->iPort = col_of(nCol, azCol, azPort);
		E->iCountry = col_of(nCol, azCol, azCountry);
		E->iLocode = col_of(nCol, azCol, azLocode);
		E->iConcern = col_of(nCol, azCol, azConcern);
		E->mapped = 1;
	}
	if (E->iMmsi < 0 || !azVal[E->iMmsi])
		return 0;
	if (E->n == E->nCap) {
		int cap = E->nCap ? E->nCap * 2 : 256;
		st_risk_event *a = realloc(E->a, (size_t)cap * sizeof *a);
		if (!a) {
			E->oom = 1;
			return 1;
		}
		E->a = a;
		E->nCap = cap;
	}
	st_risk_event *e = &E->a[E->n++];
	memset(e, 0, sizeof *e);
	const char *zMmsi2 = E->iMmsi2 >= 0 ? azVal[E->iMmsi2] : NULL;
	const char *zId = E->iId >= 0 ? azVal[E->iId] : NULL;
	const char *zT0 = E->iT0 >= 0 ? azVal[E->iT0] : NULL;
	const char *zT1 = E->iT1 >= 0 ? azVal[E->iT1] : NULL;
	e->mmsi = (uint32_t)strtoul(azVal[E->iMmsi], NULL, 10);
	e->mmsi2 = zMmsi2 ? (uint32_t)strtoul(zMmsi2, NULL, 10) : 0;
	e->id = zId ? strtoll(zId, NULL, 10) : 0;
	e->t0 = zT0 ? st_time_parse(zT0) : ST_TIME_NONE;
	e->t1 = zT1 ? st_time_parse(zT1) : ST_TIME_NONE;
	e->zPort = keep(E->P, E->iPort >= 0 ? azVal[E->iPort] : NULL);
	e->zCountry = keep(E->P, E->iCountry >= 0 ? azVal[E->iCountry] : NULL);
	e->zLocode = keep(E->P, E->iLocode >= 0 ? azVal[E->iLocode] : NULL);
	e->concern = E->iConcern >= 0 && azVal[E->iConcern] && atoi(azVal[E->iConcern]) == 1;
	return E->P->oom;
}

static int table_exists(st_store *pCase, const char *zTable)
{
	char zSql[128];
	int64_t n;
	snprintf(zSql, sizeof zSql, "SELECT count(*) FROM %s WHERE 1 = 0", zTable);
	return st_store_query_int(pCase, zSql, &n) == ST_OK;
}

static int read_events(st_store *pCase, const char *zTable, events *E)
{
	char zSql[128], zErr[512] = "";
	if (!table_exists(pCase, zTable)) {
		fprintf(stderr, "screen: no %s table in the case (run `shiptrace analyze`); "
		        "its indicators are not computed\n", zTable);
		return 0;
	}
	snprintf(zSql, sizeof zSql, "SELECT * FROM %s ORDER BY id", zTable);
	if (st_store_query(pCase, zSql, event_row, E, zErr, sizeof zErr) != ST_OK ||
	    E->oom) {
		fprintf(stderr, "shiptrace screen: reading %s: %s\n", zTable,
		        E->oom ? "out of memory" : zErr);
		return 1;
	}
	if (E->n && E->mapped && (E->iT0 < 0 || E->iId < 0))
		fprintf(stderr, "screen: %s has no recognised id or start column\n", zTable);
	return 0;
}

/* ---- output tables ------------------------------------------------------- */

static const st_column aScreenCol[] = {
	{"mmsi", ST_COL_INT}, {"imo", ST_COL_INT}, {"list", ST_COL_TEXT},
	{"entry_id", ST_COL_TEXT}, {"entry_name", ST_COL_TEXT},
	{"entry_imo", ST_COL_INT}, {"entry_listed", ST_COL_INT},
	{"match_kind", ST_COL_TEXT}, {"score", ST_COL_REAL},
	{"decisive", ST_COL_INT}, {"valid_from", ST_COL_TIME},
	{"valid_to", ST_COL_TIME}, {"evidence", ST_COL_TEXT}, {"why", ST_COL_TEXT},
};
static const st_table_def tabScreening = {
	"screening", "vessels matching list entries: identifier, score, when, why",
	aScreenCol, (int)(sizeof aScreenCol / sizeof aScreenCol[0]), ST_GEOM_NONE};

static const st_column aLinksCol[] = {
	{"mmsi", ST_COL_INT}, {"imo", ST_COL_INT}, {"list", ST_COL_TEXT},
	{"entry_id", ST_COL_TEXT}, {"entry_name", ST_COL_TEXT},
	{"target_entry_id", ST_COL_TEXT}, {"target_name", ST_COL_TEXT},
	{"target_kind", ST_COL_TEXT}, {"hops", ST_COL_INT}, {"path", ST_COL_TEXT},
	{"entity_links", ST_COL_TEXT}, {"screening_id", ST_COL_INT},
};
static const st_table_def tabLinks = {
	"links", "listed entities reachable from each matched vessel, with the path",
	aLinksCol, (int)(sizeof aLinksCol / sizeof aLinksCol[0]), ST_GEOM_NONE};

static const st_column aRiskCol[] = {
	{"mmsi", ST_COL_INT}, {"imo", ST_COL_INT}, {"indicator", ST_COL_TEXT},
	{"tier", ST_COL_INT}, {"n_evidence", ST_COL_INT},
	{"evidence", ST_COL_TEXT}, {"detail", ST_COL_TEXT},
};
static const st_table_def tabRisk = {
	"vessel_risk", "one row per vessel and risk indicator, with evidence ids",
	aRiskCol, (int)(sizeof aRiskCol / sizeof aRiskCol[0]), ST_GEOM_NONE};

static const st_column aSumCol[] = {
	{"rank", ST_COL_INT}, {"mmsi", ST_COL_INT}, {"imo", ST_COL_INT},
	{"name", ST_COL_TEXT}, {"tier", ST_COL_INT}, {"n_indicators", ST_COL_INT},
	{"n_evidence", ST_COL_INT}, {"indicators", ST_COL_TEXT},
	{"drivers", ST_COL_TEXT},
};
static const st_table_def tabSummary = {
	"vessel_risk_summary", "vessels ranked by a stated rule over their indicators",
	aSumCol, (int)(sizeof aSumCol / sizeof aSumCol[0]), ST_GEOM_NONE};

static const char *flag_of(void *ctx, uint32_t mmsi)
{
	return st_mmsi_flag(ctx, mmsi);
}

static st_time_ms now_ms(void)
{
	struct timespec ts;
	timespec_get(&ts, TIME_UTC);
	return (st_time_ms)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* JSON string body of z (quotes and backslashes escaped). */
static void json_str(const char *z, char *zOut, size_t n)
{
	size_t m = 0;
	for (; *z && m + 3 < n; z++) {
		if (*z == '"' || *z == '\\')
			zOut[m++] = '\\';
		if ((unsigned char)*z >= 0x20)
			zOut[m++] = *z;
	}
	zOut[m] = '\0';
}

int st_cmd_screen(int argc, char **argv)
{
	settings st = {.depth = 2, .zPorts = "KP", .zFlags = ""};
	st_registry_data_file("mid.csv", st.zMid, sizeof st.zMid);
	const char *zCase = NULL;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(argv[i], "--set") && i + 1 < argc) {
			if (set_one(&st, argv[++i]))
				return 2;
		} else if (!strncmp(argv[i], "--set=", 6)) {
			if (set_one(&st, argv[i] + 6))
				return 2;
		} else if (argv[i][0] != '-' && !zCase) {
			zCase = argv[i];
		} else {
			fprintf(stderr, "shiptrace screen: unexpected argument '%s'\n", argv[i]);
			usage(stderr);
			return 2;
		}
	}
	if (!zCase) {
		usage(stderr);
		return 2;
	}
	st_time_ms tStart = now_ms();
	char zErr[1024] = "";
	st_store *pCase = NULL;
	if (st_store_open(&pCase, zCase, 0, zErr, sizeof zErr) != ST_OK) {
		fprintf(stderr, "shiptrace screen: %s\n", zErr);
		return 2;
	}
	int rc = 1;
	st_lists *pLists = NULL;
	st_screen_index *pIdx = NULL;
	strpool P = {0};
	idents I = {.P = &P};
	events aEv[3] = {{.P = &P}, {.P = &P}, {.P = &P}};
	st_screen_hit *aHit = NULL;
	int nHit = 0;
	int64_t *aHitId = NULL;
	st_risk_link *aLink = NULL;
	int nLink = 0, nLinkCap = 0;
	st_risk_row *aRow = NULL;
	st_risk_summary *aSum = NULL;
	int nRow = 0, nSum = 0;
	st_mid_table mid;
	int haveMid = 0;
	char *zInputs = NULL;
	int inTxn = 0;
	memset(&mid, 0, sizeof mid);

	if (st_lists_new(&pLists) != ST_OK ||
	    st_lists_store_read(pCase, pLists, zErr, sizeof zErr) != ST_OK) {
		fprintf(stderr, "shiptrace screen: %s\n", zErr);
		goto done;
	}
	if (st_screen_index_build(&pIdx, pLists) != ST_OK) {
		fprintf(stderr, "shiptrace screen: out of memory\n");
		goto done;
	}
	/* One identity per distinct (MMSI, IMO, name, call sign), with the
	 * time range it was reported; MMSIs without any static report still
	 * screen on their MMSI. */
	if (st_store_query(pCase,
	        "SELECT mmsi, imo, name, callsign, min(time), max(time), min(id) "
	        "FROM vessel_reports GROUP BY mmsi, imo, name, callsign "
	        "ORDER BY mmsi, min(time)", ident_row, &I, zErr, sizeof zErr) != ST_OK ||
	    st_store_query(pCase,
	        "SELECT mmsi, NULL, NULL, NULL, first_seen, last_seen, NULL FROM vessels v "
	        "WHERE NOT EXISTS (SELECT 1 FROM vessel_reports r WHERE r.mmsi = v.mmsi) "
	        "ORDER BY mmsi", ident_row, &I, zErr, sizeof zErr) != ST_OK || I.oom) {
		fprintf(stderr, "shiptrace screen: reading vessels: %s\n",
		        I.oom ? "out of memory" : zErr);
		goto done;
	}
	if (read_events(pCase, "port_calls", &aEv[0]) ||
	    read_events(pCase, "gaps", &aEv[1]) ||
	    read_events(pCase, "encounters", &aEv[2]))
		goto done;
	if (st_mid_load(&mid, st.zMid, zErr, sizeof zErr) == ST_OK) {
		haveMid = 1;
	} else if (*st.zFlags) {
		/* the user asked for flags and they cannot be checked: stop */
		fprintf(stderr, "shiptrace screen: %s: flags_of_concern cannot be checked\n", zErr);
		goto done;
	}

	st_screen_stats ss;
	if (st_screen(pIdx, I.a, I.n, &aHit, &nHit, &ss) != ST_OK) {
		fprintf(stderr, "shiptrace screen: out of memory\n");
		goto done;
	}
	aHitId = calloc((size_t)nHit + 1, sizeof *aHitId);
	if (!aHitId)
		goto done;

	/* Everything below is one transaction: the run and its results. */
	if (st_store_begin(pCase) != ST_OK)
		goto store_err;
	inTxn = 1;
	static const st_table_def *const apOut[] = {&tabScreening, &tabLinks, &tabRisk,
	                                            &tabSummary};
	for (int t = 0; t < 4; t++)
		if (st_store_create_table(pCase, apOut[t]) != ST_OK)
			goto store_err;
	char zEvidence[64];
	for (int h = 0; h < nHit; h++) {
		const st_screen_hit *hit = &aHit[h];
		const st_vessel_ident *id = &I.a[hit->iIdent];
		const st_list_entry *e = st_lists_entry(pLists, hit->iEntry);
		st_value v[14];
		memset(v, 0, sizeof v);
		v[0].i = id->mmsi;
		v[1].i = id->imo;
		v[1].isNull = id->imo == 0;
		v[2].z = e->zList;
		v[3].z = e->zEntryId;
		v[4].z = e->zName;
		v[5].i = e->imo;
		v[5].isNull = e->imo == 0;
		v[6].i = e->listed;
		v[7].z = st_match_kind_name(hit->kind);
		v[8].r = hit->score;
		v[9].i = hit->decisive;
		v[10].t = hit->tFrom;
		v[10].isNull = hit->tFrom == ST_TIME_NONE;
		v[11].t = hit->tTo;
		v[11].isNull = hit->tTo == ST_TIME_NONE;
		snprintf(zEvidence, sizeof zEvidence, id->id ? "vessel_reports:%lld" : "vessels",
		         (long long)id->id);
		v[12].z = zEvidence;
		v[13].z = hit->zWhy;
		if (st_store_insert(pCase, &tabScreening, v, NULL, &aHitId[h]) != ST_OK)
			goto store_err;
	}
	/* Links from each decisive match, once per vessel and entry. */
	for (int h = 0; h < nHit; h++) {
		const st_screen_hit *hit = &aHit[h];
		if (!hit->decisive)
			continue;
		uint32_t mmsi = I.a[hit->iIdent].mmsi;
		int seen = 0;
		for (int g = 0; g < h && !seen; g++)
			seen = aHit[g].decisive && aHit[g].iEntry == hit->iEntry &&
			       I.a[aHit[g].iIdent].mmsi == mmsi;
		if (seen)
			continue;
		st_reach *aR;
		int nR;
		if (st_links_reach(pIdx, hit->iEntry, st.depth, &aR, &nR) != ST_OK)
			goto done;
		const st_list_entry *e = st_lists_entry(pLists, hit->iEntry);
		for (int r = 0; r < nR; r++) {
			const st_list_entry *t = st_lists_entry(pLists, aR[r].iTarget);
			st_value v[12];
			memset(v, 0, sizeof v);
			v[0].i = mmsi;
			v[1].i = I.a[hit->iIdent].imo;
			v[1].isNull = v[1].i == 0;
			v[2].z = e->zList;
			v[3].z = e->zEntryId;
			v[4].z = e->zName;
			v[5].z = t->zEntryId;
			v[6].z = t->zName;
			v[7].z = st_entity_kind_name(t->kind);
			v[8].i = aR[r].nHop;
			v[9].z = aR[r].zPath;
			v[10].z = aR[r].zLinks;
			v[11].i = aHitId[h];
			int64_t idLink = 0;
			if (st_store_insert(pCase, &tabLinks, v, NULL, &idLink) != ST_OK) {
				st_reach_free(aR, nR);
				goto store_err;
			}
			if (nLink == nLinkCap) {
				int cap = nLinkCap ? nLinkCap * 2 : 64;
				st_risk_link *a = realloc(aLink, (size_t)cap * sizeof *a);
				if (!a) {
					st_reach_free(aR, nR);
					goto done;
				}
				aLink = a;
				nLinkCap = cap;
			}
			aLink[nLink++] = (st_risk_link){mmsi, idLink, aR[r].nHop,
			                                keep(&P, t->zName)};
		}
		st_reach_free(aR, nR);
	}
	st_risk_input in = {0};
	in.pLists = pLists;
	in.aIdent = I.a;
	in.nIdent = I.n;
	in.aHit = aHit;
	in.aHitId = aHitId;
	in.nHit = nHit;
	in.aLink = aLink;
	in.nLink = nLink;
	in.aCall = aEv[0].a;
	in.nCall = aEv[0].n;
	in.aGap = aEv[1].a;
	in.nGap = aEv[1].n;
	in.aEnc = aEv[2].a;
	in.nEnc = aEv[2].n;
	in.zPortsOfConcern = st.zPorts;
	in.zFlagsOfConcern = st.zFlags;
	in.xFlag = haveMid ? flag_of : NULL;
	in.pFlagCtx = &mid;
	in.zIdentTable = "vessel_reports";
	if (st_risk_assess(&in, &aRow, &nRow, &aSum, &nSum) != ST_OK || P.oom) {
		fprintf(stderr, "shiptrace screen: out of memory\n");
		goto done;
	}
	for (int i = 0; i < nRow; i++) {
		st_value v[7];
		memset(v, 0, sizeof v);
		v[0].i = aRow[i].mmsi;
		v[1].i = aRow[i].imo;
		v[1].isNull = aRow[i].imo == 0;
		v[2].z = st_risk_name(aRow[i].ind);
		v[3].i = aRow[i].tier;
		v[4].i = aRow[i].nEvidence;
		v[5].z = aRow[i].zEvidence;
		v[6].z = aRow[i].zDetail;
		if (st_store_insert(pCase, &tabRisk, v, NULL, NULL) != ST_OK)
			goto store_err;
	}
	for (int i = 0; i < nSum; i++) {
		st_value v[9];
		memset(v, 0, sizeof v);
		v[0].i = aSum[i].rank;
		v[1].i = aSum[i].mmsi;
		v[2].i = aSum[i].imo;
		v[2].isNull = aSum[i].imo == 0;
		v[3].z = aSum[i].zName;
		v[4].i = aSum[i].tier;
		v[5].i = aSum[i].nIndicator;
		v[6].i = aSum[i].nEvidence;
		v[7].z = aSum[i].zIndicators;
		v[8].z = aSum[i].zDrivers;
		if (st_store_insert(pCase, &tabSummary, v, NULL, NULL) != ST_OK)
			goto store_err;
	}
	{
		char zP[600], zF[300], zM[1100], zRule[1200], zParams[4096];
		json_str(st.zPorts, zP, sizeof zP);
		json_str(st.zFlags, zF, sizeof zF);
		json_str(st.zMid, zM, sizeof zM);
		json_str(st_risk_rule(), zRule, sizeof zRule);
		snprintf(zParams, sizeof zParams,
		         "{\"link_depth\":%d,\"ports_of_concern\":\"%s\","
		         "\"flags_of_concern\":\"%s\",\"mid_table\":\"%s\","
		         "\"scores\":{\"imo\":%.2f,\"mmsi_confirmed\":%.2f,\"mmsi\":%.2f,"
		         "\"call_sign\":%.2f,\"name\":%.2f},\"rank_rule\":\"%s\"}",
		         st.depth, zP, zF, zM, ST_SCORE_IMO, ST_SCORE_MMSI_CONFIRMED,
		         ST_SCORE_MMSI, ST_SCORE_CALLSIGN, ST_SCORE_NAME, zRule);
		zInputs = st_store_sources_json(pCase);
		if (st_store_record_run(pCase, "screen", tStart, now_ms(), zParams,
		                        zInputs ? zInputs : "[]", NULL) != ST_OK)
			goto store_err;
	}
	if (st_store_commit(pCase) != ST_OK)
		goto store_err;
	inTxn = 0;
	int nListed = 0;
	for (int i = 0; i < nSum; i++)
		nListed += aSum[i].tier == 1;
	fprintf(stderr,
	        "screen: %d identities of %d list entries: %d matches (%llu MMSI "
	        "matches set aside for another IMO, %llu names for another IMO), "
	        "%d link paths, %d vessels with indicators (%d listed by an identifier)\n",
	        I.n, st_lists_count(pLists), nHit,
	        (unsigned long long)ss.nMmsiConflict,
	        (unsigned long long)ss.nNameSuppressed, nLink, nSum, nListed);
	rc = 0;
	goto done;
store_err:
	fprintf(stderr, "shiptrace screen: %s\n", st_store_errmsg(pCase));
done:
	if (inTxn)
		st_store_rollback(pCase);
	free(zInputs);
	st_risk_free(aRow, nRow, aSum);
	free(aLink);
	free(aHitId);
	free(aHit);
	for (int i = 0; i < 3; i++)
		free(aEv[i].a);
	free(I.a);
	for (size_t i = 0; i < P.n; i++)
		free(P.az[i]);
	free(P.az);
	st_mid_free(&mid);
	st_screen_index_free(pIdx);
	st_lists_free(pLists);
	st_store_close(pCase);
	return rc;
}

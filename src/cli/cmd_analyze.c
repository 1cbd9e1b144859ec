/* `shiptrace analyze CASE [--config FILE] [--set key=value ...]`: loads the
 * positions and vessel reports of a case into the column model, runs the
 * behaviour stages, and writes their tables (segments, port_calls, voyages,
 * gaps, encounters, loitering, vessel_identities, and flag columns of
 * vessels) in one transaction with the run's parameters and inputs in
 * `runs`. Re-running replaces the previous results: each table is dropped
 * and created again. Every row names its evidence ("positions:12,97"). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cJSON.h>
#include "cli.h"
#include "shiptrace/analysis.h"
#include "shiptrace/store.h"
#include "shiptrace/time.h"

#define MAX_PORT_FILES 16

typedef struct analyze_opts {
	const char *zCase;
	st_params p;
	const char *azPorts[MAX_PORT_FILES];
	int nPorts;
	int noDefaultPorts;
	int quiet;
} analyze_opts;

static void usage(FILE *f)
{
	fprintf(f,
	        "usage: shiptrace analyze CASE [--config FILE] [--set key=value ...]\n"
	        "                         [--ports FILE ...] [--no-default-ports] [--quiet]\n"
	        "\n"
	        "Computes segments, port calls, voyages, gaps, encounters, loitering,\n"
	        "identity history and flags from the positions and vessel reports of\n"
	        "CASE (a .gpkg file or a postgresql:// URL) and writes them as tables;\n"
	        "a second run replaces the first. --ports adds ports from a CSV\n"
	        "(name,country,lat,lon[,radius_km]) or GeoJSON polygons (.geojson,\n"
	        ".json); --no-default-ports leaves out the shipped World Port Index.\n"
	        "\nparameters (--set key=value, or key = value lines in --config):\n");
	int n;
	const st_param_info_t *a = st_param_info(&n);
	for (int i = 0; i < n; i++)
		fprintf(f, "  %-22s %-5s %-3s %s\n", a[i].zKey, a[i].zDefault, a[i].zUnit,
		        a[i].zDoc);
}

static int ends_with(const char *z, const char *zSuffix)
{
	size_t n = strlen(z), k = strlen(zSuffix);
	return n >= k && !strcmp(z + n - k, zSuffix);
}

static st_time_ms now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (st_time_ms)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- loading ------------------------------------------------------------- */

typedef struct load_ctx {
	st_model *m;
	uint64_t nSkipped;
	st_status rc;
} load_ctx;

static int on_position(void *ctx, const st_position *p, int64_t id)
{
	load_ctx *c = ctx;
	st_position q = *p;
	if (!q.cls)
		q.cls = (q.msg_type >= 1 && q.msg_type <= 3) ? 'A'
		        : (q.msg_type == 18 || q.msg_type == 19) ? 'B' : 0;
	st_status rc = st_model_add(c->m, &q, id);
	if (rc == ST_EINVAL) {
		c->nSkipped++;
	} else if (rc != ST_OK) {
		c->rc = rc;
		return 1;
	}
	return 0;
}

typedef struct report_ctx {
	st_static_report *a;
	int64_t *aId;
	size_t n, nCap;
	int oom;
} report_ctx;

static int int_or(const char *z, int dflt)
{
	return z ? atoi(z) : dflt;
}

static int on_report(void *ctx, int nCol, const char *const *az,
                     const char *const *azCol)
{
	report_ctx *c = ctx;
	(void)azCol;
	if (nCol < 11)
		return 1;
	if (c->n == c->nCap) {
		size_t n = c->nCap ? c->nCap * 2 : 1024;
		st_static_report *a = realloc(c->a, n * sizeof *a);
		int64_t *aId = a ? realloc(c->aId, n * sizeof *aId) : NULL;
		if (a)
			c->a = a;
		if (!a || !aId) {
			c->oom = 1;
			return 1;
		}
		c->aId = aId;
		c->nCap = n;
	}
	st_static_report *r = &c->a[c->n];
	memset(r, 0, sizeof *r);
	c->aId[c->n] = az[0] ? strtoll(az[0], NULL, 10) : 0;
	r->mmsi = az[1] ? (uint32_t)strtoul(az[1], NULL, 10) : 0;
	r->t = az[2] ? st_time_parse(az[2]) : ST_TIME_NONE;
	r->imo = az[3] ? (uint32_t)strtoul(az[3], NULL, 10) : 0;
	snprintf(r->name, sizeof r->name, "%s", az[4] ? az[4] : "");
	snprintf(r->callsign, sizeof r->callsign, "%s", az[5] ? az[5] : "");
	r->ship_type = int_or(az[6], -1);
	r->to_bow = int_or(az[7], -1);
	r->to_stern = int_or(az[8], -1);
	r->to_port = int_or(az[9], -1);
	r->to_starboard = int_or(az[10], -1);
	if (r->t != ST_TIME_NONE)
		c->n++;
	return 0;
}

/* ---- writing ------------------------------------------------------------- */

static const st_column aSegCol[] = {
	{"mmsi", ST_COL_INT}, {"track", ST_COL_INT}, {"prev_segment", ST_COL_INT},
	{"start_time", ST_COL_TIME}, {"end_time", ST_COL_TIME},
	{"points", ST_COL_INT}, {"distance_km", ST_COL_REAL},
	{"evidence", ST_COL_TEXT},
};
static const st_table_def tabSeg = {
	"segments", "tracks split where one MMSI is two transmitters or after a long silence",
	aSegCol, sizeof aSegCol / sizeof aSegCol[0], ST_GEOM_LINESTRING};

static const st_column aCallCol[] = {
	{"mmsi", ST_COL_INT}, {"segment", ST_COL_INT}, {"track", ST_COL_INT},
	{"port_id", ST_COL_TEXT}, {"port_name", ST_COL_TEXT},
	{"country", ST_COL_TEXT}, {"locode", ST_COL_TEXT},
	{"port_of_concern", ST_COL_INT},
	{"arrival", ST_COL_TIME}, {"departure", ST_COL_TIME}, {"hours", ST_COL_REAL},
	{"how", ST_COL_TEXT}, {"arrival_seen", ST_COL_INT},
	{"departure_seen", ST_COL_INT}, {"points", ST_COL_INT},
	{"prev_port_id", ST_COL_TEXT}, {"prev_port_name", ST_COL_TEXT},
	{"prev_country", ST_COL_TEXT}, {"evidence", ST_COL_TEXT},
};
static const st_table_def tabCall = {
	"port_calls", "port calls: arrival, departure, how the call was seen (suspected from AIS)",
	aCallCol, sizeof aCallCol / sizeof aCallCol[0], ST_GEOM_POINT};

static const st_column aVoyCol[] = {
	{"mmsi", ST_COL_INT}, {"from_call", ST_COL_INT}, {"to_call", ST_COL_INT},
	{"from_port_id", ST_COL_TEXT}, {"from_port", ST_COL_TEXT},
	{"from_country", ST_COL_TEXT}, {"to_port_id", ST_COL_TEXT},
	{"to_port", ST_COL_TEXT}, {"to_country", ST_COL_TEXT},
	{"departure", ST_COL_TIME}, {"arrival", ST_COL_TIME}, {"hours", ST_COL_REAL},
	{"last_port_country", ST_COL_TEXT}, {"evidence", ST_COL_TEXT},
};
static const st_table_def tabVoy = {
	"voyages", "port call to port call, with the last port of call's country",
	aVoyCol, sizeof aVoyCol / sizeof aVoyCol[0], ST_GEOM_NONE};

static const st_column aGapCol[] = {
	{"mmsi", ST_COL_INT}, {"track", ST_COL_INT},
	{"start_time", ST_COL_TIME}, {"end_time", ST_COL_TIME},
	{"hours", ST_COL_REAL}, {"distance_km", ST_COL_REAL},
	{"implied_speed_kn", ST_COL_REAL}, {"flagged", ST_COL_INT},
	{"start_port", ST_COL_TEXT}, {"end_port", ST_COL_TEXT},
	{"possible_ports", ST_COL_TEXT}, {"n_possible", ST_COL_INT},
	{"evidence", ST_COL_TEXT},
};
static const st_table_def tabGap = {
	"gaps", "AIS silences: hours, distance, implied speed, ports of concern reachable meanwhile",
	aGapCol, sizeof aGapCol / sizeof aGapCol[0], ST_GEOM_LINESTRING};

static const st_column aEncCol[] = {
	{"mmsi1", ST_COL_INT}, {"mmsi2", ST_COL_INT},
	{"start_time", ST_COL_TIME}, {"end_time", ST_COL_TIME},
	{"hours", ST_COL_REAL}, {"median_distance_m", ST_COL_REAL},
	{"samples", ST_COL_INT}, {"evidence", ST_COL_TEXT},
};
static const st_table_def tabEnc = {
	"encounters", "suspected ship-to-ship encounters: close, slow, far from port",
	aEncCol, sizeof aEncCol / sizeof aEncCol[0], ST_GEOM_POINT};

static const st_column aLoiCol[] = {
	{"mmsi", ST_COL_INT}, {"segment", ST_COL_INT},
	{"start_time", ST_COL_TIME}, {"end_time", ST_COL_TIME},
	{"hours", ST_COL_REAL}, {"distance_km", ST_COL_REAL},
	{"nearest_port_km", ST_COL_REAL}, {"points", ST_COL_INT},
	{"evidence", ST_COL_TEXT},
};
static const st_table_def tabLoi = {
	"loitering", "one vessel slow far from shore (shore = nearest gazetteer port)",
	aLoiCol, sizeof aLoiCol / sizeof aLoiCol[0], ST_GEOM_POINT};

static const st_column aIdCol[] = {
	{"mmsi", ST_COL_INT}, {"field", ST_COL_TEXT}, {"value", ST_COL_TEXT},
	{"first_seen", ST_COL_TIME}, {"last_seen", ST_COL_TIME},
	{"reports", ST_COL_INT}, {"evidence", ST_COL_TEXT},
};
static const st_table_def tabId = {
	"vessel_identities", "identity history: each reported name, IMO, call sign, type, dimensions with its period",
	aIdCol, sizeof aIdCol / sizeof aIdCol[0], ST_GEOM_NONE};

static st_value vI(int64_t i)
{
	st_value v;
	memset(&v, 0, sizeof v);
	v.i = i;
	return v;
}

static st_value vR(double r)
{
	st_value v;
	memset(&v, 0, sizeof v);
	v.r = r;
	v.isNull = !(r == r);
	return v;
}

static st_value vZ(const char *z)
{
	st_value v;
	memset(&v, 0, sizeof v);
	v.z = z;
	v.isNull = z == NULL;
	return v;
}

static st_value vT(st_time_ms t)
{
	st_value v;
	memset(&v, 0, sizeof v);
	v.t = t;
	v.isNull = t == ST_TIME_NONE;
	return v;
}

static st_value vNull(void)
{
	st_value v;
	memset(&v, 0, sizeof v);
	v.isNull = 1;
	return v;
}

typedef struct writer {
	st_store *s;
	const st_model *m;
	const st_gazetteer *g;
	const st_events *e;
	int64_t *aSegId;     /* row id of each segment */
	int64_t *aCallId;    /* row id of each port call */
	double *aXY;         /* geometry scratch */
	size_t nXY;
	char zEv[256];
} writer;

static const char *evidence_pos(writer *w, size_t nIdx, const size_t *aIdx)
{
	size_t n = (size_t)snprintf(w->zEv, sizeof w->zEv, "positions:");
	for (size_t k = 0; k < nIdx && n < sizeof w->zEv; k++)
		n += (size_t)snprintf(w->zEv + n, sizeof w->zEv - n, "%s%lld", k ? "," : "",
		                      (long long)w->m->aId[aIdx[k]]);
	return w->zEv;
}

static st_status write_segments(writer *w)
{
	const st_model *m = w->m;
	const st_events *e = w->e;
	st_status rc = st_store_create_table(w->s, &tabSeg);
	if (rc != ST_OK)
		return rc;
	/* positions grouped by segment, in time order (counting sort) */
	size_t *aStart = calloc(e->nSeg + 1, sizeof *aStart);
	size_t *aOrder = malloc((m->nPos ? m->nPos : 1) * sizeof *aOrder);
	w->aXY = malloc(2 * (m->nPos + 2) * sizeof *w->aXY);
	if (!aStart || !aOrder || !w->aXY) {
		free(aStart);
		free(aOrder);
		return ST_ENOMEM;
	}
	for (size_t i = 0; i < m->nPos; i++)
		aStart[e->aSeg[i] + 1]++;
	for (size_t k = 0; k < e->nSeg; k++)
		aStart[k + 1] += aStart[k];
	for (size_t i = 0; i < m->nPos; i++)
		aOrder[aStart[e->aSeg[i]]++] = i;
	for (size_t k = e->nSeg; k > 0; k--)
		aStart[k] = aStart[k - 1];
	aStart[0] = 0;
	for (size_t k = 0; k < e->nSeg && rc == ST_OK; k++) {
		const st_segment *sg = &e->aSegment[k];
		size_t n = 0;
		for (size_t j = aStart[k]; j < aStart[k + 1]; j++) {
			w->aXY[2 * n] = st_model_lon(m, aOrder[j]);
			w->aXY[2 * n + 1] = st_model_lat(m, aOrder[j]);
			n++;
		}
		if (n == 1) { /* a LineString needs two points */
			w->aXY[2] = w->aXY[0];
			w->aXY[3] = w->aXY[1];
			n = 2;
		}
		st_geom geom = {ST_GEOM_LINESTRING, n, w->aXY};
		size_t aEv[2] = {sg->iFirst, sg->iLast};
		st_value v[8] = {
			vI(sg->mmsi), vI(sg->track),
			sg->prev >= 0 ? vI(w->aSegId[sg->prev]) : vNull(),
			vT(sg->t0), vT(sg->t1), vI(sg->nPoint), vR(sg->km),
			vZ(evidence_pos(w, 2, aEv)),
		};
		rc = st_store_insert(w->s, &tabSeg, v, &geom, &w->aSegId[k]);
	}
	free(aStart);
	free(aOrder);
	return rc;
}

static const char *how_name(st_call_how h)
{
	return h == ST_CALL_STOPPED ? "stopped"
	       : h == ST_CALL_ANCHORED_OUTSIDE ? "anchored_outside" : "passed_through";
}

static st_status write_calls(writer *w)
{
	st_status rc = st_store_create_table(w->s, &tabCall);
	for (size_t k = 0; k < w->e->nCall && rc == ST_OK; k++) {
		const st_port_call *c = &w->e->aCall[k];
		const st_port *pt = &w->g->aPort[c->port];
		const st_port *pp = c->prevPort >= 0 ? &w->g->aPort[c->prevPort] : NULL;
		double xy[2] = {c->lon, c->lat};
		st_geom geom = {ST_GEOM_POINT, 1, xy};
		size_t aEv[2] = {c->iFirst, c->iLast};
		st_value v[19] = {
			vI(c->mmsi), vI(w->aSegId[c->seg]), vI(c->track),
			vZ(pt->zId), vZ(pt->zName), vZ(pt->zCountry),
			vZ(pt->zLocode[0] ? pt->zLocode : NULL), vI(pt->concern),
			vT(c->arrival), vT(c->departure),
			vR((double)(c->departure - c->arrival) / 3600000.0),
			vZ(how_name(c->how)), vI(c->arrivalSeen), vI(c->departureSeen),
			vI(c->nPoint),
			vZ(pp ? pp->zId : NULL), vZ(pp ? pp->zName : NULL),
			vZ(pp ? pp->zCountry : NULL),
			vZ(evidence_pos(w, 2, aEv)),
		};
		rc = st_store_insert(w->s, &tabCall, v, &geom, &w->aCallId[k]);
	}
	return rc;
}

static st_status write_voyages(writer *w)
{
	st_status rc = st_store_create_table(w->s, &tabVoy);
	for (size_t k = 0; k < w->e->nVoyage && rc == ST_OK; k++) {
		const st_voyage *vy = &w->e->aVoyage[k];
		const st_port *a = &w->g->aPort[vy->fromPort], *b = &w->g->aPort[vy->toPort];
		snprintf(w->zEv, sizeof w->zEv, "port_calls:%lld,%lld",
		         (long long)w->aCallId[vy->fromCall], (long long)w->aCallId[vy->toCall]);
		st_value v[14] = {
			vI(vy->mmsi), vI(w->aCallId[vy->fromCall]), vI(w->aCallId[vy->toCall]),
			vZ(a->zId), vZ(a->zName), vZ(a->zCountry),
			vZ(b->zId), vZ(b->zName), vZ(b->zCountry),
			vT(vy->departure), vT(vy->arrival),
			vR((double)(vy->arrival - vy->departure) / 3600000.0),
			vZ(a->zCountry), vZ(w->zEv),
		};
		rc = st_store_insert(w->s, &tabVoy, v, NULL, NULL);
	}
	return rc;
}

static st_status write_gaps(writer *w)
{
	st_status rc = st_store_create_table(w->s, &tabGap);
	char zPossible[1024];
	for (size_t k = 0; k < w->e->nGap && rc == ST_OK; k++) {
		const st_gap *gp = &w->e->aGap[k];
		size_t n = 0;
		zPossible[0] = 0;
		for (uint32_t j = 0; j < gp->nPossible && n < sizeof zPossible; j++) {
			const st_port *pt = &w->g->aPort[w->e->aPossible[gp->iPossible + j]];
			n += (size_t)snprintf(zPossible + n, sizeof zPossible - n, "%s%s (%s)",
			                      j ? "; " : "", pt->zName,
			                      pt->zLocode[0] ? pt->zLocode : pt->zCountry);
		}
		double xy[4] = {st_model_lon(w->m, gp->i0), st_model_lat(w->m, gp->i0),
		                st_model_lon(w->m, gp->i1), st_model_lat(w->m, gp->i1)};
		st_geom geom = {ST_GEOM_LINESTRING, 2, xy};
		size_t aEv[2] = {gp->i0, gp->i1};
		st_value v[13] = {
			vI(gp->mmsi), vI(gp->track), vT(gp->t0), vT(gp->t1),
			vR(gp->hours), vR(gp->km), vR(gp->speed_kn), vI(gp->flagged),
			vZ(gp->port0 >= 0 ? w->g->aPort[gp->port0].zName : NULL),
			vZ(gp->port1 >= 0 ? w->g->aPort[gp->port1].zName : NULL),
			vZ(gp->nPossible ? zPossible : NULL), vI(gp->nPossible),
			vZ(evidence_pos(w, 2, aEv)),
		};
		rc = st_store_insert(w->s, &tabGap, v, &geom, NULL);
	}
	return rc;
}

static st_status write_encounters(writer *w)
{
	st_status rc = st_store_create_table(w->s, &tabEnc);
	for (size_t k = 0; k < w->e->nEnc && rc == ST_OK; k++) {
		const st_encounter *en = &w->e->aEnc[k];
		double xy[2] = {en->lon, en->lat};
		st_geom geom = {ST_GEOM_POINT, 1, xy};
		size_t aEv[4] = {en->i1a, en->i1b, en->i2a, en->i2b};
		st_value v[8] = {
			vI(en->mmsi1), vI(en->mmsi2), vT(en->t0), vT(en->t1),
			vR((double)(en->t1 - en->t0) / 3600000.0), vR(en->median_m),
			vI(en->nSample), vZ(evidence_pos(w, 4, aEv)),
		};
		rc = st_store_insert(w->s, &tabEnc, v, &geom, NULL);
	}
	return rc;
}

static st_status write_loitering(writer *w)
{
	st_status rc = st_store_create_table(w->s, &tabLoi);
	for (size_t k = 0; k < w->e->nLoiter && rc == ST_OK; k++) {
		const st_loiter *lo = &w->e->aLoiter[k];
		double xy[2] = {lo->lon, lo->lat};
		st_geom geom = {ST_GEOM_POINT, 1, xy};
		size_t aEv[2] = {lo->iFirst, lo->iLast};
		st_value v[9] = {
			vI(lo->mmsi), vI(w->aSegId[lo->seg]), vT(lo->t0), vT(lo->t1),
			vR(lo->hours), vR(lo->km), vR(lo->port_km), vI(lo->nPoint),
			vZ(evidence_pos(w, 2, aEv)),
		};
		rc = st_store_insert(w->s, &tabLoi, v, &geom, NULL);
	}
	return rc;
}

static st_status write_identities(st_store *s, const st_identity *a, size_t n)
{
	st_status rc = st_store_create_table(s, &tabId);
	char zEv[96];
	for (size_t k = 0; k < n && rc == ST_OK; k++) {
		snprintf(zEv, sizeof zEv, "vessel_reports:%lld,%lld", (long long)a[k].id0,
		         (long long)a[k].id1);
		st_value v[7] = {
			vI(a[k].mmsi), vZ(st_id_field_name(a[k].field)), vZ(a[k].zValue),
			vT(a[k].t0), vT(a[k].t1), vI(a[k].nReport), vZ(zEv),
		};
		rc = st_store_insert(s, &tabId, v, NULL, NULL);
	}
	return rc;
}

/* The flag columns of `vessels` (owned by the store) are added once, then
 * filled for every vessel of the case. */
typedef struct flag_ctx {
	uint32_t *a;
	size_t n, nCap;
	int oom;
} flag_ctx;

static int on_vessel(void *ctx, int nCol, const char *const *az,
                     const char *const *azCol)
{
	flag_ctx *c = ctx;
	(void)azCol;
	if (nCol < 1 || !az[0])
		return 0;
	if (c->n == c->nCap) {
		size_t n = c->nCap ? c->nCap * 2 : 1024;
		uint32_t *a = realloc(c->a, n * sizeof *a);
		if (!a) {
			c->oom = 1;
			return 1;
		}
		c->a = a;
		c->nCap = n;
	}
	c->a[c->n++] = (uint32_t)strtoul(az[0], NULL, 10);
	return 0;
}

/* Adds the flag columns to `vessels` when missing. Outside the results'
 * transaction: a failed probe would abort a PostgreSQL transaction. */
static st_status ensure_flag_columns(st_store *s, char *zErr, size_t nErr)
{
	static const char *const azAdd[] = {
		"ALTER TABLE vessels ADD COLUMN flag TEXT",
		"ALTER TABLE vessels ADD COLUMN flag_mid INTEGER",
		"ALTER TABLE vessels ADD COLUMN mmsi_kind TEXT",
	};
	char zIgnore[256];
	if (st_store_query(s, "SELECT flag, flag_mid, mmsi_kind FROM vessels WHERE 1 = 0",
	                   NULL, NULL, zIgnore, sizeof zIgnore) == ST_OK)
		return ST_OK;
	for (size_t k = 0; k < sizeof azAdd / sizeof azAdd[0]; k++) {
		st_status rc = st_store_query(s, azAdd[k], NULL, NULL, zErr, nErr);
		if (rc != ST_OK)
			return rc;
	}
	return ST_OK;
}

static const st_column aFlagCol[] = {
	{"mmsi", ST_COL_INT}, {"flag", ST_COL_TEXT}, {"flag_mid", ST_COL_INT},
	{"flag_name", ST_COL_TEXT}, {"mmsi_kind", ST_COL_TEXT},
};
static const st_table_def tabFlag = {
	"vessel_flags", "flag state of each MMSI from its Maritime Identification Digits (ITU)",
	aFlagCol, sizeof aFlagCol / sizeof aFlagCol[0], ST_GEOM_NONE};

/* One row per vessel in `vessel_flags`, then one UPDATE copies them into the
 * columns of `vessels`: a statement per vessel would cost a round trip each
 * on PostGIS. */
static st_status write_flags(st_store *s, const st_mid_table *pMid, char *zErr,
                             size_t nErr)
{
	flag_ctx c;
	memset(&c, 0, sizeof c);
	st_status rc = st_store_query(s, "SELECT mmsi FROM vessels ORDER BY mmsi", on_vessel, &c,
	                              zErr, nErr);
	if (rc == ST_OK && c.oom)
		rc = ST_ENOMEM;
	if (rc == ST_OK)
		rc = st_store_create_table(s, &tabFlag);
	for (size_t k = 0; k < c.n && rc == ST_OK; k++) {
		const char *zKind;
		int mid = st_mmsi_mid(c.a[k], &zKind);
		const char *zFlag = st_mmsi_flag(pMid, c.a[k]);
		st_value v[5] = {
			vI(c.a[k]), vZ(zFlag), mid >= 0 ? vI(mid) : vNull(),
			vZ(zFlag ? pMid->azName[mid] : NULL), vZ(zKind),
		};
		rc = st_store_insert(s, &tabFlag, v, NULL, NULL);
	}
	free(c.a);
	if (rc == ST_OK)
		rc = st_store_create_index(s, "vessel_flags_mmsi", "vessel_flags", "mmsi", 1);
	if (rc == ST_OK)
		rc = st_store_query(s,
		                    "UPDATE vessels SET"
		                    " flag = (SELECT f.flag FROM vessel_flags f WHERE f.mmsi = vessels.mmsi),"
		                    " flag_mid = (SELECT f.flag_mid FROM vessel_flags f WHERE f.mmsi = vessels.mmsi),"
		                    " mmsi_kind = (SELECT f.mmsi_kind FROM vessel_flags f WHERE f.mmsi = vessels.mmsi)",
		                    NULL, NULL, zErr, nErr);
	return rc;
}

/* Inputs of the run: the case's sources, and the gazetteer and MID files
 * with their size and SHA-256. */
static char *inputs_json(st_store *s, const char *const *azFile, int nFile)
{
	cJSON *pObj = cJSON_CreateObject();
	char *zSources = st_store_sources_json(s);
	cJSON *pSrc = zSources ? cJSON_Parse(zSources) : NULL;
	free(zSources);
	cJSON_AddItemToObject(pObj, "sources", pSrc ? pSrc : cJSON_CreateArray());
	cJSON *pFiles = cJSON_AddArrayToObject(pObj, "reference_files");
	for (int i = 0; i < nFile && pFiles; i++) {
		char zHex[65], zErr[128];
		uint64_t size = 0;
		cJSON *pF = cJSON_CreateObject();
		cJSON_AddStringToObject(pF, "name", azFile[i]);
		if (st_sha256_file(azFile[i], zHex, &size, zErr, sizeof zErr) == ST_OK) {
			cJSON_AddNumberToObject(pF, "size", (double)size);
			cJSON_AddStringToObject(pF, "sha256", zHex);
		}
		cJSON_AddItemToArray(pFiles, pF);
	}
	char *z = cJSON_PrintUnformatted(pObj);
	cJSON_Delete(pObj);
	return z;
}

static int fail(const char *zCase, const char *zWhat, st_status rc, const char *zErr)
{
	fprintf(stderr, "shiptrace analyze: %s: %s: %s%s%s\n", zCase, zWhat, st_strerror(rc),
	        zErr && *zErr ? ": " : "", zErr ? zErr : "");
	return 1;
}

static int parse_args(int argc, char **argv, analyze_opts *o)
{
	char zErr[256];
	memset(o, 0, sizeof *o);
	st_params_default(&o->p);
	/* the config file first, so that --set overrides it wherever it stands */
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--config")) {
			if (++i >= argc) {
				fprintf(stderr, "shiptrace analyze: --config needs a file\n");
				return 2;
			}
			if (st_params_load(&o->p, argv[i], zErr, sizeof zErr) != ST_OK) {
				fprintf(stderr, "shiptrace analyze: %s\n", zErr);
				return 2;
			}
		} else if (!strcmp(argv[i], "--set") || !strcmp(argv[i], "--ports")) {
			i++;
		}
	}
	for (int i = 1; i < argc; i++) {
		const char *z = argv[i];
		if (!strcmp(z, "--help") || !strcmp(z, "-h")) {
			usage(stdout);
			return -1;
		} else if (!strcmp(z, "--config")) {
			i++;
		} else if (!strcmp(z, "--set")) {
			if (++i >= argc) {
				fprintf(stderr, "shiptrace analyze: --set needs key=value\n");
				return 2;
			}
			if (st_params_set(&o->p, argv[i], zErr, sizeof zErr) != ST_OK) {
				fprintf(stderr, "shiptrace analyze: --set %s\n", zErr);
				return 2;
			}
		} else if (!strcmp(z, "--ports")) {
			if (++i >= argc || o->nPorts == MAX_PORT_FILES) {
				fprintf(stderr, "shiptrace analyze: --ports needs a file (at most %d)\n",
				        MAX_PORT_FILES);
				return 2;
			}
			o->azPorts[o->nPorts++] = argv[i];
		} else if (!strcmp(z, "--no-default-ports")) {
			o->noDefaultPorts = 1;
		} else if (!strcmp(z, "--quiet") || !strcmp(z, "-q")) {
			o->quiet = 1;
		} else if (z[0] == '-' && z[1]) {
			fprintf(stderr, "shiptrace analyze: unknown option '%s'\n", z);
			usage(stderr);
			return 2;
		} else if (!o->zCase) {
			o->zCase = z;
		} else {
			fprintf(stderr, "shiptrace analyze: one CASE only ('%s')\n", z);
			return 2;
		}
	}
	if (!o->zCase) {
		usage(stderr);
		return 2;
	}
	return 0;
}

int st_cmd_analyze(int argc, char **argv)
{
	analyze_opts o;
	int rcArgs = parse_args(argc, argv, &o);
	if (rcArgs)
		return rcArgs < 0 ? 0 : rcArgs;
	st_time_ms tStart = now_ms();
	char zErr[512] = "";
	char zPorts[1024], zMidPath[1024];
	const char *azRef[MAX_PORT_FILES + 2];
	int nRef = 0;
	snprintf(zPorts, sizeof zPorts, "%s/ports.csv", st_data_dir());
	snprintf(zMidPath, sizeof zMidPath, "%s/mid.csv", st_data_dir());

	/* reference data first: a bad ports file fails before the case is touched */
	st_gazetteer g;
	st_gazetteer_init(&g);
	st_mid_table *pMid = calloc(1, sizeof *pMid);
	int ret = 1;
	st_status rc;
	st_store *s = NULL;
	st_model m;
	st_model_init(&m);
	st_events e;
	st_events_init(&e);
	report_ctx rep;
	memset(&rep, 0, sizeof rep);
	st_identity *aIdent = NULL;
	size_t nIdent = 0;
	writer w;
	memset(&w, 0, sizeof w);
	if (!pMid) {
		fail(o.zCase, "loading", ST_ENOMEM, NULL);
		goto done;
	}
	if (!o.noDefaultPorts) {
		if ((rc = st_gazetteer_load_csv(&g, zPorts, zErr, sizeof zErr)) != ST_OK) {
			fail(o.zCase, "ports", rc, zErr);
			goto done;
		}
		azRef[nRef++] = zPorts;
	}
	for (int i = 0; i < o.nPorts; i++) {
		if (ends_with(o.azPorts[i], ".geojson") || ends_with(o.azPorts[i], ".json"))
			rc = st_gazetteer_load_geojson(&g, o.azPorts[i], zErr, sizeof zErr);
		else
			rc = st_gazetteer_load_csv(&g, o.azPorts[i], zErr, sizeof zErr);
		if (rc != ST_OK) {
			fail(o.zCase, "ports", rc, zErr);
			goto done;
		}
		azRef[nRef++] = o.azPorts[i];
	}
	if ((rc = st_mid_load(pMid, zMidPath, zErr, sizeof zErr)) != ST_OK) {
		fail(o.zCase, "MID table", rc, zErr);
		goto done;
	}
	azRef[nRef++] = zMidPath;
	int nConcern = st_gazetteer_mark_concern(&g, o.p.ports_of_concern);
	if ((rc = st_gazetteer_index(&g, &o.p)) != ST_OK) {
		fail(o.zCase, "ports", rc, NULL);
		goto done;
	}

	if ((rc = st_store_open(&s, o.zCase, 0, zErr, sizeof zErr)) != ST_OK) {
		/* the store's message names the case already; the run cannot start */
		fprintf(stderr, "shiptrace analyze: %s\n", zErr);
		ret = 2;
		goto done;
	}
	load_ctx lc = {&m, 0, ST_OK};
	rc = st_store_read_positions(s, on_position, &lc, zErr, sizeof zErr);
	if (rc == ST_OK)
		rc = lc.rc;
	if (rc == ST_OK)
		rc = st_model_finish(&m);
	if (rc != ST_OK) {
		fail(o.zCase, "reading positions", rc, zErr);
		goto done;
	}
	rc = st_store_query(s,
	                    "SELECT id, mmsi, time, imo, name, callsign, ship_type, to_bow,"
	                    " to_stern, to_port, to_starboard FROM vessel_reports"
	                    " ORDER BY mmsi, time, id",
	                    on_report, &rep, zErr, sizeof zErr);
	if (rc == ST_OK && rep.oom)
		rc = ST_ENOMEM;
	if (rc != ST_OK) {
		fail(o.zCase, "reading vessel reports", rc, zErr);
		goto done;
	}
	st_time_ms tLoaded = now_ms();

	if ((rc = st_analyze(&m, &g, &o.p, &e)) != ST_OK ||
	    (rc = st_identity_history(rep.a, rep.aId, rep.n, &aIdent, &nIdent)) != ST_OK) {
		fail(o.zCase, "analysis", rc, NULL);
		goto done;
	}
	st_time_ms tAnalyzed = now_ms();

	w.s = s;
	w.m = &m;
	w.g = &g;
	w.e = &e;
	w.aSegId = malloc((e.nSeg ? e.nSeg : 1) * sizeof *w.aSegId);
	w.aCallId = malloc((e.nCall ? e.nCall : 1) * sizeof *w.aCallId);
	if (!w.aSegId || !w.aCallId) {
		fail(o.zCase, "writing", ST_ENOMEM, NULL);
		goto done;
	}
	if ((rc = ensure_flag_columns(s, zErr, sizeof zErr)) != ST_OK) {
		fail(o.zCase, "adding flag columns to vessels", rc, zErr);
		goto done;
	}
	if ((rc = st_store_begin(s)) != ST_OK) {
		fail(o.zCase, "writing", rc, st_store_errmsg(s));
		goto done;
	}
	char *zParams = st_params_json(&o.p);
	char *zInputs = inputs_json(s, azRef, nRef);
	if ((rc = write_segments(&w)) != ST_OK || (rc = write_calls(&w)) != ST_OK ||
	    (rc = write_voyages(&w)) != ST_OK || (rc = write_gaps(&w)) != ST_OK ||
	    (rc = write_encounters(&w)) != ST_OK || (rc = write_loitering(&w)) != ST_OK ||
	    (rc = write_identities(s, aIdent, nIdent)) != ST_OK ||
	    (rc = write_flags(s, pMid, zErr, sizeof zErr)) != ST_OK) {
		if (!zErr[0])
			snprintf(zErr, sizeof zErr, "%s", st_store_errmsg(s));
	} else {
		static const char *const azSpatial[] = {"segments", "port_calls", "gaps",
		                                        "encounters", "loitering"};
		for (size_t k = 0; k < 5 && rc == ST_OK; k++)
			rc = st_store_update_extent(s, azSpatial[k]);
		if (rc == ST_OK)
			rc = st_store_record_run(s, "analyze", tStart, now_ms(),
			                         zParams ? zParams : "{}", zInputs ? zInputs : "{}",
			                         NULL);
		if (rc == ST_OK)
			rc = st_store_commit(s);
		if (rc != ST_OK)
			snprintf(zErr, sizeof zErr, "%s", st_store_errmsg(s));
	}
	free(zParams);
	free(zInputs);
	if (rc != ST_OK) {
		st_store_rollback(s);
		fail(o.zCase, "writing results (nothing written)", rc, zErr);
		goto done;
	}
	if (!o.quiet) {
		printf("analyze %s: %zu positions of %zu vessels (%llu without time or position"
		       " skipped), %zu vessel reports; %d ports (%d of concern)\n",
		       o.zCase, m.nPos, m.nVessel, (unsigned long long)lc.nSkipped, rep.n,
		       g.nPort, nConcern);
		printf("  segments %zu, port_calls %zu, voyages %zu, gaps %zu, encounters %zu,"
		       " loitering %zu, vessel_identities %zu\n",
		       e.nSeg, e.nCall, e.nVoyage, e.nGap, e.nEnc, e.nLoiter, nIdent);
		printf("  load %.3f s, analysis %.3f s, write %.3f s\n",
		       (double)(tLoaded - tStart) / 1000.0, (double)(tAnalyzed - tLoaded) / 1000.0,
		       (double)(now_ms() - tAnalyzed) / 1000.0);
	}
	ret = 0;
done:
	free(w.aSegId);
	free(w.aCallId);
	free(w.aXY);
	free(aIdent);
	free(rep.a);
	free(rep.aId);
	st_events_free(&e);
	st_model_free(&m);
	if (s)
		st_store_close(s);
	st_gazetteer_free(&g);
	if (pMid) {
		st_mid_free(pMid);
		free(pMid);
	}
	return ret;
}

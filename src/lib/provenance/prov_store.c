/* Provenance inputs into the case store. Each file is one transaction:
 * its `sources` row, its rows, and its final counts commit together, or
 * nothing does. */
#include <stdio.h>
#include <string.h>
#include "shiptrace/prov_store.h"

static const st_column aRecCol[] = {
	{"record_id", ST_COL_TEXT}, {"time", ST_COL_TIME},
	{"origin", ST_COL_TEXT}, {"destination", ST_COL_TEXT},
	{"cargo_code", ST_COL_TEXT}, {"cargo_text", ST_COL_TEXT},
	{"tonnes", ST_COL_REAL}, {"consignor", ST_COL_TEXT},
	{"consignee", ST_COL_TEXT}, {"source_id", ST_COL_INT}, {"line", ST_COL_INT},
};
const st_table_def st_tab_records = {
	"records", "Shipment records (what left a port, when, where to)",
	aRecCol, (int)(sizeof aRecCol / sizeof aRecCol[0]), ST_GEOM_NONE};

static const st_column aPlaceCol[] = {
	{"name", ST_COL_TEXT}, {"aliases", ST_COL_TEXT}, {"kind", ST_COL_TEXT},
	{"country", ST_COL_TEXT}, {"lat", ST_COL_REAL}, {"lon", ST_COL_REAL},
	{"source_id", ST_COL_INT},
};
const st_table_def st_tab_places = {
	"places", "Named places: ports, stations, destination sites",
	aPlaceCol, (int)(sizeof aPlaceCol / sizeof aPlaceCol[0]), ST_GEOM_POINT};

static const st_column aFacCol[] = {
	{"name", ST_COL_TEXT}, {"aliases", ST_COL_TEXT}, {"kind", ST_COL_TEXT},
	{"country", ST_COL_TEXT}, {"lat", ST_COL_REAL}, {"lon", ST_COL_REAL},
	{"sanctioned", ST_COL_INT}, {"list_entry", ST_COL_TEXT},
	{"source_id", ST_COL_INT},
};
const st_table_def st_tab_facilities = {
	"facilities", "Facilities of interest (depots, arsenals, factories)",
	aFacCol, (int)(sizeof aFacCol / sizeof aFacCol[0]), ST_GEOM_POINT};

typedef struct rec_ctx {
	st_store *s;
	int64_t sourceId;
	st_status rc;
	st_ingest_reject_fn xReject;
	void *ctx;
} rec_ctx;

static int put_record(void *ctx, const st_shipment *r)
{
	rec_ctx *c = ctx;
	st_value v[11];
	memset(v, 0, sizeof v);
	v[0].z = r->zRecordId;
	v[1].t = r->t;
	v[2].z = r->zOrigin;
	v[3].z = r->zDestination;
	v[4].z = r->zCargoCode;
	v[5].z = r->zCargoText;
	v[6].r = r->tonnes;
	v[7].z = r->zConsignor;
	v[8].z = r->zConsignee;
	v[9].i = c->sourceId;
	v[10].i = (int64_t)r->line;
	c->rc = st_store_insert(c->s, &st_tab_records, v, NULL, NULL);
	return c->rc != ST_OK;
}

static void on_reject(void *ctx, const char *zFile, uint64_t line, const char *zWhy)
{
	rec_ctx *c = ctx;
	if (c->xReject)
		c->xReject(c->ctx, zFile, line, zWhy);
}

static st_status begin_file(st_store *s, const st_table_def *def,
                            st_source_info *src, int64_t *pId, char *zErr,
                            size_t nErr)
{
	st_status rc = st_store_begin(s);
	if (rc == ST_OK)
		rc = st_store_ensure_table(s, def);
	if (rc == ST_OK)
		rc = st_store_add_source(s, src, pId);
	if (rc != ST_OK) {
		snprintf(zErr, nErr, "%s: %s", src->zName, st_store_errmsg(s));
		st_store_rollback(s);
	}
	return rc;
}

static st_status end_file(st_store *s, const char *zTable, int isSpatial,
                          int64_t id, st_source_info *src, char *zErr, size_t nErr)
{
	st_status rc = st_store_set_source_counts(s, id, src);
	if (rc == ST_OK && isSpatial)
		rc = st_store_update_extent(s, zTable);
	if (rc == ST_OK)
		rc = st_store_commit(s);
	if (rc != ST_OK) {
		snprintf(zErr, nErr, "%s: %s (nothing of this file was kept)", src->zName,
		         st_store_errmsg(s));
		st_store_rollback(s);
	}
	return rc;
}

st_status st_prov_ingest_records(st_store *s, const char *zPath,
                                 const st_records_map *pMap, st_source_info *src,
                                 st_ingest_reject_fn xReject, void *ctx,
                                 int64_t *pSourceId, char *zErr, size_t nErr)
{
	int64_t id = 0;
	src->zKind = "records";
	/* a simulated file says so in its map; the mark follows it into the
	 * case, where the report labels everything as simulated */
	src->zFormat = pMap->simulated ? "records_csv (simulated)" : "records_csv";
	st_status rc = begin_file(s, &st_tab_records, src, &id, zErr, nErr);
	if (rc != ST_OK)
		return rc;
	rec_ctx c = {s, id, ST_OK, xReject, ctx};
	st_records_stats st;
	rc = st_records_read(zPath, pMap, put_record, on_reject, &c, &st, zErr, nErr);
	if (rc == ST_OK && c.rc != ST_OK) {
		rc = c.rc;
		snprintf(zErr, nErr, "%s: %s", zPath, st_store_errmsg(s));
	}
	if (rc != ST_OK) {
		st_store_rollback(s);
		return rc;
	}
	src->lines_read = st.lines;
	src->messages = st.records;
	memset(src->rejected, 0, sizeof src->rejected);
	src->rejected[ST_REJ_MALFORMED] = st.rejected;
	if (pSourceId)
		*pSourceId = id;
	return end_file(s, "records", 0, id, src, zErr, nErr);
}

typedef struct place_rej {
	st_ingest_reject_fn xReject;
	void *ctx;
} place_rej;

static void on_place_reject(void *ctx, const char *zFile, uint64_t line, const char *zWhy)
{
	place_rej *r = ctx;
	if (r->xReject)
		r->xReject(r->ctx, zFile, line, zWhy);
}

st_status st_prov_ingest_places(st_store *s, const char *zPath, int isFacilities,
                                st_source_info *src, st_ingest_reject_fn xReject,
                                void *ctx, int64_t *pSourceId, char *zErr,
                                size_t nErr)
{
	const st_table_def *def = isFacilities ? &st_tab_facilities : &st_tab_places;
	/* Parse first: place files are small, and a file that cannot be read
	 * at all must not open a transaction. */
	st_places *p = st_places_new();
	if (!p)
		return ST_ENOMEM;
	size_t nAdd = 0, nBad = 0;
	place_rej pr = {xReject, ctx};
	st_status rc = st_places_read(p, zPath, on_place_reject, &pr, &nAdd, &nBad, zErr, nErr);
	if (rc != ST_OK) {
		st_places_free(p);
		return rc;
	}
	int64_t id = 0;
	src->zKind = isFacilities ? "facilities" : "places";
	src->zFormat = strstr(zPath, "json") ? "geojson" : "csv";
	rc = begin_file(s, def, src, &id, zErr, nErr);
	if (rc != ST_OK) {
		st_places_free(p);
		return rc;
	}
	for (size_t i = 0; i < st_places_count(p) && rc == ST_OK; i++) {
		const st_place *pl = st_places_get(p, i);
		st_value v[9];
		memset(v, 0, sizeof v);
		double xy[2] = {pl->lon, pl->lat};
		st_geom g = {ST_GEOM_POINT, 1, xy};
		v[0].z = pl->zName;
		v[1].z = pl->zAliases;
		v[2].z = pl->zKind;
		v[3].z = pl->zCountry;
		v[4].r = pl->lat;
		v[5].r = pl->lon;
		if (isFacilities) {
			v[6].i = pl->sanctioned;
			v[7].z = pl->zListEntry;
			v[8].i = id;
		} else {
			v[6].i = id;
		}
		rc = st_store_insert(s, def, v, &g, NULL);
	}
	st_places_free(p);
	if (rc != ST_OK) {
		snprintf(zErr, nErr, "%s: %s", zPath, st_store_errmsg(s));
		st_store_rollback(s);
		return rc;
	}
	src->lines_read = nAdd + nBad;
	src->messages = nAdd;
	memset(src->rejected, 0, sizeof src->rejected);
	src->rejected[ST_REJ_MALFORMED] = nBad;
	if (pSourceId)
		*pSourceId = id;
	return end_file(s, def->zName, 1, id, src, zErr, nErr);
}

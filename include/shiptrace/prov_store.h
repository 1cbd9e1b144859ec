/* Loading the provenance inputs into a case: shipment records, places and
 * facilities each accumulate in their own table across ingests, with the
 * id of the `sources` row they came from. */
#ifndef SHIPTRACE_PROV_STORE_H
#define SHIPTRACE_PROV_STORE_H

#include "shiptrace/store.h"
#include "shiptrace/records.h"
#include "shiptrace/places.h"

extern const st_table_def st_tab_records;
extern const st_table_def st_tab_places;
extern const st_table_def st_tab_facilities;

typedef void (*st_ingest_reject_fn)(void *ctx, const char *zFile, uint64_t line,
                                    const char *zWhy);

/* Loads one records file (read through pMap) as one transaction; src
 * carries name, size and SHA-256, and gets the counts. On failure nothing
 * of the file is kept. */
st_status st_prov_ingest_records(st_store *s, const char *zPath,
                                 const st_records_map *pMap, st_source_info *src,
                                 st_ingest_reject_fn xReject, void *ctx,
                                 int64_t *pSourceId, char *zErr, size_t nErr);

/* Loads a places (isFacilities = 0) or facilities file, likewise. */
st_status st_prov_ingest_places(st_store *s, const char *zPath, int isFacilities,
                                st_source_info *src, st_ingest_reject_fn xReject,
                                void *ctx, int64_t *pSourceId, char *zErr,
                                size_t nErr);

#endif

/* Shipment records (rail or customs manifests) read through a column map:
 * real records come in Russian, with their own column names, Windows-1251
 * or UTF-8, local dates like "05.09.2023 14:30" and weights in kg or t.
 * The map (a JSON file) says which column is which and how to read it. */
#ifndef SHIPTRACE_RECORDS_H
#define SHIPTRACE_RECORDS_H

#include <stddef.h>
#include <stdint.h>
#include "shiptrace/status.h"
#include "shiptrace/record.h"

#define ST_MAP_FIELD 128

typedef struct st_records_map {
	/* column names in the file's header; "" when absent */
	char record_id[ST_MAP_FIELD], date[ST_MAP_FIELD];
	char origin[ST_MAP_FIELD], destination[ST_MAP_FIELD];
	char cargo_code[ST_MAP_FIELD], cargo_text[ST_MAP_FIELD];
	char weight[ST_MAP_FIELD], units[ST_MAP_FIELD];
	char consignor[ST_MAP_FIELD], consignee[ST_MAP_FIELD];
	char date_format[64]; /* strftime-style: %d %m %Y %y %H %M %S; "iso" */
	char timezone[64];    /* "+10:00", "UTC", or an IANA name */
	char weight_unit[8];  /* "kg" or "t" (a units column overrides) */
	char delimiter;
	char encoding[32];    /* "UTF-8", "WINDOWS-1251", ... (iconv names) */
	int header_lines;     /* lines of header; the last names the columns */
	int simulated;        /* the map says the file is simulated */
} st_records_map;

/* Reads a MAP.json. Unknown keys are an error (a typo must not silently
 * drop a column). */
st_status st_records_map_load(const char *zPath, st_records_map *m,
                              char *zErr, size_t nErr);

typedef struct st_shipment {
	uint64_t line;
	char zRecordId[64];
	st_time_ms t;         /* UTC */
	char zOrigin[128], zDestination[128];
	char zCargoCode[32], zCargoText[256];
	double tonnes;
	char zConsignor[128], zConsignee[128];
} st_shipment;

typedef int (*st_shipment_fn)(void *ctx, const st_shipment *s);
typedef void (*st_line_reject_fn)(void *ctx, const char *zFile, uint64_t line,
                                  const char *zWhy);

typedef struct st_records_stats {
	uint64_t lines, records, rejected, blank;
} st_records_stats;

/* Streams a records file: every data line becomes a shipment or a reject
 * with its reason. Returns a negative status (message in zErr) only when
 * the file cannot be read at all: missing, unknown encoding, no header,
 * header lacking a mapped column. */
st_status st_records_read(const char *zPath, const st_records_map *m,
                          st_shipment_fn xRow, st_line_reject_fn xReject,
                          void *ctx, st_records_stats *pStats, char *zErr,
                          size_t nErr);

/* Local civil time to UTC for a zone ("+10:00", "-03:30", "UTC", "Z" or an
 * IANA name looked up in the system tz database). */
st_status st_local_to_utc(int y, int mo, int d, int h, int mi, int s,
                          const char *zZone, st_time_ms *pOut);

/* Parses zText with a strftime-style format (%d %m %Y %y %H %M %S, other
 * characters literal, or "iso") into civil fields. */
st_status st_parse_date(const char *zText, const char *zFmt, int *y, int *mo,
                        int *d, int *h, int *mi, int *s);

#endif

/* Decoded AIS in CSV: NOAA MarineCadastre and Danish Maritime Authority
 * exports, recognised by their header, and any other layout through a
 * column mapping string (docs/formats.md). Fed one line at a time by the
 * reader, it turns each row into a position record and, when static
 * columns carry something, a static record; bad rows are rejected with a
 * reason and counted. Fields are split per RFC 4180, quoted line breaks
 * included (within a bound). */
#ifndef ST_CSV_CSV_H
#define ST_CSV_CSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "shiptrace/reader.h"

#define ST__CSV_MAX_FIELDS 64
#define ST__CSV_MAX_ROW 8192    /* bytes of a row spread over several lines */
#define ST__CSV_MAX_ROW_LINES 16

typedef struct st__csv st__csv;

/* What one fed line produced: records, or a rejection to report. */
typedef struct st__csv_out {
	int nRec;              /* 0, 1 (position) or 2 (position, static) */
	st_record aRec[2];
	st_reject why;         /* for a rejection */
	const char *zDetail;   /* static text: "latitude out of range", ... */
	uint64_t line;         /* first line of the rejected row */
	const char *zLine;     /* its text, valid until the next feed */
	size_t nLine;
} st__csv_out;

/* Which CSV layout a header line is, or ST_FMT_UNKNOWN. */
st_format st__csv_detect(const char *z, size_t n);

/* fmt is ST_FMT_NOAA_CSV, ST_FMT_DMA_CSV or ST_FMT_MAPPED_CSV (zMap then
 * required). A bad mapping gives ST_ECONFIG with a message in zErr. */
st_status st__csv_new(st__csv **pp, st_format fmt, const char *zMap,
                      char *zErr, size_t nErr);

/* True once the header has been read (or when the mapping says there is
 * none). */
bool st__csv_ready(const st__csv *p);

/* Feeds one line (no terminator). Returns ST_OK with out->nRec >= 1;
 * ST_EAGAIN when the line produced nothing (blank, header, part of a
 * quoted field spanning lines); ST_EMALFORMED or ST_EUNPARSEABLE for a
 * rejected row (out->why, zDetail, line, zLine); ST_EFORMAT when the header
 * lacks a needed column (message in zErr). Every line is counted once in
 * the statistics. */
st_status st__csv_feed(st__csv *p, const char *z, size_t n, uint64_t line,
                       st__csv_out *out, char *zErr, size_t nErr);

/* End of input: a row still waiting for its closing quote is rejected. */
st_status st__csv_finish(st__csv *p, st__csv_out *out);

/* Counts one line the caller rejected itself (too long) and so never fed. */
void st__csv_count_reject(st__csv *p, st_reject why);

const st_nmea_stats *st__csv_stats(const st__csv *p);
void st__csv_free(st__csv *p);

/* Exposed for tests and the fuzz target: splits a line into at most nMax
 * fields; quoted fields are unescaped into zScratch (at least n bytes).
 * Returns the field count, -1 when a quote is still open at the end, -2
 * for text after a closing quote, -3 for more than nMax fields. */
typedef struct st__csv_field {
	const char *z;
	size_t n;
} st__csv_field;
int st__csv_split(const char *z, size_t n, char delim, st__csv_field *aField,
                  int nMax, char *zScratch);

#endif

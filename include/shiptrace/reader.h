/* One interface over every AIS input shiptrace reads: NMEA 0183 (any
 * talker, tag blocks, $PGHP, USCG trailers), NOAA MarineCadastre CSV,
 * Danish Maritime Authority CSV, and other CSV layouts through a column
 * mapping; plain, gzip or zstd, detected by content; a file or stdin.
 * Readers stream: memory is bounded whatever the input size. */
#ifndef SHIPTRACE_READER_H
#define SHIPTRACE_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "shiptrace/status.h"
#include "shiptrace/record.h"
#include "shiptrace/nmea.h"

typedef enum {
	ST_FMT_UNKNOWN = 0,
	ST_FMT_NMEA,
	ST_FMT_NOAA_CSV,
	ST_FMT_DMA_CSV,
	ST_FMT_MAPPED_CSV
} st_format;

typedef enum { ST_COMP_NONE = 0, ST_COMP_GZIP, ST_COMP_ZSTD } st_compression;

const char *st_format_name(st_format f);           /* "nmea", "noaa_csv", ... */
const char *st_compression_name(st_compression c); /* "none", "gzip", "zstd" */

/* Called for every rejected line, so the user can see file, line and why. */
typedef void (*st_reject_fn)(void *ctx, const char *zFile, uint64_t line,
                             st_reject why, const char *zLine, size_t len);

typedef struct st_reader_opts {
	st_format force_format;  /* ST_FMT_UNKNOWN: detect */
	const char *csv_map;     /* "mmsi=ColA,time=ColB,lat=..,lon=..,..." for
	                            ST_FMT_MAPPED_CSV; see docs/formats.md */
	st_reject_fn on_reject;  /* may be NULL */
	void *reject_ctx;
	/* Called, when not NULL, just before the reader would wait for more
	 * input from a pipe, terminal or socket: the moment to flush output,
	 * so that a live feed is not held back by the caller's buffers. */
	void (*on_idle)(void *ctx);
	void *idle_ctx;
} st_reader_opts;

typedef struct st_reader_stats {
	st_nmea_stats nmea;      /* for CSV the same buckets: messages are
	                            accepted rows, sentences and msg_sentences
	                            the lines they took, meta_lines the header;
	                            either way, once reading has ended,
	                            lines == msg_sentences + meta_lines +
	                            blank_lines + sum(rejected) */
	uint64_t records;        /* st_record values returned */
	uint64_t untimed;        /* of those, with no receive time in the input */
	uint64_t bytes;          /* uncompressed bytes read */
} st_reader_stats;

typedef struct st_reader st_reader;

/* Opens zPath ("-" for stdin), detects compression and format.
 * On error returns a negative status and writes a message naming the file
 * (and line where there is one) into zErr. */
st_status st_reader_open(st_reader **ppReader, const char *zPath,
                         const st_reader_opts *opts, char *zErr, size_t nErr);

/* Next record. Returns ST_OK with *out filled, ST_ENOTFOUND at the end of
 * input, or a negative status on an I/O error (message in zErr). Lines that
 * are rejected do not stop reading: they are counted and reported. */
st_status st_reader_next(st_reader *r, st_record *out, char *zErr, size_t nErr);

/* The same over n bytes in memory (which must outlive the reader); zName
 * names the input in messages. For tests and fuzzing. */
st_status st_reader_open_mem(st_reader **ppReader, const void *p, size_t n,
                             const char *zName, const st_reader_opts *opts,
                             char *zErr, size_t nErr);

/* Why the row just rejected was rejected, in words ("latitude out of
 * range"), for the reject callback; NULL when there is nothing more to say
 * than the st_reject bucket. */
const char *st_reader_reject_detail(const st_reader *r);

/* The input's name in messages: the path, or "<stdin>". */
const char *st_reader_name(const st_reader *r);

/* Parses "nmea", "noaa", "dma", "csv" (a mapped layout); ST_FMT_UNKNOWN
 * for anything else. */
st_format st_format_from_name(const char *zName);

st_format st_reader_format(const st_reader *r);
st_compression st_reader_compression(const st_reader *r);
const st_reader_stats *st_reader_get_stats(const st_reader *r);
void st_reader_close(st_reader *r);

#endif

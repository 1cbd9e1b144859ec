/* Streaming NMEA 0183 AIS decoder: fed one line at a time, it verifies
 * checksums, reads tag blocks / $PGHP / USCG trailers / leading epochs for
 * the receive time and source, reassembles multi-sentence messages in a
 * bounded table, and hands the armoured payload to the AIS bit decoder.
 * It never allocates after st_nmea_new(). */
#ifndef SHIPTRACE_NMEA_H
#define SHIPTRACE_NMEA_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include "shiptrace/status.h"
#include "shiptrace/record.h"

struct st_ais_msg;

/* Why a line was rejected. Every line read ends up either as (part of) a
 * decoded message, as metadata for the next line, as an ignorable blank or
 * comment line, or in exactly one of these buckets. */
typedef enum {
	ST_REJ_BADSUM = 0,   /* NMEA or tag-block checksum mismatch */
	ST_REJ_MALFORMED,    /* AIS sentence with bad fields or payload */
	ST_REJ_ORPHAN,       /* fragment without its siblings, or out of order */
	ST_REJ_STALE,        /* fragment evicted/never completed */
	ST_REJ_NOTAIS,       /* valid NMEA that is not AIS (e.g. $GPGGA) */
	ST_REJ_UNPARSEABLE,  /* not NMEA at all */
	ST_REJ_TOOLONG,      /* longer than ST_NMEA_MAX_LINE */
	ST_REJ_COUNT
} st_reject;

const char *st_reject_name(st_reject r); /* "bad_checksum", ... */

#define ST_NMEA_MAX_LINE 1024

typedef struct st_nmea_stats {
	uint64_t lines;          /* lines fed */
	uint64_t sentences;      /* AIS sentences with a valid checksum */
	uint64_t messages;       /* complete messages decoded */
	uint64_t by_type[28];    /* messages by AIS type (1..27) */
	uint64_t meta_lines;     /* $PGHP and similar lines that only carry time */
	uint64_t blank_lines;    /* empty or comment ('#') lines */
	uint64_t rejected[ST_REJ_COUNT];
} st_nmea_stats;

/* Receive metadata for a decoded message. */
typedef struct st_nmea_meta {
	st_time_ms t;       /* receive time, ST_TIME_NONE when the input had none */
	char source[32];    /* tag block s:, USCG station, or "" */
	char talker[3];     /* "AI", "AB", ... */
	char channel;       /* 'A', 'B', or 0 */
	bool own;           /* VDO (own ship) rather than VDM */
	uint64_t line;      /* line number of the last sentence */
} st_nmea_meta;

typedef struct st_nmea st_nmea;

/* Allocates a decoder. Returns NULL when out of memory. */
st_nmea *st_nmea_new(void);
void st_nmea_free(st_nmea *dec);

/* Feeds one line (without or with its CR/LF). Returns ST_OK with *out and
 * *meta filled when a message completes; ST_EAGAIN when the line was
 * consumed without completing one (fragment held, metadata line, blank);
 * otherwise a negative status, and *reject says which bucket was counted. */
st_status st_nmea_feed(st_nmea *dec, const char *line, size_t len,
                       struct st_ais_msg *out, st_nmea_meta *meta,
                       st_reject *reject);

/* End of input: counts every fragment still held as stale. */
void st_nmea_finish(st_nmea *dec);

const st_nmea_stats *st_nmea_get_stats(const st_nmea *dec);

#endif

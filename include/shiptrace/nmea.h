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

/* Reassembly table: at most ST_NMEA_SLOTS multi-sentence messages are held
 * at once (the oldest is evicted as stale when a new one needs a slot); a
 * message not completed within ST_NMEA_STALE_LINES lines of its last
 * fragment is stale; its armoured payload may hold ST_NMEA_MAX_PAYLOAD
 * characters (1536 bits, above the 5-slot AIS maximum). */
#define ST_NMEA_SLOTS 64
#define ST_NMEA_STALE_LINES 1000
#define ST_NMEA_MAX_PAYLOAD 256

typedef struct st_nmea_stats {
	uint64_t lines;          /* lines fed */
	uint64_t sentences;      /* AIS sentences with a valid checksum */
	uint64_t messages;       /* complete messages decoded */
	uint64_t by_type[28];    /* messages by AIS type (1..27) */
	uint64_t meta_lines;     /* $PGHP and similar lines that only carry time */
	uint64_t blank_lines;    /* empty or comment ('#') lines */
	uint64_t rejected[ST_REJ_COUNT];
	uint64_t msg_sentences;  /* lines that are part of a decoded message */
	uint64_t held;           /* lines held in incomplete messages right now */
	uint64_t tagsum_tolerated; /* tag blocks accepted by the g: tolerance
	                              (docs/nmea.md); also in messages */
} st_nmea_stats;

/* Every line fed lands in exactly one bucket, at any moment:
 *   lines == msg_sentences + held + meta_lines + blank_lines + sum(rejected)
 * and after st_nmea_finish() held is zero. */

/* Receive metadata for a decoded message. */
typedef struct st_nmea_meta {
	st_time_ms t;       /* receive time, ST_TIME_NONE when the input had none */
	char source[32];    /* tag block s:, USCG station, or "" */
	char talker[3];     /* "AI", "AB", ... */
	char channel;       /* 'A', 'B', or 0 */
	bool own;           /* VDO (own ship) rather than VDM */
	uint64_t line;      /* line number of the last sentence */
	uint64_t first_line; /* line number of the first sentence */
	unsigned sentences; /* how many sentences made the message */
} st_nmea_meta;

typedef struct st_nmea st_nmea;

/* Allocates a decoder. Returns NULL when out of memory. */
st_nmea *st_nmea_new(void);
void st_nmea_free(st_nmea *dec);

/* Feeds one line (without or with its CR/LF). Returns ST_OK with *out and
 * *meta filled when a message completes; ST_EAGAIN when the line was
 * consumed without completing one (fragment held, metadata line, blank);
 * otherwise a negative status, and *reject says which bucket was counted.
 * The len bytes at line must be readable: a caller whose own buffer
 * overflowed passes what it has with any len > ST_NMEA_MAX_LINE + 2 to
 * get the line counted as too long. out, meta and reject may be NULL. */
st_status st_nmea_feed(st_nmea *dec, const char *line, size_t len,
                       struct st_ais_msg *out, st_nmea_meta *meta,
                       st_reject *reject);

/* End of input: counts every fragment still held as stale. */
void st_nmea_finish(st_nmea *dec);

/* Called once for every rejected line, including fragments that were held
 * and rejected later (orphaned, stale, or part of a message that failed to
 * decode): for those zLine is NULL and len 0, since their text is gone.
 * line is the 1-based number of the line among those fed. */
typedef void (*st_nmea_reject_fn)(void *ctx, uint64_t line, st_reject why,
                                  const char *zLine, size_t len);
void st_nmea_set_reject_fn(st_nmea *dec, st_nmea_reject_fn fn, void *ctx);

const st_nmea_stats *st_nmea_get_stats(const st_nmea *dec);

#endif

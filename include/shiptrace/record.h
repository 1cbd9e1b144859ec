/* The normalised records every reader produces, whatever the input format:
 * position reports and static/voyage reports in human units. These are what
 * the case store ingests and the analysis stages read. The raw decoded AIS
 * message (wire units) travels alongside when the input was NMEA. */
#ifndef SHIPTRACE_RECORD_H
#define SHIPTRACE_RECORD_H

#include <stdint.h>

/* Milliseconds since 1970-01-01T00:00:00Z. */
typedef int64_t st_time_ms;
#define ST_TIME_NONE INT64_MIN

struct st_ais_msg;

typedef enum {
	ST_REC_POSITION = 1, /* types 1,2,3,4(base),9,11,18,19,21,27; CSV rows */
	ST_REC_STATIC = 2,   /* types 5, 19 (identity part), 24; CSV static cols */
	ST_REC_OTHER = 3     /* any other decoded message */
} st_rec_kind;

typedef struct st_position {
	uint32_t mmsi;
	st_time_ms t;      /* receive time, or ST_TIME_NONE */
	double lat, lon;   /* degrees WGS84; NAN when not available */
	float sog;         /* knots; NAN when not available */
	float cog;         /* degrees true; NAN when not available */
	int16_t heading;   /* 0..359; -1 when not available */
	int8_t nav_status; /* 0..15 as ITU-R M.1371; -1 when not given */
	uint8_t msg_type;  /* AIS message type; 0 when from a decoded CSV */
	char cls;          /* 'A', 'B', or 0 when unknown */
} st_position;

typedef struct st_static_report {
	uint32_t mmsi;
	st_time_ms t;
	uint32_t imo;             /* 0 when not given */
	char name[32];            /* trimmed of '@' and spaces; "" if none */
	char callsign[16];
	char destination[32];
	int ship_type;            /* 0..99; -1 when not given */
	int to_bow, to_stern;     /* metres; -1 when not given */
	int to_port, to_starboard;
	float draught;            /* metres; NAN when not given */
	int eta_month, eta_day;   /* 0 when not given (ITU convention) */
	int eta_hour, eta_minute; /* 24 / 60 when not given */
	uint8_t msg_type;
	int8_t part;              /* type 24: 0 = A, 1 = B; -1 otherwise */
} st_static_report;

typedef struct st_record {
	st_rec_kind kind;
	union {
		st_position pos;
		st_static_report stat;
	};
	uint32_t mmsi;                 /* always set */
	st_time_ms t;                  /* always set (may be ST_TIME_NONE) */
	const char *source;            /* tag-block/station source or NULL */
	const struct st_ais_msg *ais;  /* raw message when from NMEA, else NULL;
	                                  valid until the next read */
	uint64_t line;                 /* input line number it completed on */
} st_record;

#endif

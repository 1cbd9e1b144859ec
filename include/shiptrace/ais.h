/* AIS messages (ITU-R M.1371) in raw wire units, as gpsd keeps them: every
 * field is the integer sent over the air, and its "not available" value is
 * defined beside it. Units are converted only at the edges (JSON --scaled,
 * st_ais_to_record). Field names follow gpsd's AIS JSON. */
#ifndef SHIPTRACE_AIS_H
#define SHIPTRACE_AIS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "shiptrace/status.h"
#include "shiptrace/record.h"

/* Positions in 1/10000 minute (types 1-3, 4, 9, 11, 18, 19, 21). */
#define ST_AIS_LON_NA 0x6791AC0 /* 181 degrees */
#define ST_AIS_LAT_NA 0x3412140 /* 91 degrees */
/* Positions in 1/10 minute (types 17, 22, 23, 27). */
#define ST_AIS_LON10_NA 0x1a838 /* 181 degrees */
#define ST_AIS_LAT10_NA 0xd548  /* 91 degrees */
#define ST_AIS_SPEED_NA 1023    /* 1/10 knot */
#define ST_AIS_COURSE_NA 3600   /* 1/10 degree */
#define ST_AIS_HEADING_NA 511
#define ST_AIS_SECOND_NA 60
#define ST_AIS_TURN_NA (-128)
#define ST_AIS_STATUS_NA 15
#define ST_AIS_SPEED27_NA 63    /* type 27: knots */
#define ST_AIS_COURSE27_NA 511  /* type 27: degrees */
#define ST_AIS_ALT_NA 4095      /* type 9: metres */
#define ST_AIS_SPEED9_NA 1023   /* type 9: knots */

#define ST_AIS_MAX_BITS 1192    /* 5 sentences' worth of payload, rounded */
#define ST_AIS_MAX_BYTES (ST_AIS_MAX_BITS / 8)

typedef struct st_ais_msg {
	unsigned type;      /* 1..27 */
	unsigned repeat;
	uint32_t mmsi;
	union {
		struct { /* 1, 2, 3: class A position report */
			unsigned status;
			int turn;           /* raw ROT_AIS, -128 n/a */
			unsigned speed;     /* 1/10 knot */
			bool accuracy;
			int lon, lat;       /* 1/10000 minute */
			unsigned course;    /* 1/10 degree */
			unsigned heading;
			unsigned second;
			unsigned maneuver;
			unsigned spare;
			bool raim;
			uint32_t radio;
		} type1;
		struct { /* 4, 11: base station report / UTC date response */
			unsigned year, month, day, hour, minute, second;
			bool accuracy;
			int lon, lat;
			unsigned epfd;
			bool raim;
			uint32_t radio;
		} type4;
		struct { /* 5: static and voyage data */
			unsigned ais_version;
			uint32_t imo;
			char callsign[8];
			char shipname[21];
			unsigned shiptype;
			unsigned to_bow, to_stern, to_port, to_starboard;
			unsigned epfd;
			unsigned month, day, hour, minute;
			unsigned draught;   /* 1/10 m */
			char destination[21];
			unsigned dte;
		} type5;
		struct { /* 6: binary addressed */
			unsigned seqno;
			uint32_t dest_mmsi;
			bool retransmit;
			unsigned dac, fid;
			size_t bitcount;
			uint8_t bitdata[ST_AIS_MAX_BYTES];
		} type6;
		struct { /* 7, 13: binary / safety acknowledge */
			uint32_t mmsi1, mmsi2, mmsi3, mmsi4;
			unsigned seqno1, seqno2, seqno3, seqno4;
			unsigned count;     /* how many destinations present */
		} type7;
		struct { /* 8: binary broadcast */
			unsigned dac, fid;
			size_t bitcount;
			uint8_t bitdata[ST_AIS_MAX_BYTES];
		} type8;
		struct { /* 9: SAR aircraft position */
			unsigned alt;       /* metres, 4095 n/a */
			unsigned speed;     /* knots, 1023 n/a */
			bool accuracy;
			int lon, lat;
			unsigned course;
			unsigned second;
			unsigned regional;
			unsigned dte;
			bool assigned, raim;
			uint32_t radio;
		} type9;
		struct { /* 10: UTC/date inquiry */
			uint32_t dest_mmsi;
		} type10;
		struct { /* 12: addressed safety message */
			unsigned seqno;
			uint32_t dest_mmsi;
			bool retransmit;
			char text[162];
		} type12;
		struct { /* 14: safety broadcast */
			char text[162];
		} type14;
		struct { /* 15: interrogation */
			uint32_t mmsi1;
			unsigned type1_1, offset1_1, type1_2, offset1_2;
			uint32_t mmsi2;
			unsigned type2_1, offset2_1;
		} type15;
		struct { /* 16: assigned mode command */
			uint32_t mmsi1;
			unsigned offset1, increment1;
			uint32_t mmsi2;
			unsigned offset2, increment2;
		} type16;
		struct { /* 17: DGNSS broadcast */
			int lon, lat;       /* 1/10 minute */
			size_t bitcount;
			uint8_t bitdata[ST_AIS_MAX_BYTES];
		} type17;
		struct { /* 18: class B position report */
			unsigned reserved;
			unsigned speed;
			bool accuracy;
			int lon, lat;
			unsigned course;
			unsigned heading;
			unsigned second;
			unsigned regional;
			bool cs, display, dsc, band, msg22, assigned, raim;
			uint32_t radio;
		} type18;
		struct { /* 19: extended class B position report */
			unsigned reserved;
			unsigned speed;
			bool accuracy;
			int lon, lat;
			unsigned course;
			unsigned heading;
			unsigned second;
			unsigned regional;
			char shipname[21];
			unsigned shiptype;
			unsigned to_bow, to_stern, to_port, to_starboard;
			unsigned epfd;
			bool raim;
			unsigned dte;
			bool assigned;
		} type19;
		struct { /* 20: data link management */
			unsigned offset1, number1, timeout1, increment1;
			unsigned offset2, number2, timeout2, increment2;
			unsigned offset3, number3, timeout3, increment3;
			unsigned offset4, number4, timeout4, increment4;
			unsigned count;     /* how many slot blocks present */
		} type20;
		struct { /* 21: aid-to-navigation report */
			unsigned aid_type;
			char name[35];      /* name + name extension */
			bool accuracy;
			int lon, lat;
			unsigned to_bow, to_stern, to_port, to_starboard;
			unsigned epfd;
			unsigned second;
			bool off_position;
			unsigned regional;
			bool raim, virtual_aid, assigned;
		} type21;
		struct { /* 22: channel management */
			unsigned channel_a, channel_b;
			unsigned txrx;
			bool power;
			bool addressed;
			int ne_lon, ne_lat, sw_lon, sw_lat; /* 1/10 minute */
			uint32_t dest1, dest2;
			bool band_a, band_b;
			unsigned zonesize;
		} type22;
		struct { /* 23: group assignment command */
			int ne_lon, ne_lat, sw_lon, sw_lat; /* 1/10 minute */
			unsigned stationtype;
			unsigned shiptype;
			unsigned txrx;
			unsigned interval;
			unsigned quiet;
		} type23;
		struct { /* 24: class B static data, part A (0) or B (1) */
			unsigned part;
			char shipname[21];  /* part A (part B: "" unless a caller
			                       merged the matching part A in) */
			unsigned shiptype;  /* part B from here */
			char vendorid[8];   /* 7 chars (pre M.1371-4 form) */
			unsigned model;
			uint32_t serial;
			char callsign[8];
			unsigned to_bow, to_stern, to_port, to_starboard;
			uint32_t mothership_mmsi; /* auxiliary craft (MMSI 98xxxxxxx) */
		} type24;
		struct { /* 25, 26: single/multiple slot binary message */
			bool addressed, structured;
			uint32_t dest_mmsi;
			unsigned app_id;    /* dac << 6 | fid, when structured */
			size_t bitcount;
			uint8_t bitdata[ST_AIS_MAX_BYTES];
			uint32_t radio;     /* 26 only */
		} type25;
		struct { /* 27: long-range position report */
			bool accuracy, raim;
			unsigned status;
			int lon, lat;       /* 1/10 minute */
			unsigned speed;     /* knots */
			unsigned course;    /* degrees */
			bool gnss;
		} type27;
	};
} st_ais_msg;

/* Decodes an armoured payload (the 6-bit ASCII of one complete message,
 * nChar characters, fill bits in the last one). Returns ST_OK, or
 * ST_EMALFORMED for a bad character, an unknown type or a payload too short
 * for its type. Never allocates. */
st_status st_ais_decode(const char *zPayload, size_t nChar, unsigned fill,
                        st_ais_msg *out);

/* Normalises a decoded message into a record (human units, NANs for "not
 * available"). Position types (1-3, 4, 9, 11, 18, 19, 21, 27) give
 * ST_REC_POSITION, types 5 and 24 ST_REC_STATIC, any other ST_REC_OTHER
 * (only the common members set). out->ais points at m; out->source and
 * out->line are cleared for the caller to set. Returns the record kind. */
st_rec_kind st_ais_to_record(const st_ais_msg *m, st_time_ms t, st_record *out);

/* The identity/voyage part of a message as a static report: types 5, 24
 * and also 19, whose st_ais_to_record gives its position. Returns
 * ST_REC_STATIC, or ST_REC_OTHER (out untouched) for any other type. */
st_rec_kind st_ais_to_static(const st_ais_msg *m, st_time_ms t, st_record *out);

/* Writes one JSON object in gpsd's AIS JSON conventions (class "AIS",
 * field names, unscaled like `gpsdecode -u -j` unless scaled), adding
 * "rxtime" and "source" at the end when known. No newline; the output is
 * NUL-terminated. Returns bytes written (without the NUL), or -1 if the
 * buffer is too small (any buffer of ST_AIS_JSON_MAX bytes plus six per byte
 * of device and source is enough). A type 24 part B whose shipname the
 * caller filled in from the matching part A prints as gpsd's merged report.
 * opts may be NULL; otherwise an rxtime of ST_TIME_NONE omits the member,
 * or with mark_untimed writes "rxtime":null, so a message without a
 * receive time says so (what `shiptrace decode` prints). */
#define ST_AIS_JSON_MAX 2200
typedef struct st_ais_json_opts {
	bool scaled;
	st_time_ms rxtime;      /* ST_TIME_NONE: none (see mark_untimed) */
	const char *source;     /* NULL or "": omitted */
	const char *device;     /* gpsd's "device" member; NULL omitted */
	bool mark_untimed;      /* write "rxtime":null when there is none */
} st_ais_json_opts;
int st_ais_json(const st_ais_msg *m, const st_ais_json_opts *opts, char *buf,
                size_t n);

/* Type 24 parts A and B arrive as separate messages. gpsd keeps the last
 * few part A names and completes a matching part B with it; gpsdecode
 * without -s prints only such merged reports. The caller owns the cache
 * (zero-initialise it; no allocation). A part A is remembered; a part B
 * whose MMSI matches a remembered part A gets its shipname (the entry is
 * then forgotten, so a repeated B does not match twice) and true is
 * returned. Any other message is left alone. */
#define ST_AIS_TYPE24_SLOTS 8
typedef struct st_ais_type24_cache {
	uint32_t aMmsi[ST_AIS_TYPE24_SLOTS];
	char azName[ST_AIS_TYPE24_SLOTS][21];
	unsigned iNext;
} st_ais_type24_cache;
bool st_ais_type24_merge(st_ais_type24_cache *pCache, st_ais_msg *m);

/* Encodes a message back to an armoured payload (for the simulator and for
 * round-trip tests). *pFill gets the fill bits. Returns ST_OK, or
 * ST_EUNSUPPORTED for a type the encoder does not write. */
st_status st_ais_encode(const st_ais_msg *m, char *zOut, size_t nOut,
                        size_t *pnChar, unsigned *pFill);

#endif

/* The case simulator: from a JSON scenario it writes AIS as NMEA (encoded by
 * shiptrace itself), Russian shipment records with the map that reads them,
 * places and facilities files, and the ground truth that every analysis
 * stage can be measured against. Output is streamed: the AIS of any number
 * of vessels is merged in time order from per-vessel generators, so the
 * size of a run is bounded by disk, not memory. Everything it writes is
 * labelled SIMULATED. The scenario format is documented in docs/simulator.md.
 *
 * Also here, because the simulator is their first user: a small seeded
 * random number generator (xoshiro256** seeded through splitmix64, so runs
 * do not depend on the C library's rand()) and an NMEA sentence writer. */
#ifndef SHIPTRACE_SIM_H
#define SHIPTRACE_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "shiptrace/status.h"
#include "shiptrace/record.h"

/* ---- random numbers ---------------------------------------------------- */

typedef struct st_rng {
	uint64_t s[4];
} st_rng;

/* Seeds the state from one 64-bit value (any value, zero included). */
void st_rng_seed(st_rng *r, uint64_t seed);
uint64_t st_rng_next(st_rng *r);
/* Uniform in [0, 1). */
double st_rng_uniform(st_rng *r);
/* Uniform in [lo, hi). */
double st_rng_range(st_rng *r, double lo, double hi);
/* Uniform integer in [0, n); n > 0. */
uint64_t st_rng_below(st_rng *r, uint64_t n);
/* Standard normal (Box-Muller; consumes two draws). */
double st_rng_normal(st_rng *r);

/* ---- NMEA sentence writer ---------------------------------------------- */

#define ST_NMEA_OUT_MAX_PAYLOAD 60 /* characters per fragment */

/* Sequence state of one output stream. The caller owns it; zero it or call
 * st_nmea_out_init before the first message. */
typedef struct st_nmea_out {
	char talker[3];     /* "AI" by default */
	unsigned nextSeq;   /* sequential message id of the next multi-part (0-9) */
	unsigned nextGroup; /* tag-block group id of the next multi-part (1-9999) */
} st_nmea_out;

void st_nmea_out_init(st_nmea_out *w, const char *zTalker);

/* XOR of the bytes of z[0..n), the NMEA and tag-block checksum. */
unsigned st_nmea_checksum(const char *z, size_t n);

/* Formats one armoured message (from st_ais_encode) as !xxVDM sentences,
 * one per line ending in CR LF, split into fragments of at most 60 payload
 * characters. When t is not ST_TIME_NONE each sentence carries an IEC
 * 61162-450 tag block `\c:<unix seconds>,s:<source>*hh\`, with a g: group
 * field on multi-sentence messages. channel is 'A', 'B' or 0 (empty).
 * Returns the bytes written (NUL-terminated), or -1 if buf is too small. */
int st_nmea_out_format(st_nmea_out *w, const char *zPayload, size_t nChar,
                       unsigned fill, char channel, st_time_ms t,
                       const char *zSource, char *buf, size_t n);

/* ---- the simulator ------------------------------------------------------ */

typedef struct st_sim_opts {
	const char *zOutDir;  /* created if missing */
	uint64_t seed;        /* used when seedSet, else the scenario's "seed" */
	bool seedSet;
	double scale;         /* multiplies background vessel counts; 1 = as written */
	bool itu;             /* force true ITU-R M.1371 reporting intervals */
	bool noTruthDetail;   /* omit background vessels' visits from ground truth */
} st_sim_opts;

typedef struct st_sim_stats {
	uint64_t nVessel;
	uint64_t nPosition;    /* position reports received and written */
	uint64_t nStatic;      /* static reports (type 5, 24 A/B) written */
	uint64_t nSentence;    /* NMEA lines written */
	uint64_t nDark;        /* reports not sent: transmitter switched off */
	uint64_t nLost;        /* reports sent but not received (range, loss, outage) */
	uint64_t nDelivery;    /* shuttle deliveries */
	uint64_t nDeliveryDark;/* of which the port-of-concern call was dark */
	uint64_t nRecord;      /* shipment records written */
	uint64_t nExplosive;   /* of which explosives */
	uint64_t nUnexplained; /* explosives records no arrival explains */
	double explosivesKg;
	unsigned nSite;
} st_sim_stats;

/* Runs the scenario file zScenario into opts->zOutDir. On failure returns a
 * negative status and writes a message naming the file (and line, for a
 * JSON syntax error) into zErr. */
st_status st_sim_run(const char *zScenario, const st_sim_opts *opts,
                     st_sim_stats *pStats, char *zErr, size_t nErr);

#endif

/* Cargo provenance: tie shipment records that leave a port to the
 * qualifying vessel arrivals before them (the C4ADS / Washington Post
 * method), with a confidence per attribution, per-month accounting, a
 * permutation test of whether the timing could be chance, and quantity
 * estimates. Pure functions over arrays the caller owns: no I/O, no
 * globals, so the engine is tested with made-up cases and reused by the
 * `trace` command, the report and benchmarks alike. */
#ifndef SHIPTRACE_PROVENANCE_H
#define SHIPTRACE_PROVENANCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "shiptrace/status.h"
#include "shiptrace/record.h"

#define ST_PROV_MAX_COUNTRIES 32

typedef enum {
	ST_CONF_NONE = 0,
	ST_CONF_LOW = 1,    /* only the timing links record and arrival */
	ST_CONF_MEDIUM = 2, /* a dark gap on the voyage could hide a call at a
	                       port of concern */
	ST_CONF_HIGH = 3    /* the vessel was seen at a port of concern on the
	                       voyage that ended with this arrival */
} st_confidence;

const char *st_confidence_name(st_confidence c); /* "low", "medium", ... */

/* A vessel arrival at one of the origin ports (a port call), with what the
 * behaviour stage knows of the voyage that ended there. */
typedef struct st_prov_arrival {
	int64_t id;             /* port call id: the evidence */
	int64_t voyage_id;      /* voyage ending here, or -1 */
	int64_t poc_call_id;    /* port-of-concern call seen on that voyage, or -1 */
	int64_t poc_gap_id;     /* dark gap that could hide one, or -1 */
	uint32_t mmsi;
	uint32_t imo;           /* 0 unknown */
	int port;               /* index of the origin port */
	st_time_ms t;           /* arrival time, UTC */
	int ship_type;          /* AIS ship type 0..99, -1 unknown */
	char last_country[3];   /* ISO 3166 alpha-2 of the previous port of call,
	                           "" unknown */
} st_prov_arrival;

/* A shipment record leaving a port. */
typedef struct st_prov_record {
	int64_t id;             /* records table id: the evidence */
	int port;               /* origin port index, -1 when not an origin port */
	st_time_ms t;           /* departure, UTC */
	bool selected;          /* matched the cargo pattern */
	double tonnes;
	int site;               /* destination site index, -1 unresolved */
} st_prov_record;

typedef struct st_prov_params {
	double window_days;     /* a record may leave this long after an
	                           arrival and still be attributed to it */
	bool require_cargo_capable; /* drop tankers, fishing, passenger, tugs */
	bool require_poc;       /* keep only voyages with a port-of-concern
	                           call, seen or possible within a gap */
	int nExclude;           /* drop arrivals whose previous port of call
	                           was in one of these countries */
	char aExclude[ST_PROV_MAX_COUNTRIES][3];
	int permutations;       /* time shifts in the permutation test */
	uint64_t seed;          /* for the shifts */
	double shell_kg;        /* mass per round including packaging */
	double container_t;     /* cargo tonnes per container */
	/* Used by the trace stage, not by the engine: */
	char zOriginPorts[512]; /* names whose outbound records are examined */
	char zCargoMatch[512];  /* '|'-separated terms over code and text */
	char zCargoLabel[64];   /* how findings name the cargo */
	double facility_radius_km; /* a site this close to a facility is "near" */
} st_prov_params;

/* Defaults from the case (see docs/provenance.md for each source). */
void st_prov_params_default(st_prov_params *p);

/* Sets one parameter from "key" and a text value (for --set and config
 * files); countries as "JP,KR,TW,CN". Returns ST_ECONFIG and a message for
 * an unknown key or a bad value. */
st_status st_prov_params_set(st_prov_params *p, const char *zKey,
                             const char *zVal, char *zErr, size_t nErr);

/* Whether an AIS ship type can carry containerised or general cargo
 * (cargo 70-79, and unknown types 0 / -1 are kept since a dark shuttle
 * often sends no static data; tankers, fishing, passenger, tugs,
 * pilot, SAR, law enforcement and pleasure craft cannot). */
bool st_prov_cargo_capable(int ship_type);

/* Why an arrival does not qualify, or NULL when it does. */
const char *st_prov_disqualify(const st_prov_arrival *a, const st_prov_params *p);

/* Confidence the voyage gives an attribution to this arrival. */
st_confidence st_prov_confidence(const st_prov_arrival *a);

typedef struct st_prov_attr {
	size_t iRecord;         /* index into the records */
	size_t iArrival;        /* index into the arrivals */
	double lag_days;        /* record time minus arrival time */
	st_confidence conf;
	int nCandidate;         /* qualifying arrivals at that port in the window */
} st_prov_attr;

/* Attributes every selected record at an origin port to the qualifying
 * arrival at that port that precedes it most closely within the window
 * (0 <= lag <= window). Ties: when several vessels are in the window the
 * latest arrival wins, equal times go to the higher confidence, then the
 * lower MMSI; nCandidate says how many there were. aOut must hold nRec
 * entries; *pnOut gets how many were written, in record order. */
st_status st_prov_attribute(const st_prov_arrival *aArr, size_t nArr,
                            const st_prov_record *aRec, size_t nRec,
                            const st_prov_params *p, st_prov_attr *aOut,
                            size_t *pnOut);

/* Permutation test: shifts the qualifying arrival series of every origin
 * port circularly in time by the same random offset (at least one window
 * and at most the study span minus one window), p->permutations times, and
 * counts shifts that explain as much selected tonnage as the unshifted
 * series. Coverage is computed on hourly bins. */
typedef struct st_prov_perm {
	double real_tonnes;     /* explained by the unshifted series */
	double mean_tonnes;     /* mean over shifts */
	int nShift;
	int nAtLeast;           /* shifts explaining >= real_tonnes */
	double p_value;         /* (1 + nAtLeast) / (1 + nShift) */
} st_prov_perm;

st_status st_prov_permutation(const st_prov_arrival *aArr, size_t nArr,
                              const st_prov_record *aRec, size_t nRec,
                              const st_prov_params *p, st_prov_perm *out);

/* Histogram of lags from each selected record to the most recent
 * qualifying arrival at its port, in days: aBin[k] counts lags in
 * [k, k+1) days for k < nBin; lags >= nBin days and records with no
 * arrival before them go to *pnBeyond. */
void st_prov_lag_histogram(const st_prov_arrival *aArr, size_t nArr,
                           const st_prov_record *aRec, size_t nRec,
                           const st_prov_params *p, int *aBin, int nBin,
                           int *pnBeyond);

/* One row of the monthly accounting. Every month between the first and
 * the last event appears, so a month with no arrivals and no records is
 * visible as such. */
typedef struct st_prov_month {
	int year, month;
	int port;
	int nArrival;           /* qualifying arrivals */
	int nRecord;            /* selected records */
	double tonnes_attributed;
	double tonnes_unattributed;
} st_prov_month;

/* Fills *paOut (malloc'd, caller frees) with nPort * months rows. */
st_status st_prov_monthly(const st_prov_arrival *aArr, size_t nArr,
                          const st_prov_record *aRec, size_t nRec,
                          const st_prov_attr *aAttr, size_t nAttr,
                          int nPort, const st_prov_params *p,
                          st_prov_month **paOut, size_t *pnOut);

/* Quantity estimates from tonnes. */
double st_prov_shells(const st_prov_params *p, double tonnes);
double st_prov_containers(const st_prov_params *p, double tonnes);

#endif

/* Shared internals of the simulator (src/lib/sim): the scenario as parsed,
 * the vessels' planned itineraries, and the shipment records, passed from
 * the planner (plan.c) to the writers (ais_out.c, files.c). */
#ifndef SHIPTRACE_SIM_INT_H
#define SHIPTRACE_SIM_INT_H

#include <cjson/cJSON.h>
#include "shiptrace/sim.h"

#define SIM_MAX_VIA 12

typedef struct sim_port {
	char zId[16];
	char zName[64];      /* Latin name used in reports and places.csv */
	char zRu[64];        /* Russian name (records use it for Russian ports) */
	char zAliases[256];  /* '|' separated */
	char zCountry[4];
	char zKind[16];      /* "port", "site", "station" */
	char zNote[160];
	double lat, lon;
	int iFacility;       /* sites: facility of interest nearby, or -1 */
	double weight;       /* sites: share of explosives records */
	int minRecords;      /* sites: at least this many explosives records */
} sim_port;

typedef struct sim_lane {
	int iFrom, iTo;
	int nVia;
	double aVia[SIM_MAX_VIA][2]; /* lat, lon from iFrom towards iTo */
} sim_lane;

typedef struct sim_facility {
	char zName[128];
	char zKind[48];
	double lat, lon;
	bool sanctioned;
	char zListEntry[160];
	char zNote[160];
} sim_facility;

typedef struct sim_receiver {
	char zName[32];
	double lat, lon, rangeKm; /* rangeKm 0: hears everything (satellite) */
	double loss;              /* chance a report in range is lost */
	st_time_ms (*aOut)[2];    /* outage windows, sorted */
	int nOut;
} sim_receiver;

enum { STOP_PORT = 1, STOP_SEA = 2, STOP_MEET = 3 };

typedef struct sim_stop {
	double lat, lon;         /* where the vessel lies (berth, fishing centre) */
	st_time_ms tArr, tDep;
	int iPort;               /* -1 at sea */
	uint8_t kind;
	uint8_t status;          /* navigational status while there */
	bool dark;               /* transmitter off for the whole stay */
	int iDelivery;           /* shuttle delivery this stop belongs to, or -1 */
	unsigned heading;
	uint64_t nSeen;          /* reports received while there */
} sim_stop;

typedef struct sim_dark {
	st_time_ms t0, t1;
	char zWhy[32];
} sim_dark;

typedef struct sim_vessel {
	char zId[48];            /* scenario id; "#k" appended for copies */
	char zName[24];
	char zRole[16];          /* shuttle, container, tanker, fishing, ... */
	uint32_t mmsi, imo;
	char zCall[8];
	char zFlag[4];
	unsigned shiptype;
	char zOfacType[48];
	char cls;                /* 'A' or 'B' */
	unsigned bow, stern, port, stbd;
	double speedKn;
	unsigned posType;        /* 1 or 3 for class A */
	bool background;         /* from the "background" list */
	bool mmsiPlaceholder;
	bool invented;           /* identity invented (all background) */
	char zDestOverride[21];  /* reported destination, e.g. to hide a call */
	sim_stop *aStop;
	int nStop, nAlloc;
	sim_dark *aDark;
	int nDark, nDarkAlloc;
	/* emission state */
	st_rng rng;
	int iStop;
	int iLeg;                /* leg whose path is cached, -1 none */
	int nPath;
	double aPath[SIM_MAX_VIA + 2][2];
	double aCum[SIM_MAX_VIA + 2]; /* cumulative km along the path */
	st_time_ms tNextPos, tNextStatic;
	uint64_t nSent, nReceived;
} sim_vessel;

typedef struct sim_delivery {
	int iVessel;
	int iStopOrigin;         /* stop at the port of concern */
	int iStopArrival;        /* stop at the Russian port */
	bool dark;
} sim_delivery;

typedef struct sim_encounter {
	int iA, iB;
	int iStopA, iStopB;
	double lat, lon;
	st_time_ms t0, t1;       /* true overlap */
} sim_encounter;

typedef struct sim_cargo {
	char zCode[16];
	char zText[128];
	double tLo, tHi;         /* tonnes per record */
	double weight;
} sim_cargo;

typedef struct sim_record {
	st_time_ms t;            /* departure, UTC */
	int iOrigin, iDest;      /* ports[] */
	int iCargo;              /* explosives cargo list or other list */
	bool explosive;
	int iDelivery;           /* -1 when no arrival explains it */
	int64_t kg;
	int nWagon;
	int iConsignor, iConsignee;
	char zId[24];
} sim_record;

typedef struct sim {
	cJSON *pRoot;
	const char *zScenario;
	char zName[64];
	uint64_t seed;
	double scale;
	st_time_ms tStart, tEnd;
	/* reporting */
	bool itu;
	int underwayS, mooredS, bUnderwayS, bSlowS, staticS;
	double noiseM;
	double berthM;
	/* world */
	sim_port *aPort; int nPort;
	sim_lane *aLane; int nLane;
	sim_facility *aFac; int nFac;
	sim_receiver *aRx; int nRx;
	sim_vessel *aVessel; int nVessel, nVesselAlloc;
	sim_delivery *aDel; int nDel;
	sim_encounter *aEnc; int nEnc;
	sim_cargo *aExplo; int nExplo;
	sim_cargo *aOther; int nOther;
	sim_record *aRec; int nRec, nRecAlloc;
	int iPortConcern;        /* shuttle origin (Rajin) */
	double windowDays;
	/* records file */
	char zEncoding[16];      /* "windows-1251" or "utf-8" */
	char zDelim[2];
	int tzMinutes;           /* local offset, e.g. +600 */
	char zTz[32];
	char zIdPrefix[8];
	char **azConsignor; int nConsignor;
	char **azConsignee; int nConsignee;
	char **azOtherConsignee; int nOtherConsignee;
	st_rng rng;
	char *zErr; size_t nErr;
	int bad;                 /* a value out of range was met (message set) */
	uint64_t nItem;          /* stops and records planned so far */
	uint64_t nItemMax;       /* budget for them (0: none); fuzzing sets one */
} sim;

/* plan.c */
int st__sim_load(sim *p, const char *zScenario, const st_sim_opts *opts);
/* The same from text in memory (NUL-terminated or not; n bytes). */
int st__sim_load_text(sim *p, const char *zText, size_t n, const st_sim_opts *opts);
int st__sim_plan(sim *p);
void st__sim_free(sim *p);
double st__sim_dist_km(double lat1, double lon1, double lat2, double lon2);
int st__sim_err(sim *p, const char *zFmt, ...) __attribute__((format(printf, 2, 3)));
void st__sim_leg_path(const sim *p, sim_vessel *v, int iLeg);
/* ais_out.c */
int st__sim_write_ais(sim *p, const char *zPath, st_sim_stats *pStats);
/* files.c */
int st__sim_write_files(sim *p, const char *zDir, const st_sim_opts *opts, st_sim_stats *pStats);

#endif

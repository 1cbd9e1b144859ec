/* Vessel behaviour: the compact position model and the analysis stages that
 * turn it into events (segments, port calls, voyages, gaps, encounters,
 * loitering, identity history, flag). Stages are pure functions of
 * (model, gazetteer, parameters) -> events: no I/O, no globals, so they run
 * on made-up tracks in tests, in threads, and later on MPI ranks. Loading the
 * gazetteer and the MID table are the only functions here that read files.
 * Every event carries the model indexes of the positions behind it; the
 * model keeps each position's store id so callers can turn them into
 * evidence ids. Distances are great-circle (haversine, antimeridian-safe). */
#ifndef SHIPTRACE_ANALYSIS_H
#define SHIPTRACE_ANALYSIS_H

#include <stddef.h>
#include <stdint.h>
#include "shiptrace/status.h"
#include "shiptrace/record.h"

/* ---- parameters --------------------------------------------------------- */

#define ST_PARAM_TEXT_MAX 512

/* Every tunable of the stages, with defaults from st_params_default(). The
 * table of keys, units, defaults and sources is st_param_info() and
 * docs/analysis.md. */
typedef struct st_params {
	double seg_max_speed_kn;     /* implied speed that cannot be one ship */
	double seg_max_silence_h;    /* silence that starts a new segment */
	double port_enter_km;        /* entry radius of a port without its own */
	double port_exit_margin_km;  /* leave at radius + this */
	double port_stop_start_kn;   /* a stop starts below this speed */
	double port_stop_end_kn;     /* and ends above this one */
	double port_anchorage_km;    /* a stop this far outside a radius is a call */
	double gap_min_h;            /* silences reported */
	double gap_flag_h;           /* silences flagged */
	double gap_port_speed_kn;    /* plausible speed for a dark port call */
	double gap_port_min_stay_h;  /* minimum stay of a dark port call */
	double enc_max_dist_m;       /* encounter: closer than this */
	double enc_min_h;            /* for at least this long */
	double enc_max_sog_kn;       /* both slower than this */
	double enc_min_port_km;      /* at least this far from any port */
	double loiter_max_sog_kn;
	double loiter_min_h;
	double loiter_min_shore_nm;  /* distance to the nearest port (shore proxy) */
	double slow_max_gap_h;       /* a silence this long breaks a slow run */
	char ports_of_concern[ST_PARAM_TEXT_MAX]; /* names/ISO2/LOCODEs, comma-separated */
} st_params;

typedef enum { ST_PARAM_REAL = 1, ST_PARAM_TEXT = 2 } st_param_type;

typedef struct st_param_info_t {
	const char *zKey;
	st_param_type type;
	size_t offset;          /* into st_params */
	const char *zDefault;
	const char *zUnit;
	const char *zDoc;
	const char *zSource;
} st_param_info_t;

void st_params_default(st_params *p);
/* The parameter table; *pN gets its length. */
const st_param_info_t *st_param_info(int *pN);
/* Sets one parameter from "key=value". ST_ECONFIG with a message in zErr for
 * an unknown key or a bad value (the parameter is then unchanged). */
st_status st_params_set(st_params *p, const char *zKeyValue, char *zErr,
                        size_t nErr);
/* Reads a config file of "key = value" lines ('#' starts a comment). The
 * error names the file and line. */
st_status st_params_load(st_params *p, const char *zPath, char *zErr,
                         size_t nErr);
/* Writes the parameters as one JSON object into a malloc'd string (caller
 * frees), or NULL when out of memory. */
char *st_params_json(const st_params *p);

/* ---- geometry ----------------------------------------------------------- */

/* Great-circle distance in km (haversine on a sphere of 6371.0088 km). */
double st_haversine_km(double lat1, double lon1, double lat2, double lon2);

/* ---- the position model ------------------------------------------------- */

/* Positions in a column store sorted by (mmsi, time): 28 bytes each, plus
 * 4 bytes of segment assignment once segmented. Vessels are runs of
 * positions. Coordinates are int32 in 1e-7 degrees; speed and course uint16
 * in tenths (ST_MODEL_NA when not available); the two top bits of aCog hold
 * the transceiver class (0 unknown, 1 A, 2 B). */
#define ST_MODEL_NA 0xFFFFu
#define ST_MODEL_COG_MASK 0x0FFFu

typedef struct st_vessel_run {
	uint32_t mmsi;
	size_t iFirst;   /* first position index */
	size_t nPos;
} st_vessel_run;

typedef struct st_model {
	size_t nPos, nAlloc;
	int64_t *aT;      /* st_time_ms */
	int64_t *aId;     /* store id of the position (evidence), 0 if none */
	int32_t *aLat, *aLon;
	uint16_t *aSog, *aCog;
	size_t nVessel, nVesselAlloc;
	st_vessel_run *aVessel;
	int sorted;       /* appended in (mmsi, time) order so far */
	uint32_t *aMmsiTmp; /* only while unsorted input is being collected */
} st_model;

void st_model_init(st_model *m);
void st_model_free(st_model *m);
/* Appends one position (skipped with ST_EINVAL when it has no time or no
 * valid coordinates). Any order; st_model_finish sorts when needed. */
st_status st_model_add(st_model *m, const st_position *p, int64_t id);
/* Sorts by (mmsi, time) when the input was not already in that order and
 * builds the vessel runs. Must be called before any stage. */
st_status st_model_finish(st_model *m);
/* Bytes held per position by the model's columns (for benchmarks). */
double st_model_bytes_per_position(const st_model *m);

static inline double st_model_lat(const st_model *m, size_t i) { return m->aLat[i] * 1e-7; }
static inline double st_model_lon(const st_model *m, size_t i) { return m->aLon[i] * 1e-7; }
/* Speed in knots, or a negative value when not available. */
static inline double st_model_sog(const st_model *m, size_t i)
{
	return m->aSog[i] == ST_MODEL_NA ? -1.0 : m->aSog[i] * 0.1;
}
static inline char st_model_class(const st_model *m, size_t i)
{
	int c = m->aCog[i] >> 14;
	return c == 1 ? 'A' : c == 2 ? 'B' : 0;
}

/* ---- ports -------------------------------------------------------------- */

typedef struct st_port {
	char zId[16];
	char zName[64];
	char zAlt[96];
	char zCountry[4];   /* ISO 3166-1 alpha-2 */
	char zLocode[8];    /* "KPRJN" or "" */
	double lat, lon;
	double radius_km;   /* entry radius; <= 0 means port_enter_km */
	int nVert;          /* polygon vertices (lon, lat pairs), 0 if none */
	double *aPoly;
	int concern;        /* set by st_gazetteer_mark_concern */
} st_port;

typedef struct st_gazetteer {
	int nPort, nAlloc;
	st_port *aPort;
	/* grid index (built by st_gazetteer_index) */
	double cellDeg;
	int nLatCell, nLonCell;
	uint32_t *aCellStart;  /* nLatCell*nLonCell + 1 */
	uint32_t *aCellPort;
	double reachKm;        /* largest radius + anchorage + exit margin indexed */
} st_gazetteer;

void st_gazetteer_init(st_gazetteer *g);
void st_gazetteer_free(st_gazetteer *g);
/* Loads a ports CSV: either the shipped format (header starting "id,name,")
 * or a user file "name,country,lat,lon,radius" (header optional, radius
 * optional, km). Appends to g. Errors name the file and line. */
st_status st_gazetteer_load_csv(st_gazetteer *g, const char *zPath, char *zErr,
                                size_t nErr);
/* Loads GeoJSON Polygon/MultiPolygon features (outer ring of the first
 * polygon) with properties name, country, locode (optional). */
st_status st_gazetteer_load_geojson(st_gazetteer *g, const char *zPath,
                                    char *zErr, size_t nErr);
/* Appends one port (copied; polygon copied when nVert > 0). */
st_status st_gazetteer_add(st_gazetteer *g, const st_port *p);
/* Marks ports of concern from a comma-separated list of port names,
 * alternate names, UN/LOCODEs or two-letter country codes (case-insensitive).
 * Returns the number of ports marked. */
int st_gazetteer_mark_concern(st_gazetteer *g, const char *zList);
/* The first entry of such a list that names no port of the gazetteer
 * (copied into zTok), or NULL when every entry names at least one: a typo
 * must not silently leave the case without ports of concern. */
const char *st_gazetteer_concern_unknown(const st_gazetteer *g, const char *zList,
                                         char *zTok, size_t nTok);
/* Builds the spatial index; call after loading and before any stage. */
st_status st_gazetteer_index(st_gazetteer *g, const st_params *p);
/* Nearest port within maxKm of a point, or -1; *pKm (may be NULL) gets the
 * distance: to the centre of a point port, to the boundary of a polygon
 * port (0 inside). maxKm may exceed the indexed reach (the search then
 * widens to neighbouring cells). */
int st_gazetteer_nearest(const st_gazetteer *g, double lat, double lon,
                         double maxKm, double *pKm);

/* Directory of the run-time data (ports.csv, mid.csv): $SHIPTRACE_DATA if
 * set, else the data/ directory of the source tree the library was built
 * from. */
const char *st_data_dir(void);

/* ---- events ------------------------------------------------------------- */

typedef struct st_segment {
	uint32_t mmsi;
	int32_t prev;        /* previous segment of the same track, or -1 */
	uint32_t track;      /* track (transmitter) number, global */
	st_time_ms t0, t1;
	uint32_t nPoint;
	double km;
	size_t iFirst, iLast;/* position indexes */
} st_segment;

typedef enum {
	ST_CALL_STOPPED = 1,        /* stopped inside the radius */
	ST_CALL_ANCHORED_OUTSIDE,   /* stopped outside, within port_anchorage_km */
	ST_CALL_PASSED_THROUGH      /* never stopped */
} st_call_how;

typedef struct st_port_call {
	uint32_t mmsi;
	uint32_t seg;           /* segment of the arrival */
	uint32_t track;
	int port;               /* gazetteer index */
	st_call_how how;
	int arrivalSeen;        /* 0: already there at the track's first position */
	int departureSeen;      /* 0: still there at the track's last position */
	st_time_ms arrival, departure;
	double lat, lon;        /* where it stopped, else where it entered */
	uint32_t nPoint;
	size_t iFirst, iLast;   /* first and last position of the call */
	int prevPort;           /* last port of call (stop) at another port, -1 */
	int prevCall;           /* its index in the call array, -1 */
} st_port_call;

typedef struct st_voyage {
	uint32_t mmsi;
	uint32_t track;
	int fromCall, toCall;   /* indexes into the call array */
	int fromPort, toPort;
	st_time_ms departure, arrival;
} st_voyage;

typedef struct st_gap {
	uint32_t mmsi;
	uint32_t track;
	size_t i0, i1;          /* last position before, first after */
	st_time_ms t0, t1;
	double hours, km, speed_kn;
	int flagged;
	int port0, port1;       /* port near the start / end, or -1 */
	uint32_t iPossible, nPossible; /* slice of aPossible */
} st_gap;

typedef struct st_encounter {
	uint32_t mmsi1, mmsi2;  /* mmsi1 < mmsi2 */
	st_time_ms t0, t1;
	double median_m;
	double lat, lon;
	uint32_t nSample;
	size_t i1a, i1b, i2a, i2b; /* positions of each vessel at start and end */
} st_encounter;

typedef struct st_loiter {
	uint32_t mmsi;
	uint32_t seg;
	st_time_ms t0, t1;
	double hours, km, port_km; /* port_km: nearest port from the middle, NAN beyond 1000 km */
	double lat, lon;
	uint32_t nPoint;
	size_t iFirst, iLast;
} st_loiter;

typedef struct st_events {
	uint32_t *aSeg;         /* segment of each position (model order) */
	size_t nSeg;     st_segment *aSegment;
	size_t nCall;    st_port_call *aCall;
	size_t nVoyage;  st_voyage *aVoyage;
	size_t nGap;     st_gap *aGap;
	size_t nPossible; int *aPossible; /* gazetteer indexes */
	size_t nEnc;     st_encounter *aEnc;
	size_t nLoiter;  st_loiter *aLoiter;
	size_t nSample;  /* encounter grid samples examined (for benchmarks) */
} st_events;

void st_events_init(st_events *e);
void st_events_free(st_events *e);

/* The stages. Each replaces its own arrays in e. Segments come first; port
 * calls, voyages, gaps and loitering need them; voyages need port calls. */
st_status st_stage_segments(const st_model *m, const st_params *p, st_events *e);
st_status st_stage_port_calls(const st_model *m, const st_gazetteer *g,
                              const st_params *p, st_events *e);
st_status st_stage_voyages(const st_model *m, const st_params *p, st_events *e);
st_status st_stage_gaps(const st_model *m, const st_gazetteer *g,
                        const st_params *p, st_events *e);
st_status st_stage_encounters(const st_model *m, const st_gazetteer *g,
                              const st_params *p, st_events *e);
st_status st_stage_loitering(const st_model *m, const st_gazetteer *g,
                             const st_params *p, st_events *e);
/* All of the above in order. */
st_status st_analyze(const st_model *m, const st_gazetteer *g,
                     const st_params *p, st_events *e);

/* ---- identity and flag -------------------------------------------------- */

typedef enum {
	ST_ID_NAME = 0, ST_ID_IMO, ST_ID_CALLSIGN, ST_ID_TYPE, ST_ID_DIMENSIONS,
	ST_ID_NFIELD
} st_id_field;

const char *st_id_field_name(st_id_field f);

/* One period during which a vessel reported one value of one field. A change
 * of name is two periods of the name field. */
typedef struct st_identity {
	uint32_t mmsi;
	st_id_field field;
	char zValue[40];
	st_time_ms t0, t1;    /* first and last report with this value */
	uint32_t nReport;
	int64_t id0, id1;     /* evidence: first and last report ids */
} st_identity;

/* Identity periods from static reports (any order; aId may be NULL).
 * *paOut is malloc'd (caller frees). */
st_status st_identity_history(const st_static_report *aRep, const int64_t *aId,
                              size_t nRep, st_identity **paOut, size_t *pnOut);

/* The ITU MID table: country (ISO2) of each MID 200..799. */
typedef struct st_mid_table {
	char aIso[1000][3];
	char *azName[1000];
} st_mid_table;

st_status st_mid_load(st_mid_table *t, const char *zPath, char *zErr, size_t nErr);
void st_mid_free(st_mid_table *t);
/* The MID of an MMSI by ITU-R M.585 (ship 2-7xxxxxxxx, group 0MID, coast
 * 00MID, SAR aircraft 111MID, craft of a parent ship 98MID, AtoN 99MID,
 * handheld 8MID); -1 for SART/MOB/EPIRB (97x) and anything else. *pzKind
 * (may be NULL) gets "ship", "group", "coast", "sar_aircraft", "auxiliary",
 * "aton", "handheld", "sart_mob_epirb" or "invalid". */
int st_mmsi_mid(uint32_t mmsi, const char **pzKind);
/* ISO2 flag of an MMSI from its MID, or NULL when unknown. */
const char *st_mmsi_flag(const st_mid_table *t, uint32_t mmsi);

#endif

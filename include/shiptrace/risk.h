/* Risk indicators per vessel, never an opaque score: each indicator is a
 * named fact with the ids of the rows that show it (screening matches, link
 * paths, port calls, gaps, encounters, identity periods), and the ranking
 * of vessels is a stated rule over those facts (docs/screening.md): first
 * the strongest tier a vessel reaches, then how many distinct indicators it
 * has, then how much evidence backs its strongest tier. Pure: the caller reads the tables and passes
 * plain arrays. */
#ifndef SHIPTRACE_RISK_H
#define SHIPTRACE_RISK_H

#include <stddef.h>
#include <stdint.h>
#include "shiptrace/status.h"
#include "shiptrace/sanctions.h"

typedef enum {
	ST_RISK_LISTED = 0,        /* an identifier matches a listed entry */
	ST_RISK_LINKED,            /* its entry is within k links of a listed one */
	ST_RISK_ENCOUNTER_LISTED,  /* met a vessel that is listed */
	ST_RISK_PORT_OF_CONCERN,   /* called at a port of concern */
	ST_RISK_DARK_GAP,          /* dark long enough to call at one unseen */
	ST_RISK_IDENTITY_CHANGE,   /* name, flag, MMSI per IMO or IMO per MMSI changed */
	ST_RISK_FLAG_OF_CONCERN,   /* MMSI's flag is one the user marks */
	ST_RISK_NAME_MATCH,        /* name equals a listed vessel's (weak) */
	ST_RISK_N
} st_risk_indicator;

const char *st_risk_name(st_risk_indicator k);  /* "listed", ... */
int st_risk_tier(st_risk_indicator k);           /* 1 strongest .. 3 */

/* A behavioural event of the case: a port call (mmsi, port), a gap (mmsi,
 * the ports of concern it could hide), an encounter (mmsi and mmsi2). */
typedef struct st_risk_event {
	uint32_t mmsi, mmsi2;
	int64_t id;               /* row id in its table */
	st_time_ms t0, t1;
	const char *zPort;        /* port name, or a gap's possible ports */
	const char *zCountry;     /* ISO2 of the port, may be NULL */
	const char *zLocode;      /* may be NULL */
	int concern;              /* 1: the analysis marked the port of concern */
} st_risk_event;

/* A link row: the vessel's entry reaches a listed entity in nHop links. */
typedef struct st_risk_link {
	uint32_t mmsi;
	int64_t id;               /* row id in `links` */
	int nHop;
	const char *zTarget;      /* the listed entity's name */
} st_risk_link;

typedef struct st_risk_input {
	const st_lists *pLists;
	const st_vessel_ident *aIdent;  /* ids: vessel_identities/vessel_reports */
	int nIdent;
	const st_screen_hit *aHit;
	const int64_t *aHitId;          /* screening row id of each hit */
	int nHit;
	const st_risk_link *aLink;
	int nLink;
	const st_risk_event *aCall;     /* every port call: filtered here */
	int nCall;
	const st_risk_event *aGap;      /* gaps with possible ports of concern */
	int nGap;
	const st_risk_event *aEnc;
	int nEnc;
	const char *zPortsOfConcern;    /* port names, LOCODEs, ISO2, comma-separated */
	const char *zFlagsOfConcern;    /* ISO2 codes, comma-separated, may be "" */
	/* Flag (ISO2) of an MMSI, or NULL; may itself be NULL. */
	const char *(*xFlag)(void *ctx, uint32_t mmsi);
	void *pFlagCtx;
	const char *zIdentTable;        /* table of the identity ids, for evidence */
} st_risk_input;

typedef struct st_risk_row {
	uint32_t mmsi;
	uint32_t imo;             /* latest valid IMO reported, 0 if none */
	st_risk_indicator ind;
	int tier;
	int nEvidence;
	char *zEvidence;          /* "port_calls:12,15" (at most 100 ids listed) */
	char *zDetail;            /* what the evidence shows, in words */
} st_risk_row;

typedef struct st_risk_summary {
	uint32_t mmsi;
	uint32_t imo;
	char zName[64];
	int rank;                 /* 1 = first to look at */
	int tier;                 /* strongest tier reached */
	int nIndicator;
	int nEvidence;            /* evidence rows over all indicators */
	int nEvidenceTop;         /* evidence rows of the strongest tier */
	char zIndicators[256];    /* every indicator, strongest first */
	char zDrivers[512];       /* the strongest tier's indicators, with counts */
} st_risk_summary;

/* Computes every indicator for every vessel in the inputs, and one summary
 * per vessel that has at least one, ranked. Free with st_risk_free. */
st_status st_risk_assess(const st_risk_input *in, st_risk_row **paRow, int *pnRow,
                         st_risk_summary **paSum, int *pnSum);
void st_risk_free(st_risk_row *aRow, int nRow, st_risk_summary *aSum);

/* The ranking rule in words, as recorded with every run. */
const char *st_risk_rule(void);

#endif

/* The provenance stage over a case: reads records, places, facilities,
 * port calls, gaps and vessels from the store, runs the provenance engine,
 * and writes attributions, flows, site_summary, monthly, lags and findings
 * (replacing the previous run's), recording the run in `runs`. */
#ifndef SHIPTRACE_TRACE_H
#define SHIPTRACE_TRACE_H

#include <stddef.h>
#include "shiptrace/provenance.h"
#include "shiptrace/store.h"

#define ST_TRACE_MAX_FINDINGS 64
#define ST_TRACE_MAX_UNRESOLVED 64

typedef struct st_trace_finding {
	char zText[512];
	st_confidence conf;
	char zEvidence[256];
} st_trace_finding;

typedef struct st_trace_result {
	size_t nRecord, nSelected, nAtOrigin, nAttributed;
	size_t nArrival, nQualifying;
	double tonnes_selected, tonnes_attributed;
	size_t nSite, nSiteNearFacility;
	st_prov_perm perm;
	int nFinding;
	st_trace_finding aFinding[ST_TRACE_MAX_FINDINGS];
	int nUnresolved;                 /* names that resolve to no place */
	char azUnresolved[ST_TRACE_MAX_UNRESOLVED][128];
	size_t nUnresolvedTotal;
} st_trace_result;

/* Runs the stage. zParamsJson is recorded in `runs` as given. */
st_status st_trace_run(st_store *s, const st_prov_params *p,
                       const char *zParamsJson, st_trace_result *pRes,
                       char *zErr, size_t nErr);

/* The parameters as a JSON object (for `runs`); free() the result. */
char *st_prov_params_json(const st_prov_params *p);

/* Reads "key = value" lines; a "[provenance]" section header scopes the
 * keys that follow (lines in other sections belong to other stages and are
 * skipped); '#' starts a comment. */
st_status st_prov_params_load(st_prov_params *p, const char *zPath, char *zErr,
                              size_t nErr);

#endif

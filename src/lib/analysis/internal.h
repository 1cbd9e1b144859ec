/* Shared internals of the analysis stages: growable arrays and the walk of
 * one vessel's positions track by track. Not part of the public API. */
#ifndef SHIPTRACE_ANALYSIS_INTERNAL_H
#define SHIPTRACE_ANALYSIS_INTERNAL_H

#include <stdlib.h>
#include "shiptrace/analysis.h"

#define ST__KN_KMH 1.852
#define ST__MS_PER_H 3600000.0

/* Appends one element to a malloc'd array with count *pn and capacity *pcap;
 * returns a pointer to the new (uninitialised) slot or NULL. */
void *st__push(void **pa, size_t *pn, size_t *pcap, size_t sz);

/* Orders one vessel's positions by (track, time): aOrder gets model indexes,
 * aStart[k]..aStart[k+1] the slice of local track k. Returns the number of
 * tracks, or -1 when out of memory. Buffers are reused across calls. */
typedef struct st__walk {
	size_t *aOrder;
	size_t nOrderAlloc;
	size_t *aStart;
	size_t nStartAlloc;
} st__walk;
int st__walk_vessel(st__walk *w, const st_model *m, const st_events *e,
                    const st_vessel_run *pV, uint32_t *pTrack0);
void st__walk_free(st__walk *w);

/* Speed at position aOrder[k] in knots: the reported one, or the implied
 * one from the previous position of the track when not reported. */
double st__speed_kn(const st_model *m, const size_t *aOrder, size_t k, size_t kFirst);

/* Distance from a port in km (0 inside a polygon port). */
double st__port_km(const st_port *p, double lat, double lon);

/* Whether any port lies within maxKm (stops at the first one found). */
int st__gazetteer_any(const st_gazetteer *g, double lat, double lon, double maxKm);

#endif

/* Helpers shared by the analysis tests: made-up tracks (labelled as such in
 * each test), a small made-up gazetteer, and a loader for the real AMSA
 * track files of ../shared/data/tracks. */
#ifndef ANALYSIS_FIXTURE_H
#define ANALYSIS_FIXTURE_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "shiptrace/analysis.h"
#include "shiptrace/time.h"

#define T0 1388534400000LL /* 2014-01-01T00:00:00Z */
#define HOUR 3600000LL
#define MIN 60000LL

/* Made-up position: t in ms, sog in knots (negative = not available). */
static inline void fx_add(st_model *m, uint32_t mmsi, int64_t t, double lat,
                          double lon, double sog, char cls)
{
	st_position p;
	memset(&p, 0, sizeof p);
	p.mmsi = mmsi;
	p.t = t;
	p.lat = lat;
	p.lon = lon;
	p.sog = sog < 0 ? NAN : (float)sog;
	p.cog = NAN;
	p.heading = -1;
	p.nav_status = -1;
	p.cls = cls;
	st_model_add(m, &p, (int64_t)m->nPos + 1);
}

/* Moves from (lat0,lon0) to (lat1,lon1) in n steps of dt, reporting sog. */
static inline void fx_leg(st_model *m, uint32_t mmsi, int64_t t, int64_t dt, int n,
                          double lat0, double lon0, double lat1, double lon1,
                          double sog, char cls)
{
	for (int k = 0; k < n; k++) {
		double f = n > 1 ? (double)k / (n - 1) : 0;
		fx_add(m, mmsi, t + k * dt, lat0 + f * (lat1 - lat0), lon0 + f * (lon1 - lon0),
		       sog, cls);
	}
}

static inline void fx_port(st_gazetteer *g, const char *zName, const char *zCountry,
                           double lat, double lon, double r)
{
	st_port p;
	memset(&p, 0, sizeof p);
	snprintf(p.zId, sizeof p.zId, "%s", zName);
	snprintf(p.zName, sizeof p.zName, "%s", zName);
	snprintf(p.zCountry, sizeof p.zCountry, "%s", zCountry);
	p.lat = lat;
	p.lon = lon;
	p.radius_km = r;
	st_gazetteer_add(g, &p);
}

/* Made-up gazetteer: Alpha and Beta 55.6 km apart on the 20 E meridian, and
 * Kappa (country KP) 222 km north of Alpha. */
static inline void fx_gazetteer(st_gazetteer *g)
{
	st_gazetteer_init(g);
	fx_port(g, "Alpha", "AA", 10.0, 20.0, 3);
	fx_port(g, "Beta", "BB", 10.5, 20.0, 3);
	fx_port(g, "Kappa", "KP", 12.0, 20.0, 3);
}

static inline void fx_ready(st_gazetteer *g, const st_params *p)
{
	st_gazetteer_mark_concern(g, p->ports_of_concern);
	st_gazetteer_index(g, p);
}

/* Loads an AMSA track CSV (MMSI,BaseDateTime,LAT,LON,SOG,COG,...,Class).
 * Returns the number of positions. */
static inline size_t fx_load_track(st_model *m, const char *zPath)
{
	FILE *f = fopen(zPath, "r");
	if (!f)
		return 0;
	char zLine[512];
	size_t n = 0;
	int first = 1;
	while (fgets(zLine, sizeof zLine, f)) {
		if (first) {
			first = 0;
			continue;
		}
		char *az[8] = {0};
		int k = 0;
		for (char *z = zLine; k < 8 && z;) {
			az[k++] = z;
			z = strchr(z, ',');
			if (z)
				*z++ = 0;
		}
		if (k < 6)
			continue;
		st_position p;
		memset(&p, 0, sizeof p);
		p.mmsi = (uint32_t)strtoul(az[0], NULL, 10);
		p.t = st_time_parse(az[1]);
		p.lat = atof(az[2]);
		p.lon = atof(az[3]);
		p.sog = az[4][0] ? (float)atof(az[4]) : NAN;
		p.cog = az[5][0] ? (float)atof(az[5]) : NAN;
		p.cls = (k > 7 && az[7]) ? az[7][0] : 0;
		if (st_model_add(m, &p, (int64_t)n + 1) == ST_OK)
			n++;
	}
	fclose(f);
	return n;
}

#endif

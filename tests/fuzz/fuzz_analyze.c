/* Fuzz target for the behaviour stages: the input is read as a made-up
 * track of up to 2,000 positions of four MMSIs (8 bytes each: vessel,
 * time step, latitude and longitude steps, speed) wandering around a small
 * made-up gazetteer with a port on the antimeridian and a polygon port, and
 * every stage runs on it. No input may crash a stage, read out of bounds,
 * leak, or hang. */
#include <math.h>
#include <stdint.h>
#include <string.h>
#include "shiptrace/analysis.h"

#define MAX_POS 2000

static void add_port(st_gazetteer *g, const char *zName, double lat, double lon,
                     double r, int nVert, double *aPoly)
{
	st_port p;
	memset(&p, 0, sizeof p);
	strcpy(p.zName, zName);
	strcpy(p.zCountry, "KP");
	p.lat = lat;
	p.lon = lon;
	p.radius_km = r;
	p.nVert = nVert;
	p.aPoly = aPoly;
	st_gazetteer_add(g, &p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* the gazetteers are built once (their grid index costs milliseconds)
	 * and stay reachable for the life of the process */
	static st_gazetteer aG[2];
	static st_params aP[2];
	static double aBox[10] = {10.0, 0.0, 10.1, 0.0, 10.1, 0.1, 10.0, 0.1, 10.0, 0.0};
	static int ready;
	if (!ready) {
		for (int k = 0; k < 2; k++) {
			char zErr[64];
			st_gazetteer_init(&aG[k]);
			add_port(&aG[k], "Origin", 0, 0, 3, 0, NULL);
			add_port(&aG[k], "Dateline", 0, 180, 5, 0, NULL);
			add_port(&aG[k], "Box", 0.05, 10.05, 0, 5, aBox);
			add_port(&aG[k], "Pole", 89.9, 0, 2, 0, NULL);
			st_params_default(&aP[k]);
			if (k) {
				st_params_set(&aP[k], "seg_max_silence_h=1", zErr, sizeof zErr);
				st_params_set(&aP[k], "enc_max_dist_m=5000", zErr, sizeof zErr);
				st_params_set(&aP[k], "slow_max_gap_h=0", zErr, sizeof zErr);
				st_params_set(&aP[k], "port_anchorage_km=0", zErr, sizeof zErr);
			}
			st_gazetteer_mark_concern(&aG[k], aP[k].ports_of_concern);
			st_gazetteer_index(&aG[k], &aP[k]);
		}
		ready = 1;
	}
	int iVar = size > 0 && (data[0] & 1);
	const st_gazetteer *g = &aG[iVar];
	const st_params *p = &aP[iVar];

	st_model m;
	st_model_init(&m);
	double lat[4] = {0, 0.02, -0.02, 0}, lon[4] = {0, 179.99, -179.99, 10.05};
	int64_t t[4] = {0, 0, 0, 0};
	for (size_t k = 1; k + 8 <= size && m.nPos < MAX_POS; k += 8) {
		const uint8_t *b = data + k;
		int v = b[0] & 3;
		t[v] += (int64_t)(b[1] | (b[2] << 8)) * 1000 * ((b[0] & 4) ? 60 : 1);
		lat[v] += (int8_t)b[3] * ((b[0] & 8) ? 0.1 : 0.0005);
		lon[v] += (int8_t)b[4] * ((b[0] & 16) ? 0.1 : 0.0005);
		if (lat[v] > 90)
			lat[v] = 90;
		if (lat[v] < -90)
			lat[v] = -90;
		if (lon[v] > 180)
			lon[v] -= 360;
		if (lon[v] < -180)
			lon[v] += 360;
		st_position pos;
		memset(&pos, 0, sizeof pos);
		pos.mmsi = (uint32_t)(273000000 + v);
		pos.t = t[v] + ((b[0] & 32) ? -(int64_t)b[5] * 1000 : 0);
		pos.lat = lat[v];
		pos.lon = lon[v];
		pos.sog = b[6] == 255 ? NAN : b[6] * 0.1f;
		pos.cog = NAN;
		pos.cls = (b[0] & 64) ? 'B' : 'A';
		st_model_add(&m, &pos, (int64_t)k);
	}
	st_events e;
	st_events_init(&e);
	if (st_model_finish(&m) == ST_OK)
		st_analyze(&m, g, p, &e);
	st_events_free(&e);
	st_model_free(&m);
	return 0;
}
